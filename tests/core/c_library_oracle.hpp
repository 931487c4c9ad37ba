// SPDX-License-Identifier: MIT
// tests/core/c_library_oracle.hpp - emsock's address text compared with the host C library.
//
// Shared by the differential test (tests/core/differential.cpp) and the fuzz targets (tests/fuzz/).
// The oracle is glibc: inet_pton(AF_INET), inet_aton, inet_pton(AF_INET6), inet_ntop. Each check
// returns an empty string when emsock and the oracle agree, else a one-line description of the first
// disagreement (the caller adds the escaped input). Test code: it may allocate.
//
// The deliberate differences, and what is checked instead:
// - A NUL inside the text: the C functions would stop there. emsock must reject the text; the error
//   is embedded_nul at the first NUL, unless an earlier character is already wrong (then the error's
//   offset is before the NUL). When the text before the NUL is an address the oracle accepts, the
//   error must be embedded_nul at the NUL.
// - inet_aton stops at the first white space and accepts "1.2.3.4 junk"; emsock rejects trailing
//   text. For a text with white space, the text before the first white space is compared with the
//   oracle instead, and emsock must reject the whole text (unexpected_character at the white space
//   when the text before it is accepted).
// - inet_ntop prints ::/96 with a non-zero seventh group as "::a.b.c.d"; emsock prints RFC 5952 hex
//   ("::102:304"), which is checked exactly.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "emsock/emsock.hpp"

namespace emsock::proof {

/// `text` with non-printable bytes, '\\' and '"' escaped, in double quotes: for failure messages.
std::string escape(std::string_view text);

/// ipv4_address::parse against inet_pton(AF_INET): acceptance, bytes, error offset within the text;
/// for accepted text also the formatting (check_format).
std::string check_ipv4_strict(std::string_view text);

/// ipv4_address::parse_legacy against inet_aton, with the white space and NUL rules above.
std::string check_ipv4_legacy(std::string_view text);

/// ipv6_address::parse against inet_pton(AF_INET6); scoped_ipv6_address::parse must give the same
/// outcome (same error, or same address and no zone) for text without '%'.
std::string check_ipv6(std::string_view text);

/// ip_address::parse is scoped_ipv6_address::parse for text with ':' and ipv4_address::parse
/// otherwise: same error, or same address. No oracle; consistency only.
std::string check_ip_address_dispatch(std::string_view text);

/// Every code path of the strict IPv4 parser against the scalar one (core/src/simd_parse.hpp): the
/// public parse, and each vector path this CPU runs, give the scalar parser's error (code and offset)
/// or bytes; the vector code alone accepts exactly what the scalar parser accepts, with its bytes.
/// Nothing to compare in the small build (scalar only).
std::string check_ipv4_paths(std::string_view text);
/// The same for IPv6.
std::string check_ipv6_paths(std::string_view text);

/// to_chars against inet_ntop (with the ::/96 rule), and parse(to_chars(a)) == a.
std::string check_format(const ipv4_address& a);
std::string check_format(const ipv6_address& a);

/// `x.to_chars` into every buffer size from 0 to T::max_text_len + 1 (in a larger buffer filled with
/// a canary byte): a buffer at least as long as the text gets exactly the text and nothing else
/// (no NUL); a shorter one gets buffer_too_small, ptr == last, and no byte written. Also checks that
/// the text is at most T::max_text_len long. Empty string when all hold.
template <class T>
std::string check_to_chars_sizes(const T& x) {
  constexpr std::size_t max = T::max_text_len;
  constexpr char canary = '\xa5';
  char full[max + 16];
  const to_chars_result whole = x.to_chars(full, full + sizeof full);
  if (whole.code() != errc::ok) return "to_chars into a large buffer failed";
  const auto n = static_cast<std::size_t>(whole.ptr - full);
  if (n > max) return "to_chars wrote more than max_text_len characters";
  for (std::size_t size = 0; size <= max + 1; ++size) {
    char buf[max + 16];
    std::memset(buf, canary, sizeof buf);
    const to_chars_result r = x.to_chars(buf, buf + size);
    std::size_t untouched_from = 0;
    if (size >= n) {
      if (r.code() != errc::ok || r.ptr != buf + n)
        return "to_chars failed or moved ptr wrongly with a buffer of " + std::to_string(size);
      if (std::memcmp(buf, full, n) != 0)
        return "to_chars wrote other text with a buffer of " + std::to_string(size);
      untouched_from = n;
    } else if (r.code() != errc::buffer_too_small || r.ptr != buf + size) {
      return "to_chars with a buffer of " + std::to_string(size) + " for " + std::to_string(n) +
             " characters did not report buffer_too_small with ptr == last";
    }
    for (std::size_t k = untouched_from; k < sizeof buf; ++k)
      if (buf[k] != canary)
        return "to_chars with a buffer of " + std::to_string(size) + " wrote byte " + std::to_string(k);
  }
  return {};
}

}  // namespace emsock::proof
