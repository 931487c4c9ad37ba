// SPDX-License-Identifier: MIT
// port/common/poll_seen.hpp - the event bits a wait stores in native_pollfd::seen, for the backends
// whose poll records are their own (EMSOCK_NATIVE_POLL_SEEN: the fake, lwip-raw). Private to port/.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/port/native.hpp"

namespace emsock::port_detail {

inline constexpr std::uint8_t readable_bit = 1;
inline constexpr std::uint8_t writable_bit = 2;
inline constexpr std::uint8_t hangup_bit = 4;
inline constexpr std::uint8_t error_bit = 8;

/// Stores events_now(record) in each record's `seen`; returns how many records have any.
template <class EventsNow>
std::size_t count_ready(native_pollfd* records, std::size_t size, EventsNow events_now) noexcept {
  std::size_t ready = 0;
  for (std::size_t i = 0; i < size; ++i) {
    records[i].seen = events_now(records[i]);
    if (records[i].seen != 0) ++ready;
  }
  return ready;
}

}  // namespace emsock::port_detail
