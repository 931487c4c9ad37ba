// poll over caller-provided entries, translated through a fixed stack array of struct pollfd.
#include <poll.h>

#include <cerrno>

#include "emsock/port/poll.hpp"

namespace emsock {

result<std::size_t> poll(poll_entry* entries, std::size_t count, int timeout_ms) noexcept {
  if (count > max_poll_entries || (entries == nullptr && count > 0)) return errc::invalid_argument;
  pollfd fds[max_poll_entries];
  for (std::size_t i = 0; i < count; ++i) {
    poll_entry& e = entries[i];
    e.readable = e.writable = e.hangup = e.error = false;
    // POLLRDHUP (Linux): the peer's FIN alone does not raise POLLHUP on TCP, only with it.
    const int events = (e.want_read ? POLLIN : 0) | (e.want_write ? POLLOUT : 0) | POLLRDHUP;
    fds[i] = pollfd{e.handle, static_cast<short>(events), 0};  // a negative fd is ignored by poll
  }
  const int n = ::poll(fds, static_cast<nfds_t>(count), timeout_ms < 0 ? -1 : timeout_ms);
  if (n < 0) return errc_from_errno(errno);  // EINTR -> interrupted, deliberately not restarted
  std::size_t ready = 0;
  for (std::size_t i = 0; i < count; ++i) {
    poll_entry& e = entries[i];
    const int re = fds[i].revents;
    e.readable = (re & POLLIN) != 0;
    e.writable = (re & POLLOUT) != 0;
    e.hangup = (re & (POLLHUP | POLLRDHUP)) != 0;
    e.error = (re & (POLLERR | POLLNVAL)) != 0;
    if (e.ready()) ++ready;
  }
  return ready;
}

}  // namespace emsock
