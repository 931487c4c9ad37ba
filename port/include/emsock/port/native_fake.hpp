// SPDX-License-Identifier: MIT
// emsock/port/native_fake.hpp - what the in-memory fake backend shows through the interface.
// Included by emsock/port/native.hpp only (EMSOCK_PORT_FAKE); do not include it directly.
//
// The fake has no native error codes: every fault it reports, injected or not, is already an errc
// (the same reasons the POSIX and lwIP backends map their errno values to), so it needs no
// native -> errc mapping function. Its test-control API is emsock/port/fake.hpp.
#pragma once

#include <cstdint>

#include "emsock/error.hpp"

namespace emsock {

/// A fake descriptor: an index into the fake's fixed socket table, tagged with the table's
/// generation (so a handle kept across fake::reset() is recognised as stale, never as a new socket).
using native_handle_type = int;
/// The value of a handle that owns nothing.
inline constexpr native_handle_type invalid_native_handle = -1;
/// The backend's name, for logs and test reports.
inline constexpr const char* port_name = "fake";

/// The record poll_set<N> stores for one socket (the fake's own poll record: what to watch, and
/// what the last wait saw).
struct native_pollfd {
  native_handle_type handle = invalid_native_handle;  ///< negative: skipped, no events
  bool want_read = false;
  bool want_write = false;
  std::uint8_t seen = 0;  ///< bit set of the last wait's events (private to the fake)
};

/// event_set<N> runs on poll_set (no epoll here): its records are poll records.
#define EMSOCK_NATIVE_EPOLL 0
using native_event_record = native_pollfd;
/// The poll records are the backend's own, with what a wait saw in `seen` (port/common/poll_set_seen.cpp).
#define EMSOCK_NATIVE_POLL_SEEN 1

}  // namespace emsock
