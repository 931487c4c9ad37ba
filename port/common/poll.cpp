// SPDX-License-Identifier: MIT
// poll() over caller-provided entries, through a poll_set of max_poll_entries records on the stack.
// Backend-neutral: the backend only provides poll_set.
#include "emsock/port/poll.hpp"

#include "emsock/port/poll_set.hpp"

namespace emsock {

result<std::size_t> poll(poll_entry* entries, std::size_t count, milliseconds timeout) noexcept {
  if (count > max_poll_entries || (entries == nullptr && count > 0)) return errc::invalid_argument;
  poll_set<max_poll_entries> set;
  for (std::size_t i = 0; i < count; ++i) {
    poll_entry& e = entries[i];
    e.readable = e.writable = e.hangup = e.error = false;
    (void)set.add(e.handle, e.want_read, e.want_write);  // cannot fail: count <= capacity
  }
  const result<std::size_t> n = set.wait(timeout);
  if (!n) return n;
  std::size_t ready = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const poll_events ev = set.events(i);
    poll_entry& e = entries[i];
    e.readable = ev.readable;
    e.writable = ev.writable;
    e.hangup = ev.hangup;
    e.error = ev.error;
    if (e.ready()) ++ready;
  }
  return ready;
}

}  // namespace emsock
