// SPDX-License-Identifier: MIT
// lwIP TCP sockets: socket_base, tcp_stream, tcp_listener over lwip_socket & co.
// Where lwIP answers differently from POSIX for the same situation, the difference is absorbed here
// (one comment per case), so that the interface means the same on both backends.
#include <cstring>

#include "emsock/port/clock.hpp"
#include "emsock/port/socket.hpp"
#include "sockaddr.hpp"

namespace emsock {
namespace {

using lwip_detail::last_error;

bool reads_non_blocking(int fd) noexcept {
  if (fd < 0) return false;
  const int flags = ::lwip_fcntl(fd, F_GETFL, 0);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

status set_flag(int fd, int level, int option, int value) noexcept {
  if (::lwip_setsockopt(fd, level, option, &value, sizeof value) != 0) return last_error();
  return {};
}

status set_timeout(int fd, int option, milliseconds timeout) noexcept {
  const result<int> limit = detail::int_timeout(timeout);  // -1: none
  if (fd < 0 || !limit || limit.value() == 0) return errc::invalid_argument;
  const int timeout_ms = limit.value();
#if LWIP_SO_SNDRCVTIMEO_NONSTANDARD
  int value = timeout_ms > 0 ? timeout_ms : 0;  // lwIP's int milliseconds; 0 = no timeout
#else
  timeval value{};  // 0 = no timeout
  if (timeout_ms > 0) {
    value.tv_sec = timeout_ms / 1000;
    value.tv_usec = (timeout_ms % 1000) * 1000;
  }
#endif
  if (::lwip_setsockopt(fd, SOL_SOCKET, option, &value, sizeof value) != 0) return last_error();
  return {};
}

result<int> open_tcp(const endpoint& e) noexcept {
  const int family = e.address.is_v4() ? AF_INET : AF_INET6;
  const int fd = ::lwip_socket(family, SOCK_STREAM, IPPROTO_TCP);
  if (fd < 0) return last_error();
  return fd;
}

/// Waits for a non-blocking connect with lwip_poll, then reads SO_ERROR. lwIP reports a refused
/// connection as a reset received in SYN_SENT (ECONNRESET): that is connection_refused.
status await_connect(int fd, int timeout_ms) noexcept {
  const std::uint64_t deadline = timeout_ms < 0 ? 0 : monotonic_ms() + static_cast<std::uint64_t>(timeout_ms);
  for (;;) {
    int wait_ms = -1;
    if (timeout_ms >= 0) {
      const std::uint64_t now = monotonic_ms();
      wait_ms = deadline > now ? static_cast<int>(deadline - now) : 0;
    }
    pollfd p{};
    p.fd = fd;
    p.events = POLLOUT;
    const int n = ::lwip_poll(&p, 1, wait_ms);
    if (n > 0) break;
    if (n == 0) return errc::timed_out;
    const errc code = last_error();
    if (code != errc::interrupted) return code;
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (::lwip_getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) return last_error();
  if (so_error != 0) {
    const errc code = errc_from_errno(so_error);
    return code == errc::connection_reset ? errc::connection_refused : code;
  }
  return {};
}

/// What find_local_address looks for, and whether it was found.
struct address_search {
  const ip_address* address;
  bool found;
};

/// Looks for search->address on lwIP's netifs. Runs in lwIP's core (tcpip_callback_wait: under the
/// core lock, or on the tcpip thread without LWIP_TCPIP_CORE_LOCKING), where netif state may be read.
void find_local_address(void* context) noexcept {
  auto* search = static_cast<address_search*>(context);
  const ip_address& a = *search->address;
  netif* n = nullptr;
  NETIF_FOREACH(n) {
#if LWIP_IPV4
    if (a.is_v4()) {
      std::uint8_t bytes[4];
      std::uint8_t mask[4];
      std::memcpy(bytes, netif_ip4_addr(n), 4);
      std::memcpy(mask, netif_ip4_netmask(n), 4);
      bool directed_broadcast = mask[3] != 0xff;  // the subnet's broadcast (not of a /31 or /32)
      for (std::size_t i = 0; i < 4; ++i)
        directed_broadcast = directed_broadcast && (bytes[i] | (~mask[i] & 0xff)) == a.v4().bytes()[i];
      if (std::memcmp(bytes, a.v4().bytes().data(), 4) == 0 || directed_broadcast) search->found = true;
    }
#endif
#if LWIP_IPV6
    if (a.is_v6()) {
      for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; ++i) {
        if (!ip6_addr_isvalid(netif_ip6_addr_state(n, i))) continue;
        if (std::memcmp(netif_ip6_addr(n, i)->addr, a.v6().bytes().data(), 16) == 0) search->found = true;
      }
    }
#endif
  }
}

/// True when `a` may be bound: the unspecified address, IPv4 loopback (127/8, as Linux), or an
/// address of one of lwIP's netifs or its subnet's broadcast address (as Linux). lwIP's bind itself accepts any address; POSIX says
/// EADDRNOTAVAIL for one that is not local, and so does this backend. Errors: out_of_memory (no
/// semaphore to wait for the tcpip thread with).
result<bool> is_local(const ip_address& a) noexcept {
  if (a.is_unspecified() || (a.is_v4() && a.v4().is_loopback())) return true;
  address_search search{&a, false};
  const err_t err = ::tcpip_callback_wait(find_local_address, &search);
  if (err != ERR_OK) return lwip::errc_from_err(err);  // ERR_MEM: no message for lwIP's core
  return search.found;
}

}  // namespace

result<bool> lwip_detail::is_local_address(const ip_address& a) noexcept { return is_local(a); }

// --- socket_base -----------------------------------------------------------------------------------

namespace detail {

socket_base::socket_base(native_handle_type handle) noexcept
    : handle_(handle < 0 ? invalid_native_handle : handle), non_blocking_(reads_non_blocking(handle)) {}

socket_base::~socket_base() {
  if (valid()) (void)::lwip_close(handle_);
}

status socket_base::close() noexcept {
  if (!valid()) return errc::invalid_argument;
  const int fd = release();
  if (::lwip_close(fd) != 0) return last_error();  // lwIP frees the descriptor either way
  return {};
}

status socket_base::set_non_blocking(bool on) noexcept {
  if (!valid()) return errc::invalid_argument;
  // lwIP's F_SETFL takes O_NONBLOCK and nothing else (other bits are ENOSYS).
  if (::lwip_fcntl(handle_, F_SETFL, on ? O_NONBLOCK : 0) != 0) return last_error();
  non_blocking_ = on;
  return {};
}

result<endpoint> socket_base::local_endpoint() const noexcept {
  if (!valid()) return errc::invalid_argument;
  lwip_detail::native_address a;
  a.length = sizeof a.storage;
  if (::lwip_getsockname(handle_, a.get(), &a.length) != 0) return last_error();
  return lwip_detail::from_native(a.get(), a.length);
}

}  // namespace detail

// --- tcp_stream -------------------------------------------------------------------------------------

result<tcp_stream> tcp_stream::connect(const endpoint& remote, milliseconds timeout) noexcept {
  const result<int> timeout_ms = detail::int_timeout(timeout);  // -1: no limit
  if (!timeout_ms) return timeout_ms.err();
  const auto address = lwip_detail::to_native(remote);
  if (!address) return address.err();
  const auto fd = open_tcp(remote);
  if (!fd) return fd.err();
  tcp_stream s;
  s.handle_ = fd.value();  // owned from here: every early return closes it
  const status nb = s.set_non_blocking(true);
  if (!nb) return nb.err();
  if (::lwip_connect(s.handle_, address->get(), address->length) != 0) {
    const errc code = last_error();
    if (code != errc::in_progress && code != errc::interrupted)
      return code == errc::connection_reset ? errc::connection_refused : code;
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
    const ssize_t n = ::lwip_send(handle_, data, size, 0);  // lwIP raises no signals: no MSG_NOSIGNAL
    if (n >= 0) return static_cast<std::size_t>(n);
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    if (code == errc::would_block) return again_code();
    // lwIP says ENOTCONN (ERR_CLSD/ERR_CONN) where POSIX says EPIPE: a stream is always connected
    // (connect/accept), so this is its sending side shut down or the connection gone.
    if (code == errc::not_connected) return errc::broken_pipe;
    return code;
  }
}

result<std::size_t> tcp_stream::recv(void* data, std::size_t size) noexcept {
  if (!valid() || data == nullptr || size == 0) return errc::invalid_argument;
  for (;;) {
    const ssize_t n = ::lwip_recv(handle_, data, size, 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    if (code == errc::would_block) return again_code();
    // lwIP answers end of stream once (0) and ENOTCONN to every later recv, and ENOTCONN after
    // shutdown(read): POSIX answers 0 in both cases. A stream is always connected, so ENOTCONN here
    // means "the receiving side has ended": end of stream, again.
    if (code == errc::not_connected) return std::size_t{0};
    return code;
  }
}

status tcp_stream::shutdown(shutdown_how how) noexcept {
  if (!valid()) return errc::invalid_argument;
  const int native = how == shutdown_how::read ? SHUT_RD : how == shutdown_how::write ? SHUT_WR : SHUT_RDWR;
  if (::lwip_shutdown(handle_, native) != 0) return last_error();
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

// lwIP keeps the timers (keep_idle, keep_intvl, keep_cnt) only with LWIP_TCP_KEEPALIVE; without it
// SO_KEEPALIVE would probe on lwIP's fixed defaults (2 h idle), which is not what was asked: refused.
status tcp_stream::set_keepalive(const keepalive_options& options) noexcept {
  if (!valid() || !detail::keepalive_in_range(options)) return errc::invalid_argument;
#if LWIP_TCP_KEEPALIVE
  // lwIP stores idle and interval in milliseconds (u32_t): 32767 s fits. Timers first.
  status s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPIDLE, static_cast<int>(options.idle.count()));
  if (s) s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPINTVL, static_cast<int>(options.interval.count()));
  if (s) s = set_flag(handle_, IPPROTO_TCP, TCP_KEEPCNT, options.probes);
  if (s) s = set_flag(handle_, SOL_SOCKET, SO_KEEPALIVE, options.enabled ? 1 : 0);
  return s;
#else
  return errc::operation_not_supported;
#endif
}

result<keepalive_options> tcp_stream::keepalive() const noexcept {
  if (!valid()) return errc::invalid_argument;
#if LWIP_TCP_KEEPALIVE
  int values[4] = {};
  const int levels[4] = {SOL_SOCKET, IPPROTO_TCP, IPPROTO_TCP, IPPROTO_TCP};
  const int names[4] = {SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT};
  for (int i = 0; i < 4; ++i) {
    socklen_t len = sizeof values[i];
    if (::lwip_getsockopt(handle_, levels[i], names[i], &values[i], &len) != 0) return last_error();
  }
  keepalive_options o;
  o.enabled = values[0] != 0;  // lwIP answers its flag bit (SOF_KEEPALIVE), not 1
  o.idle = std::chrono::seconds{values[1]};
  o.interval = std::chrono::seconds{values[2]};
  o.probes = values[3];
  return o;
#else
  return errc::operation_not_supported;
#endif
}

result<endpoint> detail::socket_base::peer_endpoint() const noexcept {
  if (!valid()) return errc::invalid_argument;
  lwip_detail::native_address a;
  a.length = sizeof a.storage;
  if (::lwip_getpeername(handle_, a.get(), &a.length) != 0) return last_error();
  return lwip_detail::from_native(a.get(), a.length);
}

// --- tcp_listener -----------------------------------------------------------------------------------

result<tcp_listener> tcp_listener::listen(const endpoint& local, const listen_options& options) noexcept {
  if (options.backlog < 0) return errc::invalid_argument;
  const auto address = lwip_detail::to_native(local);
  if (!address) return address.err();
  const result<bool> local_address = is_local(local.address);
  if (!local_address) return local_address.code();
  if (!local_address.value()) return errc::address_not_available;
  const auto fd = open_tcp(local);
  if (!fd) return fd.err();
  tcp_listener l;
  l.handle_ = fd.value();  // owned from here: every early return closes it
#if SO_REUSE
  if (options.reuse_address) {
    const status s = set_flag(l.handle_, SOL_SOCKET, SO_REUSEADDR, 1);
    if (!s) return s.err();
  }
#endif
#if LWIP_IPV6
  if (local.address.is_v6()) {
    const status s = set_flag(l.handle_, IPPROTO_IPV6, IPV6_V6ONLY, options.v6_only ? 1 : 0);
    if (!s) return s.err();
  }
#endif
  if (::lwip_bind(l.handle_, address->get(), address->length) != 0) return last_error();
  if (::lwip_listen(l.handle_, options.backlog) != 0) return last_error();
  return l;
}

result<accepted> tcp_listener::accept() noexcept {
  if (!valid()) return errc::invalid_argument;
  lwip_detail::native_address a;
  for (;;) {
    a.length = sizeof a.storage;
    const int fd = ::lwip_accept(handle_, a.get(), &a.length);
    if (fd >= 0) {
      accepted out;
      out.stream.handle_ = fd;
      // lwIP's accepted socket is blocking whatever the listener's mode (new netconn, flags clear).
      out.stream.non_blocking_ = false;
      const auto peer = lwip_detail::from_native(a.get(), a.length);
      if (!peer) return peer.err();  // closes the stream
      out.peer = peer.value();
      return out;
    }
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    return code == errc::would_block ? again_code() : code;
  }
}

}  // namespace emsock
