// SPDX-License-Identifier: MIT
// emsock/port/run_until_signal.hpp - HOST ONLY: run an echo engine until a signal handler sets a
// flag (SIGINT/SIGTERM in the tools of examples/). It brings <csignal> and std::sig_atomic_t, which
// a firmware has no use for: the engine headers (echo_server.hpp, udp_echo_server.hpp) do not
// include it, and a firmware calls run_once() from its own loop instead.
#pragma once

#include <csignal>

#include "emsock/duration.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/udp_echo_server.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// The longest single wait of run_until_signal(): the stop flag is looked at least this often.
inline constexpr milliseconds signal_poll_interval{250};

namespace detail {

/// run_once() of `server` until `stop` is non-zero or live() is false; interrupted goes on, any
/// other error ends the loop. Then server.close(); returns the error that ended it, if any.
template <class Server, class Live>
status run_until_signal(Server& server, const volatile std::sig_atomic_t& stop, Live live) noexcept {
  status result;
  while (stop == 0 && live()) {
    const status s = server.run_once(signal_poll_interval);
    if (!s && s.code() != errc::interrupted) {
      result = s;
      break;
    }
  }
  (server.close)();
  return result;
}

}  // namespace detail

/// Calls server.run_once() until `stop` becomes non-zero (a signal handler sets it; the wait is cut
/// short by the signal or ends within signal_poll_interval), then closes every connection and the
/// listener (server.close()). Errors: those of run_once() other than interrupted (the first one
/// ends the loop; the server is closed all the same).
inline status run_until_signal(echo_server_base& server, const volatile std::sig_atomic_t& stop) noexcept {
  return detail::run_until_signal(server, stop, [] { return true; });
}

/// The same for a UDP echo server on its own: run_once() until `stop` becomes non-zero or the
/// server is no longer open (a fatal receive error closed it), then server.close().
inline status run_until_signal(udp_echo_server_base& server, const volatile std::sig_atomic_t& stop) noexcept {
  return detail::run_until_signal(server, stop, [&server] { return server.is_open(); });
}

}  // namespace emsock
