// emsock/port/native.hpp - the one header where the backend shows through.
//
// CMake defines exactly one of EMSOCK_PORT_POSIX / EMSOCK_PORT_LWIP for every target that links a
// backend (emsock::posix, later emsock::lwip). Every other port header is the same for all backends;
// the platform #ifs of the interface live here and nowhere else.
#pragma once

#include "emsock/error.hpp"

#if defined(EMSOCK_PORT_POSIX) && defined(EMSOCK_PORT_LWIP)
#error "emsock: define only one of EMSOCK_PORT_POSIX and EMSOCK_PORT_LWIP"
#elif !defined(EMSOCK_PORT_POSIX) && !defined(EMSOCK_PORT_LWIP)
#error "emsock: no socket backend selected: link emsock::posix (CMake sets EMSOCK_PORT_POSIX)"
#endif

namespace emsock {

#if defined(EMSOCK_PORT_POSIX)
}  // namespace emsock
#include <poll.h>
namespace emsock {

/// The record poll() takes for one descriptor (poll_set<N> stores N of them).
using native_pollfd = ::pollfd;

/// A POSIX file descriptor.
using native_handle_type = int;
/// The value of a handle that owns nothing.
inline constexpr native_handle_type invalid_native_handle = -1;
/// The backend's name, for logs and test reports.
inline constexpr const char* port_name = "posix";

/// The one errno -> errc mapping of this backend (port/posix/errors.cpp). Compares symbolic names
/// (EAGAIN, EWOULDBLOCK, ...), never numbers. Unknown values, and 0 (a failure without a code), give
/// errc::system_error. emsock does not keep the native code: results carry the errc only, so a
/// caller that needs the raw errno for a log must make the native call itself.
errc errc_from_errno(int native_error) noexcept;

/// The one getaddrinfo EAI_* -> errc mapping. `saved_errno` is errno as it was right after the
/// failing call; it is used only for EAI_SYSTEM (through errc_from_errno). Unknown codes, and 0,
/// give errc::system_error.
errc errc_from_eai(int eai_code, int saved_errno) noexcept;

#elif defined(EMSOCK_PORT_LWIP)

/// An lwIP socket descriptor. They start at LWIP_SOCKET_OFFSET: never mix them with OS descriptors.
using native_handle_type = int;
inline constexpr native_handle_type invalid_native_handle = -1;
inline constexpr const char* port_name = "lwip";

/// The one lwIP errno -> errc mapping (lwIP may define its own errno values: symbolic names only).
errc errc_from_errno(int native_error) noexcept;

#endif

}  // namespace emsock
