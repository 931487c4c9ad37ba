// SPDX-License-Identifier: MIT
// The lwIP backend's environment for the port conformance suite, and the test runner: lwIP runs in
// this process over a loopback netif (port/lwip/host/loopback_stack.hpp).
#include <cstdio>
#include <cstring>

extern "C" {
#include "lwip/opt.h"
}

#include "conformance.hpp"
#include "loopback_stack.hpp"
#include "skip.hpp"
#if LWIP_DNS
#include "lwip_dns_responder.hpp"
#endif

namespace {

std::size_t open_lwip_sockets() { return emsock::lwip::open_socket_count(); }

bool ipv6 = false;
char loopback_name[8] = {};  // the loopback netif's name ("lo0"), from the stack

conformance::environment make_environment() {
  conformance::environment e;
  e.backend = emsock::port_name;
  e.has_ipv6 = ipv6;
  e.why_no_ipv6 = "the lwIP stack has no ::1 (built without LWIP_IPV6)";
  e.has_resolver = emsock::lwip_has_dns;
  e.open_handles = open_lwip_sockets;
  e.has_listen_backlog = TCP_LISTEN_BACKLOG != 0;  // Debian's lwIP: 0, every handshake is queued
  e.numeric_hosts_without_resolver = true;        // numeric hosts never need lwIP's DNS
  e.has_services_database = false;                // lwIP: a service is a port number
  e.loopback_interface = loopback_name;
#if !LWIP_IGMP
  e.why_no_ipv4_groups = "lwIP built without LWIP_IGMP: join_group of an IPv4 group is operation_not_supported";
#endif
#if !LWIP_IPV6_MLD
  e.why_no_ipv6_groups = "lwIP built without LWIP_IPV6_MLD: join_group of an IPv6 group is operation_not_supported";
#endif
  e.has_ipv6_multicast_options = false;  // lwIP 2.1's sockets have no IPV6_MULTICAST_IF / _HOPS
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
  const auto stack = emsock::lwip::start_loopback_stack();
  if (!stack) {
    std::fprintf(stderr, "lwIP did not start: %s\n", emsock::describe(stack.code()));
    return 1;
  }
  ipv6 = stack->ipv6;
  std::memcpy(loopback_name, stack->name, sizeof loopback_name);
#if !LWIP_NETIF_HOSTNAME
  // Debian's lwIP has no LWIP_NETIF_HOSTNAME: host_name() answers the configured name.
  if (!emsock::lwip::set_host_name("emsock-lwip")) return 1;
#endif
#if LWIP_DNS
  // Names (localhost included: lwIP has no hosts file) are answered by a DNS server of our own on
  // the loopback netif, through lwip_getaddrinfo.
  if (const emsock::status dns = lwip_test::start_dns_responder(); !dns) {
    std::fprintf(stderr, "the DNS responder did not start: %s\n", emsock::describe(dns.code()));
    return 1;
  }
#endif
  const conformance::environment& e = conformance::env();
  std::fprintf(stderr, "port conformance: backend %s (lwIP in-process, loopback netif), IPv6 loopback %s, resolver %s, %lu sockets open\n",
               e.backend, e.has_ipv6 ? "yes" : "NO (IPv6 cases skipped)",
               e.has_resolver ? "yes (LWIP_DNS)" : "no (no LWIP_DNS: numeric hosts only)",
               static_cast<unsigned long>(e.open_handles()));  // %lu: newlib-nano's printf has no %zu (the board's image)
  const int outcome = emsock_test::run_all_tests(argc, argv);  // 0 / 1, after "N passed, N failed, N skipped"
#if LWIP_DNS
  lwip_test::stop_dns_responder();
#endif
  emsock::lwip::stop_loopback_stack();
  return outcome;
}
