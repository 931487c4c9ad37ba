// SPDX-License-Identifier: MIT
// tests/fuzz/fuzz_events.hpp - what the session fuzz targets share: a reader that decodes events from
// the input, and the check that aborts (a crash for libFuzzer, a failure for the replay runner).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// Aborts with the file, line and condition when `cond` is false.
#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "fuzz check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace emsock_test {

/// The input, byte by byte: 0 once it is used up (so every event decodes, however short the input).
struct reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos = 0;
  bool more() const { return pos < size; }
  std::uint8_t next() { return pos < size ? data[pos++] : 0; }
};

}  // namespace emsock_test
