// SPDX-License-Identifier: MIT
// core/src/simd_parse.hpp - internal: the code paths of the address parsers, named so that tests can
// prove each one gives the scalar parser's result on every input. Not installed.
//
// The speed build (EMSOCK_SMALL_CODE=0) tries a vector path first and falls back to the scalar parser
// for everything the vector code does not certainly accept: a vector path never reports an error
// itself, so error codes and offsets always come from the scalar parser. The small build compiles
// none of this: it has the scalar parsers only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "text_scan.hpp"

namespace emsock::detail {

/// The scalar strict IPv4 parser (the only one in the small build; the fallback of every path).
inline error parse_ipv4_scalar(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  return parse_ipv4_strict(s, n, out);
}

#if !EMSOCK_SMALL_CODE

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EMSOCK_SIMD_SSE41 1  // SSE4.1 + POPCNT functions, chosen by a CPU check unless the build has both
#else
#define EMSOCK_SIMD_SSE41 0
#endif
#if defined(__aarch64__) && defined(__ARM_NEON) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EMSOCK_SIMD_NEON 1  // baseline on aarch64
#else
#define EMSOCK_SIMD_NEON 0
#endif

/// The scalar IPv6 parser of the speed build (inet_pton rules, see ipv6_address::parse).
error parse_ipv6_scalar(const char* s, std::size_t n, std::uint8_t out[16]) noexcept;

/// One vector path. try_*: the vector code alone; true when it accepted the text and wrote the bytes,
/// false when it declined (out unspecified): it declines anything it cannot prove valid. parse_*:
/// the whole path, the vector code and the scalar parser for what it declines.
struct parse_path {
  const char* name;                 ///< "sse4.1", "neon"
  bool (*available)() noexcept;     ///< whether this CPU runs it
  bool (*try_ipv4)(const char* s, std::size_t n, std::uint8_t out[4]) noexcept;
  bool (*try_ipv6)(const char* s, std::size_t n, std::uint8_t out[16]) noexcept;
  error (*parse_ipv4)(const char* s, std::size_t n, std::uint8_t out[4]) noexcept;
  error (*parse_ipv6)(const char* s, std::size_t n, std::uint8_t out[16]) noexcept;
};

/// The vector paths known to this build, available on this CPU or not; null when there is none.
/// A test looks its path up by name and skips, visibly, when it is null or not available.
const parse_path* find_parse_path(const char* name) noexcept;

#if EMSOCK_SIMD_SSE41
/// Whether this CPU has SSE4.1 and POPCNT: what libgcc's start-up CPU check found (false before it
/// ran, and the scalar parser runs then).
inline bool sse41_available() noexcept {
#if defined(__SSE4_1__) && defined(__POPCNT__)
  return true;
#else
  return __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt");
#endif
}
/// The vector code alone (parse_path::try_ipv4, try_ipv6); only where sse41_available().
bool try_ipv4_sse41(const char* s, std::size_t n, std::uint8_t out[4]) noexcept;
bool try_ipv6_sse41(const char* s, std::size_t n, std::uint8_t out[16]) noexcept;
#endif
#if EMSOCK_SIMD_NEON
bool try_ipv4_neon(const char* s, std::size_t n, std::uint8_t out[4]) noexcept;
bool try_ipv6_neon(const char* s, std::size_t n, std::uint8_t out[16]) noexcept;
#endif

/// What ipv4_address::parse runs: the vector code where there is one, the scalar parser for what it
/// declines. Inline, so that the public parse calls the vector code directly.
inline error parse_ipv4_fast(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
#if EMSOCK_SIMD_SSE41
  if (sse41_available() && try_ipv4_sse41(s, n, out)) return {};
#elif EMSOCK_SIMD_NEON
  if (try_ipv4_neon(s, n, out)) return {};
#endif
  return parse_ipv4_strict(s, n, out);
}

/// What ipv6_address::parse runs (as parse_ipv4_fast).
inline error parse_ipv6_fast(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
#if EMSOCK_SIMD_SSE41
  if (sse41_available() && try_ipv6_sse41(s, n, out)) return {};
#elif EMSOCK_SIMD_NEON
  if (try_ipv6_neon(s, n, out)) return {};
#endif
  return parse_ipv6_scalar(s, n, out);
}

#endif  // !EMSOCK_SMALL_CODE

}  // namespace emsock::detail
