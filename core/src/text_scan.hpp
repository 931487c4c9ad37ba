// SPDX-License-Identifier: MIT
// core/src/text_scan.hpp - internal helpers shared by the address parsers and formatters.
// Not installed: nothing outside core/src includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

/// Writes the dotted quad of b[0..3] at p (at most 15 characters) and returns the end.
char* write_ipv4(char* p, const std::uint8_t* b) noexcept;

/// Copies [src, src_end) to [first, last) when it fits; otherwise buffer_too_small, nothing written.
to_chars_result copy_out(const char* src, const char* src_end, char* first, char* last) noexcept;

/// Writes the text of `bytes` with `write` (at most `longest` characters, longest <= 39) into
/// [first, last), through a local buffer so that a buffer too small for this text receives nothing;
/// speed builds write directly when the buffer can hold the longest text. Inline, so that `write`
/// is a direct call in each to_chars.
inline to_chars_result format_to(char* first, char* last, std::size_t longest,
                                 char* (*write)(char*, const std::uint8_t*), const std::uint8_t* bytes) noexcept {
#if EMSOCK_SMALL_CODE
  static_cast<void>(longest);  // one path, less code
#else
  if (first <= last && static_cast<std::size_t>(last - first) >= longest) return {write(first, bytes), errc::ok};
#endif
  char buf[39];
  return copy_out(buf, write(buf, bytes), first, last);
}

}  // namespace emsock::detail
