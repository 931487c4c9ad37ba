// SPDX-License-Identifier: MIT
// echo_client_session.cpp - the echo client session (see emsock/echo_client_session.hpp).
#include "emsock/echo_client_session.hpp"

namespace emsock {

namespace {

constexpr const char* echo_outcome_names[] = {"pending",         "success",   "mismatch", "early_close",
                                              "unexpected_data", "timed_out", "reset",    "transport_error"};

}  // namespace

const char* name(echo_outcome outcome) noexcept {
  const auto i = static_cast<std::size_t>(outcome);
  return i < sizeof echo_outcome_names / sizeof echo_outcome_names[0] ? echo_outcome_names[i] : "unknown";
}

echo_client_session::echo_client_session(const_byte_span message, std::uint64_t deadline_ms,
                                         bool await_peer_close) noexcept
    : message_(message), deadline_ms_(deadline_ms), await_peer_close_(await_peer_close) {
  if (message_.data == nullptr && message_.size != 0) {
    message_ = {};
    end(echo_outcome::transport_error, errc::invalid_argument, 0);
    return;
  }
  advance();
}

const_byte_span echo_client_session::pending_send() const noexcept {
  if (phase_ != phase::sending) return {};
  return {message_.data + sent_, message_.size - sent_};
}

status echo_client_session::on_sent(std::size_t n) noexcept {
  if (n > pending_send().size) return errc::invalid_argument;
  if (n == 0) return {};
  sent_ += n;
  advance();
  return {};
}

status echo_client_session::on_received(const_byte_span chunk) noexcept {
  if (done() || (chunk.data == nullptr && chunk.size != 0)) return errc::invalid_argument;
  for (std::size_t i = 0; i < chunk.size; ++i) {
    // verified_ <= sent_ <= message_.size: a byte at or beyond sent_ was never sent.
    if (verified_ == sent_) {
      end(echo_outcome::unexpected_data, errc::ok, verified_);
      return {};
    }
    if (chunk.data[i] != message_.data[verified_]) {
      end(echo_outcome::mismatch, errc::ok, verified_);
      return {};
    }
    ++verified_;
  }
  advance();
  return {};
}

status echo_client_session::on_peer_closed() noexcept {
  if (done()) return errc::invalid_argument;
  if (phase_ == phase::awaiting_close) {
    end(echo_outcome::success, errc::ok, verified_);
  } else {
    end(echo_outcome::early_close, errc::ok, verified_);
  }
  return {};
}

status echo_client_session::on_reset() noexcept {
  if (done()) return errc::invalid_argument;
  end(echo_outcome::reset, errc::connection_reset, verified_);
  return {};
}

status echo_client_session::on_error(errc code) noexcept {
  if (done() || !is_fatal(code)) return errc::invalid_argument;  // non-fatal codes: retry instead
  switch (code) {
    case errc::connection_reset:
      end(echo_outcome::reset, code, verified_);
      return {};
    case errc::timed_out:
      end(echo_outcome::timed_out, code, verified_);
      return {};
    default:
      end(echo_outcome::transport_error, code, verified_);
      return {};
  }
}

void echo_client_session::on_tick(std::uint64_t now_ms) noexcept {
  if (!done() && now_ms >= deadline_ms_) end(echo_outcome::timed_out, errc::timed_out, verified_);
}

std::uint64_t echo_client_session::poll_at() const noexcept { return done() ? no_deadline : deadline_ms_; }

echo_interest echo_client_session::interest() const noexcept {
  echo_interest i;
  switch (phase_) {
    case phase::sending:         // bytes unsent: write them, and read the echo meanwhile (small server buffers)
      i.read = true;
      i.write = true;
      break;
    case phase::receiving:       // all sent, echo incomplete: read; our FIN may go now
      i.read = true;
      i.shutdown_write = true;
      break;
    case phase::awaiting_close:  // whole echo verified: read until FIN, any further byte is unexpected
      i.read = true;
      i.shutdown_write = true;
      break;
    case phase::ended:           // outcome decided: close
      i.close = true;
      break;
  }
  return i;
}

void echo_client_session::advance() noexcept {
  offset_ = verified_;
  if (sent_ < message_.size) {
    phase_ = phase::sending;
  } else if (verified_ < message_.size) {
    phase_ = phase::receiving;
  } else if (await_peer_close_) {
    phase_ = phase::awaiting_close;
  } else {
    end(echo_outcome::success, errc::ok, verified_);
  }
}

void echo_client_session::end(echo_outcome outcome, errc code, std::size_t offset) noexcept {
  phase_ = phase::ended;
  outcome_ = outcome;
  error_ = code;
  offset_ = offset;
}

}  // namespace emsock
