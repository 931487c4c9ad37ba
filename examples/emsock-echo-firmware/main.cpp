// emsock-echo-firmware: emsock's echo_session behind lwIP's raw API (NO_SYS=1) on the emulated LAN9118
// of QEMU's mps2-an385 / mps2-an386, serving TCP echo on port 1234 over IPv4 and IPv6 with a fixed pool
// of sessions and an idle timeout. Addresses come from DHCP (QEMU's user network hands out 10.0.2.15),
// AutoIP (169.254/16) when no DHCP server answers, and IPv6 link-local + SLAAC. Nothing is allocated
// from the heap after init: every newlib allocation is counted (emsock::mps2_heap_count) and the count
// since init is printed with the server's counters after every session.
//
// Output (semihosting), one line each:
//   emsock-echo-firmware: mac 52:54:00:12:34:56
//   emsock-echo-firmware: ipv4 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)
//   emsock-echo-firmware: ipv6 fe80::5054:ff:fe12:3456%en0
//   emsock-echo-firmware: echo on tcp port 1234, 4 sessions, idle timeout 10000 ms
//   emsock-echo-firmware: sessions accepted=1 finished=1 failed=0 refused=0 bytes=5 heap=0 rx=.. tx=.. drops=..
//                         stack=<bytes of the main stack used so far>
// It runs until the emulator stops it; it exits 1 (QEMU's status) if the network cannot be set up.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "emsock/lwip_raw/echo.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/mps2/heap_count.hpp"
#include "emsock/mps2/lan9118.hpp"

extern "C" {
#include "lwip/autoip.h"
#include "lwip/dhcp.h"
#include "lwip/init.h"
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
constexpr std::size_t session_bytes = 2048;
constexpr emsock::milliseconds idle_timeout{EMSOCK_ECHO_IDLE_TIMEOUT_MS};
const char* const tag = "emsock-echo-firmware";

emsock::mps2::lan9118 g_nic;
netif g_netif;
emsock::lwip_raw::echo_server<sessions, session_bytes> g_server(idle_timeout);

/// Prints each address once, when it becomes usable.
struct printed_addresses {
  std::uint32_t ipv4 = 0;
  bool ipv6[LWIP_IPV6_NUM_ADDRESSES] = {};
};
printed_addresses g_printed;

void print_ipv4(const netif& nif) {
  const std::uint32_t addr = ip4_addr_get_u32(netif_ip4_addr(&nif));
  if (addr == 0 || addr == g_printed.ipv4) return;
  g_printed.ipv4 = addr;
  char a[emsock::ipv4_address::max_text_len + 1] = {};
  char m[emsock::ipv4_address::max_text_len + 1] = {};
  char g[emsock::ipv4_address::max_text_len + 1] = {};
  static_cast<void>(emsock::ipv4_address::from_network_uint(addr).to_chars(a, a + sizeof a - 1));
  static_cast<void>(emsock::ipv4_address::from_network_uint(ip4_addr_get_u32(netif_ip4_netmask(&nif)))
                        .to_chars(m, m + sizeof m - 1));
  static_cast<void>(emsock::ipv4_address::from_network_uint(ip4_addr_get_u32(netif_ip4_gw(&nif)))
                        .to_chars(g, g + sizeof g - 1));
  const char* how = dhcp_supplied_address(&nif) ? "dhcp" : autoip_supplied_address(&nif) ? "autoip" : "static";
  std::printf("%s: ipv4 %s netmask %s gateway %s (%s)\n", tag, a, m, g, how);
}

void print_ipv6(const netif& nif) {
  for (std::size_t i = 0; i < LWIP_IPV6_NUM_ADDRESSES; ++i) {
    const bool valid = ip6_addr_isvalid(netif_ip6_addr_state(&nif, i)) != 0;
    if (!valid) {
      g_printed.ipv6[i] = false;  // printed again if it comes back
      continue;
    }
    if (g_printed.ipv6[i]) continue;
    g_printed.ipv6[i] = true;
    emsock::ipv6_address::bytes_type bytes{};
    const ip6_addr_t* a = netif_ip6_addr(&nif, i);
    for (std::size_t w = 0; w < 4; ++w) {
      const std::uint32_t word = lwip_ntohl(a->addr[w]);
      for (std::size_t b = 0; b < 4; ++b) bytes[4 * w + b] = static_cast<std::uint8_t>(word >> (24 - 8 * b));
    }
    const emsock::ipv6_address address(bytes);
    char text[emsock::ipv6_address::max_text_len + 1] = {};
    static_cast<void>(address.to_chars(text, text + sizeof text - 1));
    if (address.is_link_local()) {
      std::printf("%s: ipv6 %s%%%c%c%u\n", tag, text, nif.name[0], nif.name[1], static_cast<unsigned>(nif.num));
    } else {
      std::printf("%s: ipv6 %s\n", tag, text);
    }
  }
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

void print_sessions(std::uint32_t allocations) {
  const emsock::lwip_raw::server_stats& s = g_server.stats();
  const emsock::mps2::lan9118_stats& n = g_nic.stats();
  std::printf("%s: sessions accepted=%lu finished=%lu failed=%lu refused=%lu bytes=%lu heap=%lu "
              "rx=%lu tx=%lu drops=%lu stack=%lu\n",
              tag, static_cast<unsigned long>(s.accepted), static_cast<unsigned long>(s.finished),
              static_cast<unsigned long>(s.failed), static_cast<unsigned long>(s.refused),
              static_cast<unsigned long>(s.bytes), static_cast<unsigned long>(allocations),
              static_cast<unsigned long>(n.rx_frames), static_cast<unsigned long>(n.tx_frames),
              static_cast<unsigned long>(n.rx_dropped + n.tx_dropped), static_cast<unsigned long>(stack_used()));
}

}  // namespace

int main() {
  paint_stack();
  emsock::mps2::start_clock();
  std::uint8_t mac[6] = {};
  if (!g_nic.read_mac(mac)) {
    std::printf("%s: no LAN9118 answers at 0x%08lx\n", tag, static_cast<unsigned long>(emsock::mps2::lan9118_base));
    return 1;
  }
  emsock::mps2::seed_random(mac, sizeof mac);  // LWIP_RAND: this board's sequence
  std::printf("%s: mac %02x:%02x:%02x:%02x:%02x:%02x\n", tag, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);

  lwip_init();
  ip4_addr_t any;
  ip4_addr_set_zero(&any);
  if (netif_add(&g_netif, &any, &any, &any, &g_nic, &emsock::mps2::lan9118::netif_init, netif_input) == nullptr) {
    std::printf("%s: the LAN9118 did not come up\n", tag);
    return 1;
  }
  netif_set_default(&g_netif);
  netif_create_ip6_linklocal_address(&g_netif, 1);
  netif_set_ip6_autoconfig_enabled(&g_netif, 1);
  netif_set_up(&g_netif);
  if (dhcp_start(&g_netif) != ERR_OK) {  // falls back to AutoIP (LWIP_DHCP_AUTOIP_COOP)
    std::printf("%s: dhcp_start failed\n", tag);
    return 1;
  }
  if (!g_server.listen(echo_port).ok()) {
    std::printf("%s: listen on port %u failed\n", tag, static_cast<unsigned>(echo_port));
    return 1;
  }
  std::printf("%s: echo on tcp port %u, %u sessions, idle timeout %lu ms\n", tag, static_cast<unsigned>(echo_port),
              static_cast<unsigned>(sessions), static_cast<unsigned long>(idle_timeout.count()));
  const std::uint32_t allocations_at_init = emsock::mps2::heap_allocations();

  std::uint32_t ended = 0;  // sessions that ended, as last printed
  for (;;) {
    const std::size_t frames = g_nic.poll(g_netif);
    sys_check_timeouts();
    g_server.poll(emsock::lwip_raw::now_ms());
    print_ipv4(g_netif);
    print_ipv6(g_netif);
    const emsock::lwip_raw::server_stats& s = g_server.stats();
    const std::uint32_t now_ended = s.finished + s.failed + s.refused;
    if (now_ended != ended) {
      ended = now_ended;
      print_sessions(emsock::mps2::heap_allocations() - allocations_at_init);
    }
    // Nothing came in: sleep until the next SysTick (1 ms) instead of spinning the host's CPU.
    if (frames == 0) __asm__ volatile("wfi");
  }
}
