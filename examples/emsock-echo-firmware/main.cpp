// SPDX-License-Identifier: MIT
// emsock-echo-firmware: TCP echo on port 1234 over IPv4 and IPv6 on the emulated LAN9118 of QEMU's
// mps2-an385 / mps2-an386, served by port/common's engine (emsock::echo_server<>, the source
// emsock-echo-server runs on Linux) over the lwip-raw backend (emsock's socket interface on lwIP's raw
// API, NO_SYS=1, a main loop): one [::] listener for both families, a fixed pool of sessions and an idle
// timeout. Addresses come from DHCP (QEMU's user network hands out 10.0.2.15), AutoIP (169.254/16) when
// no DHCP server answers, and IPv6 link-local + SLAAC. Nothing is allocated from the heap after init:
// every newlib allocation is counted (emsock_newlib_heap_count) and the count since init is printed with
// the server's counters after every session.
//
// Output (semihosting), one line each:
//   emsock-echo-firmware: mac 52:54:00:12:34:56
//   emsock-echo-firmware: first random number 0x1b2c3d4e   (this board's first LWIP_RAND)
//   emsock-echo-firmware: ipv4 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)
//   emsock-echo-firmware: ipv6 fe80::5054:ff:fe12:3456%en0
//   emsock-echo-firmware: echo on tcp port 1234, 4 sessions, idle timeout 10000 ms
//   emsock-echo-firmware: echo on udp port 1234, 4 datagrams of 1472 bytes queued   (EMSOCK_ECHO_UDP only)
//   emsock-echo-firmware: sessions accepted=1 finished=1 failed=0 refused=0 bytes=5 heap=0 rx=.. tx=.. drops=..
//                         stack=<bytes of the main stack used so far>
// Built with EMSOCK_ECHO_UDP=1 (target emsock-echo-firmware-udp, CMake option EMSOCK_FIRMWARE_UDP) it
// also echoes UDP datagrams on the same port (port/common's emsock::udp_echo_server<>), IPv4 and IPv6.
// The sessions line counts idle time-outs, resets and other transport errors as failed, a connection
// beyond the pool as refused. It runs until the emulator stops it; it exits 1 (QEMU's status) if the
// network cannot be set up.

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "board_network.hpp"
#include "emsock/drivers/lan9118.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/echo_server.hpp"
#include "newlib_heap_count.hpp"
#ifndef EMSOCK_ECHO_UDP
#define EMSOCK_ECHO_UDP 0  // 1: UDP echo on the same port too (target emsock-echo-firmware-udp)
#endif
#if EMSOCK_ECHO_UDP
#include "emsock/port/udp_echo_server.hpp"
#endif

extern "C" {
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

#ifndef EMSOCK_ECHO_PORT
#define EMSOCK_ECHO_PORT 1234
#endif
#ifndef EMSOCK_ECHO_IDLE_TIMEOUT_MS
#define EMSOCK_ECHO_IDLE_TIMEOUT_MS 10000
#endif

extern "C" std::uint32_t __stack_top[];  // mps2.ld: the initial main stack pointer

namespace {

constexpr std::uint16_t echo_port = EMSOCK_ECHO_PORT;
constexpr std::size_t stack_watched = 16 * 1024;  // mps2.ld's __stack_size
constexpr std::uint32_t stack_paint = 0xA5A5A5A5u;
constexpr std::size_t sessions = 4;
// One echo step per session: the TCP_WND bytes a client may have in flight wait in the socket's own
// buffer (EMSOCK_LWIP_RAW_RX_BUFFER), so the session's buffer need not hold a window.
constexpr std::size_t session_bytes = 1024;
constexpr emsock::milliseconds idle_timeout{EMSOCK_ECHO_IDLE_TIMEOUT_MS};
const char* const tag = "emsock-echo-firmware";

emsock::drivers::lan9118 g_nic{emsock::mps2::lan9118_base};
netif g_netif;
emsock_example::address_report g_addresses;
emsock::echo_server<sessions, session_bytes, EMSOCK_ECHO_UDP> g_server;  // + room for the UDP companion
#if EMSOCK_ECHO_UDP
constexpr std::size_t udp_datagrams = 4;
constexpr std::size_t udp_bytes = 1472;  // any datagram of the Ethernet MTU: this lwIP reassembles none
emsock::udp_echo_server<udp_datagrams, udp_bytes> g_udp_server;
#endif

/// The backend's hook: frames from the NIC, lwIP's timers, and a sleep until a frame or the next 1 ms
/// tick when the wait allows one, instead of spinning the host's CPU.
void drive(void*, emsock::milliseconds may_sleep) {
  const std::size_t frames = g_nic.poll(g_netif);
  sys_check_timeouts();
  if (frames == 0 && may_sleep.count() > 0) emsock_example::idle(g_nic);
}

/// Paints the unused part of the watched stack region, so stack_used() can find the deepest use.
void paint_stack() {
  const std::uintptr_t bottom = reinterpret_cast<std::uintptr_t>(__stack_top) - stack_watched;
  const std::uintptr_t below_here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) - 64u;
  for (std::uintptr_t a = bottom; a < below_here; a += 4) *reinterpret_cast<volatile std::uint32_t*>(a) = stack_paint;
}

/// The most of the main stack used so far, in bytes (the deepest word no longer painted).
std::size_t stack_used() {
  const std::uintptr_t top = reinterpret_cast<std::uintptr_t>(__stack_top);
  std::uintptr_t a = top - stack_watched;
  while (a < top && *reinterpret_cast<volatile std::uint32_t*>(a) == stack_paint) a += 4;
  return top - a;
}

std::uint64_t failed(const emsock::echo_server_stats& s) { return s.timed_out + s.reset + s.failed + s.setup_failed; }

void print_sessions(std::uint32_t allocations) {
  const emsock::echo_server_stats& s = g_server.stats();
  const emsock::drivers::lan9118_stats& n = g_nic.stats();
  std::printf("%s: sessions accepted=%lu finished=%lu failed=%lu refused=%lu bytes=%lu heap=%lu "
              "rx=%lu tx=%lu drops=%lu stack=%lu\n",
              tag, static_cast<unsigned long>(s.accepted), static_cast<unsigned long>(s.finished),
              static_cast<unsigned long>(failed(s)), static_cast<unsigned long>(s.rejected),
              static_cast<unsigned long>(s.bytes), static_cast<unsigned long>(allocations),
              static_cast<unsigned long>(n.rx_frames), static_cast<unsigned long>(n.tx_frames),
              static_cast<unsigned long>(n.rx_dropped + n.tx_dropped), static_cast<unsigned long>(stack_used()));
}

}  // namespace

int main() {
  paint_stack();
  emsock::mps2::start_clock();
  if (!emsock_example::start_network(tag, g_nic, g_netif)) return 1;
  emsock::lwip_raw::set_drive_hook(drive, nullptr);
  emsock::echo_server_options o;
  o.bind = {emsock::ipv6_address::any(), echo_port};  // one listener for IPv4 and IPv6
  o.v6_only = false;
  o.idle_timeout = idle_timeout;
  if (!g_server.open(o)) {
    std::printf("%s: listen on port %u failed\n", tag, static_cast<unsigned>(echo_port));
    return 1;
  }
  std::printf("%s: echo on tcp port %u, %u sessions, idle timeout %lu ms\n", tag, static_cast<unsigned>(echo_port),
              static_cast<unsigned>(sessions), static_cast<unsigned long>(idle_timeout.count()));
#if EMSOCK_ECHO_UDP
  emsock::udp_echo_server_options u;
  u.bind = {emsock::ipv6_address::any(), echo_port};
  u.v6_only = false;
  if (!g_udp_server.open(u) || !g_server.set_companion(g_udp_server.companion())) {
    std::printf("%s: udp bind on port %u failed\n", tag, static_cast<unsigned>(echo_port));
    return 1;
  }
  std::printf("%s: echo on udp port %u, %u datagrams of %u bytes queued\n", tag, static_cast<unsigned>(echo_port),
              static_cast<unsigned>(udp_datagrams), static_cast<unsigned>(udp_bytes));
#endif
  const std::uint32_t allocations_at_init = emsock::test::heap_allocations();

  std::uint64_t ended = 0;  // sessions that ended, as last printed
  for (;;) {
    (void)g_server.run_once(emsock::milliseconds{100});  // the stack runs through the hook meanwhile
    g_addresses.poll(tag, g_netif);
    const emsock::echo_server_stats& s = g_server.stats();
    const std::uint64_t now_ended = s.finished + failed(s) + s.rejected;
    if (now_ended != ended) {
      ended = now_ended;
      print_sessions(emsock::test::heap_allocations() - allocations_at_init);
    }
  }
}
