// SPDX-License-Identifier: MIT
// IPv6: inet_pton-compatible parsing, RFC 5952 formatting, zone ids.
#include "emsock/ipv6_address.hpp"

#include <cstring>

#include "simd_parse.hpp"
#include "text_scan.hpp"

namespace emsock {
namespace {

constexpr std::size_t no_gap = static_cast<std::size_t>(-1);  // no "::" seen (any value above 8)

/// Parses text[0, n) into 16 network-order bytes. Groups are stored as they come; a "::" is
/// widened at the end by moving the groups after it to the back and zeroing the gap.
error parse_ipv6(const char* s, std::size_t n, std::uint8_t* out) noexcept {
  if (n == 0) return {errc::empty_input, 0};
  std::size_t count = 0;     // groups stored so far
  std::size_t gap = no_gap;  // index in groups where "::" stands
  std::size_t gap_at = 0;    // its offset in the text
  std::size_t i = 0;

  if (s[0] == ':') {
    // Only "::" may start the text.
    if (n < 2 || s[1] != ':') return {errc::lone_colon, 0};
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const std::size_t start = i;
    unsigned v = 0;
    unsigned digits = 0;
    for (unsigned h; i < n && (h = detail::hex_digit(s[i])) < 16; ++i) {
      if (digits == 4) return {errc::group_too_long, i};
      v = v << 4 | h;
      ++digits;
    }
    if (i < n && s[i] == '.') {
      // A dotted IPv4 tail takes the last two groups and ends the text.
      if (count > 6) return {errc::ipv4_tail_misplaced, start};
      const error e = detail::parse_ipv4_strict(s + start, n - start, out + 2 * count);
      if (e.code != errc::ok) return {e.code, start + e.offset};  // offsets in the whole text
      count += 2;
      break;
    }
    if (digits == 0) return detail::bad_character(s[i], i);
    if (count == 8) return {errc::too_many_groups, start};
    store_be16(out + 2 * count++, static_cast<std::uint16_t>(v));
    if (i == n) break;
    if (s[i] != ':') return detail::bad_character(s[i], i);
    if (++i == n) return {errc::lone_colon, i - 1};
    if (s[i] == ':') {
      if (gap != no_gap) return {errc::more_than_one_double_colon, i - 1};
      gap = count;
      gap_at = i - 1;
      ++i;
    }
  }

  if (gap == no_gap) return count == 8 ? error{} : error{errc::too_few_groups, n};
  if (count == 8) return {errc::too_many_groups, gap_at};  // "::" stands for at least one group
  const std::size_t zeros = 2 * (8 - count);
  std::memmove(out + 2 * gap + zeros, out + 2 * gap, 2 * (count - gap));
  std::memset(out + 2 * gap, 0, zeros);
  return {};
}

/// Group value without leading zeros, lowercase.
char* write_hex(char* p, unsigned v) noexcept {
#if EMSOCK_SMALL_CODE
  unsigned shift = 12;
  while (shift != 0 && (v >> shift) == 0) shift -= 4;
  for (;; shift -= 4) {
    const unsigned d = (v >> shift) & 0xf;
    *p++ = static_cast<char>(d < 10 ? '0' + d : 'a' - 10 + d);
    if (shift == 0) return p;
  }
#else
  constexpr char digits[] = "0123456789abcdef";
  if (v >= 0x1000) *p++ = digits[v >> 12];
  if (v >= 0x100) *p++ = digits[(v >> 8) & 0xf];
  if (v >= 0x10) *p++ = digits[(v >> 4) & 0xf];
  *p++ = digits[v & 0xf];
  return p;
#endif
}

/// RFC 5952 text of b[0..15] at p (at most 39 characters); returns the end.
char* write_ipv6(char* p, const std::uint8_t* b) noexcept {
  unsigned w[8];
  for (std::size_t k = 0; k < 8; ++k) w[k] = load_be16(b + 2 * k);

  if ((w[0] | w[1] | w[2] | w[3] | w[4]) == 0 && w[5] == 0xffff) {  // IPv4-mapped: ::ffff:a.b.c.d
    std::memcpy(p, "::ffff:", 7);
    return detail::write_ipv4(p + 7, b + 12);
  }
  // The longest run of two or more zero groups; the first one on a tie.
  std::size_t best = no_gap, best_len = 1, run = 0;
  for (std::size_t k = 0; k < 8; ++k) {
    run = w[k] == 0 ? run + 1 : 0;
    if (run > best_len) {
      best_len = run;
      best = k + 1 - run;
    }
  }
  for (std::size_t k = 0; k < 8; ++k) {
    if (k == best) {
      *p++ = ':';
      if (k == 0) *p++ = ':';
      k += best_len - 1;
      continue;
    }
    p = write_hex(p, w[k]);
    if (k < 7) *p++ = ':';
  }
  return p;
}

constexpr std::size_t longest_ipv6_text = 39;

}  // namespace

#if !EMSOCK_SMALL_CODE
error detail::parse_ipv6_scalar(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
  return parse_ipv6(s, n, out);
}
#endif

result<ipv6_address> ipv6_address::parse(std::string_view text) noexcept {
  bytes_type b;
#if EMSOCK_SMALL_CODE
  const error e = parse_ipv6(text.data(), text.size(), b.data());
#else
  const error e = detail::parse_ipv6_fast(text.data(), text.size(), b.data());  // vector path, then scalar
#endif
  if (e.code != errc::ok) return e;
  return ipv6_address(b);
}

to_chars_result ipv6_address::to_chars(char* first, char* last) const noexcept {
  return detail::format_to(first, last, longest_ipv6_text, write_ipv6, bytes_.data());
}

result<zone_id> zone_id::parse(std::string_view text) noexcept {
  if (text.empty()) return error{errc::zone_empty, 0};
  zone_id z;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ok = detail::decimal_digit(c) <= 9 || static_cast<unsigned>((c | 0x20) - 'a') < 26 || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return c == '\0' ? error{errc::embedded_nul, i} : error{errc::unexpected_character, i};
    if (i == max_len) return error{errc::zone_too_long, i};
    z.chars_[i] = c;
  }
  z.len_ = static_cast<std::uint8_t>(text.size());
  return z;
}

result<scoped_ipv6_address> scoped_ipv6_address::parse(std::string_view text) noexcept {
  const std::size_t pct = text.find('%');
  const bool has_zone = pct != std::string_view::npos;
  scoped_ipv6_address a;
  auto address = ipv6_address::parse(detail::sub(text, 0, has_zone ? pct : text.size()));
  if (!address) return address.err();
  a.address = *address;
  if (has_zone) {
    auto zone = zone_id::parse(detail::sub(text, pct + 1, text.size()));
    if (!zone) return error{zone.code(), pct + 1 + zone.offset()};
    a.zone = *zone;
  }
  return a;
}

to_chars_result scoped_ipv6_address::to_chars(char* first, char* last) const noexcept {
  char buf[max_text_len];
  char* p = write_ipv6(buf, address.bytes().data());
  if (!zone.empty()) {
    *p++ = '%';
    std::memcpy(p, zone.view().data(), zone.size());
    p += zone.size();
  }
  return detail::copy_out(buf, p, first, last);
}

}  // namespace emsock
