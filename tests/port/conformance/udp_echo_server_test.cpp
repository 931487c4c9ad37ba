// SPDX-License-Identifier: MIT
// The UDP echo server engine (emsock/port/udp_echo_server.hpp) on every backend: echo of every
// size the queue holds (0 included), a datagram longer than the queue dropped and counted (never
// cut), each peer answered, a burst through core's echo client (window and retries), and the engine
// as the TCP engine's companion: the echo server under datagram load with TCP clients at the same
// time, one wait per round. Every case is stepped from the test's thread (the engine's rounds and
// non-blocking clients), so it runs on the single-threaded fake too.
#include <csignal>
#include <cstring>
#include <vector>

#include "conformance.hpp"
#include "emsock/datagram_echo.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/run_until_signal.hpp"
#include "emsock/port/udp_echo_server.hpp"

using emsock::errc;
using emsock::udp_socket;

namespace {

constexpr std::size_t queue_datagrams = 16;
constexpr std::size_t queue_bytes = 2048;
using udp_server = emsock::udp_echo_server<queue_datagrams, queue_bytes>;

/// The server's events, counted.
struct udp_events {
  unsigned echoed = 0;
  unsigned dropped = 0;
  unsigned failed = 0;
  emsock::datagram_drop last_reason = emsock::datagram_drop::no_record;
  std::size_t last_bytes = 0;

  static void record(void* context, const emsock::udp_echo_event& e) noexcept {
    auto& c = *static_cast<udp_events*>(context);
    switch (e.kind) {
      case emsock::udp_echo_event_kind::echoed: ++c.echoed; break;
      case emsock::udp_echo_event_kind::dropped:
        ++c.dropped;
        c.last_reason = e.reason;
        c.last_bytes = e.bytes;
        break;
      case emsock::udp_echo_event_kind::failed: ++c.failed; break;
    }
  }
};

/// A non-blocking client socket on the server's loopback, port 0.
udp_socket client_for(const emsock::endpoint& server) {
  auto s = udp_socket::open(emsock::endpoint{server.address, 0});
  CHECK_OK(s);
  udp_socket u = std::move(s).value();
  CHECK_OK(u.set_non_blocking(true));
  return u;
}

/// Sends `out` to the server and steps `round` until one datagram comes back (at most max_rounds
/// rounds); returns it (from must be the server), or a reply of size ~0 when none came.
template <class Round>
std::vector<std::uint8_t> echo_once(udp_socket& c, const emsock::endpoint& server, const std::vector<std::uint8_t>& out,
                                    Round round, unsigned max_rounds = 2000) {
  CHECK_OK(c.send_to(out.data(), out.size(), server));
  std::vector<std::uint8_t> in(out.size() + 16);
  for (unsigned r = 0; r < max_rounds; ++r) {
    round();
    const emsock::udp_recv_result got = c.recv_from(in.data(), in.size());
    if (got.code() == errc::would_block) continue;
    CHECK_OK(got);
    CHECK(got.from == server);
    in.resize(got.size);
    return in;
  }
  FAIL("no echo came back");
  return {};
}

std::vector<std::uint8_t> pattern_bytes(std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> v(size);
  for (std::size_t i = 0; i < size; ++i) v[i] = static_cast<std::uint8_t>((i * 29u + seed * 71u + 5u) & 0xffu);
  return v;
}

/// The engine on its own, stepped from the test.
struct stepped_udp {
  udp_server engine;
  udp_events events;

  explicit stepped_udp(const emsock::endpoint& where = conformance::loopback_v4(0)) {
    emsock::udp_echo_server_options o;
    o.bind = where;
    CHECK_OK(engine.open(o));
    engine.set_event_handler(udp_events::record, &events);
  }
  emsock::endpoint where() const { return engine.local_endpoint(); }
  void step() { CHECK_OK(engine.run_once(emsock::milliseconds{1})); }
  auto round() {
    return [this] { step(); };
  }
};

/// received == echoed + dropped + queued, in datagrams and in bytes.
void check_balance(const emsock::udp_echo_server_base& s) {
  const emsock::datagram_echo_stats& st = s.stats();
  UNSIGNED_LONGS_EQUAL(st.received, st.echoed + st.dropped.total() + s.queued());
}

/// A client run of core's datagram echo client over a connected non-blocking udp_socket, one
/// non-blocking step at a time.
struct echo_client_run {
  udp_socket socket;
  emsock::datagram_echo_client<1500, 64> client;
  std::uint8_t reply[1501];

  echo_client_run(const emsock::endpoint& server, const emsock::datagram_echo_client_config& config)
      : socket(client_for(server)), client(config, static_cast<std::uint64_t>(conformance::now_ms())) {
    CHECK_OK(socket.connect(server));
  }
  /// Sends what is due and reads what came, without waiting.
  void step() {
    const auto now = [] { return static_cast<std::uint64_t>(conformance::now_ms()); };
    for (int i = 0; i < 64 && !client.done(); ++i) {
      const emsock::const_byte_span p = client.pending_send();
      if (p.empty()) break;
      const emsock::status st = socket.send(p.data, p.size);
      if (st.code() == errc::would_block) break;
      if (!st) {
        (void)client.on_error(st.code());
        return;
      }
      (void)client.on_sent(now());
    }
    for (int i = 0; i < 64 && !client.done(); ++i) {
      const emsock::udp_recv_result r = socket.recv(reply, client.max_reply_size());
      if (r.code() == errc::would_block) break;
      if (!r.received()) {
        (void)client.on_error(r.code());
        return;
      }
      (void)client.on_received({reply, r.size}, now());
    }
    client.on_tick(now());
  }
};

emsock::datagram_echo_client_config burst_config(std::uint32_t count, std::size_t size) {
  emsock::datagram_echo_client_config c;
  c.count = count;
  c.size = size;
  c.window = 8;
  c.retries = 10;
  c.timeout = emsock::milliseconds{200};
  return c;
}

}  // namespace

TEST_GROUP_BASE(udp_echo_server, conformance::handle_leak_check){};

TEST(udp_echo_server, echoes_every_size_the_queue_holds_whole) {
  stepped_udp server;
  udp_socket c = client_for(server.where());
  const std::size_t sizes[] = {0, 1, 2, 63, 64, 512, 1400, queue_bytes - 1, queue_bytes};
  unsigned seed = 0;
  std::uint64_t bytes = 0;
  for (std::size_t size : sizes) {
    const std::vector<std::uint8_t> out = pattern_bytes(size, ++seed);
    const std::vector<std::uint8_t> in = echo_once(c, server.where(), out, server.round());
    UNSIGNED_LONGS_EQUAL(size, in.size());
    CHECK(in == out);
    bytes += size;
  }
  const std::size_t count = sizeof sizes / sizeof sizes[0];
  UNSIGNED_LONGS_EQUAL(count, server.engine.stats().received);
  UNSIGNED_LONGS_EQUAL(count, server.engine.stats().echoed);
  UNSIGNED_LONGS_EQUAL(bytes, server.engine.stats().echoed_bytes);
  UNSIGNED_LONGS_EQUAL(count, server.events.echoed);
  UNSIGNED_LONGS_EQUAL(0, server.engine.stats().dropped.total());
  check_balance(server.engine);
}

TEST(udp_echo_server, a_datagram_longer_than_the_queue_is_dropped_and_counted_never_cut) {
  if (conformance::env().max_loopback_datagram <= queue_bytes) {
    conformance::note_skip("udp_echo_server/too_large", "the backend carries no datagram longer than the queue");
    return;
  }
  stepped_udp server;
  udp_socket c = client_for(server.where());
  const std::vector<std::uint8_t> big = pattern_bytes(queue_bytes + 1, 1);
  CHECK_OK(c.send_to(big.data(), big.size(), server.where()));
  for (unsigned r = 0; r < 2000 && server.engine.stats().received == 0; ++r) server.step();
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().received);
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().dropped.too_large);
  UNSIGNED_LONGS_EQUAL(0, server.engine.stats().echoed);
  UNSIGNED_LONGS_EQUAL(1, server.events.dropped);
  STRCMP_EQUAL("too_large", emsock::name(server.events.last_reason));
  if (conformance::env().tells_datagram_size) UNSIGNED_LONGS_EQUAL(queue_bytes + 1, server.events.last_bytes);
  // Nothing came back, and the next datagram is echoed whole (no tail of the big one).
  std::uint8_t b[16];
  CHECK_ERRC(errc::would_block, c.recv_from(b, sizeof b));
  const std::vector<std::uint8_t> small = pattern_bytes(10, 2);
  CHECK(echo_once(c, server.where(), small, server.round()) == small);
  check_balance(server.engine);
}

TEST(udp_echo_server, each_datagram_goes_back_to_its_sender) {
  stepped_udp server;
  udp_socket a = client_for(server.where());
  udp_socket b = client_for(server.where());
  const std::vector<std::uint8_t> to_a = pattern_bytes(100, 3), to_b = pattern_bytes(200, 4);
  CHECK_OK(a.send_to(to_a.data(), to_a.size(), server.where()));
  CHECK_OK(b.send_to(to_b.data(), to_b.size(), server.where()));
  std::vector<std::uint8_t> got_a, got_b;
  std::uint8_t buf[512];
  for (unsigned r = 0; r < 2000 && (got_a.empty() || got_b.empty()); ++r) {
    server.step();
    emsock::udp_recv_result ra = a.recv_from(buf, sizeof buf);
    if (ra) got_a.assign(buf, buf + ra.size);
    emsock::udp_recv_result rb = b.recv_from(buf, sizeof buf);
    if (rb) got_b.assign(buf, buf + rb.size);
  }
  CHECK(got_a == to_a);
  CHECK(got_b == to_b);
}

TEST(udp_echo_server, a_burst_through_the_echo_client_comes_back_whole) {
  stepped_udp server;
  echo_client_run run(server.where(), burst_config(500, 64));
  for (unsigned r = 0; r < 20000 && !run.client.done(); ++r) {
    run.step();
    server.step();
  }
  CHECK(run.client.done());
  CHECK_TEXT(run.client.succeeded(), emsock::name(run.client.outcome()));
  UNSIGNED_LONGS_EQUAL(500, run.client.stats().echoed);
  CHECK(server.engine.stats().echoed >= 500);  // retries may have been echoed too
  check_balance(server.engine);
}

TEST(udp_echo_server, over_ipv6) {
  if (!conformance::env().has_ipv6) {
    conformance::note_skip("udp_echo_server/over_ipv6", "no IPv6 loopback (::1)");
    return;
  }
  stepped_udp server(conformance::loopback_v6(0));
  udp_socket c = client_for(server.where());
  const std::vector<std::uint8_t> out = pattern_bytes(300, 5);
  CHECK(echo_once(c, server.where(), out, server.round()) == out);
}

TEST(udp_echo_server, refuses_a_second_open_and_serves_after_close_and_open) {
  stepped_udp server;
  emsock::udp_echo_server_options o;
  o.bind = conformance::loopback_v4(0);
  CHECK_ERRC(errc::invalid_argument, server.engine.open(o));
  server.engine.close();
  CHECK(!server.engine.is_open());
  CHECK_ERRC(errc::invalid_argument, server.engine.run_once(emsock::milliseconds{0}));
  CHECK_OK(server.engine.open(o));
  udp_socket c = client_for(server.where());
  const std::vector<std::uint8_t> out = pattern_bytes(5, 6);
  CHECK(echo_once(c, server.where(), out, server.round()) == out);
  const volatile std::sig_atomic_t stop = 1;  // run_until_signal() looks at the flag first: closes at once
  CHECK_OK(emsock::run_until_signal(server.engine, stop));
  CHECK(!server.engine.is_open());
  UNSIGNED_LONGS_EQUAL(1, server.engine.stats().echoed);
}

TEST(udp_echo_server, a_tcp_engine_without_room_refuses_a_companion) {
  emsock::echo_server<2, 64> tcp;
  udp_server udp;
  CHECK_ERRC(errc::buffer_too_small, tcp.set_companion(udp.companion()));
  emsock::echo_server<2, 64, 1> roomy;
  CHECK_OK(roomy.set_companion(udp.companion()));
  CHECK_OK(roomy.set_companion({}));
}

TEST(udp_echo_server, under_datagram_load_with_tcp_clients_at_the_same_time) {
  // One loop, one wait per round: the TCP engine with the UDP engine as its companion, on the same
  // port number (RFC 862). Four datagram clients (core's echo client: window 8, retries) and three
  // TCP clients streaming at once; every datagram and every byte must come back exactly.
  constexpr std::size_t tcp_clients = 3;
  constexpr std::size_t stream_bytes = 64 * 1024;
  emsock::echo_server<4, 1024, 1> tcp;
  udp_server udp;
  emsock::echo_server_options to;
  to.bind = conformance::loopback_v4(0);
  to.backlog = 16;
  CHECK_OK(tcp.open(to));
  emsock::udp_echo_server_options uo;
  uo.bind = tcp.local_endpoint();
  CHECK_OK(udp.open(uo));
  CHECK_OK(tcp.set_companion(udp.companion()));
  const emsock::endpoint where = tcp.local_endpoint();
  UNSIGNED_LONGS_EQUAL(where.port, udp.local_endpoint().port);

  echo_client_run d1(where, burst_config(300, 64)), d2(where, burst_config(300, 1400)),
      d3(where, burst_config(300, 512)), d4(where, burst_config(300, emsock::datagram_echo_client_base::header_size));
  echo_client_run* datagram_clients[] = {&d1, &d2, &d3, &d4};

  struct stream_client {
    emsock::tcp_stream s;
    std::vector<std::uint8_t> out, in;
    std::size_t sent = 0;
  } streams[tcp_clients];
  for (std::size_t k = 0; k < tcp_clients; ++k) {
    auto c = emsock::tcp_stream::connect(where, emsock::milliseconds{5000});
    CHECK_OK(c);
    streams[k].s = std::move(c).value();
    CHECK_OK(streams[k].s.set_non_blocking(true));
    streams[k].out = pattern_bytes(stream_bytes, static_cast<unsigned>(10 + k));
  }

  const auto all_done = [&] {
    for (echo_client_run* d : datagram_clients)
      if (!d->client.done()) return false;
    for (const stream_client& s : streams)
      if (s.in.size() < stream_bytes) return false;
    return true;
  };
  std::uint8_t buf[4096];
  for (unsigned r = 0; r < 50000 && !all_done(); ++r) {
    for (echo_client_run* d : datagram_clients) d->step();
    for (stream_client& s : streams) {
      if (s.sent < stream_bytes) {
        const auto n = s.s.send(s.out.data() + s.sent, std::min<std::size_t>(4096, stream_bytes - s.sent));
        if (n) s.sent += n.value();
        else CHECK_ERRC(errc::would_block, n);
      }
      const auto n = s.s.recv(buf, sizeof buf);
      if (n) {
        CHECK(n.value() > 0);  // the server does not close first
        s.in.insert(s.in.end(), buf, buf + n.value());
      } else {
        CHECK_ERRC(errc::would_block, n);
      }
    }
    CHECK_OK(tcp.run_once(emsock::milliseconds{1}));
  }
  for (echo_client_run* d : datagram_clients) {
    CHECK(d->client.done());
    CHECK_TEXT(d->client.succeeded(), emsock::name(d->client.outcome()));
    UNSIGNED_LONGS_EQUAL(300, d->client.stats().echoed);
  }
  for (const stream_client& s : streams) CHECK(s.in == s.out);
  CHECK(udp.stats().echoed >= 4 * 300);
  check_balance(udp);
  UNSIGNED_LONGS_EQUAL(tcp_clients, tcp.stats().accepted);
  for (stream_client& s : streams) CHECK_OK(s.s.close());
  tcp.close();
  udp.close();
}
