// SPDX-License-Identifier: MIT
// core/src/simd_parse.cpp - vector paths of the strict IPv4 and the IPv6 parsers (speed build only):
// SSE4.1 on x86-64 (picked by a CPU check unless the compiler already targets it), NEON on aarch64.
//
// Both parsers work the same way on every architecture:
// - The text is read into zero-padded 16-byte blocks by loads that stay inside it (overlapping ones,
//   and a shuffle that slides the last bytes down): never a byte past the caller's text. The vector
//   code classifies every byte at once: digit, hex digit, '.', ':', and its value.
// - The structure is read from the resulting bit masks with a few scalar steps (one bit per byte).
// - Anything not certainly valid is declined, and the caller runs the scalar parser: errors, their
//   codes and offsets only ever come from it.
// IPv4: the positions of the three dots and the length (one 16-bit key, a perfect hash of it) give
//   the lengths of the four parts; each of the 81 possible length patterns has a shuffle that puts
//   every part's digits right-aligned into a 4-byte lane, then multiply-adds give the four values,
//   compared at once with 255 and with the smallest value of a part that long (10 for two digits,
//   100 for three: a leading zero makes it smaller).
// IPv6: groups are runs of 1-4 hex digits between colons; at most one "::", a colon at either end
//   only as part of it, eight groups without it and at most seven with it (six and five before a
//   dotted IPv4 tail, which the IPv4 vector code parses). The vector code gives every byte the
//   value of the hex digits that end there (up to four, never across a colon); eight branch-free
//   rounds gather the groups in order from the mask of group ends, and one shuffle widens "::".
#include "simd_parse.hpp"

#if !EMSOCK_SMALL_CODE

#include <cstring>

#if EMSOCK_SIMD_SSE41
#include <immintrin.h>
#endif
#if EMSOCK_SIMD_NEON
#include <arm_neon.h>
#endif

namespace emsock::detail {
namespace {

#if EMSOCK_SIMD_SSE41 || EMSOCK_SIMD_NEON
// The helpers below are inlined into each vector function, so that they are compiled for its target
// (POPCNT on x86-64) and stay in registers.
#define EMSOCK_SIMD_INLINE inline __attribute__((always_inline))

// --- reading the text without reading past it ---------------------------------------------------

inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

/// text[0, n) for n <= 15 as a zero-padded 16-byte block in two little-endian words, from loads
/// that stay inside the text (overlapping ones, whose common bytes are the same).
EMSOCK_SIMD_INLINE void load_short(const char* s, std::size_t n, std::uint64_t& lo, std::uint64_t& hi) noexcept {
  if (n >= 8) {
    lo = load64(s);
    hi = (load64(s + n - 8) >> 8) >> (8 * (15 - n));  // bytes 8..n-1
  } else if (n >= 4) {
    lo = load32(s) | load32(s + n - 4) << (8 * (n - 4));
    hi = 0;
  } else {
    lo = 0;
    hi = 0;
    if (n != 0)
      lo = std::uint64_t{static_cast<unsigned char>(s[0])} |
           std::uint64_t{static_cast<unsigned char>(s[n / 2])} << (8 * (n / 2)) |
           std::uint64_t{static_cast<unsigned char>(s[n - 1])} << (8 * (n - 1));
  }
}

/// Shuffle indexes that move the last k bytes of a 16-byte load to its front and zero the rest:
/// 16 bytes from slide + 16 - k (0x80 is zero for pshufb and tbl alike).
alignas(16) constexpr std::uint8_t slide[32] = {
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

// --- IPv4: the length patterns ----------------------------------------------------------------------

/// For one pattern of part lengths: the shuffle that moves part k's digits to bytes 4k..4k+2 of a
/// lane (hundreds, tens, units; absent digits take index 0x80, which both pshufb and tbl turn into
/// 0), and each part's smallest value without a leading zero.
struct ipv4_pattern {
  alignas(16) std::uint8_t shuffle[16];
  alignas(16) std::int32_t min[4];
};

/// A text's shape as one number: a bit per dot and one just past the end (n <= 15, so 16 bits).
constexpr unsigned ipv4_key(unsigned dots, unsigned n) noexcept { return dots | 1u << n; }

/// Multiplier of a perfect hash of the 81 valid keys into 256 slots (found by trying; the table's
/// constructor proves it perfect at compile time).
constexpr std::uint32_t ipv4_hash_factor = 0x86e5b70du;
constexpr unsigned ipv4_hash(unsigned key) noexcept { return (key * ipv4_hash_factor) >> 24; }

/// The 81 patterns (part lengths 1..3 each), and per hash slot the key that belongs there (0: none)
/// and its pattern.
struct ipv4_pattern_table {
  ipv4_pattern p[81];
  std::uint16_t slot_key[256];
  std::uint8_t slot_pattern[256];
  bool perfect = true;
  constexpr ipv4_pattern_table() noexcept : p{}, slot_key{}, slot_pattern{} {
    for (unsigned index = 0; index < 81; ++index) {
      const unsigned len[4] = {index / 27 + 1, index / 9 % 3 + 1, index / 3 % 3 + 1, index % 3 + 1};
      unsigned start = 0;
      unsigned dots = 0;
      for (unsigned k = 0; k < 4; ++k) {
        for (unsigned j = 0; j < 4; ++j) {
          // byte j of lane k holds digit (j - (3 - len)) of the part, for j in [3 - len, 3)
          const bool digit = j < 3 && j + len[k] >= 3;
          p[index].shuffle[4 * k + j] = static_cast<std::uint8_t>(digit ? start + j + len[k] - 3 : 0x80);
        }
        p[index].min[k] = len[k] == 1 ? 0 : len[k] == 2 ? 10 : 100;
        start += len[k] + 1;
        if (k < 3) dots |= 1u << (start - 1);
      }
      const unsigned key = ipv4_key(dots, start - 1);
      const unsigned h = ipv4_hash(key);
      if (slot_key[h] != 0) perfect = false;
      slot_key[h] = static_cast<std::uint16_t>(key);
      slot_pattern[h] = static_cast<std::uint8_t>(index);
    }
  }
};
constexpr ipv4_pattern_table ipv4_patterns{};
static_assert(ipv4_patterns.perfect, "ipv4_hash_factor must map the 81 patterns to distinct slots");

/// The pattern of a text of n (7..15) bytes whose dot positions are the bits of `dots` (n bits, the
/// other bytes digits); false unless there are exactly three dots and every part has 1-3 digits
/// (exactly when the key is one of the 81 in the table).
EMSOCK_SIMD_INLINE bool ipv4_pattern_index(unsigned dots, unsigned n, unsigned& index) noexcept {
  const unsigned key = ipv4_key(dots, n);
  const unsigned h = ipv4_hash(key);
  index = ipv4_patterns.slot_pattern[h];
  return ipv4_patterns.slot_key[h] == key;
}

// --- IPv6: the structure from the masks ---------------------------------------------------------

/// The groups of the hex part text[0, m) (hex = bit per hex digit, colon = bit per ':', both over
/// the whole text; word[i] = the value of the (up to 4) hex digits that end at byte i, big-endian,
/// for i < 48): group[k] = the k-th group as it stands in memory (zero past the last), and `gap`
/// the index of widen_table's shuffle that widens the "::" in place. groups = 8, or 6 before an IPv4
/// tail. False unless the part is certainly valid.
EMSOCK_SIMD_INLINE bool ipv6_groups(std::uint64_t hex, std::uint64_t colon, unsigned m, unsigned groups,
                                    const std::uint8_t* word, std::uint16_t group[8], unsigned& widen) noexcept {
  const std::uint64_t live = (std::uint64_t{1} << m) - 1;  // m <= 45
  hex &= live;
  colon &= live;
  const std::uint64_t long_group = hex & (hex << 1) & (hex << 2) & (hex << 3) & (hex << 4);
  const std::uint64_t triple = colon & (colon >> 1) & (colon >> 2);
  const std::uint64_t gap = colon & (colon >> 1);  // bit p: "::" at p
  std::uint64_t ends = hex & ~(hex >> 1);          // last digit of each group
  const auto count = static_cast<unsigned>(__builtin_popcountll(ends));
  const unsigned has_gap = gap != 0;
  // One branch for all rules: only hex digits and colons; no 5+ digits, ":::" or second "::"; a
  // colon at either end only as part of "::" (bit m-1 of colon, bit m-2 of gap, 0 when m is
  // smaller); eight groups, or fewer and "::" for at least one.
  const std::uint64_t end_colon = ((colon << 1) >> m) & ~((gap << 2) >> m) & 1;
  const bool bad = ((hex | colon) != live) | ((long_group | triple | (gap & (gap - 1))) != 0) |
                   ((colon & 1) != (gap & 1)) | (end_colon != 0) | (count + has_gap > groups) |
                   (has_gap == 0 && count != groups);
  if (bad) return false;
  // The groups before "::", and how many zero groups it stands for (none without one).
  const auto before = static_cast<unsigned>(__builtin_popcountll(ends & (gap - 1)));
  widen = 9 * before + (groups - count);
  // Eight rounds without a branch: a missing group reads the padding at byte 47 (zero).
  constexpr std::uint64_t none = std::uint64_t{1} << 47;
#pragma GCC unroll 8
  for (unsigned k = 0; k < 8; ++k) {
    const auto e = static_cast<std::size_t>(__builtin_ctzll(ends | none));  // 64-bit: an address index
    ends &= ends - 1;
    std::memcpy(&group[k], word + 2 * e, 2);
  }
  return true;
}

/// Shuffles (pshufb / tbl) that widen "::" in 8 groups: entry 9 * b + z keeps the first b groups,
/// inserts z zero groups, and moves the rest behind them (b + z <= 8).
struct widen_shuffles {
  alignas(16) std::uint8_t index[81][16];
  constexpr widen_shuffles() noexcept : index{} {
    for (unsigned b = 0; b < 9; ++b)
      for (unsigned z = 0; z < 9; ++z)
        for (unsigned j = 0; j < 16; ++j)
          index[9 * b + z][j] = static_cast<std::uint8_t>(j < 2 * b ? j : j < 2 * (b + z) ? 0x80 : j - 2 * z);
  }
};
constexpr widen_shuffles widen_table{};

/// Room for the longest IPv6 text the vector code takes: six full groups and a dotted quad (45).
constexpr std::size_t ipv6_block = 48;

/// The dotted IPv4 tail and the hex part before it, once the masks of the whole text are known:
/// m = length of the hex part, tail = where the tail starts. False when the text cannot be valid.
EMSOCK_SIMD_INLINE bool ipv6_split_tail(std::uint64_t colon, unsigned n, unsigned& m, unsigned& tail) noexcept {
  colon &= (std::uint64_t{1} << n) - 1;
  if (colon == 0) return false;
  const auto last = static_cast<unsigned>(63 - __builtin_clzll(colon));
  tail = last + 1;
  // "...::a.b.c.d" keeps its "::" in the hex part; "...x:a.b.c.d" drops the separating colon.
  m = last != 0 && ((colon >> (last - 1)) & 1) != 0 ? last + 1 : last;
  return tail < n;
}

/// The groups and the widening shuffle (as ipv6_groups) from the masks and group words of the
/// whole text, and the IPv4 tail's bytes (quad, through the IPv4 vector code `v4`; 0 without one).
EMSOCK_SIMD_INLINE bool ipv6_from_masks(const char* s, std::size_t n, std::uint64_t hex, std::uint64_t colon,
                                        bool dotted, const std::uint8_t* word, std::uint16_t group[8],
                                        unsigned& widen, std::uint32_t& quad,
                                        bool (*v4)(const char*, std::size_t, std::uint32_t&) noexcept) noexcept {
  const auto len = static_cast<unsigned>(n);
  quad = 0;
  if (!dotted) return len <= 39 && ipv6_groups(hex, colon, len, 8, word, group, widen);
  unsigned m, tail;
  return ipv6_split_tail(colon, len, m, tail) && ipv6_groups(hex, colon, m, 6, word, group, widen) &&
         v4(s + tail, n - tail, quad);
}

/// Where the bytes 16-47 of a text of 16..45 bytes come from without a branch: bytes 16-31 from
/// s + mid (16 when n >= 32, else the 16 that end the text), slid down by slide1; bytes 32-47 from
/// the 16 that end the text, slid down by slide2 (all zero when n < 32). Offsets into `slide`.
EMSOCK_SIMD_INLINE void long_text_offsets(std::size_t n, std::size_t& mid, std::size_t& slide1,
                                          std::size_t& slide2) noexcept {
  const bool short_text = n < 32;
  mid = short_text ? n - 16 : 16;
  slide1 = short_text ? 32 - n : 0;
  slide2 = short_text ? 16 : 48 - n;
}

#endif  // EMSOCK_SIMD_SSE41 || EMSOCK_SIMD_NEON

}  // namespace

// --- x86-64: SSE4.1 (+ POPCNT) ----------------------------------------------------------------------
#if EMSOCK_SIMD_SSE41
#define EMSOCK_TARGET_SSE41 __attribute__((target("sse4.1,popcnt")))

namespace {
/// The four bytes in memory order (a little-endian word), or false.
EMSOCK_TARGET_SSE41 bool ipv4_word_sse41(const char* s, std::size_t n, std::uint32_t& word) noexcept {
  if (n - 7 > 8) return false;  // 7..15 characters
  std::uint64_t lo, hi;
  load_short(s, n, lo, hi);
  const __m128i x = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
  const __m128i is_dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
  const unsigned live = (1u << n) - 1;
  const unsigned dots = static_cast<unsigned>(_mm_movemask_epi8(is_dot)) & live;
  const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(is_digit)) & live;
  unsigned index;
  if ((dots | digits) != live || !ipv4_pattern_index(dots, static_cast<unsigned>(n), index)) return false;
  const ipv4_pattern& p = ipv4_patterns.p[index];
  const __m128i lanes = _mm_shuffle_epi8(d, _mm_load_si128(reinterpret_cast<const __m128i*>(p.shuffle)));
  const __m128i pairs = _mm_maddubs_epi16(lanes, _mm_setr_epi8(100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0));
  const __m128i values = _mm_madd_epi16(pairs, _mm_set1_epi16(1));
  const __m128i bad = _mm_or_si128(_mm_cmpgt_epi32(values, _mm_set1_epi32(255)),
                                   _mm_cmpgt_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(p.min)), values));
  if (_mm_movemask_epi8(bad) != 0) return false;
  const __m128i bytes = _mm_shuffle_epi8(values, _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  word = static_cast<std::uint32_t>(_mm_cvtsi128_si32(bytes));
  return true;
}

}  // namespace

EMSOCK_TARGET_SSE41 bool try_ipv4_sse41(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  std::uint32_t word;
  if (!ipv4_word_sse41(s, n, word)) return false;
  std::memcpy(out, &word, 4);
  return true;
}

namespace {

/// One 16-byte block of IPv6 text (after the blocks before it, whose digits and hex mask `carry`
/// keeps): its bits in the masks (hex digits, colons, dots, from bit `at`), and the big-endian value
/// of the up-to-4 hex digits that end at each of its bytes into word[2 * at...] (32 bytes). The value
/// at byte i: digit i, digit i-1 << 4, and digits i-2, i-3 << 8 when bytes i-1 and i-2 are hex (a
/// colon's digit is 0, so nothing before a colon counts).
struct ipv6_carry_sse41 {
  __m128i digits = _mm_setzero_si128();
  __m128i pairs = _mm_setzero_si128();
  __m128i hex = _mm_setzero_si128();
};
EMSOCK_TARGET_SSE41 EMSOCK_SIMD_INLINE void classify_ipv6_sse41(__m128i x, ipv6_carry_sse41& carry, std::uint8_t* word,
                                                    std::uint64_t& hex, std::uint64_t& colon, __m128i& dots,
                                                    unsigned at) noexcept {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
  const __m128i l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  const __m128i is_letter = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(5)), l);
  const __m128i is_hex = _mm_or_si128(is_digit, is_letter);
  const __m128i v = _mm_and_si128(_mm_blendv_epi8(_mm_add_epi8(l, _mm_set1_epi8(10)), d, is_digit), is_hex);
  // pairs[i] = digit i-1 << 4 | digit i (the 16-bit shift cannot carry: digits are < 16)
  const __m128i pairs = _mm_or_si128(v, _mm_slli_epi16(_mm_alignr_epi8(v, carry.digits, 15), 4));
  // high[i] = pairs[i-2] when bytes i-2 and i-1 are hex (own[j]: pairs[j], 0 unless j is hex)
  const __m128i own = _mm_and_si128(pairs, is_hex);
  const __m128i high = _mm_and_si128(_mm_alignr_epi8(own, carry.pairs, 14), _mm_alignr_epi8(is_hex, carry.hex, 15));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(word + 2 * at), _mm_unpacklo_epi8(high, pairs));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(word + 2 * at + 16), _mm_unpackhi_epi8(high, pairs));
  carry.digits = v;
  carry.pairs = own;
  carry.hex = is_hex;
  hex |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(is_hex))} << at;
  colon |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(':'))))} << at;
  dots = _mm_or_si128(dots, _mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
}

}  // namespace

EMSOCK_TARGET_SSE41 bool try_ipv6_sse41(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
  if (n - 2 > ipv6_block - 3 - 2) return false;  // 2..45 characters
  alignas(16) std::uint8_t word[2 * ipv6_block];
  std::uint64_t hex = 0, colon = 0;
  __m128i dots = _mm_setzero_si128();
  ipv6_carry_sse41 carry;
  // Only the blocks the text reaches; the words of the last 8 bytes (47: a missing group) are zero.
  _mm_store_si128(reinterpret_cast<__m128i*>(word + 80), _mm_setzero_si128());
  if (n < 16) {
    std::uint64_t lo, hi;
    load_short(s, n, lo, hi);
    classify_ipv6_sse41(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo)), carry, word, hex,
                        colon, dots, 0);
  } else {
    std::size_t mid, slide1, slide2;
    long_text_offsets(n, mid, slide1, slide2);
    classify_ipv6_sse41(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s)), carry, word, hex, colon, dots, 0);
    classify_ipv6_sse41(_mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + mid)),
                                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(slide + slide1))),
                        carry, word, hex, colon, dots, 16);
    if (n > 32)
      classify_ipv6_sse41(_mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16)),
                                           _mm_loadu_si128(reinterpret_cast<const __m128i*>(slide + slide2))),
                          carry, word, hex, colon, dots, 32);
  }
  std::uint16_t g[8];
  unsigned widen;
  std::uint32_t quad;
  if (!ipv6_from_masks(s, n, hex, colon, _mm_movemask_epi8(dots) != 0, word, g, widen, quad, ipv4_word_sse41))
    return false;
  const __m128i groups = _mm_setr_epi16(static_cast<short>(g[0]), static_cast<short>(g[1]), static_cast<short>(g[2]),
                                        static_cast<short>(g[3]), static_cast<short>(g[4]), static_cast<short>(g[5]),
                                        static_cast<short>(g[6]), static_cast<short>(g[7]));
  const __m128i wide = _mm_shuffle_epi8(groups, _mm_load_si128(reinterpret_cast<const __m128i*>(widen_table.index[widen])));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_or_si128(wide, _mm_insert_epi32(_mm_setzero_si128(), static_cast<int>(quad), 3)));
  return true;
}

error parse_ipv4_sse41(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  if (sse41_available() && try_ipv4_sse41(s, n, out)) return {};
  return parse_ipv4_strict(s, n, out);
}
error parse_ipv6_sse41(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
  if (sse41_available() && try_ipv6_sse41(s, n, out)) return {};
  return parse_ipv6_scalar(s, n, out);
}
#endif  // EMSOCK_SIMD_SSE41

// --- aarch64: NEON ------------------------------------------------------------------------------------
#if EMSOCK_SIMD_NEON
namespace {

bool neon_available() noexcept { return true; }

/// One bit per byte of a comparison result (bytes 0 or 0xff), as x86's movemask.
EMSOCK_SIMD_INLINE unsigned movemask_neon(uint8x16_t m) noexcept {
  static constexpr std::uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t t = vandq_u8(m, vld1q_u8(weights));
  return static_cast<unsigned>(vaddv_u8(vget_low_u8(t))) | static_cast<unsigned>(vaddv_u8(vget_high_u8(t))) << 8;
}

/// As ipv4_word_sse41.
bool ipv4_word_neon(const char* s, std::size_t n, std::uint32_t& word) noexcept {
  if (n - 7 > 8) return false;  // 7..15 characters
  std::uint64_t lo, hi;
  load_short(s, n, lo, hi);
  const uint8x16_t x = vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(lo), vcreate_u64(hi)));
  const uint8x16_t d = vsubq_u8(x, vdupq_n_u8('0'));
  const unsigned live = (1u << n) - 1;
  const unsigned dots = movemask_neon(vceqq_u8(x, vdupq_n_u8('.'))) & live;
  const unsigned digits = movemask_neon(vcltq_u8(d, vdupq_n_u8(10))) & live;
  unsigned index;
  if ((dots | digits) != live || !ipv4_pattern_index(dots, static_cast<unsigned>(n), index)) return false;
  const ipv4_pattern& p = ipv4_patterns.p[index];
  const uint8x16_t lanes = vqtbl1q_u8(d, vld1q_u8(p.shuffle));
  static constexpr std::uint8_t weights[16] = {100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0};
  const uint8x16_t w = vld1q_u8(weights);
  const uint16x8_t first = vmull_u8(vget_low_u8(lanes), vget_low_u8(w));  // parts 0, 1
  const uint16x8_t second = vmull_high_u8(lanes, w);                      // parts 2, 3
  const uint16x8_t pairs = vpaddq_u16(first, second);                     // h*100 + t*10, u per part
  const uint16x4_t values = vget_low_u16(vpaddq_u16(pairs, pairs));
  const uint16x4_t min = vmovn_u32(vreinterpretq_u32_s32(vld1q_s32(p.min)));
  const uint16x4_t bad = vorr_u16(vcgt_u16(values, vdup_n_u16(255)), vclt_u16(values, min));
  if (vget_lane_u64(vreinterpret_u64_u16(bad), 0) != 0) return false;
  const uint8x8_t bytes = vmovn_u16(vcombine_u16(values, values));
  word = vget_lane_u32(vreinterpret_u32_u8(bytes), 0);
  return true;
}

}  // namespace

bool try_ipv4_neon(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  std::uint32_t word;
  if (!ipv4_word_neon(s, n, word)) return false;
  std::memcpy(out, &word, 4);
  return true;
}

namespace {

/// As classify_ipv6_sse41.
struct ipv6_carry_neon {
  uint8x16_t digits = vdupq_n_u8(0);
  uint8x16_t pairs = vdupq_n_u8(0);
  uint8x16_t hex = vdupq_n_u8(0);
};
EMSOCK_SIMD_INLINE void classify_ipv6_neon(uint8x16_t x, ipv6_carry_neon& carry, std::uint8_t* word, std::uint64_t& hex,
                               std::uint64_t& colon, uint8x16_t& dots, unsigned at) noexcept {
  const uint8x16_t d = vsubq_u8(x, vdupq_n_u8('0'));
  const uint8x16_t is_digit = vcltq_u8(d, vdupq_n_u8(10));
  const uint8x16_t l = vsubq_u8(vorrq_u8(x, vdupq_n_u8(0x20)), vdupq_n_u8('a'));
  const uint8x16_t is_hex = vorrq_u8(is_digit, vcltq_u8(l, vdupq_n_u8(6)));
  const uint8x16_t v = vandq_u8(vbslq_u8(is_digit, d, vaddq_u8(l, vdupq_n_u8(10))), is_hex);
  const uint8x16_t pairs = vorrq_u8(v, vshlq_n_u8(vextq_u8(carry.digits, v, 15), 4));
  const uint8x16_t own = vandq_u8(pairs, is_hex);
  const uint8x16_t high = vandq_u8(vextq_u8(carry.pairs, own, 14), vextq_u8(carry.hex, is_hex, 15));
  vst1q_u8(word + 2 * at, vzip1q_u8(high, pairs));
  vst1q_u8(word + 2 * at + 16, vzip2q_u8(high, pairs));
  carry.digits = v;
  carry.pairs = own;
  carry.hex = is_hex;
  hex |= std::uint64_t{movemask_neon(is_hex)} << at;
  colon |= std::uint64_t{movemask_neon(vceqq_u8(x, vdupq_n_u8(':')))} << at;
  dots = vorrq_u8(dots, vceqq_u8(x, vdupq_n_u8('.')));
}

}  // namespace

bool try_ipv6_neon(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
  if (n - 2 > ipv6_block - 3 - 2) return false;  // 2..45 characters
  const auto* u = reinterpret_cast<const std::uint8_t*>(s);
  alignas(16) std::uint8_t word[2 * ipv6_block];
  std::uint64_t hex = 0, colon = 0;
  uint8x16_t dots = vdupq_n_u8(0);
  ipv6_carry_neon carry;
  // As in try_ipv6_sse41.
  vst1q_u8(word + 80, vdupq_n_u8(0));
  if (n < 16) {
    std::uint64_t lo, hi;
    load_short(s, n, lo, hi);
    classify_ipv6_neon(vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(lo), vcreate_u64(hi))), carry, word, hex, colon,
                       dots, 0);
  } else {
    std::size_t mid, slide1, slide2;
    long_text_offsets(n, mid, slide1, slide2);
    classify_ipv6_neon(vld1q_u8(u), carry, word, hex, colon, dots, 0);
    classify_ipv6_neon(vqtbl1q_u8(vld1q_u8(u + mid), vld1q_u8(slide + slide1)), carry, word, hex, colon, dots, 16);
    if (n > 32)
      classify_ipv6_neon(vqtbl1q_u8(vld1q_u8(u + n - 16), vld1q_u8(slide + slide2)), carry, word, hex, colon, dots,
                         32);
  }
  std::uint16_t g[8];
  unsigned widen;
  std::uint32_t quad;
  if (!ipv6_from_masks(s, n, hex, colon, vmaxvq_u8(dots) != 0, word, g, widen, quad, ipv4_word_neon)) return false;
  const uint8x16_t groups = vreinterpretq_u8_u16(vld1q_u16(g));
  const uint8x16_t wide = vqtbl1q_u8(groups, vld1q_u8(widen_table.index[widen]));
  vst1q_u8(out, vorrq_u8(wide, vreinterpretq_u8_u32(vsetq_lane_u32(quad, vdupq_n_u32(0), 3))));
  return true;
}

error parse_ipv4_neon(const char* s, std::size_t n, std::uint8_t out[4]) noexcept {
  if (try_ipv4_neon(s, n, out)) return {};
  return parse_ipv4_strict(s, n, out);
}
error parse_ipv6_neon(const char* s, std::size_t n, std::uint8_t out[16]) noexcept {
  if (try_ipv6_neon(s, n, out)) return {};
  return parse_ipv6_scalar(s, n, out);
}
#endif  // EMSOCK_SIMD_NEON

namespace {

constexpr parse_path paths[] = {
#if EMSOCK_SIMD_SSE41
    {"sse4.1", sse41_available, try_ipv4_sse41, try_ipv6_sse41, parse_ipv4_sse41, parse_ipv6_sse41},
#endif
#if EMSOCK_SIMD_NEON
    {"neon", neon_available, try_ipv4_neon, try_ipv6_neon, parse_ipv4_neon, parse_ipv6_neon},
#endif
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},  // the end (and no empty array)
};

}  // namespace

const parse_path* find_parse_path(const char* name) noexcept {
  for (const parse_path& p : paths)
    if (p.name != nullptr && std::strcmp(p.name, name) == 0) return &p;
  return nullptr;
}

}  // namespace emsock::detail

#endif  // !EMSOCK_SMALL_CODE
