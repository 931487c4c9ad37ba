// SPDX-License-Identifier: MIT
// emsock/port/event_set.hpp - readiness over many sockets, registered once: the per-wait cost follows the
// ready sockets, not the registered ones (where the system allows it).
//
// poll_set<N> is rebuilt for every wait and the system walks all of it. event_set<N> keeps its
// sockets registered between waits: add() once, modify() only when what a socket waits for changes,
// remove() before closing it. wait() then hands back the ready sockets only, each under the key the
// caller gave it (its slot in the caller's pool, below N), so the caller visits nothing else.
//
//   POSIX on Linux: epoll (level-triggered; one epoll descriptor per open set). A wait costs what
//                   the ready sockets cost, whatever N is.
//   elsewhere:      poll() over the registered sockets (lwIP, the fake, other POSIX systems); the
//                   set skips the unregistered keys, the caller still visits only the ready ones.
// The events mean what poll_set's mean (readable, writable, hangup, error; hangup on a half-close
// only while reading is wanted), on every backend. No heap: the records are inside event_set<N>.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/duration.hpp"
#include "emsock/port/native.hpp"
#include "emsock/port/poll_set.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// One ready socket of the last wait: the key it was added with, and what happened to it.
struct ready_socket {
  std::size_t key = 0;
  poll_events events;
};

class event_set_base {
 public:
  event_set_base(const event_set_base&) = delete;
  event_set_base& operator=(const event_set_base&) = delete;

  /// Makes the set usable (on Linux: creates its epoll descriptor). Calling it again while open does nothing.
  /// Errors: too_many_open_files, out_of_memory (the system's; nothing is open then).
  status open() noexcept;
  /// Forgets every socket and releases what open() took (the sockets themselves are untouched).
  void (close)() noexcept;
  bool is_open() const noexcept { return native_ >= 0; }

  /// Registers `handle` under `key` (below capacity()), watched for reading and/or writing (errors
  /// and a connection that is gone are always reported). Errors: invalid_argument (not open, key
  /// out of range or already in use, invalid handle), and the system's (out_of_memory, or
  /// too_many_open_files when the system's limit of watched sockets is reached); nothing changes then.
  status add(std::size_t key, native_handle_type handle, bool want_read, bool want_write) noexcept;
  /// Changes what the socket under `key` is watched for; does nothing when that is unchanged.
  /// Errors: invalid_argument (no socket under key), the system's.
  status modify(std::size_t key, bool want_read, bool want_write) noexcept;
  /// Unregisters the socket under `key`; call it before closing the socket. Errors: invalid_argument
  /// (no socket under key); the key is free again in any case.
  status remove(std::size_t key) noexcept;
  /// The handle registered under `key`, or invalid_native_handle.
  native_handle_type handle(std::size_t key) const noexcept {
    return key < capacity_ ? entries_[key].handle : invalid_native_handle;
  }

  /// Waits until at least one registered socket is ready or `timeout` passes (0: just look;
  /// negative: no limit). Returns how many are ready (0: the time passed; at most capacity()); read
  /// them with ready(). Errors: interrupted (a signal: not restarted), invalid_argument (not open,
  /// timeout above max_timeout), the system's (out_of_memory). An empty set waits for the timeout.
  result<std::size_t> wait(milliseconds timeout) noexcept;
  /// The i-th ready socket of the last wait. Precondition: i < the count wait() returned; valid
  /// until the next wait(), modify() or remove() of any key.
  ready_socket ready(std::size_t i) const noexcept;

  /// Sockets registered now.
  std::size_t size() const noexcept { return size_; }
  /// Keys 0 to capacity() - 1.
  std::size_t capacity() const noexcept { return capacity_; }

 protected:
  /// What one key holds: its handle and the interest it was registered with (ready_key: for
  /// poll-based sets, the key of the i-th ready socket of the last wait is entries[i].ready_key).
  struct entry {
    native_handle_type handle = invalid_native_handle;
    bool want_read = false;
    bool want_write = false;
    std::uint32_t ready_key = 0;
  };

  /// Precondition: capacity fits in 32 bits (event_set<N> checks it).
  event_set_base(entry* entries, native_event_record* records, std::size_t capacity) noexcept;
  ~event_set_base() { (close)(); }

 private:
  /// The entry under `key` when a socket is registered there, else null.
  entry* registered(std::size_t key) const noexcept {
    return key < capacity_ && entries_[key].handle != invalid_native_handle ? &entries_[key] : nullptr;
  }
  /// add()'s checks: open, key in range and free, handle valid.
  bool can_add(std::size_t key, native_handle_type handle) const noexcept {
    return is_open() && key < capacity_ && handle != invalid_native_handle && registered(key) == nullptr;
  }
  /// Records what add() or modify() registered.
  void note(std::size_t key, native_handle_type handle, bool want_read, bool want_write) noexcept;

  entry* entries_;
  native_event_record* records_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  int native_ = -1;           ///< the epoll descriptor (Linux), or 1 when a poll-based set is open
  poll_set_base polls_;       ///< poll-based sets: the registered keys' records, by key (unused with epoll)
  std::size_t ready_count_ = 0;
};

/// An event set with room for N sockets (keys 0 to N - 1) inside it.
template <std::size_t N>
class event_set : public event_set_base {
  static_assert(N > 0, "an event set needs room for at least one socket");
  static_assert(N <= 0xffffffffu, "event set keys are 32-bit");

 public:
  event_set() noexcept : event_set_base(entries_, records_, N) {}

 private:
  entry entries_[N];
  native_event_record records_[N];
};

}  // namespace emsock
