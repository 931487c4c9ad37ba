// SPDX-License-Identifier: MIT
// The lwip-raw backend's environment for the port conformance suite, and the test runner: lwIP
// NO_SYS=1 over its loopback netif, single-threaded (threads_can_wait = false: the cases with a peer
// thread are skipped; their single-threaded forms run), time from sys_now(). Hosted (ctest
// port-lwip-raw), and as a bare-metal image on the board (EMSOCK_LWIP_RAW_ON_BOARD: ctest
// firmware-conformance-raw), where sys_now() and LWIP_RAND are the board's (port/boards/mps2).
#include <cstdint>
#include <cstdio>
#if !defined(EMSOCK_LWIP_RAW_ON_BOARD)
#include <chrono>
#include <thread>
#endif

extern "C" {
#include "lwip/opt.h"
}

#include "conformance.hpp"
#include "emsock/port/clock.hpp"
#include "lwip_raw_dns_responder.hpp"
#include "lwip_raw_loopback.hpp"
#include "skip.hpp"

#if defined(EMSOCK_LWIP_RAW_ON_BOARD)
#include "emsock/mps2/board.hpp"

namespace lwip_raw_test {
void idle(emsock::milliseconds) {
  emsock::mps2::sleep_unless([] { return false; });  // SysTick wakes it within 1 ms
}
}  // namespace lwip_raw_test
#else
// The platform's part, which a board supplies on bare metal: the clock and lwIP's random numbers.
extern "C" std::uint32_t sys_now(void) {
  static const auto start = std::chrono::steady_clock::now();
  return static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

extern "C" std::uint32_t emsock_board_rand(void) {
  static std::uint32_t x = 0x2545f491u;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

namespace lwip_raw_test {
void idle(emsock::milliseconds at_most) {
  std::this_thread::sleep_for(at_most < emsock::milliseconds{1} ? at_most : emsock::milliseconds{1});
}
}  // namespace lwip_raw_test
#endif

namespace {

char loopback_name[8] = {};

std::size_t open_sockets() { return emsock::lwip_raw::open_sockets(); }
std::int64_t stack_clock_ms() { return static_cast<std::int64_t>(emsock::monotonic_ms()); }

conformance::environment make_environment() {
  conformance::environment e;
  e.backend = emsock::port_name;
  e.has_ipv6 = LWIP_IPV6 != 0;
  e.why_no_ipv6 = "lwIP built without LWIP_IPV6";
  e.has_resolver = emsock::lwip_has_dns;
  e.open_handles = open_sockets;
  e.has_listen_backlog = TCP_LISTEN_BACKLOG != 0;
  e.numeric_hosts_without_resolver = true;
  e.has_services_database = false;  // lwIP: a service is a port number
  e.threads_can_wait = false;       // NO_SYS=1: one thread drives everything
  e.clock_ms = stack_clock_ms;      // the timeouts run on sys_now() (the board's SysTick on bare metal)
  e.max_loopback_datagram = emsock::lwip_raw::max_datagram;
  e.loopback_interface = loopback_name;
  e.why_no_ipv4_groups = "the lwip-raw backend offers no multicast groups: join_group is operation_not_supported";
  e.why_no_ipv6_groups = "the lwip-raw backend offers no multicast groups: join_group is operation_not_supported";
  e.has_ipv6_multicast_options = false;
  return e;
}

}  // namespace

namespace conformance {

const environment& env() {
  static const environment e = make_environment();
  return e;
}

}  // namespace conformance

int main(int argc, char** argv) {
#if defined(EMSOCK_LWIP_RAW_ON_BOARD)
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
#endif
  lwip_raw_test::start(loopback_name);
  if (!emsock::lwip_raw::set_host_name("emsock-lwip-raw")) return 1;  // no LWIP_NETIF_HOSTNAME here
  // Names (localhost included: lwIP has no hosts file) are answered by a DNS server of the test's own
  // on the loopback netif, through dns_gethostbyname.
  if (emsock::lwip_has_dns && !lwip_raw_test::start_dns_responder()) return 1;
  const conformance::environment& e = conformance::env();
  std::fprintf(stderr, "port conformance: backend %s (lwIP NO_SYS=1 in-process, loopback netif %s), %u sockets open\n",
               e.backend, loopback_name, static_cast<unsigned>(e.open_handles()));
  return emsock_test::run_all_tests(argc, argv);  // 0 / 1, after "N passed, N failed, N skipped"
}
