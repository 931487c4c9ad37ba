// SPDX-License-Identifier: MIT
// POSIX (Linux) TCP sockets: socket_base, tcp_stream, tcp_listener.
// Linux extensions used: SOCK_CLOEXEC / SOCK_NONBLOCK, accept4, MSG_NOSIGNAL.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include "emsock/port/clock.hpp"
#include "emsock/port/socket.hpp"
#include "sockaddr.hpp"

namespace emsock {
namespace {

errc last_error() noexcept { return errc_from_errno(errno); }

/// fcntl(F_GETFL) & O_NONBLOCK; false when it cannot be read.
bool reads_non_blocking(int fd) noexcept {
  if (fd < 0) return false;
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

status set_flag(int fd, int level, int option, int value) noexcept {
  if (::setsockopt(fd, level, option, &value, sizeof value) != 0) return last_error();
  return {};
}

status set_timeout(int fd, int option, milliseconds timeout) noexcept {
  const result<int> limit = detail::int_timeout(timeout);  // -1: none
  if (fd < 0 || !limit || limit.value() == 0) return errc::invalid_argument;
  const int timeout_ms = limit.value();
  timeval tv{};
  if (timeout_ms > 0) {
    tv.tv_sec = static_cast<time_t>(timeout_ms / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
  }
  if (::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv) != 0) return last_error();
  return {};
}

/// A new TCP socket of the endpoint's family, close-on-exec, optionally non-blocking.
result<int> open_tcp(const endpoint& e, bool non_blocking) noexcept {
  const int family = e.address.is_v4() ? AF_INET : AF_INET6;
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | (non_blocking ? SOCK_NONBLOCK : 0), IPPROTO_TCP);
  if (fd < 0) return last_error();
  return fd;
}

/// Waits for a non-blocking connect to finish; absorbs EINTR while time is left.
status await_connect(int fd, int timeout_ms) noexcept {
  const auto now = [] { return static_cast<std::int64_t>(monotonic_ms()); };
  const std::int64_t deadline = timeout_ms < 0 ? 0 : now() + timeout_ms;
  for (;;) {
    int wait_ms = -1;
    if (timeout_ms >= 0) {
      const std::int64_t left = deadline - now();
      wait_ms = left > 0 ? static_cast<int>(left) : 0;
    }
    pollfd p{fd, POLLOUT, 0};
    const int n = ::poll(&p, 1, wait_ms);
    if (n > 0) break;
    if (n == 0) return errc::timed_out;
    if (errno != EINTR) return last_error();
    // Interrupted: wait again for what is left of the time (0 left gives one last look).
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) return last_error();
  if (so_error != 0) return errc_from_errno(so_error);
  return {};
}

}  // namespace

// --- socket_base -----------------------------------------------------------------------------------

namespace detail {

socket_base::socket_base(native_handle_type handle) noexcept
    : handle_(handle < 0 ? invalid_native_handle : handle), non_blocking_(reads_non_blocking(handle)) {}

socket_base::~socket_base() {
  if (valid()) ::close(handle_);
}

status socket_base::close() noexcept {
  if (!valid()) return errc::invalid_argument;
  const int fd = release();
  // Linux releases the descriptor even when close reports EINTR: never retry (another thread may
  // already have been given the same number).
  if (::close(fd) != 0 && errno != EINTR) return last_error();
  return {};
}

status socket_base::set_non_blocking(bool on) noexcept {
  if (!valid()) return errc::invalid_argument;
  const int flags = ::fcntl(handle_, F_GETFL);
  if (flags < 0) return last_error();
  const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags && ::fcntl(handle_, F_SETFL, wanted) != 0) return last_error();
  non_blocking_ = on;
  return {};
}

result<endpoint> socket_base::local_endpoint() const noexcept {
  if (!valid()) return errc::invalid_argument;
  posix::native_address a;
  a.length = sizeof a.storage;
  if (::getsockname(handle_, a.get(), &a.length) != 0) return last_error();
  return posix::from_native(a.get(), a.length);
}

}  // namespace detail

// --- tcp_stream -------------------------------------------------------------------------------------

result<tcp_stream> tcp_stream::connect(const endpoint& remote, milliseconds timeout) noexcept {
  const result<int> timeout_ms = detail::int_timeout(timeout);  // -1: no limit
  if (!timeout_ms) return timeout_ms.err();
  const auto address = posix::to_native(remote);
  if (!address) return address.err();
  const auto fd = open_tcp(remote, true);
  if (!fd) return fd.err();
  tcp_stream s;
  s.handle_ = fd.value();  // owned from here: every early return closes it
  s.non_blocking_ = true;
  if (::connect(s.handle_, address->get(), address->length) != 0) {
    // EINTR on a non-blocking connect: the attempt goes on in the background, as with EINPROGRESS.
    if (errno != EINPROGRESS && errno != EINTR) return last_error();
    const status done = await_connect(s.handle_, timeout_ms.value());
    if (!done) return done.err();
  }
  const status blocking = s.set_non_blocking(false);
  if (!blocking) return blocking.err();
  return s;
}

result<std::size_t> tcp_stream::send(const void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return errc::invalid_argument;
  if (size == 0) return std::size_t{0};
  for (;;) {
    const ssize_t n = ::send(handle_, data, size, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;  // nothing was sent: safe to restart
    const errc code = last_error();
    return code == errc::would_block ? again_code() : code;
  }
}

result<std::size_t> tcp_stream::recv(void* data, std::size_t size) noexcept {
  if (!valid() || data == nullptr || size == 0) return errc::invalid_argument;
  for (;;) {
    const ssize_t n = ::recv(handle_, data, size, 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;  // nothing was received: safe to restart
    const errc code = last_error();
    return code == errc::would_block ? again_code() : code;
  }
}

status tcp_stream::shutdown(shutdown_how how) noexcept {
  if (!valid()) return errc::invalid_argument;
  const int native = how == shutdown_how::read ? SHUT_RD : how == shutdown_how::write ? SHUT_WR : SHUT_RDWR;
  if (::shutdown(handle_, native) != 0) return last_error();
  return {};
}

status detail::socket_base::set_receive_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, SO_RCVTIMEO, timeout);
}

status detail::socket_base::set_send_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, SO_SNDTIMEO, timeout);
}

status tcp_stream::set_no_delay(bool on) noexcept {
  if (!valid()) return errc::invalid_argument;
  return set_flag(handle_, IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0);
}

status tcp_stream::set_keepalive(const keepalive_options& options) noexcept {
  if (!valid() || !detail::keepalive_in_range(options)) return errc::invalid_argument;
  // The timers first, so that a failure part-way never leaves probing on with old timers.
  status s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPIDLE, static_cast<int>(options.idle.count()));
  if (s) s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPINTVL, static_cast<int>(options.interval.count()));
  if (s) s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPCNT, options.probes);
  if (s) s = set_flag(handle_, SOL_SOCKET, SO_KEEPALIVE, options.enabled ? 1 : 0);
  return s;
}

result<keepalive_options> tcp_stream::keepalive() const noexcept {
  if (!valid()) return errc::invalid_argument;
  int values[4] = {};
  const int levels[4] = {SOL_SOCKET, IPPROTO_TCP, IPPROTO_TCP, IPPROTO_TCP};
  const int names[4] = {SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT};
  for (int i = 0; i < 4; ++i) {
    socklen_t len = sizeof values[i];
    if (::getsockopt(handle_, levels[i], names[i], &values[i], &len) != 0) return last_error();
  }
  keepalive_options o;
  o.enabled = values[0] != 0;
  o.idle = std::chrono::seconds{values[1]};
  o.interval = std::chrono::seconds{values[2]};
  o.probes = values[3];
  return o;
}

result<endpoint> detail::socket_base::peer_endpoint() const noexcept {
  if (!valid()) return errc::invalid_argument;
  posix::native_address a;
  a.length = sizeof a.storage;
  if (::getpeername(handle_, a.get(), &a.length) != 0) return last_error();
  return posix::from_native(a.get(), a.length);
}

// --- tcp_listener -----------------------------------------------------------------------------------

result<tcp_listener> tcp_listener::listen(const endpoint& local, const listen_options& options) noexcept {
  if (options.backlog < 0) return errc::invalid_argument;
  const auto address = posix::to_native(local);
  if (!address) return address.err();
  const auto fd = open_tcp(local, false);
  if (!fd) return fd.err();
  tcp_listener l;
  l.handle_ = fd.value();  // owned from here: every early return closes it
  if (options.reuse_address) {
    const status s = set_flag(l.handle_, SOL_SOCKET, SO_REUSEADDR, 1);
    if (!s) return s.err();
  }
  if (local.address.is_v6()) {
    const status s = set_flag(l.handle_, IPPROTO_IPV6, IPV6_V6ONLY, options.v6_only ? 1 : 0);
    if (!s) return s.err();
  }
  if (::bind(l.handle_, address->get(), address->length) != 0) return last_error();
  if (::listen(l.handle_, options.backlog) != 0) return last_error();
  return l;
}

result<accepted> tcp_listener::accept() noexcept {
  if (!valid()) return errc::invalid_argument;
  posix::native_address a;
  for (;;) {
    a.length = sizeof a.storage;
    const int fd = ::accept4(handle_, a.get(), &a.length, SOCK_CLOEXEC);
    if (fd >= 0) {
      accepted out;
      out.stream.handle_ = fd;  // accept4 without SOCK_NONBLOCK: blocking
      out.stream.non_blocking_ = false;
      const auto peer = posix::from_native(a.get(), a.length);
      if (!peer) return peer.err();  // closes the stream
      out.peer = peer.value();
      return out;
    }
    if (errno == EINTR) continue;  // nothing was taken from the queue: safe to restart
    const errc code = last_error();
    return code == errc::would_block ? again_code() : code;
  }
}

}  // namespace emsock
