// SPDX-License-Identifier: MIT
// event_set: sockets registered once under keys, waits that hand back the ready ones only; the
// same events as poll_set; misuse and limits.
#include <chrono>

#include "conformance.hpp"
#include "emsock/port/event_set.hpp"

using namespace conformance;
using emsock::errc;
using namespace std::chrono_literals;

namespace {

/// Waits (bounded) until `set` reports `key` ready and returns its events; fails the test otherwise.
emsock::poll_events wait_for_key(emsock::event_set_base& set, std::size_t key) {
  for (int round = 0; round < 20; ++round) {
    const auto n = set.wait(100ms);
    CHECK_OK(n);
    for (std::size_t i = 0; i < n.value(); ++i)
      if (set.ready(i).key == key) return set.ready(i).events;
  }
  FAIL("the key never became ready");
  return {};
}

}  // namespace

TEST_GROUP_BASE(event_set, handle_leak_check){};

TEST(event_set, a_set_that_is_not_open_refuses_everything) {
  emsock::event_set<2> set;
  CHECK_FALSE(set.is_open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_ERRC(errc::invalid_argument, set.add(0, c.server.native_handle(), true, false));
  CHECK_ERRC(errc::invalid_argument, set.wait(0ms));
  CHECK_ERRC(errc::invalid_argument, set.modify(0, true, true));
  CHECK_ERRC(errc::invalid_argument, set.remove(0));
}

TEST(event_set, data_makes_its_key_ready_and_nothing_else) {
  emsock::event_set<8> set;
  CHECK_OK(set.open());
  CHECK(set.is_open());
  connection a = connect_pair(loopback_v4(0));
  connection b = connect_pair(loopback_v4(0));
  CHECK_OK(set.add(3, a.server.native_handle(), true, false));
  CHECK_OK(set.add(6, b.server.native_handle(), true, false));
  UNSIGNED_LONGS_EQUAL(2, set.size());
  const auto quiet = set.wait(0ms);
  CHECK_OK(quiet);
  UNSIGNED_LONGS_EQUAL(0, quiet.value());
  CHECK_OK(b.client.send("b", 1));
  const emsock::poll_events ev = wait_for_key(set, 6);
  CHECK(ev.readable);
  CHECK_FALSE(ev.writable);  // not asked for
  CHECK_FALSE(ev.hangup);
  const auto again = set.wait(0ms);  // level-triggered: ready until read, and only that one
  CHECK_OK(again);
  UNSIGNED_LONGS_EQUAL(1, again.value());
  UNSIGNED_LONGS_EQUAL(6, set.ready(0).key);
  char byte = 0;
  CHECK_OK(b.server.recv(&byte, 1));
  const auto drained = set.wait(0ms);
  CHECK_OK(drained);
  UNSIGNED_LONGS_EQUAL(0, drained.value());
}

TEST(event_set, modify_changes_what_a_key_waits_for) {
  emsock::event_set<1> set;
  CHECK_OK(set.open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(set.add(0, c.client.native_handle(), true, false));
  const auto reading = set.wait(0ms);
  CHECK_OK(reading);
  UNSIGNED_LONGS_EQUAL(0, reading.value());  // nothing to read; writable was not asked for
  CHECK_OK(set.modify(0, true, true));
  CHECK(wait_for_key(set, 0).writable);
  CHECK_OK(set.modify(0, true, true));  // unchanged: nothing to do, still fine
  CHECK_OK(set.modify(0, false, false));
  const auto none = set.wait(0ms);
  CHECK_OK(none);
  UNSIGNED_LONGS_EQUAL(0, none.value());
}

TEST(event_set, a_listener_is_ready_when_a_connection_waits) {
  emsock::event_set<4> set;
  CHECK_OK(set.open());
  auto l = emsock::tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  CHECK_OK(set.add(2, l->native_handle(), true, false));
  auto client = emsock::tcp_stream::connect(l->local_endpoint().value(), 2000ms);
  CHECK_OK(client);
  CHECK(wait_for_key(set, 2).readable);
  CHECK_OK(l->accept());
  CHECK_OK(set.remove(2));
}

TEST(event_set, hangup_and_readable_after_the_peer_closed) {
  emsock::event_set<1> set;
  CHECK_OK(set.open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(set.add(0, c.server.native_handle(), true, false));
  CHECK_OK(c.client.close());
  const emsock::poll_events ev = wait_for_key(set, 0);
  CHECK(ev.readable);
  CHECK(ev.hangup);
}

TEST(event_set, a_removed_socket_is_never_reported_and_its_key_is_free_again) {
  emsock::event_set<2> set;
  CHECK_OK(set.open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(c.client.send("x", 1));
  CHECK_OK(set.add(1, c.server.native_handle(), true, false));
  CHECK(wait_for_key(set, 1).readable);
  CHECK_OK(set.remove(1));
  UNSIGNED_LONGS_EQUAL(0, set.size());
  LONGS_EQUAL(emsock::invalid_native_handle, set.handle(1));
  const auto n = set.wait(0ms);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(0, n.value());
  CHECK_ERRC(errc::invalid_argument, set.remove(1));  // already free
  CHECK_OK(set.add(1, c.server.native_handle(), true, false));
  CHECK(wait_for_key(set, 1).readable);
}

TEST(event_set, bad_keys_and_handles_are_invalid_argument_and_change_nothing) {
  emsock::event_set<2> set;
  CHECK_OK(set.open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_ERRC(errc::invalid_argument, set.add(2, c.server.native_handle(), true, false));  // key out of range
  CHECK_ERRC(errc::invalid_argument, set.add(0, emsock::invalid_native_handle, true, false));
  CHECK_OK(set.add(0, c.server.native_handle(), true, false));
  CHECK_ERRC(errc::invalid_argument, set.add(0, c.client.native_handle(), true, false));  // key in use
  CHECK_ERRC(errc::invalid_argument, set.modify(1, true, false));                        // nothing there
  CHECK_ERRC(errc::invalid_argument, set.modify(9, true, false));
  UNSIGNED_LONGS_EQUAL(1, set.size());
  LONGS_EQUAL(c.server.native_handle(), set.handle(0));
  LONGS_EQUAL(emsock::invalid_native_handle, set.handle(9));
}

TEST(event_set, every_key_up_to_the_capacity_works_at_once) {
  constexpr std::size_t n = 6;
  emsock::event_set<n> set;
  CHECK_OK(set.open());
  connection c[n];
  for (std::size_t k = 0; k < n; ++k) {
    c[k] = connect_pair(loopback_v4(0));
    CHECK_OK(set.add(k, c[k].client.native_handle(), false, true));
  }
  bool seen[n] = {};
  std::size_t distinct = 0;
  for (int round = 0; round < 20 && distinct < n; ++round) {
    const auto ready = set.wait(100ms);
    CHECK_OK(ready);
    CHECK(ready.value() <= n);
    for (std::size_t i = 0; i < ready.value(); ++i) {
      const emsock::ready_socket r = set.ready(i);
      CHECK(r.key < n);
      CHECK(r.events.writable);
      if (!seen[r.key]) ++distinct;
      seen[r.key] = true;
    }
  }
  UNSIGNED_LONGS_EQUAL(n, distinct);
}

TEST(event_set, the_timeout_passes_with_nothing_ready) {
  emsock::event_set<1> set;
  CHECK_OK(set.open());
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(set.add(0, c.server.native_handle(), true, false));
  const std::int64_t start = now_ms();
  const auto n = set.wait(60ms);
  const std::int64_t waited = now_ms() - start;
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(0, n.value());
  CHECK_TEXT(waited >= 45, "returned before the timeout");
  CHECK_TEXT(waited < 5000, "waited far longer than the timeout");
  CHECK_ERRC(errc::invalid_argument, set.wait(emsock::max_timeout + 1ms));
}

TEST(event_set, close_forgets_every_socket_and_open_starts_afresh) {
  emsock::event_set<2> set;
  CHECK_OK(set.open());
  CHECK_OK(set.open());  // again while open: nothing happens
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(set.add(0, c.server.native_handle(), true, false));
  set.close();
  CHECK_FALSE(set.is_open());
  UNSIGNED_LONGS_EQUAL(0, set.size());
  CHECK_OK(set.open());
  CHECK_OK(set.add(0, c.server.native_handle(), true, false));  // the key is free after close()
  CHECK_OK(c.client.send("y", 1));
  CHECK(wait_for_key(set, 0).readable);
}
