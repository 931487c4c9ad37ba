// SPDX-License-Identifier: MIT
// emsock/port/poll_set.hpp - poll over many sockets without a bound on the stack and without heap.
//
// poll_set<N> holds the backend's own poll records (struct pollfd for POSIX and lwIP), so a wait
// hands them to the stack as they are: no translation, no copy, no per-call limit but N. APIs take
// poll_set_base&, which does not depend on N.
#pragma once

#include <cstddef>

#include "emsock/duration.hpp"
#include "emsock/port/native.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// What happened to one socket during poll_set_base::wait().
struct poll_events {
  bool readable = false;  ///< data or end of stream to read; for a listener, a connection to accept
  bool writable = false;  ///< send would take at least one byte
  bool hangup = false;    ///< the peer closed its sending side, or the connection is gone
  bool error = false;     ///< an error is pending, or the handle is not open

  constexpr bool any() const noexcept { return readable || writable || hangup || error; }
};

class poll_set_base {
 public:
  /// Watches up to `capacity` sockets in storage[0, capacity), which must outlive the set.
  poll_set_base(native_pollfd* storage, std::size_t capacity) noexcept : records_(storage), capacity_(capacity) {}
  poll_set_base(const poll_set_base&) = delete;
  poll_set_base& operator=(const poll_set_base&) = delete;

  /// Forgets every socket (the sockets themselves are untouched).
  void clear() noexcept { size_ = 0; }

  /// Watches `handle` for reading and/or writing and returns its index for events(). Errors and a
  /// connection that is gone are always reported; the peer's half-close (hangup with the connection
  /// still writable) only with want_read, so that a socket waiting to write does not wake for it.
  /// Errors: buffer_too_small when the set already holds capacity() sockets (nothing changes).
  result<std::size_t> add(native_handle_type handle, bool want_read, bool want_write) noexcept;

  /// Watches `handle` at `index` in place of what was there, for a set kept between waits
  /// (event_set). The set grows to index + 1 when it is smaller; the records in between watch
  /// nothing (invalid_native_handle: never ready). An invalid handle unwatches the index.
  /// Errors: buffer_too_small when index >= capacity() (nothing changes).
  status assign(std::size_t index, native_handle_type handle, bool want_read, bool want_write) noexcept;

  /// Waits until at least one socket is ready or `timeout` passes (0: just look; infinite_timeout or
  /// any negative value: no limit). Returns how many sockets are ready (0: the time passed).
  /// Errors: interrupted (a signal arrived; not restarted, so that a signal can stop a loop),
  /// out_of_memory, invalid_argument (also: timeout above max_timeout).
  result<std::size_t> wait(milliseconds timeout) noexcept;

  /// What happened to socket `index` (from add()) in the last wait(). Precondition: index < size().
  poll_events events(std::size_t index) const noexcept;

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  native_pollfd* records_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

/// A poll set with room for N sockets inside it.
template <std::size_t N>
class poll_set : public poll_set_base {
  static_assert(N > 0, "a poll set needs room for at least one socket");

 public:
  poll_set() noexcept : poll_set_base(records_, N) {}

 private:
  native_pollfd records_[N];
};

}  // namespace emsock
