// SPDX-License-Identifier: MIT
// port/drivers/lan9118/lan9118.cpp - the LAN9118 netif driver (see emsock/drivers/lan9118.hpp), written
// from the chip's register model: system CSRs at fixed offsets, MAC CSRs behind MAC_CSR_CMD/DATA, the
// PHY behind the MAC's MII_ACC/MII_DATA, frames through 32-bit data FIFOs with one status word per frame.
//
// Every wait on the chip is bounded (busy_limit reads) and ends in an error, never a hang. Only MAC CSR
// indices the chip defines are used: QEMU's model stops the emulator on any other. Frames are always
// read out of the RX FIFO word by word, also to drop them (the RX fast-forward of QEMU's model moves
// the FIFO head but not its fill count).
#include "emsock/drivers/lan9118.hpp"

#include <cstring>

extern "C" {
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/opt.h"
#include "netif/ethernet.h"
}

#if !LWIP_ETHERNET
#error "emsock lan9118: needs LWIP_ETHERNET (and LWIP_ARP for IPv4) in lwipopts.h"
#endif

namespace emsock::drivers {
namespace {

// System control and status registers (byte offsets from the base).
constexpr std::uint32_t rx_data_fifo = 0x00;
constexpr std::uint32_t tx_data_fifo = 0x20;
constexpr std::uint32_t rx_status_fifo = 0x40;
constexpr std::uint32_t tx_status_fifo = 0x48;
constexpr std::uint32_t id_rev = 0x50;
constexpr std::uint32_t irq_cfg = 0x54;
constexpr std::uint32_t int_sts = 0x58;
constexpr std::uint32_t int_en = 0x5C;
constexpr std::uint32_t byte_test = 0x64;
constexpr std::uint32_t rx_cfg = 0x6C;
constexpr std::uint32_t tx_cfg = 0x70;
constexpr std::uint32_t hw_cfg = 0x74;
constexpr std::uint32_t rx_fifo_inf = 0x7C;
constexpr std::uint32_t tx_fifo_inf = 0x80;
constexpr std::uint32_t pmt_ctrl = 0x84;
constexpr std::uint32_t rx_drop = 0xA0;
constexpr std::uint32_t mac_csr_cmd = 0xA4;
constexpr std::uint32_t mac_csr_data = 0xA8;

constexpr std::uint32_t byte_test_value = 0x87654321u;
constexpr std::uint32_t hw_cfg_srst = 1u << 0;
constexpr std::uint32_t pmt_ctrl_ready = 1u << 0;
constexpr std::uint32_t int_phy = 1u << 18;
constexpr std::uint32_t int_rsfl = 1u << 3;  // RX status FIFO above its level (FIFO_INT: 0, so every frame)
constexpr std::uint32_t irq_cfg_type = 1u << 0;  // push-pull
constexpr std::uint32_t irq_cfg_pol = 1u << 4;   // active high
constexpr std::uint32_t irq_cfg_en = 1u << 8;
constexpr std::uint32_t tx_cfg_tx_on = 1u << 1;
constexpr std::uint32_t tx_cfg_txsao = 1u << 2;  // a full TX status FIFO does not stop transmission
constexpr std::uint32_t csr_busy = 1u << 31;
constexpr std::uint32_t csr_read = 1u << 30;

// MAC CSRs (indices through MAC_CSR_CMD) and their bits.
constexpr std::uint32_t mac_cr = 1;
constexpr std::uint32_t mac_addrh = 2;
constexpr std::uint32_t mac_addrl = 3;
constexpr std::uint32_t mac_mii_acc = 6;
constexpr std::uint32_t mac_mii_data = 7;
constexpr std::uint32_t mac_cr_rxen = 1u << 2;
constexpr std::uint32_t mac_cr_txen = 1u << 3;
constexpr std::uint32_t mac_cr_mcpas = 1u << 19;  // pass every multicast frame
constexpr std::uint32_t mac_cr_fdpx = 1u << 20;
// What the MAC runs with: transmit and receive, every multicast frame (IPv6 neighbour discovery and MLD
// need them; lwIP filters the groups itself), our unicast address exactly; FDPX is added when the link
// negotiated full duplex.
constexpr std::uint32_t mac_cr_base = mac_cr_txen | mac_cr_rxen | mac_cr_mcpas;
constexpr std::uint32_t mii_busy = 1u << 0;
constexpr std::uint32_t mii_write = 1u << 1;
constexpr std::uint32_t phy_address = 1;

// PHY registers and bits.
constexpr std::uint32_t phy_bmcr = 0;
constexpr std::uint32_t phy_bmsr = 1;
constexpr std::uint32_t phy_anar = 4;
constexpr std::uint32_t phy_anlpar = 5;  // what the link partner offered
constexpr std::uint32_t phy_int_source = 29;
constexpr std::uint32_t phy_int_mask = 30;
constexpr std::uint32_t bmcr_reset = 1u << 15;
constexpr std::uint32_t bmcr_loopback = 1u << 14;
constexpr std::uint32_t bmcr_autoneg = 1u << 12;
constexpr std::uint32_t bmcr_restart_autoneg = 1u << 9;
constexpr std::uint32_t bmsr_link = 1u << 2;
constexpr std::uint32_t anar_selector = 0x0001u;     // IEEE 802.3
constexpr std::uint32_t anar_10_half = 0x0020u;
constexpr std::uint32_t anar_10_full = 0x0040u;
constexpr std::uint32_t anar_100_half = 0x0080u;
constexpr std::uint32_t anar_100_full = 0x0100u;
constexpr std::uint32_t anar_modes = anar_10_half | anar_10_full | anar_100_half | anar_100_full;
constexpr std::uint32_t anar_all = anar_modes | anar_selector;
constexpr std::uint32_t phy_int_link = 0x10u | 0x40u;  // link down, auto-negotiation complete

// Frames.
constexpr std::uint32_t status_error = 1u << 15;  // RX and TX status: error summary
constexpr std::uint32_t fcs_len = 4;
constexpr std::uint32_t min_frame = 14;    // an Ethernet header
constexpr std::uint32_t max_frame = 1514;  // without the FCS, no VLAN tag
constexpr std::uint32_t tx_first = 1u << 13;
constexpr std::uint32_t tx_last = 1u << 12;
constexpr std::uint32_t busy_limit = 100000;  // reads of a busy bit before giving up
// Reads of TX_FIFO_INF while waiting for room for a frame. The FIFO drains at wire speed (a full-sized
// frame leaves in 12 us at 100 Mb/s, 120 us at 10): this is about a millisecond of a 25 MHz bus, after
// which transmit() answers ERR_MEM (lwIP drops the frame; TCP sends it again) instead of holding lwIP's
// output, and with it the caller's main loop, for longer.
constexpr std::uint32_t tx_room_limit = 2000;

std::uint32_t words_for(std::uint32_t bytes) noexcept { return (bytes + 3u) / 4u; }

}  // namespace

std::uint32_t lan9118::read(std::uint32_t offset) const noexcept {
  return *reinterpret_cast<volatile std::uint32_t*>(base_ + offset);
}

void lan9118::write(std::uint32_t offset, std::uint32_t value) noexcept {
  *reinterpret_cast<volatile std::uint32_t*>(base_ + offset) = value;
}

bool lan9118::mac_idle() const noexcept {
  for (std::uint32_t i = 0; (read(mac_csr_cmd) & csr_busy) != 0; ++i) {
    if (i == busy_limit) return false;
  }
  return true;
}

bool lan9118::mii_idle() noexcept {
  std::uint32_t acc = 0;
  for (std::uint32_t i = 0; i < busy_limit; ++i) {
    if (!mac_read(mac_mii_acc, acc)) return false;
    if ((acc & mii_busy) == 0) return true;
  }
  return false;
}

bool lan9118::mac_read(std::uint32_t index, std::uint32_t& value) noexcept {
  if (!mac_idle()) return false;
  write(mac_csr_cmd, csr_busy | csr_read | index);
  if (!mac_idle()) return false;
  value = read(mac_csr_data);
  return true;
}

bool lan9118::mac_write(std::uint32_t index, std::uint32_t value) noexcept {
  if (!mac_idle()) return false;
  write(mac_csr_data, value);
  write(mac_csr_cmd, csr_busy | index);
  return mac_idle();
}

bool lan9118::phy_read(std::uint32_t reg, std::uint32_t& value) noexcept {
  if (!mii_idle()) return false;
  if (!mac_write(mac_mii_acc, (phy_address << 11) | (reg << 6) | mii_busy)) return false;
  if (!mii_idle()) return false;
  std::uint32_t data = 0;
  if (!mac_read(mac_mii_data, data)) return false;
  value = data & 0xFFFFu;
  return true;
}

bool lan9118::phy_write(std::uint32_t reg, std::uint32_t value) noexcept {
  if (!mii_idle()) return false;
  if (!mac_write(mac_mii_data, value & 0xFFFFu)) return false;
  if (!mac_write(mac_mii_acc, (phy_address << 11) | (reg << 6) | mii_write | mii_busy)) return false;
  return mii_idle();
}

bool lan9118::read_mac(std::uint8_t mac[6]) noexcept {
  std::uint32_t low = 0;
  std::uint32_t high = 0;
  if (!mac_read(mac_addrl, low) || !mac_read(mac_addrh, high)) return false;
  mac[0] = static_cast<std::uint8_t>(low);
  mac[1] = static_cast<std::uint8_t>(low >> 8);
  mac[2] = static_cast<std::uint8_t>(low >> 16);
  mac[3] = static_cast<std::uint8_t>(low >> 24);
  mac[4] = static_cast<std::uint8_t>(high);
  mac[5] = static_cast<std::uint8_t>(high >> 8);
  return true;
}

bool lan9118::set_loopback(bool on) noexcept {
  std::uint32_t bmcr = 0;
  if (!phy_read(phy_bmcr, bmcr)) return false;
  bmcr = on ? (bmcr | bmcr_loopback) : (bmcr & ~bmcr_loopback);
  return phy_write(phy_bmcr, bmcr & ~(bmcr_reset | bmcr_restart_autoneg));
}

err_t lan9118::reset() noexcept {
  ready_ = false;
  if (read(byte_test) != byte_test_value) return ERR_IF;  // nothing there, or wrong bus byte order
  const std::uint32_t chip = read(id_rev) >> 16;
  if (chip < 0x0115u || chip > 0x0118u) return ERR_IF;  // LAN9115..LAN9118 share this register set
  write(hw_cfg, hw_cfg_srst);
  // Until PMT_CTRL says READY the chip answers no other register (HW_CFG included): wait for it first,
  // then for the reset bit to clear.
  for (std::uint32_t i = 0; (read(pmt_ctrl) & pmt_ctrl_ready) == 0; ++i) {
    if (i == busy_limit) return ERR_TIMEOUT;
  }
  for (std::uint32_t i = 0; (read(hw_cfg) & hw_cfg_srst) != 0; ++i) {
    if (i == busy_limit) return ERR_TIMEOUT;
  }
  write(int_en, 0);  // no interrupt source until enable_receive_interrupt()
  // The IRQ pin active-high push-pull, disabled: deasserted. (Left open-drain or active-low, a pin with
  // no interrupt reads as asserted: QEMU's model drives the line high then.)
  write(irq_cfg, irq_cfg_pol | irq_cfg_type);
  write(int_sts, 0xFFFFFFFFu);  // write-one-to-clear

  if (!phy_write(phy_bmcr, bmcr_reset)) return ERR_TIMEOUT;
  std::uint32_t bmcr = bmcr_reset;
  for (std::uint32_t i = 0; (bmcr & bmcr_reset) != 0; ++i) {
    if (i == busy_limit || !phy_read(phy_bmcr, bmcr)) return ERR_TIMEOUT;
  }
  std::uint32_t ignored = 0;
  if (!phy_write(phy_anar, anar_all) || !phy_write(phy_bmcr, bmcr_autoneg | bmcr_restart_autoneg) ||
      !phy_write(phy_int_mask, phy_int_link) || !phy_read(phy_int_source, ignored)) {
    return ERR_TIMEOUT;
  }
  // Frames to our address, broadcast and all multicast (exact unicast filter, no promiscuity); half
  // duplex until a link-up says what was negotiated (apply_duplex).
  if (!mac_write(mac_cr, mac_cr_base)) return ERR_TIMEOUT;
  write(rx_cfg, 0);  // no data offset, 4-byte end alignment
  write(tx_cfg, tx_cfg_tx_on | tx_cfg_txsao);
  static_cast<void>(read(rx_drop));  // start the chip's drop counter from 0
  ready_ = true;
  return ERR_OK;
}

err_t lan9118::netif_init(netif* nif) noexcept {
  if (nif == nullptr || nif->state == nullptr) return ERR_ARG;
  auto& self = *static_cast<lan9118*>(nif->state);
  const err_t reset = self.reset();
  if (reset != ERR_OK) return reset;
  if (!self.read_mac(nif->hwaddr)) return ERR_TIMEOUT;
  nif->hwaddr_len = ETH_HWADDR_LEN;
  nif->mtu = 1500;
  nif->name[0] = 'e';
  nif->name[1] = 'n';
  nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP;
#if LWIP_IPV4 && LWIP_ARP
  nif->output = etharp_output;
#endif
#if LWIP_IPV6
  nif->output_ip6 = ethip6_output;
  nif->flags = static_cast<u8_t>(nif->flags | NETIF_FLAG_MLD6);
#endif
  nif->linkoutput = &lan9118::link_output;
  std::uint32_t bmsr = 0;
  if (!self.phy_read(phy_bmsr, bmsr)) return ERR_TIMEOUT;
  self.link_up_ = (bmsr & bmsr_link) != 0;
  if (self.link_up_) {
    if (!self.apply_duplex()) return ERR_TIMEOUT;
    nif->flags = static_cast<u8_t>(nif->flags | NETIF_FLAG_LINK_UP);
  }
  return ERR_OK;
}

void lan9118::update_link(netif& nif) noexcept {
  if ((read(int_sts) & int_phy) == 0) return;  // the PHY flags every link change (mask set in reset)
  std::uint32_t source = 0;
  std::uint32_t bmsr = 0;
  if (!phy_read(phy_int_source, source) || !phy_read(phy_bmsr, bmsr)) return;  // read clears the source
  write(int_sts, int_phy);
  const bool up = (bmsr & bmsr_link) != 0;
  if (up == link_up_) return;
  link_up_ = up;
  if (up) {
    static_cast<void>(apply_duplex());  // a PHY that stays busy leaves the last duplex
    netif_set_link_up(&nif);
  } else {
    netif_set_link_down(&nif);
  }
}

bool lan9118::apply_duplex() noexcept {
  std::uint32_t anar = 0;
  std::uint32_t anlpar = 0;
  if (!phy_read(phy_anar, anar) || !phy_read(phy_anlpar, anlpar)) return false;
  // The highest mode both sides offer (IEEE 802.3 Annex 28B priority). A partner that did not
  // negotiate offers nothing (ANLPAR holds no mode): half duplex, as parallel detection takes it.
  const std::uint32_t common = anar & anlpar;
  const bool full = (common & anar_100_full) != 0 || ((common & anar_100_half) == 0 && (common & anar_10_full) != 0);
  return mac_write(mac_cr, full ? mac_cr_base | mac_cr_fdpx : mac_cr_base);
}

bool lan9118::full_duplex() noexcept {
  std::uint32_t cr = 0;
  return ready_ && mac_read(mac_cr, cr) && (cr & mac_cr_fdpx) != 0;
}

bool lan9118::advertise(std::uint32_t modes) noexcept {
  if ((modes & anar_modes) == 0 || (modes & ~anar_modes) != 0) return false;
  if (!phy_write(phy_anar, modes | anar_selector) || !phy_write(phy_bmcr, bmcr_autoneg | bmcr_restart_autoneg)) {
    return false;
  }
  // A PHY that renegotiates drops the link and poll() applies the new duplex when it comes back; one
  // whose link stayed up (QEMU's agrees at once) is applied here.
  std::uint32_t bmsr = 0;
  if (!phy_read(phy_bmsr, bmsr)) return false;
  return !link_up_ || (bmsr & bmsr_link) == 0 || apply_duplex();
}

void lan9118::enable_receive_interrupt() noexcept {
  if (!ready_) return;
  write(int_sts, int_rsfl);  // what came before is poll()'s already
  write(int_en, read(int_en) | int_rsfl);
  write(irq_cfg, irq_cfg_pol | irq_cfg_type | irq_cfg_en);
}

void lan9118::on_interrupt() noexcept {
  if ((read(int_sts) & int_rsfl) == 0) return;
  write(int_sts, int_rsfl);  // write-one-to-clear: the line falls until the next frame
  ++stats_.interrupts;
}

bool lan9118::frames_waiting() const noexcept {
  return ready_ && ((read(rx_fifo_inf) >> 16) & 0xFFu) != 0;
}

void lan9118::collect_tx_status() noexcept {
  std::uint32_t used = (read(tx_fifo_inf) >> 16) & 0xFFu;
  while (used-- > 0) {
    if ((read(tx_status_fifo) & status_error) != 0) {
      ++stats_.tx_errors;
    } else {
      ++stats_.tx_completed;
    }
  }
}

void lan9118::discard_words(std::uint32_t words) noexcept {
  while (words-- > 0) static_cast<void>(read(rx_data_fifo));
}

void lan9118::receive_one(netif& nif, std::uint32_t status) noexcept {
  const std::uint32_t length = (status >> 16) & 0x3FFFu;  // with the FCS
  const std::uint32_t words = words_for(length);
  if ((status & status_error) != 0 || length < min_frame + fcs_len || length > max_frame + fcs_len) {
    discard_words(words);
    ++stats_.rx_dropped;
    return;
  }
  const std::uint32_t frame = length - fcs_len;
  pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(frame + ETH_PAD_SIZE), PBUF_POOL);
  if (p == nullptr) {
    discard_words(words);
    ++stats_.rx_dropped;
    return;
  }
#if ETH_PAD_SIZE
  pbuf_remove_header(p, ETH_PAD_SIZE);
#endif
  // The FIFO holds the frame's bytes in order, four to a little-endian word, then the FCS. The pbuf
  // chain holds exactly `frame` bytes, so the next pbuf exists whenever one is full and bytes remain.
  pbuf* q = p;
  std::uint32_t at = 0;      // offset in q
  std::uint32_t stored = 0;  // bytes of the frame stored
  for (std::uint32_t w = 0; w < words; ++w) {
    std::uint32_t value = read(rx_data_fifo);
    const std::uint32_t n = frame - stored < 4u ? frame - stored : 4u;  // 0 for the FCS words
    if (n == 4u && at + 4u <= q->len) {
      std::memcpy(static_cast<std::uint8_t*>(q->payload) + at, &value, 4);
      at += 4;
    } else {
      for (std::uint32_t b = 0; b < n; ++b) {
        if (at == q->len) {
          q = q->next;
          at = 0;
        }
        static_cast<std::uint8_t*>(q->payload)[at++] = static_cast<std::uint8_t>(value);
        value >>= 8;
      }
    }
    stored += n;
  }
#if ETH_PAD_SIZE
  pbuf_add_header(p, ETH_PAD_SIZE);
#endif
  if (nif.input(p, &nif) != ERR_OK) {
    pbuf_free(p);
    ++stats_.rx_dropped;
    return;
  }
  ++stats_.rx_frames;
  stats_.rx_bytes += frame;
}

std::size_t lan9118::poll(netif& nif, std::size_t max_frames) noexcept {
  if (!ready_) return 0;
  collect_tx_status();
  update_link(nif);
  return receive_frames(nif, max_frames);
}

std::size_t lan9118::receive(netif& nif, std::size_t max_frames) noexcept {
  if (!ready_) return 0;
  return receive_frames(nif, max_frames);
}

// Inlined into poll() and receive(): an image that never calls receive() (a NO_SYS=1 main loop) keeps
// no second function for it.
inline __attribute__((always_inline)) std::size_t lan9118::receive_frames(netif& nif, std::size_t max_frames) noexcept {
  stats_.rx_dropped += read(rx_drop);  // frames the chip itself dropped (clears on read)
  // At most max_frames frames are read out per call, handed up or dropped: a flood cannot hold the
  // main loop here.
  const std::uint32_t before = stats_.rx_frames;
  for (std::size_t i = 0; i < max_frames && ((read(rx_fifo_inf) >> 16) & 0xFFu) != 0; ++i) {
    receive_one(nif, read(rx_status_fifo));
  }
  return stats_.rx_frames - before;
}

err_t lan9118::link_output(netif* nif, pbuf* p) noexcept {
  if (nif == nullptr || nif->state == nullptr || p == nullptr) return ERR_ARG;
  return static_cast<lan9118*>(nif->state)->transmit(*p);
}

err_t lan9118::transmit(const pbuf& p) noexcept {
  if (!ready_) return ERR_IF;
  collect_tx_status();
  if (!link_up_) {
    ++stats_.tx_dropped;
    return ERR_IF;
  }
  const std::uint32_t total = p.tot_len;
#if ETH_PAD_SIZE
  const std::uint32_t skip_pad = ETH_PAD_SIZE;
#else
  const std::uint32_t skip_pad = 0;
#endif
  if (total < min_frame + skip_pad || total > max_frame + skip_pad) {
    ++stats_.tx_dropped;
    return ERR_VAL;
  }
  const std::uint32_t frame = total - skip_pad;
  // The frame goes into the TX data FIFO as one buffer: command A (first and last segment, no offset),
  // command B, then its bytes four to a little-endian word.
  const std::uint32_t need = 8u + 4u * words_for(frame);
  for (std::uint32_t i = 0; (read(tx_fifo_inf) & 0xFFFFu) < need; ++i) {
    if (i == tx_room_limit) {
      ++stats_.tx_dropped;
      return ERR_MEM;
    }
  }
  write(tx_data_fifo, tx_first | tx_last | frame);
  write(tx_data_fifo, (static_cast<std::uint32_t>(tag_++) << 16) | frame);
  // Only bytes inside each pbuf's payload are read: whole words where a payload is aligned and no
  // bytes of an earlier pbuf wait, the bytes around them (a payload's unaligned head and tail, the
  // seams between pbufs) one by one through `word`.
  std::uint32_t word = 0;
  std::uint32_t have = 0;         // bytes in `word`
  std::uint32_t skip = skip_pad;  // ETH_PAD_SIZE bytes before the frame are not sent
  std::uint32_t left = frame;
  for (const pbuf* q = &p; q != nullptr && left > 0; q = q->next) {
    const std::uint8_t* b = static_cast<const std::uint8_t*>(q->payload);
    std::uint32_t len = q->len;
    const std::uint32_t n = skip < len ? skip : len;
    b += n;
    len -= n;
    skip -= n;
    if (len > left) len = left;
    left -= len;
    while (len > 0) {
      if (have == 0 && len >= 4u && (reinterpret_cast<std::uintptr_t>(b) & 3u) == 0) {
        for (; len >= 4u; len -= 4u, b += 4) {
          std::uint32_t w = 0;
          std::memcpy(&w, b, 4);  // one aligned load
          write(tx_data_fifo, w);
        }
        continue;
      }
      word |= static_cast<std::uint32_t>(*b++) << (8u * have);
      --len;
      if (++have == 4u) {
        write(tx_data_fifo, word);
        word = 0;
        have = 0;
      }
    }
  }
  if (have > 0) write(tx_data_fifo, word);
  ++stats_.tx_frames;
  stats_.tx_bytes += frame;
  return ERR_OK;
}

}  // namespace emsock::drivers
