// port/lwip-raw/clock.cpp - now_ms(): lwIP's sys_now() widened to 64 bits. The glue defines no clock
// and no interrupt vector: sys_now() is the board's or the SDK's (port/mps2 has one for QEMU's boards).
#include <cstdint>

#include "emsock/lwip_raw/echo.hpp"

extern "C" {
#include "lwip/sys.h"
}

namespace emsock::lwip_raw {

std::uint64_t now_ms() noexcept {
  // Only the main loop calls lwIP (NO_SYS=1), so no lock. A step of 2^31 ms or more between two
  // calls is taken as the clock going backwards (never happens with one caller) and ignored.
  static std::uint64_t last = 0;
  static bool started = false;
  const std::uint32_t now = sys_now();
  if (!started) {
    started = true;
    last = now;
  } else {
    const std::uint32_t step = now - static_cast<std::uint32_t>(last);  // modulo 2^32
    if (step < 0x80000000u) last += step;
  }
  return last;
}

}  // namespace emsock::lwip_raw
