// SPDX-License-Identifier: MIT
// tests/core/differential.cpp - emsock's IPv4/IPv6 text against the host C library, over more than a
// million generated strings (fixed seed: every run checks the same strings).
//
// Every string goes through all checks of c_library_oracle.hpp (strict IPv4 vs inet_pton, legacy
// IPv4 vs inet_aton, IPv6 vs inet_pton, formatting vs inet_ntop, round trips, ip_address dispatch),
// whichever generator made it. Zero disagreements are required; the first few are printed.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <CppUTest/TestHarness.h>

#include "c_library_oracle.hpp"
#include "simd_parse.hpp"
#include "skip.hpp"

namespace {

/// splitmix64: tiny, fast, and the same sequence on every host (unlike std:: distributions).
class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n > 0.
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }
  bool percent(std::uint32_t p) noexcept { return below(100) < p; }

 private:
  std::uint64_t state_;
};

/// A generated text: a fixed buffer, no allocation per string.
class text_buffer {
 public:
  static constexpr std::size_t capacity = 120;

  void clear() noexcept { len_ = 0; }
  std::size_t size() const noexcept { return len_; }
  std::string_view view() const noexcept { return {data_, len_}; }

  void push(char c) noexcept {
    if (len_ < capacity) data_[len_++] = c;
  }
  void append(std::string_view s) noexcept {
    for (const char c : s) push(c);
  }
  void append_number(std::uint64_t v, unsigned radix, bool upper, std::size_t min_digits) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[72];
    std::size_t n = 0;
    do {
      tmp[n++] = digits[v % radix];
      v /= radix;
    } while (v != 0);
    while (n < min_digits && n < sizeof tmp) tmp[n++] = '0';
    while (n != 0) push(tmp[--n]);
  }
  void insert(std::size_t at, char c) noexcept {
    if (len_ >= capacity || at > len_) return;
    for (std::size_t i = len_; i > at; --i) data_[i] = data_[i - 1];
    data_[at] = c;
    ++len_;
  }
  void erase(std::size_t at) noexcept {
    if (at >= len_) return;
    for (std::size_t i = at; i + 1 < len_; ++i) data_[i] = data_[i + 1];
    --len_;
  }
  void replace(std::size_t at, char c) noexcept {
    if (at < len_) data_[at] = c;
  }

 private:
  char data_[capacity];
  std::size_t len_ = 0;
};

// --- generators -------------------------------------------------------------------------------

/// An octet with the boundaries over-represented.
std::uint32_t octet(rng& g) {
  switch (g.below(12)) {
    case 0: return 0;
    case 1: return 255;
    case 2: return 1;
    case 3: return g.below(10);
    case 4: return 10 + g.below(90);
    case 5: return 100 + g.below(100);
    case 6: return 250 + g.below(6);
    default: return g.below(256);
  }
}

void strict_ipv4(rng& g, text_buffer& t) {
  for (int i = 0; i < 4; ++i) {
    if (i != 0) t.push('.');
    t.append_number(octet(g), 10, false, 0);
  }
}

/// A 16-bit group value with 1 to 4 significant hex digits.
std::uint32_t group_value(rng& g) {
  const std::uint32_t digits = 1 + g.below(4);
  return g.below(1u << (4 * digits));
}

void ipv6(rng& g, text_buffer& t) {
  std::uint32_t groups[8] = {};
  const std::uint32_t shape = g.below(10);
  if (shape == 0) {
    // all zero
  } else if (shape == 1) {  // ::/96, the IPv4-compatible range (seventh group sometimes zero)
    groups[6] = g.percent(75) ? group_value(g) : 0;
    groups[7] = group_value(g);
  } else if (shape == 2) {  // ::ffff:0:0/96, IPv4-mapped
    groups[5] = 0xffff;
    groups[6] = group_value(g);
    groups[7] = group_value(g);
  } else if (shape == 3) {  // one non-zero group somewhere
    groups[g.below(8)] = group_value(g);
  } else {
    for (auto& v : groups) v = g.percent(35) ? 0 : group_value(g);
    if (g.percent(50)) {  // a deliberate zero run
      const std::uint32_t start = g.below(8);
      const std::uint32_t len = 1 + g.below(8 - start);
      for (std::uint32_t i = start; i < start + len; ++i) groups[i] = 0;
    }
  }

  const bool tail = g.percent(shape == 1 || shape == 2 ? 70 : 20);  // dotted IPv4 for groups 6 and 7
  const std::size_t n = tail ? 6 : 8;                                // groups written in hex

  // "::" replaces a zero run: any non-empty part of any zero run, not only the longest.
  std::size_t gap = n, gap_end = n;
  if (g.percent(80)) {
    std::size_t runs[8][2];
    std::size_t count = 0;
    for (std::size_t i = 0; i < n;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < n && groups[j] == 0) ++j;
      runs[count][0] = i;
      runs[count][1] = j;
      ++count;
      i = j;
    }
    if (count != 0) {
      const std::size_t* run = runs[g.below(static_cast<std::uint32_t>(count))];
      const auto len = static_cast<std::uint32_t>(run[1] - run[0]);
      const std::uint32_t sub_len = 1 + g.below(len);
      gap = run[0] + g.below(len - sub_len + 1);
      gap_end = gap + sub_len;
    }
  }

  const bool upper = g.percent(20);
  const bool mixed_case = g.percent(10);
  const bool padding = g.percent(25);
  bool need_colon = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == gap) {
      t.append("::");
      need_colon = false;
      i = gap_end - 1;
      continue;
    }
    if (need_colon) t.push(':');
    t.append_number(groups[i], 16, mixed_case ? g.percent(50) : upper, padding ? 1 + g.below(4) : 0);
    need_colon = true;
  }
  if (tail) {
    if (need_colon) t.push(':');
    strict_ipv4(g, t);
  }
}

void legacy_ipv4(rng& g, text_buffer& t) {
  const std::uint32_t parts = 1 + g.below(4);
  for (std::uint32_t i = 0; i < parts; ++i) {
    if (i != 0) t.push('.');
    const bool last = i + 1 == parts;
    const std::uint64_t room = last ? (std::uint64_t{1} << (8 * (4 - i))) - 1 : 255;
    std::uint64_t v;
    switch (g.below(10)) {
      case 0: v = room; break;
      case 1: v = room + 1 + g.below(3); break;  // just too large
      case 2: v = 0; break;
      case 3: v = g.below(256); break;
      case 4:  // far too large, sometimes beyond 32 bits
        v = (g.next() >> g.below(32));
        break;
      default: v = (g.next() % (room + 1)); break;
    }
    const std::size_t zeros = g.percent(20) ? g.below(4) : 0;
    switch (g.below(6)) {
      case 0:
      case 1:  // octal: a leading 0, sometimes more
        t.push('0');
        if (v != 0 || g.percent(50)) t.append_number(v, 8, false, zeros);
        break;
      case 2:
      case 3:  // hex, 0x or 0X, either case of digits
        t.push('0');
        t.push(g.percent(50) ? 'x' : 'X');
        t.append_number(v, 16, g.percent(50), zeros);
        break;
      default:  // decimal
        t.append_number(v, 10, false, 0);
        break;
    }
    if (g.percent(2)) t.append("00000000000000000000");  // overlong digit strings
  }
}

char mutation_char(rng& g) {
  switch (g.below(20)) {
    case 0:
    case 1:
    case 2: return static_cast<char>('0' + g.below(10));
    case 3: return static_cast<char>('a' + g.below(6));
    case 4: return static_cast<char>('A' + g.below(6));
    case 5:
    case 6: return '.';
    case 7:
    case 8: return ':';
    case 9: return 'x';
    case 10: return 'X';
    case 11: return '%';
    case 12: return ' ';
    case 13: return '\0';
    case 14: return '-';
    case 15: return '+';
    case 16: return "\t\n\v\f\r"[g.below(5)];
    case 17: return '0';
    default: return static_cast<char>(static_cast<unsigned char>(g.below(256)));
  }
}

void mutate(rng& g, text_buffer& t) {
  const std::uint32_t edits = 1 + g.below(3);
  for (std::uint32_t e = 0; e < edits; ++e) {
    const auto len = static_cast<std::uint32_t>(t.size());
    switch (g.below(3)) {
      case 0: t.insert(g.below(len + 1), mutation_char(g)); break;
      case 1:
        if (len != 0) t.erase(g.below(len));
        break;
      default:
        if (len != 0) t.replace(g.below(len), mutation_char(g));
        break;
    }
  }
}

void any_valid(rng& g, text_buffer& t) {
  switch (g.below(3)) {
    case 0: strict_ipv4(g, t); break;
    case 1: ipv6(g, t); break;
    default: legacy_ipv4(g, t); break;
  }
}

// --- the run ------------------------------------------------------------------------------------

/// Runs every check on each text, counts texts and disagreements, prints the first few.
class differential_run {
 public:
  void check(std::string_view text) {
    ++texts_;
    report(text, emsock::proof::check_ipv4_strict(text));
    report(text, emsock::proof::check_ipv4_legacy(text));
    report(text, emsock::proof::check_ipv6(text));
    report(text, emsock::proof::check_ip_address_dispatch(text));
    report(text, emsock::proof::check_ipv4_paths(text));  // every code path against the scalar one
    report(text, emsock::proof::check_ipv6_paths(text));
    // Acceptance counts, so a test can show its generator makes what it claims.
    strict_ok_ += emsock::ipv4_address::parse(text).ok();
    legacy_ok_ += emsock::ipv4_address::parse_legacy(text).ok();
    ipv6_ok_ += emsock::ipv6_address::parse(text).ok();
  }
  std::size_t texts() const noexcept { return texts_; }
  std::size_t disagreements() const noexcept { return disagreements_; }
  std::size_t strict_accepted() const noexcept { return strict_ok_; }
  std::size_t legacy_accepted() const noexcept { return legacy_ok_; }
  std::size_t ipv6_accepted() const noexcept { return ipv6_ok_; }

 private:
  void report(std::string_view text, const std::string& what) {
    if (what.empty()) return;
    if (++disagreements_ <= 8)
      std::fprintf(stderr, "\n  disagreement on %s: %s", emsock::proof::escape(text).c_str(), what.c_str());
  }
  std::size_t texts_ = 0;
  std::size_t disagreements_ = 0;
  std::size_t strict_ok_ = 0;
  std::size_t legacy_ok_ = 0;
  std::size_t ipv6_ok_ = 0;
};

/// Generates `count` texts with `make` and checks them all; fails the test on any disagreement.
/// Returns the run, for the acceptance counts.
template <class Make>
differential_run run_generated(std::uint64_t seed, std::size_t count, Make make) {
  rng g(seed);
  text_buffer t;
  differential_run run;
  for (std::size_t i = 0; i < count; ++i) {
    t.clear();
    make(g, t);
    run.check(t.view());
  }
  UNSIGNED_LONGS_EQUAL(count, run.texts());
  UNSIGNED_LONGS_EQUAL_TEXT(0, run.disagreements(), "emsock and the C library disagree (first ones above)");
  return run;
}

/// `part` is at least `low` percent and at most `high` percent of `whole`.
void check_share(const char* what, std::size_t part, std::size_t whole, std::size_t low, std::size_t high) {
  const std::string label = std::string(what) + ": " + std::to_string(part) + " of " + std::to_string(whole);
  CHECK_TEXT(part * 100 >= whole * low && part * 100 <= whole * high, label.c_str());
}

constexpr std::size_t strict_ipv4_count = 150'000;
constexpr std::size_t ipv6_count = 300'000;
constexpr std::size_t legacy_count = 200'000;
constexpr std::size_t mutated_count = 400'000;
static_assert(strict_ipv4_count + ipv6_count + legacy_count + mutated_count >= 1'000'000,
              "the differential test checks at least a million generated strings");

}  // namespace

TEST_GROUP(differential){};

TEST(differential, hand_picked_edge_cases) {
  using namespace std::string_view_literals;
  static constexpr std::string_view texts[] = {
      ""sv, "0"sv, "."sv, ":"sv, "::"sv, ":::"sv, "0.0.0.0"sv, "255.255.255.255"sv, "256.0.0.0"sv, "1.2.3.256"sv,
      "01.2.3.4"sv, "1.2.3.04"sv, "1.2.3"sv, "1.2.3.4.5"sv, "1..2.3"sv, "1.2.3.4."sv, ".1.2.3.4"sv, "-1.2.3.4"sv,
      "+1.2.3.4"sv, "1.2.3.-4"sv, "1e3.1.1.1"sv, "0x7f.1"sv, "0x7F.0X1"sv, "0x"sv, "0X"sv, "0x.1"sv, "1.0x"sv,
      "08"sv, "09.1"sv, "1.08"sv, "0377.0377.0377.0377"sv, "0400.1"sv, "0.0400"sv, "4294967295"sv, "4294967296"sv,
      "0xffffffff"sv, "0x100000000"sv, "037777777777"sv, "040000000000"sv, "00000000000000000000001"sv,
      "0x00000000000000000000ff"sv, "99999999999999999999999"sv, "1.16777215"sv, "1.16777216"sv, "1.2.65535"sv,
      "1.2.65536"sv, "1.2.3.255"sv, "1.2.3.256"sv, "256.1"sv, "1.2.3.4 "sv, " 1.2.3.4"sv, "1.2.3.4\t"sv,
      "1.2.3.4\n"sv, "1.2.3.4 junk"sv, "1.2.3.4x"sv, "1 .2.3.4"sv, "1.2.3.4\0"sv, "1.2\0.3.4"sv, "\0"sv,
      "x\0"sv, "::1"sv, "1::"sv, "1:2:3:4:5:6:7:8"sv, "1:2:3:4:5:6:7:8:9"sv, "1:2:3:4:5:6:7::"sv,
      "::2:3:4:5:6:7:8"sv, "1:2:3:4:5:6:7::8"sv, "1::2::3"sv, "::1::"sv, "1:::2"sv, ":1::2"sv, "1::2:"sv,
      "::ffff:1.2.3.4"sv, "::FFFF:1.2.3.4"sv, "::1.2.3.4"sv, "::0.0.0.1"sv, "::0.1.0.0"sv, "::ffff:0:0"sv,
      "::ffff:0.0.0.0"sv, "1:2:3:4:5:6:1.2.3.4"sv, "1:2:3:4:5:6:7:1.2.3.4"sv, "1::2:3:4:5:6:1.2.3.4"sv,
      "::01.2.3.4"sv, "::1.2.3"sv, "::1.2.3.4.5"sv, "::1.2.3.4:1"sv, "1.2.3.4::"sv, "::256.1.1.1"sv,
      "::1234.1.1.1"sv, "::a.1.2.3"sv, "12345::"sv, "00000::"sv, "0000::"sv, "::0000:0"sv, "fe80::1%eth0"sv,
      "fe80::1%"sv, "1:0:0:1:0:0:0:1"sv, "1:0:0:0:1:0:0:1"sv, "0:0:1:0:0:1:0:0"sv, "1:0:1:0:1:0:1:0"sv,
      "2001:db8::1"sv, "2001:DB8::1"sv, "2001:0db8:0000:0000:0000:0000:0000:0001"sv, "::1\0"sv, "1::\0"sv,
      "g::"sv, "::g"sv, "1: :2"sv, " ::1"sv, "::1 "sv, "[::1]"sv, "1.2.3.4:80"sv,
  };
  differential_run run;
  for (const std::string_view text : texts) run.check(text);
  UNSIGNED_LONGS_EQUAL_TEXT(0, run.disagreements(), "emsock and the C library disagree (first ones above)");
}

// The valid generators make only valid text: every string is accepted (by the oracle too, since
// there is no disagreement), so the million strings are not mostly trivial rejections.
TEST(differential, strict_ipv4) {
  const differential_run run = run_generated(0x1001, strict_ipv4_count, strict_ipv4);
  UNSIGNED_LONGS_EQUAL(strict_ipv4_count, run.strict_accepted());
  UNSIGNED_LONGS_EQUAL(strict_ipv4_count, run.legacy_accepted());
}

TEST(differential, ipv6_with_zero_runs_tails_case_and_padding) {
  const differential_run run = run_generated(0x1002, ipv6_count, ipv6);
  UNSIGNED_LONGS_EQUAL(ipv6_count, run.ipv6_accepted());
}

// Legacy parts are sometimes too large on purpose: most strings are accepted, a fair share rejected.
TEST(differential, legacy_ipv4_forms) {
  const differential_run run = run_generated(0x1003, legacy_count, legacy_ipv4);
  check_share("legacy texts accepted", run.legacy_accepted(), legacy_count, 40, 90);
}

TEST(differential, mutations_of_all_forms) {
  const differential_run run = run_generated(0x1004, mutated_count, [](rng& g, text_buffer& t) {
    any_valid(g, t);
    mutate(g, t);
  });
  // Mutations keep some texts valid (a digit for a digit) and break most.
  check_share("mutated texts accepted as strict IPv4", run.strict_accepted(), mutated_count, 1, 30);
  check_share("mutated texts accepted as legacy IPv4", run.legacy_accepted(), mutated_count, 2, 40);
  check_share("mutated texts accepted as IPv6", run.ipv6_accepted(), mutated_count, 2, 40);
}

// Each vector path on its own (every text above already went through every path this CPU runs; these
// say which ran, and skip visibly for a path this build or CPU lacks): on fresh valid and mutated
// texts the path gives the scalar result, and its vector code accepts every valid text by itself.
static void vector_path_run(const char* name) {
#if EMSOCK_SMALL_CODE
  EMSOCK_SKIP((std::string(name) + " path: the small build has the scalar parsers only").c_str());
#else
  const emsock::detail::parse_path* p = emsock::detail::find_parse_path(name);
  if (p == nullptr) EMSOCK_SKIP((std::string(name) + " path: not built for this architecture").c_str());
  if (!p->available()) EMSOCK_SKIP((std::string(name) + " path: this CPU lacks it").c_str());
  rng g(0x2001);
  text_buffer t;
  std::size_t v4_taken = 0, v6_taken = 0, disagreements = 0;
  constexpr std::size_t count = 50'000;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint8_t b[16];
    t.clear();
    strict_ipv4(g, t);
    v4_taken += p->try_ipv4(t.view().data(), t.size(), b);
    t.clear();
    ipv6(g, t);
    v6_taken += p->try_ipv6(t.view().data(), t.size(), b);
    t.clear();
    any_valid(g, t);
    mutate(g, t);
    for (const std::string& m : {emsock::proof::check_ipv4_paths(t.view()), emsock::proof::check_ipv6_paths(t.view())})
      if (!m.empty() && ++disagreements <= 8)
        std::fprintf(stderr, "\n  disagreement on %s: %s", emsock::proof::escape(t.view()).c_str(), m.c_str());
  }
  UNSIGNED_LONGS_EQUAL_TEXT(count, v4_taken, "valid IPv4 texts the vector code declined");
  UNSIGNED_LONGS_EQUAL_TEXT(count, v6_taken, "valid IPv6 texts the vector code declined");
  UNSIGNED_LONGS_EQUAL_TEXT(0, disagreements, "the path and the scalar parser disagree (first ones above)");
#endif
}

TEST(differential, vector_path_sse41) { vector_path_run("sse4.1"); }
TEST(differential, vector_path_neon) { vector_path_run("neon"); }

// Formatting, exhaustively where the speed build's formatters have tables and per-group arithmetic
// (core/src/ipv4_address.cpp, ipv6_address.cpp): every octet value in every position, every group
// value in every position, every set of zero groups, against inet_ntop (with the ::/96 rule of
// c_library_oracle.hpp); the small build runs the same cases. A sample also goes through every
// buffer size (buffer_too_small writes nothing, nothing after the text is touched).
namespace {

/// Counts the addresses whose check fails and prints the first few.
class format_run {
 public:
  template <class Address>
  void check(const Address& a, bool every_size) {
    std::string m = emsock::proof::check_format(a);
    if (m.empty() && every_size) m = emsock::proof::check_to_chars_sizes(a);
    ++checked_;
    if (m.empty()) return;
    if (++disagreements_ <= 8) {
      char text[Address::max_text_len];
      const auto r = a.to_chars(text, text + sizeof text);
      std::fprintf(stderr, "\n  format of %s: %s",
                   emsock::proof::escape({text, static_cast<std::size_t>(r.ptr - text)}).c_str(), m.c_str());
    }
  }
  std::size_t checked() const noexcept { return checked_; }
  std::size_t disagreements() const noexcept { return disagreements_; }

 private:
  std::size_t checked_ = 0, disagreements_ = 0;
};

/// A group with 1 to 4 significant hex digits (never zero).
std::uint16_t nonzero_group(rng& g) {
  const unsigned digits = 1 + g.below(4);
  const std::uint32_t low = digits == 1 ? 1 : 1u << (4 * (digits - 1));
  return static_cast<std::uint16_t>(low + g.below((1u << (4 * digits)) - low));
}

}  // namespace

TEST(differential, format_every_ipv4_octet_in_every_position) {
  // The other octets cycle through every digit count.
  static constexpr std::uint8_t others[] = {0, 9, 10, 99, 100, 255, 1, 200};
  format_run run;
  for (unsigned position = 0; position < 4; ++position)
    for (unsigned v = 0; v < 256; ++v)
      for (unsigned o = 0; o < 8; ++o) {
        emsock::ipv4_address::bytes_type b{};
        for (unsigned i = 0; i < 4; ++i) b[i] = others[(o + 3 * i) % 8];
        b[position] = static_cast<std::uint8_t>(v);
        run.check(emsock::ipv4_address(b), true);
      }
  UNSIGNED_LONGS_EQUAL(4 * 256 * 8, run.checked());
  UNSIGNED_LONGS_EQUAL_TEXT(0, run.disagreements(), "IPv4 to_chars and inet_ntop disagree (first ones above)");
}

TEST(differential, format_every_ipv6_group_in_every_position) {
  rng g(0x3001);
  format_run run;
  for (unsigned position = 0; position < 8; ++position)
    for (std::uint32_t v = 0; v < 0x10000; ++v) {
      // Around it: all zero (runs on both sides; ::ffff:0:0/96 and ::/96 when it is group 5, 6 or 7),
      // half zero, or no zero at all.
      std::array<std::uint16_t, 8> groups{};
      const unsigned background = v % 3;
      for (auto& group : groups)
        group = background == 0 ? 0 : background == 1 && g.percent(50) ? 0 : nonzero_group(g);
      groups[position] = static_cast<std::uint16_t>(v);
      run.check(emsock::ipv6_address::from_groups(groups), v % 61 == 0);
    }
  UNSIGNED_LONGS_EQUAL(8 * 0x10000, run.checked());
  UNSIGNED_LONGS_EQUAL_TEXT(0, run.disagreements(), "IPv6 to_chars and inet_ntop disagree (first ones above)");
}

TEST(differential, format_every_ipv6_zero_run_shape) {
  rng g(0x3002);
  format_run run;
  for (unsigned zeros = 0; zeros < 256; ++zeros)
    for (unsigned fill = 0; fill < 16; ++fill) {
      std::array<std::uint16_t, 8> groups{};
      for (unsigned k = 0; k < 8; ++k)
        groups[k] = (zeros >> k & 1) != 0 ? 0 : fill == 0 ? 0xffff : fill == 1 ? 1 : nonzero_group(g);
      run.check(emsock::ipv6_address::from_groups(groups), true);
    }
  // IPv4-mapped: every value of the first embedded octet pair, the rest random.
  for (std::uint32_t v = 0; v < 0x10000; ++v) {
    const auto low = static_cast<std::uint16_t>(g.next());
    run.check(emsock::ipv6_address::from_groups({0, 0, 0, 0, 0, 0xffff, static_cast<std::uint16_t>(v), low}),
              v % 61 == 0);
  }
  UNSIGNED_LONGS_EQUAL(256 * 16 + 0x10000, run.checked());
  UNSIGNED_LONGS_EQUAL_TEXT(0, run.disagreements(), "IPv6 to_chars and inet_ntop disagree (first ones above)");
}
