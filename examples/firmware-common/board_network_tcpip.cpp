// SPDX-License-Identifier: MIT
// examples/firmware-common/board_network_tcpip.cpp - start_network() for the images with lwIP's tcpip
// thread (NO_SYS=0, the socket API): see board_network.hpp.
#include <cstdio>

#include "board_network.hpp"
#include "emsock/drivers/lan9118_tcpip.hpp"
#include "emsock/mps2/board.hpp"

extern "C" {
#include "lwip/dhcp.h"
#include "lwip/tcpip.h"
}

namespace {
emsock::drivers::lan9118_tcpip* g_irq_driver = nullptr;  // the driver whose chip raises IRQ 13

void tcpip_ready(void* done) { sys_sem_signal(static_cast<sys_sem_t*>(done)); }
}  // namespace

// The board's vector for the LAN9118's line (startup.c, weak): acknowledge and wake the driver's thread.
extern "C" void ETHERNET_IRQHandler(void) {
  if (g_irq_driver != nullptr) g_irq_driver->on_interrupt();
}

namespace emsock_example {

bool start_network(const char* tag, emsock::drivers::lan9118& nic, emsock::drivers::lan9118_tcpip& driver,
                   netif& nif, const char* host_name, int stack_size, int prio) noexcept {
  std::uint8_t mac[6] = {};
  if (!nic.read_mac(mac)) {
    std::printf("%s: no LAN9118 answers at 0x%08lx\n", tag, static_cast<unsigned long>(emsock::mps2::lan9118_base));
    return false;
  }
  emsock::mps2::seed_random(mac, sizeof mac);  // LWIP_RAND: this board's sequence
  std::printf("%s: mac %02x:%02x:%02x:%02x:%02x:%02x\n", tag, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  std::printf("%s: first random number 0x%08lx\n", tag, static_cast<unsigned long>(emsock::mps2::random32()));

  sys_sem_t done;
  if (sys_sem_new(&done, 0) != ERR_OK) {
    std::printf("%s: no semaphore for tcpip_init\n", tag);
    return false;
  }
  tcpip_init(tcpip_ready, &done);
  sys_arch_sem_wait(&done, 0);
  sys_sem_free(&done);

  bool ok = true;
  LOCK_TCPIP_CORE();
  ip4_addr_t any;
  ip4_addr_set_zero(&any);
  if (netif_add(&nif, &any, &any, &any, &nic, &emsock::drivers::lan9118::netif_init, tcpip_input) == nullptr) {
    std::printf("%s: the LAN9118 did not come up\n", tag);
    ok = false;
  } else {
    netif_set_hostname(&nif, host_name);
    netif_set_default(&nif);
    netif_create_ip6_linklocal_address(&nif, 1);
    netif_set_ip6_autoconfig_enabled(&nif, 1);
    netif_set_up(&nif);
    if (dhcp_start(&nif) != ERR_OK) {  // falls back to AutoIP (LWIP_DHCP_AUTOIP_COOP)
      std::printf("%s: dhcp_start failed\n", tag);
      ok = false;
    }
  }
  UNLOCK_TCPIP_CORE();
  if (!ok) return false;
  // A received frame wakes the driver's thread at once (IRQ 13).
  if (driver.start(nif, stack_size, prio) != ERR_OK) {
    std::printf("%s: the LAN9118's driver thread did not start\n", tag);
    return false;
  }
  g_irq_driver = &driver;
  emsock::mps2::set_irq_enabled(emsock::mps2::lan9118_irq, true);
  return true;
}

}  // namespace emsock_example
