// monotonic_ms over lwIP's sys_now(), extended from 32 to 64 bits.
extern "C" {
#include "lwip/sys.h"
}

#include "emsock/port/clock.hpp"

namespace emsock {

std::uint64_t monotonic_ms() noexcept {
  // sys_now() wraps after 49.7 days. The last value seen is kept in 64 bits; a reading that is
  // "behind" it by less than half the range is a concurrent caller's older reading, not a wrap, and
  // gives the last value (so the result never goes backwards). Guarded by SYS_ARCH_PROTECT, which
  // every lwIP port provides (no 64-bit atomics needed on small cores).
  static std::uint64_t last = 0;
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  const std::uint32_t now = sys_now();
  const std::uint32_t step = now - static_cast<std::uint32_t>(last);  // modulo 2^32
  if (step < 0x80000000u) last += step;
  const std::uint64_t out = last;
  SYS_ARCH_UNPROTECT(level);
  return out;
}

}  // namespace emsock
