// SPDX-License-Identifier: MIT
// emsock/port/socket.hpp - move-only RAII TCP sockets over the backend's native handle.
//
// Guarantees for everything in this header:
// - Nothing throws and nothing allocates (the backend's kernel or stack may, emsock does not).
// - Failures come back as result<T> / status with a specific errc (see error.hpp); there is no
//   cached errno to consult afterwards.
// - Signals: a call interrupted by a signal before it transferred anything is restarted (EINTR is
//   never reported by send, send_all, recv, accept, connect or the option setters). To let a signal
//   wake a waiting program, wait in emsock::poll (poll.hpp), which reports errc::interrupted.
// - would_block vs timed_out: on a non-blocking socket "nothing can be done now" is would_block; on a
//   blocking socket it can only mean that a receive/send timeout expired, and it is timed_out.
//   The socket remembers its mode: change it with set_non_blocking(), not behind its back through
//   native_handle(), or the two may be confused.
// - Sending never raises SIGPIPE: writing to a connection the peer has closed gives broken_pipe (or
//   connection_reset).
// - The POSIX backend creates descriptors close-on-exec.
// - Threads. A socket object is not synchronized: one thread at a time calls, moves or destroys it;
//   handing it to another thread needs a happens-before (thread start or join, a mutex). Different
//   sockets may be used from different threads at once. Per backend, for one socket:
//   POSIX: one thread may send while another receives (the kernel allows it); nothing else overlaps,
//     and never a close() against a call still running (the descriptor may be reused at once).
//   lwIP: calls must not overlap at all - lwIP lets a sender and a receiver work at once only when
//     built with LWIP_NETCONN_FULLDUPLEX=1 (and LWIP_NETCONN_SEM_PER_THREAD=1). poll()/poll_set
//     count as calls on the sockets they watch (they peek at readable streams). No emsock call may
//     be made from lwIP's tcpip thread or its callbacks: emsock waits for that thread.
//   fake: single-threaded; every call from one thread.
// - Names that lwIP's LWIP_COMPAT_SOCKETS=1 defines as function-like macros (close, send, recv, ...)
//   are declared in parentheses, `status (close)()`, so that those macros, where a user's file has
//   them, cannot rewrite emsock's declarations (they do rewrite that file's calls: `(s.close)()`).
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/duration.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/native.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// Which direction(s) shutdown() closes.
enum class shutdown_how : std::uint8_t {
  read,   ///< no more receiving; the peer is not told
  write,  ///< no more sending: the peer reads end of stream (recv returns 0) once the data before is read
  both,
};

/// The outcome of send_all: how many bytes were handed to the stack, and why it stopped. The same
/// vocabulary as result<T> (ok(), code(), explicit bool); `sent` is meaningful either way.
class [[nodiscard]] send_all_result {
 public:
  constexpr send_all_result() noexcept = default;
  constexpr explicit send_all_result(std::size_t sent_bytes, errc code = errc::ok) noexcept
      : sent(sent_bytes), code_(code) {}

  std::size_t sent = 0;  ///< bytes accepted before success or the error (all of them on success)

  constexpr bool ok() const noexcept { return code_ == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  /// ok, or the reason the remaining bytes were not sent.
  constexpr errc code() const noexcept { return code_; }

 private:
  errc code_ = errc::ok;
};

namespace detail {

/// The owned handle and what every socket can do. Use it through tcp_stream and tcp_listener, which
/// inherit it privately (so neither converts to it, and a stream cannot be moved into a listener).
class socket_base {
 public:
  socket_base() noexcept = default;
  /// Takes ownership of `handle` (it may be invalid_native_handle) and reads its blocking mode.
  explicit socket_base(native_handle_type handle) noexcept;
  socket_base(socket_base&& other) noexcept;
  /// Closes what this object owned, then takes over `other`'s handle. Self-move is a no-op.
  socket_base& operator=(socket_base&& other) noexcept;
  socket_base(const socket_base&) = delete;
  socket_base& operator=(const socket_base&) = delete;
  /// Closes the handle if there is one; errors are ignored (call close() to see them).
  ~socket_base();

  /// True while the object owns a handle (not default-constructed, moved from, released or closed).
  bool valid() const noexcept { return handle_ != invalid_native_handle; }
  /// The handle, still owned by this object (invalid_native_handle when !valid()).
  native_handle_type native_handle() const noexcept { return handle_; }
  /// Gives up ownership without closing: the caller must close the returned handle. The object is
  /// invalid afterwards. Returns invalid_native_handle when there was nothing to release.
  native_handle_type release() noexcept;
  /// Closes now and reports the outcome. The object is invalid afterwards whatever the outcome (the
  /// handle is never closed twice, and EINTR is not retried: the descriptor is gone either way).
  /// invalid_argument when there was nothing to close.
  status (close)() noexcept;

  /// Switches O_NONBLOCK (or the backend's equivalent). Precondition: valid(), else invalid_argument.
  status set_non_blocking(bool on) noexcept;
  /// The mode as last set through this object (or read when a handle was adopted).
  bool non_blocking() const noexcept { return non_blocking_; }

  /// The local address and port; after listening on port 0 it tells which port was picked.
  /// Errors: invalid_argument (not valid()), the native errors of getsockname.
  result<endpoint> local_endpoint() const noexcept;

  /// Receive timeout (SO_RCVTIMEO) of a blocking socket: a receive that waits longer gives
  /// timed_out. timeout > 0 sets it, infinite_timeout (any negative value) removes it; 0 and values
  /// above max_timeout are invalid_argument (use set_non_blocking for "do not wait"), and so is
  /// !valid(). Not used by a non-blocking socket.
  status set_receive_timeout(milliseconds timeout) noexcept;
  /// Send timeout (SO_SNDTIMEO), as set_receive_timeout: a blocking send that cannot hand anything
  /// over within the time gives timed_out.
  status set_send_timeout(milliseconds timeout) noexcept;

  /// The connected peer's address and port (tcp_stream, udp_socket). Errors: not_connected,
  /// invalid_argument (not valid()).
  result<endpoint> peer_endpoint() const noexcept;

 protected:
  /// The errc for "nothing could be transferred now" (EAGAIN): would_block when non-blocking,
  /// otherwise timed_out (only a receive/send timeout makes a blocking call give up).
  errc again_code() const noexcept { return non_blocking_ ? errc::would_block : errc::timed_out; }

  native_handle_type handle_ = invalid_native_handle;
  bool non_blocking_ = false;
};

}  // namespace detail

/// TCP keepalive of one stream (tcp_stream::set_keepalive): once the connection has been idle for
/// `idle`, the stack sends a probe every `interval`; when `probes` probes in a row go unanswered it
/// drops the connection, and the stream's next call fails (POSIX: timed_out; lwIP: connection_aborted;
/// see docs/errors-by-backend.md). The ranges are Linux's, enforced alike on every backend.
/// Listeners have no keepalive of their own: set it on each accepted stream. (Inheritance differs:
/// Linux copies a listener's SO_KEEPALIVE and timers to the streams it accepts, lwIP copies only
/// SO_KEEPALIVE, never the timers; emsock sets neither on a listener, so an accepted stream starts
/// with keepalive off.)
struct keepalive_options {
  bool enabled = true;                ///< false turns probing off (the timers are still checked and kept)
  std::chrono::seconds idle{7200};    ///< 1 s .. max_keepalive_idle (TCP_KEEPIDLE)
  std::chrono::seconds interval{75};  ///< 1 s .. max_keepalive_interval (TCP_KEEPINTVL)
  int probes = 9;                     ///< 1 .. max_keepalive_probes (TCP_KEEPCNT)

  constexpr bool operator==(const keepalive_options& o) const noexcept {
    return enabled == o.enabled && idle == o.idle && interval == o.interval && probes == o.probes;
  }
  constexpr bool operator!=(const keepalive_options& o) const noexcept { return !(*this == o); }
};
/// Longest keepalive idle time (Linux's MAX_TCP_KEEPIDLE).
inline constexpr std::chrono::seconds max_keepalive_idle{32767};
/// Longest interval between probes (Linux's MAX_TCP_KEEPINTVL).
inline constexpr std::chrono::seconds max_keepalive_interval{32767};
/// Most probes (Linux's MAX_TCP_KEEPCNT).
inline constexpr int max_keepalive_probes = 127;

namespace detail {
/// Whether every value of `o` lies in its range: the one check of every backend's set_keepalive.
constexpr bool keepalive_in_range(const keepalive_options& o) noexcept {
  return o.idle.count() >= 1 && o.idle <= max_keepalive_idle && o.interval.count() >= 1 &&
         o.interval <= max_keepalive_interval && o.probes >= 1 && o.probes <= max_keepalive_probes;
}
}  // namespace detail

/// A connected TCP byte stream. Move-only; the destructor closes it. Obtained from
/// tcp_stream::connect, tcp_listener::accept, or by adopting a connected native handle.
class tcp_stream : private detail::socket_base {
 public:
  /// Invalid (owns nothing).
  tcp_stream() noexcept = default;
  /// Adopts a connected stream socket (ownership passes to the object).
  explicit tcp_stream(native_handle_type handle) noexcept : socket_base(handle) {}

  using socket_base::close;
  using socket_base::local_endpoint;
  using socket_base::native_handle;
  using socket_base::non_blocking;
  using socket_base::release;
  using socket_base::set_non_blocking;
  using socket_base::valid;

  /// Opens a connection to `remote` and waits at most `timeout` for it (infinite_timeout or any
  /// negative value: no limit; 0: only what completes at once). The attempt is made non-blocking
  /// and watched with poll; signals during the wait are absorbed (the wait resumes for the time left).
  /// The stream is returned in blocking mode.
  /// Errors: timed_out (the attempt is abandoned, the socket closed), connection_refused,
  /// network_unreachable, host_unreachable, address_not_available (unknown zone interface),
  /// too_many_open_files, invalid_argument (timeout above max_timeout, nothing opened), and the
  /// other native errors of socket/connect.
  static result<tcp_stream> (connect)(const endpoint& remote, milliseconds timeout = infinite_timeout) noexcept;

  /// Sends up to `size` bytes; returns how many the stack took (possibly fewer than `size`: partial
  /// sends are normal, especially when non-blocking). size 0 returns 0.
  /// Errors: would_block (non-blocking, send buffer full, nothing sent), timed_out (send timeout
  /// expired, nothing sent), broken_pipe / connection_reset (peer gone), not_connected,
  /// invalid_argument (not valid(), or data null with size > 0).
  result<std::size_t> (send)(const void* data, std::size_t size) noexcept;

  /// Sends all `size` bytes, looping over partial sends. Meant for blocking sockets; on a
  /// non-blocking one it stops at would_block. On failure `sent` says how many bytes went before the
  /// error (the next unsent byte is data[sent]). The loop ends: each round sends at least one byte.
  send_all_result send_all(const void* data, std::size_t size) noexcept;

  /// Receives up to `size` bytes into `data`; returns how many arrived, at least 1 - or 0 exactly
  /// when the peer has closed its sending side and everything before was read (end of stream).
  /// Precondition: size > 0 (size 0 is invalid_argument, so that 0 always means end of stream).
  /// Errors: would_block (non-blocking, nothing there), timed_out (receive timeout expired),
  /// connection_reset, not_connected, invalid_argument.
  result<std::size_t> (recv)(void* data, std::size_t size) noexcept;

  /// Closes one or both directions without releasing the handle. After shutdown(write) the peer
  /// reads end of stream while this side can still receive. Errors: not_connected, invalid_argument.
  status (shutdown)(shutdown_how how) noexcept;

  /// Receive timeout (socket_base): a blocking recv that waits longer gives timed_out.
  using socket_base::set_receive_timeout;
  /// Send timeout (socket_base): a blocking send that cannot hand over a single byte within the
  /// time gives timed_out (after a partial send it returns the count).
  using socket_base::set_send_timeout;
  /// TCP_NODELAY: true sends small segments at once instead of coalescing them (Nagle off).
  status set_no_delay(bool on) noexcept;
  /// TCP keepalive (SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT; see
  /// keepalive_options): idle 1..32767 s, interval 1..32767 s, probes 1..127, checked whether or not
  /// `enabled`. A new stream has keepalive off. Errors: invalid_argument (not valid(), or a value out
  /// of range: nothing is changed), operation_not_supported (a backend without keepalive timers: lwIP
  /// built without LWIP_TCP_KEEPALIVE; nothing is changed), and the native errors of setsockopt (a
  /// failure part-way may leave the timers changed, never probing turned on).
  status set_keepalive(const keepalive_options& options) noexcept;
  /// The keepalive settings the stack holds for this stream, read back (getsockopt on POSIX and lwIP).
  /// Errors: invalid_argument (not valid()), operation_not_supported (as set_keepalive), and the
  /// native errors of getsockopt.
  result<keepalive_options> keepalive() const noexcept;

  /// The connected peer's address and port (socket_base). Errors: not_connected, invalid_argument.
  using socket_base::peer_endpoint;

 private:
  friend class tcp_listener;  // accept() hands over a handle whose mode it knows
};

/// Options of tcp_listener::listen.
struct listen_options {
  /// Pending connections the stack queues before accept (the OS may round or cap it: Linux caps it at
  /// net.core.somaxconn). Must be >= 0.
  int backlog = 16;
  /// SO_REUSEADDR: allow binding while connections of an earlier listener on this port linger in
  /// TIME_WAIT. Even with it, a port that another socket listens on is address_in_use.
  bool reuse_address = true;
  /// IPV6_V6ONLY for IPv6 listeners: true accepts IPv6 only; false lets a [::] listener also accept
  /// IPv4 peers (they appear as ::ffff:a.b.c.d). Ignored for IPv4.
  bool v6_only = true;
};

/// A stream accepted by tcp_listener::accept and where it came from.
struct accepted {
  tcp_stream stream;
  endpoint peer;
};

/// A listening TCP socket. Move-only; the destructor closes it (queued connections are reset).
class tcp_listener : private detail::socket_base {
 public:
  /// Invalid (owns nothing).
  tcp_listener() noexcept = default;
  /// Adopts a bound, listening socket (ownership passes to the object).
  explicit tcp_listener(native_handle_type handle) noexcept : socket_base(handle) {}

  using socket_base::close;
  using socket_base::local_endpoint;
  using socket_base::native_handle;
  using socket_base::non_blocking;
  using socket_base::release;
  using socket_base::set_non_blocking;
  using socket_base::valid;

  /// Binds `local` (port 0 lets the stack pick a free port: ask local_endpoint()) and listens.
  /// Returned in blocking mode.
  /// Errors: address_in_use, address_not_available (the address is not local, or an unknown zone
  /// interface), permission_denied (privileged port), invalid_argument (negative backlog),
  /// too_many_open_files, family_not_supported.
  static result<tcp_listener> (listen)(const endpoint& local, const listen_options& options = {}) noexcept;

  /// Takes the next connection from the queue, waiting for one when blocking. The new stream is in
  /// blocking mode whatever the listener's mode.
  /// Errors: would_block (non-blocking and the queue is empty), connection_aborted (a queued
  /// connection was reset before it was taken: try again), too_many_open_files, invalid_argument.
  result<accepted> (accept)() noexcept;
};

}  // namespace emsock
