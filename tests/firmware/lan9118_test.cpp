// SPDX-License-Identifier: MIT
// Tests of the LAN9118 netif driver (port/drivers/lan9118) on QEMU's emulated chip: MAC from the chip, link,
// frames out and in through the PHY's loopback (sizes, alignments, chains, the MAC filter), the
// counters, and what happens when a frame cannot be kept. QEMU runs this image with
// -nic user,restrict=on,ipv6=off,mac=<EMSOCK_TEST_MAC> (tests/firmware/CMakeLists.txt): slirp without
// IPv6 sends nothing unasked, and in loopback nothing the driver sends reaches it.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "emsock/drivers/lan9118.hpp"
#include "emsock/mps2/board.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
}

namespace {

constexpr std::uint8_t expected_mac[6] = {EMSOCK_TEST_MAC};
constexpr std::uint16_t test_ethertype = 0x88B5;  // IEEE local experimental: never lwIP's own
constexpr std::size_t max_frame = 1514;

emsock::drivers::lan9118 g_nic{emsock::mps2::lan9118_base};
netif g_netif;
bool g_up = false;

// What the driver handed up: frames of the test ethertype are kept (the last one), others counted.
std::uint8_t g_frame[max_frame];
std::size_t g_frame_len = 0;
std::size_t g_frames = 0;
std::size_t g_other_frames = 0;
bool g_refuse = false;

err_t capture(pbuf* p, netif*) {
  if (g_refuse) return ERR_MEM;  // the driver frees it
  if (p->tot_len >= 14 && pbuf_get_at(p, 12) == (test_ethertype >> 8) && pbuf_get_at(p, 13) == (test_ethertype & 0xFF)) {
    g_frame_len = pbuf_copy_partial(p, g_frame, sizeof g_frame, 0);
    ++g_frames;
  } else {
    ++g_other_frames;
  }
  pbuf_free(p);
  return ERR_OK;
}

void bring_up() {
  if (g_up) return;
  emsock::mps2::start_clock();
  lwip_init();
  ip4_addr_t any;
  ip4_addr_set_zero(&any);
  CHECK_TEXT(netif_add(&g_netif, &any, &any, &any, &g_nic, &emsock::drivers::lan9118::netif_init, capture) != nullptr,
             "netif_add with the LAN9118 driver");
  netif_set_up(&g_netif);
  g_up = true;
}

std::uint8_t g_tx[2 * max_frame + 8];

/// A frame in g_tx at `offset`: destination, our source MAC, the test ethertype, a pattern.
void make_frame(std::size_t offset, std::size_t len, const std::uint8_t* dest, std::uint32_t seed) {
  std::uint8_t* f = g_tx + offset;
  std::memcpy(f, dest, 6);
  std::memcpy(f + 6, g_netif.hwaddr, 6);
  f[12] = test_ethertype >> 8;
  f[13] = test_ethertype & 0xFF;
  std::uint32_t x = seed * 2654435761u + 1u;
  for (std::size_t i = 14; i < len; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    f[i] = static_cast<std::uint8_t>(x >> 24);
  }
}

/// Sends g_tx[offset, offset + len) as a chain of PBUF_REF pbufs cut at `cuts` (ascending, inside).
err_t send_chain(std::size_t offset, std::size_t len, const std::size_t* cuts, std::size_t ncuts) {
  pbuf* head = nullptr;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= ncuts; ++i) {
    const std::size_t to = i < ncuts ? cuts[i] : len;
    pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(to - from), PBUF_REF);
    if (p == nullptr) {
      if (head != nullptr) pbuf_free(head);
      return ERR_MEM;
    }
    p->payload = g_tx + offset + from;
    if (head == nullptr) {
      head = p;
    } else {
      pbuf_cat(head, p);
    }
    from = to;
  }
  const err_t err = g_netif.linkoutput(&g_netif, head);
  pbuf_free(head);
  return err;
}

err_t send_frame(std::size_t offset, std::size_t len) { return send_chain(offset, len, nullptr, 0); }

const std::uint8_t broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/// The last frame received is the one sent; frames under Ethernet's 60-byte minimum come back padded
/// with zeros (the MAC pads on the wire).
void check_received(std::size_t offset, std::size_t len) {
  LONGS_EQUAL(len < 60 ? 60 : len, g_frame_len);
  MEMCMP_EQUAL(g_tx + offset, g_frame, len);
  for (std::size_t i = len; i < g_frame_len; ++i) LONGS_EQUAL(0, g_frame[i]);
}

}  // namespace

TEST_GROUP(lan9118_init) {
  void setup() override { bring_up(); }
};

TEST(lan9118_init, mac_address_comes_from_the_chip) {
  LONGS_EQUAL(6, g_netif.hwaddr_len);
  MEMCMP_EQUAL(expected_mac, g_netif.hwaddr, 6);
  std::uint8_t mac[6] = {};
  CHECK(g_nic.read_mac(mac));
  MEMCMP_EQUAL(expected_mac, mac, 6);
}

TEST(lan9118_init, link_is_up_and_flags_say_ethernet) {
  CHECK(g_nic.link_up());
  CHECK(netif_is_link_up(&g_netif));
  CHECK((g_netif.flags & NETIF_FLAG_ETHARP) != 0);
  CHECK((g_netif.flags & NETIF_FLAG_MLD6) != 0);
  LONGS_EQUAL(1500, g_netif.mtu);
}

TEST(lan9118_init, no_chip_at_the_address_fails_with_err_if) {
  static std::uint32_t not_a_chip[64] = {};  // RAM that answers the byte test with 0
  emsock::drivers::lan9118 absent(reinterpret_cast<std::uintptr_t>(not_a_chip));
  netif other;
  ip4_addr_t any;
  ip4_addr_set_zero(&any);
  POINTERS_EQUAL(nullptr, netif_add(&other, &any, &any, &any, &absent, &emsock::drivers::lan9118::netif_init, capture));
  LONGS_EQUAL(0, absent.poll(other));
}

TEST(lan9118_init, netif_without_a_driver_fails_with_err_arg) {
  netif other;
  other.state = nullptr;
  LONGS_EQUAL(ERR_ARG, emsock::drivers::lan9118::netif_init(&other));
  LONGS_EQUAL(ERR_ARG, emsock::drivers::lan9118::netif_init(nullptr));
}

namespace {
/// The chip in PHY loopback with nothing left in its RX FIFO and the capture counters at 0.
void loopback_and_drain() {
  bring_up();
  CHECK(g_nic.set_loopback(true));
  while (g_nic.poll(g_netif) != 0) {
  }
  g_frames = 0;
  g_other_frames = 0;
}
}  // namespace

TEST_GROUP(lan9118_frames) {
  void setup() override {
    loopback_and_drain();
    g_frame_len = 0;
    g_refuse = false;
  }
  void teardown() override {
    g_refuse = false;
    CHECK(g_nic.set_loopback(false));
    LONGS_EQUAL(0, g_other_frames);  // nothing but our own frames arrived
  }
};

TEST(lan9118_frames, a_minimum_broadcast_frame_comes_back_and_is_counted) {
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  make_frame(0, 60, broadcast, 1);
  LONGS_EQUAL(ERR_OK, send_frame(0, 60));
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  LONGS_EQUAL(1, g_frames);
  check_received(0, 60);
  const emsock::drivers::lan9118_stats& after = g_nic.stats();
  LONGS_EQUAL(before.tx_frames + 1, after.tx_frames);
  LONGS_EQUAL(before.tx_bytes + 60, after.tx_bytes);
  LONGS_EQUAL(before.rx_frames + 1, after.rx_frames);
  LONGS_EQUAL(before.rx_bytes + 60, after.rx_bytes);
  LONGS_EQUAL(before.rx_dropped, after.rx_dropped);
  LONGS_EQUAL(before.tx_dropped, after.tx_dropped);
  // The chip's TX status word for the frame, collected by poll(). (tx_errors is not checked: QEMU's
  // model writes only the frame's tag into a TX status, never an error bit, so it cannot move here;
  // a status with an error would leave tx_completed short instead.)
  LONGS_EQUAL(before.tx_completed + 1, after.tx_completed);
}

TEST(lan9118_frames, receive_reads_only_the_rx_side_and_poll_collects_the_tx_status_later) {
  // receive() is what a driver thread calls without lwIP's core lock (emsock/drivers/lan9118_tcpip.hpp):
  // frames in, nothing of the TX side (whose status FIFO transmit() reads from another thread).
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  make_frame(0, 80, broadcast, 3);
  LONGS_EQUAL(ERR_OK, send_frame(0, 80));
  LONGS_EQUAL(1, g_nic.receive(g_netif));
  LONGS_EQUAL(1, g_frames);
  check_received(0, 80);
  LONGS_EQUAL(before.rx_frames + 1, g_nic.stats().rx_frames);
  LONGS_EQUAL(before.tx_completed, g_nic.stats().tx_completed);  // not collected by receive()
  LONGS_EQUAL(0, g_nic.poll(g_netif));
  LONGS_EQUAL(before.tx_completed + 1, g_nic.stats().tx_completed);
}

TEST(lan9118_frames, receive_hands_up_at_most_max_frames) {
  for (std::uint8_t i = 0; i < 3; ++i) {
    make_frame(0, 64, broadcast, i);
    LONGS_EQUAL(ERR_OK, send_frame(0, 64));
  }
  LONGS_EQUAL(2, g_nic.receive(g_netif, 2));
  CHECK(g_nic.frames_waiting());
  LONGS_EQUAL(1, g_nic.receive(g_netif, 2));
  CHECK_FALSE(g_nic.frames_waiting());
  LONGS_EQUAL(3, g_frames);
}

TEST(lan9118_frames, every_length_and_alignment_comes_back_intact) {
  const std::size_t lengths[] = {14, 15, 16, 17, 59, 61, 63, 64, 127, 255, 511, 1023, 1499, 1513, 1514};
  std::uint32_t seed = 10;
  for (std::size_t len : lengths) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      make_frame(offset, len, broadcast, ++seed);
      LONGS_EQUAL(ERR_OK, send_frame(offset, len));
      g_frames = 0;
      LONGS_EQUAL(1, g_nic.poll(g_netif));
      LONGS_EQUAL(1, g_frames);
      check_received(offset, len);
    }
  }
}

TEST(lan9118_frames, a_chain_of_odd_segments_is_sent_as_one_frame) {
  const std::size_t cuts[] = {1, 14, 15, 333, 334, 1000};
  make_frame(3, max_frame, broadcast, 77);
  LONGS_EQUAL(ERR_OK, send_chain(3, max_frame, cuts, sizeof cuts / sizeof cuts[0]));
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  check_received(3, max_frame);
}

TEST(lan9118_frames, the_mac_filter_keeps_our_address_and_drops_others) {
  const std::uint8_t stranger[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};
  make_frame(0, 100, stranger, 5);
  LONGS_EQUAL(ERR_OK, send_frame(0, 100));
  LONGS_EQUAL(0, g_nic.poll(g_netif));
  make_frame(0, 100, g_netif.hwaddr, 6);
  LONGS_EQUAL(ERR_OK, send_frame(0, 100));
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  check_received(0, 100);
  const std::uint8_t all_nodes[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};  // IPv6 multicast passes
  make_frame(0, 90, all_nodes, 7);
  LONGS_EQUAL(ERR_OK, send_frame(0, 90));
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  check_received(0, 90);
}

TEST(lan9118_frames, too_short_and_too_long_frames_are_refused_and_counted) {
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  make_frame(0, max_frame + 1, broadcast, 8);
  LONGS_EQUAL(ERR_VAL, send_frame(0, max_frame + 1));
  LONGS_EQUAL(ERR_VAL, send_frame(0, 13));
  LONGS_EQUAL(0, g_nic.poll(g_netif));
  LONGS_EQUAL(before.tx_dropped + 2, g_nic.stats().tx_dropped);
  LONGS_EQUAL(before.tx_frames, g_nic.stats().tx_frames);
  LONGS_EQUAL(before.tx_completed, g_nic.stats().tx_completed);
}

TEST(lan9118_frames, a_frame_without_a_pbuf_is_dropped_and_the_next_one_is_intact) {
  // Take every pool pbuf, so the driver has none for the first frame.
  pbuf* held[64] = {};
  std::size_t n = 0;
  while (n < 64 && (held[n] = pbuf_alloc(PBUF_RAW, 100, PBUF_POOL)) != nullptr) ++n;
  CHECK(n > 0 && n < 64);
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  make_frame(1, 777, broadcast, 9);
  LONGS_EQUAL(ERR_OK, send_frame(1, 777));
  LONGS_EQUAL(0, g_nic.poll(g_netif));
  LONGS_EQUAL(before.rx_dropped + 1, g_nic.stats().rx_dropped);
  for (std::size_t i = 0; i < n; ++i) pbuf_free(held[i]);
  make_frame(2, 555, broadcast, 10);
  LONGS_EQUAL(ERR_OK, send_frame(2, 555));
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  check_received(2, 555);
}

TEST(lan9118_frames, a_frame_refused_by_lwip_is_freed_and_counted) {
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  g_refuse = true;
  make_frame(0, 200, broadcast, 11);
  LONGS_EQUAL(ERR_OK, send_frame(0, 200));
  LONGS_EQUAL(0, g_nic.poll(g_netif));
  LONGS_EQUAL(before.rx_dropped + 1, g_nic.stats().rx_dropped);
  g_refuse = false;
  // The refused pbuf went back to the pool: all PBUF_POOL_SIZE pbufs can be taken again.
  pbuf* held[PBUF_POOL_SIZE] = {};
  for (auto& p : held) {
    p = pbuf_alloc(PBUF_RAW, 100, PBUF_POOL);
    CHECK(p != nullptr);
  }
  for (auto* p : held) pbuf_free(p);
}

TEST(lan9118_frames, poll_hands_up_at_most_max_frames) {
  for (std::uint32_t i = 0; i < 5; ++i) {
    make_frame(0, 64, broadcast, 20 + i);
    LONGS_EQUAL(ERR_OK, send_frame(0, 64));
  }
  LONGS_EQUAL(2, g_nic.poll(g_netif, 2));
  LONGS_EQUAL(2, g_nic.poll(g_netif, 2));
  LONGS_EQUAL(1, g_nic.poll(g_netif, 2));
  LONGS_EQUAL(0, g_nic.poll(g_netif, 2));
  LONGS_EQUAL(5, g_frames);
}

TEST(lan9118_frames, a_thousand_frames_wrap_the_fifos_without_a_lost_byte) {
  const emsock::drivers::lan9118_stats before = g_nic.stats();
  std::size_t bytes = 0;
  std::size_t rx_bytes = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const std::size_t len = 14 + (i * 997u) % (max_frame - 13);
    const std::size_t offset = i % 4u;
    make_frame(offset, len, broadcast, 1000 + i);
    LONGS_EQUAL(ERR_OK, send_frame(offset, len));
    g_frames = 0;
    LONGS_EQUAL(1, g_nic.poll(g_netif));
    LONGS_EQUAL(1, g_frames);
    check_received(offset, len);
    bytes += len;
    rx_bytes += len < 60 ? 60 : len;
  }
  const emsock::drivers::lan9118_stats& after = g_nic.stats();
  LONGS_EQUAL(before.tx_frames + 1000, after.tx_frames);
  LONGS_EQUAL(before.rx_frames + 1000, after.rx_frames);
  LONGS_EQUAL(before.rx_bytes + rx_bytes, after.rx_bytes);
  LONGS_EQUAL(before.tx_bytes + bytes, after.tx_bytes);
  LONGS_EQUAL(before.tx_completed + 1000, after.tx_completed);  // one TX status per frame, none lost
}

// The link's duplex follows auto-negotiation: QEMU's PHY offers 0x0F71 as link partner (100 and 10,
// full and half), so advertising everything agrees on 100 full; its advertisement register always
// keeps 100 half (bit 7), so advertising 10 half alone agrees on 100 half.
TEST_GROUP(lan9118_link) {
  void setup() override { bring_up(); }
  void teardown() override { CHECK(g_nic.advertise(0x01E0)); }
};

TEST(lan9118_link, full_duplex_when_both_sides_offer_it) {
  CHECK(g_nic.advertise(0x01E0));
  CHECK(g_nic.full_duplex());
}

TEST(lan9118_link, half_duplex_when_only_half_is_agreed) {
  CHECK(g_nic.advertise(0x0020));
  CHECK_FALSE(g_nic.full_duplex());
  CHECK(g_nic.advertise(0x0100));  // and back
  CHECK(g_nic.full_duplex());
}

TEST(lan9118_link, an_advertisement_without_a_mode_or_with_other_bits_is_refused) {
  CHECK_FALSE(g_nic.advertise(0));
  CHECK_FALSE(g_nic.advertise(0x0001));  // the selector alone
  CHECK_FALSE(g_nic.advertise(0x0300));  // 100 full plus 100BASE-T4, which the driver does not offer
  CHECK(g_nic.full_duplex());           // nothing changed
}

// The receive interrupt: a frame raises IRQ 13, the handler (the board's vector, defined here as an
// image does) acknowledges it, and the line stays quiet without frames.
namespace {
volatile std::uint32_t g_irq_calls = 0;
}  // namespace

extern "C" void ETHERNET_IRQHandler(void) {
  g_irq_calls = g_irq_calls + 1u;
  g_nic.on_interrupt();
}

TEST_GROUP(lan9118_interrupt) {
  void setup() override {
    loopback_and_drain();
    g_irq_calls = 0;
  }
  void teardown() override {
    emsock::mps2::set_irq_enabled(emsock::mps2::lan9118_irq, false);
    CHECK(g_nic.set_loopback(false));
  }
};

TEST(lan9118_interrupt, a_received_frame_raises_it_once_and_poll_reads_the_frame) {
  g_nic.enable_receive_interrupt();
  emsock::mps2::set_irq_enabled(emsock::mps2::lan9118_irq, true);
  // Enabled with nothing received: the line is low (an inverted, open-drain pin would fire at once).
  LONGS_EQUAL(0, g_irq_calls);
  CHECK_FALSE(g_nic.frames_waiting());
  const std::uint32_t before = g_nic.stats().interrupts;
  make_frame(0, 100, broadcast, 7);
  LONGS_EQUAL(ERR_OK, send_frame(0, 100));
  // The handler ran as the frame arrived (interrupts are not masked here), once, and acknowledged it.
  LONGS_EQUAL(1, g_irq_calls);
  LONGS_EQUAL(before + 1, g_nic.stats().interrupts);
  CHECK(g_nic.frames_waiting());
  LONGS_EQUAL(1, g_nic.poll(g_netif));
  check_received(0, 100);
  CHECK_FALSE(g_nic.frames_waiting());
  // Two ticks later the acknowledged line has not fired again.
  const std::uint32_t t0 = emsock::mps2::ticks_ms();
  while (emsock::mps2::ticks_ms() - t0 < 3u) {
  }
  LONGS_EQUAL(1, g_irq_calls);
}

TEST(lan9118_interrupt, sleep_unless_asks_with_interrupts_masked_and_does_not_sleep_while_frames_wait) {
  g_nic.enable_receive_interrupt();
  make_frame(0, 64, broadcast, 9);
  LONGS_EQUAL(ERR_OK, send_frame(0, 64));  // NVIC line off: only the 1 ms tick would end a sleep
  std::uint32_t masked = 0;
  std::uint32_t asked = 0;
  const std::uint32_t t0 = emsock::mps2::ticks_ms();
  for (int i = 0; i < 50; ++i) {
    emsock::mps2::sleep_unless([&] {
      std::uint32_t primask = 0;
      __asm__ volatile("mrs %0, primask" : "=r"(primask));
      masked += primask & 1u;
      ++asked;
      return g_nic.frames_waiting();
    });
  }
  LONGS_EQUAL(50, asked);
  LONGS_EQUAL(50, masked);  // asked with interrupts masked: an interrupt in between cannot be lost
  CHECK(emsock::mps2::ticks_ms() - t0 < 5u);  // 50 sleeps would have taken 50 ticks
  LONGS_EQUAL(1, g_nic.poll(g_netif));
}

TEST_GROUP(board_random) {};

namespace {
const std::uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 1};
const std::uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 2};

struct draws {
  std::uint32_t v[4];
};

draws seed_and_draw(const std::uint8_t* mac, std::uint32_t entropy) {
  emsock::mps2::seed_random(mac, 6, entropy);
  draws d{};
  for (auto& x : d.v) x = emsock::mps2::random32();
  return d;
}
}  // namespace

// Seeding replaces the state: what was drawn or seeded before must not show in the sequence.
// (Folding the seed into the old state, as once done, fails here: then no test could tell one MAC
// from another.)
TEST(board_random, the_same_mac_and_entropy_draw_the_same_sequence_whatever_came_before) {
  const draws first = seed_and_draw(mac_a, 0x1234u);
  for (int i = 0; i < 5; ++i) static_cast<void>(emsock::mps2::random32());
  static_cast<void>(seed_and_draw(mac_b, 0x1234u));
  const draws again = seed_and_draw(mac_a, 0x1234u);
  MEMCMP_EQUAL(first.v, again.v, sizeof first.v);
}

TEST(board_random, seeds_from_different_macs_draw_different_sequences) {
  const std::uint32_t entropies[] = {0u, 1u, 0x1234u, 0xFFFFFFFFu};
  for (const std::uint32_t e : entropies) {
    const draws a = seed_and_draw(mac_a, e);
    const draws b = seed_and_draw(mac_b, e);
    CHECK(a.v[0] != b.v[0]);
    // One byte changed anywhere in the address changes the sequence.
    for (std::size_t i = 0; i < 6; ++i) {
      std::uint8_t other[6];
      std::memcpy(other, mac_a, 6);
      other[i] = static_cast<std::uint8_t>(other[i] ^ 0x80u);
      CHECK(seed_and_draw(other, e).v[0] != a.v[0]);
    }
    CHECK(a.v[0] != a.v[1]);
  }
}

TEST(board_random, another_entropy_draws_another_sequence) {
  CHECK(seed_and_draw(mac_a, 1u).v[0] != seed_and_draw(mac_a, 2u).v[0]);
}

// Without an entropy argument the SysTick counter and the millisecond count are the entropy: one
// board seeded again a millisecond later draws another sequence (two boots of one board).
TEST(board_random, the_clock_is_the_entropy_of_seeding_without_one) {
  emsock::mps2::start_clock();
  emsock::mps2::seed_random(mac_a, 6);
  const std::uint32_t first = emsock::mps2::random32();
  const std::uint32_t t0 = emsock::mps2::ticks_ms();
  for (std::uint32_t i = 0; i < 10000000u && emsock::mps2::ticks_ms() == t0; ++i) {
  }
  CHECK_TEXT(emsock::mps2::ticks_ms() != t0, "the 1 ms clock did not move");
  emsock::mps2::seed_random(mac_a, 6);
  CHECK(emsock::mps2::random32() != first);
}

TEST(board_random, lwip_rand_draws_from_the_same_sequence) {
  emsock::mps2::seed_random(mac_a, 6, 7u);
  const std::uint32_t r = emsock_board_rand();
  emsock::mps2::seed_random(mac_a, 6, 7u);
  UNSIGNED_LONGS_EQUAL(r, emsock::mps2::random32());
}
