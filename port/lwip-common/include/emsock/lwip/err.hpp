// SPDX-License-Identifier: MIT
// emsock/lwip/err.hpp - lwIP's err_t as emsock's errc: the one mapping of the whole project.
//
// Both lwIP backends use it: the raw-API glue (port/lwip-raw, NO_SYS=1) for what tcp_bind,
// tcp_connect, tcp_listen_with_backlog_and_err, udp_bind, udp_connect and udp_sendto return, and the
// socket backend (port/lwip) for the err_t of tcpip_callback_wait. It needs nothing but lwIP's
// err.h (valid with any NO_SYS and any socket option), so the raw-API backend does not depend on lwIP's
// socket API by including it. Symbolic names only (ERR_USE), never numbers: a port may redefine
// err_t (LWIP_ERR_T). docs/errors-by-backend.md sets this beside the errno mappings.
#pragma once

#include "emsock/error.hpp"

extern "C" {
#include "lwip/err.h"
}

namespace emsock::lwip {

/// lwIP's err_t as an errc. ERR_OK is ok; ERR_MEM and ERR_BUF out_of_memory (a pool or the heap is
/// empty); ERR_INPROGRESS and ERR_ALREADY in_progress (a connect is under way); ERR_ISCONN
/// already_connected; ERR_CONN and ERR_CLSD not_connected; ERR_RTE host_unreachable (no route);
/// ERR_IF network_unreachable (the netif refused the packet); ERR_USE address_in_use; ERR_VAL and
/// ERR_ARG invalid_argument; ERR_TIMEOUT timed_out; ERR_WOULDBLOCK would_block; ERR_ABRT
/// connection_aborted; ERR_RST connection_reset. A value lwIP does not define is system_error.
/// Never fails.
constexpr errc errc_from_err(err_t err) noexcept {
  switch (err) {
    case ERR_OK: return errc::ok;
    case ERR_MEM: return errc::out_of_memory;
    case ERR_BUF: return errc::out_of_memory;
    case ERR_TIMEOUT: return errc::timed_out;
    case ERR_RTE: return errc::host_unreachable;
    case ERR_INPROGRESS: return errc::in_progress;
    case ERR_VAL: return errc::invalid_argument;
    case ERR_WOULDBLOCK: return errc::would_block;
    case ERR_USE: return errc::address_in_use;
    case ERR_ALREADY: return errc::in_progress;  // "already connecting": a connect is in progress
    case ERR_ISCONN: return errc::already_connected;
    case ERR_CONN: return errc::not_connected;
    case ERR_IF: return errc::network_unreachable;
    case ERR_ABRT: return errc::connection_aborted;
    case ERR_RST: return errc::connection_reset;
    case ERR_CLSD: return errc::not_connected;
    case ERR_ARG: return errc::invalid_argument;
    default: return errc::system_error;
  }
}

}  // namespace emsock::lwip
