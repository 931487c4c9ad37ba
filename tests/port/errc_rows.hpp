// SPDX-License-Identifier: MIT
// Table-driven tests of a backend's native-code -> errc mappings: one row per native code, written by
// its symbolic name (ROW(EAGAIN, would_block)) so that a failure names the code.
#pragma once

#include <cstddef>

#include <CppUTest/TestHarness.h>

#include "emsock/error.hpp"

namespace emsock_test {

struct errc_row {
  int native;
  const char* native_name;
  emsock::errc expected;
};

/// Checks map(row.native) == row.expected for every row, naming the native code on a mismatch.
template <std::size_t N, typename Map>
void check_rows(const errc_row (&rows)[N], Map map) {
  for (const errc_row& r : rows)
    STRCMP_EQUAL_TEXT(emsock::name(r.expected), emsock::name(map(r.native)), r.native_name);
}

}  // namespace emsock_test

#define ERRC_ROW(e, code) \
  emsock_test::errc_row { e, #e, emsock::errc::code }
