// SPDX-License-Identifier: MIT
// monotonic_ms over lwIP's sys_now(), extended from 32 to 64 bits by emsock::widen_ms.
extern "C" {
#include "lwip/sys.h"
}

#include "emsock/ms_widening.hpp"
#include "emsock/port/clock.hpp"

namespace emsock {

std::uint64_t monotonic_ms() noexcept {
  // sys_now() wraps after 49.7 days. The count is kept in 64 bits and widened from every reading;
  // sys_now() is read and widened under SYS_ARCH_PROTECT (every lwIP port provides it; no 64-bit
  // atomics needed on small cores), so concurrent callers hand widen_ms their readings in order.
  static std::uint64_t count = 0;
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  count = widen_ms(count, sys_now());
  const std::uint64_t out = count;
  SYS_ARCH_UNPROTECT(level);
  return out;
}

}  // namespace emsock
