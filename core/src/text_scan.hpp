// SPDX-License-Identifier: MIT
// core/src/text_scan.hpp - internal helpers shared by the address parsers and formatters.
// Not installed: nothing outside core/src includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "emsock/byte_order.hpp"
#include "emsock/error.hpp"
#include "emsock/result.hpp"

/// EMSOCK_SMALL_CODE selects the compact implementations (no tables, no unrolling, one formatting
/// path): on by default when optimising for size (-Os, the firmware case), off otherwise. Define it
/// to 0 or 1 to choose. Both variants give identical results (tests/core/proofs.cmake runs the
/// differential test against each).
#ifndef EMSOCK_SMALL_CODE
#if defined(__OPTIMIZE_SIZE__)
#define EMSOCK_SMALL_CODE 1
#else
#define EMSOCK_SMALL_CODE 0
#endif
#endif

namespace emsock::detail {

/// text[first, last) without std::string_view::substr, whose range check would link the C++
/// library's exception path (and, on newlib, abort() with its signal table) into firmware.
/// Precondition: first <= last <= text.size().
constexpr std::string_view sub(std::string_view text, std::size_t first, std::size_t last) noexcept {
  return {text.data() + first, last - first};
}

/// Decimal value of c, or a value > 9 when c is not a digit.
constexpr unsigned decimal_digit(char c) noexcept { return static_cast<unsigned>(static_cast<unsigned char>(c) - '0'); }

#if EMSOCK_SMALL_CODE
/// Hex value of c, or 16 when c is not a hex digit. No table: two compares.
constexpr unsigned hex_digit(char c) noexcept {
  const unsigned d = decimal_digit(c);
  if (d < 10) return d;
  const unsigned l = static_cast<unsigned>((static_cast<unsigned char>(c) | 0x20u) - 'a');
  return l < 6 ? l + 10 : 16;
}
#else
/// 256 bytes: the hex value of every character, 16 for the others. A lookup instead of a branch
/// that random hex text mispredicts.
struct hex_table {
  std::uint8_t value[256];
  constexpr hex_table() noexcept : value{} {
    for (unsigned c = 0; c < 256; ++c)
      value[c] = static_cast<std::uint8_t>(c - '0' < 10 ? c - '0' : (c | 0x20u) - 'a' < 6 ? (c | 0x20u) - 'a' + 10 : 16);
  }
};
inline constexpr hex_table hex_values{};

/// Hex value of c, or 16 when c is not a hex digit.
constexpr unsigned hex_digit(char c) noexcept { return hex_values.value[static_cast<unsigned char>(c)]; }
#endif

/// The error for a character that cannot stand at `offset`: NUL and '%' get their own reasons.
constexpr error bad_character(char c, std::size_t offset) noexcept {
  if (c == '\0') return {errc::embedded_nul, offset};
  if (c == '%') return {errc::zone_not_permitted, offset};
  return {errc::unexpected_character, offset};
}

/// Strict dotted quad (inet_pton AF_INET) over text[0, n); error offsets relative to text.
error parse_ipv4_strict(const char* text, std::size_t n, std::uint8_t out[4]) noexcept;

/// Room a writer below may use at p: the compact writers write exactly their text; the speed build's
/// store whole words and may leave scratch bytes after the returned end, within this room.
inline constexpr std::size_t ipv4_write_room = 16;  // text: at most 15 characters
inline constexpr std::size_t ipv6_write_room = 48;  // text: at most 39 characters

/// Writes the dotted quad of b[0..3] at p (at most 15 characters, within p[0, ipv4_write_room)) and
/// returns the end.
char* write_ipv4(char* p, const std::uint8_t* b) noexcept;

/// Copies [src, src_end) to [first, last) when it fits; otherwise buffer_too_small, nothing written.
to_chars_result copy_out(const char* src, const char* src_end, char* first, char* last) noexcept;

#if !EMSOCK_SMALL_CODE
/// The 4 (8) low-order bytes of v at p, least significant first, on any host: the formatters build
/// text in registers with its first character in the low byte.
inline void store_le32(char* p, std::uint32_t v) noexcept {
  if constexpr (host_is_big_endian) v = byte_swap32(v);
  std::memcpy(p, &v, sizeof v);
}
constexpr std::uint64_t byte_swap64(std::uint64_t v) noexcept {
  return std::uint64_t{byte_swap32(static_cast<std::uint32_t>(v))} << 32 | byte_swap32(static_cast<std::uint32_t>(v >> 32));
}
inline void store_le64(char* p, std::uint64_t v) noexcept {
  if constexpr (host_is_big_endian) v = byte_swap64(v);
  std::memcpy(p, &v, sizeof v);
}

/// memcpy(to, from, n) for 1 <= n <= 48, inline: two (or three) overlapping fixed-size copies instead
/// of a library call whose own size dispatch costs as much as the copy.
inline void copy_short(char* to, const char* from, std::size_t n) noexcept {
  if (n >= 16) {
    std::memcpy(to, from, 16);
    if (n > 32) std::memcpy(to + 16, from + 16, 16);
    std::memcpy(to + n - 16, from + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(to, from, 8);
    std::memcpy(to + n - 8, from + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(to, from, 4);
    std::memcpy(to + n - 4, from + n - 4, 4);
  } else {
    to[0] = from[0];
    to[n / 2] = from[n / 2];
    to[n - 1] = from[n - 1];
  }
}
#endif

/// Writes the text of `bytes` with `write` (which needs `room` bytes at its pointer, room <= 48) into
/// [first, last) through a local buffer: a buffer too small for this text receives nothing, and
/// nothing after the text is touched. Inline, so that `write` is a direct call in each to_chars.
inline to_chars_result format_to(char* first, char* last, char* (*write)(char*, const std::uint8_t*),
                                 const std::uint8_t* bytes) noexcept {
  char buf[ipv6_write_room];
#if EMSOCK_SMALL_CODE
  return copy_out(buf, write(buf, bytes), first, last);  // one path, less code
#else
  const auto n = static_cast<std::size_t>(write(buf, bytes) - buf);
  if (first > last || static_cast<std::size_t>(last - first) < n) return {last, errc::buffer_too_small};
  copy_short(first, buf, n);
  return {first + n, errc::ok};
#endif
}

}  // namespace emsock::detail
