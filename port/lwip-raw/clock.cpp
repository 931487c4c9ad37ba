// SPDX-License-Identifier: MIT
// port/lwip-raw/clock.cpp - emsock::monotonic_ms() on the raw-API backend: lwIP's sys_now()
// widened to 64 bits. The backend defines no clock and no interrupt vector: sys_now() is the board's or
// the SDK's (port/boards/mps2 has one for QEMU's boards). A file of its own so that ctest
// port-lwip-raw-clock-* links it over a sys_now() of the test's.
#include <cstdint>

#include "emsock/ms_widening.hpp"
#include "emsock/port/clock.hpp"

extern "C" {
#include "lwip/sys.h"
}

namespace emsock {

std::uint64_t monotonic_ms() noexcept {
  static std::uint64_t count = 0;  // NO_SYS=1: only the main loop calls (no lock)
  count = widen_ms(count, sys_now());
  return count;
}

}  // namespace emsock
