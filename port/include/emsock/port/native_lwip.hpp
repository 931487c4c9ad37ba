// emsock/port/native_lwip.hpp - what the lwIP backend shows through the interface.
// Included by emsock/port/native.hpp only (EMSOCK_PORT_LWIP); do not include it directly.
//
// The backend calls lwIP's socket API (lwip_socket, lwip_poll, ...) directly, so it works whether
// or not lwipopts.h sets LWIP_COMPAT_SOCKETS. lwIP's headers are C: they are included inside
// extern "C" here (some lwipopts.h, Debian's among them, declare sys_lock_tcpip_core() and friends
// without it). Preconditions of every socket call: lwIP is running (tcpip_init has called back).
#pragma once

#include <cstddef>
#include <string_view>

extern "C" {
#include "lwip/opt.h"
}

#if NO_SYS
#error "emsock: the lwIP backend needs lwIP's socket API, which NO_SYS=1 does not have: set NO_SYS=0 (and LWIP_SOCKET=1) in lwipopts.h, or use lwIP's raw API without emsock::lwip"
#endif
#if !LWIP_SOCKET
#error "emsock: the lwIP backend needs lwIP's socket API: set LWIP_SOCKET=1 in lwipopts.h"
#endif
#if !LWIP_TCP
#error "emsock: the lwIP backend needs TCP: set LWIP_TCP=1 in lwipopts.h"
#endif

extern "C" {
#include "lwip/sockets.h"
}

// LWIP_COMPAT_SOCKETS == 1 defines function-like macros named like POSIX calls (close(s), send(...),
// poll(...)), which would rewrite emsock's member functions of the same names. emsock never uses
// them; code that includes emsock calls lwip_close() & co. by their own names.
#if defined(LWIP_COMPAT_SOCKETS) && LWIP_COMPAT_SOCKETS == 1
#undef accept
#undef bind
#undef shutdown
#undef getpeername
#undef getsockname
#undef setsockopt
#undef getsockopt
#undef closesocket
#undef connect
#undef listen
#undef recv
#undef recvmsg
#undef recvfrom
#undef send
#undef sendmsg
#undef sendto
#undef socket
#undef select
#undef poll
#undef ioctlsocket
#undef inet_ntop
#undef inet_pton
#undef read
#undef readv
#undef write
#undef writev
#undef close
#undef fcntl
#undef ioctl
#endif

#include "emsock/error.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// The record lwip_poll() takes for one socket (lwIP's struct pollfd; in Debian's build it is the
/// C library's). poll_set<N> stores N of them.
using native_pollfd = ::pollfd;

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
inline constexpr bool lwip_has_dns = LWIP_DNS != 0;

namespace lwip {

/// The longest name set_host_name() keeps.
inline constexpr std::size_t max_configured_host_name_len = 63;

/// Sets the name host_name() reports. host_name() answers the configured name, else the default
/// netif's hostname (LWIP_NETIF_HOSTNAME, read under the core lock: lwIP must be running), else
/// errc::name_not_found (lwIP itself has no host name).
///
/// Sets the name host_name() reports. It takes precedence over the default netif's hostname
/// (LWIP_NETIF_HOSTNAME); an empty name removes it again. The name is copied. Thread-safe (under
/// lwIP's SYS_ARCH_PROTECT), and it may be called before lwIP is started.
/// Errors: invalid_argument (longer than max_configured_host_name_len, or a NUL inside).
status set_host_name(std::string_view name) noexcept;

}  // namespace lwip
}  // namespace emsock
