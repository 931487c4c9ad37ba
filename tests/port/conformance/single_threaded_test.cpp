// SPDX-License-Identifier: MIT
// The single-threaded forms of the cases that run a peer in a thread of its own (echo_server_test.cpp,
// stream_test.cpp): the same behaviours, with the peer driven by the test's own loop - the echo engine
// stepped one round at a time, the clients non-blocking - so that they run on every backend, the
// single-threaded ones (the fake, lwip-raw) included. A client is connected only while the engine can
// take it (one at a time: a stack may hold further handshakes back until the listener's queue has
// room, and a single thread cannot accept while it waits in connect()). The pool is smaller than the
// threaded cases' (4), so that a flood of three pools fits a small socket table.
#include <cstring>
#include <vector>

#include "conformance.hpp"
#include "emsock/port/echo_server.hpp"

using emsock::echo_state;
using emsock::errc;
using emsock::tcp_stream;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t pool = 4;
constexpr emsock::milliseconds connect_timeout{5000};
constexpr unsigned max_rounds = 20000;

std::uint8_t byte_of(std::uint64_t i, unsigned seed) { return static_cast<std::uint8_t>((i * 151u + seed * 29u) >> 2); }

std::vector<std::uint8_t> bytes_of(std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> v(size);
  for (std::size_t i = 0; i < size; ++i) v[i] = byte_of(i, seed);
  return v;
}

/// The echo engine and what it reported, driven from the test's thread.
struct engine_loop {
  emsock::echo_server<pool, 1024> engine;
  unsigned connected = 0, rejected = 0, disconnected = 0, ended_reset = 0, timed_out = 0;
  std::size_t peak = 0;

  explicit engine_loop(emsock::milliseconds idle_timeout = 0ms) {
    emsock::echo_server_options o;
    o.bind = conformance::loopback_v4(0);
    o.backlog = 64;
    o.idle_timeout = idle_timeout;
    CHECK_OK(engine.open(o));
    engine.set_event_handler(record, this);
  }
  static void record(void* context, const emsock::echo_server_event& e) noexcept {
    auto& l = *static_cast<engine_loop*>(context);
    if (e.kind == emsock::echo_server_event_kind::connected) {
      ++l.connected;
      if (e.active > l.peak) l.peak = e.active;
    }
    if (e.kind == emsock::echo_server_event_kind::rejected) ++l.rejected;
    if (e.kind == emsock::echo_server_event_kind::disconnected) {
      ++l.disconnected;
      if (e.end == echo_state::reset) ++l.ended_reset;
      if (e.end == echo_state::timed_out) ++l.timed_out;
    }
  }
  void step(int wait_ms = 1) { (void)engine.run_once(emsock::milliseconds{wait_ms}); }
  template <class Done>
  bool step_until(Done done, unsigned rounds = max_rounds) {
    for (unsigned r = 0; r < rounds && !done(); ++r) step();
    return done();
  }

  /// A non-blocking client, connected and taken by the engine (served or rejected) before it returns.
  tcp_stream join() {
    const unsigned before = connected + rejected;
    auto s = tcp_stream::connect(engine.local_endpoint(), connect_timeout);
    CHECK_OK(s);
    tcp_stream c = std::move(s).value();
    CHECK_OK(c.set_non_blocking(true));
    CHECK_TEXT(step_until([&] { return connected + rejected > before; }), "the engine did not take the client");
    return c;
  }

  /// Sends out[0, size) through `c` (pieces of at most `piece` bytes), stepping the engine, and
  /// receives the echo; with `half_close` the client shuts its sending side once all is sent.
  /// True when every byte came back in order.
  bool echo(tcp_stream& c, const std::vector<std::uint8_t>& out, std::size_t piece = SIZE_MAX, bool half_close = false) {
    std::vector<std::uint8_t> in(out.size());
    std::size_t sent = 0, got = 0;
    bool shut = false;
    for (unsigned r = 0; r < max_rounds && got < out.size(); ++r) {
      if (sent < out.size()) {
        const std::size_t n = out.size() - sent < piece ? out.size() - sent : piece;
        const auto s = c.send(out.data() + sent, n);
        if (s) sent += s.value();
        else if (s.code() != errc::would_block) return false;
      }
      if (half_close && sent == out.size() && !shut) {
        if (!c.shutdown(emsock::shutdown_how::write)) return false;
        shut = true;
      }
      step();
      const auto n = c.recv(in.data() + got, in.size() - got);
      if (n && n.value() == 0) return false;
      if (n) got += n.value();
      else if (n.code() != errc::would_block) return false;
    }
    return got == out.size() && in == out;
  }

  /// How `c`'s connection ends while the engine runs: end of stream (0), a reset (connection_reset),
  /// or would_block when nothing came within the rounds.
  errc ending(tcp_stream& c, unsigned rounds = max_rounds) {
    for (unsigned r = 0; r < rounds; ++r) {
      std::uint8_t b;
      const auto n = c.recv(&b, 1);
      if (n) return n.value() == 0 ? errc::ok : errc::system_error;  // data: not an ending
      if (n.code() != errc::would_block) return n.code();
      step();
    }
    return errc::would_block;
  }
};

void check_every_session_accounted(const emsock::echo_server_stats& st) {
  UNSIGNED_LONGS_EQUAL(st.accepted, st.finished + st.timed_out + st.reset + st.failed + st.closed);
}

}  // namespace

TEST_GROUP_BASE(single_threaded, conformance::handle_leak_check){};

TEST(single_threaded, send_all_on_a_non_blocking_stream_resumes_to_a_reading_peer) {
  // send_all stops at would_block with `sent` exact; resumed after the peer read, every byte arrives.
  // First the sender alone, until the stack's buffers are full (would_block), then 1 MB more while
  // the peer reads.
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  CHECK_OK(c.client.set_non_blocking(true));
  CHECK_OK(c.server.set_non_blocking(true));
  static std::uint8_t piece[64 * 1024];
  std::size_t sent = 0, received = 0;
  unsigned stops = 0, wrong = 0;
  for (unsigned r = 0; r < 1024 && stops == 0; ++r) {  // at most 64 MB
    for (std::size_t i = 0; i < sizeof piece; ++i) piece[i] = byte_of(sent + i, 5);
    const auto s = c.client.send_all(piece, sizeof piece);
    if (!s.ok()) {
      STRCMP_EQUAL("would_block", emsock::name(s.code()));
      ++stops;
    }
    sent += s.sent;
  }
  CHECK_TEXT(stops > 0, "64 MB went without a single would_block");
  const std::size_t total = sent + 1024 * 1024;
  for (unsigned r = 0; r < 400000 && received < total; ++r) {
    if (sent < total) {
      const std::size_t n = total - sent < sizeof piece ? total - sent : sizeof piece;
      for (std::size_t i = 0; i < n; ++i) piece[i] = byte_of(sent + i, 5);
      const auto s = c.client.send_all(piece, n);
      if (!s.ok()) {
        STRCMP_EQUAL("would_block", emsock::name(s.code()));
        ++stops;
      }
      sent += s.sent;
    }
    std::uint8_t buf[4096];
    const auto n = c.server.recv(buf, sizeof buf);
    if (n) {
      CHECK(n.value() > 0);
      for (std::size_t i = 0; i < n.value(); ++i) wrong += buf[i] != byte_of(received + i, 5);
      received += n.value();
    } else {
      CHECK_ERRC(errc::would_block, n);
      emsock::poll_entry e;
      e.handle = c.server.native_handle();
      e.want_read = true;
      (void)emsock::poll(&e, 1, 1ms);  // lets a single-threaded stack deliver
    }
  }
  UNSIGNED_LONGS_EQUAL(total, sent);
  UNSIGNED_LONGS_EQUAL(total, received);
  UNSIGNED_LONGS_EQUAL(0, wrong);
}

TEST(single_threaded, single_echo) {
  engine_loop server;
  tcp_stream c = server.join();
  CHECK(server.echo(c, bytes_of(5, 1)));
}

TEST(single_threaded, burst_of_messages_comes_back_in_order) {
  engine_loop server;
  tcp_stream c = server.join();
  std::vector<std::uint8_t> out;
  for (unsigned m = 0; m < 50; ++m)
    for (std::size_t i = 0; i < 1 + m * 13 % 200; ++i) out.push_back(byte_of(i, m));
  CHECK(server.echo(c, out, 37));  // many small sends, back to back
}

TEST(single_threaded, hundred_kilobytes_through_a_one_kilobyte_session) {
  engine_loop server;
  tcp_stream c = server.join();
  CHECK(server.echo(c, bytes_of(100 * 1024, 3)));
}

TEST(single_threaded, concurrent_clients_fill_the_pool) {
  engine_loop server;
  std::vector<tcp_stream> clients;
  for (std::size_t k = 0; k < pool; ++k) clients.push_back(server.join());
  UNSIGNED_LONGS_EQUAL(pool, server.peak);
  unsigned good = 0;
  std::vector<std::vector<std::uint8_t>> streams;
  for (unsigned k = 0; k < pool; ++k) streams.push_back(bytes_of(20000, k));
  for (std::size_t at = 0; at < 20000; at += 1000) {  // interleaved: 1000 bytes of each in turn
    for (unsigned k = 0; k < pool; ++k) {
      const std::vector<std::uint8_t> piece(streams[k].begin() + static_cast<long>(at),
                                            streams[k].begin() + static_cast<long>(at + 1000));
      if (server.echo(clients[k], piece) && at + 1000 == 20000) ++good;
    }
  }
  UNSIGNED_LONGS_EQUAL(pool, good);
  UNSIGNED_LONGS_EQUAL(pool, server.engine.active());
}

TEST(single_threaded, open_limit_then_the_same_count_again) {
  engine_loop server;
  for (int twice = 0; twice < 2; ++twice) {
    std::vector<tcp_stream> clients;
    for (std::size_t k = 0; k < pool; ++k) {
      clients.push_back(server.join());
      CHECK(server.echo(clients.back(), bytes_of(10, static_cast<unsigned>(k))));  // served: it has a session
    }
    tcp_stream extra = server.join();
    STRCMP_EQUAL("ok", emsock::name(server.ending(extra)));  // pool full: accepted and closed at once, cleanly
  }  // each round's clients close here; the engine frees their sessions when it sees the closes
  CHECK_TEXT(server.step_until([&] { return server.engine.active() == 0; }), "the closes were not seen");
  server.engine.close();
  UNSIGNED_LONGS_EQUAL(2, server.engine.stats().rejected);
  UNSIGNED_LONGS_EQUAL(2 * pool, server.engine.stats().accepted);
  check_every_session_accounted(server.engine.stats());
}

TEST(single_threaded, open_and_close_repeated) {
  engine_loop server;
  for (unsigned k = 0; k < 100; ++k) {
    tcp_stream c = server.join();
    CHECK(server.echo(c, bytes_of(1 + k % 50, k)));
  }
  tcp_stream c = server.join();
  CHECK(server.echo(c, bytes_of(100, 7)));
  CHECK(server.step_until([&] { return server.disconnected == 100; }));
  server.engine.close();  // c is still open: close() ends it
  UNSIGNED_LONGS_EQUAL(101, server.engine.stats().accepted);
  UNSIGNED_LONGS_EQUAL(100, server.engine.stats().finished);
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().closed);
  UNSIGNED_LONGS_EQUAL(0, server.engine.stats().rejected);
}

TEST(single_threaded, peer_closes_first_and_still_gets_every_byte) {
  engine_loop server;
  tcp_stream c = server.join();
  CHECK(server.echo(c, bytes_of(3000, 9), SIZE_MAX, true));  // half-close: FIN with data in flight
  STRCMP_EQUAL("ok", emsock::name(server.ending(c)));        // drained, then the server closed
  CHECK(server.step_until([&] { return server.engine.active() == 0; }));
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().finished);
  UNSIGNED_LONGS_EQUAL(3000, server.engine.stats().bytes);
}

TEST(single_threaded, client_reset_mid_stream_leaves_the_server_serving) {
  engine_loop server;
  for (unsigned k = 0; k < 5; ++k) {
    tcp_stream c = server.join();
    const std::vector<std::uint8_t> junk(4096, 0x5a);
    std::vector<std::uint8_t> back(4095);
    // All but the last byte of the echo read; the last one waits unread, so the close below resets.
    std::size_t sent = 0, got = 0;
    for (unsigned r = 0; r < max_rounds && got < back.size(); ++r) {
      if (sent < junk.size()) sent += c.send(junk.data() + sent, junk.size() - sent).value_or(0);
      server.step();
      got += c.recv(back.data() + got, back.size() - got).value_or(0);
    }
    UNSIGNED_LONGS_EQUAL(back.size(), got);
    emsock::poll_entry e;
    e.handle = c.native_handle();
    e.want_read = true;
    for (unsigned r = 0; r < max_rounds && !e.readable; ++r) {
      server.step();
      (void)emsock::poll(&e, 1, 0ms);
    }
    CHECK_TEXT(e.readable, "the last byte never came");
    CHECK_OK(c.close());  // closing with unread data resets the connection
  }
  CHECK_TEXT(server.step_until([&] { return server.ended_reset == 5; }), "5 resets not seen");
  tcp_stream c = server.join();
  CHECK(server.echo(c, bytes_of(2000, 11)));
}

TEST(single_threaded, idle_client_is_closed_after_the_timeout) {
  constexpr int timeout_ms = 150;
  engine_loop server(emsock::milliseconds{timeout_ms});
  const auto start = conformance::now_ms();  // before the idle client's session can start
  tcp_stream idle = server.join();
  tcp_stream busy = server.join();
  bool closed = false;
  unsigned talks = 0;
  for (unsigned k = 0; k < 400 && !closed; ++k) {  // the busy one keeps talking across the timeout
    CHECK(server.echo(busy, bytes_of(10, k)));
    ++talks;
    for (int r = 0; r < 5; ++r) server.step(2);
    std::uint8_t b;
    const auto n = idle.recv(&b, 1);
    if (n) {
      UNSIGNED_LONGS_EQUAL(0, n.value());  // end of stream, not data
      closed = true;
    } else {
      CHECK_ERRC(errc::would_block, n);
    }
  }
  const auto took = conformance::now_ms() - start;
  CHECK_TEXT(closed, "the idle client was never closed");
  CHECK_TEXT(took >= timeout_ms - 2, "the idle client was closed before its timeout");
  CHECK(talks >= 3);
  CHECK(server.echo(busy, bytes_of(10, 999)));  // served still
  server.engine.close();
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().timed_out);
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().closed);  // busy, open when the server stopped
}

TEST(single_threaded, flood_beyond_the_pool) {
  engine_loop server;
  std::vector<tcp_stream> clients;
  for (std::size_t k = 0; k < 3 * pool; ++k) clients.push_back(server.join());
  unsigned served = 0, closed = 0;
  for (auto& c : clients) {
    if (server.echo(c, {7})) ++served;
    else {
      const errc end = server.ending(c);
      if (end == errc::ok || end == errc::connection_reset || end == errc::broken_pipe) ++closed;  // refused by a full pool
    }
  }
  UNSIGNED_LONGS_EQUAL(pool, served);
  UNSIGNED_LONGS_EQUAL(2 * pool, closed);
  clients.clear();
  CHECK_TEXT(server.step_until([&] { return server.engine.active() == 0; }), "the closes were not seen");
  tcp_stream c = server.join();
  CHECK(server.echo(c, {1}));
  server.engine.close();
  UNSIGNED_LONGS_EQUAL(2 * pool, server.engine.stats().rejected);
  UNSIGNED_LONGS_EQUAL(pool + 1, server.engine.stats().accepted);
}
