// SPDX-License-Identifier: MIT
// Helpers shared by the core suites: text of an address, and a check of one parse error.
#pragma once

#include <string>
#include <string_view>

#include <CppUTest/TestHarness.h>

#include "emsock/emsock.hpp"

namespace emsock_test {

/// to_chars into a large buffer, as a std::string (test code may allocate; the core may not).
template <class Address>
std::string text_of(const Address& a) {
  char buf[128];
  const emsock::to_chars_result r = a.to_chars(buf, buf + sizeof buf);
  CHECK_EQUAL(static_cast<int>(emsock::errc::ok), static_cast<int>(r.code()));
  return std::string(buf, r.ptr);
}

/// One row of an invalid-input table: the text, the expected reason, the expected offset.
struct bad_input {
  std::string_view text;
  emsock::errc code;
  std::size_t offset;
};

/// Runs `parse` over each row and checks reason and offset, naming the row on failure.
template <class Parse, std::size_t N>
void check_rejects(Parse parse, const bad_input (&rows)[N]) {
  for (const bad_input& row : rows) {
    const auto r = parse(row.text);
    const std::string label = "input \"" + std::string(row.text) + "\"";
    CHECK_FALSE_TEXT(r.ok(), label.c_str());
    STRCMP_EQUAL_TEXT(emsock::name(row.code), emsock::name(r.code()), label.c_str());
    UNSIGNED_LONGS_EQUAL_TEXT(row.offset, r.offset(), label.c_str());
  }
}

}  // namespace emsock_test
