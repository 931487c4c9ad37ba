// SPDX-License-Identifier: MIT
// Ownership: moves, release, adoption, close. The handle count shows double closes and leaks.
#include <utility>

#include "conformance.hpp"

using namespace conformance;
using emsock::errc;
using emsock::tcp_listener;
using emsock::tcp_stream;

TEST_GROUP_BASE(ownership, handle_leak_check){};

TEST(ownership, move_construction_transfers_the_handle_and_invalidates_the_source) {
  auto l = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  tcp_listener a = std::move(l).value();
  const emsock::native_handle_type h = a.native_handle();
  const std::size_t open = env().open_handles();
  tcp_listener b(std::move(a));
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  CHECK(a.native_handle() == emsock::invalid_native_handle);
  CHECK(b.valid());
  CHECK(b.native_handle() == h);
  UNSIGNED_LONGS_EQUAL(open, env().open_handles());
}

TEST(ownership, move_assignment_closes_the_old_handle_once) {
  connection c = connect_pair(loopback_v4(0));
  const std::size_t open = env().open_handles();
  const emsock::native_handle_type server = c.server.native_handle();
  c.client = std::move(c.server);  // the client's handle is closed, the server's moves
  UNSIGNED_LONGS_EQUAL(open - 1, env().open_handles());
  CHECK_FALSE(c.server.valid());  // NOLINT(bugprone-use-after-move)
  CHECK(c.client.native_handle() == server);
}

TEST(ownership, self_move_assignment_keeps_the_handle) {
  auto l = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  tcp_listener a = std::move(l).value();
  const emsock::native_handle_type h = a.native_handle();
  tcp_listener& alias = a;
  a = std::move(alias);
  CHECK(a.valid());
  CHECK(a.native_handle() == h);
  CHECK_OK(a.local_endpoint());
}

TEST(ownership, release_gives_up_ownership_and_adoption_takes_it_back) {
  connection c = connect_pair(loopback_v4(0));
  const std::size_t open = env().open_handles();
  const emsock::native_handle_type h = c.client.release();
  CHECK(h != emsock::invalid_native_handle);
  CHECK_FALSE(c.client.valid());
  CHECK(c.client.release() == emsock::invalid_native_handle);  // nothing left to release
  UNSIGNED_LONGS_EQUAL(open, env().open_handles());               // released, not closed
  {
    tcp_stream adopted(h);
    CHECK(adopted.valid());
    CHECK_FALSE(adopted.non_blocking());
    CHECK_OK(adopted.send("x", 1));
    char b;
    UNSIGNED_LONGS_EQUAL(1, recv_exactly(c.server, &b, 1));
  }
  UNSIGNED_LONGS_EQUAL(open - 1, env().open_handles());  // the adopter closed it
}

TEST(ownership, adoption_reads_the_blocking_mode) {
  connection c = connect_pair(loopback_v4(0));
  CHECK_OK(c.client.set_non_blocking(true));
  tcp_stream adopted(c.client.release());
  CHECK(adopted.non_blocking());
  char b;
  CHECK_ERRC(errc::would_block, adopted.recv(&b, 1));
}

TEST(ownership, close_reports_once_and_then_owns_nothing) {
  connection c = connect_pair(loopback_v4(0));
  const std::size_t open = env().open_handles();
  CHECK_OK(c.client.close());
  CHECK_FALSE(c.client.valid());
  UNSIGNED_LONGS_EQUAL(open - 1, env().open_handles());
  CHECK_ERRC(errc::invalid_argument, c.client.close());
  UNSIGNED_LONGS_EQUAL(open - 1, env().open_handles());
}

TEST(ownership, destruction_closes) {
  const std::size_t open = env().open_handles();
  {
    connection c = connect_pair(loopback_v4(0));
    UNSIGNED_LONGS_EQUAL(open + 3, env().open_handles());
  }
  UNSIGNED_LONGS_EQUAL(open, env().open_handles());
}
