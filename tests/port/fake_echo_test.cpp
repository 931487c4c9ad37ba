// SPDX-License-Identifier: MIT
// The echo server engine (emsock/port/echo_server.hpp) and core's echo client session, driven over
// fake streams in one thread, under every fault the fake can inject. This is how a user tests their
// own networking code: the code under test and its peer run in the same loop, the test scripts the
// network, and time is the fake clock (each idle round of the server advances it by 1 ms).
#include <cstring>

#include "emsock/echo_client_session.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/fake_cpputest.hpp"
#include "emsock/port/names.hpp"
#include "emsock/port/socket.hpp"

using emsock::echo_client_session;
using emsock::echo_outcome;
using emsock::errc;
using emsock::tcp_stream;
namespace fake = emsock::fake;
using namespace std::chrono_literals;

/// CHECK that a result/status succeeded / failed with `expected`, printing the reason otherwise.
#define CHECK_OK(outcome) STRCMP_EQUAL("ok", emsock::name((outcome).code()))
#define CHECK_ERRC(expected, outcome) STRCMP_EQUAL(emsock::name(expected), emsock::name((outcome).code()))

namespace {

constexpr std::size_t pool = 2;
constexpr std::size_t session_buffer = 64;

/// 200 test bytes.
struct message {
  std::uint8_t bytes[200];
  message() {
    for (std::size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
  }
  emsock::const_byte_span span() const { return {bytes, sizeof bytes}; }
};

/// One echo exchange, client and server stepped alternately in this thread, until the client's
/// session has an outcome or `rounds` rounds pass. The client stream is made non-blocking.
echo_outcome exchange(emsock::echo_server_base& server, tcp_stream& client, echo_client_session& session,
                      int rounds = 2000) {
  (void)client.set_non_blocking(true);
  bool shut = false;
  std::uint8_t scratch[48];
  for (int i = 0; i < rounds && !session.done(); ++i) {
    (void)server.run_once(1ms);
    if (session.interest().write) {
      const emsock::const_byte_span p = session.pending_send();
      const auto n = client.send(p.data, p.size);
      if (n) (void)session.on_sent(*n);
      else if (n.code() != errc::would_block) (void)session.on_error(n.code());
    }
    if (session.interest().shutdown_write && !shut) {
      shut = true;
      (void)client.shutdown(emsock::shutdown_how::write);
    }
    if (session.interest().read) {
      const auto n = client.recv(scratch, sizeof scratch);
      if (n && *n == 0) (void)session.on_peer_closed();
      else if (n) (void)session.on_received({scratch, *n});
      else if (n.code() != errc::would_block) (void)session.on_error(n.code());
    }
    session.on_tick(emsock::monotonic_ms());
  }
  return session.outcome();
}

/// Records the server's events.
struct event_log {
  std::size_t accept_failures = 0;
  errc last_accept_error = errc::ok;
  std::size_t disconnects = 0;

  static void record(void* context, const emsock::echo_server_event& e) noexcept {
    auto& log = *static_cast<event_log*>(context);
    if (e.kind == emsock::echo_server_event_kind::accept_failed) {
      ++log.accept_failures;
      log.last_accept_error = e.error;
    }
    if (e.kind == emsock::echo_server_event_kind::disconnected) ++log.disconnects;
  }
};

}  // namespace

TEST_GROUP_BASE(fake_echo, fake::test_base) {
  emsock::echo_server<pool, session_buffer> server;
  event_log log;
  message m;

  void open(emsock::milliseconds idle_timeout = emsock::milliseconds::zero()) {
    emsock::echo_server_options o;
    o.bind = {emsock::ipv4_address::loopback(), 7};
    o.idle_timeout = idle_timeout;
    CHECK_OK(server.open(o));
    server.set_event_handler(event_log::record, &log);
  }
  tcp_stream connect() {
    auto s = tcp_stream::connect(server.local_endpoint(), 1000ms);
    CHECK_OK(s);
    return std::move(s).value();
  }
  /// A clean exchange on a new connection: the server still serves.
  void check_still_serves() {
    tcp_stream c = connect();
    echo_client_session s(m.span(), emsock::monotonic_ms() + 5000, true);
    STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
  }
  void teardown() override {
    server.close();
    CHECK_FAKE_NO_STALLS();
    fake::test_base::teardown();
  }
};

TEST(fake_echo, a_clean_exchange_finishes_both_sides) {
  open();
  tcp_stream c = connect();
  echo_client_session s(m.span(), 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
  UNSIGNED_LONGS_EQUAL(sizeof m.bytes, s.verified());
  for (int i = 0; i < 5 && server.active() != 0; ++i) (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(1, server.stats().finished);
  UNSIGNED_LONGS_EQUAL(sizeof m.bytes, server.stats().bytes);
}

TEST(fake_echo, a_dual_stack_server_on_the_ipv6_wildcard_serves_an_ipv4_client_only_without_v6_only) {
  emsock::echo_server_options o;
  o.bind = {emsock::ipv6_address::any(), 7};
  CHECK_OK(server.open(o));  // v6_only by default: IPv4 peers do not reach it
  CHECK_ERRC(errc::connection_refused, tcp_stream::connect({emsock::ipv4_address::loopback(), 7}, 1000ms));
  server.close();
  o.v6_only = false;  // one listener for both families (the socket firmware's)
  CHECK_OK(server.open(o));
  auto c = tcp_stream::connect({emsock::ipv4_address::loopback(), 7}, 1000ms);
  CHECK_OK(c);
  echo_client_session s(m.span(), emsock::monotonic_ms() + 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c.value(), s)));
}

TEST(fake_echo, partial_sends_of_three_bytes_on_both_sides) {
  fake::stream_faults f;
  f.max_send = 3;
  fake::set_default_faults(f);  // every connection from now on, both ends
  open();
  tcp_stream c = connect();
  echo_client_session s(m.span(), 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
  UNSIGNED_LONGS_EQUAL(sizeof m.bytes, fake::bytes_sent(c.native_handle()));
}

TEST(fake_echo, would_block_on_the_next_calls_is_retried) {
  fake::stream_faults f;
  f.would_block_calls = 9;
  fake::set_default_faults(f);
  open();
  tcp_stream c = connect();
  echo_client_session s(m.span(), 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
}

TEST(fake_echo, a_reset_after_fifty_bytes_ends_both_sessions_and_the_server_goes_on) {
  open();
  tcp_stream c = connect();
  fake::stream_faults f;
  f.reset_after_bytes = 50;
  CHECK_OK(fake::set_faults(c.native_handle(), f));
  echo_client_session s(m.span(), 5000);
  STRCMP_EQUAL("reset", emsock::name(exchange(server, c, s)));
  CHECK(s.verified() <= 50);
  UNSIGNED_LONGS_EQUAL(50, s.sent());
  for (int i = 0; i < 5 && server.active() != 0; ++i) (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(1, server.stats().reset);
  check_still_serves();
}

TEST(fake_echo, the_client_half_closes_and_the_server_drains_then_closes) {
  open();
  tcp_stream c = connect();
  CHECK_OK(c.send_all(m.bytes, 100));
  CHECK_OK(c.shutdown(emsock::shutdown_how::write));  // FIN with 100 bytes in flight
  for (int i = 0; i < 20; ++i) (void)server.run_once(1ms);
  CHECK_FAKE_RECEIVED(c, std::string_view(reinterpret_cast<const char*>(m.bytes), 100));
  CHECK_FAKE_AT_END(c);
  UNSIGNED_LONGS_EQUAL(1, server.stats().finished);
}

TEST(fake_echo, the_server_side_half_closing_early_is_an_early_close_for_the_client) {
  open();
  tcp_stream c = connect();
  (void)server.run_once(1ms);  // accepted
  CHECK_OK(fake::half_close_peer(c.native_handle()));  // the server's end sends FIN now
  echo_client_session s(m.span(), 5000);
  STRCMP_EQUAL("early_close", emsock::name(exchange(server, c, s)));
}

TEST(fake_echo, a_negative_idle_timeout_is_refused_by_open) {
  emsock::echo_server_options o;
  o.bind = {emsock::ipv4_address::loopback(), 7};
  o.idle_timeout = -1ms;
  CHECK_ERRC(errc::invalid_argument, server.open(o));
  CHECK_ERRC(errc::invalid_argument, server.run_once(0ms));  // not open
  o.idle_timeout = 0ms;
  CHECK_OK(server.open(o));
}

TEST(fake_echo, connect_refused_is_reported_and_the_next_attempt_works) {
  open();
  CHECK_OK(fake::fail_connect(server.local_endpoint(), errc::connection_refused, 1));
  CHECK_ERRC(errc::connection_refused, tcp_stream::connect(server.local_endpoint(), 1000ms));
  check_still_serves();
}

TEST(fake_echo, connect_timing_out_takes_the_timeout_on_the_fake_clock) {
  open();
  CHECK_OK(fake::fail_connect({emsock::ipv4_address::any(), 0}, errc::timed_out, 1));  // every endpoint, once
  const std::uint64_t before = fake::now_ms();
  CHECK_ERRC(errc::timed_out, tcp_stream::connect(server.local_endpoint(), 1500ms));
  UNSIGNED_LONGS_EQUAL(1500, fake::now_ms() - before);
  check_still_serves();
}

TEST(fake_echo, resolve_failing_with_a_reason_then_resolving) {
  CHECK_OK(fake::add_host("echo.example", emsock::ipv4_address::loopback()));
  CHECK_OK(fake::fail_resolve("echo.example", errc::name_temporary_failure, 1));
  CHECK_ERRC(errc::name_temporary_failure, emsock::resolve_ipv4("echo.example"));
  const auto address = emsock::resolve_ipv4("ECHO.example");
  CHECK_OK(address);
  open();
  auto c = tcp_stream::connect({address.value(), server.local_endpoint().port}, 1000ms);
  CHECK_OK(c);
  echo_client_session s(m.span(), 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c.value(), s)));
}

TEST(fake_echo, the_descriptor_table_running_out_fails_accept_until_there_is_room) {
  open();
  fake::set_descriptor_limit(fake::open_handles() + 1);  // room for the client, not for the accept
  tcp_stream c = connect();
  (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(1, log.accept_failures);
  STRCMP_EQUAL("too_many_open_files", emsock::name(log.last_accept_error));
  CHECK_ERRC(errc::too_many_open_files, tcp_stream::connect(server.local_endpoint(), 1000ms));
  fake::set_descriptor_limit(fake::max_sockets);  // the connection waited in the queue
  echo_client_session s(m.span(), 5000, true);
  STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
}

TEST(fake_echo, an_idle_client_is_closed_after_the_idle_timeout_of_fake_time) {
  open(1000ms);
  tcp_stream idle = connect();
  (void)server.run_once(0ms);  // accepted at t
  const std::uint64_t start = fake::now_ms();
  (void)server.run_once(999ms);  // the wait advances the fake clock: 999 ms, not yet
  CHECK_FALSE(fake::at_end(idle.native_handle()));
  (void)server.run_once(5000ms);  // the engine waits only until the session's deadline
  UNSIGNED_LONGS_EQUAL(1000, fake::now_ms() - start);
  CHECK_FAKE_AT_END(idle);
  UNSIGNED_LONGS_EQUAL(1, server.stats().timed_out);
}

TEST(fake_echo, idle_timers_fire_in_deadline_order_and_activity_moves_a_deadline) {
  open(1000ms);
  tcp_stream a = connect();
  (void)server.run_once(0ms);
  const std::uint64_t a_at = fake::now_ms();
  (void)server.run_once(300ms);  // nothing ready: the fake clock moves on
  tcp_stream b = connect();
  (void)server.run_once(0ms);
  const std::uint64_t b_at = fake::now_ms();
  CHECK(a_at < b_at);
  (void)server.run_once(500ms);
  CHECK_OK(a.send("k", 1));  // a is busy again: its deadline moves past b's
  (void)server.run_once(0ms);
  const std::uint64_t a_busy = fake::now_ms();
  char echoed = 0;
  CHECK_OK(a.recv(&echoed, 1));
  CHECK(a_busy > b_at && a_busy < a_at + 1000);
  // Each wait ends at the next deadline only: b's first, then a's new one.
  (void)server.run_once(5000ms);
  UNSIGNED_LONGS_EQUAL(b_at + 1000, fake::now_ms());
  CHECK_FAKE_AT_END(b);
  CHECK_FALSE(fake::at_end(a.native_handle()));
  UNSIGNED_LONGS_EQUAL(1, server.active());
  (void)server.run_once(5000ms);
  UNSIGNED_LONGS_EQUAL(a_busy + 1000, fake::now_ms());
  CHECK_FAKE_AT_END(a);
  UNSIGNED_LONGS_EQUAL(2, server.stats().timed_out);
  UNSIGNED_LONGS_EQUAL(0, server.active());
}

TEST(fake_echo, a_client_streaming_without_pause_gets_a_bounded_share_of_a_round) {
  open();
  tcp_stream busy = connect();
  tcp_stream quiet = connect();
  (void)server.run_once(0ms);
  (void)server.run_once(0ms);
  UNSIGNED_LONGS_EQUAL(2, server.active());
  std::uint8_t out[4096];
  for (std::size_t i = 0; i < sizeof out; ++i) out[i] = static_cast<std::uint8_t>(i);
  CHECK_OK(busy.send(out, sizeof out));  // 64 times the session's buffer, all queued at once
  CHECK_OK(quiet.send("q", 1));
  (void)busy.set_non_blocking(true);
  (void)server.run_once(0ms);
  std::uint8_t in[sizeof out];
  const auto first = busy.recv(in, sizeof in);
  CHECK_OK(first);
  // One round echoes at most 8 buffers of the busy client: the rest waits for the next rounds.
  CHECK(first.value() > 0);
  CHECK(first.value() <= 8 * session_buffer);
  char q = 0;
  const auto got = quiet.recv(&q, 1);  // the quiet one was served in the same round
  CHECK_OK(got);
  BYTES_EQUAL('q', q);
  std::size_t total = first.value();
  for (int round = 0; round < 200 && total < sizeof out; ++round) {
    (void)server.run_once(0ms);
    const auto more = busy.recv(in + total, sizeof in - total);
    if (more.ok()) total += more.value();
  }
  UNSIGNED_LONGS_EQUAL(sizeof out, total);
  MEMCMP_EQUAL(out, in, sizeof out);
}

TEST(fake_echo, the_client_times_out_when_no_echo_comes) {
  open();
  tcp_stream c = connect();  // the server is never run: nobody echoes
  echo_client_session s(m.span(), fake::now_ms() + 300);
  (void)c.set_non_blocking(true);
  const auto n = c.send(m.bytes, sizeof m.bytes);
  CHECK_OK(n);
  (void)s.on_sent(n.value());
  std::uint8_t b;
  CHECK_ERRC(errc::would_block, c.recv(&b, 1));
  fake::advance(300ms);
  s.on_tick(fake::now_ms());
  STRCMP_EQUAL("timed_out", emsock::name(s.outcome()));
}

TEST(fake_echo, a_full_pool_closes_the_extra_connection_cleanly) {
  open();
  tcp_stream a = connect(), b = connect(), extra = connect();
  for (int i = 0; i < 3; ++i) (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(2, server.active());
  UNSIGNED_LONGS_EQUAL(1, server.stats().rejected);
  CHECK_FAKE_AT_END(extra);
  CHECK_FALSE(fake::at_end(a.native_handle()));
}

TEST(fake_echo, a_client_reset_mid_stream_leaves_the_server_serving) {
  open();
  for (int k = 0; k < 3; ++k) {
    tcp_stream c = connect();
    CHECK_OK(c.send_all(m.bytes, 40));
    for (int i = 0; i < 3; ++i) (void)server.run_once(1ms);  // the echo waits unread in our buffer
    CHECK_OK(c.close());  // closing with unread data resets the connection
    for (int i = 0; i < 3; ++i) (void)server.run_once(1ms);
  }
  UNSIGNED_LONGS_EQUAL(3, server.stats().reset);
  check_still_serves();
}

TEST(fake_echo, a_slow_reader_holds_the_server_back_without_loss) {
  open();
  tcp_stream c = connect();
  CHECK_OK(c.set_non_blocking(true));
  static std::uint8_t out[64 * 1024], in[sizeof out];
  for (std::size_t i = 0; i < sizeof out; ++i) out[i] = static_cast<std::uint8_t>(i * 13 + i / 256);
  std::size_t sent = 0, got = 0;
  for (int round = 0; round < 100000 && got < sizeof in; ++round) {
    if (sent < sizeof out) sent += c.send(out + sent, sizeof out - sent).value_or(0);
    (void)server.run_once(1ms);
    if (round % 4 == 0) got += c.recv(in + got, (sizeof in - got) < 100 ? sizeof in - got : 100).value_or(0);
  }
  UNSIGNED_LONGS_EQUAL(sizeof out, got);
  CHECK(std::memcmp(out, in, sizeof out) == 0);
}

TEST(fake_echo, open_and_close_a_hundred_times) {
  open();
  for (unsigned k = 0; k < 100; ++k) {
    tcp_stream c = connect();
    echo_client_session s({m.bytes, 1 + k % 50}, emsock::monotonic_ms() + 5000, true);
    STRCMP_EQUAL("success", emsock::name(exchange(server, c, s)));
  }
  for (int i = 0; i < 5 && server.active() != 0; ++i) (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(100, server.stats().finished);
  UNSIGNED_LONGS_EQUAL(0, fake::open_handles() - 1);  // only the listener is left
}

TEST(fake_echo, the_pool_fills_empties_and_fills_again) {
  open();
  for (unsigned round = 1; round <= 2; ++round) {
    tcp_stream a = connect(), b = connect();
    for (int i = 0; i < 3; ++i) (void)server.run_once(1ms);
    UNSIGNED_LONGS_EQUAL(2, server.active());  // full
    tcp_stream extra = connect();
    for (int i = 0; i < 3; ++i) (void)server.run_once(1ms);
    CHECK_FAKE_AT_END(extra);  // accepted and closed at once, cleanly
    UNSIGNED_LONGS_EQUAL(round, server.stats().rejected);
    CHECK_OK(a.close());
    CHECK_OK(b.close());
    // No round in between: the next round retires these two (their FINs) before it accepts the
    // next two, so the slots freed in a round serve the connections waiting in that round.
  }
  for (int i = 0; i < 5 && server.active() != 0; ++i) (void)server.run_once(1ms);
  UNSIGNED_LONGS_EQUAL(0, server.active());
  UNSIGNED_LONGS_EQUAL(4, server.stats().accepted);
  UNSIGNED_LONGS_EQUAL(4, server.stats().finished);
}
