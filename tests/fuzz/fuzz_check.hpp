// SPDX-License-Identifier: MIT
// tests/fuzz/fuzz_check.hpp - how the address fuzz targets fail: print the input and the reason, abort.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "c_library_oracle.hpp"

namespace emsock::fuzz {

/// Aborts (a crash for libFuzzer, a failure for the replay runner) when `what` is not empty.
inline void require(const char* target, std::string_view input, const std::string& what) {
  if (what.empty()) return;
  std::fprintf(stderr, "%s: input %s: %s\n", target, emsock::proof::escape(input).c_str(), what.c_str());
  std::abort();
}

}  // namespace emsock::fuzz
