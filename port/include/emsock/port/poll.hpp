// SPDX-License-Identifier: MIT
// emsock/port/poll.hpp - wait until one of several sockets can make progress.
#pragma once

#include <cstddef>

#include "emsock/duration.hpp"
#include "emsock/port/native.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// The most entries one poll() call accepts. poll() translates the entries through a fixed array
/// of this many `struct pollfd` on its stack (8 bytes each: 128 bytes), so it never allocates and
/// its frame stays within 256 bytes on a small RTOS thread. More sockets: poll_set<N> (poll_set.hpp),
/// whose records live where its owner puts them.
inline constexpr std::size_t max_poll_entries = 16;

/// One socket to watch: fill `handle`, `want_read`, `want_write`; poll() fills the rest.
struct poll_entry {
  native_handle_type handle = invalid_native_handle;  ///< a negative handle is skipped (all outputs false)
  bool want_read = false;   ///< wake when readable
  bool want_write = false;  ///< wake when writable

  // --- outputs, cleared by every poll() ---------------------------------------------------------
  /// Data to read, end of stream to read, or (listener) a connection to accept.
  bool readable = false;
  /// send would take at least one byte (or report the error at once).
  bool writable = false;
  /// The peer has closed its sending side (recv will give 0 once the data is read) or the
  /// connection is gone. Reported whether or not it was asked for.
  bool hangup = false;
  /// An error is pending on the socket, or the handle is not open. Reported whether or not asked for.
  bool error = false;

  constexpr bool ready() const noexcept { return readable || writable || hangup || error; }
};

/// Waits until at least one entry is ready or `timeout` passes (0: just look; infinite_timeout or
/// any negative value: no limit). Returns how many entries are ready (0 = the time passed).
/// Precondition: count <= max_poll_entries, entries non-null when count > 0, timeout at most
/// max_timeout (else invalid_argument).
/// count == 0 simply waits for the timeout (the lwIP backend, which has no signals to end such a
/// wait, answers invalid_argument when there is also no timeout).
/// Errors: interrupted (a signal arrived: not restarted, so that a signal can stop a poll loop),
/// out_of_memory, invalid_argument. Allocates nothing.
result<std::size_t> (poll)(poll_entry* entries, std::size_t count, milliseconds timeout) noexcept;

/// poll() over a whole array.
template <std::size_t N>
result<std::size_t> (poll)(poll_entry (&entries)[N], milliseconds timeout) noexcept {
  static_assert(N <= max_poll_entries, "poll takes at most max_poll_entries entries");
  return (poll)(entries, N, timeout);
}

}  // namespace emsock
