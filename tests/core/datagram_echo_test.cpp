// SPDX-License-Identifier: MIT
// Tests of emsock/datagram_echo.hpp: the queue of whole datagrams, the echo server session and the
// echo client, one group per behaviour; then the client against the server through a scripted network.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "emsock/byte_order.hpp"
#include "emsock/datagram_echo.hpp"
#include "../support/datagram_echo_snapshot.hpp"

using namespace emsock;
using namespace std::chrono_literals;

namespace {

#define CHECK_ERRC(expected, actual) STRCMP_EQUAL(name(expected), name(actual))
#define CHECK_STATE(expected, session) STRCMP_EQUAL(name(expected), name((session).state()))
#define CHECK_OUTCOME(expected, client) STRCMP_EQUAL(name(expected), name((client).outcome()))
/// `result` (a result<enum>) holds `expected`; compared by name() for a readable failure.
#define CHECK_HOLDS(expected, result)                           \
  do {                                                          \
    const auto r_ = (result);                                   \
    CHECK_TRUE_TEXT(r_.ok(), "the call was refused");           \
    if (r_.ok()) STRCMP_EQUAL(name(expected), name(r_.value())); \
  } while (0)
#define CHECK_U64(expected, actual) \
  CHECK_TEXT(static_cast<std::uint64_t>(expected) == static_cast<std::uint64_t>(actual), #actual " == " #expected)

using emsock_test::datagram_client_snapshot;
using emsock_test::datagram_session_snapshot;
using emsock_test::queue_snapshot;
using emsock_test::same;

constexpr echo_interest want_read{true, false, false, false};
constexpr echo_interest want_both{true, true, false, false};
constexpr echo_interest want_write{false, true, false, false};
constexpr echo_interest want_close{false, false, false, true};

const endpoint alice{ipv4_address::from_uint(0x0a000001u), 4000};  // 10.0.0.1:4000
const endpoint bob{ipv4_address::from_uint(0x0a000002u), 5000};    // 10.0.0.2:5000

const_byte_span bytes(const char* text) { return {reinterpret_cast<const std::uint8_t*>(text), std::strlen(text)}; }

/// Pushes `text` from `peer` and requires it to be stored.
void push_ok(datagram_queue_base& q, const char* text, const endpoint& peer = alice) {
  CHECK_TRUE(q.push(peer, bytes(text)).ok());
}

/// The front datagram must be `text` from `peer`; pops it.
void pop_expect(datagram_queue_base& q, const char* text, const endpoint& peer = alice) {
  const datagram_view d = q.front();
  CHECK_TRUE(static_cast<bool>(d));
  CHECK_TRUE(*d.peer == peer);
  UNSIGNED_LONGS_EQUAL(std::strlen(text), d.bytes.size);
  if (d.bytes.size != 0) MEMCMP_EQUAL(text, d.bytes.data, d.bytes.size);
  CHECK_TRUE(q.pop().ok());
}

}  // namespace

// --- the queue: whole datagrams in order --------------------------------------------------------------

TEST_GROUP(DatagramQueue){};

TEST(DatagramQueue, StartsEmptyAndLendsTheWholeArea) {
  datagram_queue<4, 32> q;
  CHECK_TRUE(q.usable());
  CHECK_TRUE(q.empty());
  UNSIGNED_LONGS_EQUAL(4, q.max_datagrams());
  UNSIGNED_LONGS_EQUAL(32, q.byte_capacity());
  UNSIGNED_LONGS_EQUAL(32, q.receive_space().size);
  CHECK_FALSE(static_cast<bool>(q.front()));
  CHECK_ERRC(errc::invalid_argument, q.pop().code());
}

TEST(DatagramQueue, PushedDatagramsComeOutWholeInOrderWithTheirPeers) {
  datagram_queue<4, 32> q;
  push_ok(q, "one", alice);
  push_ok(q, "two!", bob);
  push_ok(q, "three", alice);
  UNSIGNED_LONGS_EQUAL(3, q.size());
  UNSIGNED_LONGS_EQUAL(12, q.bytes_held());
  pop_expect(q, "one", alice);
  pop_expect(q, "two!", bob);
  pop_expect(q, "three", alice);
  CHECK_TRUE(q.empty());
  UNSIGNED_LONGS_EQUAL(0, q.bytes_held());
}

TEST(DatagramQueue, FullByCountRefusesAsNoRecord) {
  datagram_queue<2, 32> q;
  push_ok(q, "a");
  push_ok(q, "b");
  const queue_snapshot before{q};
  CHECK_FALSE(q.check(1).ok);
  CHECK_TRUE(q.check(1).reason == datagram_drop::no_record);
  CHECK_ERRC(errc::buffer_too_small, q.push(bob, bytes("c")).code());
  CHECK_U64(1, q.drops().no_record);
  CHECK_U64(1, q.drops().total());
  UNSIGNED_LONGS_EQUAL(2, q.size());
  CHECK_TRUE(q.receive_space().data == nullptr && q.receive_space().size == 0);
  CHECK_TRUE(same(before.front, q.front()));
  pop_expect(q, "a");
  pop_expect(q, "b");
}

TEST(DatagramQueue, FullByBytesRefusesAsNoBytes) {
  datagram_queue<8, 10> q;
  push_ok(q, "12345678");
  CHECK_TRUE(q.check(2).ok);
  CHECK_TRUE(q.check(3).reason == datagram_drop::no_bytes);
  CHECK_ERRC(errc::buffer_too_small, q.push(alice, bytes("abc")).code());
  CHECK_U64(1, q.drops().no_bytes);
  push_ok(q, "xy");  // exactly the bytes left
  UNSIGNED_LONGS_EQUAL(10, q.bytes_held());
  CHECK_ERRC(errc::buffer_too_small, q.push(alice, bytes("z")).code());
  CHECK_U64(2, q.drops().no_bytes);
  pop_expect(q, "12345678");
  pop_expect(q, "xy");
}

TEST(DatagramQueue, LargerThanTheWholeCapacityIsTooLargeEvenWhenEmpty) {
  datagram_queue<4, 8> q;
  CHECK_TRUE(q.check(9).reason == datagram_drop::too_large);
  CHECK_ERRC(errc::message_too_long, q.push(alice, bytes("123456789")).code());
  CHECK_U64(1, q.drops().too_large);
  CHECK_TRUE(q.empty());
  UNSIGNED_LONGS_EQUAL(0, q.bytes_held());
  push_ok(q, "12345678");  // exactly the capacity fits an empty queue
  pop_expect(q, "12345678");
}

TEST(DatagramQueue, TooLargeIsNamedBeforeNoRecord) {
  datagram_queue<1, 8> q;
  push_ok(q, "a");
  CHECK_TRUE(q.check(9).reason == datagram_drop::too_large);
  CHECK_TRUE(q.check(1).reason == datagram_drop::no_record);
}

TEST(DatagramQueue, ZeroByteDatagramIsADatagram) {
  datagram_queue<2, 4> q;
  push_ok(q, "");
  UNSIGNED_LONGS_EQUAL(1, q.size());
  UNSIGNED_LONGS_EQUAL(0, q.bytes_held());
  const datagram_view d = q.front();
  CHECK_TRUE(static_cast<bool>(d));
  UNSIGNED_LONGS_EQUAL(0, d.bytes.size);
  push_ok(q, "");
  CHECK_ERRC(errc::buffer_too_small, q.push(alice, bytes("")).code());  // the records are full
  CHECK_U64(1, q.drops().no_record);
  pop_expect(q, "");
  pop_expect(q, "");
}

TEST(DatagramQueue, NullDataWithASizeIsRefusedUncounted) {
  datagram_queue<2, 4> q;
  const queue_snapshot before{q};
  CHECK_ERRC(errc::invalid_argument, q.push(alice, const_byte_span{nullptr, 3}).code());
  CHECK_TRUE(queue_snapshot{q} == before);
  CHECK_TRUE(q.push(alice, const_byte_span{nullptr, 0}).ok());  // a zero-byte datagram needs no data
}

TEST(DatagramQueue, ClearKeepsTheCountersResetZeroesThem) {
  datagram_queue<1, 4> q;
  push_ok(q, "ab");
  CHECK_FALSE(q.push(alice, bytes("c")).ok());
  q.clear();
  CHECK_TRUE(q.empty());
  UNSIGNED_LONGS_EQUAL(4, q.receive_space().size);
  CHECK_U64(1, q.drops().no_record);
  q.reset();
  CHECK_U64(0, q.drops().total());
}

// --- the queue: the byte ring wraps with whole datagrams only --------------------------------------------

TEST_GROUP(DatagramQueueWrap) {
  datagram_queue<8, 10> q;
  const std::uint8_t* base = nullptr;
  void setup() override {
    base = q.receive_space().data;  // an empty queue lends its area from index 0
    push_ok(q, "AAAA");             // [0,4)
    push_ok(q, "BBBB");             // [4,8)
    pop_expect(q, "AAAA");          // held [4,8); free [8,10) and [0,4)
  }
};

TEST(DatagramQueueWrap, ADatagramThatDoesNotFitAtTheEndStartsOverAtZero) {
  push_ok(q, "CCC");  // 3 > 2 bytes at the end: stored at [0,3), whole
  pop_expect(q, "BBBB");
  const datagram_view d = q.front();
  POINTERS_EQUAL(base, d.bytes.data);
  UNSIGNED_LONGS_EQUAL(3, d.bytes.size);
  MEMCMP_EQUAL("CCC", d.bytes.data, 3);
}

TEST(DatagramQueueWrap, OneThatFitsAtTheEndStaysThere) {
  push_ok(q, "CC");  // [8,10)
  pop_expect(q, "BBBB");
  POINTERS_EQUAL(base + 8, q.front().bytes.data);
  pop_expect(q, "CC");
}

TEST(DatagramQueueWrap, SplitFreeBytesRefuseWhatTheirSumWouldHold) {
  // 6 bytes are free (2 at the end, 4 at the start), but not 5 in one piece.
  UNSIGNED_LONGS_EQUAL(4, q.bytes_held());
  CHECK_TRUE(q.check(5).reason == datagram_drop::no_bytes);
  CHECK_ERRC(errc::buffer_too_small, q.push(alice, bytes("DDDDD")).code());
  CHECK_U64(1, q.drops().no_bytes);
  push_ok(q, "DDDD");  // 4 fits at the start
}

TEST(DatagramQueueWrap, AfterWrappingOnlyTheGapBeforeTheOldestIsFree) {
  push_ok(q, "CC");   // [8,10): it fits at the end
  push_ok(q, "DDD");  // [0,3): wraps
  // held: BBBB [4,8), CC [8,10), DDD [0,3); free: [3,4) only
  UNSIGNED_LONGS_EQUAL(1, q.receive_space().size);
  POINTERS_EQUAL(base + 3, q.receive_space().data);
  CHECK_TRUE(q.check(2).reason == datagram_drop::no_bytes);
  push_ok(q, "E");
  CHECK_TRUE(q.receive_space().size == 0 && q.receive_space().data != nullptr);
  pop_expect(q, "BBBB");
  pop_expect(q, "CC");
  pop_expect(q, "DDD");
  pop_expect(q, "E");
}

TEST(DatagramQueueWrap, WhenTheTopDrainsTheEndIsFreeAgain) {
  push_ok(q, "CCC");      // [0,3), wrapped
  pop_expect(q, "BBBB");  // only [0,3) is held: free [3,10)
  UNSIGNED_LONGS_EQUAL(7, q.receive_space().size);
  POINTERS_EQUAL(base + 3, q.receive_space().data);
  push_ok(q, "DDDDDDD");
  pop_expect(q, "CCC");
  pop_expect(q, "DDDDDDD");
  UNSIGNED_LONGS_EQUAL(10, q.receive_space().size);  // empty: the whole area from index 0 again
  POINTERS_EQUAL(base, q.receive_space().data);
}

TEST(DatagramQueueWrap, ManyRoundsKeepEveryDatagramWholeAndInOrder) {
  // Datagrams of 1..7 bytes through a 10-byte ring: each comes out contiguous, equal and in order.
  pop_expect(q, "BBBB");
  std::uint32_t seed = 12345;  // a linear congruential generator, so failures reproduce
  auto upto = [&seed](std::size_t bound) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::size_t>((seed >> 16) % (bound + 1));
  };
  std::uint8_t next_in = 0;
  std::uint8_t next_out = 0;
  std::size_t sizes[8] = {};
  std::size_t in = 0, out = 0;
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = 1 + upto(6);
    std::uint8_t d[7];
    for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>(next_in + i);
    const datagram_queue_base::verdict v = q.check(n);
    const status st = q.push(bob, const_byte_span{d, n});
    CHECK_EQUAL(v.ok, st.ok());
    if (st.ok()) {
      sizes[in++ % 8] = n;
      next_in = static_cast<std::uint8_t>(next_in + n);
    }
    if (upto(2) != 0 && !q.empty()) {
      const datagram_view f = q.front();
      const std::size_t m = sizes[out++ % 8];
      UNSIGNED_LONGS_EQUAL(m, f.bytes.size);
      CHECK_TRUE(f.bytes.data >= base && f.bytes.data + f.bytes.size <= base + 10);
      for (std::size_t i = 0; i < m; ++i) BYTES_EQUAL(static_cast<std::uint8_t>(next_out + i), f.bytes.data[i]);
      next_out = static_cast<std::uint8_t>(next_out + m);
      CHECK_TRUE(q.pop().ok());
    }
    CHECK_TRUE(q.bytes_held() <= q.byte_capacity());
  }
  CHECK_TRUE(q.drops().no_bytes > 0);  // the ring was full at times
  CHECK_U64(0, q.drops().too_large);
}

// --- the queue: lending space for recv_from ------------------------------------------------------------

TEST_GROUP(DatagramQueueLend){};

TEST(DatagramQueueLend, CommitStoresWhatWasWrittenIntoTheLentSpace) {
  datagram_queue<4, 16> q;
  const byte_span sp = q.receive_space();
  std::memcpy(sp.data, "hello", 5);
  CHECK_TRUE(q.commit(5, bob).ok());
  UNSIGNED_LONGS_EQUAL(11, q.receive_space().size);
  POINTERS_EQUAL(sp.data + 5, q.receive_space().data);
  pop_expect(q, "hello", bob);
}

TEST(DatagramQueueLend, LendsTheLargerRunFromIndexZero) {
  datagram_queue<4, 10> q;
  const std::uint8_t* base = q.receive_space().data;
  push_ok(q, "AAAAA");  // [0,5)
  push_ok(q, "BBB");    // [5,8)
  pop_expect(q, "AAAAA");
  // free: [8,10) (2 bytes) and [0,5) (5 bytes): the larger one is lent
  const byte_span sp = q.receive_space();
  POINTERS_EQUAL(base, sp.data);
  UNSIGNED_LONGS_EQUAL(5, sp.size);
  std::memcpy(sp.data, "CC", 2);
  CHECK_TRUE(q.commit(2, alice).ok());
  pop_expect(q, "BBB");
  pop_expect(q, "CC");
}

TEST(DatagramQueueLend, CommittingMoreThanLentChangesNothing) {
  datagram_queue<4, 8> q;
  push_ok(q, "123456");
  const queue_snapshot before{q};
  CHECK_ERRC(errc::invalid_argument, q.commit(3, alice).code());
  CHECK_TRUE(queue_snapshot{q} == before);
}

TEST(DatagramQueueLend, ZeroByteCommitWithoutARecordIsACountedDrop) {
  datagram_queue<1, 8> q;
  push_ok(q, "a");
  CHECK_ERRC(errc::buffer_too_small, q.commit(0, alice).code());
  CHECK_U64(1, q.drops().no_record);
  UNSIGNED_LONGS_EQUAL(1, q.size());
}

TEST(DatagramQueueLend, RefuseCountsACutDatagramByItsRealLength) {
  datagram_queue<2, 8> q;
  push_ok(q, "12345");
  CHECK_HOLDS(datagram_drop::no_bytes, q.refuse(4));  // 3 lent, 4 would fit an empty queue
  CHECK_HOLDS(datagram_drop::too_large, q.refuse(9));
  CHECK_U64(1, q.drops().no_bytes);
  CHECK_U64(1, q.drops().too_large);
  push_ok(q, "x");
  CHECK_HOLDS(datagram_drop::no_record, q.refuse(2));  // no record left
  CHECK_U64(1, q.drops().no_record);
  UNSIGNED_LONGS_EQUAL(2, q.size());
}

TEST(DatagramQueueLend, RefuseOfUnknownLengthGuessesFromWhatWasLent) {
  datagram_queue<2, 8> q;
  CHECK_HOLDS(datagram_drop::too_large, q.refuse(0));  // the whole area was lent
  push_ok(q, "123");
  CHECK_HOLDS(datagram_drop::no_bytes, q.refuse(0));  // only part of it
  CHECK_U64(1, q.drops().too_large);
  CHECK_U64(1, q.drops().no_bytes);
}

TEST(DatagramQueueLend, RefusingALengthThatWouldHaveFittedIsMisuse) {
  datagram_queue<2, 8> q;
  push_ok(q, "123");
  const queue_snapshot before{q};
  CHECK_ERRC(errc::invalid_argument, q.refuse(5).code());
  CHECK_TRUE(queue_snapshot{q} == before);
}

// --- the queue: unusable storage ----------------------------------------------------------------------

TEST_GROUP(DatagramQueueStorage){};

TEST(DatagramQueueStorage, NullOrZeroStorageIsUnusableAndRefusesUncounted) {
  std::uint8_t bytes_area[4];
  datagram_record records[2];
  datagram_queue_base no_bytes{nullptr, 4, records, 2};
  datagram_queue_base zero_bytes{bytes_area, 0, records, 2};
  datagram_queue_base no_records{bytes_area, 4, nullptr, 2};
  datagram_queue_base zero_records{bytes_area, 4, records, 0};
  for (datagram_queue_base* q : {&no_bytes, &zero_bytes, &no_records, &zero_records}) {
    CHECK_FALSE(q->usable());
    UNSIGNED_LONGS_EQUAL(0, q->byte_capacity());
    UNSIGNED_LONGS_EQUAL(0, q->max_datagrams());
    CHECK_TRUE(q->receive_space().data == nullptr && q->receive_space().size == 0);
    CHECK_ERRC(errc::invalid_argument, q->push(alice, bytes("a")).code());
    CHECK_ERRC(errc::invalid_argument, q->push(alice, bytes("")).code());
    CHECK_ERRC(errc::invalid_argument, q->commit(0, alice).code());
    CHECK_ERRC(errc::invalid_argument, q->refuse(0).code());
    CHECK_U64(0, q->drops().total());
  }
}

// --- the server session: open ---------------------------------------------------------------------------

namespace {

/// Copies `text` into the lent space and reports a datagram from `from`; returns on_received's code.
errc arrive(datagram_echo_session_base& s, const char* text, const endpoint& from = alice) {
  const byte_span sp = s.receive_space();
  const std::size_t n = std::strlen(text);
  CHECK_TRUE(n <= sp.size);
  if (n != 0) std::memcpy(sp.data, text, n);
  return s.on_received(n, from).code();
}

/// The pending datagram must be `text` for `to`; reports it sent.
void echo_expect(datagram_echo_session_base& s, const char* text, const endpoint& to = alice) {
  const datagram_view d = s.pending_send();
  CHECK_TRUE(static_cast<bool>(d));
  CHECK_TRUE(*d.peer == to);
  UNSIGNED_LONGS_EQUAL(std::strlen(text), d.bytes.size);
  if (d.bytes.size != 0) MEMCMP_EQUAL(text, d.bytes.data, d.bytes.size);
  CHECK_TRUE(s.on_sent().ok());
}

/// received == echoed + dropped + queued, in datagrams and in bytes.
void check_balance(const datagram_echo_session_base& s) {
  const datagram_echo_stats& st = s.stats();
  CHECK_U64(st.received, st.echoed + st.dropped.total() + s.queued());
  CHECK_U64(st.received_bytes, st.echoed_bytes + st.dropped_bytes + s.queued_bytes());
}

}  // namespace

TEST_GROUP(DatagramEchoOpen){};

TEST(DatagramEchoOpen, StartsOpenReadingWithTheWholeAreaLent) {
  datagram_echo_session<4, 1472> s;
  CHECK_STATE(datagram_echo_state::open, s);
  CHECK_TRUE(s.interest() == want_read);
  UNSIGNED_LONGS_EQUAL(1472, s.receive_space().size);
  CHECK_FALSE(static_cast<bool>(s.pending_send()));
  CHECK_ERRC(errc::ok, s.error());
}

TEST(DatagramEchoOpen, EachDatagramGoesBackWholeToItsSenderInOrder) {
  datagram_echo_session<4, 64> s;
  CHECK_ERRC(errc::ok, arrive(s, "ping", alice));
  CHECK_ERRC(errc::ok, arrive(s, "hello", bob));
  CHECK_TRUE(s.interest() == want_both);
  UNSIGNED_LONGS_EQUAL(2, s.queued());
  echo_expect(s, "ping", alice);
  echo_expect(s, "hello", bob);
  CHECK_TRUE(s.interest() == want_read);
  CHECK_U64(2, s.stats().received);
  CHECK_U64(9, s.stats().received_bytes);
  CHECK_U64(2, s.stats().echoed);
  CHECK_U64(9, s.stats().echoed_bytes);
  check_balance(s);
}

TEST(DatagramEchoOpen, AZeroByteDatagramIsEchoed) {
  datagram_echo_session<2, 8> s;
  CHECK_ERRC(errc::ok, arrive(s, "", bob));
  echo_expect(s, "", bob);
  CHECK_U64(1, s.stats().echoed);
}

TEST(DatagramEchoOpen, WouldBlockKeepsTheDatagramQueued) {
  datagram_echo_session<2, 8> s;
  arrive(s, "abc");
  const datagram_session_snapshot before{s};
  CHECK_TRUE(s.on_send_error(errc::would_block).ok());
  CHECK_TRUE(s.on_send_error(errc::interrupted).ok());
  CHECK_TRUE(datagram_session_snapshot{s} == before);
  echo_expect(s, "abc");
}

TEST(DatagramEchoOpen, AFatalSendErrorDropsOnlyThatDatagram) {
  datagram_echo_session<4, 16> s;
  arrive(s, "big", alice);
  arrive(s, "ok", bob);
  CHECK_TRUE(s.on_send_error(errc::message_too_long).ok());
  CHECK_U64(1, s.stats().dropped.send_failed);
  CHECK_U64(3, s.stats().dropped_bytes);
  CHECK_STATE(datagram_echo_state::open, s);
  echo_expect(s, "ok", bob);
  check_balance(s);
}

TEST(DatagramEchoOpen, SendEventsWithNothingPendingAreMisuse) {
  datagram_echo_session<2, 8> s;
  const datagram_session_snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_sent().code());
  CHECK_ERRC(errc::invalid_argument, s.on_send_error(errc::host_unreachable).code());
  CHECK_TRUE(datagram_session_snapshot{s} == before);
}

TEST(DatagramEchoOpen, SendCodesThatAreNoSendOutcomeAreMisuse) {
  datagram_echo_session<2, 8> s;
  arrive(s, "a");
  const datagram_session_snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_send_error(errc::ok).code());
  CHECK_ERRC(errc::invalid_argument, s.on_send_error(errc::in_progress).code());
  CHECK_ERRC(errc::invalid_argument, s.on_send_error(errc::datagram_truncated).code());
  CHECK_TRUE(datagram_session_snapshot{s} == before);
}

// --- the server session: a full queue drops whole datagrams, counted -----------------------------------------

TEST_GROUP(DatagramEchoFull){};

TEST(DatagramEchoFull, FullByCountDropsAndKeepsReading) {
  datagram_echo_session<2, 64> s;
  arrive(s, "a");
  arrive(s, "b");
  CHECK_TRUE(s.interest() == want_both);  // still reading: a drop is counted here, not lost in the stack
  const byte_span sp = s.receive_space();
  CHECK_TRUE(sp.data == nullptr && sp.size == 0);
  CHECK_ERRC(errc::buffer_too_small, s.on_received(0, bob).code());  // recv_from into 0 bytes: a 0-byte one
  CHECK_ERRC(errc::buffer_too_small, s.on_truncated(3, bob).code());  // or a longer one, cut
  CHECK_U64(2, s.stats().dropped.no_record);
  CHECK_U64(3, s.stats().dropped_bytes);
  CHECK_U64(4, s.stats().received);
  echo_expect(s, "a");
  echo_expect(s, "b");
  check_balance(s);
}

TEST(DatagramEchoFull, FullByBytesDropsAsNoBytes) {
  datagram_echo_session<8, 8> s;
  arrive(s, "123456");
  UNSIGNED_LONGS_EQUAL(2, s.receive_space().size);
  CHECK_ERRC(errc::buffer_too_small, s.on_truncated(5, bob).code());
  CHECK_U64(1, s.stats().dropped.no_bytes);
  CHECK_U64(5, s.stats().dropped_bytes);
  CHECK_ERRC(errc::ok, arrive(s, "78"));
  check_balance(s);
}

TEST(DatagramEchoFull, ADatagramLargerThanTheCapacityIsDroppedNeverPartly) {
  datagram_echo_session<4, 8> s;
  CHECK_ERRC(errc::message_too_long, s.on_truncated(100, bob).code());
  CHECK_U64(1, s.stats().dropped.too_large);
  CHECK_U64(100, s.stats().dropped_bytes);
  UNSIGNED_LONGS_EQUAL(0, s.queued());
  CHECK_FALSE(static_cast<bool>(s.pending_send()));  // not one byte of it is echoed
  CHECK_ERRC(errc::message_too_long, s.on_truncated(0, bob).code());  // length unknown, whole area lent
  CHECK_U64(2, s.stats().dropped.too_large);
  check_balance(s);
}

TEST(DatagramEchoFull, ReportingMoreThanLentIsMisuse) {
  datagram_echo_session<4, 8> s;
  arrive(s, "12345");
  const datagram_session_snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_received(4, bob).code());
  CHECK_ERRC(errc::invalid_argument, s.on_truncated(2, bob).code());  // 2 would have fitted
  CHECK_TRUE(datagram_session_snapshot{s} == before);
}

TEST(DatagramEchoFull, SendingMakesRoomAgain) {
  datagram_echo_session<1, 8> s;
  arrive(s, "a");
  CHECK_TRUE(s.receive_space().size == 0);
  echo_expect(s, "a");
  UNSIGNED_LONGS_EQUAL(8, s.receive_space().size);
}

// --- the server session: ends -------------------------------------------------------------------------------

TEST_GROUP(DatagramEchoEnds){};

TEST(DatagramEchoEnds, StopDrainsWhatIsQueuedThenFinishes) {
  datagram_echo_session<4, 16> s;
  arrive(s, "a");
  arrive(s, "b");
  CHECK_TRUE(s.stop().ok());
  CHECK_STATE(datagram_echo_state::draining, s);
  CHECK_TRUE(s.interest() == want_write);
  CHECK_TRUE(s.receive_space().size == 0 && s.receive_space().data == nullptr);
  CHECK_ERRC(errc::invalid_argument, s.on_received(0, bob).code());
  echo_expect(s, "a");
  CHECK_STATE(datagram_echo_state::draining, s);
  echo_expect(s, "b");
  CHECK_STATE(datagram_echo_state::finished, s);
  CHECK_TRUE(s.interest() == want_close);
  CHECK_TRUE(s.done());
}

TEST(DatagramEchoEnds, AFailedSendOfTheLastOneFinishesToo) {
  datagram_echo_session<4, 16> s;
  arrive(s, "a");
  CHECK_TRUE(s.stop().ok());
  CHECK_TRUE(s.on_send_error(errc::network_unreachable).ok());
  CHECK_STATE(datagram_echo_state::finished, s);
  CHECK_U64(1, s.stats().dropped.send_failed);
}

TEST(DatagramEchoEnds, StopWithNothingQueuedFinishesAtOnce) {
  datagram_echo_session<4, 16> s;
  CHECK_TRUE(s.stop().ok());
  CHECK_STATE(datagram_echo_state::finished, s);
  CHECK_ERRC(errc::invalid_argument, s.stop().code());
}

TEST(DatagramEchoEnds, AFatalSocketErrorFailsAtOnce) {
  datagram_echo_session<4, 16> s;
  arrive(s, "a");
  CHECK_TRUE(s.on_error(errc::invalid_argument).ok());
  CHECK_STATE(datagram_echo_state::failed, s);
  CHECK_ERRC(errc::invalid_argument, s.error());
  CHECK_TRUE(s.interest() == want_close);
  CHECK_FALSE(static_cast<bool>(s.pending_send()));
  UNSIGNED_LONGS_EQUAL(1, s.queued());  // never sent
  check_balance(s);
}

TEST(DatagramEchoEnds, NonFatalCodesAreNoSocketError) {
  datagram_echo_session<4, 16> s;
  const datagram_session_snapshot before{s};
  for (errc code : {errc::ok, errc::would_block, errc::interrupted, errc::in_progress, errc::datagram_truncated})
    CHECK_ERRC(errc::invalid_argument, s.on_error(code).code());
  CHECK_TRUE(datagram_session_snapshot{s} == before);
}

TEST(DatagramEchoEnds, EventsAfterTheEndAreRefusedAndChangeNothing) {
  datagram_echo_session<4, 16> s;
  arrive(s, "a");
  CHECK_TRUE(s.on_error(errc::system_error).ok());
  const datagram_session_snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_received(0, alice).code());
  CHECK_ERRC(errc::invalid_argument, s.on_truncated(0, alice).code());
  CHECK_ERRC(errc::invalid_argument, s.on_sent().code());
  CHECK_ERRC(errc::invalid_argument, s.on_send_error(errc::host_unreachable).code());
  CHECK_ERRC(errc::invalid_argument, s.on_error(errc::system_error).code());
  CHECK_ERRC(errc::invalid_argument, s.stop().code());
  CHECK_TRUE(datagram_session_snapshot{s} == before);
}

TEST(DatagramEchoEnds, RestartStartsOverOpenAndEmpty) {
  datagram_echo_session<4, 16> s;
  arrive(s, "a");
  CHECK_TRUE(s.on_error(errc::system_error).ok());
  s.restart();
  CHECK_STATE(datagram_echo_state::open, s);
  CHECK_ERRC(errc::ok, s.error());
  UNSIGNED_LONGS_EQUAL(0, s.queued());
  CHECK_U64(0, s.stats().received);
  UNSIGNED_LONGS_EQUAL(16, s.receive_space().size);
}

TEST(DatagramEchoEnds, UnusableStorageStartsFailed) {
  datagram_record records[2];
  datagram_echo_session_base s{nullptr, 16, records, 2};
  CHECK_STATE(datagram_echo_state::failed, s);
  CHECK_ERRC(errc::invalid_argument, s.error());
  CHECK_TRUE(s.interest() == want_close);
  s.restart();
  CHECK_STATE(datagram_echo_state::failed, s);
}

TEST(DatagramEchoEnds, NamesOfStatesAndReasons) {
  STRCMP_EQUAL("draining", name(datagram_echo_state::draining));
  STRCMP_EQUAL("unknown", name(static_cast<datagram_echo_state>(99)));
  STRCMP_EQUAL("no_bytes", name(datagram_drop::no_bytes));
  STRCMP_EQUAL("send_failed", name(datagram_drop::send_failed));
  STRCMP_EQUAL("unknown", name(static_cast<datagram_drop>(99)));
}

// --- the client -----------------------------------------------------------------------------------------

namespace {

/// A copy of a datagram (what the network carries).
struct packet {
  std::uint8_t data[64] = {};
  std::size_t size = 0;
  const_byte_span span() const { return {data, size}; }
};

/// Takes the pending datagram and reports it sent at `now`.
packet send_one(datagram_echo_client_base& c, std::uint64_t now) {
  packet p;
  const const_byte_span d = c.pending_send();
  CHECK_TRUE(d.size > 0 && d.size <= sizeof p.data);
  std::memcpy(p.data, d.data, d.size);
  p.size = d.size;
  CHECK_TRUE(c.on_sent(now).ok());
  return p;
}

datagram_echo_client_config small_config(std::uint32_t count, std::uint32_t window = 1) {
  datagram_echo_client_config cfg;
  cfg.count = count;
  cfg.size = 16;
  cfg.timeout = 100ms;
  cfg.retries = 2;
  cfg.window = window;
  return cfg;
}

std::uint32_t sequence_of(const packet& p) { return load_be32(p.data); }

}  // namespace

TEST_GROUP(DatagramClientSending){};

TEST(DatagramClientSending, TheFirstDatagramCarriesSequenceAttemptAndPattern) {
  datagram_echo_client<64> c{small_config(3), 1000};
  CHECK_OUTCOME(datagram_echo_outcome::pending, c);
  CHECK_TRUE(c.interest() == want_both);
  const const_byte_span d = c.pending_send();
  UNSIGNED_LONGS_EQUAL(16, d.size);
  CHECK_U64(0, load_be32(d.data));
  BYTES_EQUAL(0, d.data[4]);
  for (std::size_t i = datagram_echo_client_base::header_size; i < 16; ++i)
    BYTES_EQUAL(datagram_echo_client_base::pattern_byte(0, i), d.data[i]);
  CHECK_U64(datagram_echo_client_base::no_deadline, c.poll_at());  // nothing sent: no timer
  UNSIGNED_LONGS_EQUAL(17, c.max_reply_size());
}

TEST(DatagramClientSending, PatternsDifferBetweenDatagrams) {
  datagram_echo_client<64> c{small_config(2, 2), 0};
  const packet a = send_one(c, 0);
  const packet b = send_one(c, 0);
  CHECK_U64(1, sequence_of(b));
  CHECK_TRUE(std::memcmp(a.data + 5, b.data + 5, 11) != 0);
}

TEST(DatagramClientSending, APayloadIsRepeatedAfterTheHeader) {
  datagram_echo_client_config cfg = small_config(1);
  cfg.payload = bytes("abc");
  cfg.size = 5 + 7;
  datagram_echo_client<64> c{cfg, 0};
  const const_byte_span d = c.pending_send();
  UNSIGNED_LONGS_EQUAL(12, d.size);
  MEMCMP_EQUAL("abcabca", d.data + 5, 7);
}

TEST(DatagramClientSending, StopAndWaitSendsTheNextOnlyAfterAReply) {
  datagram_echo_client<64> c{small_config(2), 0};
  const packet p = send_one(c, 10);
  CHECK_TRUE(c.pending_send().empty());
  CHECK_TRUE(c.interest() == want_read);
  CHECK_U64(110, c.poll_at());
  UNSIGNED_LONGS_EQUAL(1, c.in_flight());
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p.span(), 20));
  UNSIGNED_LONGS_EQUAL(0, c.in_flight());
  CHECK_U64(1, load_be32(c.pending_send().data));
}

TEST(DatagramClientSending, TheWindowBoundsDatagramsInFlight) {
  datagram_echo_client<64, 4> c{small_config(10, 3), 0};
  send_one(c, 0);
  send_one(c, 0);
  const packet third = send_one(c, 0);
  CHECK_U64(2, sequence_of(third));
  UNSIGNED_LONGS_EQUAL(3, c.in_flight());
  CHECK_TRUE(c.pending_send().empty());
  CHECK_ERRC(errc::invalid_argument, c.on_sent(0).code());
}

TEST(DatagramClientSending, AllEchoedInOrderSucceeds) {
  datagram_echo_client<64> c{small_config(3), 0};
  for (std::uint32_t i = 0; i < 3; ++i) {
    const packet p = send_one(c, i);
    CHECK_HOLDS(datagram_reply::echoed, c.on_received(p.span(), i));
  }
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, c);
  CHECK_TRUE(c.succeeded());
  CHECK_TRUE(c.interest() == want_close);
  CHECK_U64(3, c.stats().echoed);
  CHECK_U64(3, c.stats().sent);
  CHECK_U64(0, c.stats().retries);
  CHECK_U64(datagram_echo_client_base::no_deadline, c.poll_at());
}

TEST(DatagramClientSending, CountZeroSucceedsAtOnce) {
  datagram_echo_client<64> c{small_config(0), 0};
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, c);
  CHECK_TRUE(c.pending_send().empty());
}

// --- the client: timeouts, retries, loss -----------------------------------------------------------------------

TEST_GROUP(DatagramClientRetry){};

TEST(DatagramClientRetry, AnUnansweredDatagramIsSentAgainAfterTheTimeout) {
  datagram_echo_client<64> c{small_config(1), 0};
  send_one(c, 0);
  c.on_tick(99);
  CHECK_TRUE(c.pending_send().empty());
  c.on_tick(100);
  CHECK_TRUE(c.interest() == want_both);
  UNSIGNED_LONGS_EQUAL(0, c.pending_sequence());
  UNSIGNED_LONGS_EQUAL(1, c.pending_attempt());
  const packet retry = send_one(c, 100);
  BYTES_EQUAL(1, retry.data[4]);
  CHECK_U64(200, c.poll_at());
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(retry.span(), 150));
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, c);
  CHECK_U64(2, c.stats().sent);
  CHECK_U64(1, c.stats().retries);
}

TEST(DatagramClientRetry, AfterTheLastRetryTheDatagramIsLostAndTheRunGoesOn) {
  datagram_echo_client<64> c{small_config(2), 0};
  send_one(c, 0);    // attempt 0
  c.on_tick(100);
  send_one(c, 100);  // attempt 1
  c.on_tick(200);
  send_one(c, 200);  // attempt 2 (retries = 2)
  c.on_tick(299);
  CHECK_U64(0, c.stats().lost);
  c.on_tick(300);
  CHECK_U64(1, c.stats().lost);
  CHECK_OUTCOME(datagram_echo_outcome::pending, c);
  const packet next = send_one(c, 300);  // sequence 1 goes on
  CHECK_U64(1, sequence_of(next));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(next.span(), 310));
  CHECK_OUTCOME(datagram_echo_outcome::lost, c);
  CHECK_FALSE(c.succeeded());
  CHECK_U64(1, c.stats().echoed);
  CHECK_U64(4, c.stats().sent);
  CHECK_U64(2, c.stats().retries);
}

TEST(DatagramClientRetry, NoRetriesMeansLostAtTheFirstTimeout) {
  datagram_echo_client_config cfg = small_config(1);
  cfg.retries = 0;
  datagram_echo_client<64> c{cfg, 0};
  send_one(c, 0);
  c.on_tick(100);
  CHECK_OUTCOME(datagram_echo_outcome::lost, c);
  CHECK_U64(1, c.stats().sent);
}

TEST(DatagramClientRetry, AReplyAfterGivingUpIsLate) {
  datagram_echo_client_config cfg = small_config(2);
  cfg.retries = 0;
  datagram_echo_client<64> c{cfg, 0};
  const packet first = send_one(c, 0);
  c.on_tick(100);  // lost
  send_one(c, 100);
  CHECK_HOLDS(datagram_reply::late, c.on_received(first.span(), 120));
  CHECK_U64(1, c.stats().late);
  CHECK_U64(1, c.stats().lost);  // lost stays lost
}

TEST(DatagramClientRetry, ARetryCrossingASlowReplyGivesOneEchoedAndOneLate) {
  datagram_echo_client<64> c{small_config(1), 0};
  const packet a0 = send_one(c, 0);
  c.on_tick(100);
  const packet a1 = send_one(c, 100);
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(a0.span(), 120));  // the slow first reply
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, c);                  // linger 0: decided
  datagram_echo_client_config cfg = small_config(1);
  cfg.linger = 50ms;
  datagram_echo_client<64> d{cfg, 0};
  const packet b0 = send_one(d, 0);
  d.on_tick(100);
  const packet b1 = send_one(d, 100);
  CHECK_HOLDS(datagram_reply::echoed, d.on_received(b0.span(), 120));
  CHECK_HOLDS(datagram_reply::late, d.on_received(b1.span(), 130));
  CHECK_U64(0, d.stats().duplicates);
  d.on_tick(170);
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, d);
  (void)a1;
}

TEST(DatagramClientRetry, AReplyWhileTheRetryIsDueAnswersIt) {
  datagram_echo_client<64> c{small_config(1), 0};
  const packet a0 = send_one(c, 0);
  c.on_tick(100);  // due again, not yet sent
  CHECK_FALSE(c.pending_send().empty());
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(a0.span(), 101));
  CHECK_TRUE(c.pending_send().empty());
  CHECK_OUTCOME(datagram_echo_outcome::all_echoed, c);
  CHECK_U64(1, c.stats().sent);
}

TEST(DatagramClientRetry, PollAtIsTheEarliestDeadlineInFlight) {
  datagram_echo_client<64, 4> c{small_config(3, 3), 0};
  send_one(c, 10);
  send_one(c, 20);
  send_one(c, 30);
  CHECK_U64(110, c.poll_at());
  c.on_tick(110);  // sequence 0 due: its timer stops until it is sent again
  CHECK_U64(120, c.poll_at());
}

TEST(DatagramClientRetry, RetriesGoBeforeNewDatagrams) {
  datagram_echo_client<64, 4> c{small_config(5, 2), 0};
  send_one(c, 0);                                     // 0
  const packet one = send_one(c, 50);                 // 1
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(one.span(), 60));
  c.on_tick(100);                                     // 0 is due, and 2 could start
  UNSIGNED_LONGS_EQUAL(0, c.pending_sequence());
  UNSIGNED_LONGS_EQUAL(1, c.pending_attempt());
}

TEST(DatagramClientRetry, TheClockGoingBackIsTakenAsTheLatestTime) {
  datagram_echo_client<64> c{small_config(1), 1000};
  send_one(c, 500);  // counts as 1000
  CHECK_U64(1100, c.poll_at());
  c.on_tick(900);
  CHECK_TRUE(c.pending_send().empty());
}

// --- the client: duplicates and linger --------------------------------------------------------------------------

TEST_GROUP(DatagramClientDuplicates){};

TEST(DatagramClientDuplicates, TheSameReplyTwiceIsADuplicate) {
  datagram_echo_client_config cfg = small_config(2);
  cfg.linger = 50ms;
  datagram_echo_client<64> c{cfg, 0};
  const packet p0 = send_one(c, 0);
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p0.span(), 5));
  const packet p1 = send_one(c, 5);
  CHECK_HOLDS(datagram_reply::duplicate, c.on_received(p0.span(), 6));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p1.span(), 7));
  CHECK_OUTCOME(datagram_echo_outcome::pending, c);  // lingering
  CHECK_TRUE(c.interest() == want_read);
  CHECK_U64(57, c.poll_at());
  CHECK_HOLDS(datagram_reply::duplicate, c.on_received(p1.span(), 30));
  c.on_tick(56);
  CHECK_OUTCOME(datagram_echo_outcome::pending, c);
  c.on_tick(57);
  CHECK_OUTCOME(datagram_echo_outcome::duplicated, c);
  CHECK_TRUE(c.succeeded());
  CHECK_U64(2, c.stats().duplicates);
  CHECK_U64(2, c.stats().echoed);
}

TEST(DatagramClientDuplicates, BeyondTheHistoryADuplicateCountsLate) {
  datagram_echo_client<64, 1> c{small_config(3), 0};  // one flight record: no history
  const packet p0 = send_one(c, 0);
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p0.span(), 1));
  const packet p1 = send_one(c, 1);  // reuses the record of sequence 0
  CHECK_HOLDS(datagram_reply::late, c.on_received(p0.span(), 2));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p1.span(), 3));
}

// --- the client: mismatches ----------------------------------------------------------------------------------------

TEST_GROUP(DatagramClientMismatch) {
  datagram_echo_client<64> c{small_config(2), 0};
  packet p;
  void setup() override { p = send_one(c, 0); }
};

TEST(DatagramClientMismatch, ADifferentByteIsWrongBytesAndLeavesItAwaiting) {
  packet bad = p;
  bad.data[9] ^= 0x01;
  CHECK_HOLDS(datagram_reply::wrong_bytes, c.on_received(bad.span(), 1));
  UNSIGNED_LONGS_EQUAL(1, c.in_flight());
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p.span(), 2));  // the right one still answers it
  const packet p1 = send_one(c, 2);
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(p1.span(), 3));
  CHECK_OUTCOME(datagram_echo_outcome::mismatched, c);
  CHECK_FALSE(c.succeeded());
  CHECK_U64(1, c.stats().wrong_bytes);
  CHECK_U64(1, c.stats().mismatched());
}

TEST(DatagramClientMismatch, ShorterOrLongerIsWrongSize) {
  packet shorter = p;
  shorter.size = 15;
  packet longer = p;
  longer.size = 17;  // a cut reply of max_reply_size() bytes: longer than any sent
  CHECK_HOLDS(datagram_reply::wrong_size, c.on_received(shorter.span(), 1));
  CHECK_HOLDS(datagram_reply::wrong_size, c.on_received(longer.span(), 1));
  CHECK_U64(2, c.stats().wrong_size);
}

TEST(DatagramClientMismatch, NoHeaderOrAnUnsentSequenceOrAttemptIsUnknown) {
  packet tiny = p;
  tiny.size = 4;
  CHECK_HOLDS(datagram_reply::unknown_sequence, c.on_received(tiny.span(), 1));
  CHECK_HOLDS(datagram_reply::unknown_sequence, c.on_received(const_byte_span{nullptr, 0}, 1));
  packet unsent = p;
  store_be32(unsent.data, 1);  // sequence 1 was not sent yet
  CHECK_HOLDS(datagram_reply::unknown_sequence, c.on_received(unsent.span(), 1));
  packet far = p;
  store_be32(far.data, 0xffffffffu);
  CHECK_HOLDS(datagram_reply::unknown_sequence, c.on_received(far.span(), 1));
  packet retry = p;
  retry.data[4] = 1;  // attempt 1 was never sent
  CHECK_HOLDS(datagram_reply::unknown_sequence, c.on_received(retry.span(), 1));
  CHECK_U64(5, c.stats().unknown_sequence);
  CHECK_U64(0, c.stats().echoed);
}

TEST(DatagramClientMismatch, RefusedCallsChangeNothing) {
  const datagram_client_snapshot before{c};
  CHECK_ERRC(errc::invalid_argument, c.on_received(const_byte_span{nullptr, 3}, 1).code());
  CHECK_ERRC(errc::invalid_argument, c.on_sent(1).code());  // nothing pending in stop-and-wait
  for (errc code : {errc::ok, errc::would_block, errc::interrupted, errc::in_progress, errc::datagram_truncated})
    CHECK_ERRC(errc::invalid_argument, c.on_error(code).code());
  CHECK_TRUE(datagram_client_snapshot{c} == before);
}

TEST(DatagramClientMismatch, AFatalErrorFailsTheRun) {
  CHECK_TRUE(c.on_error(errc::connection_refused).ok());
  CHECK_OUTCOME(datagram_echo_outcome::failed, c);
  CHECK_ERRC(errc::connection_refused, c.error());
  CHECK_TRUE(c.interest() == want_close);
  const datagram_client_snapshot before{c};
  CHECK_ERRC(errc::invalid_argument, c.on_received(p.span(), 1).code());
  CHECK_ERRC(errc::invalid_argument, c.on_error(errc::system_error).code());
  c.on_tick(100000);
  CHECK_TRUE(datagram_client_snapshot{c} == before);
}

// --- the client: reordering -------------------------------------------------------------------------------------

TEST_GROUP(DatagramClientReorder){};

TEST(DatagramClientReorder, RepliesInAnyOrderAreMatchedToTheirRequests) {
  datagram_echo_client<64, 8> c{small_config(4, 4), 0};
  packet sent[4];
  for (auto& s : sent) s = send_one(c, 0);
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(sent[2].span(), 1));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(sent[0].span(), 2));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(sent[3].span(), 3));
  CHECK_HOLDS(datagram_reply::duplicate, c.on_received(sent[2].span(), 3));
  CHECK_HOLDS(datagram_reply::echoed, c.on_received(sent[1].span(), 4));
  CHECK_OUTCOME(datagram_echo_outcome::duplicated, c);
  CHECK_U64(4, c.stats().echoed);
}

TEST(DatagramClientReorder, TheReplyOfAnotherDatagramDoesNotAnswerThisOne) {
  datagram_echo_client<64, 8> c{small_config(2, 2), 0};
  packet a = send_one(c, 0);
  const packet b = send_one(c, 0);
  std::memcpy(a.data + 5, b.data + 5, 11);  // sequence 0 with the bytes of sequence 1
  CHECK_HOLDS(datagram_reply::wrong_bytes, c.on_received(a.span(), 1));
  UNSIGNED_LONGS_EQUAL(2, c.in_flight());
}

// --- the client: configuration ----------------------------------------------------------------------------------

TEST_GROUP(DatagramClientConfig){};

TEST(DatagramClientConfig, BadConfigurationsStartFailed) {
  struct row {
    const char* what;
    datagram_echo_client_config cfg;
  };
  datagram_echo_client_config base = small_config(1, 2);
  row rows[7] = {{"size below the header", base}, {"size above the buffer", base}, {"window 0", base},
                 {"window above the flights", base}, {"timeout 0", base}, {"negative linger", base},
                 {"negative timeout", base}};
  rows[0].cfg.size = 4;
  rows[1].cfg.size = 65;
  rows[2].cfg.window = 0;
  rows[3].cfg.window = 5;
  rows[4].cfg.timeout = 0ms;
  rows[5].cfg.linger = -1ms;
  rows[6].cfg.timeout = -5ms;
  for (const row& r : rows) {
    datagram_echo_client<64, 4> c{r.cfg, 0};
    STRCMP_EQUAL_TEXT("failed", name(c.outcome()), r.what);
    STRCMP_EQUAL_TEXT("invalid_argument", name(c.error()), r.what);
    CHECK_TEXT(c.pending_send().empty(), r.what);
    CHECK_TEXT(c.interest() == want_close, r.what);
  }
  std::uint8_t buffer[16];
  datagram_flight flights[2];
  datagram_echo_client_base no_buffer{base, nullptr, 16, flights, 2, 0};
  datagram_echo_client_base no_flights{base, buffer, 16, nullptr, 2, 0};
  CHECK_OUTCOME(datagram_echo_outcome::failed, no_buffer);
  CHECK_OUTCOME(datagram_echo_outcome::failed, no_flights);
  datagram_echo_client_base exact{base, buffer, 16, flights, 2, 0};  // size == buffer, window == flights
  CHECK_OUTCOME(datagram_echo_outcome::pending, exact);
}

TEST(DatagramClientConfig, NamesOfOutcomesAndReplies) {
  STRCMP_EQUAL("all_echoed", name(datagram_echo_outcome::all_echoed));
  STRCMP_EQUAL("mismatched", name(datagram_echo_outcome::mismatched));
  STRCMP_EQUAL("unknown", name(static_cast<datagram_echo_outcome>(99)));
  STRCMP_EQUAL("unknown_sequence", name(datagram_reply::unknown_sequence));
  STRCMP_EQUAL("unknown", name(static_cast<datagram_reply>(99)));
}

// --- the client against the server through a scripted network ----------------------------------------------------

TEST_GROUP(DatagramEchoThroughANetwork){};

// Every 4th datagram is dropped on the way out, every 5th reply is delivered twice: the client
// retries the lost ones and counts the duplicates; the server echoes every datagram it got.
TEST(DatagramEchoThroughANetwork, LossAndDuplicatesAreToldApart) {
  datagram_echo_client_config cfg = small_config(20, 1);
  cfg.linger = 10ms;
  datagram_echo_client<64, 4> c{cfg, 0};
  datagram_echo_session<4, 64> server;
  std::uint64_t now = 0;
  unsigned to_server = 0, to_client = 0;
  for (int step = 0; step < 10000 && !c.done(); ++step) {
    if (!c.pending_send().empty()) {
      const packet p = send_one(c, now);
      if (++to_server % 4 != 0) {
        const byte_span sp = server.receive_space();
        std::memcpy(sp.data, p.data, p.size);
        CHECK_TRUE(server.on_received(p.size, alice).ok());
      }
    }
    while (const datagram_view d = server.pending_send()) {
      packet reply;
      std::memcpy(reply.data, d.bytes.data, d.bytes.size);
      reply.size = d.bytes.size;
      CHECK_TRUE(*d.peer == alice);
      CHECK_TRUE(server.on_sent().ok());
      const unsigned copies = ++to_client % 5 == 0 ? 2 : 1;
      for (unsigned k = 0; k < copies && !c.done(); ++k) (void)c.on_received(reply.span(), now);
    }
    now += 7;
    c.on_tick(now);
  }
  CHECK_TRUE(c.done());
  CHECK_OUTCOME(datagram_echo_outcome::duplicated, c);
  CHECK_TRUE(c.succeeded());
  CHECK_U64(20, c.stats().echoed);
  CHECK_U64(0, c.stats().lost);
  CHECK_TRUE(c.stats().retries > 0);
  CHECK_TRUE(c.stats().duplicates > 0);
  CHECK_U64(c.stats().sent, c.stats().retries + 20);
  CHECK_U64(0, c.stats().mismatched());
  CHECK_U64(server.stats().received, server.stats().echoed);
}
