// SPDX-License-Identifier: MIT
// examples/firmware-common/board_network.cpp - see board_network.hpp.
#include "board_network.hpp"

#include <cstdio>
#include <string_view>

#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "emsock/mps2/board.hpp"

extern "C" {
#include "lwip/autoip.h"
#include "lwip/dhcp.h"
#include "lwip/init.h"
}

#if NO_SYS  // the main-loop images; NO_SYS=0 ones start the network with board_network_tcpip.cpp
namespace {
emsock::drivers::lan9118* g_irq_nic = nullptr;  // the driver whose chip raises IRQ 13
}  // namespace

// The board's vector for the LAN9118's line (startup.c, weak): acknowledge and return; the main loop,
// woken from wfi, reads the frames.
extern "C" void ETHERNET_IRQHandler(void) {
  if (g_irq_nic != nullptr) g_irq_nic->on_interrupt();
}
#endif

namespace emsock_example {

#if NO_SYS
void idle(emsock::drivers::lan9118& nic) noexcept {
  emsock::mps2::sleep_unless([&nic] { return nic.frames_waiting(); });
}

bool start_network(const char* tag, emsock::drivers::lan9118& nic, netif& nif) noexcept {
  std::uint8_t mac[6] = {};
  if (!nic.read_mac(mac)) {
    std::printf("%s: no LAN9118 answers at 0x%08lx\n", tag, static_cast<unsigned long>(emsock::mps2::lan9118_base));
    return false;
  }
  emsock::mps2::seed_random(mac, sizeof mac);  // LWIP_RAND: this board's sequence
  std::printf("%s: mac %02x:%02x:%02x:%02x:%02x:%02x\n", tag, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  std::printf("%s: first random number 0x%08lx\n", tag, static_cast<unsigned long>(emsock::mps2::random32()));

  lwip_init();
  ip4_addr_t any;
  ip4_addr_set_zero(&any);
  if (netif_add(&nif, &any, &any, &any, &nic, &emsock::drivers::lan9118::netif_init, netif_input) == nullptr) {
    std::printf("%s: the LAN9118 did not come up\n", tag);
    return false;
  }
  netif_set_default(&nif);
  // A received frame wakes the main loop at once (IRQ 13), instead of at the next 1 ms tick.
  g_irq_nic = &nic;
  nic.enable_receive_interrupt();
  emsock::mps2::set_irq_enabled(emsock::mps2::lan9118_irq, true);
  netif_create_ip6_linklocal_address(&nif, 1);
  netif_set_ip6_autoconfig_enabled(&nif, 1);
  netif_set_up(&nif);
  if (dhcp_start(&nif) != ERR_OK) {  // falls back to AutoIP (LWIP_DHCP_AUTOIP_COOP)
    std::printf("%s: dhcp_start failed\n", tag);
    return false;
  }
  return true;
}
#endif  // NO_SYS

void address_report::poll(const char* tag, const netif& nif) noexcept {
  const std::uint32_t addr = ip4_addr_get_u32(netif_ip4_addr(&nif));
  if (addr != 0 && addr != ipv4_) {
    ipv4_ = addr;
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
  for (std::size_t i = 0; i < LWIP_IPV6_NUM_ADDRESSES; ++i) {
    if (ip6_addr_isvalid(netif_ip6_addr_state(&nif, i)) == 0) {
      ipv6_[i] = false;  // printed again if it comes back
      continue;
    }
    if (ipv6_[i]) continue;
    ipv6_[i] = true;
    const emsock::ipv6_address address = to_emsock(*netif_ip6_addr(&nif, i));
    char text[emsock::ipv6_address::max_text_len + 1] = {};
    static_cast<void>(address.to_chars(text, text + sizeof text - 1));
    if (address.is_link_local()) {
      std::printf("%s: ipv6 %s%%%c%c%u\n", tag, text, nif.name[0], nif.name[1], static_cast<unsigned>(nif.num));
    } else {
      std::printf("%s: ipv6 %s\n", tag, text);
    }
  }
}

emsock::ipv6_address to_emsock(const ip6_addr_t& a) noexcept {
  emsock::ipv6_address::bytes_type bytes{};
  for (std::size_t w = 0; w < 4; ++w) {
    const std::uint32_t word = lwip_ntohl(a.addr[w]);
    for (std::size_t b = 0; b < 4; ++b) bytes[4 * w + b] = static_cast<std::uint8_t>(word >> (24 - 8 * b));
  }
  return emsock::ipv6_address(bytes);
}

bool to_lwip(const emsock::ip_address& a, ip_addr_t& out) noexcept {
  if (a.is_v4()) {
    ip_addr_set_ip4_u32(&out, a.v4().to_network_uint());
    return true;
  }
  const emsock::ipv6_address::bytes_type& b = a.v6().bytes();
  std::uint32_t words[4] = {};
  for (std::size_t w = 0; w < 4; ++w) {
    for (std::size_t i = 0; i < 4; ++i) words[w] = (words[w] << 8) | b[4 * w + i];
  }
  IP_ADDR6(&out, lwip_htonl(words[0]), lwip_htonl(words[1]), lwip_htonl(words[2]), lwip_htonl(words[3]));
  const std::string_view zone = a.zone();
  if (zone.empty()) return !a.v6().is_link_local();
  char name[emsock::zone_id::max_len + 1] = {};
  for (std::size_t i = 0; i < zone.size(); ++i) name[i] = zone[i];
  netif* nif = netif_find(name);
  if (nif == nullptr) return false;
  ip6_addr_assign_zone(ip_2_ip6(&out), IP6_UNICAST, nif);
  return true;
}

}  // namespace emsock_example
