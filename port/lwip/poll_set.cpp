// SPDX-License-Identifier: MIT
// poll_set over lwIP's struct pollfd records: lwip_poll sees them as they are. The set's storage
// (native_pollfd, plain bytes: the public header cannot see lwIP's type) holds pollfd objects,
// created in place by add() and reached through record().
//
// lwIP's poll knows POLLIN, POLLOUT, POLLERR and POLLNVAL only: no POLLHUP or POLLRDHUP. A peer's
// FIN makes a socket readable; wait() tells end of stream from data by peeking one byte
// (MSG_PEEK | MSG_DONTWAIT) at every readable socket it watches for reading, and reports hangup when
// end of stream is next in line on a stream socket (or the connection is gone). So hangup is seen
// once the data before the FIN has been read - POSIX may report it earlier, together with that data.
// A datagram socket has no end of stream: its peek answers 0 for an empty datagram, which is only
// readable (as on POSIX).
#include <new>

#include "emsock/port/poll_set.hpp"
#include "sockaddr.hpp"

namespace emsock {

static_assert(sizeof(native_pollfd) == sizeof(pollfd) && alignof(native_pollfd) >= alignof(pollfd),
              "emsock: native_pollfd (native_lwip.hpp) does not fit this lwIP's struct pollfd");

namespace {

/// The pollfd that add() created at `storage`.
pollfd* record(native_pollfd* storage) noexcept { return std::launder(reinterpret_cast<pollfd*>(storage)); }

/// The bit wait() adds to revents for hangup, outside the bits lwIP sets (POLLHUP is defined but
/// never set by lwIP; Debian's build takes the C library's value).
constexpr short hangup_bit = POLLHUP;

/// True for a stream socket (TCP); false for a datagram socket, or when the type cannot be read.
bool is_stream(int fd) noexcept {
  int type = 0;
  socklen_t size = sizeof type;
  return ::lwip_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == 0 && type == SOCK_STREAM;
}

/// Peeks at one byte of a readable socket: true when the next thing to read is end of stream or
/// the connection has failed (listeners, sockets with data and datagram sockets say false). The
/// socket type is asked only when the peek alone would say true (an empty datagram also reads 0).
bool at_end_of_stream(int fd) noexcept {
  unsigned char b;
  const int saved = errno;
  const ssize_t n = ::lwip_recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
  bool ended = n == 0;
  if (n < 0) {
    const errc code = errc_from_errno(errno);
    // A listener answers ENOTCONN-like errors to recv: not a hangup. Reset/abort are.
    ended = code == errc::connection_reset || code == errc::connection_aborted;
  }
  if (ended) ended = is_stream(fd);
  errno = saved;
  return ended;
}

}  // namespace

result<std::size_t> poll_set_base::add(native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (size_ == capacity_) return errc::buffer_too_small;
  pollfd* p = ::new (static_cast<void*>(records_ + size_)) pollfd{};
  p->fd = handle;
  p->events = static_cast<short>((want_read ? POLLIN : 0) | (want_write ? POLLOUT : 0));
  p->revents = 0;
  return size_++;
}

result<std::size_t> poll_set_base::wait(milliseconds timeout) noexcept {
  const result<int> limit = detail::int_timeout(timeout);  // -1: no limit
  if (!limit) return limit.err();
  const int timeout_ms = limit.value();
  if (size_ == 0) {
    // lwip_poll refuses an empty set (EINVAL); POSIX waits for the timeout. Waiting forever on
    // nothing cannot end on lwIP (no signals), so a negative timeout is invalid_argument here.
    if (timeout_ms < 0) return errc::invalid_argument;
    if (timeout_ms > 0) sys_msleep(static_cast<u32_t>(timeout_ms));
    return std::size_t{0};
  }
  // lwip_poll skips negative descriptors (revents 0) as POSIX poll does.
  const int n = ::lwip_poll(record(records_), static_cast<nfds_t>(size_), timeout_ms < 0 ? -1 : timeout_ms);
  if (n < 0) return lwip_detail::last_error();  // EINTR would be interrupted: not restarted
  for (std::size_t i = 0; i < size_; ++i) {
    pollfd& p = *record(records_ + i);
    if ((p.events & POLLIN) != 0 && (p.revents & POLLIN) != 0 && at_end_of_stream(p.fd))
      p.revents = static_cast<short>(p.revents | hangup_bit);
  }
  return static_cast<std::size_t>(n);
}

poll_events poll_set_base::events(std::size_t index) const noexcept {
  const int re = record(records_ + index)->revents;
  poll_events e;
  e.readable = (re & POLLIN) != 0;
  e.writable = (re & POLLOUT) != 0;
  e.hangup = (re & hangup_bit) != 0;
  e.error = (re & (POLLERR | POLLNVAL)) != 0;
  return e;
}

}  // namespace emsock
