// SPDX-License-Identifier: MIT
// The fake backend's own rules (emsock/port/fake.hpp): what a call that would wait does, the bounds,
// each injected fault and the errc it gives, the test-control API, and the CppUTest helpers'
// failure messages. The port behaviour shared with the real backends is the conformance suite's.
#include <CppUTest/TestHarness.h>
#include <CppUTest/TestTestingFixture.h>

#include <cstring>

#include "emsock/port/fake_cpputest.hpp"
#include "emsock/port/names.hpp"
#include "emsock/port/poll.hpp"
#include "emsock/port/socket.hpp"

using emsock::errc;
using emsock::tcp_listener;
using emsock::tcp_stream;
namespace fake = emsock::fake;
using namespace std::chrono_literals;

#define CHECK_OK(outcome) STRCMP_EQUAL("ok", emsock::name((outcome).code()))
#define CHECK_ERRC(expected, outcome) STRCMP_EQUAL(emsock::name(expected), emsock::name((outcome).code()))

namespace {

struct pair {
  tcp_listener listener;
  tcp_stream client;
  tcp_stream server;
};

pair connect_pair(std::uint16_t port = 5000) {
  pair p;
  auto l = tcp_listener::listen({emsock::ipv4_address::loopback(), port});
  CHECK_OK(l);
  p.listener = std::move(l).value();
  auto c = tcp_stream::connect(p.listener.local_endpoint().value(), 100ms);
  CHECK_OK(c);
  p.client = std::move(c).value();
  auto a = p.listener.accept();
  CHECK_OK(a);
  p.server = std::move(a->stream);
  return p;
}

}  // namespace

TEST_GROUP_BASE(fake_waits, fake::test_base){};

TEST(fake_waits, a_blocking_recv_with_a_timeout_advances_the_clock_and_times_out) {
  pair p = connect_pair();
  CHECK_OK(p.server.set_receive_timeout(250ms));
  char b;
  CHECK_ERRC(errc::timed_out, p.server.recv(&b, 1));
  UNSIGNED_LONGS_EQUAL(250, fake::now_ms());
  CHECK_FAKE_NO_STALLS();
}

TEST(fake_waits, a_blocking_recv_without_a_timeout_is_a_counted_stall) {
  pair p = connect_pair();
  char b;
  CHECK_ERRC(errc::would_block, p.server.recv(&b, 1));  // a real program would hang here
  UNSIGNED_LONGS_EQUAL(1, fake::stalls());
  UNSIGNED_LONGS_EQUAL(0, fake::now_ms());
  fake::reset();  // (test_base would fail the test for the stall)
}

TEST(fake_waits, poll_advances_the_clock_by_its_timeout_when_nothing_is_ready) {
  pair p = connect_pair();
  emsock::poll_entry e;
  e.handle = p.server.native_handle();
  e.want_read = true;
  const auto n = emsock::poll(&e, 1, 40ms);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(0, n.value());
  UNSIGNED_LONGS_EQUAL(40, fake::now_ms());
  CHECK_OK(emsock::poll(&e, 1, emsock::infinite_timeout));
  UNSIGNED_LONGS_EQUAL(1, fake::stalls());
  fake::reset();
}

TEST(fake_waits, a_blocking_send_takes_what_fits_then_times_out) {
  pair p = connect_pair();
  CHECK_OK(p.client.set_send_timeout(30ms));
  static std::uint8_t big[fake::buffer_size + 100];
  const auto first = p.client.send(big, sizeof big);
  CHECK_OK(first);
  UNSIGNED_LONGS_EQUAL(fake::buffer_size, first.value());  // the bound of one direction
  CHECK_ERRC(errc::timed_out, p.client.send(big, 1));
  UNSIGNED_LONGS_EQUAL(30, fake::now_ms());
}

TEST_GROUP_BASE(fake_faults, fake::test_base){};

TEST(fake_faults, max_send_caps_every_send) {
  pair p = connect_pair();
  fake::stream_faults f;
  f.max_send = 4;
  CHECK_OK(fake::set_faults(p.client.native_handle(), f));
  const auto n = p.client.send("hello, world", 12);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(4, n.value());
  CHECK_FAKE_RECEIVED(p.server, "hell");
  f.max_send = 0;  // nothing fits: as a full buffer
  CHECK_OK(fake::set_faults(p.client.native_handle(), f));
  CHECK_OK(p.client.set_non_blocking(true));
  CHECK_ERRC(errc::would_block, p.client.send("x", 1));
}

TEST(fake_faults, would_block_calls_on_a_blocking_socket_are_timed_out_as_with_eagain) {
  pair p = connect_pair();
  fake::stream_faults f;
  f.would_block_calls = 2;
  CHECK_OK(fake::set_faults(p.server.native_handle(), f));
  CHECK_OK(p.client.send("ab", 2));
  char b[2];
  CHECK_ERRC(errc::timed_out, p.server.recv(b, 2));  // blocking: EAGAIN means a timeout expired
  CHECK_OK(p.server.set_non_blocking(true));
  CHECK_ERRC(errc::would_block, p.server.recv(b, 2));
  const auto n = p.server.recv(b, 2);  // the faults are used up
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(2, n.value());
  UNSIGNED_LONGS_EQUAL(0, fake::now_ms());  // an injected would_block does not wait
}

TEST(fake_faults, would_block_calls_on_a_listener_delay_accept) {
  auto l = tcp_listener::listen({emsock::ipv4_address::loopback(), 80});
  CHECK_OK(l);
  CHECK_OK(l->set_non_blocking(true));
  fake::stream_faults f;
  f.would_block_calls = 1;
  CHECK_OK(fake::set_faults(l->native_handle(), f));
  auto c = tcp_stream::connect({emsock::ipv4_address::loopback(), 80}, 100ms);
  CHECK_OK(c);
  CHECK_ERRC(errc::would_block, l->accept());
  CHECK_OK(l->accept());
}

TEST(fake_faults, reset_after_bytes_delivers_them_then_resets_both_ends) {
  pair p = connect_pair();
  fake::stream_faults f;
  f.reset_after_bytes = 3;
  CHECK_OK(fake::set_faults(p.client.native_handle(), f));
  const auto n = p.client.send("abcdef", 6);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(3, n.value());
  CHECK_ERRC(errc::connection_reset, p.client.send("x", 1));  // reported once ...
  CHECK_ERRC(errc::broken_pipe, p.client.send("x", 1));       // ... then the connection is dead
  char b[8];
  const auto got = p.server.recv(b, sizeof b);  // what arrived before the reset is still read
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(3, got.value());
  CHECK_ERRC(errc::connection_reset, p.server.recv(b, sizeof b));
  const auto after = p.server.recv(b, sizeof b);
  CHECK_OK(after);
  UNSIGNED_LONGS_EQUAL(0, after.value());
}

TEST(fake_faults, reset_connection_now) {
  pair p = connect_pair();
  CHECK_OK(fake::reset_connection(p.server.native_handle()));
  emsock::poll_entry e;
  e.handle = p.client.native_handle();
  e.want_write = true;
  CHECK_OK(emsock::poll(&e, 1, 0ms));
  CHECK(e.error);
  CHECK(e.hangup);
  char b;
  CHECK_ERRC(errc::connection_reset, p.client.recv(&b, 1));
  CHECK_ERRC(errc::not_connected, fake::reset_connection(p.client.native_handle()));
}

TEST(fake_faults, half_close_peer_gives_end_of_stream_and_leaves_sending_open) {
  pair p = connect_pair();
  CHECK_OK(p.server.send("bye", 3));
  CHECK_OK(fake::half_close_peer(p.client.native_handle()));
  char b[4] = {};
  UNSIGNED_LONGS_EQUAL(3, p.client.recv(b, sizeof b).value_or(0));
  UNSIGNED_LONGS_EQUAL(0, p.client.recv(b, sizeof b).value_or(99));
  CHECK_OK(p.client.send("still", 5));
  CHECK_FAKE_RECEIVED(p.server, "still");
  CHECK_ERRC(errc::broken_pipe, p.server.send("x", 1));  // the server's side is shut for writing
}

TEST(fake_faults, connect_faults_match_by_address_and_port_and_count_down) {
  auto l = tcp_listener::listen({emsock::ipv4_address::any(), 1883});
  CHECK_OK(l);
  const emsock::endpoint broker{emsock::ipv4_address(192, 0, 2, 10), 1883};
  CHECK_OK(fake::fail_connect({broker.address, 0}, errc::host_unreachable, 2));
  CHECK_ERRC(errc::host_unreachable, tcp_stream::connect(broker, 100ms));
  CHECK_OK(tcp_stream::connect({emsock::ipv4_address::loopback(), 1883}, 100ms));  // another address
  CHECK_ERRC(errc::host_unreachable, tcp_stream::connect(broker, 100ms));
  auto c = tcp_stream::connect(broker, 100ms);  // used up: reaches the wildcard listener
  CHECK_OK(c);
  CHECK(c->local_endpoint()->address == broker.address);
  CHECK_OK(fake::fail_connect(broker, errc::timed_out));
  CHECK_ERRC(errc::timed_out, tcp_stream::connect(broker));  // no limit: the SYN retries' 127 s
  UNSIGNED_LONGS_EQUAL(fake::syn_timeout.count(), fake::now_ms());
  CHECK_ERRC(errc::invalid_argument, fake::fail_connect(broker, errc::ok));
}

TEST(fake_faults, no_listener_is_connection_refused) {
  CHECK_ERRC(errc::connection_refused, tcp_stream::connect({emsock::ipv4_address(10, 1, 2, 3), 80}, 100ms));
}

TEST(fake_faults, resolve_faults_for_one_name_or_every_name) {
  CHECK_OK(fake::add_host("Sensor.Local", emsock::ipv4_address(10, 0, 0, 7)));
  CHECK_OK(fake::add_host("sensor.local", emsock::ipv6_address::loopback()));
  emsock::resolved out[4];
  emsock::resolve_hints h;
  h.type = emsock::socket_type::stream;
  const auto r = emsock::resolve("sensor.local", "mqtt", h, out);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(2, r->stored);
  CHECK(out[0].where == emsock::endpoint({emsock::ipv4_address(10, 0, 0, 7), 1883}));
  CHECK(out[1].where.address.is_v6());
  CHECK_ERRC(errc::name_not_found, emsock::resolve("other.local", "", h, out));
  CHECK_OK(fake::fail_resolve("", errc::name_resolution_failed));
  CHECK_ERRC(errc::name_resolution_failed, emsock::resolve("sensor.local", "80", h, out));
  CHECK_ERRC(errc::name_resolution_failed, emsock::resolve_ipv4("localhost"));
}

TEST(fake_faults, the_descriptor_limit_gives_too_many_open_files) {
  fake::set_descriptor_limit(1);
  auto l = tcp_listener::listen({emsock::ipv4_address::loopback(), 99});
  CHECK_OK(l);
  CHECK_ERRC(errc::too_many_open_files, tcp_listener::listen({emsock::ipv4_address::loopback(), 98}));
  CHECK_ERRC(errc::too_many_open_files, tcp_stream::connect({emsock::ipv4_address::loopback(), 99}, 100ms));
}

TEST(fake_faults, the_socket_table_is_bounded) {
  fake::set_descriptor_limit(fake::max_sockets);
  static tcp_listener listeners[fake::max_sockets];
  for (std::size_t i = 0; i < fake::max_sockets; ++i) {
    auto l = tcp_listener::listen({emsock::ipv4_address::loopback(), static_cast<std::uint16_t>(2000 + i)});
    CHECK_OK(l);
    listeners[i] = std::move(l).value();
  }
  CHECK_ERRC(errc::too_many_open_files, tcp_listener::listen({emsock::ipv4_address::loopback(), 3000}));
  for (auto& l : listeners) CHECK_OK(l.close());
}

TEST_GROUP_BASE(fake_control, fake::test_base){};

TEST(fake_control, handles_kept_across_reset_are_stale_not_reused) {
  pair p = connect_pair();
  fake::reset();
  UNSIGNED_LONGS_EQUAL(0, fake::open_handles());
  CHECK_ERRC(errc::invalid_argument, p.client.send("x", 1));
  auto l = tcp_listener::listen({emsock::ipv4_address::loopback(), 5000});  // the port is free again
  CHECK_OK(l);
  CHECK(l->native_handle() != p.listener.native_handle());
  CHECK_ERRC(errc::invalid_argument, p.listener.close());  // stale: nothing to close
  CHECK(l->valid());
  CHECK_OK(l->local_endpoint());
}

TEST(fake_control, listening_needs_a_local_address) {
  const emsock::ip_address lan = emsock::ipv4_address(192, 168, 1, 20);
  CHECK_ERRC(errc::address_not_available, tcp_listener::listen({lan, 80}));
  CHECK_OK(fake::add_local_address(lan));
  CHECK_OK(tcp_listener::listen({lan, 80}));
}

TEST(fake_control, a_dual_stack_listener_takes_ipv4_peers) {
  emsock::listen_options o;
  o.v6_only = false;
  auto l = tcp_listener::listen({emsock::ipv6_address::any(), 8080}, o);
  CHECK_OK(l);
  CHECK_OK(tcp_stream::connect({emsock::ipv4_address::loopback(), 8080}, 100ms));
  UNSIGNED_LONGS_EQUAL(1, fake::info(l->native_handle()).queued);
}

TEST(fake_control, host_name_is_what_the_test_sets) {
  char name[32];
  CHECK_OK(emsock::host_name(name));
  STRCMP_EQUAL("emsock-fake", name);
  CHECK_OK(fake::set_host_name("sensor-7"));
  CHECK_OK(emsock::host_name(name));
  STRCMP_EQUAL("sensor-7", name);
}

TEST(fake_control, info_and_counters_describe_a_connection) {
  pair p = connect_pair(6000);
  CHECK_OK(p.client.send("12345", 5));
  const fake::socket_info i = fake::info(p.server.native_handle());
  CHECK(i.open);
  CHECK_FALSE(i.listener);
  UNSIGNED_LONGS_EQUAL(6000, i.local.port);
  CHECK(i.peer == p.client.local_endpoint().value());
  UNSIGNED_LONGS_EQUAL(5, i.waiting);
  UNSIGNED_LONGS_EQUAL(5, fake::bytes_sent(p.client.native_handle()));
  char b[2];
  UNSIGNED_LONGS_EQUAL(2, fake::take(p.server.native_handle(), b, 2));
  UNSIGNED_LONGS_EQUAL(2, fake::bytes_received(p.server.native_handle()));
  CHECK_FAKE_RECEIVED(p.server, "345");
  CHECK_FALSE(fake::info(12345).open);
}

TEST(fake_control, a_send_to_a_closed_peer_is_taken_then_reset) {
  pair p = connect_pair();
  CHECK_OK(p.server.close());
  CHECK_FAKE_AT_END(p.client);
  CHECK_OK(p.client.send("late", 4));  // in flight; the closed socket answers RST
  CHECK_ERRC(errc::connection_reset, p.client.send("x", 1));
  CHECK_ERRC(errc::broken_pipe, p.client.send("x", 1));
}

// --- the helpers' failure messages --------------------------------------------------------------

namespace {
void received_other_bytes() {
  pair p = connect_pair(7000);
  CHECK_OK(p.client.send("hallo\n", 6));
  CHECK_FAKE_RECEIVED(p.server, "hello\n");
}
void not_at_end() {
  pair p = connect_pair(7001);
  CHECK_OK(p.client.send("x", 1));
  CHECK_FAKE_AT_END(p.server);
}
}  // namespace

TEST(fake_control, a_zone_must_name_the_one_interface_lo) {
  CHECK_ERRC(errc::address_not_available, tcp_listener::listen({emsock::ip_address::parse("::1%eth0").value(), 0}));
  auto l = tcp_listener::listen({emsock::ip_address::parse("::1%lo").value(), 0});
  CHECK_OK(l);
  const auto at = l->local_endpoint();
  CHECK_OK(at);
  const emsock::endpoint elsewhere{emsock::ip_address::parse("::1%eth0").value(), at->port};
  CHECK_ERRC(errc::address_not_available, tcp_stream::connect(elsewhere, 1000ms));
}

TEST_GROUP_BASE(fake_helpers, fake::test_base) {
  TestTestingFixture fixture;
};

TEST(fake_helpers, check_fake_received_names_the_connection_and_the_first_difference) {
  fixture.setTestFunction(received_other_bytes);
  fixture.runAllTests();
  UNSIGNED_LONGS_EQUAL(1, fixture.getFailureCount());
  fixture.assertPrintContains("fake stream");
  fixture.assertPrintContains("127.0.0.1:7000 <- 127.0.0.1:");
  fixture.assertPrintContains("expected \"hello\\n\" (6 bytes)");
  fixture.assertPrintContains("but was  \"hallo\\n\" (6 bytes)");
  fixture.assertPrintContains("first difference at byte 1");
}

TEST(fake_helpers, check_fake_at_end_shows_what_is_still_waiting) {
  fixture.setTestFunction(not_at_end);
  fixture.runAllTests();
  UNSIGNED_LONGS_EQUAL(1, fixture.getFailureCount());
  fixture.assertPrintContains("is not at end of stream: bytes wait to be read: \"x\"");
}
