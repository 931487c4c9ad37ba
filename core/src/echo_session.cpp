// SPDX-License-Identifier: MIT
// echo_session.cpp - the echo server session (see emsock/echo_session.hpp for the rules).
#include "emsock/echo_session.hpp"

namespace emsock {

namespace {

constexpr const char* echo_state_names[] = {"open", "draining", "finished", "timed_out", "reset", "failed"};

}  // namespace

const char* name(echo_state state) noexcept {
  const auto i = static_cast<std::size_t>(state);
  return i < sizeof echo_state_names / sizeof echo_state_names[0] ? echo_state_names[i] : "unknown";
}

echo_session_base::echo_session_base(std::uint8_t* storage, std::size_t capacity,
                                     milliseconds idle_timeout, std::uint64_t now_ms) noexcept
    : storage_(storage),
      capacity_(storage == nullptr ? 0 : capacity),
      idle_timeout_(idle_timeout),
      last_activity_ms_(now_ms) {
  restart(now_ms);
}

void echo_session_base::restart(std::uint64_t now_ms) noexcept {
  head_ = 0;
  held_ = 0;
  total_received_ = 0;
  total_sent_ = 0;
  last_activity_ms_ = now_ms;
  state_ = echo_state::open;
  error_ = errc::ok;
  if (capacity_ == 0 || idle_timeout_ < milliseconds::zero()) end(echo_state::failed, errc::invalid_argument);
}

void echo_session_base::restart(std::uint64_t now_ms, milliseconds idle_timeout) noexcept {
  idle_timeout_ = idle_timeout;
  restart(now_ms);
}

byte_span echo_session_base::receive_space() const noexcept {
  if (state_ != echo_state::open || held_ == capacity_) return {};
  // head_ < capacity_ and held_ < capacity_, so neither sum below overflows in practice
  // (both are at most 2 * capacity_ - 1 and capacity_ indexes real memory).
  const std::size_t end = head_ + held_;  // one past the newest held byte, before wrapping
  if (end < capacity_) return {storage_ + end, capacity_ - end};  // free: [end, capacity) (+ [0, head))
  const std::size_t write = end - capacity_;                       // data wraps: free is [write, head)
  return {storage_ + write, head_ - write};
}

status echo_session_base::on_received(std::size_t n, std::uint64_t now_ms) noexcept {
  if (n > receive_space().size) return errc::invalid_argument;
  if (n == 0) return {};
  held_ += n;
  total_received_ += n;
  note_activity(now_ms);
  return {};
}

const_byte_span echo_session_base::pending_send() const noexcept {
  if (!live() || held_ == 0) return {};
  const std::size_t contiguous = capacity_ - head_;  // bytes from head_ to the end of the storage
  return {storage_ + head_, held_ < contiguous ? held_ : contiguous};
}

status echo_session_base::on_sent(std::size_t n, std::uint64_t now_ms) noexcept {
  if (n > pending_send().size) return errc::invalid_argument;
  if (n == 0) return {};
  held_ -= n;
  head_ += n;
  if (head_ == capacity_) head_ = 0;
  if (held_ == 0) head_ = 0;  // empty: lend the whole storage next time
  total_sent_ += n;
  note_activity(now_ms);
  if (state_ == echo_state::draining && held_ == 0) end(echo_state::finished, errc::ok);
  return {};
}

status echo_session_base::on_peer_closed(std::uint64_t now_ms) noexcept {
  if (state_ != echo_state::open) return errc::invalid_argument;
  note_activity(now_ms);
  if (held_ == 0) {
    end(echo_state::finished, errc::ok);
  } else {
    state_ = echo_state::draining;
  }
  return {};
}

status echo_session_base::on_reset() noexcept {
  if (!live()) return errc::invalid_argument;
  end(echo_state::reset, errc::connection_reset);
  return {};
}

status echo_session_base::on_error(errc code) noexcept {
  if (!live() || !is_fatal(code)) return errc::invalid_argument;  // non-fatal codes: retry instead
  end(code == errc::connection_reset ? echo_state::reset : echo_state::failed, code);
  return {};
}

// A live session's idle timeout is never negative (restart() fails the session for that).
void echo_session_base::on_tick(std::uint64_t now_ms) noexcept {
  const auto idle = static_cast<std::uint64_t>(idle_timeout_.count());
  if (!live() || idle == 0 || now_ms < last_activity_ms_) return;
  if (now_ms - last_activity_ms_ >= idle) end(echo_state::timed_out, errc::timed_out);
}

std::uint64_t echo_session_base::poll_at() const noexcept {
  const auto idle = static_cast<std::uint64_t>(idle_timeout_.count());
  if (!live() || idle == 0) return no_deadline;
  if (last_activity_ms_ > no_deadline - idle) return no_deadline;
  return last_activity_ms_ + idle;
}

echo_interest echo_session_base::interest() const noexcept {
  echo_interest i;
  switch (state_) {
    case echo_state::open:       // echoing: read while there is room, write while bytes are held
      i.read = held_ < capacity_;
      i.write = held_ > 0;
      break;
    case echo_state::draining:   // peer sent FIN: read nothing more, write what is left (held_ > 0)
      i.write = true;
      break;
    case echo_state::finished:   // drained after FIN: every byte went back, close gracefully
    case echo_state::timed_out:  // idle for the timeout: close, held bytes are dropped
    case echo_state::reset:      // peer reset: close at once
    case echo_state::failed:     // transport error or no storage: close at once
      i.close = true;
      break;
  }
  return i;
}

void echo_session_base::note_activity(std::uint64_t now_ms) noexcept {
  if (now_ms > last_activity_ms_) last_activity_ms_ = now_ms;
}

void echo_session_base::end(echo_state why, errc code) noexcept {
  state_ = why;
  error_ = code;  // held_ is kept: after timed_out or reset it counts the bytes that were dropped
}

}  // namespace emsock
