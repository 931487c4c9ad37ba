// Echo server acceptance, after the Mbed OS netsocket test plan (single echo, burst, 100 KB,
// concurrent clients, open limit, open/close repeated, peer closes first) plus the fault cases (reset
// mid-stream, half-close, slow reader, idle client, flood beyond the pool). The server engine runs in
// a thread of its own; the clients are plain blocking streams. After every case the server still
// serves, and (handle_leak_check) the process holds as many handles as before.
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "conformance.hpp"
#include "emsock/port/echo_server.hpp"
#include "heap_counter.hpp"

using emsock::errc;
using emsock::tcp_stream;

namespace {

constexpr std::size_t pool = 8;
constexpr std::size_t buffer = 1024;
constexpr int client_timeout_ms = 5000;

/// Deterministic test bytes: byte i of stream `seed`.
std::uint8_t pattern(std::size_t i, unsigned seed) { return static_cast<std::uint8_t>((i * 131u + seed * 17u) >> 3); }

/// The engine in a thread: run_once() until stop.
class server_thread {
 public:
  explicit server_thread(std::uint64_t idle_timeout_ms = 0) {
    emsock::echo_server_options o;
    o.bind = conformance::loopback_v4(0);
    o.backlog = 64;
    o.idle_timeout_ms = idle_timeout_ms;
    const emsock::status s = server_.open(o);
    CHECK_OK(s);
    thread_ = std::thread([this] {
      while (!stop_.load()) (void)server_.run_once(10);
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

 private:
  emsock::echo_server<pool, buffer> server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

tcp_stream connect_to(const emsock::endpoint& where) {
  auto s = tcp_stream::connect(where, client_timeout_ms);
  CHECK_OK(s);
  if (s) {
    CHECK_OK(s->set_receive_timeout(client_timeout_ms));
    CHECK_OK(s->set_send_timeout(client_timeout_ms));
  }
  return std::move(s).value();
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

/// Sends and receives `size` bytes at once from two threads (for streams larger than the buffers).
void check_stream(tcp_stream& s, std::size_t size, unsigned seed, std::size_t read_chunk = 65536,
                  int pause_ms_per_read = 0) {
  std::vector<std::uint8_t> out(size), in(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = pattern(i, seed);
  emsock::send_all_result sent{};
  std::thread writer([&] { sent = s.send_all(out.data(), size); });
  std::size_t got = 0;
  while (got < size) {
    const std::size_t want = size - got < read_chunk ? size - got : read_chunk;
    const auto n = s.recv(in.data() + got, want);
    if (!n || n.value() == 0) break;
    got += n.value();
    if (pause_ms_per_read > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms_per_read));
  }
  writer.join();
  CHECK_OK(sent);
  UNSIGNED_LONGS_EQUAL(size, got);
  CHECK(out == in);
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
  std::vector<std::thread> clients;
  std::atomic<unsigned> good{0};
  for (unsigned k = 0; k < pool; ++k) {
    clients.emplace_back([&, k] {
      auto connected = tcp_stream::connect(server.where(), client_timeout_ms);
      if (!connected) return;
      tcp_stream s = std::move(connected).value();
      if (!s.set_receive_timeout(client_timeout_ms)) return;
      std::vector<std::uint8_t> out(20000), in(20000);
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = pattern(i, k);
      for (std::size_t at = 0; at < out.size(); at += 1000) {  // interleaved with the others
        if (!s.send_all(out.data() + at, 1000)) return;
        if (conformance::recv_exactly(s, in.data() + at, 1000) != 1000) return;
      }
      if (out == in) ++good;
    });
  }
  for (auto& t : clients) t.join();
  UNSIGNED_LONGS_EQUAL(pool, good.load());
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
  const auto deadline = conformance::now_ms() + 2000;
  std::vector<tcp_stream> again;
  while (again.size() < pool && conformance::now_ms() < deadline) {
    tcp_stream c = connect_to(server.where());
    std::uint8_t b = 42, back = 0;
    if (c.send_all(&b, 1) && conformance::recv_exactly(c, &back, 1) == 1 && back == 42) again.push_back(std::move(c));
  }
  UNSIGNED_LONGS_EQUAL(pool, again.size());
  tcp_stream extra = connect_to(server.where());
  check_clean_close(extra);  // full again
  again.clear();
  server.stop();
  CHECK(server.stats().rejected >= 2);
  CHECK(server.stats().accepted >= 2 * pool);
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
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the echo waits unread in our buffer
    CHECK_OK(c.close());  // closing with unread data resets the connection
  }
  tcp_stream c = connect_to(server.where());
  check_echo(c, 2000, 11);
}

TEST(echo_server, slow_reader_is_held_back_not_buffered) {
  if (conformance::skip_without_threads("echo_server/slow_reader_is_held_back_not_buffered")) return;
  // 1 MB through a 1 KB session to a reader that takes 4 KB at a time with pauses: the server stops
  // reading while the client does not read (its memory stays the session's 1 KB), nothing is lost.
  server_thread server;
  tcp_stream c = connect_to(server.where());
  check_stream(c, 1024 * 1024, 13, 4096, 0);
  tcp_stream d = connect_to(server.where());
  check_stream(d, 256 * 1024, 14, 16384, 1);
}

TEST(echo_server, idle_client_is_closed_after_the_timeout) {
  if (conformance::skip_without_threads("echo_server/idle_client_is_closed_after_the_timeout")) return;
  server_thread server(150);
  tcp_stream idle = connect_to(server.where());
  tcp_stream busy = connect_to(server.where());
  const auto start = conformance::now_ms();
  for (int k = 0; k < 6; ++k) {  // the busy one keeps talking across the timeout
    check_echo(busy, 10, static_cast<unsigned>(k));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  check_clean_close(idle);
  CHECK(conformance::now_ms() - start >= 140);
  check_echo(busy, 10, 99);
  server.stop();
  UNSIGNED_LONGS_EQUAL(1, server.stats().timed_out);
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
  const auto deadline = conformance::now_ms() + 2000;
  bool serves = false;
  while (!serves && conformance::now_ms() < deadline) {  // until the server has seen the closes
    tcp_stream c = connect_to(server.where());
    std::uint8_t b = 1, back = 0;
    serves = c.send_all(&b, 1) && conformance::recv_exactly(c, &back, 1) == 1 && back == 1;
  }
  CHECK(serves);
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
  unsigned echoed = 0, rounds = 0;
  const emsock::test::heap_calls before = emsock::test::heap_calls_now();
  for (unsigned k = 0; k < 20; ++k) {
    auto c = tcp_stream::connect(server.local_endpoint(), client_timeout_ms);
    if (!c || !c->set_non_blocking(true)) break;
    std::size_t sent = 0, got = 0;
    for (unsigned round = 0; round < 10000 && got < sizeof in; ++round, ++rounds) {
      if (sent < sizeof out) sent += c->send(out + sent, sizeof out - sent < 500 ? sizeof out - sent : 500).value_or(0);
      (void)server.run_once(1);
      got += c->recv(in + got, sizeof in - got).value_or(0);
    }
    if (got == sizeof in && std::memcmp(in, out, sizeof in) == 0) ++echoed;
    (void)c->close();
    for (unsigned round = 0; round < 100 && server.active() != 0; ++round) (void)server.run_once(1);
  }
  const emsock::test::heap_calls after = emsock::test::heap_calls_now();
  server.close();
  CHECK_TEXT(emsock::test::heap_counter_active(), "malloc is not wrapped in this binary: the proof would be void");
  UNSIGNED_LONGS_EQUAL(0, (after - before).total());
  UNSIGNED_LONGS_EQUAL(20, echoed);
  UNSIGNED_LONGS_EQUAL(20, server.stats().accepted);
  UNSIGNED_LONGS_EQUAL(20, server.stats().finished);
  CHECK(rounds > 20);
}
