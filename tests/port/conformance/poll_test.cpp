// SPDX-License-Identifier: MIT
// poll: readiness for reading, writing, accepting, end of stream; timeouts, skipped entries, limits.
#include <chrono>

#include "conformance.hpp"
#include "emsock/port/poll_set.hpp"

using namespace conformance;
using emsock::errc;
using emsock::poll_entry;
using namespace std::chrono_literals;

namespace {
poll_entry watch(emsock::native_handle_type h, bool read, bool write) {
  poll_entry e;
  e.handle = h;
  e.want_read = read;
  e.want_write = write;
  return e;
}
}  // namespace

TEST_GROUP_BASE(poll, handle_leak_check){};

TEST(poll, a_fresh_connection_is_writable_and_not_readable) {
  connection c = connect_pair(loopback_v4(0));
  poll_entry e = watch(c.client.native_handle(), true, true);
  const auto n = emsock::poll(&e, 1, 1000ms);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(1, n.value());
  CHECK(e.writable);
  CHECK_FALSE(e.readable);
  CHECK_FALSE(e.hangup);
  CHECK_FALSE(e.error);
}

TEST(poll, readable_once_data_arrived) {
  connection c = connect_pair(loopback_v4(0));
  poll_entry e = watch(c.server.native_handle(), true, false);
  const auto before = emsock::poll(&e, 1, 0ms);
  CHECK_OK(before);
  UNSIGNED_LONGS_EQUAL(0, before.value());
  CHECK_FALSE(e.readable);
  CHECK_OK(c.client.send("r", 1));
  const auto after = emsock::poll(&e, 1, 2000ms);
  CHECK_OK(after);
  UNSIGNED_LONGS_EQUAL(1, after.value());
  CHECK(e.readable);
  CHECK_FALSE(e.writable);  // not asked for
}

TEST(poll, a_listener_is_readable_when_a_connection_waits) {
  auto l = emsock::tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  poll_entry e = watch(l->native_handle(), true, false);
  CHECK_OK(emsock::poll(&e, 1, 0ms));
  CHECK_FALSE(e.readable);
  auto client = emsock::tcp_stream::connect(l->local_endpoint().value(), 2000ms);
  CHECK_OK(client);
  const auto n = emsock::poll(&e, 1, 2000ms);
  CHECK_OK(n);
  CHECK(e.readable);
  CHECK_OK(l->accept());
}

TEST(poll, hangup_and_readable_after_the_peer_closed) {
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(c.client.close());
  poll_entry e = watch(c.server.native_handle(), true, false);
  const auto n = emsock::poll(&e, 1, 2000ms);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(1, n.value());
  CHECK(e.readable);
  CHECK(e.hangup);
  char b;
  const auto eof = c.server.recv(&b, 1);
  CHECK_OK(eof);
  UNSIGNED_LONGS_EQUAL(0, eof.value());
}

TEST(poll, the_timeout_passes_with_nothing_ready) {
  connection c = connect_pair(loopback_v4(0));
  poll_entry e = watch(c.server.native_handle(), true, false);
  const std::int64_t start = now_ms();
  const auto n = emsock::poll(&e, 1, 60ms);
  const std::int64_t waited = now_ms() - start;
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(0, n.value());
  CHECK_FALSE(e.ready());
  CHECK_TEXT(waited >= 45, "returned before the timeout");
  CHECK_TEXT(waited < 5000, "waited far longer than the timeout");
}

TEST(poll, counts_every_ready_entry_and_skips_invalid_handles) {
  connection a = connect_pair(loopback_v4(0));
  connection b = connect_pair(loopback_v4(0));
  CHECK_OK(a.client.send("1", 1));
  CHECK_OK(b.client.send("2", 1));
  poll_entry entries[4] = {watch(a.server.native_handle(), true, false), watch(emsock::invalid_native_handle, true, true),
                           watch(b.server.native_handle(), true, false), watch(a.client.native_handle(), true, false)};
  entries[1].readable = true;  // stale outputs are cleared
  // Both servers become readable: wait (bounded) for each alone, since a stack that delivers
  // asynchronously (lwIP's tcpip thread) may have one before the other; then all at once.
  for (const connection* c : {&a, &b}) {
    poll_entry server = watch(c->server.native_handle(), true, false);
    CHECK_OK(emsock::poll(&server, 1, 2000ms));
    CHECK_TEXT(server.readable, "a server never became readable");
  }
  const auto ready = emsock::poll(entries, 0ms);
  CHECK_OK(ready);
  UNSIGNED_LONGS_EQUAL(2, ready.value());
  CHECK(entries[0].readable);
  CHECK_FALSE(entries[1].ready());
  CHECK(entries[2].readable);
  CHECK_FALSE(entries[3].ready());
}

TEST(poll, zero_entries_just_wait) {
  const auto n = emsock::poll(nullptr, 0, 1ms);
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL(0, n.value());
}

TEST(poll, a_timeout_longer_than_max_timeout_is_invalid_argument_not_cut_short) {
  CHECK_ERRC(errc::invalid_argument, emsock::poll(nullptr, 0, emsock::max_timeout + 1ms));
  emsock::poll_set<1> set;
  CHECK_ERRC(errc::invalid_argument, set.wait(std::chrono::hours{24 * 365}));
}

TEST(poll, more_than_max_poll_entries_or_a_null_array_is_invalid_argument) {
  static poll_entry many[emsock::max_poll_entries + 1];
  CHECK_ERRC(errc::invalid_argument, emsock::poll(many, emsock::max_poll_entries + 1, 0ms));
  CHECK_ERRC(errc::invalid_argument, emsock::poll(nullptr, 1, 0ms));
  const auto all = emsock::poll(many, emsock::max_poll_entries, 0ms);  // the limit itself is fine
  CHECK_OK(all);
  UNSIGNED_LONGS_EQUAL(0, all.value());
}
