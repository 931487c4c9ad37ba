// SPDX-License-Identifier: MIT
#include <cstring>
#include <set>
#include <string>

#include <CppUTest/TestHarness.h>

#include "emsock/error.hpp"
#include "emsock/result.hpp"

using emsock::errc;

TEST_GROUP(error_text){};

TEST(error_text, every_reason_has_a_distinct_name_and_phrase) {
  std::set<std::string> names, phrases;
  const auto last = static_cast<unsigned>(errc::called_from_callback);  // the last value of the enum
  for (unsigned i = 0; i <= last; ++i) {
    const auto code = static_cast<errc>(i);
    const char* const phrase = emsock::describe(code);
    const char* const spelled = emsock::name(code);
    CHECK_TEXT(phrase != nullptr, "describe() gave null");  // checked before strlen reads it
    CHECK_TEXT(spelled != nullptr, "name() gave null");
    CHECK(std::strlen(phrase) > 0);
    CHECK(std::strcmp(spelled, "unknown") != 0);
    names.insert(emsock::name(code));
    phrases.insert(emsock::describe(code));
  }
  UNSIGNED_LONGS_EQUAL(last + 1, names.size());
  UNSIGNED_LONGS_EQUAL(last + 1, phrases.size());
}

TEST(error_text, names_match_the_enum_spelling) {
  STRCMP_EQUAL("ok", emsock::name(errc::ok));
  STRCMP_EQUAL("leading_zero", emsock::name(errc::leading_zero));
  STRCMP_EQUAL("more_than_one_double_colon", emsock::name(errc::more_than_one_double_colon));
  STRCMP_EQUAL("system_error", emsock::name(errc::system_error));
  STRCMP_EQUAL("datagram_truncated", emsock::name(errc::datagram_truncated));
  STRCMP_EQUAL("leading zero not permitted", emsock::describe(errc::leading_zero));
}

TEST(error_text, values_are_appended_never_renumbered) {
  // Stored and logged as numbers: the values of the enum never change.
  LONGS_EQUAL(51, static_cast<int>(errc::system_error));
  LONGS_EQUAL(52, static_cast<int>(errc::datagram_truncated));
  LONGS_EQUAL(53, static_cast<int>(errc::called_from_callback));
}

TEST(error_text, out_of_range_values_are_unknown_not_a_crash) {
  STRCMP_EQUAL("unknown error", emsock::describe(static_cast<errc>(250)));
  STRCMP_EQUAL("unknown", emsock::name(static_cast<errc>(250)));
}

TEST(error_text, fatal_means_not_ok_and_not_retryable) {
  CHECK_FALSE(emsock::is_fatal(errc::ok));
  CHECK_FALSE(emsock::is_fatal(errc::would_block));
  CHECK_FALSE(emsock::is_fatal(errc::interrupted));
  CHECK_FALSE(emsock::is_fatal(errc::in_progress));
  CHECK_FALSE(emsock::is_fatal(errc::datagram_truncated));  // the socket goes on with the next datagram
  CHECK(emsock::is_fatal(errc::connection_reset));
  CHECK(emsock::is_fatal(errc::timed_out));
  CHECK(emsock::is_fatal(errc::leading_zero));
}

TEST_GROUP(result_type){};

TEST(result_type, carries_value_or_error) {
  const emsock::result<int> good(42);
  CHECK(good.ok());
  LONGS_EQUAL(42, good.value());
  LONGS_EQUAL(42, good.value_or(7));
  const emsock::result<int> bad(errc::part_out_of_range, 3);
  CHECK_FALSE(bad.ok());
  CHECK(bad.code() == errc::part_out_of_range);
  UNSIGNED_LONGS_EQUAL(3, bad.offset());
  LONGS_EQUAL(7, bad.value_or(7));
  CHECK((bad.err() == emsock::error{errc::part_out_of_range, 3}));
}

TEST(result_type, status_without_value) {
  const emsock::status fine;
  CHECK(fine.ok());
  const emsock::status failed(errc::would_block);
  CHECK_FALSE(failed.ok());
  CHECK(failed.code() == errc::would_block);
}

// The result type works at compile time.
static_assert(emsock::result<int>(5).ok());
static_assert(emsock::result<int>(5).value() == 5);
static_assert(!emsock::result<int>(errc::empty_input).ok());
static_assert(emsock::result<int>(errc::empty_input, 9).offset() == 9);
