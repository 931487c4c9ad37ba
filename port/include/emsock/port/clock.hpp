// emsock/port/clock.hpp - the time the sans-IO sessions are given.
#pragma once

#include <cstdint>

namespace emsock {

/// Milliseconds from a monotonic clock with an arbitrary epoch (POSIX: CLOCK_MONOTONIC; lwIP:
/// sys_now()): a point in time, not a duration (those are emsock::milliseconds, duration.hpp). Only
/// differences mean anything. Never fails.
std::uint64_t monotonic_ms() noexcept;

}  // namespace emsock
