// SPDX-License-Identifier: MIT
// tests/bench/corpus.hpp - the one fixed address corpus every implementation in emsock-bench works on.
//
// Built once, before any benchmark runs, from a fixed seed: the same addresses on every run and every
// machine (only std::mt19937_64's raw output is used, which the standard pins down). The binary forms
// come first; the texts are their canonical (RFC 5952 / dotted-quad) spelling.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace emsock_bench {

/// Addresses per family. A power of two so the per-iteration index wraps with a mask; large enough
/// that branch predictors cannot learn the sequence, small enough to stay in L2 (the benchmark measures
/// the code, not the memory system).
inline constexpr std::size_t corpus_size = 4096;
inline constexpr std::size_t corpus_mask = corpus_size - 1;
static_assert((corpus_size & corpus_mask) == 0, "corpus_size must be a power of two");

/// One address as NUL-terminated text (glibc and lwIP need the NUL; emsock gets the view).
struct text_entry {
  std::array<char, 48> chars{};
  std::size_t len = 0;

  const char* c_str() const noexcept { return chars.data(); }
  std::string_view view() const noexcept { return {chars.data(), len}; }
};

/// How the IPv6 part of the corpus was drawn, for the start-up summary.
struct ipv6_mix {
  std::size_t documentation = 0;  ///< 2001:db8::/32 with a zero run of 2-5 groups in the middle
  std::size_t global = 0;         ///< 2000::/3 with a short (1-3 group) run in the interface part
  std::size_t link_local = 0;     ///< fe80::/64, EUI-64 or random interface ids
  std::size_t multicast = 0;      ///< ff02::1, ff02::2, ff05::1:3, solicited-node ff02::1:ffxx:xxxx
  std::size_t loopback = 0;       ///< ::1
  std::size_t unspecified = 0;    ///< ::
  std::size_t v4_mapped = 0;      ///< ::ffff:a.b.c.d
  std::size_t random = 0;         ///< eight uniformly random groups
};

struct corpus {
  std::vector<std::array<std::uint8_t, 4>> v4_bytes;   ///< network order
  std::vector<text_entry> v4_text;                     ///< canonical dotted quads of v4_bytes
  std::vector<std::array<std::uint8_t, 16>> v6_bytes;  ///< network order
  std::vector<text_entry> v6_text;                     ///< RFC 5952 text of v6_bytes
  ipv6_mix mix;
};

/// Builds the corpus (deterministic; seed fixed in corpus.cpp). Aborts the program with a message if
/// the generator produced something it must not (an address glibc would print in the deprecated
/// IPv4-compatible form, or text that does not fit text_entry).
corpus make_corpus();

}  // namespace emsock_bench
