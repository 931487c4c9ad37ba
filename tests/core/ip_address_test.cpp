// SPDX-License-Identifier: MIT
#include <cstring>
#include <string>

#include <CppUTest/TestHarness.h>

#include "emsock/ip_address.hpp"
#include "test_support.hpp"

using emsock::endpoint;
using emsock::errc;
using emsock::ip_address;
using emsock_test::bad_input;
using emsock_test::text_of;

namespace {
emsock::result<ip_address> any(std::string_view t) { return ip_address::parse(t); }
emsock::result<endpoint> ep(std::string_view t) { return endpoint::parse(t); }
}  // namespace

TEST_GROUP(ip_address_either_family){};

TEST(ip_address_either_family, picks_the_family_from_the_text) {
  const auto v4 = any("192.0.2.1");
  CHECK(v4.ok() && v4.value().is_v4());
  STRCMP_EQUAL("192.0.2.1", text_of(v4.value()).c_str());
  const auto v6 = any("2001:DB8::1%eth0");
  CHECK(v6.ok() && v6.value().is_v6());
  STRCMP_EQUAL("eth0", std::string(v6.value().zone()).c_str());
  STRCMP_EQUAL("2001:db8::1%eth0", text_of(v6.value()).c_str());
  CHECK(any("127.0.0.1").value().is_loopback());
  CHECK(any("::1").value().is_loopback());
  CHECK(any("fe80::1").value().is_link_local());
  CHECK(any("ff02::1").value().is_multicast());
  CHECK(any("10.0.0.1").value().is_private());
  CHECK(any("::").value().is_unspecified());
}

TEST(ip_address_either_family, families_never_compare_equal) {
  CHECK(any("0.0.0.0").value() != any("::").value());
  CHECK(any("::1").value() == ip_address(emsock::ipv6_address::loopback()));
  CHECK(any("fe80::1%1").value() != any("fe80::1%2").value());
}

TEST(ip_address_either_family, errors_come_from_the_family_parser) {
  static const bad_input rows[] = {
      {"", errc::empty_input, 0},
      {"1.2.3", errc::too_few_parts, 5},
      {"1::2::3", errc::more_than_one_double_colon, 4},
      {"fe80::1%", errc::zone_empty, 8},
      {"localhost", errc::unexpected_character, 0},
  };
  emsock_test::check_rejects(any, rows);
}

TEST_GROUP(endpoint_text){};

TEST(endpoint_text, parses_and_formats) {
  const auto a = ep("1.2.3.4:80");
  CHECK(a.ok());
  CHECK(a.value().address.v4() == emsock::ipv4_address(1, 2, 3, 4));
  UNSIGNED_LONGS_EQUAL(80, a.value().port);
  STRCMP_EQUAL("1.2.3.4:80", text_of(a.value()).c_str());

  const auto b = ep("[::1]:8080");
  CHECK(b.ok() && b.value().address.is_v6());
  UNSIGNED_LONGS_EQUAL(8080, b.value().port);
  STRCMP_EQUAL("[::1]:8080", text_of(b.value()).c_str());

  const auto c = ep("[FE80:0::1%eth0]:65535");
  CHECK(c.ok());
  STRCMP_EQUAL("[fe80::1%eth0]:65535", text_of(c.value()).c_str());
  STRCMP_EQUAL("0.0.0.0:0", text_of(ep("0.0.0.0:0").value()).c_str());
  STRCMP_EQUAL("[::ffff:1.2.3.4]:1", text_of(ep("[::ffff:102:304]:1").value()).c_str());
}

TEST(endpoint_text, rejects_with_reason_and_offset) {
  static const bad_input rows[] = {
      {"", errc::empty_input, 0},
      {"1.2.3.4", errc::missing_port, 7},
      {"1.2.3.4:", errc::missing_port, 8},
      {"1.2.3.4:65536", errc::port_out_of_range, 8},
      {"1.2.3.4:99999999999", errc::port_out_of_range, 8},
      {"1.2.3.4:080", errc::leading_zero, 8},
      {"1.2.3.4:-1", errc::unexpected_character, 8},
      {"1.2.3.4:8a", errc::unexpected_character, 9},
      {"1.2.3:80", errc::too_few_parts, 5},
      {"::1:80", errc::missing_bracket, 0},
      {"[::1", errc::missing_bracket, 4},
      {"[::1]", errc::missing_port, 5},
      {"[::1]80", errc::unexpected_character, 5},
      {"[::1]:", errc::missing_port, 6},
      {"[::1::]:80", errc::more_than_one_double_colon, 4},
      {"[fe80::1%]:80", errc::zone_empty, 9},
      {"[1.2.3.4]:80", errc::too_few_groups, 8},
      {std::string_view("1.2.3.4:8\0", 10), errc::embedded_nul, 9},
  };
  emsock_test::check_rejects(ep, rows);
}

TEST(endpoint_text, too_small_buffer_writes_nothing) {
  const auto a = ep("[fe80::1%eth0]:65535").value();  // 20 characters
  char buf[21];
  std::memset(buf, '#', sizeof buf);
  CHECK(a.to_chars(buf, buf + 19).code() == errc::buffer_too_small);
  for (char c : buf) CHECK_EQUAL('#', c);
  const auto r = a.to_chars(buf, buf + 20);
  CHECK(r.code() == errc::ok);
  POINTERS_EQUAL(buf + 20, r.ptr);
}

TEST(endpoint_text, max_text_len_fits_the_longest) {
  const auto a = ep("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%0123456789abcde]:65535").value();
  char buf[endpoint::max_text_len];
  CHECK(a.to_chars(buf, buf + sizeof buf).code() == errc::ok);
}

static_assert(ip_address(emsock::ipv4_address::loopback()).is_loopback());
static_assert(ip_address(emsock::ipv6_address::loopback()).is_v6());
static_assert(endpoint{emsock::ipv4_address(1, 2, 3, 4), 80} == endpoint{emsock::ipv4_address(1, 2, 3, 4), 80});
