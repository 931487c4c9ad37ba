// SPDX-License-Identifier: MIT
// Tests of emsock::echo_session: one group per state or behaviour.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "emsock/echo_session.hpp"
#include "../support/echo_session_snapshot.hpp"

using namespace emsock;
using namespace std::chrono_literals;

namespace {

#define CHECK_STATE(expected, session) STRCMP_EQUAL(name(expected), name((session).state()))
#define CHECK_ERRC(expected, actual) STRCMP_EQUAL(name(expected), name(actual))
#define CHECK_U64(expected, actual) \
  CHECK_TEXT(static_cast<std::uint64_t>(expected) == static_cast<std::uint64_t>(actual), #actual " == " #expected)

constexpr echo_interest want_read{true, false, false, false};
constexpr echo_interest want_write{false, true, false, false};
constexpr echo_interest want_both{true, true, false, false};
constexpr echo_interest want_close{false, false, false, true};

/// Copies `n` bytes of `text` into the lent space and reports them; the test fails if that was not lent.
void receive(echo_session_base& s, const char* text, std::size_t n, std::uint64_t now) {
  const byte_span space = s.receive_space();
  CHECK_TRUE(n <= space.size);
  std::memcpy(space.data, text, n);
  CHECK_TRUE(s.on_received(n, now).ok());
}
void receive(echo_session_base& s, const char* text, std::uint64_t now = 0) {
  receive(s, text, std::strlen(text), now);
}

/// Takes up to `n` pending bytes into `out` (appending) and reports them sent; returns how many.
std::size_t send(echo_session_base& s, std::size_t n, char* out, std::uint64_t now = 0) {
  const const_byte_span p = s.pending_send();
  const std::size_t k = n < p.size ? n : p.size;
  if (k > 0) std::memcpy(out, p.data, k);
  CHECK_TRUE(s.on_sent(k, now).ok());
  return k;
}

using emsock_test::snapshot;

/// Deterministic xorshift32, so failures reproduce.
struct prng {
  std::uint32_t x;
  std::uint32_t next() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  }
  /// Uniform enough in [0, bound] for tests.
  std::size_t upto(std::size_t bound) { return static_cast<std::size_t>(next() % (bound + 1)); }
  std::uint8_t byte() { return static_cast<std::uint8_t>(next() >> 24); }
};

}  // namespace

// --- open: echoing --------------------------------------------------------------------------------

TEST_GROUP(EchoOpen){};

TEST(EchoOpen, StartsOpenAndLendsTheWholeCapacity) {
  echo_session<16> s;
  CHECK_STATE(echo_state::open, s);
  CHECK_TRUE(s.interest() == want_read);
  UNSIGNED_LONGS_EQUAL(16, s.capacity());
  UNSIGNED_LONGS_EQUAL(16, s.receive_space().size);
  CHECK_TRUE(s.pending_send().empty());
  UNSIGNED_LONGS_EQUAL(0, s.held());
  CHECK_ERRC(errc::ok, s.error());
}

TEST(EchoOpen, ReceivedBytesArePendingInOrder) {
  echo_session<16> s;
  receive(s, "hello");
  CHECK_TRUE(s.interest() == want_both);
  const const_byte_span p = s.pending_send();
  UNSIGNED_LONGS_EQUAL(5, p.size);
  MEMCMP_EQUAL("hello", p.data, 5);
  UNSIGNED_LONGS_EQUAL(5, s.held());
  UNSIGNED_LONGS_EQUAL(11, s.receive_space().size);
}

TEST(EchoOpen, SecondReceiveFollowsTheFirst) {
  echo_session<16> s;
  receive(s, "abc");
  receive(s, "def");
  const const_byte_span p = s.pending_send();
  UNSIGNED_LONGS_EQUAL(6, p.size);
  MEMCMP_EQUAL("abcdef", p.data, 6);
}

TEST(EchoOpen, SendingEverythingEmptiesAndWantsOnlyRead) {
  echo_session<16> s;
  receive(s, "hello");
  char out[16] = {};
  UNSIGNED_LONGS_EQUAL(5, send(s, 16, out));
  MEMCMP_EQUAL("hello", out, 5);
  CHECK_TRUE(s.interest() == want_read);
  UNSIGNED_LONGS_EQUAL(0, s.held());
  CHECK_U64(5, s.total_received());
  CHECK_U64(5, s.total_sent());
  CHECK_STATE(echo_state::open, s);
}

TEST(EchoOpen, ZeroLengthEventsChangeNothing) {
  echo_session<8> s{100ms, 10};
  receive(s, "ab", 20);
  const snapshot before{s};
  CHECK_TRUE(s.on_received(0, 50).ok());
  CHECK_TRUE(s.on_sent(0, 60).ok());
  CHECK_TRUE(snapshot{s} == before);
  CHECK_U64(20, s.last_activity_ms());
}

// --- backpressure: the buffer is full ---------------------------------------------------------------

TEST_GROUP(EchoBackpressure){};

TEST(EchoBackpressure, FullBufferAsksForNoInput) {
  echo_session<4> s;
  receive(s, "abcd");
  CHECK_TRUE(s.receive_space().empty());
  CHECK_FALSE(s.wants_read());
  CHECK_TRUE(s.wants_write());
  CHECK_TRUE(s.interest() == want_write);
  UNSIGNED_LONGS_EQUAL(0, s.free_space());
}

TEST(EchoBackpressure, MoreInputWhenFullIsRefusedAndNothingIsDropped) {
  echo_session<4> s;
  receive(s, "abcd");
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_received(1, 0).code());
  CHECK_TRUE(snapshot{s} == before);
  MEMCMP_EQUAL("abcd", s.pending_send().data, 4);
}

TEST(EchoBackpressure, SendingReopensTheInput) {
  echo_session<4> s;
  receive(s, "abcd");
  char out[4];
  UNSIGNED_LONGS_EQUAL(1, send(s, 1, out));
  CHECK_TRUE(s.wants_read());
  UNSIGNED_LONGS_EQUAL(1, s.free_space());
  UNSIGNED_LONGS_EQUAL(1, s.receive_space().size);
}

TEST(EchoBackpressure, ReceiveSpaceNeverExceedsFreeSpace) {
  echo_session<8> s;
  prng r{7};
  for (int i = 0; i < 1000; ++i) {
    const byte_span sp = s.receive_space();
    CHECK_TRUE(sp.size <= s.free_space());
    CHECK_TRUE(s.held() <= s.capacity());
    CHECK_TRUE(s.on_received(r.upto(sp.size), 0).ok());
    CHECK_TRUE(s.on_sent(r.upto(s.pending_send().size), 0).ok());
  }
}

// --- partial sends ----------------------------------------------------------------------------------

TEST_GROUP(EchoPartialSend){};

TEST(EchoPartialSend, OneByteAtATimeKeepsTheOrder) {
  echo_session<16> s;
  receive(s, "0123456789");
  char out[16] = {};
  for (std::size_t i = 0; i < 10; ++i) {
    UNSIGNED_LONGS_EQUAL(1, send(s, 1, out + i));
    UNSIGNED_LONGS_EQUAL(9 - i, s.held());
  }
  MEMCMP_EQUAL("0123456789", out, 10);
  CHECK_TRUE(s.pending_send().empty());
}

TEST(EchoPartialSend, PendingStartsAfterTheSentPart) {
  echo_session<16> s;
  receive(s, "abcdef");
  char out[8];
  send(s, 2, out);
  const const_byte_span p = s.pending_send();
  UNSIGNED_LONGS_EQUAL(4, p.size);
  MEMCMP_EQUAL("cdef", p.data, 4);
}

TEST(EchoPartialSend, InterleavedReceivesAndPartialSends) {
  echo_session<16> s;
  char out[32] = {};
  std::size_t got = 0;
  receive(s, "abc");
  got += send(s, 2, out + got);
  receive(s, "defg");
  got += send(s, 3, out + got);
  receive(s, "hij");
  got += send(s, 16, out + got);
  UNSIGNED_LONGS_EQUAL(10, got);
  MEMCMP_EQUAL("abcdefghij", out, 10);
}

// --- wrap-around: the ring's end ---------------------------------------------------------------------

TEST_GROUP(EchoWrapAround) {
  echo_session<8> s;
  std::uint8_t* base = nullptr;
  char out[16] = {};
  void setup() override {
    base = s.receive_space().data;  // a fresh session lends its storage from index 0
    receive(s, "abcdef");           // held [0,6)
    send(s, 4, out);                // held [4,6): "ef"
  }
};

TEST(EchoWrapAround, LendsOnlyUpToTheEndOfTheStorage) {
  const byte_span sp = s.receive_space();
  POINTERS_EQUAL(base + 6, sp.data);
  UNSIGNED_LONGS_EQUAL(2, sp.size);  // [6,8), although 6 bytes are free
  UNSIGNED_LONGS_EQUAL(6, s.free_space());
}

TEST(EchoWrapAround, ThenLendsFromIndexZeroUpToTheOldestByte) {
  receive(s, "gh");  // held [4,8)
  const byte_span sp = s.receive_space();
  POINTERS_EQUAL(base, sp.data);
  UNSIGNED_LONGS_EQUAL(4, sp.size);  // [0,4)
  receive(s, "ijkl");                // held [4,8) + [0,4): full
  CHECK_TRUE(s.receive_space().empty());
  UNSIGNED_LONGS_EQUAL(8, s.held());
}

TEST(EchoWrapAround, PendingStopsAtTheEndThenContinuesAtZero) {
  receive(s, "gh");
  receive(s, "ijk");  // held [4,8) "efgh" + [0,3) "ijk"
  const_byte_span p = s.pending_send();
  POINTERS_EQUAL(base + 4, p.data);
  UNSIGNED_LONGS_EQUAL(4, p.size);
  MEMCMP_EQUAL("efgh", p.data, 4);
  send(s, 4, out);
  p = s.pending_send();
  POINTERS_EQUAL(base, p.data);
  UNSIGNED_LONGS_EQUAL(3, p.size);
  MEMCMP_EQUAL("ijk", p.data, 3);
}

TEST(EchoWrapAround, SendingMoreThanTheContiguousPartIsRefused) {
  receive(s, "gh");
  receive(s, "ijk");  // 7 held, only 4 contiguous
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_sent(5, 0).code());
  CHECK_TRUE(snapshot{s} == before);
}

TEST(EchoWrapAround, PartialSendAcrossTheWrapKeepsTheOrder) {
  receive(s, "gh");
  receive(s, "ijkl");  // full: "efgh" + "ijkl"
  char all[16] = {};
  std::size_t got = 0;
  got += send(s, 3, all + got);  // "efg"
  got += send(s, 3, all + got);  // "h" (cut at the end)
  got += send(s, 3, all + got);  // "ijk"
  got += send(s, 3, all + got);  // "l"
  UNSIGNED_LONGS_EQUAL(8, got);
  MEMCMP_EQUAL("efghijkl", all, 8);
}

TEST(EchoWrapAround, EmptyingRewindsToIndexZero) {
  send(s, 2, out);  // held nothing, head would have been 6
  const byte_span sp = s.receive_space();
  POINTERS_EQUAL(base, sp.data);
  UNSIGNED_LONGS_EQUAL(8, sp.size);
}

// --- half-close: the peer's FIN -----------------------------------------------------------------------

TEST_GROUP(EchoHalfClose){};

TEST(EchoHalfClose, FinWithBytesHeldDrains) {
  echo_session<8> s;
  receive(s, "abc");
  CHECK_TRUE(s.on_peer_closed(0).ok());
  CHECK_STATE(echo_state::draining, s);
  CHECK_TRUE(s.interest() == want_write);
  CHECK_TRUE(s.receive_space().empty());
  MEMCMP_EQUAL("abc", s.pending_send().data, 3);
}

TEST(EchoHalfClose, DrainingThenFinishedAfterTheLastByte) {
  echo_session<8> s;
  receive(s, "abc");
  CHECK_TRUE(s.on_peer_closed(0).ok());
  char out[8];
  send(s, 2, out);
  CHECK_STATE(echo_state::draining, s);
  CHECK_FALSE(s.done());
  send(s, 1, out + 2);
  CHECK_STATE(echo_state::finished, s);
  CHECK_TRUE(s.interest() == want_close);
  CHECK_ERRC(errc::ok, s.error());
  MEMCMP_EQUAL("abc", out, 3);
}

TEST(EchoHalfClose, DrainingAcrossTheWrap) {
  echo_session<4> s;
  char out[8];
  receive(s, "abc");
  send(s, 3, out);  // empty, rewound
  receive(s, "wxyz");
  send(s, 2, out);
  receive(s, "12");  // held "yz" [2,4) + "12" [0,2)
  CHECK_TRUE(s.on_peer_closed(0).ok());
  std::size_t got = 0;
  while (!s.done()) got += send(s, 4, out + got);
  UNSIGNED_LONGS_EQUAL(4, got);
  MEMCMP_EQUAL("yz12", out, 4);
  CHECK_STATE(echo_state::finished, s);
}

TEST(EchoHalfClose, FinWithNothingHeldFinishesAtOnce) {
  echo_session<8> s;
  CHECK_TRUE(s.on_peer_closed(0).ok());
  CHECK_STATE(echo_state::finished, s);
  CHECK_TRUE(s.done());
}

TEST(EchoHalfClose, NoInputAfterFin) {
  echo_session<8> s;
  receive(s, "a");
  CHECK_TRUE(s.on_peer_closed(0).ok());
  CHECK_TRUE(s.receive_space().empty());
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_received(1, 0).code());
  CHECK_ERRC(errc::invalid_argument, s.on_peer_closed(0).code());
  CHECK_TRUE(snapshot{s} == before);
}

TEST(EchoHalfClose, FinCountsAsActivity) {
  echo_session<8> s{100ms, 0};
  receive(s, "a", 10);
  CHECK_TRUE(s.on_peer_closed(50).ok());
  CHECK_U64(150, s.poll_at());
}

// --- reset and transport errors ------------------------------------------------------------------------

TEST_GROUP(EchoReset){};

TEST(EchoReset, ResetEndsAnOpenSessionAtOnce) {
  echo_session<8> s{1000ms, 0};
  receive(s, "abc");
  CHECK_TRUE(s.on_reset().ok());
  CHECK_STATE(echo_state::reset, s);
  CHECK_TRUE(s.interest() == want_close);
  CHECK_TRUE(s.pending_send().empty());
  CHECK_TRUE(s.receive_space().empty());
  CHECK_ERRC(errc::connection_reset, s.error());
  CHECK_U64(echo_session_base::no_deadline, s.poll_at());
  UNSIGNED_LONGS_EQUAL(3, s.held());  // what was dropped
}

TEST(EchoReset, ResetEndsADrainingSession) {
  echo_session<8> s;
  receive(s, "abc");
  CHECK_TRUE(s.on_peer_closed(0).ok());
  CHECK_TRUE(s.on_reset().ok());
  CHECK_STATE(echo_state::reset, s);
}

TEST(EchoReset, ConnectionResetErrorIsAReset) {
  echo_session<8> s;
  CHECK_TRUE(s.on_error(errc::connection_reset).ok());
  CHECK_STATE(echo_state::reset, s);
}

TEST(EchoReset, TransportErrorFails) {
  echo_session<8> s;
  receive(s, "abc");
  CHECK_TRUE(s.on_error(errc::broken_pipe).ok());
  CHECK_STATE(echo_state::failed, s);
  CHECK_ERRC(errc::broken_pipe, s.error());
  CHECK_TRUE(s.done());
}

TEST(EchoReset, TransientCodesAreNotErrors) {
  echo_session<8> s;
  receive(s, "abc");
  const snapshot before{s};
  const errc transient[] = {errc::ok, errc::would_block, errc::interrupted, errc::in_progress};
  for (errc c : transient) {
    CHECK_ERRC(errc::invalid_argument, s.on_error(c).code());
    CHECK_TRUE(snapshot{s} == before);
  }
}

TEST(EchoReset, NothingAfterTheEnd) {
  echo_session<8> s;
  receive(s, "abc");
  CHECK_TRUE(s.on_reset().ok());
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_reset().code());
  CHECK_ERRC(errc::invalid_argument, s.on_error(errc::broken_pipe).code());
  CHECK_ERRC(errc::invalid_argument, s.on_peer_closed(1).code());
  CHECK_ERRC(errc::invalid_argument, s.on_sent(1, 1).code());
  CHECK_ERRC(errc::invalid_argument, s.on_received(1, 1).code());
  s.on_tick(1000000);
  CHECK_TRUE(snapshot{s} == before);
  CHECK_STATE(echo_state::reset, s);
}

// --- idle timeout and poll_at ------------------------------------------------------------------------------

TEST_GROUP(EchoIdleTimeout){};

TEST(EchoIdleTimeout, DeadlineIsStartPlusTimeout) {
  echo_session<8> s{500ms, 1000};
  CHECK_U64(1500, s.poll_at());
}

TEST(EchoIdleTimeout, TimesOutExactlyAtTheDeadline) {
  echo_session<8> s{500ms, 1000};
  s.on_tick(1499);
  CHECK_STATE(echo_state::open, s);
  s.on_tick(1500);
  CHECK_STATE(echo_state::timed_out, s);
  CHECK_TRUE(s.interest() == want_close);
  CHECK_ERRC(errc::timed_out, s.error());
  CHECK_U64(echo_session_base::no_deadline, s.poll_at());
}

TEST(EchoIdleTimeout, ReceivedBytesMoveTheDeadline) {
  echo_session<8> s{500ms, 1000};
  receive(s, "a", 1400);
  CHECK_U64(1900, s.poll_at());
  s.on_tick(1899);
  CHECK_STATE(echo_state::open, s);
}

TEST(EchoIdleTimeout, SentBytesMoveTheDeadline) {
  echo_session<8> s{500ms, 1000};
  receive(s, "ab", 1100);
  char out[2];
  send(s, 1, out, 1300);
  CHECK_U64(1800, s.poll_at());
}

TEST(EchoIdleTimeout, HeldBytesDoNotKeepItAlive) {
  echo_session<8> s{500ms, 0};
  receive(s, "abc", 0);  // the peer never reads its echo
  s.on_tick(500);
  CHECK_STATE(echo_state::timed_out, s);
  CHECK_TRUE(s.pending_send().empty());
}

TEST(EchoIdleTimeout, ZeroLengthEventsAreNotActivity) {
  echo_session<8> s{500ms, 0};
  CHECK_TRUE(s.on_received(0, 400).ok());
  CHECK_TRUE(s.on_sent(0, 400).ok());
  CHECK_U64(500, s.poll_at());
  s.on_tick(500);
  CHECK_STATE(echo_state::timed_out, s);
}

TEST(EchoIdleTimeout, DrainingTimesOutToo) {
  echo_session<8> s{500ms, 0};
  receive(s, "abc", 0);
  CHECK_TRUE(s.on_peer_closed(100).ok());
  s.on_tick(599);
  CHECK_STATE(echo_state::draining, s);
  s.on_tick(600);
  CHECK_STATE(echo_state::timed_out, s);
}

TEST(EchoIdleTimeout, ZeroTimeoutNeverTimesOut) {
  echo_session<8> s{0ms, 0};
  CHECK_U64(echo_session_base::no_deadline, s.poll_at());
  s.on_tick(echo_session_base::no_deadline);
  CHECK_STATE(echo_state::open, s);
}

TEST(EchoIdleTimeout, ClockGoingBackwardsNeitherClosesNorRewinds) {
  echo_session<8> s{500ms, 1000};
  receive(s, "a", 900);  // earlier than the start: treated as 1000
  CHECK_U64(1000, s.last_activity_ms());
  s.on_tick(10);
  CHECK_STATE(echo_state::open, s);
  CHECK_U64(1500, s.poll_at());
}

TEST(EchoIdleTimeout, DeadlineThatWouldOverflowIsNoDeadline) {
  echo_session<8> s{1000ms, echo_session_base::no_deadline - 10};
  CHECK_U64(echo_session_base::no_deadline, s.poll_at());
  s.on_tick(echo_session_base::no_deadline - 1);
  CHECK_STATE(echo_state::open, s);
}

TEST(EchoIdleTimeout, TheTimeoutIsADurationInAnyChronoUnit) {
  echo_session<8> s{std::chrono::seconds{2}, 1000};
  CHECK_U64(2000, s.idle_timeout().count());
  CHECK_U64(3000, s.poll_at());
}

TEST(EchoIdleTimeout, ANegativeTimeoutIsRefused) {
  echo_session<8> s{-1ms, 0};
  CHECK_STATE(echo_state::failed, s);
  CHECK_ERRC(errc::invalid_argument, s.error());
  CHECK_TRUE(s.interest() == want_close);
  CHECK_TRUE(s.receive_space().empty());
  echo_session<8> t{100ms, 0};
  t.restart(0, -5ms);
  CHECK_STATE(echo_state::failed, t);
  CHECK_ERRC(errc::invalid_argument, t.error());
  t.restart(0, 5ms);
  CHECK_STATE(echo_state::open, t);
}

// --- misuse: refused, nothing changes ------------------------------------------------------------------------

TEST_GROUP(EchoMisuse){};

TEST(EchoMisuse, ReceivingMoreThanLent) {
  echo_session<8> s{100ms, 0};
  receive(s, "abc", 5);
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_received(6, 50).code());
  CHECK_ERRC(errc::invalid_argument, s.on_received(static_cast<std::size_t>(-1), 50).code());
  CHECK_TRUE(snapshot{s} == before);
}

TEST(EchoMisuse, SendingMoreThanPending) {
  echo_session<8> s{100ms, 0};
  receive(s, "abc", 5);
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_sent(4, 50).code());
  CHECK_ERRC(errc::invalid_argument, s.on_sent(static_cast<std::size_t>(-1), 50).code());
  CHECK_TRUE(snapshot{s} == before);
}

TEST(EchoMisuse, SendingWhenNothingIsPending) {
  echo_session<8> s;
  const snapshot before{s};
  CHECK_ERRC(errc::invalid_argument, s.on_sent(1, 0).code());
  CHECK_TRUE(snapshot{s} == before);
}

TEST(EchoMisuse, NullStorageFailsAtOnce) {
  echo_session_base s{nullptr, 16, 0ms, 0};
  CHECK_STATE(echo_state::failed, s);
  CHECK_ERRC(errc::invalid_argument, s.error());
  UNSIGNED_LONGS_EQUAL(0, s.capacity());
  CHECK_TRUE(s.interest() == want_close);
  CHECK_TRUE(s.receive_space().empty());
}

TEST(EchoMisuse, ZeroCapacityFailsAtOnce) {
  std::uint8_t one[1];
  echo_session_base s{one, 0, 0ms, 0};
  CHECK_STATE(echo_state::failed, s);
  s.restart(5);
  CHECK_STATE(echo_state::failed, s);
}

// --- storage and reuse --------------------------------------------------------------------------------------

TEST_GROUP(EchoStorage){};

TEST(EchoStorage, CallerStorageIsUsedInPlace) {
  std::uint8_t storage[5] = {};
  echo_session_base s{storage, sizeof storage, 0ms, 0};
  POINTERS_EQUAL(storage, s.receive_space().data);
  receive(s, "xyz");
  MEMCMP_EQUAL("xyz", storage, 3);
  UNSIGNED_LONGS_EQUAL(5, s.capacity());
}

TEST(EchoStorage, CodeTakesTheBase) {
  echo_session<3> small;
  echo_session<300> large;
  echo_session_base* sessions[] = {&small, &large};
  UNSIGNED_LONGS_EQUAL(3, sessions[0]->receive_space().size);
  UNSIGNED_LONGS_EQUAL(300, sessions[1]->receive_space().size);
}

TEST(EchoStorage, RestartStartsAFreshConnection) {
  echo_session<8> s{100ms, 0};
  receive(s, "abc", 10);
  CHECK_TRUE(s.on_reset().ok());
  s.restart(2000);
  CHECK_STATE(echo_state::open, s);
  CHECK_ERRC(errc::ok, s.error());
  UNSIGNED_LONGS_EQUAL(0, s.held());
  CHECK_U64(0, s.total_received());
  UNSIGNED_LONGS_EQUAL(8, s.receive_space().size);
  CHECK_U64(2100, s.poll_at());
  CHECK_U64(100, s.idle_timeout().count());
}

TEST(EchoStorage, StateNames) {
  STRCMP_EQUAL("open", name(echo_state::open));
  STRCMP_EQUAL("draining", name(echo_state::draining));
  STRCMP_EQUAL("finished", name(echo_state::finished));
  STRCMP_EQUAL("timed_out", name(echo_state::timed_out));
  STRCMP_EQUAL("reset", name(echo_state::reset));
  STRCMP_EQUAL("failed", name(echo_state::failed));
  STRCMP_EQUAL("unknown", name(static_cast<echo_state>(200)));
}

// --- a slow reader pushes 1 MB through 64 bytes ------------------------------------------------------------------

TEST_GROUP(EchoSlowReader){};

TEST(EchoSlowReader, OneMegabyteThroughSixtyFourBytesComesBackExactly) {
  constexpr std::size_t total = 1024 * 1024;
  echo_session<64> s{1000ms, 0};
  prng events{0x12345u};
  prng writer{0xC0FFEEu};  // the peer's bytes
  prng checker{0xC0FFEEu};  // the same bytes again, to check the echo without storing 1 MB
  std::size_t in = 0;
  std::size_t out = 0;
  std::size_t wraps = 0;
  std::size_t full = 0;
  std::size_t mismatches = 0;
  std::uint64_t now = 0;
  while (!s.done()) {
    now += 1;
    CHECK_TRUE(s.held() <= 64);
    // The peer offers up to 64 bytes; the session takes as many as its lent space and chance allow.
    const byte_span sp = s.receive_space();
    if (sp.size < s.free_space()) ++wraps;
    if (s.free_space() == 0) ++full;
    if (in < total && !sp.empty()) {
      std::size_t k = events.upto(sp.size);
      if (k > total - in) k = total - in;
      for (std::size_t i = 0; i < k; ++i) sp.data[i] = writer.byte();
      CHECK_TRUE(s.on_received(k, now).ok());
      in += k;
    }
    if (in == total && s.state() == echo_state::open) CHECK_TRUE(s.on_peer_closed(now).ok());
    // The slow reader: sends rarely succeed and are small.
    if (events.upto(3) == 0) {
      const const_byte_span p = s.pending_send();
      const std::size_t k = events.upto(p.size < 9 ? p.size : 9);
      for (std::size_t i = 0; i < k; ++i) {
        if (p.data[i] != checker.byte()) ++mismatches;
      }
      CHECK_TRUE(s.on_sent(k, now).ok());
      out += k;
    }
    s.on_tick(now);
  }
  CHECK_STATE(echo_state::finished, s);
  UNSIGNED_LONGS_EQUAL(total, in);
  UNSIGNED_LONGS_EQUAL(total, out);
  UNSIGNED_LONGS_EQUAL(0, mismatches);
  CHECK_U64(total, s.total_sent());
  CHECK_TRUE(wraps > 1000);  // the ring's end was crossed many times
  CHECK_TRUE(full > 1000);   // and backpressure happened
}
