// The lwIP backend's own tests: its errno mapping, names without DNS, the host name, the clock.
#include <cstring>

extern "C" {
#include "lwip/errno.h"
}

#include "conformance.hpp"
#include "emsock/port/clock.hpp"
#include "loopback_stack.hpp"

using emsock::errc;

TEST_GROUP(lwip_errors){};

TEST(lwip_errors, symbolic_names_map_to_reasons) {
  CHECK_ERRC(errc::would_block, emsock::status(emsock::errc_from_errno(EWOULDBLOCK)));
  CHECK_ERRC(errc::would_block, emsock::status(emsock::errc_from_errno(EAGAIN)));
  CHECK_ERRC(errc::in_progress, emsock::status(emsock::errc_from_errno(EINPROGRESS)));
  CHECK_ERRC(errc::connection_reset, emsock::status(emsock::errc_from_errno(ECONNRESET)));
  CHECK_ERRC(errc::connection_aborted, emsock::status(emsock::errc_from_errno(ECONNABORTED)));
  CHECK_ERRC(errc::not_connected, emsock::status(emsock::errc_from_errno(ENOTCONN)));
  CHECK_ERRC(errc::address_in_use, emsock::status(emsock::errc_from_errno(EADDRINUSE)));
  CHECK_ERRC(errc::out_of_memory, emsock::status(emsock::errc_from_errno(ENOBUFS)));
  CHECK_ERRC(errc::out_of_memory, emsock::status(emsock::errc_from_errno(ENOMEM)));
  CHECK_ERRC(errc::too_many_open_files, emsock::status(emsock::errc_from_errno(ENFILE)));
  CHECK_ERRC(errc::invalid_argument, emsock::status(emsock::errc_from_errno(EBADF)));
  CHECK_ERRC(errc::operation_not_supported, emsock::status(emsock::errc_from_errno(ENOSYS)));
  CHECK_ERRC(errc::system_error, emsock::status(emsock::errc_from_errno(0)));
  CHECK_ERRC(errc::system_error, emsock::status(emsock::errc_from_errno(-12345)));
}

TEST_GROUP_BASE(lwip_names, conformance::handle_leak_check){};

TEST(lwip_names, numeric_hosts_resolve_without_dns) {
  emsock::resolved out[4];
  emsock::resolve_hints h;
  h.type = emsock::socket_type::stream;
  const auto v4 = emsock::resolve("127.0.0.1", "8080", h, out);
  CHECK_OK(v4);
  UNSIGNED_LONGS_EQUAL(1, v4->stored);
  CHECK(out[0].where == conformance::loopback_v4(8080));
  CHECK(out[0].protocol == emsock::ip_protocol::tcp);
  const auto v6 = emsock::resolve("::1", "443", h, out);
  CHECK_OK(v6);
  CHECK(out[0].where == conformance::loopback_v6(443));
  emsock::resolve_hints any;
  const auto both = emsock::resolve("127.0.0.1", "7", any, out);  // one entry per socket type
  CHECK_OK(both);
  UNSIGNED_LONGS_EQUAL(2, both->found);
  const auto ip = emsock::resolve_ipv4("127.0.0.2");
  CHECK_OK(ip);
  CHECK(ip.value() == emsock::ipv4_address(127, 0, 0, 2));
}

TEST(lwip_names, names_without_dns_are_unavailable_and_services_are_numbers) {
  emsock::resolved out[2];
  if (!emsock::lwip_has_dns) {
    CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve("localhost", "80", {}, out));
    CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve_ipv4("example.com"));
  }
  CHECK_ERRC(errc::name_not_found, emsock::resolve("host.invalid", "80", {}, out));  // RFC 6761, no lookup
  CHECK_ERRC(errc::service_not_found, emsock::resolve("127.0.0.1", "http", {}, out));  // no services database
  CHECK_ERRC(errc::service_not_found, emsock::resolve("127.0.0.1", "65536", {}, out));
  emsock::resolve_hints numeric;
  numeric.numeric_host = true;
  CHECK_ERRC(errc::name_not_found, emsock::resolve("localhost", "80", numeric, out));
  emsock::resolve_hints v6_only;
  v6_only.family = emsock::resolve_family::inet6;
  CHECK_ERRC(errc::name_not_found, emsock::resolve("127.0.0.1", "80", v6_only, out));
}

TEST(lwip_names, the_configured_host_name_wins) {
  char before[emsock::max_host_name_len + 1];
  CHECK_OK(emsock::host_name(before));
  CHECK_OK(emsock::lwip::set_host_name("board-7"));
  char name[16];
  const auto n = emsock::host_name(name);
  CHECK_OK(n);
  STRCMP_EQUAL("board-7", name);
  CHECK_ERRC(errc::invalid_argument, emsock::lwip::set_host_name(std::string_view("a\0b", 3)));
  CHECK_ERRC(errc::invalid_argument, emsock::lwip::set_host_name(std::string(64, 'x')));
  CHECK_OK(emsock::lwip::set_host_name(before));
}

TEST_GROUP(lwip_clock){};

TEST(lwip_clock, monotonic_ms_follows_sys_now) {
  const std::uint64_t a = emsock::monotonic_ms();
  const std::int64_t start = conformance::now_ms();
  while (conformance::now_ms() - start < 30) {
  }
  const std::uint64_t b = emsock::monotonic_ms();
  CHECK(b >= a + 20);
  CHECK(b <= a + 1000);
}

TEST_GROUP_BASE(lwip_sockets, conformance::handle_leak_check){};

TEST(lwip_sockets, descriptors_are_lwip_descriptors_counted_by_the_fixture) {
  const std::size_t before = emsock::lwip::open_socket_count();
  auto l = emsock::tcp_listener::listen(conformance::loopback_v4(0));
  CHECK_OK(l);
  CHECK(l->native_handle() >= LWIP_SOCKET_OFFSET);
  UNSIGNED_LONGS_EQUAL(before + 1, emsock::lwip::open_socket_count());
}
