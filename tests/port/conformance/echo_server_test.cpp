// SPDX-License-Identifier: MIT
// Echo server acceptance, after the Mbed OS netsocket test plan (single echo, burst, 100 KB,
// concurrent clients, open limit, open/close repeated, peer closes first) plus the fault cases (reset
// mid-stream, half-close, slow reader, idle client, flood beyond the pool, no descriptor left for
// accept) and the engine's bookkeeping (close() of live sessions). The threaded cases run the engine
// in a thread of its own against plain blocking clients; the stepped cases drive the engine and
// non-blocking clients from the test's thread, one round at a time, so that they run on every
// backend, the single-threaded fake included. After every case the server still serves, and
// (handle_leak_check) the process holds as many handles as before.
#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

#include "conformance.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/poll.hpp"
#include "heap_counter.hpp"
#include "peer_thread.hpp"

using emsock::echo_state;
using emsock::errc;
using emsock::tcp_stream;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t pool = 8;
constexpr std::size_t buffer = 1024;
constexpr int client_timeout_ms = 5000;
constexpr emsock::milliseconds client_timeout{client_timeout_ms};

/// Deterministic test bytes: byte i of stream `seed`.
std::uint8_t pattern(std::uint64_t i, unsigned seed) {
  return static_cast<std::uint8_t>((i * 131u + seed * 17u) >> 3);
}

/// The server's events, counted; safe to read from the test's thread while the server runs in another.
struct event_counts {
  std::atomic<unsigned> connected{0};
  std::atomic<unsigned> disconnected{0};
  std::atomic<unsigned> rejected{0};
  std::atomic<unsigned> accept_failed{0};
  std::atomic<unsigned> accept_resumed{0};
  std::atomic<int> last_accept_error{0};          ///< an errc
  std::atomic<std::uint64_t> last_resumed_count{0};  ///< `count` of the last accept_resumed
  std::atomic<std::size_t> peak_active{0};
  std::atomic<unsigned> ended[6] = {};  ///< disconnected, by echo_state (open and draining: close())

  unsigned ended_as(echo_state s) const { return ended[static_cast<int>(s)].load(); }

  static void record(void* context, const emsock::echo_server_event& e) noexcept {
    auto& c = *static_cast<event_counts*>(context);
    switch (e.kind) {
      case emsock::echo_server_event_kind::connected:
        ++c.connected;
        if (e.active > c.peak_active.load()) c.peak_active.store(e.active);
        break;
      case emsock::echo_server_event_kind::disconnected:
        ++c.disconnected;
        if (static_cast<int>(e.end) < 6) ++c.ended[static_cast<int>(e.end)];
        break;
      case emsock::echo_server_event_kind::rejected: ++c.rejected; break;
      case emsock::echo_server_event_kind::accept_failed:
        ++c.accept_failed;
        c.last_accept_error.store(static_cast<int>(e.error));
        break;
      case emsock::echo_server_event_kind::accept_resumed:
        ++c.accept_resumed;
        c.last_resumed_count.store(e.count);
        break;
      default: break;
    }
  }
};

/// Waits until `done()` holds, looking every millisecond, at most `ms` of real time (for the
/// threaded cases: the server thread makes the progress); returns whether it held.
template <class Done>
bool eventually(Done done, int ms = client_timeout_ms) {
  const std::int64_t deadline = conformance::steady_ms() + ms;
  while (!done()) {
    if (conformance::steady_ms() >= deadline) return false;
    conformance::pause_ms(1);
  }
  return true;
}

/// The engine in a thread: run_once() until stop.
class server_thread {
 public:
  explicit server_thread(emsock::milliseconds idle_timeout = emsock::milliseconds::zero()) {
    emsock::echo_server_options o;
    o.bind = conformance::loopback_v4(0);
    o.backlog = 64;
    o.idle_timeout = idle_timeout;
    const emsock::status s = server_.open(o);
    CHECK_OK(s);
    server_.set_event_handler(event_counts::record, &events_);
    thread_ = conformance::peer_thread([this] {
      while (!stop_.load()) (void)server_.run_once(10ms);
    });
  }
  ~server_thread() { stop(); }
  /// Stops the loop and closes every connection; stats() is stable afterwards.
  void stop() {
    if (thread_.joinable()) {
      stop_.store(true);
      thread_.join();
      server_.close();
    }
  }
  emsock::endpoint where() const { return server_.local_endpoint(); }
  const emsock::echo_server_stats& stats() const { return server_.stats(); }
  const event_counts& events() const { return events_; }

 private:
  emsock::echo_server<pool, buffer> server_;
  event_counts events_;
  std::atomic<bool> stop_{false};
  conformance::peer_thread thread_;
};

/// The engine driven from the test's thread: step() is one round.
struct stepped_server {
  emsock::echo_server<pool, buffer> engine;
  event_counts events;

  explicit stepped_server(emsock::milliseconds accept_retry = emsock::milliseconds{100}) {
    emsock::echo_server_options o;
    o.bind = conformance::loopback_v4(0);
    o.backlog = 64;
    o.accept_retry = accept_retry;
    CHECK_OK(engine.open(o));
    engine.set_event_handler(event_counts::record, &events);
  }
  emsock::endpoint where() const { return engine.local_endpoint(); }
  const emsock::echo_server_stats& stats() const { return engine.stats(); }
  /// One round, waiting at most wait_ms for something to do.
  void step(int wait_ms = 1) { (void)engine.run_once(emsock::milliseconds{wait_ms}); }
  /// Rounds until done() holds, at most max_rounds; returns whether it held.
  template <class Done>
  bool step_until(Done done, unsigned max_rounds = 2000, int wait_ms = 1) {
    for (unsigned r = 0; r < max_rounds && !done(); ++r) step(wait_ms);
    return done();
  }
};

tcp_stream connect_to(const emsock::endpoint& where) {
  auto s = tcp_stream::connect(where, client_timeout);
  CHECK_OK(s);
  if (s) {
    CHECK_OK(s->set_receive_timeout(client_timeout));
    CHECK_OK(s->set_send_timeout(client_timeout));
  }
  return std::move(s).value();
}

/// A client of a stepped server: connected (the stack completes the handshake without accept) and
/// non-blocking.
tcp_stream stepped_client(const emsock::endpoint& where) {
  tcp_stream s = connect_to(where);
  CHECK_OK(s.set_non_blocking(true));
  return s;
}

/// Echoes `size` pattern bytes through the non-blocking client `c`, stepping `server` between the
/// client's calls. True when every byte came back in order within max_rounds rounds.
bool stepped_echo(stepped_server& server, tcp_stream& c, std::size_t size, unsigned seed,
                  unsigned max_rounds = 5000) {
  std::vector<std::uint8_t> out(size), in(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = pattern(i, seed);
  std::size_t sent = 0, got = 0;
  for (unsigned r = 0; r < max_rounds && got < size; ++r) {
    if (sent < size) {
      const auto n = c.send(out.data() + sent, size - sent);
      if (n) sent += n.value();
      else if (n.code() != errc::would_block) return false;
    }
    server.step(1);
    const auto n = c.recv(in.data() + got, size - got);
    if (n && n.value() == 0) return false;  // closed
    if (n) got += n.value();
    else if (n.code() != errc::would_block) return false;
  }
  return got == size && out == in;
}

/// Sends `size` pattern bytes and checks the echo, byte for byte.
void check_echo(tcp_stream& s, std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> out(size), in(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = pattern(i, seed);
  const emsock::send_all_result sent = s.send_all(out.data(), size);
  CHECK_OK(sent);
  UNSIGNED_LONGS_EQUAL(size, conformance::recv_exactly(s, in.data(), size));
  CHECK(out == in);
}

/// The stream ends cleanly (end of stream, not a reset) within the client timeout.
void check_clean_close(tcp_stream& s) {
  std::uint8_t b;
  const auto r = s.recv(&b, 1);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(0, r.value_or(1));
}

/// Waits at most `ms` until `s` has something to read.
bool wait_readable(const tcp_stream& s, int ms) {
  emsock::poll_entry e;
  e.handle = s.native_handle();
  e.want_read = true;
  const auto n = emsock::poll(&e, 1, emsock::milliseconds{ms});
  return n && n.value() == 1 && e.readable;
}

/// Sends `size` bytes and receives their echo at once (for streams larger than the buffers), from
/// this thread alone: non-blocking, sending and receiving as poll says (one socket, one thread - the
/// threading contract of socket.hpp; lwIP allows a sender and a receiver at once only with
/// LWIP_NETCONN_FULLDUPLEX). Restores blocking mode.
void check_stream(tcp_stream& s, std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> out(size), in(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = pattern(i, seed);
  CHECK_OK(s.set_non_blocking(true));
  std::size_t sent = 0, got = 0;
  const char* failure = "";  // why the exchange stopped early
  while (got < size && *failure == '\0') {
    emsock::poll_entry e;
    e.handle = s.native_handle();
    e.want_read = true;
    e.want_write = sent < size;
    const auto ready = emsock::poll(&e, 1, client_timeout);
    if (!ready || ready.value() == 0) {
      failure = ready ? "nothing to send or receive within the client timeout" : emsock::name(ready.code());
      break;
    }
    if (e.writable && sent < size) {
      const auto n = s.send(out.data() + sent, size - sent);
      if (n) sent += n.value();
      else if (n.code() != errc::would_block) failure = emsock::name(n.code());
    }
    if (e.readable || e.hangup || e.error) {
      const auto n = s.recv(in.data() + got, size - got);
      if (n && n.value() == 0) failure = "end of stream before the whole echo";
      else if (n) got += n.value();
      else if (n.code() != errc::would_block) failure = emsock::name(n.code());
    }
  }
  CHECK_OK(s.set_non_blocking(false));
  STRCMP_EQUAL("", failure);
  UNSIGNED_LONGS_EQUAL(size, sent);
  UNSIGNED_LONGS_EQUAL(size, got);
  CHECK(out == in);
}

/// Every connection that got a session is accounted for exactly once.
void check_every_session_accounted(const emsock::echo_server_stats& st, std::size_t active) {
  UNSIGNED_LONGS_EQUAL(st.accepted, st.finished + st.timed_out + st.reset + st.failed + st.closed + active);
}

}  // namespace

TEST_GROUP_BASE(echo_server, conformance::handle_leak_check){};

TEST(echo_server, single_echo) {
  if (conformance::skip_without_threads("echo_server/single_echo")) return;
  server_thread server;
  tcp_stream c = connect_to(server.where());
  check_echo(c, 5, 1);
}

TEST(echo_server, burst_of_messages_comes_back_in_order) {
  if (conformance::skip_without_threads("echo_server/burst_of_messages_comes_back_in_order")) return;
  server_thread server;
  tcp_stream c = connect_to(server.where());
  std::vector<std::uint8_t> out, in;
  for (unsigned m = 0; m < 50; ++m)
    for (std::size_t i = 0; i < 1 + m * 13 % 200; ++i) out.push_back(pattern(i, m));
  for (std::size_t at = 0; at < out.size();) {  // many small sends, back to back
    const std::size_t n = out.size() - at < 37 ? out.size() - at : 37;
    CHECK_OK(c.send_all(out.data() + at, n));
    at += n;
  }
  in.resize(out.size());
  UNSIGNED_LONGS_EQUAL(out.size(), conformance::recv_exactly(c, in.data(), in.size()));
  CHECK(out == in);
}

TEST(echo_server, hundred_kilobytes_through_a_one_kilobyte_session) {
  if (conformance::skip_without_threads("echo_server/hundred_kilobytes_through_a_one_kilobyte_session")) return;
  server_thread server;
  tcp_stream c = connect_to(server.where());
  check_stream(c, 100 * 1024, 3);
}

TEST(echo_server, concurrent_clients_fill_the_pool) {
  if (conformance::skip_without_threads("echo_server/concurrent_clients_fill_the_pool")) return;
  server_thread server;
  std::vector<conformance::peer_thread> clients;
  std::atomic<unsigned> good{0}, served{0};
  for (unsigned k = 0; k < pool; ++k) {
    clients.emplace_back([&, k] {
      auto connected = tcp_stream::connect(server.where(), client_timeout);
      if (!connected) return;
      tcp_stream s = std::move(connected).value();
      if (!s.set_receive_timeout(client_timeout)) return;
      std::vector<std::uint8_t> out(20000), in(20000);
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = pattern(i, k);
      for (std::size_t at = 0; at < out.size(); at += 1000) {  // interleaved with the others
        if (!s.send_all(out.data() + at, 1000)) return;
        if (conformance::recv_exactly(s, in.data() + at, 1000) != 1000) return;
        if (at == 0) {  // served: hold on until every client is, so that the pool is full at once
          ++served;
          if (!eventually([&] { return served.load() == pool; })) return;
        }
      }
      if (out == in) ++good;
    });
  }
  for (auto& t : clients) t.join();
  UNSIGNED_LONGS_EQUAL(pool, good.load());
  UNSIGNED_LONGS_EQUAL(pool, server.events().peak_active.load());
}

TEST(echo_server, open_limit_then_the_same_count_again) {
  if (conformance::skip_without_threads("echo_server/open_limit_then_the_same_count_again")) return;
  server_thread server;
  {
    std::vector<tcp_stream> clients;
    for (std::size_t k = 0; k < pool; ++k) {
      clients.push_back(connect_to(server.where()));
      check_echo(clients.back(), 10, static_cast<unsigned>(k));  // served: it has a session
    }
    tcp_stream extra = connect_to(server.where());
    check_clean_close(extra);  // pool full: accepted and closed at once, cleanly
  }  // all closed here; the server frees their sessions when it sees the closes
  CHECK_TEXT(eventually([&] { return server.events().disconnected.load() == pool; }), "the closes were not seen");
  std::vector<tcp_stream> again;
  for (std::size_t k = 0; k < pool; ++k) {
    again.push_back(connect_to(server.where()));
    check_echo(again.back(), 10, static_cast<unsigned>(k));  // the freed sessions serve at once
  }
  tcp_stream extra = connect_to(server.where());
  check_clean_close(extra);  // full again
  again.clear();
  server.stop();
  UNSIGNED_LONGS_EQUAL(2, server.stats().rejected);
  UNSIGNED_LONGS_EQUAL(2 * pool, server.stats().accepted);
  check_every_session_accounted(server.stats(), 0);
}

TEST(echo_server, open_and_close_repeated) {
  if (conformance::skip_without_threads("echo_server/open_and_close_repeated")) return;
  server_thread server;
  for (unsigned k = 0; k < 100; ++k) {
    tcp_stream c = connect_to(server.where());
    check_echo(c, 1 + k % 50, k);
  }
  tcp_stream c = connect_to(server.where());
  check_echo(c, 100, 7);
  CHECK(eventually([&] { return server.events().disconnected.load() == 100; }));
  server.stop();  // c is still open: close() ends it
  UNSIGNED_LONGS_EQUAL(101, server.stats().accepted);
  UNSIGNED_LONGS_EQUAL(100, server.stats().finished);
  UNSIGNED_LONGS_EQUAL(1, server.stats().closed);
  UNSIGNED_LONGS_EQUAL(0, server.stats().rejected);
}

TEST(echo_server, peer_closes_first_and_still_gets_every_byte) {
  if (conformance::skip_without_threads("echo_server/peer_closes_first_and_still_gets_every_byte")) return;
  server_thread server;
  tcp_stream c = connect_to(server.where());
  std::uint8_t out[3000], in[3000];
  for (std::size_t i = 0; i < sizeof out; ++i) out[i] = pattern(i, 9);
  CHECK_OK(c.send_all(out, sizeof out));
  CHECK_OK(c.shutdown(emsock::shutdown_how::write));  // half-close: FIN with data in flight
  UNSIGNED_LONGS_EQUAL(sizeof out, conformance::recv_exactly(c, in, sizeof in));
  CHECK(std::memcmp(out, in, sizeof out) == 0);
  check_clean_close(c);  // drained, then the server closed
  server.stop();
  UNSIGNED_LONGS_EQUAL(1, server.stats().finished);
  UNSIGNED_LONGS_EQUAL(sizeof out, server.stats().bytes);
}

TEST(echo_server, client_reset_mid_stream_leaves_the_server_serving) {
  if (conformance::skip_without_threads("echo_server/client_reset_mid_stream_leaves_the_server_serving")) return;
  server_thread server;
  for (unsigned k = 0; k < 5; ++k) {
    tcp_stream c = connect_to(server.where());
    std::uint8_t junk[4096];
    std::memset(junk, 0x5a, sizeof junk);
    CHECK_OK(c.send_all(junk, sizeof junk));
    // All but the last byte of the echo read; the last one waits unread in our buffer, so the
    // server has nothing left to send and the close below resets the connection.
    UNSIGNED_LONGS_EQUAL(sizeof junk - 1, conformance::recv_exactly(c, junk, sizeof junk - 1));
    CHECK(wait_readable(c, client_timeout_ms));
    CHECK_OK(c.close());  // closing with unread data resets the connection
  }
  CHECK_TEXT(eventually([&] { return server.events().ended_as(echo_state::reset) == 5; }), "5 resets not seen");
  tcp_stream c = connect_to(server.where());
  check_echo(c, 2000, 11);
}

TEST(echo_server, slow_reader_is_held_back_not_buffered) {
  // A client that sends and does not read: the 1 KB session fills, the server stops reading, the
  // windows close and the client's sends stop going through: the server holds it back instead of
  // buffering for it, and allocates nothing meanwhile. Then the client reads slowly (4 KB a round)
  // and gets every byte back, in order.
  stepped_server server;
  tcp_stream c = stepped_client(server.where());
  std::uint8_t chunk[16384];
  std::uint64_t sent = 0;
  unsigned send_errors = 0;  // other than would_block
  auto send_more = [&] {
    for (std::size_t i = 0; i < sizeof chunk; ++i) chunk[i] = pattern(sent + i, 13);
    const auto n = c.send(chunk, sizeof chunk);
    if (n) sent += n.value();
    else if (n.code() != errc::would_block) ++send_errors;
    return n ? n.value() : 0;
  };
  // Full: 50 rounds in a row in which the client could send nothing and the server read nothing
  // (its session full, its sends refused). A stack that is slow to deliver or acknowledge (a loaded
  // machine) only makes the filling take more rounds.
  unsigned still = 0;
  for (unsigned round = 0; round < 100000 && still < 50 && sent < (std::uint64_t{256} << 20); ++round) {
    const std::uint64_t read = server.engine.bytes_received();
    const bool client_sent = send_more() > 0;
    server.step(1);
    still = client_sent || server.engine.bytes_received() != read ? 0 : still + 1;
  }
  CHECK_TEXT(still >= 50, "the client's sends never stopped going through");
  UNSIGNED_LONGS_EQUAL(0, send_errors);
  UNSIGNED_LONGS_EQUAL(1, server.engine.active());

  // Held back, not buffered: 50 more rounds on the full stream, without one heap call, and the
  // server reads nothing more (whatever slack the kernel's buffers still give the client).
  const std::uint64_t read_when_full = server.engine.bytes_received();
  const emsock::test::heap_calls before = emsock::test::heap_calls_now();
  for (int round = 0; round < 50; ++round) {
    (void)send_more();
    server.step(1);
  }
  const emsock::test::heap_calls after = emsock::test::heap_calls_now();
  CHECK_TEXT(emsock::test::heap_counter_active(), "malloc is not wrapped in this binary: the proof would be void");
  UNSIGNED_LONGS_EQUAL(0, (after - before).total());
  CHECK_TEXT(server.engine.bytes_received() == read_when_full, "the server read on from a client nobody reads from");
  CHECK(read_when_full < sent);  // the rest waits in the stack, not in the server
  UNSIGNED_LONGS_EQUAL(0, send_errors);

  // The slow reader: 4 KB a round, every byte in order; then FIN, and the server drains and closes.
  CHECK_OK(c.shutdown(emsock::shutdown_how::write));
  std::uint64_t got = 0, wrong = 0;
  bool ended = false;
  // Bounded by time without progress (10 s), not by a round count: a loaded machine may take a
  // while to deliver, and only a stall this long is a failure.
  for (std::int64_t last_progress = conformance::now_ms(); !ended && conformance::now_ms() - last_progress < 10000;) {
    std::uint8_t in[4096];
    const auto n = c.recv(in, sizeof in);
    if (n && n.value() == 0) ended = true;
    if (n && n.value() > 0) {
      for (std::size_t i = 0; i < n.value(); ++i) wrong += in[i] != pattern(got + i, 13);
      got += n.value();
      last_progress = conformance::now_ms();
      server.step(0);
    } else {
      server.step(1);
    }
  }
  CHECK_TEXT(ended, "no end of stream after the echo");
  CHECK_EQUAL(sent, got);
  CHECK_EQUAL(0u, wrong);
  CHECK(server.step_until([&] { return server.engine.active() == 0; }));
  UNSIGNED_LONGS_EQUAL(1, server.stats().finished);
  CHECK_EQUAL(sent, server.stats().bytes);
}

TEST(echo_server, idle_client_is_closed_after_the_timeout) {
  if (conformance::skip_without_threads("echo_server/idle_client_is_closed_after_the_timeout")) return;
  constexpr int timeout_ms = 150;
  server_thread server(emsock::milliseconds{timeout_ms});
  const auto start = conformance::now_ms();  // before the idle client's session can start
  tcp_stream idle = connect_to(server.where());
  tcp_stream busy = connect_to(server.where());
  CHECK_OK(idle.set_receive_timeout(40ms));  // paces the busy client: it talks every 40 ms or so
  bool closed = false;
  unsigned talks = 0;
  for (unsigned k = 0; k < 200 && !closed; ++k) {  // the busy one keeps talking across the timeout
    check_echo(busy, 10, k);
    ++talks;
    std::uint8_t b;
    const auto r = idle.recv(&b, 1);
    if (r) {
      UNSIGNED_LONGS_EQUAL(0, r.value());  // end of stream, not data
      closed = true;
    } else {
      CHECK_ERRC(errc::timed_out, r);
    }
  }
  const auto took = conformance::now_ms() - start;
  CHECK_TEXT(closed, "the idle client was never closed");
  CHECK_TEXT(took >= timeout_ms - 2, "the idle client was closed before its timeout");  // clocks count whole ms
  CHECK(talks >= 3);          // the busy client talked within the idle one's timeout, and
  check_echo(busy, 10, 999);  // is served still
  server.stop();
  UNSIGNED_LONGS_EQUAL(1, server.stats().timed_out);
  UNSIGNED_LONGS_EQUAL(1, server.stats().closed);  // busy, open when the server stopped
}

TEST(echo_server, flood_beyond_the_pool) {
  if (conformance::skip_without_threads("echo_server/flood_beyond_the_pool")) return;
  server_thread server;
  std::vector<tcp_stream> clients;
  for (std::size_t k = 0; k < 3 * pool; ++k) clients.push_back(connect_to(server.where()));
  unsigned served = 0, closed = 0;
  for (auto& c : clients) {
    std::uint8_t b = 7, back = 0;
    const bool sent = c.send_all(&b, 1).ok();
    const auto r = c.recv(&back, 1);
    if (sent && r && r.value() == 1 && back == 7) ++served;
    else if (r ? r.value() == 0 : r.code() == errc::connection_reset) ++closed;  // refused by a full pool
  }
  UNSIGNED_LONGS_EQUAL(pool, served);
  UNSIGNED_LONGS_EQUAL(2 * pool, closed);
  clients.clear();
  CHECK_TEXT(eventually([&] { return server.events().disconnected.load() == pool; }), "the closes were not seen");
  tcp_stream c = connect_to(server.where());
  check_echo(c, 1, 1);
  server.stop();
  UNSIGNED_LONGS_EQUAL(2 * pool, server.stats().rejected);
  UNSIGNED_LONGS_EQUAL(pool + 1, server.stats().accepted);
}

TEST(echo_server, close_retires_every_live_session_with_its_event) {
  // close() with two live connections: each ends with a disconnected event (end: the live state it
  // was in) and is counted in stats().closed; the clients see end of stream; the server opens again.
  stepped_server server;
  tcp_stream a = stepped_client(server.where());
  tcp_stream b = stepped_client(server.where());
  CHECK(stepped_echo(server, a, 10, 1));
  CHECK(server.step_until([&] { return server.engine.active() == 2; }));
  server.engine.close();
  UNSIGNED_LONGS_EQUAL(0, server.engine.active());
  UNSIGNED_LONGS_EQUAL(2, server.events.disconnected.load());
  UNSIGNED_LONGS_EQUAL(2, server.events.ended_as(echo_state::open));
  UNSIGNED_LONGS_EQUAL(2, server.stats().closed);
  UNSIGNED_LONGS_EQUAL(10, server.stats().bytes);
  check_every_session_accounted(server.stats(), 0);
  for (tcp_stream* c : {&a, &b}) {
    CHECK_OK(c->set_non_blocking(false));
    check_clean_close(*c);
  }
  server.engine.close();  // a second close() changes nothing
  UNSIGNED_LONGS_EQUAL(2, server.events.disconnected.load());

  emsock::echo_server_options o;
  o.bind = conformance::loopback_v4(0);
  CHECK_OK(server.engine.open(o));
  tcp_stream c = stepped_client(server.engine.local_endpoint());
  CHECK(stepped_echo(server, c, 100, 2));
}

TEST(echo_server, a_zero_accept_retry_is_refused) {
  emsock::echo_server<1, 16> server;
  emsock::echo_server_options o;
  o.bind = conformance::loopback_v4(0);
  o.accept_retry = 0ms;
  CHECK_ERRC(errc::invalid_argument, server.open(o));
  o.accept_retry = -1ms;
  CHECK_ERRC(errc::invalid_argument, server.open(o));
}

// No descriptor left for accept: the queued connection stays queued (POSIX's EMFILE, the fake's
// descriptor limit), so the listener stays readable. The engine must pause accepting instead of
// trying again every round, say so once, and serve the queue as soon as descriptors are free.
TEST_GROUP_BASE(echo_server_descriptors, conformance::handle_leak_check) {
  emsock::tcp_listener fillers[64];
  bool limited = false;

  /// Takes every descriptor left: limits the process to a few more and fills those with listeners
  /// until the stack says too_many_open_files. False (after a note) when the backend cannot be limited.
  bool exhaust(const char* what) {
    if (conformance::env().limit_descriptors == nullptr) {
      conformance::note_skip(what, "the stack's socket table cannot be limited here (lwIP: a queued "
                                   "connection already holds its netconn, so accept does not fail for want of a socket)");
      return false;
    }
    conformance::env().limit_descriptors(4);
    limited = true;
    for (auto& f : fillers) {
      auto l = emsock::tcp_listener::listen(conformance::loopback_v4(0));
      if (!l) {
        CHECK_ERRC(errc::too_many_open_files, l);
        return true;
      }
      f = std::move(l).value();
    }
    FAIL("64 more descriptors opened under the limit");
    return false;
  }
  void release_descriptors() {
    for (auto& f : fillers)
      if (f.valid()) (void)f.close();
    if (limited) conformance::env().unlimit_descriptors();
    limited = false;
  }
  void teardown() override {
    release_descriptors();
    conformance::handle_leak_check::teardown();
  }
};

TEST(echo_server_descriptors, accept_without_descriptors_pauses_then_serves_the_waiting_clients) {
  stepped_server server(50ms);  // a failed accept pauses accepting for 50 ms
  tcp_stream served = stepped_client(server.where());
  CHECK(stepped_echo(server, served, 10, 1));
  tcp_stream waiting[3] = {stepped_client(server.where()), stepped_client(server.where()),
                           stepped_client(server.where())};  // queued, not accepted yet
  if (!exhaust("echo_server_descriptors/accept_without_descriptors_pauses_then_serves_the_waiting_clients")) return;

  // 600 ms of the backend's clock with clients queued and no descriptor for accept. Each round
  // waits up to 10 ms: a round that returns at once because the listener is readable is a spin.
  const auto start = conformance::now_ms();
  unsigned rounds = 0;
  while (conformance::now_ms() - start < 600 && rounds < 5000) {
    server.step(10);
    ++rounds;
  }
  const std::uint64_t failures = server.stats().accept_failures;
  UNSIGNED_LONGS_EQUAL(1, server.events.accept_failed.load());  // said once for the episode
  STRCMP_EQUAL("too_many_open_files", emsock::name(static_cast<errc>(server.events.last_accept_error.load())));
  CHECK_TEXT(failures >= 3, "accept was not tried again");  // about one try per 50 ms pause (12),
  CHECK_TEXT(failures <= 14, "accept was tried more often than once per pause");  // not one per round
  CHECK_TEXT(rounds <= 150, "the loop spun: rounds returned without waiting");    // 60 rounds of 10 ms + 12
  UNSIGNED_LONGS_EQUAL(0, server.events.accept_resumed.load());
  CHECK(stepped_echo(server, served, 20, 2));  // the connected client is served meanwhile

  // Descriptors again: the waiting clients are accepted (within a pause) and served.
  release_descriptors();
  for (unsigned k = 0; k < 3; ++k) CHECK(stepped_echo(server, waiting[k], 30, 3 + k));
  UNSIGNED_LONGS_EQUAL(1, server.events.accept_resumed.load());
  CHECK_EQUAL(server.stats().accept_failures, server.events.last_resumed_count.load());
  UNSIGNED_LONGS_EQUAL(4, server.stats().accepted);
  UNSIGNED_LONGS_EQUAL(0, server.stats().rejected);
}

TEST(echo_server_descriptors, a_connection_ending_frees_a_descriptor_and_ends_the_pause_at_once) {
  stepped_server server(600000ms);  // a pause far longer than this test: only a freed descriptor ends it
  tcp_stream leaving = stepped_client(server.where());
  CHECK(stepped_echo(server, leaving, 10, 1));
  tcp_stream waiting = stepped_client(server.where());
  if (!exhaust("echo_server_descriptors/a_connection_ending_frees_a_descriptor_and_ends_the_pause_at_once")) return;
  CHECK(server.step_until([&] { return server.events.accept_failed.load() == 1; }, 100, 10));
  for (int round = 0; round < 20; ++round) server.step(1);  // paused: nobody else is taken meanwhile
  UNSIGNED_LONGS_EQUAL(1, server.stats().accept_failures);
  UNSIGNED_LONGS_EQUAL(1, server.events.connected.load());

  CHECK_OK(leaving.close());  // the server retires it: its descriptor is free again
  CHECK(stepped_echo(server, waiting, 10, 2, 200));  // 200 rounds of at most 1 ms: long before the pause ends
  UNSIGNED_LONGS_EQUAL(1, server.events.accept_resumed.load());
  UNSIGNED_LONGS_EQUAL(1, server.stats().finished);
  UNSIGNED_LONGS_EQUAL(2, server.stats().accepted);
}

TEST_GROUP_BASE(echo_server_heap, conformance::handle_leak_check){};

TEST(echo_server_heap, no_allocation_per_connection) {
  // Single-threaded so that the window holds only the engine and the client's socket calls:
  // 20 connections, each accepted, echoing 3 KB in small pieces, closed and retired.
  emsock::echo_server<pool, buffer> server;
  emsock::echo_server_options o;
  o.bind = conformance::loopback_v4(0);
  o.backlog = 64;
  CHECK_OK(server.open(o));
  std::uint8_t out[3000], in[3000];
  for (std::size_t i = 0; i < sizeof out; ++i) out[i] = pattern(i, 21);
  unsigned echoed = 0;
  const emsock::test::heap_calls before = emsock::test::heap_calls_now();
  for (unsigned k = 0; k < 20; ++k) {
    auto c = tcp_stream::connect(server.local_endpoint(), client_timeout);
    if (!c || !c->set_non_blocking(true)) break;
    std::size_t sent = 0, got = 0;
    for (unsigned round = 0; round < 10000 && got < sizeof in; ++round) {
      if (sent < sizeof out) sent += c->send(out + sent, sizeof out - sent < 500 ? sizeof out - sent : 500).value_or(0);
      (void)server.run_once(1ms);
      got += c->recv(in + got, sizeof in - got).value_or(0);
    }
    if (got == sizeof in && std::memcmp(in, out, sizeof in) == 0) ++echoed;
    (void)c->close();
    for (unsigned round = 0; round < 100 && server.active() != 0; ++round) (void)server.run_once(1ms);
  }
  const emsock::test::heap_calls after = emsock::test::heap_calls_now();
  server.close();
  CHECK_TEXT(emsock::test::heap_counter_active(), "malloc is not wrapped in this binary: the proof would be void");
  UNSIGNED_LONGS_EQUAL(0, (after - before).total());
  UNSIGNED_LONGS_EQUAL(20, echoed);
  UNSIGNED_LONGS_EQUAL(20, server.stats().accepted);
  UNSIGNED_LONGS_EQUAL(20, server.stats().finished);
}
