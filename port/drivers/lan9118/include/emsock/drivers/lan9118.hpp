// SPDX-License-Identifier: MIT
// emsock/drivers/lan9118.hpp - an lwIP netif driver for the SMSC LAN9118 Ethernet controller (netif_init
// accepts the LAN9115..LAN9118, which share its registers), for any board with the chip at the board's
// base address (QEMU's mps2-an385 / mps2-an386 emulate one: emsock::mps2::lan9118_base, IRQ 13 on AN385).
//
// For a NO_SYS=1 main loop: frames are read and lwIP is fed only from poll(), never from an interrupt.
// Under lwIP's tcpip thread (NO_SYS=0) a driver thread does it: emsock/drivers/lan9118_tcpip.hpp, which
// reads frames with receive() (the RX side only) and calls poll() under the core lock.
// The chip's IRQ pin is configured active-high push-pull and stays deasserted unless
// enable_receive_interrupt() is called; then a received frame raises it, and the board's handler for
// that line calls on_interrupt(), which only acknowledges it: the interrupt's job is to wake a main loop
// that sleeps (wfi) as soon as frames arrive, before the chip's RX FIFO (10,560 bytes on QEMU's model)
// overflows. The driver owns no vector: the board's start-up code or the user's SDK does. No heap:
// received frames go into pbufs from lwIP's PBUF_POOL, sent frames are copied from the caller's pbufs
// into the chip's TX data FIFO, reading only bytes inside each pbuf's payload. Needs LWIP_ETHERNET and, for
// IPv4, LWIP_ARP; with LWIP_IPV6 the netif also sends IPv6 (ethip6_output, MLD6 flag set). The MAC
// filter takes frames to the chip's own MAC address, broadcast and every multicast group (IPv6 neighbour
// discovery and MLD need those; lwIP filters the groups itself).
//
//   static emsock::drivers::lan9118 nic{emsock::mps2::lan9118_base};  // the board's address
//   netif_add(&nif, &ip, &mask, &gw, &nic, &emsock::drivers::lan9118::netif_init, netif_input);
//   nic.enable_receive_interrupt();  // optional: with the board's handler calling nic.on_interrupt()
//   for (;;) { nic.poll(nif); sys_check_timeouts(); ...; sleep unless nic.frames_waiting(); }
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {
#include "lwip/err.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
}

namespace emsock::drivers {

/// What crossed the wire, counted by the driver. Bytes are Ethernet frames without the FCS.
struct lan9118_stats {
  std::uint32_t rx_frames = 0;   ///< frames handed to lwIP
  std::uint32_t rx_bytes = 0;    ///< their bytes
  std::uint32_t rx_dropped = 0;  ///< frames lost on the way in: no pbuf, error status, bad length,
                                 ///< refused by lwIP, or dropped by the chip (its RX_DROP counter)
  std::uint32_t tx_frames = 0;   ///< frames written into the TX FIFO
  std::uint32_t tx_bytes = 0;    ///< their bytes
  std::uint32_t tx_dropped = 0;  ///< frames not sent: link down, too long, no room in the TX FIFO
  std::uint32_t tx_errors = 0;   ///< frames the chip reported as failed in their TX status
  std::uint32_t tx_completed = 0;  ///< frames the chip reported as sent in their TX status (collected
                                   ///< by the next poll() or send)
  std::uint32_t interrupts = 0;    ///< on_interrupt() calls that found a receive interrupt pending
};

class lan9118 {
 public:
  /// The chip at `base`, the address where the board maps it (emsock::mps2::lan9118_base on QEMU's
  /// MPS2 boards). Touches no register until netif_init() or read_mac().
  explicit lan9118(std::uintptr_t base) noexcept : base_(base) {}
  lan9118(const lan9118&) = delete;
  lan9118& operator=(const lan9118&) = delete;

  /// lwIP's netif init function: netif_add(..., state = this driver, &lan9118::netif_init, netif_input).
  /// Resets the chip and its PHY, takes the MAC address from the chip (QEMU loads its `mac=` there),
  /// enables TX and RX and reads the link. Fails with ERR_ARG if the netif's state is not a driver,
  /// ERR_IF if no LAN911x answers at the base address (byte test or chip id wrong), ERR_TIMEOUT if the
  /// chip, its MAC registers or its PHY stay busy (netif_add then returns NULL).
  static err_t netif_init(netif* nif) noexcept;

  /// From the main loop: reads up to max_frames received frames out of the chip and hands them to
  /// nif.input (a frame without a pbuf, with an error status or refused by lwIP is dropped and
  /// counted), collects the chip's TX status words, and follows the link (netif_set_link_up/down).
  /// Returns the frames handed to lwIP.
  /// Before a successful netif_init() it does nothing and returns 0.
  std::size_t poll(netif& nif, std::size_t max_frames = 8) noexcept;

  /// The receive half of poll(): reads up to max_frames received frames out of the chip and hands
  /// them to nif.input (drops counted as poll() counts them), and touches nothing else - no TX status,
  /// no link, no lwIP state but the pbufs it allocates: with lwIP's tcpip thread it may run in a driver
  /// thread without the core lock while another thread transmits (nif.input must then be tcpip_input,
  /// and pbuf allocation thread-safe: SYS_LIGHTWEIGHT_PROT). Only one thread may receive at a time.
  /// Returns the frames handed to lwIP; 0 before a successful netif_init().
  std::size_t receive(netif& nif, std::size_t max_frames = 8) noexcept;

  /// The MAC address in the chip's ADDRH/ADDRL registers into mac[0..5]. Works before netif_init()
  /// (to seed LWIP_RAND before lwip_init()). Returns false, leaving mac untouched, if the chip's MAC
  /// registers stay busy.
  bool read_mac(std::uint8_t mac[6]) noexcept;

  /// Whether the PHY reported the link up at the last look (netif_init() or poll()).
  bool link_up() const noexcept { return link_up_; }
  /// Whether the MAC runs full duplex: set on every link-up from what auto-negotiation agreed (the best
  /// mode both the PHY's advertisement and the link partner's offer, 100 before 10, full before half);
  /// half duplex when the partner did not negotiate. Read back from the chip's MAC_CR; false before
  /// netif_init() or when the chip does not answer.
  bool full_duplex() noexcept;
  /// Restricts what the PHY advertises to auto-negotiation (IEEE 802.3 bits of register 4: 0x0020
  /// 10 half, 0x0040 10 full, 0x0080 100 half, 0x0100 100 full; at least one) and restarts it; the
  /// duplex follows when the link comes up again (at once where the PHY agreed at once, as QEMU's
  /// does). Returns false for a mask without a mode or with other bits (changing nothing), or when the
  /// PHY or MAC stays busy.
  bool advertise(std::uint32_t modes) noexcept;

  /// Lets a received frame raise the chip's IRQ line (the RX status FIFO level interrupt, at every
  /// frame). The board enables the line in its interrupt controller (mps2-an385: NVIC IRQ 13) and
  /// calls on_interrupt() from its handler. Call after a successful netif_init(); does nothing before.
  void enable_receive_interrupt() noexcept;
  /// From the board's interrupt handler: acknowledges the receive interrupt so that the line falls,
  /// and counts it. Touches no lwIP state (frames are still read by poll()); safe while poll() runs.
  void on_interrupt() noexcept;
  /// Whether received frames wait in the chip: a main loop sleeps only when this is false (checked
  /// with interrupts masked, so that a frame arriving in between still wakes it).
  bool frames_waiting() const noexcept;
  const lan9118_stats& stats() const noexcept { return stats_; }

  /// The PHY's loopback (for self-tests): frames sent come back as received, nothing reaches the wire.
  /// Returns false if the PHY stays busy.
  bool set_loopback(bool on) noexcept;

 private:
  static err_t link_output(netif* nif, pbuf* p) noexcept;
  err_t transmit(const pbuf& p) noexcept;
  void receive_one(netif& nif, std::uint32_t status) noexcept;
  std::size_t receive_frames(netif& nif, std::size_t max_frames) noexcept;  ///< receive() after the ready check
  void discard_words(std::uint32_t words) noexcept;
  void collect_tx_status() noexcept;
  void update_link(netif& nif) noexcept;
  bool apply_duplex() noexcept;
  err_t reset() noexcept;

  std::uint32_t read(std::uint32_t offset) const noexcept;
  void write(std::uint32_t offset, std::uint32_t value) noexcept;
  bool mac_idle() const noexcept;  ///< MAC_CSR_CMD not busy (false after busy_limit reads)
  bool mii_idle() noexcept;        ///< MII_ACC not busy
  bool mac_read(std::uint32_t index, std::uint32_t& value) noexcept;
  bool mac_write(std::uint32_t index, std::uint32_t value) noexcept;
  bool phy_read(std::uint32_t reg, std::uint32_t& value) noexcept;
  bool phy_write(std::uint32_t reg, std::uint32_t value) noexcept;

  std::uintptr_t base_;
  bool ready_ = false;
  bool link_up_ = false;
  std::uint16_t tag_ = 0;
  lan9118_stats stats_{};
};

}  // namespace emsock::drivers
