// SPDX-License-Identifier: MIT
// port/lwip/lwip_api.hpp - private to the lwIP backend: lwIP's headers as the backend's files see them.
//
// No public emsock header includes lwIP (emsock/port/native_lwip.hpp shows plain integers and
// storage only), so lwIP's LWIP_COMPAT_SOCKETS macros never reach a file that includes emsock. Here,
// in the backend's own files, whatever LWIP_COMPAT_SOCKETS is (lwIP's sockets.h):
// - 0: lwIP declares lwip_close() & co. and nothing else.
// - 1: it also defines the POSIX names as function-like macros (close(s) -> lwip_close(s), send,
//   recv, connect, ...), which would rename emsock's members of those names: the ones emsock uses
//   are removed below, in these files only.
// - 2: the functions themselves are named close(), send(), ... and lwip_close is an object-like macro
//   for close. So every call is written qualified, ::lwip_close(fd): `::` keeps the expansion
//   ::close from meaning a member function called close, and a function-like macro cannot apply.
// lwIP's headers are C: they are included inside extern "C" (some lwipopts.h, Debian's among them,
// declare sys_lock_tcpip_core() and friends without it).
#pragma once

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
#if !LWIP_SOCKET_POLL
#error "emsock: the lwIP backend waits with lwip_poll (poll(), poll_set, event_set, the timeout of tcp_stream::connect), which LWIP_SOCKET_POLL=0 leaves out: set LWIP_SOCKET_POLL=1 in lwipopts.h"
#endif
// Optional, checked where used (docs/errors-by-backend.md): LWIP_UDP (udp_socket), LWIP_IPV4 /
// LWIP_IPV6 (the families), LWIP_DNS (names), SO_REUSE (listen_options::reuse_address),
// LWIP_SO_RCVTIMEO / LWIP_SO_SNDTIMEO (set_receive_timeout / set_send_timeout: without them lwIP
// answers ENOPROTOOPT, operation_not_supported), LWIP_TCP_KEEPALIVE (tcp_stream::set_keepalive:
// operation_not_supported without it).

extern "C" {
#include "lwip/errno.h"
#include "lwip/if_api.h"
#include "lwip/netdb.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
}

#if LWIP_COMPAT_SOCKETS == 1
// The function-like macros that would rewrite names emsock declares (members and functions).
#undef accept
#undef close
#undef connect
#undef listen
#undef poll
#undef recv
#undef send
#undef shutdown
#endif

#include "emsock/lwip/err.hpp"  // lwip::errc_from_err: the project's one err_t -> errc
