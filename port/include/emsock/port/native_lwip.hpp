// SPDX-License-Identifier: MIT
// emsock/port/native_lwip.hpp - what the lwIP backend shows through the interface.
// Included by emsock/port/native.hpp only (EMSOCK_PORT_LWIP); do not include it directly.
//
// No lwIP header is included here, nor by any other emsock header: lwIP's LWIP_COMPAT_SOCKETS
// macros (close(s), send(...), poll(...)) never reach a file that includes emsock, and emsock never
// removes them either, so close(fd) in a user's file means what that file's own includes make it
// mean, with or without emsock. The backend calls lwIP by its lwip_* names in its own files
// (port/lwip/lwip_api.hpp), so lwipopts.h may set LWIP_COMPAT_SOCKETS to 0, 1 or 2. A configuration
// without the socket API (NO_SYS=1, LWIP_SOCKET=0) stops the backend's build with an #error.
// Preconditions of every socket call: lwIP is running (tcpip_init has called back).
#pragma once

#include <cstddef>
#include <string_view>

#include "emsock/error.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// Room for the record lwip_poll() takes for one socket (lwIP's struct pollfd - an int descriptor
/// and two short event masks - or, in Debian's build, the C library's), which lwip_poll() reads and
/// writes where it lies: poll_set<N> stores N of them. Plain storage, so that lwIP's socket header
/// stays out of this one; port/lwip/poll_set.cpp checks its size and alignment against lwIP's type.
struct native_pollfd {
  alignas(int) unsigned char bytes[sizeof(int) + 2 * sizeof(short)];
};

/// event_set<N> runs on poll_set (no epoll here): its records are poll records.
#define EMSOCK_NATIVE_EPOLL 0
using native_event_record = native_pollfd;

/// An lwIP socket descriptor (they start at LWIP_SOCKET_OFFSET and are not OS descriptors: never
/// mix the two).
using native_handle_type = int;
/// The value of a handle that owns nothing.
inline constexpr native_handle_type invalid_native_handle = -1;
/// The backend's name, for logs and test reports.
inline constexpr const char* port_name = "lwip";

/// The one lwIP errno -> errc mapping of this backend (port/lwip/errors.cpp). Compares symbolic
/// names (EAGAIN, EWOULDBLOCK, ...) as lwIP's errno header defines them (lwIP may provide its own
/// values, LWIP_PROVIDE_ERRNO), never numbers. Unknown values, and 0, give errc::system_error.
errc errc_from_errno(int native_error) noexcept;

/// True when this build of lwIP resolves names (LWIP_DNS=1): resolve() then asks lwip_getaddrinfo
/// for names; numeric hosts are answered without lwIP either way. Without it, a host that is not a
/// numeric address is errc::name_resolution_unavailable ("no name resolution in this build").
extern const bool lwip_has_dns;

namespace lwip {

/// The longest name set_host_name() keeps.
inline constexpr std::size_t max_configured_host_name_len = 63;

/// Sets the name host_name() reports. host_name() answers the configured name, else the default
/// netif's hostname (LWIP_NETIF_HOSTNAME, read in lwIP's core: under the core lock, or on the tcpip
/// thread with LWIP_TCPIP_CORE_LOCKING=0; lwIP must be running, and the caller must not be lwIP's
/// tcpip thread), else errc::name_not_found (lwIP itself has no host name); out_of_memory when no
/// semaphore was left to wait for the tcpip thread with.
///
/// The configured name takes precedence over the netif's; an empty name removes it again. The name
/// is copied. Thread-safe (under lwIP's SYS_ARCH_PROTECT), and it may be called before lwIP is
/// started. Errors: invalid_argument (longer than max_configured_host_name_len, or a NUL inside).
status set_host_name(std::string_view name) noexcept;

}  // namespace lwip
}  // namespace emsock
