// SPDX-License-Identifier: MIT
// emsock/port/clock.hpp - the time the sans-IO sessions are given.
#pragma once

#include <cstdint>

namespace emsock {

/// Milliseconds from a monotonic clock with an arbitrary epoch (POSIX: CLOCK_MONOTONIC; lwIP:
/// sys_now() widened to 64 bits by emsock::widen_ms, whatever its first reading, which counts every
/// wrap as long as some thread calls this at least once every 49.7 days): a point in time, not a
/// duration (those are emsock::milliseconds, duration.hpp). Only differences mean anything.
/// Thread-safe. Never fails.
std::uint64_t monotonic_ms() noexcept;

}  // namespace emsock
