// SPDX-License-Identifier: MIT
// The lwIP raw-API glue's errors, as its callers see them (port/lwip-raw, NO_SYS=1, lwIP's loopback
// netif only: 127.0.0.1, no default netif). Each failure of lwIP's tcp_bind, tcp_connect and
// udp_bind comes back as lwip::errc_from_err says (docs/errors-by-backend.md), not as one fixed
// reason per call. Runs under qemu-system-arm like the core suite.
#include <cstdint>

#include "emsock/lwip_raw/echo.hpp"
#include "emsock/lwip_raw/udp_echo.hpp"
#include "emsock/mps2/board.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
}

// Last: CppUTest's leak detection redefines new, which the standard headers above must not see.
#include <CppUTest/TestHarness.h>

namespace {

void init_once() {
  static bool done = false;
  if (done) return;
  emsock::mps2::start_clock();
  lwip_init();  // the loopback netif 127.0.0.1 (LWIP_HAVE_LOOPIF), up; no default netif
  done = true;
}

const std::uint8_t message[] = {'p', 'i', 'n', 'g'};

}  // namespace

TEST_GROUP(lwip_raw_errors) {
  void setup() override { init_once(); }
};

// tcp_connect's ERR_RTE: no netif reaches 192.0.2.1 (TEST-NET-1) and there is no default netif.
TEST(lwip_raw_errors, connect_without_a_route_is_host_unreachable) {
  POINTERS_EQUAL(nullptr, netif_default);
  emsock::lwip_raw::echo_client client;
  ip_addr_t to;
  IP_ADDR4(&to, 192, 0, 2, 1);
  const emsock::status s = client.start(to, 7, emsock::const_byte_span{message, sizeof message}, 1000);
  STRCMP_EQUAL("host_unreachable", emsock::name(s.code()));
  // The session was told the same reason, and the client holds no pcb.
  CHECK(client.done());
  STRCMP_EQUAL("host_unreachable", emsock::name(client.session().error()));
}

// tcp_bind's ERR_USE.
TEST(lwip_raw_errors, listening_on_a_port_already_listened_on_is_address_in_use) {
  static emsock::lwip_raw::echo_server<1, 64> first;  // static: lwIP keeps its listener for good
  static emsock::lwip_raw::echo_server<1, 64> second;
  STRCMP_EQUAL("ok", emsock::name(first.listen(7001).code()));
  STRCMP_EQUAL("address_in_use", emsock::name(second.listen(7001).code()));
  STRCMP_EQUAL("ok", emsock::name(second.listen(7002).code()));  // refused without a trace: it can listen
}

// udp_bind's ERR_USE.
TEST(lwip_raw_errors, a_udp_port_already_bound_is_address_in_use) {
  emsock::lwip_raw::udp_echo_server<2, 128> first;
  emsock::lwip_raw::udp_echo_server<2, 128> second;
  STRCMP_EQUAL("ok", emsock::name(first.open(7003).code()));
  STRCMP_EQUAL("address_in_use", emsock::name(second.open(7003).code()));
  first.close();
  STRCMP_EQUAL("ok", emsock::name(second.open(7003).code()));
  second.close();
}
