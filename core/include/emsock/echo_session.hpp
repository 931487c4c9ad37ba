// SPDX-License-Identifier: MIT
// emsock/echo_session.hpp - the sans-IO echo server session: bytes in, the same bytes out, in order.
//
// The session never touches a socket or a clock. The driver (POSIX poll loop, lwIP sockets, lwIP raw
// callbacks) moves bytes and tells the session what happened; the session answers what to do next:
//
//   for (;;) {
//     echo_interest i = s.interest();
//     if (i.close) { close(fd); break; }                      // the end reason is s.state()
//     poll(fd, (i.read ? POLLIN : 0) | (i.write ? POLLOUT : 0), until s.poll_at());
//     now = clock();
//     if (readable) { byte_span sp = s.receive_space(); n = recv(fd, sp.data, sp.size);
//                     n > 0 -> s.on_received(n, now); n == 0 -> s.on_peer_closed(now);
//                     ECONNRESET -> s.on_reset(); other fatal error e -> s.on_error(e); }
//     if (writable) { const_byte_span p = s.pending_send(); n = send(fd, p.data, p.size);
//                     n >= 0 -> s.on_sent(n, now); fatal error e -> s.on_error(e); }
//     s.on_tick(now);
//   }
//
// Buffer: a ring of `capacity` bytes. receive_space() lends the free bytes that are contiguous in
// memory, pending_send() shows the held bytes that are contiguous in memory; at the wrap point each
// is cut at the end of the storage and the next call continues at index 0. Bytes are never moved,
// copied or overwritten before they were reported sent, so none is lost or reordered: bytes leave
// in exactly the order they arrived (FIFO by index arithmetic). When the ring becomes empty the
// next byte is stored at index 0 again, so an idle session always lends its whole capacity.
// (Compaction would also be correct but copies the unsent bytes after every partial send.)
//
// Time: points in time are milliseconds as std::uint64_t from any monotonic clock the driver
// chooses (the epoch does not matter, only differences); the idle timeout is a duration,
// emsock::milliseconds. A `now` smaller than one seen before is treated as that earlier time (never
// closes early, never overflows).
//
// Idle: no progress of the byte stream, i.e. no byte received (on_received with n > 0), no byte
// sent (on_sent with n > 0) and no FIN received (a FIN takes a sequence number, so it is progress).
// The session times out when now - (time of the last progress) >= idle timeout; bytes still held
// do not keep it alive (a peer that stops reading its echo is idle too). Timeout 0 = never.
//
// TCP behaviours relied on:
//   - an ordered, reliable byte stream: what recv returns follows what it returned before, without
//     gaps or duplicates; send may accept fewer bytes than offered (partial writes are normal);
//   - recv returning 0 is the peer's FIN: it sends nothing more, but still reads (half-close), so
//     the rest of the echo can be sent after it;
//   - flow control: when the session stops reading (buffer full) the peer is slowed by the TCP
//     window, nothing is dropped;
//   - close() after the peer's FIN, with nothing left unread, sends our FIN after the queued data;
//   - a reset (RST, ECONNRESET) ends the connection in both directions at once.
//
// Guarantees: no heap, no exceptions, no I/O, no clock. Every misuse (reporting more bytes than lent
// or pending, events after the end, errc::ok as a transport error) returns errc::invalid_argument
// and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/duration.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// Writable bytes lent by a session: [data, data + size). size 0 means "nothing now" (data may then
/// be null). Valid until the next non-const call on the session that lent it.
struct byte_span {
  std::uint8_t* data = nullptr;
  std::size_t size = 0;

  constexpr bool empty() const noexcept { return size == 0; }
};

/// Read-only bytes: [data, data + size). size 0 means "nothing" (data may then be null).
struct const_byte_span {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;

  constexpr bool empty() const noexcept { return size == 0; }
};

/// What the driver should do next. A poll loop maps read to POLLIN and write to POLLOUT.
/// close is final: the session has ended (see state() / outcome() for why); close the socket and make
/// no further calls (echo_session_base::restart() excepted). shutdown_write is set only by the echo
/// client session.
struct echo_interest {
  bool read = false;            ///< recv into the lent space (POLLIN)
  bool write = false;           ///< send the pending bytes (POLLOUT)
  bool shutdown_write = false;  ///< every byte was sent: the driver may send FIN (shutdown SHUT_WR)
  bool close = false;           ///< ended: close the socket

  constexpr bool operator==(const echo_interest& o) const noexcept {
    return read == o.read && write == o.write && shutdown_write == o.shutdown_write && close == o.close;
  }
  constexpr bool operator!=(const echo_interest& o) const noexcept { return !(*this == o); }
};

/// The states of the echo server session. open and draining are live; the others are ends.
enum class echo_state : std::uint8_t {
  open,       ///< echoing in both directions
  draining,   ///< the peer sent FIN; sending what is left
  finished,   ///< drained after the peer's FIN: every byte received was sent back
  timed_out,  ///< idle for the idle timeout; bytes still held are dropped
  reset,      ///< the peer reset the connection
  failed,     ///< a transport error (or unusable storage) ended it; see error()
};

/// The enumerator's identifier ("draining"); "unknown" for values outside the enum. Never null.
const char* name(echo_state state) noexcept;

/// The echo server session over storage it does not own. APIs that must not care about the
/// capacity take this type; echo_session<N> supplies the storage. Not copyable or movable (the
/// lent spans point into the storage).
class echo_session_base {
 public:
  /// poll_at() when no timer is running.
  static constexpr std::uint64_t no_deadline = ~std::uint64_t{0};

  /// A session in state open at time now_ms, echoing through storage[0, capacity), which must
  /// outlive the session and must not be used by anyone else meanwhile. idle_timeout 0 = never.
  /// Null storage, capacity 0 or a negative idle timeout: the session starts failed with
  /// error() == invalid_argument and asks to be closed at once (no byte is ever touched).
  echo_session_base(std::uint8_t* storage, std::size_t capacity, milliseconds idle_timeout,
                    std::uint64_t now_ms) noexcept;

  echo_session_base(const echo_session_base&) = delete;
  echo_session_base& operator=(const echo_session_base&) = delete;
  ~echo_session_base() = default;

  /// Starts over for a new connection at now_ms: state open, buffer empty, counters zero, same
  /// storage and idle timeout. Any held bytes are discarded. Use it to recycle pooled sessions.
  void restart(std::uint64_t now_ms) noexcept;
  /// restart(now_ms) with a new idle timeout (0 = never; negative: failed with invalid_argument).
  void restart(std::uint64_t now_ms, milliseconds idle_timeout) noexcept;

  /// The space to receive into: the free bytes contiguous in memory from the write position.
  /// Empty when the buffer is full (backpressure) or the state is not open. May be shorter than
  /// free_space() at the wrap point; after on_received() the next call lends the rest.
  byte_span receive_space() const noexcept;

  /// Records that the first n bytes of receive_space() were filled. n == 0 changes nothing.
  /// Errors: invalid_argument if n > receive_space().size (nothing changes).
  /// Guarantee: the bytes will appear in pending_send() after every byte received before them.
  status on_received(std::size_t n, std::uint64_t now_ms) noexcept;

  /// The next bytes to send: the oldest held bytes contiguous in memory. Empty when nothing is held
  /// or the session has ended. May be shorter than held() at the wrap point.
  const_byte_span pending_send() const noexcept;

  /// Records that the first n bytes of pending_send() were sent (partial sends are normal). n == 0
  /// changes nothing. In state draining, sending the last held byte finishes the session.
  /// Errors: invalid_argument if n > pending_send().size (nothing changes).
  status on_sent(std::size_t n, std::uint64_t now_ms) noexcept;

  /// The peer sent FIN (recv returned 0): no more input. With nothing held the session is finished
  /// at once, otherwise it drains. Counts as progress for the idle timeout.
  /// Errors: invalid_argument unless the state is open (nothing changes).
  status on_peer_closed(std::uint64_t now_ms) noexcept;

  /// The peer reset the connection: ends the session at once (state reset); held bytes are dropped.
  /// Errors: invalid_argument if the session has already ended (nothing changes).
  status on_reset() noexcept;

  /// A fatal transport error: ends the session at once (state failed, error() == code);
  /// errc::connection_reset is the same as on_reset().
  /// Errors: invalid_argument, changing nothing, if the session has already ended or code is not
  /// fatal: errc::ok, would_block, interrupted or in_progress (retry those instead).
  status on_error(errc code) noexcept;

  /// Lets time pass: ends the session (state timed_out) if it is live, the idle timeout is not 0
  /// and now_ms - last_activity_ms() >= idle timeout. Otherwise changes nothing. Call it at
  /// poll_at() at the latest; calling it earlier or more often is harmless.
  void on_tick(std::uint64_t now_ms) noexcept;

  /// When on_tick() must be called next: last_activity_ms() + idle timeout, or no_deadline if the
  /// idle timeout is 0, the session has ended, or the sum would not fit.
  std::uint64_t poll_at() const noexcept;

  /// What the driver should do next (see echo_interest).
  echo_interest interest() const noexcept;

  /// interest().read: the session lends space to receive into.
  bool wants_read() const noexcept { return interest().read; }
  /// interest().write: bytes are pending.
  bool wants_write() const noexcept { return interest().write; }
  /// interest().close: the session has ended; close the socket.
  bool done() const noexcept { return interest().close; }

  echo_state state() const noexcept { return state_; }
  /// Why it ended: ok while live or after finished; timed_out; connection_reset; or the code given
  /// to on_error() (invalid_argument for unusable storage).
  errc error() const noexcept { return error_; }

  std::size_t capacity() const noexcept { return capacity_; }
  /// Bytes received and not yet sent (0 <= held() <= capacity()); after timed_out, reset or failed:
  /// the bytes that were dropped.
  std::size_t held() const noexcept { return held_; }
  /// capacity() - held(): free bytes, contiguous or not.
  std::size_t free_space() const noexcept { return capacity_ - held_; }
  /// Bytes received since the start (total_received() - total_sent() == held(), always).
  std::uint64_t total_received() const noexcept { return total_received_; }
  /// Bytes sent since the start.
  std::uint64_t total_sent() const noexcept { return total_sent_; }
  /// Time of the last progress (see "Idle" above), or the start time.
  std::uint64_t last_activity_ms() const noexcept { return last_activity_ms_; }
  milliseconds idle_timeout() const noexcept { return idle_timeout_; }

 private:
  bool live() const noexcept { return state_ == echo_state::open || state_ == echo_state::draining; }
  void note_activity(std::uint64_t now_ms) noexcept;
  void end(echo_state why, errc code) noexcept;

  std::uint8_t* storage_;
  std::size_t capacity_;
  std::size_t head_ = 0;  ///< index of the oldest held byte
  std::size_t held_ = 0;  ///< bytes held, starting at head_ and wrapping at capacity_
  milliseconds idle_timeout_;
  std::uint64_t last_activity_ms_;
  std::uint64_t total_received_ = 0;
  std::uint64_t total_sent_ = 0;
  echo_state state_ = echo_state::open;
  errc error_ = errc::ok;
};

namespace detail {
/// Base-from-member: the storage is constructed before echo_session_base sees its address.
template <std::size_t N>
struct echo_storage {
  std::uint8_t bytes_[N];
};
}  // namespace detail

/// An echo server session with N bytes of storage inside it (no heap). Pass it as
/// echo_session_base& to code that must not depend on N.
template <std::size_t N>
class echo_session : private detail::echo_storage<N>, public echo_session_base {
  static_assert(N > 0, "an echo session needs at least one byte of storage");

 public:
  /// A session in state open at now_ms; idle_timeout 0 = never time out (negative: see
  /// echo_session_base).
  explicit echo_session(milliseconds idle_timeout = milliseconds::zero(), std::uint64_t now_ms = 0) noexcept
      : echo_session_base(this->bytes_, N, idle_timeout, now_ms) {}
  // The storage is left uninitialised on purpose: a byte is read only after it was received, and a
  // pool of large sessions then costs no start-up time or touched memory.
};

}  // namespace emsock
