// SPDX-License-Identifier: MIT
// tests/bench/address_bench.cpp - emsock-bench: emsock's address parsing and formatting beside glibc
// (inet_pton / inet_ntop) and lwIP (ip4addr_aton, ip6addr_aton, ip4addr_ntoa_r, ip6addr_ntoa_r).
//
// Every benchmark iteration handles exactly one address of the shared corpus (the index advances per
// iteration and wraps), so the reported time is the time per address. Before anything is measured,
// each implementation must accept every corpus text with the expected bytes and format every address
// back to text that means the same address; otherwise the program stops with a message, so no one
// ever benchmarks a fast failure path.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

extern "C" {
// lwIP's lwipopts.h (Debian) declares sys_lock_tcpip_core() and friends without extern "C".
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
}

#include "corpus.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"

namespace emsock_bench {
namespace {

using v4_bytes = std::array<std::uint8_t, 4>;
using v6_bytes = std::array<std::uint8_t, 16>;

/// Room for the longest text any of the three writes, NUL included.
constexpr std::size_t out_size = 64;

// --- the three implementations behind one shape ---------------------------------------------------
// parse_*: text -> native binary form, true when accepted.
// format_*: native binary form -> text in buf; non-null on success (where the text ends for emsock,
//           which writes no NUL; buf for the C functions, which write a NUL).

struct emsock_impl {
  using v4_type = emsock::ipv4_address;
  using v6_type = emsock::ipv6_address;
  static constexpr bool writes_nul = false;
  static constexpr bool drops_trailing_zero_group = false;

  static bool parse_v4(const text_entry& t, v4_type& out) noexcept {
    const auto r = emsock::ipv4_address::parse(t.view());
    if (!r.ok()) return false;
    out = *r;
    return true;
  }
  static bool parse_v6(const text_entry& t, v6_type& out) noexcept {
    const auto r = emsock::ipv6_address::parse(t.view());
    if (!r.ok()) return false;
    out = *r;
    return true;
  }
  static const char* format_v4(const v4_type& a, char* buf) noexcept {
    const auto r = a.to_chars(buf, buf + out_size);
    return r.code() == emsock::errc::ok ? r.ptr : nullptr;
  }
  static const char* format_v6(const v6_type& a, char* buf) noexcept {
    const auto r = a.to_chars(buf, buf + out_size);
    return r.code() == emsock::errc::ok ? r.ptr : nullptr;
  }
  static v4_bytes bytes(const v4_type& a) noexcept { return a.bytes(); }
  static v6_bytes bytes(const v6_type& a) noexcept { return a.bytes(); }
};

struct glibc_impl {
  using v4_type = in_addr;
  using v6_type = in6_addr;
  static constexpr bool writes_nul = true;
  static constexpr bool drops_trailing_zero_group = false;

  static bool parse_v4(const text_entry& t, v4_type& out) noexcept {
    return inet_pton(AF_INET, t.c_str(), &out) == 1;
  }
  static bool parse_v6(const text_entry& t, v6_type& out) noexcept {
    return inet_pton(AF_INET6, t.c_str(), &out) == 1;
  }
  static const char* format_v4(const v4_type& a, char* buf) noexcept {
    return inet_ntop(AF_INET, &a, buf, out_size);
  }
  static const char* format_v6(const v6_type& a, char* buf) noexcept {
    return inet_ntop(AF_INET6, &a, buf, out_size);
  }
  static v4_bytes bytes(const v4_type& a) noexcept {
    v4_bytes b{};
    std::memcpy(b.data(), &a, b.size());
    return b;
  }
  static v6_bytes bytes(const v6_type& a) noexcept {
    v6_bytes b{};
    std::memcpy(b.data(), &a, b.size());
    return b;
  }
};

struct lwip_impl {
  using v4_type = ip4_addr_t;
  using v6_type = ip6_addr_t;
  static constexpr bool writes_nul = true;
  /// lwIP 2.1.3's ip6addr_ntoa_r bug: a single zero last group after a non-zero one comes out as a
  /// bare trailing ':' ("1:2:3:4:5:6:7:0" -> "1:2:3:4:5:6:7:"). The work done is the same, so the
  /// check tolerates (and counts) exactly that.
  static constexpr bool drops_trailing_zero_group = true;

  static bool parse_v4(const text_entry& t, v4_type& out) noexcept { return ip4addr_aton(t.c_str(), &out) == 1; }
  static bool parse_v6(const text_entry& t, v6_type& out) noexcept { return ip6addr_aton(t.c_str(), &out) == 1; }
  static const char* format_v4(const v4_type& a, char* buf) noexcept {
    return ip4addr_ntoa_r(&a, buf, static_cast<int>(out_size));
  }
  static const char* format_v6(const v6_type& a, char* buf) noexcept {
    return ip6addr_ntoa_r(&a, buf, static_cast<int>(out_size));
  }
  /// lwIP keeps addresses as 32-bit words in network order: the bytes are their memory.
  static v4_bytes bytes(const v4_type& a) noexcept {
    v4_bytes b{};
    std::memcpy(b.data(), &a.addr, b.size());
    return b;
  }
  static v6_bytes bytes(const v6_type& a) noexcept {
    v6_bytes b{};
    std::memcpy(b.data(), a.addr, b.size());
    return b;
  }
};

/// Each implementation's own binary form of the corpus, parsed by itself from the corpus text: the
/// input of its format benchmarks.
template <class Impl>
struct native_corpus {
  static inline std::vector<typename Impl::v4_type> v4;
  static inline std::vector<typename Impl::v6_type> v6;
};

const corpus* the_corpus = nullptr;

// --- start-up verification ------------------------------------------------------------------------

/// Reports at most this many problems per check, then the total.
constexpr std::size_t max_reports = 5;

/// Counts the failures of one check (implementation x operation) and reports the first few.
struct checker {
  const char* impl;
  const char* what;
  std::size_t failures = 0;

  void fail(const text_entry& expected, std::string_view got) {
    if (++failures <= max_reports)
      std::fprintf(stderr, "emsock-bench: %s %s: \"%s\" -> \"%.*s\"\n", impl, what, expected.c_str(),
                   static_cast<int>(got.size()), got.data());
  }
  bool done() const {
    if (failures != 0)
      std::fprintf(stderr, "emsock-bench: %s %s: %zu of %zu addresses failed\n", impl, what, failures, corpus_size);
    return failures == 0;
  }
};

/// What a format_* call wrote: up to its end pointer (emsock) or its NUL (the C functions).
std::string_view text_of(const char* ret, const char* buf, bool writes_nul) {
  if (ret == nullptr) return "(failed)";
  if (writes_nul) return {buf, std::strlen(buf)};
  return {buf, static_cast<std::size_t>(ret - buf)};
}

/// The bytes glibc reads from `text` (the referee for the round trip of formatted text).
template <class Bytes>
bool reparse(std::string_view text, Bytes& out) {
  char buf[out_size + 1];
  if (text.size() > out_size) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return inet_pton(out.size() == 4 ? AF_INET : AF_INET6, buf, out.data()) == 1;
}

/// True when `text` ends in a lone ':' and means `expected` once the missing "0" is put back.
bool is_trailing_zero_quirk(std::string_view text, const v6_bytes& expected) {
  if (text.size() < 2 || text.size() >= out_size || text.back() != ':' || text[text.size() - 2] == ':') return false;
  char fixed[out_size];
  std::memcpy(fixed, text.data(), text.size());
  fixed[text.size()] = '0';
  v6_bytes back{};
  return reparse(std::string_view(fixed, text.size() + 1), back) && back == expected;
}

/// Parses the whole corpus with Impl (into native_corpus<Impl>) and formats it back. Parse: every text
/// accepted, with the corpus bytes. Format: every text written means the same address again; emsock's
/// must be the canonical text itself (lwIP writes uppercase and compresses the first zero run, which is
/// still the same address).
template <class Impl>
bool verify(const char* name, bool exact_text) {
  const corpus& c = *the_corpus;
  auto& v4 = native_corpus<Impl>::v4;
  auto& v6 = native_corpus<Impl>::v6;
  v4.assign(corpus_size, typename Impl::v4_type{});
  v6.assign(corpus_size, typename Impl::v6_type{});
  char buf[out_size];

  checker parse4{name, "parse IPv4"};
  checker parse6{name, "parse IPv6"};
  checker format4{name, "format IPv4"};
  checker format6{name, "format IPv6"};
  std::size_t trailing_zero_quirks = 0;
  for (std::size_t i = 0; i < corpus_size; ++i) {
    if (!Impl::parse_v4(c.v4_text[i], v4[i]) || Impl::bytes(v4[i]) != c.v4_bytes[i]) {
      parse4.fail(c.v4_text[i], "(rejected or wrong bytes)");
    } else {
      const std::string_view text = text_of(Impl::format_v4(v4[i], buf), buf, Impl::writes_nul);
      v4_bytes back{};
      if (!reparse(text, back) || back != c.v4_bytes[i] || (exact_text && text != c.v4_text[i].view()))
        format4.fail(c.v4_text[i], text);
    }
    if (!Impl::parse_v6(c.v6_text[i], v6[i]) || Impl::bytes(v6[i]) != c.v6_bytes[i]) {
      parse6.fail(c.v6_text[i], "(rejected or wrong bytes)");
    } else {
      const std::string_view text = text_of(Impl::format_v6(v6[i], buf), buf, Impl::writes_nul);
      v6_bytes back{};
      if (!reparse(text, back) || back != c.v6_bytes[i] || (exact_text && text != c.v6_text[i].view())) {
        if (Impl::drops_trailing_zero_group && is_trailing_zero_quirk(text, c.v6_bytes[i]))
          ++trailing_zero_quirks;
        else
          format6.fail(c.v6_text[i], text);
      }
    }
  }
  if (trailing_zero_quirks != 0)
    std::fprintf(stderr,
                 "emsock-bench: note: %s format IPv6 dropped the trailing zero group of %zu addresses"
                 " (known lwIP 2.1.3 bug, same work; tolerated)\n",
                 name, trailing_zero_quirks);
  // Every check reports its total, so evaluate them all before combining.
  const bool results[] = {parse4.done(), format4.done(), parse6.done(), format6.done()};
  for (const bool ok : results)
    if (!ok) return false;
  return true;
}

void print_summary(const corpus& c) {
  std::size_t len4 = 0;
  std::size_t len6 = 0;
  for (const auto& t : c.v4_text) len4 += t.len;
  for (const auto& t : c.v6_text) len6 += t.len;
  const auto pct = [](std::size_t n) { return 100.0 * static_cast<double>(n) / static_cast<double>(corpus_size); };
  const ipv6_mix& m = c.mix;
  std::fprintf(stderr,
               "emsock-bench: corpus of %zu IPv4 (uniform, mean %.1f chars) and %zu IPv6 (mean %.1f chars:"
               " 2001:db8 %.0f%%, 2000::/3 %.0f%%, fe80 %.0f%%, multicast %.0f%%, ::1 %.0f%%, :: %.0f%%,"
               " v4-mapped %.0f%%, random %.0f%%)\n",
               corpus_size, static_cast<double>(len4) / corpus_size, corpus_size,
               static_cast<double>(len6) / corpus_size, pct(m.documentation), pct(m.global), pct(m.link_local),
               pct(m.multicast), pct(m.loopback), pct(m.unspecified), pct(m.v4_mapped), pct(m.random));
}

// --- the benchmarks -------------------------------------------------------------------------------

template <class Impl>
void parse_ipv4(benchmark::State& state) {
  const std::vector<text_entry>& texts = the_corpus->v4_text;
  typename Impl::v4_type out{};
  std::size_t i = 0;
  for ([[maybe_unused]] auto _ : state) {
    const bool ok = Impl::parse_v4(texts[i], out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
    i = (i + 1) & corpus_mask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Impl>
void parse_ipv6(benchmark::State& state) {
  const std::vector<text_entry>& texts = the_corpus->v6_text;
  typename Impl::v6_type out{};
  std::size_t i = 0;
  for ([[maybe_unused]] auto _ : state) {
    const bool ok = Impl::parse_v6(texts[i], out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
    i = (i + 1) & corpus_mask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Impl>
void format_ipv4(benchmark::State& state) {
  const auto& addresses = native_corpus<Impl>::v4;
  char buf[out_size];
  std::size_t i = 0;
  for ([[maybe_unused]] auto _ : state) {
    const char* end = Impl::format_v4(addresses[i], buf);
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
    i = (i + 1) & corpus_mask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Impl>
void format_ipv6(benchmark::State& state) {
  const auto& addresses = native_corpus<Impl>::v6;
  char buf[out_size];
  std::size_t i = 0;
  for ([[maybe_unused]] auto _ : state) {
    const char* end = Impl::format_v6(addresses[i], buf);
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
    i = (i + 1) & corpus_mask;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

/// The twelve benchmarks, grouped by operation, in the order the report lists them.
struct named_benchmark {
  const char* name;
  void (*fn)(benchmark::State&);
};
constexpr named_benchmark all_benchmarks[] = {
    {"parse_ipv4/emsock", &parse_ipv4<emsock_impl>},   {"parse_ipv4/glibc", &parse_ipv4<glibc_impl>},
    {"parse_ipv4/lwip", &parse_ipv4<lwip_impl>},       {"parse_ipv6/emsock", &parse_ipv6<emsock_impl>},
    {"parse_ipv6/glibc", &parse_ipv6<glibc_impl>},     {"parse_ipv6/lwip", &parse_ipv6<lwip_impl>},
    {"format_ipv4/emsock", &format_ipv4<emsock_impl>}, {"format_ipv4/glibc", &format_ipv4<glibc_impl>},
    {"format_ipv4/lwip", &format_ipv4<lwip_impl>},     {"format_ipv6/emsock", &format_ipv6<emsock_impl>},
    {"format_ipv6/glibc", &format_ipv6<glibc_impl>},   {"format_ipv6/lwip", &format_ipv6<lwip_impl>},
};

}  // namespace
}  // namespace emsock_bench

int main(int argc, char** argv) {
  using namespace emsock_bench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return EXIT_FAILURE;

  static const corpus c = make_corpus();
  the_corpus = &c;
  print_summary(c);

  const bool ok_emsock = verify<emsock_impl>("emsock", true);
  const bool ok_glibc = verify<glibc_impl>("glibc", true);
  const bool ok_lwip = verify<lwip_impl>("lwip", false);
  if (!(ok_emsock && ok_glibc && ok_lwip)) {
    std::fprintf(stderr,
                 "emsock-bench: FATAL: not every implementation parses and formats the whole corpus; "
                 "refusing to benchmark (a rejected address would time a fast failure path)\n");
    return EXIT_FAILURE;
  }
  std::fprintf(stderr, "emsock-bench: emsock, glibc and lwIP parse and format every corpus address\n");

  for (const named_benchmark& b : all_benchmarks) benchmark::RegisterBenchmark(b.name, b.fn);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return EXIT_SUCCESS;
}
