// SPDX-License-Identifier: MIT
// emsock-echo-client --udp: datagrams to a UDP echo server, each echo verified byte by byte.
//
// The bookkeeping (sequence numbers, retries, what a reply is) is core's datagram echo client
// (sans-IO); this file moves datagrams between it and a connected, non-blocking udp_socket watched
// by a poll_set, and lets time pass. One datagram at a time (window 1), so the lines come out in
// order and the first datagram that is lost or comes back wrong ends the run.
#include "udp_client.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "emsock/datagram_echo.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/poll_set.hpp"
#include "emsock/port/udp.hpp"
#include "options.hpp"

namespace emsock_examples {
namespace {

/// Sends after the first before a datagram counts as lost.
constexpr std::uint8_t udp_retries = 3;

// Static storage: a datagram of any size, and the reply buffer one byte longer (a longer reply is
// seen as longer, never cut to the right size).
std::uint8_t reply[emsock::max_udp_payload_v6 + 1];

std::string reply_text(emsock::datagram_reply r) {
  switch (r) {
    case emsock::datagram_reply::wrong_size: return "echo of the wrong length";
    case emsock::datagram_reply::wrong_bytes: return "echo mismatch (other bytes)";
    case emsock::datagram_reply::unknown_sequence: return "a datagram that was never sent came back";
    default: return emsock::name(r);
  }
}

}  // namespace

int run_udp(const udp_request& request) {
  const emsock::endpoint& server = request.server;
  emsock::datagram_echo_client_config config;
  config.count = request.repeat;
  config.size = request.size;
  config.payload = request.payload;
  config.retries = udp_retries;
  // --timeout bounds each datagram, its retries included.
  const std::uint64_t per_attempt = std::max<std::uint64_t>(1, request.timeout_ms / (udp_retries + 1u));
  config.timeout = emsock::milliseconds{static_cast<emsock::milliseconds::rep>(per_attempt)};
  config.window = 1;
  const std::uint64_t start = emsock::monotonic_ms();
  emsock::datagram_echo_client<emsock::max_udp_payload_v6, 4> c(config, start);  // ~64 KiB of stack

  const auto fail = [&](const std::string& why) {
    std::fflush(stdout);
    std::fprintf(stderr, "emsock-echo-client: echo %llu/%llu: %s\n",
                 static_cast<unsigned long long>(c.pending_sequence() + 1),
                 static_cast<unsigned long long>(request.repeat), why.c_str());
  };

  const emsock::endpoint local{server.address.is_v4() ? emsock::ip_address{emsock::ipv4_address::any()}
                                                      : emsock::ip_address{emsock::ipv6_address::any()},
                               0};
  emsock::result<emsock::udp_socket> opened = emsock::udp_socket::open(local);
  emsock::udp_socket sock;
  emsock::status st = opened ? emsock::status{} : emsock::status{opened.code()};
  if (opened) {
    sock = std::move(opened).value();
    st = sock.connect(server);
    if (st) st = sock.set_non_blocking(true);
  }
  if (!st) {
    fail("cannot send to " + endpoint_text(server) + ": " + emsock::describe(st.code()));
    return exit_failure;
  }

  std::uint64_t verified = 0, bytes = 0;
  std::string failure;
  emsock::poll_set<1> polls;
  while (!c.done() && failure.empty()) {
    polls.clear();
    (void)polls.add(sock.native_handle(), true, c.interest().write);  // room for one
    const std::uint64_t now = emsock::monotonic_ms();
    const std::uint64_t at = c.poll_at();
    const std::uint64_t left = at <= now ? 0 : std::min<std::uint64_t>(at - now, 1000);
    const emsock::result<std::size_t> ready = polls.wait(emsock::milliseconds{static_cast<int>(left)});
    if (!ready && ready.code() != emsock::errc::interrupted) {
      (void)c.on_error(ready.code());
      break;
    }
    if (ready && *ready > 0) {
      const emsock::poll_events ev = polls.events(0);
      if (ev.readable || ev.error) {
        for (int i = 0; i < 16 && !c.done(); ++i) {
          const emsock::udp_recv_result r = sock.recv(reply, c.max_reply_size());
          if (r.code() == emsock::errc::would_block || r.code() == emsock::errc::interrupted) break;
          if (!r.received()) {  // connection_refused: ICMP port unreachable, no server there
            (void)c.on_error(r.code());
            break;
          }
          const std::uint32_t before = c.stats().echoed;
          const emsock::result<emsock::datagram_reply> kind = c.on_received({reply, r.size}, emsock::monotonic_ms());
          if (!kind) break;
          if (*kind == emsock::datagram_reply::wrong_size || *kind == emsock::datagram_reply::wrong_bytes ||
              *kind == emsock::datagram_reply::unknown_sequence) {
            failure = reply_text(*kind);
            break;
          }
          if (c.stats().echoed != before) {
            ++verified;
            bytes += r.size;
            if (request.random)
              std::printf("received %zu bytes, verified\n", r.size);
            else
              std::printf("received: %.*s\n", static_cast<int>(request.payload.size),
                          reinterpret_cast<const char*>(request.payload.data));
          }
        }
      }
      if (ev.writable && !c.done()) {
        const emsock::const_byte_span p = c.pending_send();
        if (!p.empty()) {
          const emsock::status s = sock.send(p.data, p.size);
          if (s) (void)c.on_sent(emsock::monotonic_ms());
          else if (s.code() != emsock::errc::would_block && s.code() != emsock::errc::interrupted) (void)c.on_error(s.code());
        }
      }
    }
    c.on_tick(emsock::monotonic_ms());
    if (c.stats().lost != 0)
      failure = "no echo within " + std::to_string(request.timeout_ms) + " ms (" + std::to_string(udp_retries + 1u) +
                " datagrams sent, all lost)";
  }
  if (failure.empty() && c.outcome() == emsock::datagram_echo_outcome::failed) {
    if (c.error() == emsock::errc::connection_refused)
      failure = "connection refused by " + endpoint_text(server) + " (ICMP port unreachable: no UDP echo server there)";
    else
      failure = std::string(emsock::describe(c.error())) + " (to " + endpoint_text(server) + ")";
  }
  if (!failure.empty()) fail(failure);
  std::printf("summary: %llu/%llu verified, %llu bytes echoed, %llu ms, %llu retries\n",
              static_cast<unsigned long long>(verified), static_cast<unsigned long long>(request.repeat),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(emsock::monotonic_ms() - start),
              static_cast<unsigned long long>(c.stats().retries));
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "emsock-echo-client: cannot write standard output\n");
    return exit_failure;
  }
  return failure.empty() && c.succeeded() ? exit_ok : exit_failure;
}

}  // namespace emsock_examples
