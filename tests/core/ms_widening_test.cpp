// SPDX-License-Identifier: MIT
// widen_ms: a wrapping 32-bit millisecond counter (lwIP's sys_now()) read as 64 bits. The readings
// that matter: 0, 2^31 - 1, 2^31, 2^32 - 1 (each as the first reading and as a later one), the
// wrap, and gaps up to 2^32 - 1 between two readings.
#include <cstdint>

#include <CppUTest/TestHarness.h>

#include "emsock/ms_widening.hpp"

using emsock::widen_ms;

namespace {

constexpr std::uint32_t edges[] = {0u, 0x7fffffffu, 0x80000000u, 0xffffffffu};

// Usable in constant expressions (no clock in core, only arithmetic).
static_assert(widen_ms(0, 0xffffffffu) == 0xffffffffu, "the first reading is the count");
static_assert(widen_ms(0xffffffffu, 0u) == 0x100000000u, "the wrap carries");

}  // namespace

// 64-bit counts compared as two 32-bit halves: bare-metal CppUTest is built without long long
// support, so it has no StringFrom(std::uint64_t).
#define CHECK_EQUAL_U64(expected, actual)                                              \
  do {                                                                                 \
    const std::uint64_t e_ = (expected), a_ = (actual);                                \
    UNSIGNED_LONGS_EQUAL_TEXT(static_cast<unsigned long>(e_ >> 32),                    \
                              static_cast<unsigned long>(a_ >> 32), "high 32 bits");   \
    UNSIGNED_LONGS_EQUAL_TEXT(static_cast<unsigned long>(e_ & 0xffffffffu),            \
                              static_cast<unsigned long>(a_ & 0xffffffffu), "low 32 bits"); \
  } while (0)

TEST_GROUP(ms_widening){};

TEST(ms_widening, the_first_reading_is_the_count_whatever_its_value) {
  for (const std::uint32_t first : edges) UNSIGNED_LONGS_EQUAL(first, widen_ms(0, first));
}

TEST(ms_widening, one_millisecond_after_each_edge_is_one_more) {
  for (const std::uint32_t first : edges) {
    const std::uint64_t at = widen_ms(0, first);
    const std::uint64_t next = widen_ms(at, static_cast<std::uint32_t>(first + 1u));
    CHECK_EQUAL_U64(at + 1u, next);  // 2^32 - 1 -> 0 is 2^32, not 0
  }
}

TEST(ms_widening, the_same_reading_again_does_not_move) {
  for (const std::uint32_t first : edges) {
    const std::uint64_t at = widen_ms(0, first);
    CHECK_EQUAL_U64(at, widen_ms(at, first));
  }
}

TEST(ms_widening, a_tick_at_a_time_across_the_wrap_counts_every_tick) {
  // As a 1 ms tick sees it: 2^32 - 3, ..., 2^32 + 3.
  std::uint64_t count = widen_ms(0, 0xfffffffdu);
  std::uint32_t reading = 0xfffffffdu;
  for (int tick = 0; tick < 6; ++tick) {
    ++reading;
    const std::uint64_t next = widen_ms(count, reading);
    CHECK_EQUAL_U64(count + 1u, next);
    count = next;
  }
  CHECK_EQUAL_U64(0x100000003ull, count);
}

TEST(ms_widening, each_gap_up_to_2_pow_32_minus_1_is_counted_in_full) {
  // From every edge, gaps of 1, 2^31 - 1, 2^31 and 2^32 - 1: a caller that reads rarely (up to
  // 49.7 days apart) still sees all the time that passed, across as many wraps as it takes.
  const std::uint32_t gaps[] = {1u, 0x7fffffffu, 0x80000000u, 0xffffffffu};
  for (const std::uint32_t first : edges) {
    std::uint64_t count = widen_ms(0, first);
    std::uint32_t reading = first;
    std::uint64_t elapsed = 0;
    for (int lap = 0; lap < 3; ++lap) {
      for (const std::uint32_t gap : gaps) {
        reading = static_cast<std::uint32_t>(reading + gap);
        elapsed += gap;
        count = widen_ms(count, reading);
        CHECK_EQUAL_U64(std::uint64_t{first} + elapsed, count);
      }
    }
  }
}

TEST(ms_widening, a_count_far_into_its_range_keeps_its_high_bits) {
  // A count far into its range (2^40 ms = 34 years) keeps its high bits and adds the step.
  const std::uint64_t far = (std::uint64_t{1} << 40) + 0xfffffff0u;
  CHECK_EQUAL_U64(far + 0x20u, widen_ms(far, 0x10u));
}
