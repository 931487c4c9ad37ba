// SPDX-License-Identifier: MIT
#include <cstring>
#include <string>

#include <CppUTest/TestHarness.h>

#include "emsock/ipv6_address.hpp"
#include "test_support.hpp"

using emsock::errc;
using emsock::ipv6_address;
using emsock::scoped_ipv6_address;
using emsock_test::bad_input;
using emsock_test::text_of;

namespace {
emsock::result<ipv6_address> v6(std::string_view t) { return ipv6_address::parse(t); }
emsock::result<scoped_ipv6_address> scoped(std::string_view t) { return scoped_ipv6_address::parse(t); }

/// Parses `text` and checks its canonical form.
void check_canonical(std::string_view text, const char* canonical) {
  const auto r = v6(text);
  const std::string label = "input \"" + std::string(text) + "\"";
  CHECK_TEXT(r.ok(), (label + ": " + emsock::name(r.code()) + " at " + std::to_string(r.offset())).c_str());
  STRCMP_EQUAL_TEXT(canonical, text_of(r.value()).c_str(), label.c_str());
  // And the canonical form reads back as the same address.
  const auto again = v6(canonical);
  CHECK_TEXT(again.ok() && again.value() == r.value(), label.c_str());
}
}  // namespace

TEST_GROUP(ipv6_rfc4291){};

// RFC 4291 section 2.2: the three conventional forms.
TEST(ipv6_rfc4291, preferred_form) {
  check_canonical("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789");
  check_canonical("2001:DB8:0:0:8:800:200C:417A", "2001:db8::8:800:200c:417a");
}

TEST(ipv6_rfc4291, compressed_form) {
  check_canonical("2001:DB8::8:800:200C:417A", "2001:db8::8:800:200c:417a");
  check_canonical("FF01:0:0:0:0:0:0:101", "ff01::101");
  check_canonical("FF01::101", "ff01::101");
  check_canonical("0:0:0:0:0:0:0:1", "::1");
  check_canonical("::1", "::1");
  check_canonical("0:0:0:0:0:0:0:0", "::");
  check_canonical("::", "::");
}

TEST(ipv6_rfc4291, mixed_form) {
  check_canonical("0:0:0:0:0:0:13.1.68.3", "::d01:4403");  // glibc: "::13.1.68.3", see header
  check_canonical("0:0:0:0:0:FFFF:129.144.52.38", "::ffff:129.144.52.38");
  check_canonical("::13.1.68.3", "::d01:4403");
  check_canonical("::FFFF:129.144.52.38", "::ffff:129.144.52.38");
  check_canonical("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304");
  check_canonical("1::1.2.3.4", "1::102:304");
}

TEST_GROUP(ipv6_rfc5952){};

TEST(ipv6_rfc5952, leading_zeros_and_case) {
  check_canonical("2001:0db8::0001", "2001:db8::1");
  check_canonical("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1");
  check_canonical("2001:DB8::1", "2001:db8::1");
}

TEST(ipv6_rfc5952, double_colon_use) {
  check_canonical("2001:db8::0:1", "2001:db8::1");
  check_canonical("2001:db8:0:0:0::1", "2001:db8::1");
  check_canonical("2001:db8:0:0:0:0:2:1", "2001:db8::2:1");
  // A single 16-bit zero field is not shortened.
  check_canonical("2001:db8:0000:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
  check_canonical("2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
  // The longest run is shortened; on a tie, the first.
  check_canonical("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");
  check_canonical("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
  check_canonical("2001:db8::aaaa:0:0:1", "2001:db8::aaaa:0:0:1");
  check_canonical("2001:db8:0:0:aaaa::1", "2001:db8::aaaa:0:0:1");
  check_canonical("1::", "1::");
  check_canonical("1:0:0:0:0:0:0:0", "1::");
  check_canonical("0:0:0:0:0:0:0:1", "::1");
  check_canonical("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0");
  check_canonical("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8");  // "::" never stands for one group
}

TEST(ipv6_rfc5952, ipv4_mapped_uses_mixed_notation) {
  check_canonical("::ffff:c000:280", "::ffff:192.0.2.128");
  check_canonical("::ffff:0:0", "::ffff:0.0.0.0");
  // Not mapped: ::ffff:0:0:0/96 (SIIT) and 64:ff9b::/96 stay hex.
  check_canonical("::ffff:0:1.2.3.4", "::ffff:0:102:304");
  check_canonical("64:ff9b::1.2.3.4", "64:ff9b::102:304");
}

TEST_GROUP(ipv6_parse_errors){};

TEST(ipv6_parse_errors, rejects_with_reason_and_offset) {
  static const bad_input rows[] = {
      {"", errc::empty_input, 0},
      {":", errc::lone_colon, 0},
      {":1", errc::lone_colon, 0},
      {"1:", errc::lone_colon, 1},
      {"1::2:", errc::lone_colon, 4},
      {":::", errc::unexpected_character, 2},
      {"1:::2", errc::unexpected_character, 3},
      {"1:2:3:4:5:6:7", errc::too_few_groups, 13},
      {"1:2:3:4:5:6:7:8:9", errc::too_many_groups, 16},
      {"1:2:3:4:5:6:7:8::", errc::too_many_groups, 15},
      {"::1:2:3:4:5:6:7:8", errc::too_many_groups, 0},
      {"1:2:3:4:5:6::1.2.3.4", errc::too_many_groups, 11},
      {"1::2::3", errc::more_than_one_double_colon, 4},
      {"::1::", errc::more_than_one_double_colon, 3},
      {"12345::", errc::group_too_long, 4},
      {"1:00000::", errc::group_too_long, 6},
      {"1:2:3:4:5:6:7:1.2.3.4", errc::ipv4_tail_misplaced, 14},
      {"::1.2.3", errc::too_few_parts, 7},
      {"::01.2.3.4", errc::leading_zero, 2},
      {"::256.1.1.1", errc::part_out_of_range, 2},
      {"::ffff:1.2.3.4.5", errc::too_many_parts, 14},
      {"::1.2.3.4:5", errc::unexpected_character, 9},
      {"::1.2.3.4::", errc::unexpected_character, 9},
      {"::a.2.3.4", errc::unexpected_character, 2},
      {"::.1.2.3", errc::empty_part, 2},
      {"1.2.3.4", errc::too_few_groups, 7},
      {"::g", errc::unexpected_character, 2},
      {"1:2:3:4:5:6:7:8 ", errc::unexpected_character, 15},
      {" ::1", errc::unexpected_character, 0},
      {"[::1]", errc::unexpected_character, 0},
      {"fe80::1%eth0", errc::zone_not_permitted, 7},
      {std::string_view("::1\0", 4), errc::embedded_nul, 3},
      {std::string_view("::\0", 3), errc::embedded_nul, 2},
  };
  emsock_test::check_rejects(v6, rows);
}

TEST_GROUP(ipv6_format){};

TEST(ipv6_format, too_small_buffer_writes_nothing) {
  const auto a = v6("ffff:fdb8:aaaa:bbbb:cccc:dddd:eeee:ffff").value();  // 39 characters
  for (std::size_t size = 0; size <= 40; ++size) {
    char buf[41];
    std::memset(buf, '#', sizeof buf);
    const auto r = a.to_chars(buf, buf + size);
    if (size < 39) {
      CHECK(r.code() == errc::buffer_too_small);
      for (char c : buf) CHECK_EQUAL('#', c);
    } else {
      CHECK(r.code() == errc::ok);
      POINTERS_EQUAL(buf + 39, r.ptr);
      CHECK_EQUAL('#', buf[39]);
    }
  }
}

TEST(ipv6_format, max_text_len_fits_every_form) {
  char buf[ipv6_address::max_text_len];
  CHECK(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").value().to_chars(buf, buf + sizeof buf).code() == errc::ok);
  CHECK(v6("::ffff:255.255.255.255").value().to_chars(buf, buf + sizeof buf).code() == errc::ok);
}

TEST_GROUP(ipv6_bytes){};

TEST(ipv6_bytes, groups_and_bytes_are_network_order) {
  const auto a = v6("2001:db8::102:304").value();
  BYTES_EQUAL(0x20, a.bytes()[0]);
  BYTES_EQUAL(0x01, a.bytes()[1]);
  BYTES_EQUAL(0x0d, a.bytes()[2]);
  BYTES_EQUAL(0xb8, a.bytes()[3]);
  BYTES_EQUAL(0x04, a.bytes()[15]);
  UNSIGNED_LONGS_EQUAL(0x2001, a.group(0));
  UNSIGNED_LONGS_EQUAL(0x0304, a.group(7));
  CHECK(ipv6_address(a.bytes()) == a);
  CHECK(ipv6_address::from_groups({0x2001, 0xdb8, 0, 0, 0, 0, 0x102, 0x304}) == a);
}

TEST_GROUP(ipv6_classify){};

TEST(ipv6_classify, ranges) {
  CHECK(v6("::").value().is_unspecified());
  CHECK(v6("::1").value().is_loopback());
  CHECK_FALSE(v6("::2").value().is_loopback());
  CHECK_FALSE(v6("::").value().is_loopback());
  CHECK(v6("ff02::1").value().is_multicast());
  CHECK(v6("fe80::1").value().is_link_local());
  CHECK(v6("febf::1").value().is_link_local());
  CHECK_FALSE(v6("fec0::1").value().is_link_local());
  CHECK(v6("fd00::1").value().is_private());
  CHECK(v6("fc00::1").value().is_private());
  CHECK_FALSE(v6("fe00::1").value().is_private());
  CHECK(v6("::ffff:10.0.0.1").value().is_v4_mapped());
  CHECK_FALSE(v6("::10.0.0.1").value().is_v4_mapped());
  CHECK(v6("::ffff:10.0.0.1").value().to_v4() == emsock::ipv4_address(10, 0, 0, 1));
  CHECK(ipv6_address::v4_mapped(emsock::ipv4_address(10, 0, 0, 1)) == v6("::ffff:10.0.0.1").value());
}

TEST_GROUP(ipv6_scoped){};

TEST(ipv6_scoped, zone_ids) {
  const auto a = scoped("fe80::1%eth0");
  CHECK(a.ok());
  STRCMP_EQUAL("eth0", std::string(a.value().zone.view()).c_str());
  STRCMP_EQUAL("fe80::1%eth0", text_of(a.value()).c_str());
  STRCMP_EQUAL("fe80::1%2", text_of(scoped("FE80:0::1%2").value()).c_str());
  STRCMP_EQUAL("fe80::1", text_of(scoped("fe80::1").value()).c_str());
  CHECK(scoped("fe80::1%0123456789abcde").ok());  // 15 characters: the maximum
}

TEST(ipv6_scoped, rejects_with_reason_and_offset) {
  static const bad_input rows[] = {
      {"fe80::1%", errc::zone_empty, 8},
      {"fe80::1%0123456789abcdef", errc::zone_too_long, 23},
      {"fe80::1%eth 0", errc::unexpected_character, 11},
      {"fe80::1%eth0%1", errc::unexpected_character, 12},
      {"fe80::1x%eth0", errc::unexpected_character, 7},
      {"%eth0", errc::empty_input, 0},
      {std::string_view("fe80::1%et\0h", 12), errc::embedded_nul, 10},
  };
  emsock_test::check_rejects(scoped, rows);
}

TEST(ipv6_scoped, too_small_buffer_writes_nothing) {
  const auto a = scoped("fe80::1%eth0").value();
  char buf[12];
  std::memset(buf, '#', sizeof buf);
  CHECK(a.to_chars(buf, buf + 11).code() == errc::buffer_too_small);
  for (char c : buf) CHECK_EQUAL('#', c);
  CHECK(a.to_chars(buf, buf + 12).code() == errc::ok);
}

static_assert(ipv6_address::loopback().is_loopback());
static_assert(ipv6_address().is_unspecified());
static_assert(ipv6_address::from_groups({0xfe80, 0, 0, 0, 0, 0, 0, 1}).is_link_local());
static_assert(ipv6_address::v4_mapped(emsock::ipv4_address(1, 2, 3, 4)).is_v4_mapped());
static_assert(ipv6_address::v4_mapped(emsock::ipv4_address(1, 2, 3, 4)).to_v4().to_uint() == 0x01020304u);
static_assert(ipv6_address::from_groups({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}).group(1) == 0xdb8);
