// SPDX-License-Identifier: MIT
// Helpers of the conformance suite (backend-neutral).
#include <chrono>
#include <cstdio>
#include <cstring>

#include "conformance.hpp"
#include "peer_thread.hpp"

using namespace std::chrono_literals;

namespace conformance {

void note_skip(const char* /*what: CppUTest knows the test*/, const char* why) { EMSOCK_SKIP(why); }

emsock::endpoint loopback_v4(std::uint16_t port) { return {emsock::ipv4_address::loopback(), port}; }
emsock::endpoint loopback_v6(std::uint16_t port) { return {emsock::ipv6_address::loopback(), port}; }

emsock::udp_socket open_udp(const emsock::endpoint& where, const emsock::udp_options& options) {
  auto s = emsock::udp_socket::open(where, options);
  CHECK_OK(s);
  emsock::udp_socket u = std::move(s).value();
  CHECK_OK(u.set_receive_timeout(2000ms));
  return u;
}

emsock::endpoint bound(const emsock::udp_socket& s) {
  const auto e = s.local_endpoint();
  CHECK_OK(e);
  return e.value();
}

connection connect_pair(const emsock::endpoint& where) {
  connection c;
  auto l = emsock::tcp_listener::listen(where);
  CHECK_OK(l);
  c.listener = std::move(l).value();
  const auto bound = c.listener.local_endpoint();
  CHECK_OK(bound);
  auto s = emsock::tcp_stream::connect(bound.value(), 2000ms);
  CHECK_OK(s);
  c.client = std::move(s).value();
  auto a = c.listener.accept();
  CHECK_OK(a);
  c.server = std::move(a->stream);
  c.peer_seen_by_listener = a->peer;
  return c;
}

std::size_t recv_exactly(emsock::tcp_stream& s, void* data, std::size_t size, int max_rounds) {
  auto* bytes = static_cast<unsigned char*>(data);
  std::size_t got = 0;
  for (int round = 0; round < max_rounds && got < size; ++round) {
    const auto n = s.recv(bytes + got, size - got);
    if (!n || n.value() == 0) break;
    got += n.value();
  }
  return got;
}

void require_ipv6() {
  if (!env().has_ipv6) EMSOCK_SKIP(env().why_no_ipv6);
}

bool skip_without_threads(const char* /*what: CppUTest knows the test*/) {
  if (env().threads_can_wait) return false;
  static char why[96];
  std::snprintf(why, sizeof why, "needs a peer in another thread; the %s backend is single-threaded", env().backend);
  EMSOCK_SKIP(why);
  return true;  // not reached: EMSOCK_SKIP leaves the test
}

std::int64_t now_ms() {
  if (env().clock_ms != nullptr) return env().clock_ms();
  return steady_ms();
}

}  // namespace conformance
