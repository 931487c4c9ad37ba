// SPDX-License-Identifier: MIT
// The fake backend's datagram faults (emsock/port/fake.hpp, "faults: datagrams"): each of drop,
// duplicate, reorder, delay, a smaller MTU and a full receive queue, scripted and deterministic,
// and what the fake models of UDP beyond the conformance suite (ICMP port unreachable, broadcast,
// its largest datagram). The UDP behaviour shared with the real backends is the conformance suite's.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "emsock/port/fake_cpputest.hpp"
#include "emsock/port/poll.hpp"
#include "emsock/port/udp.hpp"

using emsock::errc;
using emsock::udp_recv_result;
using emsock::udp_socket;
namespace fake = emsock::fake;
using fake::datagram_action;
using namespace std::chrono_literals;

#define CHECK_OK(outcome) STRCMP_EQUAL("ok", emsock::name((outcome).code()))
#define CHECK_ERRC(expected, outcome) STRCMP_EQUAL(emsock::name(expected), emsock::name((outcome).code()))

namespace {

udp_socket open_at(std::uint16_t port, const emsock::udp_options& options = {}) {
  auto s = udp_socket::open({emsock::ipv4_address::loopback(), port}, options);
  CHECK_OK(s);
  return std::move(s).value();
}

/// A sender on 127.0.0.1:4000 and a receiver on 127.0.0.1:5000, the receiver non-blocking (so that
/// "nothing there" is would_block at once, never a wait).
struct link {
  udp_socket from = open_at(4000);
  udp_socket to = open_at(5000);
  emsock::endpoint to_at{emsock::ipv4_address::loopback(), 5000};
  link() { CHECK_OK(to.set_non_blocking(true)); }
};

void send_byte(udp_socket& s, char c, const emsock::endpoint& to) { CHECK_OK(s.send_to(&c, 1, to)); }

/// The next datagram's one byte, or '-' when there is none (would_block).
char next_byte(udp_socket& s) {
  char c = 0;
  const udp_recv_result r = s.recv_from(&c, 1);
  if (r.code() == errc::would_block) return '-';
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r.size);
  return c;
}

}  // namespace

TEST_GROUP_BASE(fake_datagrams, fake::test_base){};

TEST(fake_datagrams, a_dropped_datagram_is_sent_and_never_arrives) {
  link l;
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::drop, datagram_action::deliver}));
  send_byte(l.from, 'a', l.to_at);  // send_to succeeds: loss is the network's, not the sender's
  send_byte(l.from, 'b', l.to_at);
  send_byte(l.from, 'c', l.to_at);  // after the script: delivered
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('c', next_byte(l.to));
  BYTES_EQUAL('-', next_byte(l.to));
}

TEST(fake_datagrams, a_duplicated_datagram_arrives_twice) {
  link l;
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::duplicate}));
  send_byte(l.from, 'a', l.to_at);
  send_byte(l.from, 'b', l.to_at);
  BYTES_EQUAL('a', next_byte(l.to));
  BYTES_EQUAL('a', next_byte(l.to));
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('-', next_byte(l.to));
}

TEST(fake_datagrams, a_reordered_datagram_arrives_after_the_next_one) {
  link l;
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::reorder}));
  send_byte(l.from, 'a', l.to_at);
  const fake::socket_info held = fake::info(l.to.native_handle());
  UNSIGNED_LONGS_EQUAL(0, held.datagrams);  // on its way, not receivable
  UNSIGNED_LONGS_EQUAL(1, held.in_flight);
  BYTES_EQUAL('-', next_byte(l.to));
  send_byte(l.from, 'b', l.to_at);
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('a', next_byte(l.to));
  BYTES_EQUAL('-', next_byte(l.to));
}

TEST(fake_datagrams, a_datagram_held_back_is_released_when_its_sender_closes) {
  link l;
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::reorder}));
  send_byte(l.from, 'a', l.to_at);
  BYTES_EQUAL('-', next_byte(l.to));
  CHECK_OK(l.from.close());
  BYTES_EQUAL('a', next_byte(l.to));
}

TEST(fake_datagrams, a_delayed_datagram_is_overtaken_and_arrives_when_due) {
  link l;
  fake::datagram_faults f;
  f.delay = 50ms;
  CHECK_OK(fake::set_datagram_faults(l.from.native_handle(), f));
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::delay}));
  send_byte(l.from, 'a', l.to_at);
  send_byte(l.from, 'b', l.to_at);
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('-', next_byte(l.to));  // non-blocking: not yet
  UNSIGNED_LONGS_EQUAL(0, fake::now_ms());
  // A blocking receive whose limit is shorter than the delay times out after its limit...
  CHECK_OK(l.to.set_non_blocking(false));
  CHECK_OK(l.to.set_receive_timeout(20ms));
  char c = 0;
  CHECK_ERRC(errc::timed_out, l.to.recv_from(&c, 1));
  UNSIGNED_LONGS_EQUAL(20, fake::now_ms());
  // ...one whose limit reaches it ends when the datagram is due, not at its limit.
  CHECK_OK(l.to.set_receive_timeout(1000ms));
  const udp_recv_result late = l.to.recv_from(&c, 1);
  CHECK_OK(late);
  BYTES_EQUAL('a', c);
  UNSIGNED_LONGS_EQUAL(50, fake::now_ms());
  CHECK_FAKE_NO_STALLS();
}

TEST(fake_datagrams, poll_ends_when_a_delayed_datagram_is_due) {
  link l;
  fake::datagram_faults f;
  f.delay = 30ms;
  CHECK_OK(fake::set_datagram_faults(l.from.native_handle(), f));
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::delay, datagram_action::delay}));
  send_byte(l.from, 'a', l.to_at);
  emsock::poll_entry e;
  e.handle = l.to.native_handle();
  e.want_read = true;
  const auto short_wait = emsock::poll(&e, 1, 10ms);
  CHECK_OK(short_wait);
  UNSIGNED_LONGS_EQUAL(0, short_wait.value());
  UNSIGNED_LONGS_EQUAL(10, fake::now_ms());
  const auto long_wait = emsock::poll(&e, 1, 100ms);
  CHECK_OK(long_wait);
  UNSIGNED_LONGS_EQUAL(1, long_wait.value());
  CHECK(e.readable);
  UNSIGNED_LONGS_EQUAL(30, fake::now_ms());
  BYTES_EQUAL('a', next_byte(l.to));
  // Without a limit the wait also ends when the datagram is due (no stall).
  send_byte(l.from, 'b', l.to_at);
  const auto no_limit = emsock::poll(&e, 1, emsock::infinite_timeout);
  CHECK_OK(no_limit);
  UNSIGNED_LONGS_EQUAL(1, no_limit.value());
  UNSIGNED_LONGS_EQUAL(60, fake::now_ms());
  CHECK_FAKE_NO_STALLS();
}

TEST(fake_datagrams, a_smaller_mtu_cuts_what_crosses_it) {
  link l;
  fake::datagram_faults f;
  f.mtu = 100;
  CHECK_OK(fake::set_datagram_faults(l.from.native_handle(), f));
  unsigned char out[300];
  for (std::size_t i = 0; i < sizeof out; ++i) out[i] = static_cast<unsigned char>(i);
  CHECK_OK(l.from.send_to(out, sizeof out, l.to_at));
  CHECK_OK(l.from.send_to(out, 60, l.to_at));  // shorter than the MTU: whole
  unsigned char in[400];
  const udp_recv_result cut = l.to.recv_from(in, sizeof in);
  CHECK_OK(cut);  // the receiver sees a datagram of 100 bytes: it cannot know it was longer
  UNSIGNED_LONGS_EQUAL(100, cut.size);
  UNSIGNED_LONGS_EQUAL(100, cut.datagram_size);
  MEMCMP_EQUAL(out, in, 100);
  const udp_recv_result whole = l.to.recv_from(in, sizeof in);
  CHECK_OK(whole);
  UNSIGNED_LONGS_EQUAL(60, whole.size);
}

TEST(fake_datagrams, a_full_receive_queue_drops_and_counts_what_arrives) {
  link l;
  fake::datagram_faults f;
  f.receive_queue = 3;
  CHECK_OK(fake::set_datagram_faults(l.to.native_handle(), f));
  for (char c = 'a'; c <= 'e'; ++c) send_byte(l.from, c, l.to_at);
  UNSIGNED_LONGS_EQUAL(2, fake::datagrams_dropped(l.to.native_handle()));
  BYTES_EQUAL('a', next_byte(l.to));
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('c', next_byte(l.to));
  BYTES_EQUAL('-', next_byte(l.to));
  send_byte(l.from, 'f', l.to_at);  // room again
  BYTES_EQUAL('f', next_byte(l.to));
}

TEST(fake_datagrams, a_full_receive_buffer_drops_the_datagram_that_does_not_fit) {
  link l;
  static unsigned char big[fake::max_datagram];
  const std::size_t half = fake::buffer_size / 2 - fake::datagram_overhead;  // two fit exactly
  CHECK_OK(l.from.send_to(big, half, l.to_at));
  CHECK_OK(l.from.send_to(big, half, l.to_at));
  CHECK_OK(l.from.send_to(big, 1, l.to_at));
  UNSIGNED_LONGS_EQUAL(1, fake::datagrams_dropped(l.to.native_handle()));
  UNSIGNED_LONGS_EQUAL(2, fake::info(l.to.native_handle()).datagrams);
}

TEST(fake_datagrams, the_largest_datagram_is_what_one_buffer_holds) {
  link l;
  static unsigned char big[fake::max_datagram + 1];
  CHECK_OK(l.from.send_to(big, fake::max_datagram, l.to_at));
  CHECK_ERRC(errc::message_too_long, l.from.send_to(big, fake::max_datagram + 1, l.to_at));
  static unsigned char in[fake::max_datagram];
  const udp_recv_result r = l.to.recv_from(in, sizeof in);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(fake::max_datagram, r.size);
}

TEST(fake_datagrams, a_script_is_bounded_and_only_for_udp_sockets) {
  link l;
  CHECK_ERRC(errc::buffer_too_small,
             fake::script_datagrams(l.from.native_handle(),
                                    {datagram_action::drop, datagram_action::drop, datagram_action::drop,
                                     datagram_action::drop, datagram_action::drop, datagram_action::drop,
                                     datagram_action::drop, datagram_action::drop, datagram_action::drop,
                                     datagram_action::drop, datagram_action::drop, datagram_action::drop,
                                     datagram_action::drop, datagram_action::drop, datagram_action::drop,
                                     datagram_action::drop, datagram_action::drop}));  // 17
  send_byte(l.from, 'a', l.to_at);  // nothing changed: delivered
  BYTES_EQUAL('a', next_byte(l.to));
  CHECK_ERRC(errc::invalid_argument, fake::script_datagrams(emsock::invalid_native_handle, {}));
  CHECK_ERRC(errc::invalid_argument, fake::set_datagram_faults(12345, fake::datagram_faults{}));
  // A new script replaces what was left of the old one.
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::drop, datagram_action::drop}));
  CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::duplicate}));
  send_byte(l.from, 'b', l.to_at);
  send_byte(l.from, 'c', l.to_at);
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('b', next_byte(l.to));
  BYTES_EQUAL('c', next_byte(l.to));
}

TEST(fake_datagrams, the_same_script_gives_the_same_datagrams_after_reset) {
  char first[8] = {}, second[8] = {};
  for (char* seen : {first, second}) {
    fake::reset();
    link l;
    CHECK_OK(fake::script_datagrams(l.from.native_handle(), {datagram_action::reorder, datagram_action::drop,
                                                              datagram_action::duplicate}));
    for (char c = 'a'; c <= 'd'; ++c) send_byte(l.from, c, l.to_at);
    for (int i = 0; i < 7; ++i) seen[i] = next_byte(l.to);
  }
  // a is held back; b is dropped (a stays held); c arrives twice, the first copy ahead of a.
  STRCMP_EQUAL("cacd---", first);
  STRCMP_EQUAL(first, second);
}

TEST(fake_datagrams, a_connected_sender_hears_of_a_closed_port_once) {
  udp_socket s = open_at(4000);
  CHECK_OK(s.connect({emsock::ipv4_address::loopback(), 6000}));  // nobody there
  CHECK_OK(s.send("x", 1));  // lost; the ICMP answer comes back
  CHECK_ERRC(errc::connection_refused, s.send("y", 1));
  CHECK_OK(s.set_non_blocking(true));
  char c;
  CHECK_ERRC(errc::would_block, s.recv(&c, 1));  // reported once
  udp_socket unconnected = open_at(4001);
  CHECK_OK(unconnected.send_to("x", 1, {emsock::ipv4_address::loopback(), 6000}));
  CHECK_OK(unconnected.send_to("x", 1, {emsock::ipv4_address::loopback(), 6000}));  // never told
}

TEST(fake_datagrams, a_broadcast_reaches_every_wildcard_socket_on_its_port) {
  emsock::udp_options broadcast;
  broadcast.broadcast = true;
  udp_socket sender = open_at(4000, broadcast);
  emsock::udp_options reuse;
  reuse.reuse_address = true;
  auto a = udp_socket::open({emsock::ipv4_address::any(), 7000}, reuse);
  auto b = udp_socket::open({emsock::ipv4_address::any(), 7000}, reuse);
  CHECK_OK(a);
  CHECK_OK(b);
  CHECK_OK(sender.send_to("all", 3, {emsock::ipv4_address::broadcast(), 7000}));
  UNSIGNED_LONGS_EQUAL(1, fake::info(a->native_handle()).datagrams);
  UNSIGNED_LONGS_EQUAL(1, fake::info(b->native_handle()).datagrams);
  udp_socket quiet = open_at(4001);
  CHECK_ERRC(errc::permission_denied, quiet.send_to("all", 3, {emsock::ipv4_address::broadcast(), 7000}));
}

TEST(fake_datagrams, info_describes_a_udp_socket) {
  link l;
  CHECK_OK(l.from.connect(l.to_at));
  send_byte(l.from, 'a', l.to_at);
  const fake::socket_info from = fake::info(l.from.native_handle());
  CHECK(from.datagram);
  CHECK(from.connected);
  CHECK(from.peer == l.to_at);
  const fake::socket_info to = fake::info(l.to.native_handle());
  CHECK(to.datagram);
  CHECK_FALSE(to.connected);
  UNSIGNED_LONGS_EQUAL(1, to.datagrams);
  UNSIGNED_LONGS_EQUAL(1, fake::bytes_sent(l.from.native_handle()));
}

// --- groups (the fake's model; the conformance suite has the shared behaviour) ----------------------

namespace {

const emsock::ipv4_address group = emsock::ipv4_address::parse("239.255.77.9").value();
const emsock::multicast_interface lo = emsock::multicast_interface::by_index(1);

udp_socket open_member(const emsock::endpoint& where) {
  auto s = udp_socket::open(where, {true, true, false});
  CHECK_OK(s);
  udp_socket u = std::move(s).value();
  CHECK_OK(u.set_non_blocking(true));
  CHECK_OK(u.join_group(group, lo));
  return u;
}

}  // namespace

TEST(fake_datagrams, a_datagram_to_a_group_reaches_every_member_on_its_port) {
  udp_socket on_group = open_member({group, 5353});
  udp_socket on_wildcard = open_member({emsock::ipv4_address(), 5353});
  udp_socket other_port = open_member({group, 5354});
  udp_socket sender = open_at(4000);
  send_byte(sender, 'm', {group, 5353});
  CHECK_EQUAL('m', next_byte(on_group));
  CHECK_EQUAL('m', next_byte(on_wildcard));
  CHECK_EQUAL('-', next_byte(other_port));
}

TEST(fake_datagrams, a_group_is_received_while_any_socket_is_a_member) {
  udp_socket listener = open_at(0);
  auto bound_at = udp_socket::open({group, 5353});
  CHECK_OK(bound_at);
  udp_socket receiver = std::move(bound_at).value();
  CHECK_OK(receiver.set_non_blocking(true));
  udp_socket sender = open_at(4000);
  send_byte(sender, 'a', {group, 5353});
  CHECK_EQUAL('-', next_byte(receiver));  // nobody joined: not received
  CHECK_OK(listener.join_group(group, lo));  // another socket's membership is the host's
  send_byte(sender, 'b', {group, 5353});
  CHECK_EQUAL('b', next_byte(receiver));
  CHECK_OK(listener.close());  // closing ends its memberships
  send_byte(sender, 'c', {group, 5353});
  CHECK_EQUAL('-', next_byte(receiver));
}

TEST(fake_datagrams, memberships_per_socket_are_bounded_and_not_doubled) {
  udp_socket s = open_at(0);
  CHECK_OK(s.join_group(group, lo));
  CHECK_ERRC(errc::address_in_use, s.join_group(group, lo));
  for (std::size_t i = 1; i < fake::max_memberships; ++i) {
    const emsock::ipv4_address g{239, 255, 78, static_cast<std::uint8_t>(i)};
    CHECK_OK(s.join_group(g, lo));
  }
  CHECK_ERRC(errc::out_of_memory, s.join_group(emsock::ipv4_address{239, 255, 79, 1}, lo));
  CHECK_OK(s.leave_group(group, lo));
  CHECK_OK(s.join_group(emsock::ipv4_address{239, 255, 79, 1}, lo));
}

TEST(fake_datagrams, a_zone_must_name_the_one_interface) {
  CHECK_OK(udp_socket::open({emsock::ip_address::parse("::1%lo").value(), 0}));
  CHECK_OK(udp_socket::open({emsock::ip_address::parse("::1%1").value(), 0}));
  CHECK_ERRC(errc::address_not_available, udp_socket::open({emsock::ip_address::parse("::1%2").value(), 0}));
  CHECK_ERRC(errc::address_not_available, udp_socket::open({emsock::ip_address::parse("::1%eth0").value(), 0}));
}
