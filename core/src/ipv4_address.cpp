// SPDX-License-Identifier: MIT
// IPv4: strict (inet_pton) and legacy (inet_aton) parsing, dotted-quad formatting.
#include "emsock/ipv4_address.hpp"

#include <cstring>

#include "simd_parse.hpp"
#include "text_scan.hpp"

namespace emsock {
namespace detail {

error parse_ipv4_strict(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  if (n == 0) return {errc::empty_input, 0};
  std::size_t i = 0;
  for (unsigned part = 0;; ++part) {
    const std::size_t start = i;
    // A part is 1-3 decimal digits, no leading zero, at most 255.
    if (i == n) return {errc::empty_part, i};
    unsigned v = decimal_digit(s[i]);
    if (v > 9) return s[i] == '.' ? error{errc::empty_part, i} : bad_character(s[i], i);
    ++i;
    for (unsigned d; i < n && (d = decimal_digit(s[i])) <= 9; ++i) {
      if (v == 0) return {errc::leading_zero, start};
      v = v * 10 + d;
      if (v > 255) return {errc::part_out_of_range, start};
    }
    out[part] = static_cast<std::uint8_t>(v);
    if (part == 3) break;
    if (i == n) return {errc::too_few_parts, n};
    if (s[i] != '.') return bad_character(s[i], i);
    ++i;
  }
  if (i != n) return s[i] == '.' ? error{errc::too_many_parts, i} : bad_character(s[i], i);
  return {};
}

#if EMSOCK_SMALL_CODE
char* write_ipv4(char* p, const std::uint8_t* b) noexcept {
  for (unsigned k = 0; k < 4; ++k) {
    unsigned v = b[k];
    char digits[3];
    unsigned n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n != 0) *p++ = digits[--n];
    if (k < 3) *p++ = '.';
  }
  return p;
}
#else
namespace {

/// 1 KB: the decimal text of every octet value and a '.', first character in the low byte. One
/// load and one store per octet, instead of divisions and branches that random octets mispredict.
struct octet_text_table {
  std::uint32_t word[256];
  constexpr octet_text_table() noexcept : word{} {
    for (unsigned v = 0; v < 256; ++v) {
      const unsigned text[] = {'0' + v / 100, '0' + v / 10 % 10, '0' + v % 10, '.'};
      const unsigned skip = v >= 100 ? 0 : v >= 10 ? 1 : 2;  // no leading zeros
      for (unsigned i = skip; i < 4; ++i) word[v] |= std::uint32_t{text[i]} << 8 * (i - skip);
    }
  }
};
constexpr octet_text_table octet_text{};

}  // namespace

char* write_ipv4(char* p, const std::uint8_t* b) noexcept {
  // Each word goes out whole; the next octet overwrites what follows its text. The last '.' is dropped.
  for (unsigned k = 0; k < 4; ++k) {
    const unsigned v = b[k];
    store_le32(p, octet_text.word[v]);
    p += 2 + (v >= 10) + (v >= 100);
  }
  return p - 1;
}
#endif

to_chars_result copy_out(const char* src, const char* src_end, char* first, char* last) noexcept {
  const auto n = static_cast<std::size_t>(src_end - src);
  if (first > last || static_cast<std::size_t>(last - first) < n) return {last, errc::buffer_too_small};
  std::memcpy(first, src, n);
  return {first + n, errc::ok};
}

}  // namespace detail

result<ipv4_address> ipv4_address::parse(std::string_view text) noexcept {
  bytes_type b;
#if EMSOCK_SMALL_CODE
  const error e = detail::parse_ipv4_strict(text.data(), text.size(), b.data());
#else
  const error e = detail::parse_ipv4_fast(text.data(), text.size(), b.data());  // vector path, then scalar
#endif
  if (e.code != errc::ok) return e;
  return ipv4_address(b);
}

result<ipv4_address> ipv4_address::parse_legacy(std::string_view text) noexcept {
  using detail::bad_character;
  using detail::decimal_digit;
  const char* const s = text.data();
  const std::size_t n = text.size();
  if (n == 0) return error{errc::empty_input, 0};

  constexpr std::uint64_t part_max = 0xffffffffu;
  std::uint32_t value = 0;  // the bytes of the parts before the last, already shifted into place
  std::size_t i = 0;
  for (unsigned count = 0;; ++count) {
    const std::size_t start = i;
    if (i == n) return error{errc::empty_part, i};
    const char c = s[i];
    if (decimal_digit(c) > 9) return c == '.' ? error{errc::empty_part, i} : bad_character(c, i);

    // One part, as C's strtoul with base 0 reads it: 0x hex, 0 octal, else decimal.
    std::uint64_t v = 0;
    if (c == '0' && i + 1 < n && (s[i + 1] | 0x20) == 'x') {
      i += 2;
      const std::size_t digits = i;
      for (unsigned h; i < n && (h = detail::hex_digit(s[i])) < 16; ++i) {
        v = v * 16 + h;
        if (v > part_max) return error{errc::part_out_of_range, start};
      }
      if (i == digits) return error{errc::empty_hex_number, start};
    } else {
      const unsigned radix = c == '0' ? 8 : 10;
      for (unsigned d; i < n && (d = decimal_digit(s[i])) <= 9; ++i) {
        if (d >= radix) return error{errc::bad_octal_digit, i};
        v = v * radix + d;
        if (v > part_max) return error{errc::part_out_of_range, start};
      }
    }

    if (i < n && s[i] == '.') {
      // Every part before the last is one byte; at most three of them.
      if (count == 3) return error{errc::too_many_parts, i};
      if (v > 0xff) return error{errc::part_out_of_range, start};
      value |= static_cast<std::uint32_t>(v) << (24 - 8 * count);
      ++i;
      continue;
    }
    // No trailing text at all (glibc stops at white space; emsock does not).
    if (i != n) return bad_character(s[i], i);
    // The last part fills the bytes left: 32, 24, 16 or 8 bits.
    if (v > (part_max >> (8 * count))) return error{errc::part_out_of_range, start};
    return from_uint(value | static_cast<std::uint32_t>(v));
  }
}

to_chars_result ipv4_address::to_chars(char* first, char* last) const noexcept {
#if !EMSOCK_SMALL_CODE
  // The text built in two 64-bit registers, octets 0-1 and octets 2-3 (each octet's table word is its
  // digits and '.', zeros above), then stored as two overlapping words of exactly its length: no
  // local buffer to copy from, nothing written after the text.
  const unsigned v0 = bytes_[0], v1 = bytes_[1], v2 = bytes_[2], v3 = bytes_[3];
  const unsigned l0 = 2u + (v0 >= 10) + (v0 >= 100), l1 = 2u + (v1 >= 10) + (v1 >= 100);  // with the '.'
  const unsigned l2 = 2u + (v2 >= 10) + (v2 >= 100), l3 = 1u + (v3 >= 10) + (v3 >= 100);  // the last has none
  const std::uint64_t front = detail::octet_text.word[v0] | std::uint64_t{detail::octet_text.word[v1]} << 8 * l0;
  const std::uint64_t back = detail::octet_text.word[v2] | std::uint64_t{detail::octet_text.word[v3]} << 8 * l2;
  const unsigned split = l0 + l1;    // where `back` starts: 4..8
  const unsigned n = split + l2 + l3;  // 7..15
  if (first > last || static_cast<std::size_t>(last - first) < n) return {last, errc::buffer_too_small};
  if (n >= 8) {
    // [0, 8) and [n - 8, n); the shifts stay below 64 (split <= 8, n - split = 3..7).
    detail::store_le64(first, front | back << (8 * split - 1) << 1);
    detail::store_le64(first + n - 8, front >> 8 * (n - 8) | back << 8 * (8 - (n - split)));
  } else {  // "a.b.c.d": [0, 4) and [3, 7)
    detail::store_le32(first, static_cast<std::uint32_t>(front));
    detail::store_le32(first + 3, static_cast<std::uint32_t>(front >> 24 | back << 8));
  }
  return {first + n, errc::ok};
#else
  return detail::format_to(first, last, detail::write_ipv4, bytes_.data());
#endif
}

}  // namespace emsock
