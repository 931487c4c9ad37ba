// SPDX-License-Identifier: MIT
// tests/core/simd_parse_test.cpp - each vector path of the address parsers (core/src/simd_parse.hpp)
// against the scalar parser on edge inputs: same error (code and offset) or same bytes, and the vector
// code alone accepts exactly what the scalar parser accepts. A path this build or CPU lacks is a
// visible skip. The small build has no vector path and no test here (its core image may not skip).
#include <CppUTest/TestHarness.h>

#include "simd_parse.hpp"

#if !EMSOCK_SMALL_CODE

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "emsock/error.hpp"
#include "skip.hpp"

namespace {

using emsock::errc;
using emsock::error;
using emsock::detail::parse_path;

/// The path called `name`, or a skip that says why it cannot run here.
const parse_path& usable(const char* name) {
  const parse_path* p = emsock::detail::find_parse_path(name);
  if (p == nullptr) EMSOCK_SKIP((std::string(name) + " path: not built for this architecture").c_str());
  if (!p->available()) EMSOCK_SKIP((std::string(name) + " path: this CPU lacks it").c_str());
  return *p;
}

std::string shown(std::string_view t) {
  std::string s = "\"";
  for (const char c : t) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      s += b;
    } else {
      s += c;
    }
  }
  return s + "\"";
}

/// The path against the scalar parser on text[0, n) of `memory` (the bytes after n are there, so a
/// read past the text would see them; the sanitizer build also copies the text to an exact block).
template <std::size_t N>
void compare(error (*scalar)(const char*, std::size_t, std::uint8_t*) noexcept,
             error (*parse)(const char*, std::size_t, std::uint8_t*) noexcept,
             bool (*try_)(const char*, std::size_t, std::uint8_t*) noexcept, const char* memory, std::size_t n) {
  const std::string label = "input " + shown(std::string_view(memory, n));
  std::uint8_t want[N] = {}, got[N] = {}, vec[N] = {};
  const error e = scalar(memory, n, want);
  const error g = parse(memory, n, got);
  CHECK_TEXT(g == e, (label + ": path " + emsock::name(g.code) + " at " + std::to_string(g.offset) + ", scalar " +
                      emsock::name(e.code) + " at " + std::to_string(e.offset))
                         .c_str());
  const bool ok = try_(memory, n, vec);
  CHECK_TEXT(ok == (e.code == errc::ok), (label + (ok ? ": vector code accepts" : ": vector code declines")).c_str());
  if (e.code == errc::ok) {
    MEMCMP_EQUAL_TEXT(want, got, N, label.c_str());
    MEMCMP_EQUAL_TEXT(want, vec, N, label.c_str());
  }
  // The same text alone in a block of exactly its size.
  const std::unique_ptr<char[]> exact(new char[n]);
  if (n != 0) std::memcpy(exact.get(), memory, n);
  std::uint8_t again[N] = {};
  CHECK_TEXT(parse(exact.get(), n, again) == e, label.c_str());
}

void compare_ipv4(const parse_path& p, std::string_view t) {
  compare<4>(emsock::detail::parse_ipv4_scalar, p.parse_ipv4, p.try_ipv4, t.data(), t.size());
}
void compare_ipv6(const parse_path& p, std::string_view t) {
  compare<16>(emsock::detail::parse_ipv6_scalar, p.parse_ipv6, p.try_ipv6, t.data(), t.size());
}

/// Every prefix (length 0..size) of each text, so that every length is seen, in and out of range.
template <class Compare>
void every_prefix(const parse_path& p, std::string_view t, Compare compare_one) {
  for (std::size_t n = 0; n <= t.size(); ++n) compare_one(p, t.substr(0, n));
}

const std::string_view ipv4_edges[] = {
    "0.0.0.0", "255.255.255.255", "1.2.3.4", "192.168.100.200", "10.0.0.1", "9.99.199.249", "100.10.1.0",
    "255.255.255.256", "256.255.255.255", "255.256.255.255", "255.255.256.255", "300.1.1.1", "999.999.999.999",
    "01.2.3.4", "1.02.3.4", "1.2.003.4", "1.2.3.04", "00.0.0.0", "0.0.0.00", "1.2.3.4.", ".1.2.3.4", "1..2.3",
    "1.2.3.", "1.2.3", "1.2.3.4.5", "1.2.3.a", "a.1.2.3", "1.2.3.4a", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
    "1.2.3:4", "1.2.3.4%", "1.2.3.4/8", "1.2.3.\xff", "1.2.3.\x80", "1.2.3./", "1.2.3.:", "1234.1.1.1",
    "1.2.3.1234", "255.255.255.2555", "1.2.3.4\t", "0x1.2.3.4", "\xb0.1.2.3",
    std::string_view("1.2.3.4\0", 8), std::string_view("1.2\0.3.4", 8), std::string_view("\0\0\0\0\0\0\0", 7),
    "1.1.1.1.1.1.1.1", "111.111.111.111", "111.111.111.1111", "111.111.111.111.", "1111.111.111.111",
};

}  // namespace

TEST_GROUP(simd_parse){};

// Edge inputs: every prefix of each, and the vector code's own acceptance.
static void ipv4_edges_on(const char* name) {
  const parse_path& p = usable(name);
  for (const std::string_view t : ipv4_edges) every_prefix(p, t, compare_ipv4);
  // Every length 0..20 from a run of digits and dots, and the texts exactly 15 and 16 bytes long.
  every_prefix(p, "255.255.255.255.255", compare_ipv4);
  every_prefix(p, "1.2.3.4.5.6.7.8.9.0.1", compare_ipv4);
  every_prefix(p, "12345678901234567890", compare_ipv4);
  every_prefix(p, "................", compare_ipv4);
  compare_ipv4(p, "255.255.255.255");   // 15
  compare_ipv4(p, "255.255.255.2550");  // 16
  // The next byte in memory is a digit (or a dot): the parse must stop at the text's end.
  static const char memory[] = "1.2.3.45678.9";
  for (std::size_t n = 0; n < sizeof memory - 1; ++n)
    compare<4>(emsock::detail::parse_ipv4_scalar, p.parse_ipv4, p.try_ipv4, memory, n);
  static const char longest[] = "255.255.255.2551";
  compare<4>(emsock::detail::parse_ipv4_scalar, p.parse_ipv4, p.try_ipv4, longest, 15);
  // The vector code itself takes the common forms (it is really used, not always declining).
  std::uint8_t b[4];
  CHECK(p.try_ipv4("255.255.255.255", 15, b));
  MEMCMP_EQUAL("\xff\xff\xff\xff", b, 4);
  CHECK(p.try_ipv4("0.0.0.0", 7, b));
  MEMCMP_EQUAL("\0\0\0\0", b, 4);
  CHECK(p.try_ipv4("192.168.1.10", 12, b));
  MEMCMP_EQUAL("\xc0\xa8\x01\x0a", b, 4);
  CHECK_FALSE(p.try_ipv4("01.2.3.4", 8, b));
}

// Every combination of part lengths (81 patterns) with digits that give the largest, smallest and a
// leading-zero value of each length.
static void ipv4_patterns_on(const char* name) {
  const parse_path& p = usable(name);
  static const char* const parts[3][4] = {{"0", "9", "5", "1"}, {"10", "99", "09", "00"}, {"255", "256", "100", "099"}};
  for (unsigned pattern = 0; pattern < 81; ++pattern) {
    const unsigned len[4] = {pattern / 27, pattern / 9 % 3, pattern / 3 % 3, pattern % 3};
    for (unsigned variant = 0; variant < 4 * 4; ++variant) {
      std::string t;
      for (unsigned k = 0; k < 4; ++k) {
        if (k != 0) t += '.';
        t += parts[len[k]][k == variant / 4 ? variant % 4 : 0];
      }
      compare_ipv4(p, t);
    }
  }
}

TEST(simd_parse, ipv4_sse41_edges) { ipv4_edges_on("sse4.1"); }
TEST(simd_parse, ipv4_neon_edges) { ipv4_edges_on("neon"); }
TEST(simd_parse, ipv4_sse41_length_patterns) { ipv4_patterns_on("sse4.1"); }
TEST(simd_parse, ipv4_neon_length_patterns) { ipv4_patterns_on("neon"); }

namespace {

const std::string_view ipv6_edges[] = {
    "::", "::1", "1::", "1::2", ":::", "::::", ":", "1:", ":1", "1:2", "::1:", ":1::", "1::2::3", "1:::2",
    "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::8",
    "1::3:4:5:6:7:8", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffff",
    "0000:0000:0000:0000:0000:0000:0000:0000", "2001:DB8::1", "2001:dB8:AbC:dEf::1", "2001:db8::g",
    "12345::", "1:22:333:4444::", "fe80::1%eth0", "fe80::1%", "fe80::%1", "%", "::%", "::1 ", " ::1", "[::1]",
    "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::1.2.3.4", "::0.0.0.0", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
    "1::2:3:4:5:6:1.2.3.4", "1::2:3:4:5:1.2.3.4", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555", "::01.2.3.4", "::1.2.3", "::1.2.3.4.5", "::1.2.3.4:1",
    "1.2.3.4::", "::256.1.1.1", "::1234.1.1.1", "::a.1.2.3", "1.2.3.4", "::1.2.3.4%eth0", ":1.2.3.4",
    "1:1.2.3.4", "::ffff:1.2.3.4.", "::ffff:.1.2.3.4", "::ffff::1.2.3.4", "1:::1.2.3.4", "::1:2:3:4:5:1.2.3.4",
    "::1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::12.34.56.78", "::ffff:001.2.3.4",
    std::string_view("::1\0", 4), std::string_view("1::\0", 4), std::string_view("::\0:1", 5),
    "\xff::", "::\x80", "1:2:3:4:5:6:7:8/64", "::g", "g::",
};

}  // namespace

static void ipv6_edges_on(const char* name) {
  const parse_path& p = usable(name);
  for (const std::string_view t : ipv6_edges) every_prefix(p, t, compare_ipv6);
  // "::" at each position and of each length, with short and long groups, also before an IPv4 tail.
  for (unsigned tail = 0; tail < 2; ++tail) {
    const unsigned groups = tail ? 6 : 8;
    for (unsigned at = 0; at <= groups; ++at) {
      for (unsigned len = 0; at + len <= groups; ++len) {
        for (const char* group : {"1", "abcd", "F00"}) {
          std::string t;
          for (unsigned k = 0; k < groups; ++k) {
            if (len != 0 && k == at) {
              t += "::";
              k += len - 1;
              continue;
            }
            if (!t.empty() && t.back() != ':') t += ':';
            t += group;
          }
          if (tail) {
            if (!t.empty() && t.back() != ':') t += ':';
            t += "192.0.2.33";
          }
          compare_ipv6(p, t);
        }
      }
    }
  }
  // Every length 0..48 from full groups, and the next byte in memory a hex digit or a colon.
  every_prefix(p, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff", compare_ipv6);
  every_prefix(p, "1111:2222:3333:4444:5555:6666:255.255.255.255.5", compare_ipv6);
  static const char memory[] = "2001:db8::1234:5678:9abc:def0:1234:5678:9abc";
  for (std::size_t n = 0; n < sizeof memory - 1; ++n)
    compare<16>(emsock::detail::parse_ipv6_scalar, p.parse_ipv6, p.try_ipv6, memory, n);
  // The vector code itself takes the common forms.
  std::uint8_t b[16];
  CHECK(p.try_ipv6("::", 2, b));
  MEMCMP_EQUAL(std::string(16, '\0').data(), b, 16);
  CHECK(p.try_ipv6("2001:DB8::1", 11, b));
  MEMCMP_EQUAL("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", b, 16);
  CHECK(p.try_ipv6("::ffff:192.0.2.33", 17, b));
  MEMCMP_EQUAL("\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x21", b, 16);
  CHECK_FALSE(p.try_ipv6("fe80::1%eth0", 12, b));
}

TEST(simd_parse, ipv6_sse41_edges) { ipv6_edges_on("sse4.1"); }
TEST(simd_parse, ipv6_neon_edges) { ipv6_edges_on("neon"); }

#endif  // !EMSOCK_SMALL_CODE
