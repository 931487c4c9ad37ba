// SPDX-License-Identifier: MIT
// port/lwip-raw/clock.cpp - now_ms(): lwIP's sys_now() widened to 64 bits. The glue defines no clock
// and no interrupt vector: sys_now() is the board's or the SDK's (port/boards/mps2 has one for QEMU's boards).
#include <cstdint>

#include "emsock/lwip_raw/echo.hpp"
#include "emsock/ms_widening.hpp"

extern "C" {
#include "lwip/sys.h"
}

namespace emsock::lwip_raw {

std::uint64_t now_ms() noexcept {
  static std::uint64_t last = 0;  // only the main loop calls lwIP (NO_SYS=1): no lock
  last = widen_ms(last, sys_now());
  return last;
}

}  // namespace emsock::lwip_raw
