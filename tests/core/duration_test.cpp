// SPDX-License-Identifier: MIT
// emsock::milliseconds, the one duration type, and its conversion to the int milliseconds of
// poll(2) and lwIP. (No <climits> before CppUTest's header: its LLONG_MAX switches CppUTest's long
// long support per translation unit, which the bare-metal CppUTest library does not have.)
#include <chrono>
#include <cstdint>
#include <type_traits>

#include <CppUTest/TestHarness.h>

#include "emsock/duration.hpp"

using emsock::milliseconds;
using namespace std::chrono_literals;

// Zero-cost: an integer count, trivially copyable, usable at compile time.
static_assert(std::is_trivially_copyable_v<milliseconds>);
static_assert(sizeof(milliseconds) == sizeof(std::int64_t));
static_assert(milliseconds{std::chrono::seconds{3}}.count() == 3000, "coarser units convert implicitly");
static_assert(!std::is_convertible_v<int, milliseconds>, "a bare number has no unit: say milliseconds{n}");
static_assert(!std::is_convertible_v<std::chrono::microseconds, milliseconds>, "finer units need a cast");
static_assert(emsock::infinite_timeout < milliseconds::zero());
static_assert(emsock::max_timeout.count() == INT32_MAX);
static_assert(emsock::detail::int_timeout(250ms).value() == 250);

TEST_GROUP(duration){};

TEST(duration, int_timeout_keeps_zero_and_the_count) {
  LONGS_EQUAL(0, emsock::detail::int_timeout(0ms).value());
  LONGS_EQUAL(1500, emsock::detail::int_timeout(1500ms).value());
  LONGS_EQUAL(INT32_MAX, emsock::detail::int_timeout(emsock::max_timeout).value());
}

TEST(duration, every_negative_timeout_is_no_limit) {
  LONGS_EQUAL(-1, emsock::detail::int_timeout(emsock::infinite_timeout).value());
  LONGS_EQUAL(-1, emsock::detail::int_timeout(-7ms).value());
  LONGS_EQUAL(-1, emsock::detail::int_timeout(milliseconds::min()).value());
}

TEST(duration, longer_than_max_timeout_is_invalid_argument_not_cut_short) {
  const auto over = emsock::detail::int_timeout(emsock::max_timeout + 1ms);
  CHECK_FALSE(over.ok());
  CHECK(over.code() == emsock::errc::invalid_argument);
  CHECK(emsock::detail::int_timeout(std::chrono::hours{24 * 365}).code() == emsock::errc::invalid_argument);
  CHECK(emsock::detail::int_timeout(milliseconds::max()).code() == emsock::errc::invalid_argument);
}
