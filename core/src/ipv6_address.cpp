// SPDX-License-Identifier: MIT
// IPv6: inet_pton-compatible parsing, RFC 5952 formatting, zone ids.
#include "emsock/ipv6_address.hpp"

#include <cstring>

#include "simd_parse.hpp"
#include "text_scan.hpp"
#if !EMSOCK_SMALL_CODE && defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if EMSOCK_SMALL_CODE
/// Group value without leading zeros, lowercase.
char* write_hex(char* p, unsigned v) noexcept {
  unsigned shift = 12;
  while (shift != 0 && (v >> shift) == 0) shift -= 4;
  for (;; shift -= 4) {
    const unsigned d = (v >> shift) & 0xf;
    *p++ = static_cast<char>(d < 10 ? '0' + d : 'a' - 10 + d);
    if (shift == 0) return p;
  }
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
#else
/// 1.25 KB: for each set of zero groups (bit k: group k is zero), how the RFC 5952 "::" run (the
/// longest of two or more zero groups, the first on a tie) changes the groups' text.
struct zero_run_table {
  /// Bits 4k..4k+3: the characters group k drops besides its leading zeros (a zero group's text is
  /// "0:"): 2 inside the run (nothing left), 1 at its start (":"), 0 at its start when it starts
  /// the text ("::": that slot holds colons only).
  std::uint32_t drops[256];
  /// Bits 0..3: the run's first group (8: no run, the spare slot). Bit 4: the text ends with the
  /// last group's ':', to be dropped (not with the run's "::").
  std::uint8_t first[256];
  constexpr zero_run_table() noexcept : drops{}, first{} {
    for (unsigned zeros = 0; zeros < 256; ++zeros) {
      unsigned start = 8, best = 0, len = 0;
      for (unsigned k = 0; k < 8; ++k) {
        len = (zeros >> k & 1) != 0 ? len + 1 : 0;
        if (len >= 2 && len > best) {
          best = len;
          start = k + 1 - len;
        }
      }
      for (unsigned k = start; k < start + best; ++k) drops[zeros] |= (k != start ? 2u : start != 0 ? 1u : 0u) << 4 * k;
      first[zeros] = static_cast<std::uint8_t>(start | unsigned{best == 0 || start + best != 8} << 4);
    }
  }
};
constexpr zero_run_table zero_runs{};

/// What write_ipv6 needs of the 16 bytes besides their digits.
struct group_facts {
  unsigned zeros;           ///< bit k: group k is zero
  std::uint32_t leading;    ///< bits 4k..4k+3: group k's leading zero digits, 0..3 (its last digit stays)
};

/// The eight groups' four hex digits (lowercase, leading zeros kept) at slots + 8k, each followed by
/// four ':', and the groups' facts. SSE2 (x86-64's baseline) does all groups at once, elsewhere
/// 64-bit words do two at a time. slots[64, 72) is write_ipv6's spare slot.
inline group_facts hex_slots(const std::uint8_t* b, char* slots) noexcept {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
  const __m128i low4 = _mm_set1_epi8(0x0f), colons = _mm_set1_epi8(':'), zero = _mm_setzero_si128();
  const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), low4), low = _mm_and_si128(v, low4);
  const __m128i nibbles[] = {_mm_unpacklo_epi8(high, low), _mm_unpackhi_epi8(high, low)};  // text order
  std::uint32_t zero_digits = 0;  // bit 4k+i: digit i of group k is 0
  for (unsigned h = 0; h < 2; ++h) {
    const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles[h], _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
    const __m128i text = _mm_add_epi8(_mm_add_epi8(nibbles[h], _mm_set1_epi8('0')), letters);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(slots + 32 * h), _mm_unpacklo_epi32(text, colons));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(slots + 32 * h + 16), _mm_unpackhi_epi32(text, colons));
    zero_digits |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(nibbles[h], zero))) << 16 * h;
  }
  // Per 4-bit field: digit 0 zero, + digits 0-1 zero, + digits 0-2 zero (never the last digit).
  const std::uint32_t z0 = zero_digits & 0x11111111u, z01 = z0 & zero_digits >> 1, z012 = z01 & zero_digits >> 2;
  const __m128i zero_groups = _mm_cmpeq_epi16(v, zero);  // 0xffff per zero group
  return {static_cast<unsigned>(_mm_movemask_epi8(_mm_packs_epi16(zero_groups, zero))), z0 + z01 + z012};
#else
  group_facts facts{0, 0};
  for (unsigned i = 0; i < 16; i += 4) {
    // One nibble a byte, the last nibble in the low byte; 'a'-'f' by a carry per byte.
    std::uint64_t x = load_be32(b + i);
    x = (x | x << 16) & 0x0000ffff0000ffffu;
    x = (x | x << 8) & 0x00ff00ff00ff00ffu;
    x = (x | x << 4) & 0x0f0f0f0f0f0f0f0fu;
    x += 0x3030303030303030u + ((x + 0x0606060606060606u) >> 4 & 0x0101010101010101u) * ('a' - '0' - 10);
    for (unsigned g = 0; g < 2; ++g) {  // the group's first digit in the low byte, then the colons
      const unsigned k = i / 2 + g, w = load_be16(b + 2 * k);
      const std::uint32_t digits = byte_swap32(static_cast<std::uint32_t>(x >> (32 - 32 * g)));
      detail::store_le64(slots + 8 * k, 0x3a3a3a3a00000000u | digits);
      facts.zeros |= unsigned{w == 0} << k;
      facts.leading |= (static_cast<std::uint32_t>(w < 0x10) + (w < 0x100) + (w < 0x1000)) << 4 * k;
    }
  }
  return facts;
#endif
}

/// RFC 5952 text of b[0..15] at p (at most 39 characters, within p[0, ipv6_write_room)); returns the
/// end. No branch depends on the groups but the mapped check: group k's slot, shifted past the
/// characters it drops, is stored whole, and p advances by what is left (none inside the "::" run);
/// the next store overwrites what follows the text.
char* write_ipv6(char* p, const std::uint8_t* b) noexcept {
  char slots[72];
  const group_facts facts = hex_slots(b, slots);
  if ((facts.zeros & 0x3f) == 0x1f && load_be16(b + 10) == 0xffff) {  // IPv4-mapped: ::ffff:a.b.c.d
    std::memcpy(p, "::ffff:", 7);
    return detail::write_ipv4(p + 7, b + 12);
  }
  const unsigned first = zero_runs.first[facts.zeros];
  std::memset(slots + 8 * (first & 0xf), ':', 8);  // the run's first group: "::"
  // Characters each group drops of its slot's five: 0..5 per 4-bit field (no carry between fields).
  const std::uint32_t drops = facts.leading + zero_runs.drops[facts.zeros];
#if defined(__GNUC__)
#pragma GCC unroll 8
#endif
  for (unsigned k = 0; k < 8; ++k) {
    std::uint64_t slot;
    std::memcpy(&slot, slots + 8 * k, sizeof slot);
    if constexpr (host_is_big_endian) slot = detail::byte_swap64(slot);
    const unsigned drop = drops >> 4 * k & 0xf;
    detail::store_le64(p, slot >> 8 * drop);
    p += 5 - drop;
  }
  // Every group wrote its ':': drop the last one, unless the run ends the text ("1::").
  return p - (first >> 4);
}
#endif

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
  return detail::format_to(first, last, write_ipv6, bytes_.data());
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
  static_assert(sizeof buf >= detail::ipv6_write_room, "write_ipv6 needs its room");
  char* p = write_ipv6(buf, address.bytes().data());
  if (!zone.empty()) {
    *p++ = '%';
    std::memcpy(p, zone.view().data(), zone.size());
    p += zone.size();
  }
  return detail::copy_out(buf, p, first, last);
}

}  // namespace emsock
