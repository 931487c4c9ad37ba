// SPDX-License-Identifier: MIT
// tests/bench/corpus.cpp - deterministic generation of the benchmark's address corpus.
#include "corpus.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

namespace emsock_bench {
namespace {

/// Fixed seed: every run benchmarks the same addresses.
constexpr std::uint64_t corpus_seed = 0x656d736f636b3031ull;  // "emsock01"

using groups = std::array<std::uint16_t, 8>;

[[noreturn]] void die(const char* what, const char* detail) {
  std::fprintf(stderr, "emsock-bench: FATAL: corpus: %s: %s\n", what, detail);
  std::exit(EXIT_FAILURE);
}

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  /// Uniform in [0, n) for the small n used here (the modulo bias is irrelevant at 64 bits).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(rng_() >> 32); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(rng_() >> 48); }

  /// A group whose text is 1 to 4 hex digits long, as in real addresses ("db8", "81c", "1", "200e").
  std::uint16_t short_group() {
    const std::uint32_t digits = 1 + below(4);
    const std::uint32_t mask = (1u << (4 * digits)) - 1;
    return static_cast<std::uint16_t>(u16() & mask);
  }

 private:
  std::mt19937_64 rng_;
};

void zero_run(groups& g, std::size_t start, std::size_t len) {
  for (std::size_t i = start; i < start + len; ++i) g[i] = 0;
}

/// One IPv6 address from the realistic mix described by ipv6_mix.
groups draw_ipv6(generator& gen, ipv6_mix& mix) {
  groups g{};
  const std::uint32_t kind = gen.below(100);
  if (kind < 35) {
    // 2001:db8:<site>:<subnet>:<iid> with a zero run of 2-5 groups somewhere after the prefix.
    ++mix.documentation;
    g = {0x2001, 0x0db8, gen.short_group(), gen.short_group(), gen.short_group(), gen.short_group(),
         gen.short_group(), gen.short_group()};
    const std::size_t len = 2 + gen.below(4);
    const std::size_t start = 2 + gen.below(static_cast<std::uint32_t>(7 - len));
    zero_run(g, start, len);
  } else if (kind < 55) {
    // 2000::/3 provider prefix, then an interface id with a short zero run (2a00:1450:4001:81c::200e).
    ++mix.global;
    g = {static_cast<std::uint16_t>(0x2000 | (gen.u16() & 0x1fff)), gen.u16(), gen.short_group(),
         gen.short_group(), gen.short_group(), gen.short_group(), gen.short_group(), gen.short_group()};
    const std::size_t len = 1 + gen.below(3);
    const std::size_t start = 3 + gen.below(static_cast<std::uint32_t>(6 - len));
    zero_run(g, start, len);
  } else if (kind < 75) {
    // fe80::/64: half EUI-64 (xxxx:xxff:fexx:xxxx), half random (privacy) interface ids.
    ++mix.link_local;
    g[0] = 0xfe80;
    if (gen.below(2) == 0) {
      g[4] = gen.u16();
      g[5] = static_cast<std::uint16_t>((gen.u16() & 0xff00) | 0x00ff);
      g[6] = static_cast<std::uint16_t>(0xfe00 | (gen.u16() & 0x00ff));
      g[7] = gen.u16();
    } else {
      for (std::size_t i = 4; i < 8; ++i) g[i] = gen.short_group();
    }
  } else if (kind < 80) {
    ++mix.multicast;
    switch (gen.below(4)) {
      case 0: g = {0xff02, 0, 0, 0, 0, 0, 0, 1}; break;
      case 1: g = {0xff02, 0, 0, 0, 0, 0, 0, 2}; break;
      case 2: g = {0xff05, 0, 0, 0, 0, 0, 1, 3}; break;
      default:
        g = {0xff02, 0, 0, 0, 0, 1, static_cast<std::uint16_t>(0xff00 | (gen.u16() & 0xff)), gen.u16()};
        break;
    }
  } else if (kind < 82) {
    ++mix.loopback;
    g[7] = 1;
  } else if (kind < 83) {
    ++mix.unspecified;
  } else if (kind < 90) {
    ++mix.v4_mapped;
    const std::uint32_t v4 = gen.u32();
    g[5] = 0xffff;
    g[6] = static_cast<std::uint16_t>(v4 >> 16);
    g[7] = static_cast<std::uint16_t>(v4);
  } else {
    ++mix.random;
    for (auto& x : g) x = gen.u16();
  }
  return g;
}

template <std::size_t N>
void store_text(text_entry& e, const char (&buf)[N]) {
  e.len = std::strlen(buf);
  if (e.len >= e.chars.size()) die("text too long", buf);
  std::memcpy(e.chars.data(), buf, e.len + 1);
}

}  // namespace

corpus make_corpus() {
  generator gen(corpus_seed);
  corpus c;
  c.v4_bytes.reserve(corpus_size);
  c.v4_text.reserve(corpus_size);
  c.v6_bytes.reserve(corpus_size);
  c.v6_text.reserve(corpus_size);

  // The canonical text comes from glibc's inet_ntop, which follows RFC 5952 (lowercase, longest
  // zero run, first on a tie, ::ffff:a.b.c.d) for every address except ::/96 with a non-zero seventh
  // group; the generator never draws those, and this checks it.
  for (std::size_t i = 0; i < corpus_size; ++i) {
    const std::uint32_t value = gen.u32();
    std::array<std::uint8_t, 4> b{static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
                                  static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
    in_addr a{};
    std::memcpy(&a, b.data(), b.size());
    char buf[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &a, buf, sizeof buf) == nullptr) die("inet_ntop(AF_INET) failed", "");
    c.v4_bytes.push_back(b);
    c.v4_text.emplace_back();
    store_text(c.v4_text.back(), buf);
  }

  for (std::size_t i = 0; i < corpus_size; ++i) {
    const groups g = draw_ipv6(gen, c.mix);
    std::array<std::uint8_t, 16> b{};
    for (std::size_t k = 0; k < 8; ++k) {
      b[2 * k] = static_cast<std::uint8_t>(g[k] >> 8);
      b[2 * k + 1] = static_cast<std::uint8_t>(g[k]);
    }
    const bool compat = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0 && g[6] != 0;
    in6_addr a{};
    std::memcpy(&a, b.data(), b.size());
    char buf[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, &a, buf, sizeof buf) == nullptr) die("inet_ntop(AF_INET6) failed", "");
    if (compat) die("generator drew an IPv4-compatible ::/96 address", buf);
    c.v6_bytes.push_back(b);
    c.v6_text.emplace_back();
    store_text(c.v6_text.back(), buf);
  }
  return c;
}

}  // namespace emsock_bench
