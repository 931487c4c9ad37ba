// SPDX-License-Identifier: MIT
// emsock-echo-firmware-engine: the echo firmware's TCP and UDP echo on port 1234 (LAN9118, DHCP, AutoIP,
// IPv6 SLAAC) served by port/common's engines (emsock::echo_server<>, emsock::udp_echo_server<>, the
// source emsock-echo-server runs on Linux) over the lwip-raw backend, instead of the raw echo glue: the
// step towards one engine per protocol (issue 18, item 3). Built to be measured beside the glue's image
// (footprint). Prints the glue image's lines (ctest echo-firmware-engine runs the same checks as
// echo-firmware): the sessions line counts idle time-outs, resets and other transport errors as failed
// (as the glue does), connections beyond the pool as refused.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "board_network.hpp"
#include "emsock/drivers/lan9118.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/udp_echo_server.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

namespace {

const char* const tag = "emsock-echo-firmware";
emsock::drivers::lan9118 g_nic{emsock::mps2::lan9118_base};
netif g_netif;
emsock_example::address_report g_addresses;
emsock::echo_server<4, 1024, 1> g_server;  // room for the UDP companion; TCP_WND bytes wait in the socket
emsock::udp_echo_server<4, 1472> g_udp;  // any datagram of the MTU: this lwIP reassembles none

/// The backend's hook: frames from the NIC, lwIP's timers, a sleep when idle.
void drive(void*, emsock::milliseconds may_sleep) {
  const std::size_t frames = g_nic.poll(g_netif);
  sys_check_timeouts();
  if (frames == 0 && may_sleep.count() > 0) emsock_example::idle(g_nic);
}

void print_sessions(std::uint32_t allocations) {
  const emsock::echo_server_stats& s = g_server.stats();
  const emsock::drivers::lan9118_stats& n = g_nic.stats();
  std::printf("%s: sessions accepted=%lu finished=%lu failed=%lu refused=%lu bytes=%lu heap=%lu rx=%lu tx=%lu "
              "drops=%lu\n",
              tag, static_cast<unsigned long>(s.accepted), static_cast<unsigned long>(s.finished),
              static_cast<unsigned long>(s.timed_out + s.reset + s.failed + s.setup_failed), static_cast<unsigned long>(s.rejected),
              static_cast<unsigned long>(s.bytes), static_cast<unsigned long>(allocations),
              static_cast<unsigned long>(n.rx_frames), static_cast<unsigned long>(n.tx_frames),
              static_cast<unsigned long>(n.rx_dropped + n.tx_dropped));
}

}  // namespace

int main() {
  emsock::mps2::start_clock();
  if (!emsock_example::start_network(tag, g_nic, g_netif)) return 1;
  emsock::lwip_raw::set_drive_hook(drive, nullptr);
  emsock::echo_server_options o;
  o.bind = {emsock::ipv6_address::any(), 1234};  // one listener for IPv4 and IPv6, as the glue serves both
  o.v6_only = false;
  o.idle_timeout = emsock::milliseconds{10000};
  emsock::udp_echo_server_options u;
  u.bind = {emsock::ipv6_address::any(), 1234};
  u.v6_only = false;
  emsock::status opened = g_server.open(o);
  if (opened) opened = g_udp.open(u);
  if (opened) opened = g_server.set_companion(g_udp.companion());
  if (!opened) {
    std::printf("%s: listen on port 1234 failed: error %d\n", tag, static_cast<int>(opened.code()));
    return 1;
  }
  std::printf("%s: echo on tcp and udp port 1234 (port/common's engines over lwip-raw)\n", tag);
  const std::uint32_t allocations_at_init = emsock::test::heap_allocations();
  std::uint64_t ended = 0;  // sessions that ended, as last printed
  for (;;) {
    (void)g_server.run_once(emsock::milliseconds{100});  // the stack runs through the hook meanwhile
    g_addresses.poll(tag, g_netif);
    const emsock::echo_server_stats& s = g_server.stats();
    const std::uint64_t now_ended = s.finished + s.timed_out + s.reset + s.failed + s.setup_failed + s.rejected;
    if (now_ended != ended) {
      ended = now_ended;
      print_sessions(emsock::test::heap_allocations() - allocations_at_init);
    }
  }
}
