// SPDX-License-Identifier: MIT
// Tests of emsock::echo_client_session: one group per outcome, plus misuse and a run against the server.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "emsock/echo_client_session.hpp"
#include "emsock/echo_session.hpp"

using namespace emsock;
using namespace std::chrono_literals;

namespace {

#define CHECK_OUTCOME(expected, session) STRCMP_EQUAL(name(expected), name((session).outcome()))
#define CHECK_ERRC(expected, actual) STRCMP_EQUAL(name(expected), name(actual))
#define CHECK_U64(expected, actual) \
  CHECK_TEXT(static_cast<std::uint64_t>(expected) == static_cast<std::uint64_t>(actual), #actual " == " #expected)

constexpr echo_interest want_read_write{true, true, false, false};
constexpr echo_interest want_read_after_send{true, false, true, false};
constexpr echo_interest want_close{false, false, false, true};

const std::uint8_t message_bytes[] = {'h', 'e', 'l', 'l', 'o', ',', ' ', 'e', 'c', 'h', 'o'};  // 11 bytes
constexpr const_byte_span message{message_bytes, sizeof message_bytes};

const_byte_span bytes(const char* text) {
  return {reinterpret_cast<const std::uint8_t*>(text), std::strlen(text)};
}

/// Sends the whole message in one go.
void send_all(echo_client_session& c) { CHECK_TRUE(c.on_sent(c.pending_send().size).ok()); }

struct snapshot {
  echo_outcome outcome;
  errc error;
  std::size_t offset;
  std::size_t verified;
  std::size_t sent;
  std::uint64_t poll_at;
  echo_interest interest;
  const_byte_span pending;

  explicit snapshot(const echo_client_session& c)
      : outcome(c.outcome()),
        error(c.error()),
        offset(c.offset()),
        verified(c.verified()),
        sent(c.sent()),
        poll_at(c.poll_at()),
        interest(c.interest()),
        pending(c.pending_send()) {}

  bool operator==(const snapshot& o) const {
    return outcome == o.outcome && error == o.error && offset == o.offset && verified == o.verified &&
           sent == o.sent && poll_at == o.poll_at && interest == o.interest && pending.data == o.pending.data &&
           pending.size == o.pending.size;
  }
};

struct prng {
  std::uint32_t x;
  std::uint32_t next() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  }
  std::size_t upto(std::size_t bound) { return static_cast<std::size_t>(next() % (bound + 1)); }
};

}  // namespace

// --- sending ---------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientSending){};

TEST(EchoClientSending, StartsWithTheWholeMessagePending) {
  echo_client_session c{message, 5000};
  CHECK_OUTCOME(echo_outcome::pending, c);
  CHECK_TRUE(c.interest() == want_read_write);
  POINTERS_EQUAL(message_bytes, c.pending_send().data);
  UNSIGNED_LONGS_EQUAL(11, c.pending_send().size);
  CHECK_U64(5000, c.poll_at());
}

TEST(EchoClientSending, PartialSendsAdvanceThePendingPart) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(4).ok());
  POINTERS_EQUAL(message_bytes + 4, c.pending_send().data);
  UNSIGNED_LONGS_EQUAL(7, c.pending_send().size);
  UNSIGNED_LONGS_EQUAL(4, c.sent());
  CHECK_TRUE(c.on_sent(7).ok());
  CHECK_TRUE(c.pending_send().empty());
  CHECK_TRUE(c.interest() == want_read_after_send);
}

TEST(EchoClientSending, EchoWhileStillSendingIsAccepted) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(5).ok());
  CHECK_TRUE(c.on_received(bytes("hel")).ok());
  UNSIGNED_LONGS_EQUAL(3, c.verified());
  CHECK_OUTCOME(echo_outcome::pending, c);
  CHECK_TRUE(c.interest() == want_read_write);
}

// --- success -------------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientSuccess){};

TEST(EchoClientSuccess, WholeEchoInOneChunk) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(message).ok());
  CHECK_OUTCOME(echo_outcome::success, c);
  UNSIGNED_LONGS_EQUAL(11, c.verified());
  CHECK_TRUE(c.interest() == want_close);
  CHECK_U64(echo_client_session::no_deadline, c.poll_at());
  CHECK_ERRC(errc::ok, c.error());
}

TEST(EchoClientSuccess, EchoInSmallChunks) {
  echo_client_session c{message, 5000};
  send_all(c);
  for (std::size_t i = 0; i < 11; ++i) {
    CHECK_OUTCOME(echo_outcome::pending, c);
    CHECK_TRUE(c.on_received({message_bytes + i, 1}).ok());
  }
  CHECK_OUTCOME(echo_outcome::success, c);
}

TEST(EchoClientSuccess, AwaitingThePeersFin) {
  echo_client_session c{message, 5000, true};
  send_all(c);
  CHECK_TRUE(c.on_received(message).ok());
  CHECK_OUTCOME(echo_outcome::pending, c);
  CHECK_TRUE(c.interest() == want_read_after_send);
  CHECK_TRUE(c.on_peer_closed().ok());
  CHECK_OUTCOME(echo_outcome::success, c);
}

TEST(EchoClientSuccess, EmptyMessageSucceedsAtOnce) {
  echo_client_session c{const_byte_span{}, 5000};
  CHECK_OUTCOME(echo_outcome::success, c);
  CHECK_TRUE(c.done());
}

TEST(EchoClientSuccess, NamesOfOutcomes) {
  STRCMP_EQUAL("pending", name(echo_outcome::pending));
  STRCMP_EQUAL("success", name(echo_outcome::success));
  STRCMP_EQUAL("mismatch", name(echo_outcome::mismatch));
  STRCMP_EQUAL("early_close", name(echo_outcome::early_close));
  STRCMP_EQUAL("unexpected_data", name(echo_outcome::unexpected_data));
  STRCMP_EQUAL("timed_out", name(echo_outcome::timed_out));
  STRCMP_EQUAL("reset", name(echo_outcome::reset));
  STRCMP_EQUAL("transport_error", name(echo_outcome::transport_error));
  STRCMP_EQUAL("unknown", name(static_cast<echo_outcome>(99)));
}

// --- mismatch ----------------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientMismatch){};

TEST(EchoClientMismatch, OffsetOfTheFirstDifferingByte) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("hello")).ok());
  CHECK_TRUE(c.on_received(bytes(", eXhX")).ok());  // 'X' at offset 8 is first
  CHECK_OUTCOME(echo_outcome::mismatch, c);
  UNSIGNED_LONGS_EQUAL(8, c.offset());
  UNSIGNED_LONGS_EQUAL(8, c.verified());
  CHECK_TRUE(c.interest() == want_close);
}

TEST(EchoClientMismatch, FirstByte) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("J")).ok());
  CHECK_OUTCOME(echo_outcome::mismatch, c);
  UNSIGNED_LONGS_EQUAL(0, c.offset());
}

TEST(EchoClientMismatch, LastByte) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("hello, ech0")).ok());
  CHECK_OUTCOME(echo_outcome::mismatch, c);
  UNSIGNED_LONGS_EQUAL(10, c.offset());
}

// --- early close -----------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientEarlyClose){};

TEST(EchoClientEarlyClose, FinBeforeTheWholeEcho) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("hello")).ok());
  CHECK_TRUE(c.on_peer_closed().ok());
  CHECK_OUTCOME(echo_outcome::early_close, c);
  UNSIGNED_LONGS_EQUAL(5, c.verified());
  UNSIGNED_LONGS_EQUAL(5, c.offset());
}

TEST(EchoClientEarlyClose, FinWhileStillSending) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(3).ok());
  CHECK_TRUE(c.on_peer_closed().ok());
  CHECK_OUTCOME(echo_outcome::early_close, c);
  UNSIGNED_LONGS_EQUAL(0, c.verified());
  CHECK_TRUE(c.pending_send().empty());
}

// --- timeout ------------------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientTimeout){};

TEST(EchoClientTimeout, DeadlineReached) {
  echo_client_session c{message, 5000};
  send_all(c);
  c.on_tick(4999);
  CHECK_OUTCOME(echo_outcome::pending, c);
  c.on_tick(5000);
  CHECK_OUTCOME(echo_outcome::timed_out, c);
  CHECK_ERRC(errc::timed_out, c.error());
  CHECK_TRUE(c.interest() == want_close);
}

TEST(EchoClientTimeout, TransportTimeoutIsATimeout) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_error(errc::timed_out).ok());
  CHECK_OUTCOME(echo_outcome::timed_out, c);
}

TEST(EchoClientTimeout, TickAfterSuccessChangesNothing) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(message).ok());
  c.on_tick(6000);
  CHECK_OUTCOME(echo_outcome::success, c);
}

// --- unexpected data ------------------------------------------------------------------------------------------------

TEST_GROUP(EchoClientUnexpectedData){};

TEST(EchoClientUnexpectedData, MoreBackThanSentSoFar) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(3).ok());
  CHECK_TRUE(c.on_received(bytes("hell")).ok());  // 'l' at offset 3 was never sent
  CHECK_OUTCOME(echo_outcome::unexpected_data, c);
  UNSIGNED_LONGS_EQUAL(3, c.offset());
  UNSIGNED_LONGS_EQUAL(3, c.verified());
}

TEST(EchoClientUnexpectedData, ExtraBytesInTheLastChunk) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("hello, echo!")).ok());
  CHECK_OUTCOME(echo_outcome::unexpected_data, c);
  UNSIGNED_LONGS_EQUAL(11, c.offset());
}

TEST(EchoClientUnexpectedData, BytesAfterTheWholeEchoWhileAwaitingFin) {
  echo_client_session c{message, 5000, true};
  send_all(c);
  CHECK_TRUE(c.on_received(message).ok());
  CHECK_TRUE(c.on_received(bytes("x")).ok());
  CHECK_OUTCOME(echo_outcome::unexpected_data, c);
  UNSIGNED_LONGS_EQUAL(11, c.offset());
}

TEST(EchoClientUnexpectedData, MismatchBeforeExtraBytesWins) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(3).ok());
  CHECK_TRUE(c.on_received(bytes("hXll")).ok());
  CHECK_OUTCOME(echo_outcome::mismatch, c);
  UNSIGNED_LONGS_EQUAL(1, c.offset());
}

// --- reset and transport errors ---------------------------------------------------------------------------------------

TEST_GROUP(EchoClientReset){};

TEST(EchoClientReset, Reset) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_reset().ok());
  CHECK_OUTCOME(echo_outcome::reset, c);
  CHECK_ERRC(errc::connection_reset, c.error());
}

TEST(EchoClientReset, ConnectionResetErrorIsAReset) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_error(errc::connection_reset).ok());
  CHECK_OUTCOME(echo_outcome::reset, c);
}

TEST(EchoClientReset, OtherErrorsAreTransportErrors) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_error(errc::network_unreachable).ok());
  CHECK_OUTCOME(echo_outcome::transport_error, c);
  CHECK_ERRC(errc::network_unreachable, c.error());
}

// --- misuse: refused, nothing changes -------------------------------------------------------------------------------------

TEST_GROUP(EchoClientMisuse){};

TEST(EchoClientMisuse, SendingMoreThanPending) {
  echo_client_session c{message, 5000};
  CHECK_TRUE(c.on_sent(10).ok());
  const snapshot before{c};
  CHECK_ERRC(errc::invalid_argument, c.on_sent(2).code());
  CHECK_ERRC(errc::invalid_argument, c.on_sent(static_cast<std::size_t>(-1)).code());
  CHECK_TRUE(snapshot{c} == before);
}

TEST(EchoClientMisuse, NullChunk) {
  echo_client_session c{message, 5000};
  send_all(c);
  const snapshot before{c};
  CHECK_ERRC(errc::invalid_argument, c.on_received({nullptr, 3}).code());
  CHECK_TRUE(snapshot{c} == before);
  CHECK_TRUE(c.on_received({nullptr, 0}).ok());
  CHECK_TRUE(snapshot{c} == before);
}

TEST(EchoClientMisuse, TransientCodesAreNotErrors) {
  echo_client_session c{message, 5000};
  const snapshot before{c};
  const errc transient[] = {errc::ok, errc::would_block, errc::interrupted, errc::in_progress};
  for (errc e : transient) CHECK_ERRC(errc::invalid_argument, c.on_error(e).code());
  CHECK_TRUE(snapshot{c} == before);
}

TEST(EchoClientMisuse, NothingAfterTheOutcome) {
  echo_client_session c{message, 5000};
  send_all(c);
  CHECK_TRUE(c.on_received(bytes("hX")).ok());
  const snapshot before{c};
  CHECK_ERRC(errc::invalid_argument, c.on_received(bytes("x")).code());
  CHECK_ERRC(errc::invalid_argument, c.on_peer_closed().code());
  CHECK_ERRC(errc::invalid_argument, c.on_reset().code());
  CHECK_ERRC(errc::invalid_argument, c.on_error(errc::broken_pipe).code());
  CHECK_ERRC(errc::invalid_argument, c.on_sent(1).code());
  c.on_tick(10000);
  CHECK_TRUE(snapshot{c} == before);
  CHECK_OUTCOME(echo_outcome::mismatch, c);
}

TEST(EchoClientMisuse, NullMessageEndsAtOnce) {
  echo_client_session c{const_byte_span{nullptr, 5}, 5000};
  CHECK_OUTCOME(echo_outcome::transport_error, c);
  CHECK_ERRC(errc::invalid_argument, c.error());
  CHECK_TRUE(c.pending_send().empty());
  UNSIGNED_LONGS_EQUAL(0, c.size());
}

// --- client and server sessions wired together -------------------------------------------------------------------------------

TEST_GROUP(EchoClientWithServer){};

TEST(EchoClientWithServer, RandomChunksThroughASmallServerSucceed) {
  static std::uint8_t text[20000];
  prng r{99};
  for (std::uint8_t& b : text) b = static_cast<std::uint8_t>(r.next());
  echo_client_session c{{text, sizeof text}, 1000000, true};
  echo_session<32> s{1000ms, 0};
  std::uint8_t chunk[16];
  bool fin_sent = false;
  std::uint64_t now = 0;
  while (!c.done()) {
    ++now;
    CHECK_TRUE(now < 1000000);
    // client -> server
    const const_byte_span p = c.pending_send();
    const byte_span sp = s.receive_space();
    std::size_t k = r.upto(p.size < sp.size ? p.size : sp.size);
    if (k > 0) std::memcpy(sp.data, p.data, k);
    CHECK_TRUE(c.on_sent(k).ok());
    CHECK_TRUE(s.on_received(k, now).ok());
    if (c.interest().shutdown_write && !fin_sent) {
      fin_sent = true;
      CHECK_TRUE(s.on_peer_closed(now).ok());
    }
    // server -> client
    const const_byte_span q = s.pending_send();
    k = r.upto(q.size < sizeof chunk ? q.size : sizeof chunk);
    if (k > 0) std::memcpy(chunk, q.data, k);
    CHECK_TRUE(s.on_sent(k, now).ok());
    CHECK_TRUE(c.on_received({chunk, k}).ok());
    if (s.done() && !c.done()) CHECK_TRUE(c.on_peer_closed().ok());
    s.on_tick(now);
    c.on_tick(now);
  }
  CHECK_OUTCOME(echo_outcome::success, c);
  STRCMP_EQUAL("finished", name(s.state()));
  UNSIGNED_LONGS_EQUAL(sizeof text, c.verified());
}

TEST(EchoClientWithServer, ServerTimeoutIsEarlyCloseForTheClient) {
  echo_client_session c{message, 1000000};
  echo_session<32> s{100ms, 0};
  const byte_span sp = s.receive_space();
  std::memcpy(sp.data, message_bytes, 5);
  CHECK_TRUE(c.on_sent(5).ok());
  CHECK_TRUE(s.on_received(5, 0).ok());
  s.on_tick(100);  // the client never reads: the server gives up
  CHECK_TRUE(s.done());
  CHECK_TRUE(c.on_peer_closed().ok());
  CHECK_OUTCOME(echo_outcome::early_close, c);
  UNSIGNED_LONGS_EQUAL(0, c.verified());
}
