// SPDX-License-Identifier: MIT
// Tests of the firmware configuration only (lwIP from source with port/lwip-config/socket): names through
// lwip_getaddrinfo answered by the DNS responder on the loopback, and TCP pool exhaustion.
#include <vector>

extern "C" {
#include "lwip/opt.h"
}

#include "conformance.hpp"
#include "emsock/port/echo_server.hpp"
#include "lwip_dns_responder.hpp"

using emsock::errc;
using namespace std::chrono_literals;

TEST_GROUP_BASE(lwip_firmware_names, conformance::handle_leak_check){};

TEST(lwip_firmware_names, a_name_resolves_through_lwip_getaddrinfo_and_the_loopback_dns_responder) {
  const unsigned before = lwip_test::dns_questions_answered();
  emsock::resolve_hints h;
  h.family = emsock::resolve_family::inet;
  h.type = emsock::socket_type::stream;
  emsock::resolved out[4];
  char buffer[emsock::max_canonical_name_len];
  emsock::canonical_name name(buffer);
  const auto r = emsock::resolve(lwip_test::test_name, "8080", h, out, &name);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r->stored);
  CHECK(out[0].where == emsock::endpoint({emsock::ipv4_address(192, 0, 2, 44), 8080}));
  STRCMP_EQUAL(lwip_test::test_name, std::string(name.view()).c_str());
  h.family = emsock::resolve_family::inet6;
  const auto v6 = emsock::resolve(lwip_test::test_name, "80", h, out);
  CHECK_OK(v6);
  CHECK(out[0].where.address.is_v6());
  CHECK(lwip_test::dns_questions_answered() > before);  // the answers came from the responder
  const auto ip = emsock::resolve_ipv4(lwip_test::test_name);
  CHECK_OK(ip);
  CHECK(ip.value() == emsock::ipv4_address(192, 0, 2, 44));
}

TEST(lwip_firmware_names, an_unknown_name_is_name_resolution_failed) {
  // lwip_getaddrinfo answers every failed lookup, NXDOMAIN included, with EAI_FAIL: lwIP cannot
  // tell "no such name" from "the server failed", so neither can emsock on lwIP.
  emsock::resolved out[2];
  CHECK_ERRC(errc::name_resolution_failed, emsock::resolve("no-such-host.lan", "80", {}, out));
}

TEST(lwip_firmware_names, host_name_comes_from_the_default_netif) {
  CHECK_OK(emsock::lwip::set_host_name(""));  // no configured name: the netif's
  char name[64];
  const auto n = emsock::host_name(name);
  CHECK_OK(n);
  STRCMP_EQUAL("emsock-lwip", name);
}

TEST_GROUP_BASE(lwip_firmware_pools, conformance::handle_leak_check){};

TEST(lwip_firmware_pools, more_connections_than_tcp_pcbs_is_a_clear_error_and_the_server_keeps_serving) {
  // Each loopback connection takes two PCBs of MEMP_NUM_TCP_PCB (client and server side). Open
  // connections until lwIP runs out; the failure must be out_of_memory (the PCB pool) or, when the
  // last client PCB was taken but none was left for the server's side, a connect timeout.
  static emsock::echo_server<MEMP_NUM_TCP_PCB, 256> server;
  emsock::echo_server_options o;
  o.bind = conformance::loopback_v4(0);
  o.backlog = 8;
  CHECK_OK(server.open(o));
  std::vector<emsock::tcp_stream> clients;
  errc failure = errc::ok;
  for (int k = 0; k < MEMP_NUM_TCP_PCB + 4 && failure == errc::ok; ++k) {
    auto c = emsock::tcp_stream::connect(server.local_endpoint(), 300ms);
    for (int round = 0; round < 20; ++round) (void)server.run_once(1ms);  // accept it
    if (!c) {
      failure = c.code();
      break;
    }
    clients.push_back(std::move(c).value());
  }
  CHECK_TEXT(failure == errc::out_of_memory || failure == errc::timed_out, emsock::name(failure));
  CHECK(clients.size() <= MEMP_NUM_TCP_PCB / 2);
  CHECK(clients.size() >= MEMP_NUM_TCP_PCB / 2 - 4);  // the listener, the DNS responder's UDP are apart
  // The server still serves those it has, and new clients once PCBs are free again.
  std::uint8_t b = 9, back = 0;
  CHECK_OK(clients.front().send_all(&b, 1));
  for (int round = 0; round < 200 && back == 0; ++round) {
    (void)server.run_once(5ms);
    CHECK_OK(clients.front().set_non_blocking(true));
    (void)clients.front().recv(&back, 1).value_or(0);
  }
  UNSIGNED_LONGS_EQUAL(9, back);
  clients.clear();
  for (int round = 0; round < 100 && server.active() != 0; ++round) (void)server.run_once(5ms);
  auto again = emsock::tcp_stream::connect(server.local_endpoint(), 2000ms);
  CHECK_OK(again);
  CHECK_OK(again->set_non_blocking(true));
  back = 0;
  b = 7;
  CHECK_OK(again->send_all(&b, 1));
  for (int round = 0; round < 200 && back == 0; ++round) {
    (void)server.run_once(5ms);
    (void)again->recv(&back, 1).value_or(0);
  }
  UNSIGNED_LONGS_EQUAL(7, back);
  (void)again->close();
  for (int round = 0; round < 100 && server.active() != 0; ++round) (void)server.run_once(5ms);
  server.close();
}
