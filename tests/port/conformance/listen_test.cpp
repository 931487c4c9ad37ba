// SPDX-License-Identifier: MIT
// Listening: port 0, address in use, SO_REUSEADDR over TIME_WAIT, non-local addresses, accept.
#include "conformance.hpp"

using namespace conformance;
using emsock::errc;
using emsock::listen_options;
using emsock::tcp_listener;
using namespace std::chrono_literals;

TEST_GROUP_BASE(listen, handle_leak_check){};

TEST(listen, port_zero_picks_a_free_port_that_local_endpoint_tells) {
  auto l = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  CHECK(l->valid());
  const auto local = l->local_endpoint();
  CHECK_OK(local);
  CHECK(local->address == emsock::ip_address(emsock::ipv4_address::loopback()));
  CHECK(local->port != 0);
}

TEST(listen, port_zero_on_ipv6_loopback) {
  require_ipv6();
  auto l = tcp_listener::listen(loopback_v6(0));
  CHECK_OK(l);
  const auto local = l->local_endpoint();
  CHECK_OK(local);
  CHECK(local->address.is_v6());
  CHECK(local->address.v6().is_loopback());
  CHECK(local->port != 0);
}

TEST(listen, two_listeners_get_different_ports) {
  auto a = tcp_listener::listen(loopback_v4(0));
  auto b = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(a);
  CHECK_OK(b);
  CHECK(a->local_endpoint()->port != b->local_endpoint()->port);
}

TEST(listen, a_held_port_is_address_in_use_with_or_without_reuse_address) {
  auto holder = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(holder);
  const std::uint16_t port = holder->local_endpoint()->port;
  listen_options no_reuse;
  no_reuse.reuse_address = false;
  CHECK_ERRC(errc::address_in_use, tcp_listener::listen(loopback_v4(port), no_reuse));
  CHECK_ERRC(errc::address_in_use, tcp_listener::listen(loopback_v4(port)));
}

TEST(listen, reuse_address_rebinds_while_an_old_connection_lingers) {
  std::uint16_t port = 0;
  {
    connection c = connect_pair(loopback_v4(0));
    port = c.listener.local_endpoint()->port;
    // The server closes first (active close), so its side of the connection lingers on `port`.
    CHECK_OK(c.server.close());
    char byte;
    const auto eof = c.client.recv(&byte, 1);
    CHECK_OK(eof);
    UNSIGNED_LONGS_EQUAL(0, eof.value());
  }
  listen_options no_reuse;
  no_reuse.reuse_address = false;
  CHECK_ERRC(errc::address_in_use, tcp_listener::listen(loopback_v4(port), no_reuse));
  auto again = tcp_listener::listen(loopback_v4(port));  // reuse_address defaults to true
  CHECK_OK(again);
  UNSIGNED_LONGS_EQUAL(port, again->local_endpoint()->port);
}

TEST(listen, an_address_that_is_not_local_is_address_not_available) {
  // 203.0.113.7 (TEST-NET-3, RFC 5737) is on no interface here; bind sends nothing.
  CHECK_ERRC(errc::address_not_available, tcp_listener::listen({emsock::ipv4_address(203, 0, 113, 7), 0}));
}

TEST(listen, negative_backlog_is_invalid_argument) {
  listen_options o;
  o.backlog = -1;
  CHECK_ERRC(errc::invalid_argument, tcp_listener::listen(loopback_v4(0), o));
}

TEST(listen, accept_on_an_empty_non_blocking_listener_would_block) {
  auto l = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  CHECK_OK(l->set_non_blocking(true));
  CHECK(l->non_blocking());
  CHECK_ERRC(errc::would_block, l->accept());
}

TEST(listen, accepted_stream_is_blocking_even_from_a_non_blocking_listener) {
  auto l = tcp_listener::listen(loopback_v4(0));
  CHECK_OK(l);
  CHECK_OK(l->set_non_blocking(true));
  auto client = emsock::tcp_stream::connect(l->local_endpoint().value(), 2000ms);
  CHECK_OK(client);
  emsock::poll_entry e;
  e.handle = l->native_handle();
  e.want_read = true;
  const auto ready = emsock::poll(&e, 1, 2000ms);
  CHECK_OK(ready);
  CHECK(e.readable);
  auto a = l->accept();
  CHECK_OK(a);
  CHECK_FALSE(a->stream.non_blocking());
  CHECK(a->peer == client->local_endpoint().value());
}

TEST(listen, operations_on_an_invalid_listener_are_invalid_argument) {
  tcp_listener l;
  CHECK_FALSE(l.valid());
  CHECK_ERRC(errc::invalid_argument, l.accept());
  CHECK_ERRC(errc::invalid_argument, l.local_endpoint());
  CHECK_ERRC(errc::invalid_argument, l.set_non_blocking(true));
  CHECK_ERRC(errc::invalid_argument, l.close());
}
