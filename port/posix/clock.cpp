// SPDX-License-Identifier: MIT
// monotonic_ms over CLOCK_MONOTONIC.
#include <time.h>

#include "emsock/port/clock.hpp"

namespace emsock {

std::uint64_t monotonic_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // cannot fail for CLOCK_MONOTONIC with a valid pointer
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

}  // namespace emsock
