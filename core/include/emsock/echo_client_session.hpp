// SPDX-License-Identifier: MIT
// emsock/echo_client_session.hpp - the sans-IO echo client session: send a message, verify its echo.
//
// The session sends the caller's message (not copied: the caller's bytes must stay alive and
// unchanged for the session's life; no size limit beyond std::size_t), accepts whatever the peer
// sends back and compares it byte by byte with what was sent, and ends with exactly one outcome:
//
//   success          every byte came back, equal and in order (with await_peer_close: and then FIN)
//   mismatch         a byte differed; offset() is the stream offset of the first differing byte
//   early_close      the peer sent FIN before everything came back; verified() bytes had come back
//   unexpected_data  the peer sent a byte that was never sent (more bytes back than sent so far, or
//                    any byte after the whole message came back); offset() is that byte's offset
//   timed_out        on_tick() reached the deadline first
//   reset            the peer reset the connection
//   transport_error  another fatal transport error; error() holds it
//
// The first event that decides the outcome wins; later events are refused. Within one chunk the
// bytes are checked in stream order, so the outcome names the first problem in the stream.
// Driver loop: as for echo_session (see echo_session.hpp), with on_received(chunk) taking the bytes
// recv wrote into the driver's own scratch buffer, and shutdown(SHUT_WR) once interest() says
// shutdown_write (needed with await_peer_close, so the echo server drains and closes).
//
// Time: an absolute deadline in milliseconds on the driver's monotonic clock; only on_tick() looks
// at the time. Byte events are never refused because they arrive late.
//
// TCP behaviours relied on: an ordered, reliable byte stream (the echo comes back in order, without
// gaps or duplicates, so the k-th byte received must equal the k-th byte sent); partial writes
// (send may take fewer bytes than offered); recv returning 0 is the peer's FIN; half-close (after
// our FIN the peer can still send the rest of the echo). The client reads while it sends, because a
// small echo buffer stops reading when its own echo is not read.
//
// Guarantees: no heap, no exceptions, no I/O, no clock. Every misuse returns
// errc::invalid_argument and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/echo_session.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// How an echo exchange ended (pending while it has not).
enum class echo_outcome : std::uint8_t {
  pending,          ///< not decided yet
  success,          ///< every byte came back equal, in order
  mismatch,         ///< a byte differed; offset() is the first one
  early_close,      ///< the peer closed first; verified() bytes had come back
  unexpected_data,  ///< the peer sent more than was sent; offset() is the first extra byte
  timed_out,        ///< the deadline passed first
  reset,            ///< the peer reset the connection
  transport_error,  ///< a fatal transport error; error() holds it
};

/// The enumerator's identifier ("early_close"); "unknown" for values outside the enum. Never null.
const char* name(echo_outcome outcome) noexcept;

class echo_client_session {
 public:
  /// poll_at() when no timer is running.
  static constexpr std::uint64_t no_deadline = ~std::uint64_t{0};

  /// Starts an exchange of `message` that must be decided by deadline_ms. The bytes are not copied
  /// and must outlive the session unchanged. With await_peer_close, success additionally needs the
  /// peer's FIN after the last echoed byte (so extra bytes sent later are caught as
  /// unexpected_data); the driver must then shut down its write side when asked.
  /// An empty message succeeds at once (or awaits the FIN). Null data with a non-zero size: the
  /// session starts ended with outcome transport_error and error() == invalid_argument.
  echo_client_session(const_byte_span message, std::uint64_t deadline_ms,
                      bool await_peer_close = false) noexcept;

  /// The next bytes to send: the unsent rest of the message. Empty once everything was sent or the
  /// exchange has ended.
  const_byte_span pending_send() const noexcept;

  /// Records that the first n bytes of pending_send() were sent. n == 0 changes nothing.
  /// Errors: invalid_argument if n > pending_send().size (nothing changes).
  status on_sent(std::size_t n) noexcept;

  /// Checks the bytes that came back (the driver's recv buffer; not kept after the call) against
  /// the message. May decide success, mismatch or unexpected_data. An empty chunk changes nothing.
  /// Errors: invalid_argument if the exchange has already ended or the chunk is null with a
  /// non-zero size (nothing changes).
  status on_received(const_byte_span chunk) noexcept;

  /// The peer sent FIN: success if awaiting it after the whole echo, early_close otherwise.
  /// Errors: invalid_argument if the exchange has already ended (nothing changes).
  status on_peer_closed() noexcept;

  /// The peer reset the connection: outcome reset.
  /// Errors: invalid_argument if the exchange has already ended (nothing changes).
  status on_reset() noexcept;

  /// A fatal transport error: outcome transport_error with error() == code; connection_reset is the
  /// same as on_reset() and timed_out gives outcome timed_out.
  /// Errors: invalid_argument, changing nothing, if the exchange has already ended or code is not
  /// fatal: errc::ok, would_block, interrupted or in_progress.
  status on_error(errc code) noexcept;

  /// Lets time pass: outcome timed_out if still pending and now_ms >= the deadline; otherwise
  /// changes nothing.
  void on_tick(std::uint64_t now_ms) noexcept;

  /// When on_tick() must be called next: the deadline while pending, no_deadline once decided.
  std::uint64_t poll_at() const noexcept;

  /// What the driver should do next: read while pending, write while bytes are unsent,
  /// shutdown_write once everything was sent, close once decided.
  echo_interest interest() const noexcept;

  /// interest().close: the outcome is decided.
  bool done() const noexcept { return outcome_ != echo_outcome::pending; }
  echo_outcome outcome() const noexcept { return outcome_; }

  /// mismatch / unexpected_data: the stream offset of the offending byte; otherwise verified().
  std::size_t offset() const noexcept { return offset_; }
  /// Bytes that came back equal, in order (0 <= verified() <= sent() <= size()).
  std::size_t verified() const noexcept { return verified_; }
  /// Bytes of the message sent so far.
  std::size_t sent() const noexcept { return sent_; }
  /// The message's length.
  std::size_t size() const noexcept { return message_.size; }
  std::uint64_t deadline_ms() const noexcept { return deadline_ms_; }
  /// timed_out: errc::timed_out; reset: connection_reset; transport_error: its code; else ok.
  errc error() const noexcept { return error_; }

 private:
  enum class phase : std::uint8_t { sending, receiving, awaiting_close, ended };

  void advance() noexcept;
  void end(echo_outcome outcome, errc code, std::size_t offset) noexcept;

  const_byte_span message_;
  std::uint64_t deadline_ms_;
  std::size_t sent_ = 0;
  std::size_t verified_ = 0;
  std::size_t offset_ = 0;
  bool await_peer_close_;
  phase phase_ = phase::sending;
  echo_outcome outcome_ = echo_outcome::pending;
  errc error_ = errc::ok;
};

}  // namespace emsock
