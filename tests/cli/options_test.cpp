// SPDX-License-Identifier: MIT
// The example tools' shared option parser (examples/common/options.hpp): numbers never wrap, and
// --help anywhere before "--" wins over every usage error.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

// CppUTest last: its leak detector's `new` macro must not meet the placement new of emsock's headers.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/TestHarness.h>

using emsock_examples::option;
using emsock_examples::parse_number;
using emsock_examples::parse_options;
using emsock_examples::parse_seconds;

/// CHECK that two 64-bit values are equal, printing the value found otherwise.
#define CHECK_U64(expected, actual) \
  CHECK_TEXT((expected) == (actual), ("got " + std::to_string(actual)).c_str())

namespace {

constexpr std::uint64_t u64_max = ~std::uint64_t{0};

/// parse_number's message for `text` in [min, max] ("" when it is accepted), and the value.
std::string number(std::string_view text, std::uint64_t min, std::uint64_t max, std::uint64_t* value = nullptr) {
  std::uint64_t v = 12345;  // what an error must leave alone
  std::string e = parse_number("N", text, min, max, v);
  if (value != nullptr) *value = v;
  if (!e.empty()) CHECK_U64(12345, v);
  return e;
}

/// A tool's table: --port VALUE, --quiet, --help, -h.
struct tool {
  std::string_view port;
  bool quiet = false, help = false;
  std::vector<std::string_view> operands;
  std::string parse(std::vector<const char*> args) {
    args.insert(args.begin(), "tool");
    std::vector<char*> argv;
    for (const char* a : args) argv.push_back(const_cast<char*>(a));
    return parse_options(static_cast<int>(argv.size()), argv.data(),
                         {{"--port", &port}, {"--quiet", nullptr, &quiet}, {"--help", nullptr, &help},
                          {"-h", nullptr, &help}},
                         operands);
  }
};

}  // namespace

TEST_GROUP(parse_number){};

TEST(parse_number, accepts_the_whole_range_up_to_2_64_minus_1) {
  std::uint64_t v = 0;
  STRCMP_EQUAL("", number("18446744073709551615", 0, u64_max, &v).c_str());
  CHECK_U64(u64_max, v);
  STRCMP_EQUAL("", number("0", 0, u64_max, &v).c_str());
  CHECK_U64(0, v);
  STRCMP_EQUAL("", number("00000000000000000000000000000018446744073709551615", 0, u64_max, &v).c_str());
  CHECK_U64(u64_max, v);
}

TEST(parse_number, never_wraps_past_2_64) {
  // 2^64 + k used to be read as k wherever max > (2^64 - 10) / 10.
  const char* const too_big[] = {"18446744073709551616", "18446744073709551619", "18446744073709551696",
                                 "99999999999999999999", "184467440737095516150"};
  for (const char* t : too_big) {
    STRCMP_EQUAL((std::string("N: ") + t + " is out of range (0 to 18446744073709551615)").c_str(),
                 number(t, 0, u64_max).c_str());
    STRCMP_EQUAL((std::string("N: ") + t + " is out of range (0 to 1844674407370955161)").c_str(),
                 number(t, 0, u64_max / 10).c_str());
  }
  STRCMP_EQUAL("", number("1844674407370955161", 0, u64_max / 10).c_str());
  STRCMP_EQUAL("N: 1844674407370955162 is out of range (0 to 1844674407370955161)",
               number("1844674407370955162", 0, u64_max / 10).c_str());
}

TEST(parse_number, a_digit_above_a_small_max_is_out_of_range) {
  STRCMP_EQUAL("N: 9 is out of range (0 to 5)", number("9", 0, 5).c_str());
  STRCMP_EQUAL("N: 6 is out of range (0 to 5)", number("6", 0, 5).c_str());
  STRCMP_EQUAL("", number("5", 0, 5).c_str());
  STRCMP_EQUAL("N: 1 is out of range (0 to 0)", number("1", 0, 0).c_str());
  STRCMP_EQUAL("", number("000", 0, 0).c_str());
  STRCMP_EQUAL("N: 65536 is out of range (1 to 65535)", number("65536", 1, 65535).c_str());
  STRCMP_EQUAL("N: 0 is out of range (1 to 65535)", number("0", 1, 65535).c_str());
}

TEST(parse_number, anything_but_digits_is_not_a_number_even_after_many_digits) {
  STRCMP_EQUAL("N: '+80' is not a number (character 0)", number("+80", 0, 65535).c_str());
  STRCMP_EQUAL("N: ' 80' is not a number (character 0)", number(" 80", 0, 65535).c_str());
  STRCMP_EQUAL("N: '80 ' is not a number (character 2)", number("80 ", 0, 65535).c_str());
  STRCMP_EQUAL("N: '-1' is not a number (character 0)", number("-1", 0, 65535).c_str());
  STRCMP_EQUAL("N: '99999999999999999999999x' is not a number (character 23)",
               number("99999999999999999999999x", 0, 65535).c_str());
  STRCMP_EQUAL("N: empty value, expected a number (0 to 5)", number("", 0, 5).c_str());
}

TEST_GROUP(parse_seconds){};

TEST(parse_seconds, whole_and_fraction_never_wrap) {
  std::uint64_t ms = 7;
  STRCMP_EQUAL("", parse_seconds("T", "1000000000.999", ms).c_str());
  CHECK_U64(1000000000999ull, ms);
  STRCMP_EQUAL("", parse_seconds("T", "0.5", ms).c_str());
  CHECK_U64(500, ms);
  STRCMP_EQUAL("T: 18446744073709551616 is out of range (0 to 1000000000)",
               parse_seconds("T", "18446744073709551616", ms).c_str());
  STRCMP_EQUAL("T: 18446744073709551616 is out of range (0 to 1000000000)",
               parse_seconds("T", "18446744073709551616.5", ms).c_str());
  STRCMP_EQUAL("T: '1.18446744073709551616' needs 1 to 3 digits after the point",
               parse_seconds("T", "1.18446744073709551616", ms).c_str());
  CHECK_U64(500, ms);  // unchanged by the errors
}

TEST_GROUP(parse_options){};

TEST(parse_options, help_anywhere_before_double_dash_wins_over_every_problem) {
  const std::vector<std::vector<const char*>> cases = {
      {"--bogus", "--help"},       // after an unknown option
      {"-h", "--bogus"},           // before one
      {"--port", "--help"},        // in place of a value
      {"--port", "-h"},            //
      {"--quiet=yes", "--help"},   // after a flag given a value
      {"--port", "80", "x", "-h"}, // after operands
  };
  for (const auto& args : cases) {
    tool t;
    STRCMP_EQUAL_TEXT("", t.parse(args).c_str(), args[0]);
    CHECK_TEXT(t.help, args[0]);
  }
}

TEST(parse_options, help_after_double_dash_is_an_operand) {
  tool t;
  STRCMP_EQUAL("", t.parse({"--", "--help", "-h"}).c_str());
  CHECK_FALSE(t.help);
  UNSIGNED_LONGS_EQUAL(2, t.operands.size());
  STRCMP_EQUAL("--help", std::string(t.operands[0]).c_str());
}

TEST(parse_options, help_as_an_inline_value_is_the_value) {
  tool t;
  STRCMP_EQUAL("", t.parse({"--port=--help"}).c_str());
  CHECK_FALSE(t.help);
  STRCMP_EQUAL("--help", std::string(t.port).c_str());
}

TEST(parse_options, help_with_a_value_is_a_usage_error) {
  tool t;
  STRCMP_EQUAL("option '--help' takes no value", t.parse({"--help=yes"}).c_str());
}

TEST(parse_options, without_help_the_first_problem_is_reported) {
  tool t;
  STRCMP_EQUAL("unknown option '--bogus'", t.parse({"--quiet", "--bogus", "--other"}).c_str());
  tool u;
  STRCMP_EQUAL("option '--port' needs a value", u.parse({"--port"}).c_str());
  tool v;
  STRCMP_EQUAL("", v.parse({"a", "--port", "80", "--quiet", "b"}).c_str());
  CHECK(v.quiet);
  STRCMP_EQUAL("80", std::string(v.port).c_str());
  UNSIGNED_LONGS_EQUAL(2, v.operands.size());
}

int main(int argc, char** argv) { return CommandLineTestRunner::RunAllTests(argc, argv) == 0 ? 0 : 1; }
