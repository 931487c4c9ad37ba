// SPDX-License-Identifier: MIT
// emsock/ms_widening.hpp - a wrapping 32-bit millisecond counter read as 64 bits. Pure arithmetic:
// the clocks that use it (the lwIP backend's monotonic_ms(), lwip-raw's now_ms()) read the counter
// (lwIP's sys_now()) themselves and keep the 64-bit count.
#pragma once

#include <cstdint>

namespace emsock {

/// The 64-bit count after the counter read `reading`, given the count `last` at the previous
/// reading (0 before the first one, so that the first reading is the count). The count advances by
/// the counter's step since the previous reading, modulo 2^32: any first value works, the wrap
/// after 2^32 - 1 carries, and a gap of up to 2^32 - 1 ms (49.7 days) between two readings is counted
/// in full. Preconditions: the readings come from one counter that never goes backwards, in the order
/// they were taken (several threads: read and widen under one lock), at least one per 2^32 ms (a
/// longer gap loses whole multiples of 2^32 ms). Never fails; the count never goes backwards.
constexpr std::uint64_t widen_ms(std::uint64_t last, std::uint32_t reading) noexcept {
  return last + static_cast<std::uint32_t>(reading - static_cast<std::uint32_t>(last));
}

}  // namespace emsock
