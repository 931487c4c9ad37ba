// SPDX-License-Identifier: MIT
#include <cstring>
#include <string>

#include <CppUTest/TestHarness.h>

#include "emsock/ipv4_address.hpp"
#include "test_support.hpp"

using emsock::errc;
using emsock::ipv4_address;
using emsock_test::bad_input;
using emsock_test::text_of;

namespace {
emsock::result<ipv4_address> strict(std::string_view t) { return ipv4_address::parse(t); }
emsock::result<ipv4_address> legacy(std::string_view t) { return ipv4_address::parse_legacy(t); }

void check_accepts(emsock::result<ipv4_address> (*parse)(std::string_view), std::string_view text,
                   std::uint32_t expected) {
  const auto r = parse(text);
  const std::string label = "input \"" + std::string(text) + "\"";
  CHECK_TEXT(r.ok(), (label + ": " + emsock::name(r.code())).c_str());
  UNSIGNED_LONGS_EQUAL_TEXT(expected, r.value().to_uint(), label.c_str());
}
}  // namespace

TEST_GROUP(ipv4_strict_parse){};

TEST(ipv4_strict_parse, accepts_dotted_quads) {
  check_accepts(strict, "0.0.0.0", 0);
  check_accepts(strict, "127.0.0.1", 0x7f000001);
  check_accepts(strict, "255.255.255.255", 0xffffffff);
  check_accepts(strict, "192.168.1.10", 0xc0a8010a);
  check_accepts(strict, "10.0.100.99", 0x0a006463);
}

TEST(ipv4_strict_parse, rejects_with_reason_and_offset) {
  static const bad_input rows[] = {
      {"", errc::empty_input, 0},
      {"1.2.3", errc::too_few_parts, 5},
      {"1", errc::too_few_parts, 1},
      {"1.2.3.4.5", errc::too_many_parts, 7},
      {"1.2.3.4.", errc::too_many_parts, 7},
      {"1..3.4", errc::empty_part, 2},
      {".1.2.3", errc::empty_part, 0},
      {"1.2.3.", errc::empty_part, 6},
      {"01.2.3.4", errc::leading_zero, 0},
      {"1.2.3.00", errc::leading_zero, 6},
      {"1.2.256.4", errc::part_out_of_range, 4},
      {"1.2.3.1000", errc::part_out_of_range, 6},
      {"1.2.3.4 ", errc::unexpected_character, 7},
      {"1.2.3.4 junk", errc::unexpected_character, 7},
      {" 1.2.3.4", errc::unexpected_character, 0},
      {"1.2.3.-4", errc::unexpected_character, 6},
      {"1.2.3.+4", errc::unexpected_character, 6},
      {"0x7f.0.0.1", errc::unexpected_character, 1},
      {"1.2.3.a", errc::unexpected_character, 6},
      {"127.1", errc::too_few_parts, 5},
      {std::string_view("1.2\0.3.4", 8), errc::embedded_nul, 3},
      {std::string_view("1.2.3.4\0", 8), errc::embedded_nul, 7},
      {"1.2.3.4%eth0", errc::zone_not_permitted, 7},
      {"::1", errc::unexpected_character, 0},
  };
  emsock_test::check_rejects(strict, rows);
}

TEST(ipv4_strict_parse, uses_only_the_given_view) {
  // No NUL needed: the view ends before the rest of the buffer.
  const char buffer[] = "10.1.2.34567";
  check_accepts(strict, std::string_view(buffer, 8), 0x0a010203);
}

TEST_GROUP(ipv4_legacy_parse){};

TEST(ipv4_legacy_parse, accepts_inet_aton_forms) {
  check_accepts(legacy, "127.1", 0x7f000001);
  check_accepts(legacy, "127.0.1", 0x7f000001);
  check_accepts(legacy, "1.2.3.4", 0x01020304);
  check_accepts(legacy, "2130706433", 0x7f000001);
  check_accepts(legacy, "0x7f000001", 0x7f000001);
  check_accepts(legacy, "0x7f.1", 0x7f000001);
  check_accepts(legacy, "0X7F.0X1", 0x7f000001);
  check_accepts(legacy, "017.0.0.1", 0x0f000001);
  check_accepts(legacy, "0", 0);
  check_accepts(legacy, "00", 0);
  check_accepts(legacy, "0x0", 0);
  check_accepts(legacy, "10.0x10203", 0x0a010203);
  check_accepts(legacy, "10.1.0xffff", 0x0a01ffff);
  check_accepts(legacy, "4294967295", 0xffffffff);
  check_accepts(legacy, "037777777777", 0xffffffff);
  check_accepts(legacy, "0xffffffff", 0xffffffff);
  check_accepts(legacy, "0x00000000000000ff", 0xff);
  check_accepts(legacy, "1.2.3.0377", 0x010203ff);
}

TEST(ipv4_legacy_parse, rejects_with_reason_and_offset) {
  static const bad_input rows[] = {
      {"", errc::empty_input, 0},
      {"1.2.3.4 junk", errc::unexpected_character, 7},  // glibc accepts this; emsock does not
      {"1.2.3.4\n", errc::unexpected_character, 7},
      {"4294967296", errc::part_out_of_range, 0},  // lwIP wraps this to 0.0.0.0
      {"0x100000000", errc::part_out_of_range, 0},
      {"1.16777216", errc::part_out_of_range, 2},
      {"1.2.65536", errc::part_out_of_range, 4},
      {"1.2.3.256", errc::part_out_of_range, 6},
      {"256.1", errc::part_out_of_range, 0},
      {"08", errc::bad_octal_digit, 1},
      {"1.019", errc::bad_octal_digit, 4},
      {"0x", errc::empty_hex_number, 0},
      {"1.0x.3", errc::empty_hex_number, 2},
      {"1.2.3.4.5", errc::too_many_parts, 7},
      {"1..2", errc::empty_part, 2},
      {"1.", errc::empty_part, 2},
      {".1", errc::empty_part, 0},
      {"-1", errc::unexpected_character, 0},
      {"0x1g", errc::unexpected_character, 3},
      {"1a", errc::unexpected_character, 1},
      {std::string_view("127\0.1", 6), errc::embedded_nul, 3},
  };
  emsock_test::check_rejects(legacy, rows);
}

TEST_GROUP(ipv4_format){};

TEST(ipv4_format, writes_dotted_quad) {
  STRCMP_EQUAL("0.0.0.0", text_of(ipv4_address()).c_str());
  STRCMP_EQUAL("127.0.0.1", text_of(ipv4_address::loopback()).c_str());
  STRCMP_EQUAL("255.255.255.255", text_of(ipv4_address::broadcast()).c_str());
  STRCMP_EQUAL("10.9.100.199", text_of(ipv4_address(10, 9, 100, 199)).c_str());
}

TEST(ipv4_format, too_small_buffer_writes_nothing) {
  const ipv4_address a(192, 168, 100, 200);  // 15 characters
  for (std::size_t size = 0; size <= ipv4_address::max_text_len; ++size) {
    char buf[ipv4_address::max_text_len + 1];
    std::memset(buf, '#', sizeof buf);
    const auto r = a.to_chars(buf, buf + size);
    if (size < 15) {
      CHECK(r.code() == errc::buffer_too_small);
      POINTERS_EQUAL(buf + size, r.ptr);
      for (char c : buf) CHECK_EQUAL('#', c);
    } else {
      CHECK(r.code() == errc::ok);
      STRNCMP_EQUAL("192.168.100.200", buf, 15);
      CHECK_EQUAL('#', buf[15]);  // no NUL written
    }
  }
}

TEST(ipv4_format, exact_fit_of_shorter_text) {
  char buf[7];
  const auto r = ipv4_address(1, 2, 3, 4).to_chars(buf, buf + 7);
  CHECK(r.code() == errc::ok);
  POINTERS_EQUAL(buf + 7, r.ptr);
  STRNCMP_EQUAL("1.2.3.4", buf, 7);
}

TEST_GROUP(ipv4_integer){};

TEST(ipv4_integer, host_order_value_like_struct_unpack_network_long) {
  UNSIGNED_LONGS_EQUAL(2130706433u, ipv4_address::loopback().to_uint());
  CHECK(ipv4_address::from_uint(2130706433u) == ipv4_address(127, 0, 0, 1));
  CHECK(ipv4_address::from_uint(0xc0a80001u) == ipv4_address(192, 168, 0, 1));
}

TEST(ipv4_integer, bytes_are_network_order_on_every_host) {
  const auto a = ipv4_address::from_uint(0x01020304u);
  BYTES_EQUAL(1, a.bytes()[0]);
  BYTES_EQUAL(4, a.bytes()[3]);
  // The network-order value has the bytes' layout in memory, whatever the host's byte order.
  const std::uint32_t s_addr = a.to_network_uint();
  unsigned char mem[4];
  std::memcpy(mem, &s_addr, 4);
  BYTES_EQUAL(1, mem[0]);
  BYTES_EQUAL(2, mem[1]);
  BYTES_EQUAL(3, mem[2]);
  BYTES_EQUAL(4, mem[3]);
  CHECK(ipv4_address::from_network_uint(s_addr) == a);
}

TEST_GROUP(ipv4_classify){};

TEST(ipv4_classify, ranges) {
  CHECK(ipv4_address().is_unspecified());
  CHECK(ipv4_address(127, 255, 0, 1).is_loopback());
  CHECK_FALSE(ipv4_address(128, 0, 0, 1).is_loopback());
  CHECK(ipv4_address(224, 0, 0, 251).is_multicast());
  CHECK(ipv4_address(239, 255, 255, 255).is_multicast());
  CHECK_FALSE(ipv4_address(240, 0, 0, 1).is_multicast());
  CHECK(ipv4_address(169, 254, 1, 1).is_link_local());
  CHECK_FALSE(ipv4_address(169, 253, 1, 1).is_link_local());
  CHECK(ipv4_address(10, 1, 2, 3).is_private());
  CHECK(ipv4_address(172, 16, 0, 1).is_private());
  CHECK(ipv4_address(172, 31, 255, 255).is_private());
  CHECK_FALSE(ipv4_address(172, 32, 0, 1).is_private());
  CHECK_FALSE(ipv4_address(172, 15, 0, 1).is_private());
  CHECK(ipv4_address(192, 168, 0, 1).is_private());
  CHECK_FALSE(ipv4_address(192, 169, 0, 1).is_private());
  CHECK(ipv4_address::broadcast().is_broadcast());
}

// Compile-time: integer and byte conversion, classification, byte order.
static_assert(ipv4_address::from_uint(0x7f000001).bytes()[0] == 127);
static_assert(ipv4_address(127, 0, 0, 1).to_uint() == 2130706433u);
static_assert(ipv4_address::from_uint(0xdeadbeef).to_uint() == 0xdeadbeef);
static_assert(ipv4_address(10, 0, 0, 1).is_private());
static_assert(!ipv4_address(8, 8, 8, 8).is_private());
static_assert(emsock::load_be32(ipv4_address(1, 2, 3, 4).bytes().data()) == 0x01020304u);
static_assert(emsock::network_to_host32(emsock::host_to_network32(0x12345678u)) == 0x12345678u);
static_assert(emsock::byte_swap32(0x12345678u) == 0x78563412u);
static_assert(emsock::byte_swap16(0x1234u) == 0x3412u);
