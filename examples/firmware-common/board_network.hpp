// SPDX-License-Identifier: MIT
// examples/firmware-common/board_network.hpp - what emsock's network firmware images share: lwIP
// brought up on the MPS2 board's LAN9118 the way a product does it, and the addresses it gets printed
// once each (semihosting console). Example code, compiled into each image against its lwipopts.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/drivers/lan9118.hpp"
#include "emsock/ip_address.hpp"

extern "C" {
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
}

namespace emsock_example {

/// Brings lwIP up on the LAN9118: reads the MAC from the chip and seeds LWIP_RAND with it (prints
/// "<tag>: mac ..." and "<tag>: first random number 0x..." - the first number this board's LWIP_RAND
/// draws, so that two boards can be compared), lwip_init(), the netif (default, up), IPv6 link-local
/// address and SLAAC, DHCP with AutoIP as its fallback. Returns false, having printed why, when the chip
/// does not answer or lwIP refuses a step. Call once, before the main loop polls nic and the timeouts.
bool start_network(const char* tag, emsock::drivers::lan9118& nic, netif& nif) noexcept;

#if !NO_SYS
}  // namespace emsock_example
namespace emsock::drivers {
class lan9118_tcpip;
}
namespace emsock_example {
/// start_network() for an image with lwIP's tcpip thread (NO_SYS=0, board_network_tcpip.cpp), from a
/// thread of the running kernel: the same steps and lines, with tcpip_init() instead of lwip_init(),
/// the netif's input tcpip_input, its host name `host_name` (announced by DHCP), and the chip read by
/// `driver`'s thread (stack_size bytes, priority prio), woken by the chip's interrupt. Returns false,
/// having printed why, when the chip does not answer or lwIP refuses a step.
bool start_network(const char* tag, emsock::drivers::lan9118& nic, emsock::drivers::lan9118_tcpip& driver,
                   netif& nif, const char* host_name, int stack_size, int prio) noexcept;
#endif

/// The main loop's idle step: sleeps until the next interrupt (the 1 ms tick, or the LAN9118's receive
/// interrupt that start_network() enabled: a frame wakes the loop at once, before the chip's RX FIFO
/// fills) unless frames already wait in the chip.
void idle(emsock::drivers::lan9118& nic) noexcept;

/// Prints each usable address of a netif once, when it comes ("<tag>: ipv4 a.b.c.d netmask ...
/// gateway ... (dhcp|autoip|static)", "<tag>: ipv6 fe80::...%en0"), and again if it goes and comes back.
class address_report {
 public:
  void poll(const char* tag, const netif& nif) noexcept;

 private:
  std::uint32_t ipv4_ = 0;
  bool ipv6_[LWIP_IPV6_NUM_ADDRESSES] = {};
};

/// lwIP's IPv6 address as emsock's (the zone is not carried).
emsock::ipv6_address to_emsock(const ip6_addr_t& a) noexcept;

/// An emsock address as lwIP's. A scoped IPv6 address's zone must name a netif of this board ("en0",
/// lwIP's name and number): it becomes the lwIP zone. Returns false when the zone names no netif, or a
/// link-local IPv6 address has no zone (lwIP cannot route it without one).
bool to_lwip(const emsock::ip_address& a, ip_addr_t& out) noexcept;

}  // namespace emsock_example
