// SPDX-License-Identifier: MIT
// poll_set over struct pollfd records kept by the caller: ::poll sees them as they are.
#include <poll.h>

#include <cerrno>

#include "emsock/port/poll_set.hpp"

namespace emsock {

result<std::size_t> poll_set_base::add(native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (size_ == capacity_) return errc::buffer_too_small;
  // POLLRDHUP (Linux): the peer's FIN alone raises no POLLHUP on TCP, only this. Asked for only
  // with reading: it stays raised, so a socket that waits for POLLOUT only would wake at once.
  const int events = want_read ? POLLIN | POLLRDHUP | (want_write ? POLLOUT : 0) : (want_write ? POLLOUT : 0);
  records_[size_] = pollfd{handle, static_cast<short>(events), 0};
  return size_++;
}

result<std::size_t> poll_set_base::wait(milliseconds timeout) noexcept {
  const result<int> timeout_ms = detail::int_timeout(timeout);  // -1: no limit
  if (!timeout_ms) return timeout_ms.err();
  const int n = ::poll(records_, static_cast<nfds_t>(size_), timeout_ms.value());
  if (n < 0) return errc_from_errno(errno);  // EINTR -> interrupted, deliberately not restarted
  return static_cast<std::size_t>(n);
}

poll_events poll_set_base::events(std::size_t index) const noexcept {
  const int re = records_[index].revents;
  poll_events e;
  e.readable = (re & POLLIN) != 0;
  e.writable = (re & POLLOUT) != 0;
  e.hangup = (re & (POLLHUP | POLLRDHUP)) != 0;
  e.error = (re & (POLLERR | POLLNVAL)) != 0;
  return e;
}

}  // namespace emsock
