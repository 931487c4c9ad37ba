// SPDX-License-Identifier: MIT
// UDP sockets (emsock/port/udp.hpp), after the Mbed OS netsocket UDP test plan: echo of every size
// from 1 to 1472 and of the backend's largest datagram, non-blocking echo, burst, timeouts,
// open/close repeated, the open limit, invalid destinations, truncation, two sockets on one port,
// IPv6. The echo peer is a second udp_socket in the same test (no thread: a datagram is queued at
// the receiver by the time send_to returns, or soon after on lwIP, which a blocking recv_from with
// a receive timeout waits for).
#include <cstdio>
#include <cstring>

#include "conformance.hpp"
#include "emsock/port/poll_set.hpp"

using namespace conformance;
using emsock::errc;
using emsock::udp_options;
using emsock::udp_recv_result;
using emsock::udp_socket;
using namespace std::chrono_literals;

namespace {

/// How long a blocking receive waits for a datagram that should come: long enough never to be the
/// reason a slow machine fails, short enough that a lost datagram fails the test rather than hang.
constexpr emsock::milliseconds patience = 2000ms;

/// Two bound sockets on one loopback: `a` the client, `b` the echo.
struct udp_pair {
  udp_socket a;
  udp_socket b;
  emsock::endpoint a_at;
  emsock::endpoint b_at;
};

udp_pair open_pair(const emsock::endpoint& where) {
  udp_pair p;
  p.a = open_udp(where);
  p.b = open_udp(where);
  p.a_at = bound(p.a);
  p.b_at = bound(p.b);
  return p;
}

void fill(unsigned char* data, std::size_t size, unsigned seed) {
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<unsigned char>((i * 7 + seed * 13 + 1) & 0xff);
}

unsigned char out_buffer[emsock::max_udp_payload_v6 + 1];
unsigned char echo_buffer[emsock::max_udp_payload_v6 + 1];
unsigned char in_buffer[emsock::max_udp_payload_v6 + 1];

/// a sends `size` bytes to b; b echoes what it got to where it came from; a checks it, byte for
/// byte, and both senders' endpoints. False (after CHECKs) when anything differs.
bool echo(udp_pair& p, std::size_t size, unsigned seed) {
  fill(out_buffer, size, seed);
  const emsock::status sent = p.a.send_to(out_buffer, size, p.b_at);
  CHECK_OK(sent);
  const udp_recv_result got = p.b.recv_from(echo_buffer, sizeof echo_buffer);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(size, got.size);
  UNSIGNED_LONGS_EQUAL(size, got.datagram_size);
  CHECK(got.from == p.a_at);
  CHECK_OK(p.b.send_to(echo_buffer, got.size, got.from));
  const udp_recv_result back = p.a.recv_from(in_buffer, sizeof in_buffer);
  CHECK_OK(back);
  UNSIGNED_LONGS_EQUAL(size, back.size);
  CHECK(back.from == p.b_at);
  return back.ok() && back.size == size && std::memcmp(in_buffer, out_buffer, size) == 0;
}

}  // namespace

TEST_GROUP_BASE(udp, handle_leak_check){};

// --- echo ----------------------------------------------------------------------------------------

TEST(udp, echo_of_every_size_from_1_to_1472_bytes) {
  udp_pair p = open_pair(loopback_v4(0));
  for (std::size_t size = 1; size <= emsock::ethernet_udp_payload_v4; ++size) {
    if (!echo(p, size, static_cast<unsigned>(size))) {
      char what[64];
      std::snprintf(what, sizeof what, "the echo of %zu bytes differs", size);
      FAIL(what);
    }
  }
}

TEST(udp, echo_of_the_largest_datagram_the_backend_carries) {
  udp_pair p = open_pair(loopback_v4(0));
  const std::size_t largest = env().max_loopback_datagram;
  CHECK(largest >= emsock::ethernet_udp_payload_v4 && largest <= emsock::max_udp_payload_v4);
  CHECK(echo(p, largest, 3));
  CHECK(echo(p, largest - 1, 4));
}

TEST(udp, an_empty_datagram_is_a_datagram) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.a.send_to(nullptr, 0, p.b_at));
  CHECK_OK(p.a.send_to("x", 1, p.b_at));
  char b[4];
  const udp_recv_result empty = p.b.recv_from(b, sizeof b);
  CHECK_OK(empty);
  UNSIGNED_LONGS_EQUAL(0, empty.size);
  CHECK(empty.from == p.a_at);
  const udp_recv_result one = p.b.recv_from(b, sizeof b);  // the next one, not a second empty one
  CHECK_OK(one);
  UNSIGNED_LONGS_EQUAL(1, one.size);
  BYTES_EQUAL('x', b[0]);
}

TEST(udp, an_empty_datagram_polls_readable_and_not_hangup) {
  // A datagram socket has no end of stream: a user who closes on hangup must not lose it for an
  // empty datagram, through poll() nor through a poll_set.
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.a.send_to(nullptr, 0, p.b_at));
  emsock::poll_entry e;
  e.handle = p.b.native_handle();
  e.want_read = true;
  const auto ready = emsock::poll(&e, 1, patience);
  CHECK_OK(ready);
  UNSIGNED_LONGS_EQUAL(1, ready.value());
  CHECK(e.readable);
  CHECK_FALSE(e.hangup);
  CHECK_FALSE(e.error);
  emsock::poll_set<1> set;
  const auto index = set.add(p.b.native_handle(), true, false);
  CHECK_OK(index);
  CHECK_OK(set.wait(patience));
  const emsock::poll_events events = set.events(index.value());
  CHECK(events.readable);
  CHECK_FALSE(events.hangup);
  char b[4];
  const udp_recv_result empty = p.b.recv_from(b, sizeof b);  // still there: the wait took nothing
  CHECK_OK(empty);
  UNSIGNED_LONGS_EQUAL(0, empty.size);
  CHECK(empty.from == p.a_at);
}

TEST(udp, echo_over_ipv6_loopback) {
  require_ipv6();
  udp_pair p = open_pair(loopback_v6(0));
  CHECK(p.a_at.address.is_v6());
  const std::size_t sizes[] = {1, 2, 100, 1232, 1452};  // 1232: the IPv6 minimum MTU's payload
  for (std::size_t size : sizes) CHECK(echo(p, size, static_cast<unsigned>(size)));
}

TEST(udp, a_dual_stack_socket_receives_ipv4_as_mapped_addresses) {
  require_ipv6();
  udp_options dual;
  dual.v6_only = false;
  udp_socket server = open_udp({emsock::ipv6_address::any(), 0}, dual);
  const std::uint16_t port = bound(server).port;
  udp_socket client = open_udp(loopback_v4(0));
  CHECK_OK(client.send_to("v4", 2, loopback_v4(port)));
  char b[4];
  const udp_recv_result got = server.recv_from(b, sizeof b);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(2, got.size);
  CHECK(got.from.address.is_v6());
  CHECK(got.from.address.v6().is_v4_mapped());
  CHECK(got.from.address.v6().to_v4() == emsock::ipv4_address::loopback());
  UNSIGNED_LONGS_EQUAL(bound(client).port, got.from.port);
  // The mapped address answers: the reply reaches the IPv4 client.
  CHECK_OK(server.send_to("ok", 2, got.from));
  const udp_recv_result back = client.recv_from(b, sizeof b);
  CHECK_OK(back);
  UNSIGNED_LONGS_EQUAL(2, back.size);
}

TEST(udp, non_blocking_echo_waits_in_poll_not_in_recv) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.a.set_non_blocking(true));
  CHECK_OK(p.b.set_non_blocking(true));
  CHECK(p.a.non_blocking());
  char b[16];
  CHECK_ERRC(errc::would_block, p.b.recv_from(b, sizeof b));  // nothing there: would_block, at once
  emsock::poll_entry e;
  e.handle = p.b.native_handle();
  e.want_read = true;
  e.want_write = true;
  const auto idle = emsock::poll(&e, 1, 0ms);
  CHECK_OK(idle);
  CHECK(e.writable);
  CHECK_FALSE(e.readable);
  CHECK_OK(p.a.send_to("ping", 4, p.b_at));
  e.want_write = false;
  const auto ready = emsock::poll(&e, 1, patience);
  CHECK_OK(ready);
  UNSIGNED_LONGS_EQUAL(1, ready.value());
  CHECK(e.readable);
  const udp_recv_result got = p.b.recv_from(b, sizeof b);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(4, got.size);
  CHECK_OK(p.b.send_to(b, got.size, got.from));
  emsock::poll_set<2> set;
  const auto index = set.add(p.a.native_handle(), true, false);
  CHECK_OK(index);
  const auto n = set.wait(patience);
  CHECK_OK(n);
  CHECK(set.events(index.value()).readable);
  const udp_recv_result back = p.a.recv_from(b, sizeof b);
  CHECK_OK(back);
  MEMCMP_EQUAL("ping", b, 4);
  CHECK_ERRC(errc::would_block, p.a.recv_from(b, sizeof b));  // one datagram came, one was taken
}

TEST(udp, a_burst_arrives_whole_and_in_order) {
  // 16 datagrams before anyone reads: within every backend's receive queue (lwIP's firmware
  // configuration queues 16 per socket).
  constexpr std::size_t burst = 16;
  udp_pair p = open_pair(loopback_v4(0));
  for (std::size_t i = 0; i < burst; ++i) {
    const std::size_t size = 1 + i * 91;  // 1 .. 1366 bytes
    fill(out_buffer, size, static_cast<unsigned>(i));
    CHECK_OK(p.a.send_to(out_buffer, size, p.b_at));
  }
  for (std::size_t i = 0; i < burst; ++i) {
    const udp_recv_result got = p.b.recv_from(echo_buffer, sizeof echo_buffer);
    CHECK_OK(got);
    const std::size_t size = 1 + i * 91;
    UNSIGNED_LONGS_EQUAL(size, got.size);
    fill(out_buffer, size, static_cast<unsigned>(i));
    MEMCMP_EQUAL(out_buffer, echo_buffer, size);
    CHECK_OK(p.b.send_to(echo_buffer, got.size, got.from));
  }
  for (std::size_t i = 0; i < burst; ++i) {
    const udp_recv_result back = p.a.recv_from(in_buffer, sizeof in_buffer);
    CHECK_OK(back);
    UNSIGNED_LONGS_EQUAL(1 + i * 91, back.size);
  }
}

// --- timeouts ------------------------------------------------------------------------------------

TEST(udp, recv_from_gives_timed_out_after_the_receive_timeout) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.b.set_receive_timeout(100ms));
  char b[8];
  const std::int64_t start = now_ms();
  CHECK_ERRC(errc::timed_out, p.b.recv_from(b, sizeof b));
  const std::int64_t waited = now_ms() - start;
  CHECK_TEXT(waited >= 90, "returned before the timeout");
  CHECK_TEXT(waited < 1500, "waited far beyond the timeout");
  // The socket goes on: a datagram after the timeout is received.
  CHECK_OK(p.a.send_to("late", 4, p.b_at));
  CHECK_OK(p.b.set_receive_timeout(patience));
  const udp_recv_result got = p.b.recv_from(b, sizeof b);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(4, got.size);
}

TEST(udp, send_to_with_a_send_timeout_does_not_wait_for_the_receiver) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.a.set_send_timeout(100ms));
  const std::int64_t start = now_ms();
  for (int i = 0; i < 8; ++i) CHECK_OK(p.a.send_to("s", 1, p.b_at));  // nobody reads: still no wait
  CHECK(now_ms() - start < 100);
  CHECK_OK(p.a.set_send_timeout(emsock::infinite_timeout));
}

TEST(udp, timeouts_of_zero_or_above_max_timeout_are_invalid_arguments) {
  udp_socket s = open_udp(loopback_v4(0));
  CHECK_ERRC(errc::invalid_argument, s.set_receive_timeout(0ms));
  CHECK_ERRC(errc::invalid_argument, s.set_send_timeout(0ms));
  CHECK_ERRC(errc::invalid_argument, s.set_receive_timeout(emsock::max_timeout + 1ms));
  CHECK_OK(s.set_receive_timeout(emsock::infinite_timeout));
  udp_socket none;
  CHECK_ERRC(errc::invalid_argument, none.set_receive_timeout(100ms));
}

// --- opening and closing -------------------------------------------------------------------------

TEST(udp, open_binds_and_port_0_picks_a_port) {
  udp_socket s = open_udp(loopback_v4(0));
  const emsock::endpoint at = bound(s);
  CHECK(at.address == emsock::ipv4_address::loopback());
  CHECK(at.port != 0);
  CHECK_FALSE(s.non_blocking());
  CHECK_ERRC(errc::not_connected, s.peer_endpoint());
}

TEST(udp, open_and_close_repeated_leaves_nothing_behind) {
  const std::size_t before = env().open_handles();
  std::uint16_t port = 0;
  for (int i = 0; i < 200; ++i) {
    // Every other round on the port of the round before: UDP has no TIME_WAIT to wait out.
    auto s = udp_socket::open(loopback_v4(i % 2 == 1 ? port : 0));
    CHECK_OK(s);
    if (i % 2 == 0) port = bound(s.value()).port;
    CHECK_OK(s->close());
    CHECK_FALSE(s->valid());
  }
  UNSIGNED_LONGS_EQUAL(before, env().open_handles());
}

TEST(udp, opening_beyond_the_limit_fails_cleanly_and_a_closed_socket_makes_room) {
  static udp_socket held[512];
  const bool limited = env().limit_descriptors != nullptr;
  if (limited) env().limit_descriptors(4);
  std::size_t opened = 0;
  errc failure = errc::ok;
  for (; opened < sizeof held / sizeof held[0]; ++opened) {
    auto s = udp_socket::open(loopback_v4(0));
    if (!s) {
      failure = s.code();
      break;
    }
    held[opened] = std::move(s).value();
  }
  if (limited) env().unlimit_descriptors();
  if (failure == errc::ok) {
    for (udp_socket& s : held) (void)s.close();
    note_skip("open limit", "512 UDP sockets opened without reaching the stack's limit");
  }
  // Linux and the fake: the descriptor table; lwIP: its socket table (too_many_open_files) or its
  // UDP PCB pool (out_of_memory), whichever is smaller.
  CHECK_TEXT(failure == errc::too_many_open_files || failure == errc::out_of_memory, emsock::name(failure));
  CHECK(opened > 0);
  CHECK_OK(held[opened - 1].close());
  if (limited) env().limit_descriptors(1);
  auto again = udp_socket::open(loopback_v4(0));
  if (limited) env().unlimit_descriptors();
  CHECK_OK(again);
  for (udp_socket& s : held) (void)s.close();
}

TEST(udp, moving_adopting_and_releasing_keep_one_owner) {
  udp_socket a = open_udp(loopback_v4(0));
  const emsock::native_handle_type h = a.native_handle();
  udp_socket b(std::move(a));
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  CHECK(b.native_handle() == h);
  CHECK_OK(b.set_non_blocking(true));
  udp_socket adopted(b.release());
  CHECK_FALSE(b.valid());
  CHECK(adopted.non_blocking());  // read from the handle
  char c;
  CHECK_ERRC(errc::would_block, adopted.recv_from(&c, 1));
}

// --- destinations --------------------------------------------------------------------------------

TEST(udp, invalid_destinations_are_refused_before_anything_is_sent) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_ERRC(errc::invalid_argument, p.a.send_to("x", 1, loopback_v4(0)));                    // port 0
  CHECK_ERRC(errc::invalid_argument, p.a.send_to("x", 1, {emsock::ipv4_address::any(), 9}));  // 0.0.0.0
  CHECK_ERRC(errc::invalid_argument, p.a.send_to(nullptr, 1, p.b_at));
  CHECK_ERRC(errc::family_not_supported, p.a.send_to("x", 1, loopback_v6(p.b_at.port)));
  CHECK_ERRC(errc::permission_denied, p.a.send_to("x", 1, {emsock::ipv4_address::broadcast(), p.b_at.port}));
  udp_socket none;
  CHECK_ERRC(errc::invalid_argument, none.send_to("x", 1, p.b_at));
  char b[4];
  CHECK_ERRC(errc::invalid_argument, none.recv_from(b, sizeof b));
  // Nothing of the above arrived: the next datagram is the first.
  CHECK_OK(p.a.send_to("ok", 2, p.b_at));
  const udp_recv_result got = p.b.recv_from(b, sizeof b);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(2, got.size);
}

TEST(udp, a_datagram_longer_than_the_protocol_carries_is_message_too_long) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_ERRC(errc::message_too_long, p.a.send_to(out_buffer, emsock::max_udp_payload_v4 + 1, p.b_at));
  CHECK_OK(p.a.connect(p.b_at));
  CHECK_ERRC(errc::message_too_long, p.a.send(out_buffer, emsock::max_udp_payload_v4 + 1));
  CHECK_ERRC(errc::message_too_long, p.a.send(out_buffer, emsock::max_udp_payload_v6 + 1));
  CHECK_OK(p.a.send("after", 5));
  char b[8];
  const udp_recv_result got = p.b.recv_from(b, sizeof b);  // nothing of the refused ones arrived
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(5, got.size);
}

TEST(udp, a_datagram_longer_than_ipv6_carries_is_message_too_long) {
  require_ipv6();
  udp_pair p = open_pair(loopback_v6(0));
  CHECK_ERRC(errc::message_too_long, p.a.send_to(out_buffer, emsock::max_udp_payload_v6 + 1, p.b_at));
}

// --- truncation ----------------------------------------------------------------------------------

TEST(udp, a_datagram_longer_than_the_buffer_is_reported_and_its_rest_is_discarded) {
  udp_pair p = open_pair(loopback_v4(0));
  fill(out_buffer, 100, 9);
  CHECK_OK(p.a.send_to(out_buffer, 100, p.b_at));
  CHECK_OK(p.a.send_to("next", 4, p.b_at));
  unsigned char b[41];
  std::memset(b, 0xee, sizeof b);
  const udp_recv_result cut = p.b.recv_from(b, 40);
  CHECK_ERRC(errc::datagram_truncated, cut);
  CHECK_FALSE(cut.ok());
  CHECK(cut.received());
  UNSIGNED_LONGS_EQUAL(40, cut.size);
  UNSIGNED_LONGS_EQUAL(env().tells_datagram_size ? 100 : 0, cut.datagram_size);
  CHECK(cut.from == p.a_at);
  MEMCMP_EQUAL(out_buffer, b, 40);
  BYTES_EQUAL(0xee, b[40]);  // not a byte beyond the buffer
  const udp_recv_result next = p.b.recv_from(b, 40);  // the next datagram, not the rest of this one
  CHECK_OK(next);
  UNSIGNED_LONGS_EQUAL(4, next.size);
  MEMCMP_EQUAL("next", b, 4);
}

TEST(udp, a_buffer_of_size_0_takes_a_datagram_and_keeps_none_of_it) {
  udp_pair p = open_pair(loopback_v4(0));
  CHECK_OK(p.a.send_to(nullptr, 0, p.b_at));
  CHECK_OK(p.a.send_to("abc", 3, p.b_at));
  CHECK_OK(p.a.send_to("z", 1, p.b_at));
  CHECK_OK(p.b.recv_from(nullptr, 0));  // the empty one fits
  const udp_recv_result cut = p.b.recv_from(nullptr, 0);
  CHECK_ERRC(errc::datagram_truncated, cut);
  UNSIGNED_LONGS_EQUAL(0, cut.size);
  UNSIGNED_LONGS_EQUAL(env().tells_datagram_size ? 3 : 0, cut.datagram_size);
  char b[2];
  const udp_recv_result z = p.b.recv_from(b, sizeof b);
  CHECK_OK(z);
  BYTES_EQUAL('z', b[0]);
}

// --- ports ---------------------------------------------------------------------------------------

TEST(udp, two_sockets_on_one_port_are_refused_unless_both_reuse_it) {
  udp_socket first = open_udp(loopback_v4(0));
  const std::uint16_t port = bound(first).port;
  CHECK_ERRC(errc::address_in_use, udp_socket::open(loopback_v4(port)));
  CHECK_ERRC(errc::address_in_use, udp_socket::open({emsock::ipv4_address::any(), port}));
  udp_options reuse;
  reuse.reuse_address = true;
  CHECK_ERRC(errc::address_in_use, udp_socket::open(loopback_v4(port), reuse));  // the first did not
  udp_socket shared = open_udp(loopback_v4(0), reuse);
  const std::uint16_t shared_port = bound(shared).port;
  auto second = udp_socket::open(loopback_v4(shared_port), reuse);
  CHECK_OK(second);
  CHECK_ERRC(errc::address_in_use, udp_socket::open(loopback_v4(shared_port)));  // this one did not
}

TEST(udp, a_port_closed_is_free_at_once) {
  udp_socket s = open_udp(loopback_v4(0));
  const std::uint16_t port = bound(s).port;
  CHECK_OK(s.close());
  auto again = udp_socket::open(loopback_v4(port));
  CHECK_OK(again);
}

TEST(udp, an_address_that_is_not_local_cannot_be_bound) {
  // 192.0.2.1 (TEST-NET-1, RFC 5737) is nobody's address here.
  CHECK_ERRC(errc::address_not_available, udp_socket::open({emsock::ipv4_address(192, 0, 2, 1), 0}));
}

// --- connected sockets ---------------------------------------------------------------------------

TEST(udp, a_connected_socket_sends_to_and_hears_only_its_peer) {
  udp_pair p = open_pair(loopback_v4(0));
  udp_socket stranger = open_udp(loopback_v4(0));
  CHECK_ERRC(errc::not_connected, p.a.send("x", 1));
  CHECK_OK(p.a.connect(p.b_at));
  const auto peer = p.a.peer_endpoint();
  CHECK_OK(peer);
  CHECK(peer.value() == p.b_at);
  CHECK_OK(stranger.send_to("stranger", 8, p.a_at));  // discarded: a hears only b
  CHECK_OK(p.a.send("hello", 5));
  char b[16];
  const udp_recv_result got = p.b.recv_from(b, sizeof b);
  CHECK_OK(got);
  CHECK(got.from == p.a_at);
  CHECK_OK(p.b.send_to("world", 5, p.a_at));
  const udp_recv_result back = p.a.recv(b, sizeof b);
  CHECK_OK(back);
  UNSIGNED_LONGS_EQUAL(5, back.size);
  MEMCMP_EQUAL("world", b, 5);
  CHECK(back.from == p.b_at);
  CHECK_OK(p.a.set_receive_timeout(100ms));
  CHECK_ERRC(errc::timed_out, p.a.recv(b, sizeof b));  // the stranger's never came
  CHECK_ERRC(errc::invalid_argument, p.a.connect(loopback_v4(0)));
  CHECK_ERRC(errc::family_not_supported, p.a.connect(loopback_v6(p.b_at.port)));
}

// --- names ---------------------------------------------------------------------------------------

TEST(udp, resolved_dgram_endpoints_are_used_as_they_are) {
  emsock::resolve_hints h;
  h.family = emsock::resolve_family::inet;
  h.type = emsock::socket_type::dgram;
  h.passive = true;
  emsock::resolved any[4];
  const auto wildcard = emsock::resolve("", "0", h, any);  // where to bind: 0.0.0.0:0
  CHECK_OK(wildcard);
  CHECK(wildcard->stored >= 1);
  CHECK(any[0].type == emsock::socket_type::dgram);
  udp_socket server = open_udp(any[0].where);
  const std::uint16_t port = bound(server).port;
  char service[8];
  std::snprintf(service, sizeof service, "%u", static_cast<unsigned>(port));
  h.passive = false;
  emsock::resolved to[4];
  const auto where = emsock::resolve("127.0.0.1", service, h, to);
  CHECK_OK(where);
  CHECK(where->stored >= 1);
  CHECK(to[0].protocol == emsock::ip_protocol::udp || to[0].protocol == emsock::ip_protocol::any);
  udp_socket client = open_udp(loopback_v4(0));
  CHECK_OK(client.send_to("resolved", 8, to[0].where));
  char b[16];
  const udp_recv_result got = server.recv_from(b, sizeof b);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(8, got.size);
}
