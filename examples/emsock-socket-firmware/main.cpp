// SPDX-License-Identifier: MIT
// emsock-socket-firmware: port/common's echo engines - echo_server<> and udp_echo_server<>, the very
// source emsock-echo-server runs on Linux - over lwIP's socket API (NO_SYS=0) on the emulated LAN9118
// of QEMU's mps2-an385 / mps2-an386, under the board's CMSIS-RTOS2 kernel: TCP and UDP echo on port
// 1234 over IPv4 and IPv6 (one dual-stack socket each on [::]), a fixed pool of sessions and an idle
// timeout. Addresses come from DHCP (QEMU's user network hands out 10.0.2.15; the board announces its
// host name, emsock-board), AutoIP (169.254/16) when no DHCP server answers, and IPv6 link-local +
// SLAAC. Threads: lwIP's tcpip thread, the LAN9118's driver thread (woken by the chip's interrupt),
// and the echo thread running the engines' loop. Nothing is allocated from the heap after init: every
// newlib allocation is counted (emsock_newlib_heap_count) and the count since init is printed with the
// server's counters after every session; lwIP's memory is its own static heap and pools.
//
// Output (semihosting), one line each, as emsock-echo-firmware's (scripts/firmware reads them):
//   emsock-socket-firmware: mac 52:54:00:12:34:56
//   emsock-socket-firmware: first random number 0x1b2c3d4e
//   emsock-socket-firmware: ipv4 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)
//   emsock-socket-firmware: ipv6 fe80::5054:ff:fe12:3456%en0
//   emsock-socket-firmware: echo on tcp port 1234, 4 sessions, idle timeout 10000 ms
//   emsock-socket-firmware: echo on udp port 1234, 4 datagrams of 3072 bytes queued
//   emsock-socket-firmware: sessions accepted=1 finished=1 failed=0 refused=0 bytes=5 heap=0 rx=.. tx=..
//                           drops=.. stack=<bytes of the echo thread's stack used so far>
// It runs until the emulator stops it; it exits 1 (QEMU's status) if the network or the echo sockets
// cannot be set up.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "board_network.hpp"
#include "cmsis_os2.h"
#include "emsock/drivers/lan9118.hpp"
#include "emsock/drivers/lan9118_tcpip.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/udp_echo_server.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/tcpip.h"
}

namespace {

constexpr std::uint16_t echo_port = 1234;
constexpr std::size_t sessions = 4;
constexpr std::size_t session_bytes = 2048;
constexpr std::size_t udp_datagrams = 4;
constexpr std::size_t udp_bytes = 3072;
constexpr emsock::milliseconds idle_timeout{10000};
constexpr std::size_t echo_stack_bytes = 2048;  // 1,132 bytes used after firmware-sockets' checks
constexpr std::uint32_t stack_paint = 0xA5A5A5A5u;
const char* const tag = "emsock-socket-firmware";

emsock::drivers::lan9118 g_chip{emsock::mps2::lan9118_base};
emsock::drivers::lan9118_tcpip g_driver{g_chip};
netif g_netif;
emsock_example::address_report g_addresses;
emsock::echo_server<sessions, session_bytes, 1> g_server;  // 1: room for the UDP engine beside it
emsock::udp_echo_server<udp_datagrams, udp_bytes> g_udp;

alignas(8) std::uint32_t g_echo_stack[echo_stack_bytes / 4];

/// The most of the echo thread's stack used so far, in bytes (the deepest word no longer painted).
std::size_t stack_used() {
  std::size_t i = 8;  // the kernel's guard: the lowest 32 bytes
  while (i < echo_stack_bytes / 4 && g_echo_stack[i] == stack_paint) ++i;
  return echo_stack_bytes - 4 * i;
}

void print_sessions(std::uint32_t allocations) {
  const emsock::echo_server_stats& s = g_server.stats();
  const emsock::drivers::lan9118_stats& n = g_chip.stats();
  std::printf("%s: sessions accepted=%lu finished=%lu failed=%lu refused=%lu bytes=%lu heap=%lu "
              "rx=%lu tx=%lu drops=%lu stack=%lu\n",
              tag, static_cast<unsigned long>(s.accepted), static_cast<unsigned long>(s.finished),
              static_cast<unsigned long>(s.timed_out + s.reset + s.failed + s.setup_failed),
              static_cast<unsigned long>(s.rejected), static_cast<unsigned long>(s.bytes),
              static_cast<unsigned long>(allocations), static_cast<unsigned long>(n.rx_frames),
              static_cast<unsigned long>(n.tx_frames), static_cast<unsigned long>(n.rx_dropped + n.tx_dropped),
              static_cast<unsigned long>(stack_used()));
}

void echo_thread(void*) {
  if (!emsock_example::start_network(tag, g_chip, g_driver, g_netif, "emsock-board", 1024, osPriorityRealtime)) {
    std::exit(1);
  }
  emsock::echo_server_options o;
  o.bind = {emsock::ipv6_address::any(), echo_port};
  o.v6_only = false;  // IPv4 peers too, as ::ffff:a.b.c.d
  o.backlog = static_cast<int>(sessions);  // a burst of clients all wait for accept (fewer: SYNs dropped, 3 s stalls)
  o.idle_timeout = idle_timeout;
  if (const emsock::status s = g_server.open(o); !s) {
    std::printf("%s: listen on port %u failed: %s\n", tag, static_cast<unsigned>(echo_port), emsock::describe(s.code()));
    std::exit(1);
  }
  std::printf("%s: echo on tcp port %u, %u sessions, idle timeout %lu ms\n", tag, static_cast<unsigned>(echo_port),
              static_cast<unsigned>(sessions), static_cast<unsigned long>(idle_timeout.count()));
  emsock::udp_echo_server_options uo;
  uo.bind = o.bind;
  uo.v6_only = false;
  if (const emsock::status s = g_udp.open(uo); !s) {
    std::printf("%s: udp bind on port %u failed: %s\n", tag, static_cast<unsigned>(echo_port), emsock::describe(s.code()));
    std::exit(1);
  }
  if (const emsock::status s = g_server.set_companion(g_udp.companion()); !s) {
    std::printf("%s: udp beside tcp: %s\n", tag, emsock::describe(s.code()));
    std::exit(1);
  }
  std::printf("%s: echo on udp port %u, %u datagrams of %u bytes queued\n", tag, static_cast<unsigned>(echo_port),
              static_cast<unsigned>(udp_datagrams), static_cast<unsigned>(udp_bytes));
  const std::uint32_t allocations_at_init = emsock::test::heap_allocations();

  std::uint64_t ended = 0;  // sessions that ended, as last printed
  for (;;) {
    // Waits in lwip_poll at most 100 ms: the addresses are looked at that often.
    const emsock::status s = g_server.run_once(emsock::milliseconds{100});
    if (!s && s.code() != emsock::errc::interrupted) {
      std::printf("%s: the echo loop failed: %s\n", tag, emsock::describe(s.code()));
      std::exit(1);
    }
    LOCK_TCPIP_CORE();
    g_addresses.poll(tag, g_netif);
    UNLOCK_TCPIP_CORE();
    const emsock::echo_server_stats& st = g_server.stats();
    const std::uint64_t now_ended = st.finished + st.timed_out + st.reset + st.failed + st.setup_failed + st.rejected;
    if (now_ended != ended) {
      ended = now_ended;
      print_sessions(emsock::test::heap_allocations() - allocations_at_init);
    }
  }
}

}  // namespace

int main() {
  for (std::uint32_t& w : g_echo_stack) w = stack_paint;
  if (osKernelInitialize() != osOK) return 1;
  osThreadAttr_t a{};
  a.name = "echo";
  a.stack_mem = g_echo_stack;
  a.stack_size = sizeof g_echo_stack;
  a.priority = osPriorityNormal;
  if (osThreadNew(echo_thread, nullptr, &a) == nullptr) return 1;
  osKernelStart();  // does not return
  return 1;
}
