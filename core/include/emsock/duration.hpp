// SPDX-License-Identifier: MIT
// emsock/duration.hpp - the one type of every duration in emsock's API: timeouts, waits, idle times.
//
// emsock::milliseconds is std::chrono::milliseconds: a signed 64-bit count of milliseconds, as cheap
// as the integer it holds (on Cortex-M too; no clock, no library code). Built explicitly from a
// number (milliseconds{250}, or 250ms with std::chrono_literals), and implicitly from any coarser
// std::chrono duration (std::chrono::seconds{5}); a finer one (microseconds) needs duration_cast.
//
// Points in time are not durations: they stay std::uint64_t milliseconds of a monotonic clock whose
// epoch does not matter (monotonic_ms() in the port layer, the `now_ms` the sessions are given).
#pragma once

#include <chrono>
#include <cstdint>

#include "emsock/result.hpp"

namespace emsock {

using milliseconds = std::chrono::milliseconds;

/// A timeout meaning "wait as long as it takes". Wherever a wait takes it, any negative timeout
/// means the same.
inline constexpr milliseconds infinite_timeout{-1};

/// The longest finite timeout of a wait, a connect or a socket timeout: 2^31 - 1 ms (24.8 days),
/// what poll(2) and lwIP take. A longer one is invalid_argument there, never cut short.
inline constexpr milliseconds max_timeout{INT32_MAX};

namespace detail {

/// `timeout` as the int milliseconds of poll(2) and lwIP: -1 (no limit) for any negative timeout,
/// otherwise its count. Errors: invalid_argument above max_timeout.
constexpr result<int> int_timeout(milliseconds timeout) noexcept {
  if (timeout < milliseconds::zero()) return -1;
  if (timeout > max_timeout) return errc::invalid_argument;
  return static_cast<int>(timeout.count());
}

}  // namespace detail
}  // namespace emsock
