// SPDX-License-Identifier: MIT
// datagram_echo.cpp - the datagram queue, echo server session and echo client (see
// emsock/datagram_echo.hpp for the rules).
#include "emsock/datagram_echo.hpp"

#include <cstring>

#include "emsock/byte_order.hpp"

namespace emsock {

namespace {

constexpr const char* drop_names[] = {"no_record", "no_bytes", "too_large", "send_failed"};
constexpr const char* state_names[] = {"open", "draining", "finished", "failed"};
constexpr const char* outcome_names[] = {"pending", "all_echoed", "duplicated", "lost", "mismatched", "failed"};
constexpr const char* reply_names[] = {"echoed", "duplicate", "late", "wrong_size", "wrong_bytes", "unknown_sequence"};

template <std::size_t N>
const char* name_in(const char* const (&names)[N], std::size_t i) noexcept {
  return i < N ? names[i] : "unknown";
}

/// The code a refused datagram is reported with (push, commit, refuse).
constexpr errc code_of(datagram_drop reason) noexcept {
  return reason == datagram_drop::too_large ? errc::message_too_long : errc::buffer_too_small;
}

/// a + b, or the largest value when that does not fit.
constexpr std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  return a > ~std::uint64_t{0} - b ? ~std::uint64_t{0} : a + b;
}

/// Whether a send or socket error code says nothing about the datagram or socket: retry instead.
constexpr bool retry_code(errc code) noexcept { return code == errc::would_block || code == errc::interrupted; }

}  // namespace

const char* name(datagram_drop reason) noexcept { return name_in(drop_names, static_cast<std::size_t>(reason)); }
const char* name(datagram_echo_state state) noexcept { return name_in(state_names, static_cast<std::size_t>(state)); }
const char* name(datagram_echo_outcome outcome) noexcept {
  return name_in(outcome_names, static_cast<std::size_t>(outcome));
}
const char* name(datagram_reply reply) noexcept { return name_in(reply_names, static_cast<std::size_t>(reply)); }

// --- datagram_queue_base -------------------------------------------------------------------------------
//
// Layout: the queued datagrams occupy, oldest first, either one run [front.offset, end_) (not
// wrapped), or two: [front.offset, top) for the high_count_ oldest ones and [0, end_) for the newer
// ones (wrapped; top is where the last high one ends, at most byte_capacity_). Free, contiguous:
// not wrapped: [end_, capacity) and [0, front.offset); wrapped: [end_, front.offset). A zero-byte
// datagram never wraps (it fits any run, even an empty one at the end).

datagram_queue_base::datagram_queue_base(std::uint8_t* bytes, std::size_t byte_capacity, datagram_record* records,
                                         std::size_t max_datagrams) noexcept
    : bytes_(bytes), byte_capacity_(byte_capacity), records_(records), max_datagrams_(max_datagrams) {
  if (bytes == nullptr || records == nullptr || byte_capacity == 0 || max_datagrams == 0) {
    bytes_ = nullptr;
    records_ = nullptr;
    byte_capacity_ = 0;
    max_datagrams_ = 0;
  }
}

datagram_queue_base::area datagram_queue_base::largest_area() const noexcept {
  if (count_ == 0) return {0, byte_capacity_, false};
  const std::size_t front = records_[head_].offset;
  if (wrapped_) return {end_, front - end_, false};  // continues the run at 0, no new wrap
  const std::size_t at_end = byte_capacity_ - end_;
  if (front > at_end) return {0, front, true};
  return {end_, at_end, false};
}

datagram_queue_base::verdict datagram_queue_base::check(std::size_t size) const noexcept {
  if (size > byte_capacity_) return {false, datagram_drop::too_large};
  if (count_ == max_datagrams_) return {false, datagram_drop::no_record};
  if (count_ == 0) return {true, datagram_drop::no_bytes};
  const std::size_t front = records_[head_].offset;
  if (wrapped_) return {size <= front - end_, datagram_drop::no_bytes};
  return {size <= byte_capacity_ - end_ || size <= front, datagram_drop::no_bytes};
}

void datagram_queue_base::store(const area& where, std::size_t n, const endpoint& peer) noexcept {
  if (where.wraps) {
    wrapped_ = true;
    high_count_ = count_;  // every datagram queued now lies above the wrap point
  }
  std::size_t slot = head_ + count_;
  if (slot >= max_datagrams_) slot -= max_datagrams_;
  records_[slot].peer = peer;
  records_[slot].offset = where.offset;
  records_[slot].size = n;
  end_ = where.offset + n;
  ++count_;
  held_ += n;
}

namespace {

/// The counter of `reason` in `d`.
std::uint64_t& counter(datagram_drops& d, datagram_drop reason) noexcept {
  switch (reason) {
    case datagram_drop::no_record: return d.no_record;
    case datagram_drop::no_bytes: return d.no_bytes;
    case datagram_drop::too_large: return d.too_large;
    case datagram_drop::send_failed: break;
  }
  return d.send_failed;
}

}  // namespace

datagram_drop datagram_queue_base::count_drop(datagram_drop reason) noexcept {
  ++counter(drops_, reason);
  return reason;
}

status datagram_queue_base::push(const endpoint& peer, const_byte_span datagram) noexcept {
  if (!usable() || (datagram.data == nullptr && datagram.size != 0)) return errc::invalid_argument;
  const verdict v = check(datagram.size);
  if (!v.ok) return code_of(count_drop(v.reason));
  // First fit: after the newest datagram if it fits there, else from index 0 (check() said one does).
  area where{end_, datagram.size, false};
  if (count_ == 0) {
    where.offset = 0;
  } else if (!wrapped_ && datagram.size > byte_capacity_ - end_) {
    where = {0, datagram.size, true};
  }
  if (datagram.size != 0) std::memcpy(bytes_ + where.offset, datagram.data, datagram.size);
  store(where, datagram.size, peer);
  return {};
}

byte_span datagram_queue_base::receive_space() const noexcept {
  if (!usable() || count_ == max_datagrams_) return {};
  const area a = largest_area();
  return {bytes_ + a.offset, a.size};
}

status datagram_queue_base::commit(std::size_t n, const endpoint& peer) noexcept {
  if (!usable()) return errc::invalid_argument;
  if (count_ == max_datagrams_) {
    if (n != 0) return errc::invalid_argument;  // nothing was lent
    return code_of(count_drop(datagram_drop::no_record));
  }
  const area a = largest_area();
  if (n > a.size) return errc::invalid_argument;
  store(a, n, peer);
  return {};
}

result<datagram_drop> datagram_queue_base::refuse(std::size_t size) noexcept {
  if (!usable()) return errc::invalid_argument;
  const std::size_t lent = receive_space().size;
  if (size != 0 && size <= lent) return errc::invalid_argument;  // it would have fitted
  if (size != 0) return count_drop(check(size).reason);
  if (count_ == max_datagrams_) return count_drop(datagram_drop::no_record);
  return count_drop(lent == byte_capacity_ ? datagram_drop::too_large : datagram_drop::no_bytes);
}

datagram_view datagram_queue_base::front() const noexcept {
  if (count_ == 0) return {};
  const datagram_record& r = records_[head_];
  return {&r.peer, {bytes_ + r.offset, r.size}};
}

status datagram_queue_base::pop() noexcept {
  if (count_ == 0) return errc::invalid_argument;
  held_ -= records_[head_].size;
  if (++head_ == max_datagrams_) head_ = 0;
  --count_;
  if (count_ == 0) {
    clear();  // empty: the whole area from index 0 again
  } else if (wrapped_ && --high_count_ == 0) {
    wrapped_ = false;  // the run at index 0 is the only one now
  }
  return {};
}

void datagram_queue_base::clear() noexcept {
  head_ = 0;
  count_ = 0;
  held_ = 0;
  end_ = 0;
  high_count_ = 0;
  wrapped_ = false;
}

void datagram_queue_base::reset() noexcept {
  clear();
  drops_ = {};
}

// --- datagram_echo_session_base ------------------------------------------------------------------------

datagram_echo_session_base::datagram_echo_session_base(std::uint8_t* bytes, std::size_t byte_capacity,
                                                       datagram_record* records, std::size_t max_datagrams) noexcept
    : queue_(bytes, byte_capacity, records, max_datagrams) {
  restart();
}

void datagram_echo_session_base::restart() noexcept {
  queue_.reset();
  stats_ = {};
  state_ = datagram_echo_state::open;
  error_ = errc::ok;
  if (!queue_.usable()) {
    state_ = datagram_echo_state::failed;
    error_ = errc::invalid_argument;
  }
}

byte_span datagram_echo_session_base::receive_space() const noexcept {
  if (state_ != datagram_echo_state::open) return {};
  return queue_.receive_space();
}

void datagram_echo_session_base::note_drop(datagram_drop reason, std::size_t bytes) noexcept {
  ++counter(stats_.dropped, reason);
  stats_.dropped_bytes += bytes;
}

status datagram_echo_session_base::on_received(std::size_t n, const endpoint& from) noexcept {
  if (state_ != datagram_echo_state::open) return errc::invalid_argument;
  const status st = queue_.commit(n, from);
  if (st.code() == errc::invalid_argument) return st;
  ++stats_.received;
  stats_.received_bytes += n;
  if (!st.ok()) note_drop(datagram_drop::no_record, n);  // commit() refuses only for want of a record
  return st;
}

status datagram_echo_session_base::on_truncated(std::size_t size, const endpoint& from) noexcept {
  static_cast<void>(from);  // the sender of a dropped datagram is not kept
  if (state_ != datagram_echo_state::open) return errc::invalid_argument;
  const result<datagram_drop> refused = queue_.refuse(size);
  if (!refused.ok()) return refused.code();
  const datagram_drop reason = refused.value_or(datagram_drop::no_bytes);  // ok(): its value
  ++stats_.received;
  stats_.received_bytes += size;
  note_drop(reason, size);
  return code_of(reason);
}

datagram_view datagram_echo_session_base::pending_send() const noexcept {
  if (!live()) return {};
  return queue_.front();
}

void datagram_echo_session_base::removed_front() noexcept {
  static_cast<void>(queue_.pop());  // pending_send() was not empty, so there is one
  if (state_ == datagram_echo_state::draining && queue_.empty()) state_ = datagram_echo_state::finished;
}

status datagram_echo_session_base::on_sent() noexcept {
  const datagram_view d = pending_send();
  if (!d) return errc::invalid_argument;
  ++stats_.echoed;
  stats_.echoed_bytes += d.bytes.size;
  removed_front();
  return {};
}

status datagram_echo_session_base::on_send_error(errc code) noexcept {
  const datagram_view d = pending_send();
  if (!d) return errc::invalid_argument;
  if (retry_code(code)) return {};                    // kept: send it again when writable
  if (!is_fatal(code)) return errc::invalid_argument;  // ok, in_progress, datagram_truncated
  note_drop(datagram_drop::send_failed, d.bytes.size);
  removed_front();
  return {};
}

status datagram_echo_session_base::stop() noexcept {
  if (state_ != datagram_echo_state::open) return errc::invalid_argument;
  state_ = queue_.empty() ? datagram_echo_state::finished : datagram_echo_state::draining;
  return {};
}

status datagram_echo_session_base::on_error(errc code) noexcept {
  if (!live() || !is_fatal(code)) return errc::invalid_argument;
  state_ = datagram_echo_state::failed;
  error_ = code;
  return {};
}

echo_interest datagram_echo_session_base::interest() const noexcept {
  echo_interest i;
  switch (state_) {
    case datagram_echo_state::open:      // read always (a drop is counted here), write while one is queued
      i.read = true;
      i.write = !queue_.empty();
      break;
    case datagram_echo_state::draining:  // stopped: read nothing more, write what is queued (never empty)
      i.write = true;
      break;
    case datagram_echo_state::finished:  // every queued datagram went out or was dropped: close
    case datagram_echo_state::failed:    // socket error or unusable storage: close at once
      i.close = true;
      break;
  }
  return i;
}

// --- datagram_echo_client_base -------------------------------------------------------------------------

namespace {

/// The states of a flight record (datagram_flight::state).
enum flight_state : std::uint8_t {
  flight_free,     ///< never used
  flight_waiting,  ///< sent, its reply awaited until deadline_ms
  flight_due,      ///< timed out with retries left: to be sent again (no timer meanwhile)
  flight_echoed,   ///< answered by attempt answered_by - 1
  flight_lost,     ///< timed out after its last retry
};

}  // namespace

datagram_echo_client_base::datagram_echo_client_base(const datagram_echo_client_config& config, std::uint8_t* buffer,
                                                     std::size_t buffer_size, datagram_flight* flights,
                                                     std::size_t flight_count, std::uint64_t now_ms) noexcept
    : config_(config), buffer_(buffer), flights_(flights), flight_count_(flight_count), now_ms_(now_ms) {
  const bool usable = buffer != nullptr && flights != nullptr && flight_count != 0 &&
                      config.size >= header_size && config.size <= buffer_size && config.window != 0 &&
                      config.window <= flight_count && config.timeout > milliseconds::zero() &&
                      config.linger >= milliseconds::zero() &&
                      (config.payload.data != nullptr || config.payload.size == 0);
  if (!usable) {
    outcome_ = datagram_echo_outcome::failed;
    error_ = errc::invalid_argument;
    phase_ = phase::ended;
    return;
  }
  for (std::size_t i = 0; i < flight_count_; ++i) flights_[i] = datagram_flight{};
  advance();
}

datagram_flight& datagram_echo_client_base::flight_of(std::uint32_t sequence) const noexcept {
  return flights_[sequence % flight_count_];
}

std::uint8_t datagram_echo_client_base::expected_byte(std::uint32_t sequence, std::uint8_t attempt,
                                                      std::size_t i) const noexcept {
  if (i < 4) return static_cast<std::uint8_t>(sequence >> (8 * (3 - i)));
  if (i == 4) return attempt;
  if (config_.payload.size != 0) return config_.payload.data[(i - header_size) % config_.payload.size];
  return pattern_byte(sequence, i);
}

void datagram_echo_client_base::note_time(std::uint64_t now_ms) noexcept {
  if (now_ms > now_ms_) now_ms_ = now_ms;
}

const_byte_span datagram_echo_client_base::pending_send() const noexcept {
  if (!pending_ || phase_ == phase::ended) return {};
  return {buffer_, config_.size};
}

void datagram_echo_client_base::choose_pending() noexcept {
  pending_ = false;
  // A retry first: the oldest due datagram (the lowest sequence among the due records).
  for (std::size_t i = 0; i < flight_count_; ++i) {
    const datagram_flight& f = flights_[i];
    if (f.state == flight_due && (!pending_ || f.sequence < pending_sequence_)) {
      pending_ = true;
      pending_sequence_ = f.sequence;
      pending_attempt_ = static_cast<std::uint8_t>(f.attempts);  // due: attempts <= retries <= 255
    }
  }
  // Else the next new one, while the window has room and its record holds nothing awaited.
  if (!pending_ && next_sequence_ < config_.count && in_flight_ < config_.window) {
    const datagram_flight& f = flight_of(next_sequence_);
    if (f.state != flight_waiting && f.state != flight_due) {
      pending_ = true;
      pending_sequence_ = next_sequence_;
      pending_attempt_ = 0;
    }
  }
  if (pending_ && !(built_ && built_sequence_ == pending_sequence_ && built_attempt_ == pending_attempt_)) {
    for (std::size_t i = 0; i < config_.size; ++i) buffer_[i] = expected_byte(pending_sequence_, pending_attempt_, i);
    built_ = true;
    built_sequence_ = pending_sequence_;
    built_attempt_ = pending_attempt_;
  }
}

void datagram_echo_client_base::advance() noexcept {
  if (phase_ == phase::ended || phase_ == phase::lingering) return;
  if (stats_.echoed + stats_.lost == config_.count) {  // every datagram decided
    pending_ = false;
    if (config_.count != 0 && config_.linger > milliseconds::zero()) {
      phase_ = phase::lingering;
      linger_until_ = saturating_add(now_ms_, static_cast<std::uint64_t>(config_.linger.count()));
    } else {
      finish();
    }
    return;
  }
  choose_pending();
  phase_ = pending_ ? phase::sending : phase::waiting;
}

void datagram_echo_client_base::finish() noexcept {
  phase_ = phase::ended;
  pending_ = false;
  if (stats_.mismatched() != 0) {
    outcome_ = datagram_echo_outcome::mismatched;
  } else if (stats_.lost != 0) {
    outcome_ = datagram_echo_outcome::lost;
  } else if (stats_.duplicates != 0) {
    outcome_ = datagram_echo_outcome::duplicated;
  } else {
    outcome_ = datagram_echo_outcome::all_echoed;
  }
}

status datagram_echo_client_base::on_sent(std::uint64_t now_ms) noexcept {
  if (pending_send().empty()) return errc::invalid_argument;
  note_time(now_ms);
  datagram_flight& f = flight_of(pending_sequence_);
  if (pending_attempt_ == 0) {  // a new datagram takes its record (whatever decided one it held)
    f = datagram_flight{};
    f.sequence = pending_sequence_;
    ++next_sequence_;
    ++in_flight_;
  } else {
    ++stats_.retries;
  }
  f.attempts = static_cast<std::uint16_t>(pending_attempt_ + 1);
  f.state = flight_waiting;
  f.deadline_ms = saturating_add(now_ms_, static_cast<std::uint64_t>(config_.timeout.count()));
  ++stats_.sent;
  advance();
  return {};
}

result<datagram_reply> datagram_echo_client_base::on_received(const_byte_span reply, std::uint64_t now_ms) noexcept {
  if (done() || (reply.data == nullptr && reply.size != 0)) return errc::invalid_argument;
  note_time(now_ms);
  const datagram_reply kind = [&]() noexcept {
    if (reply.size < header_size) return datagram_reply::unknown_sequence;
    const std::uint32_t sequence = load_be32(reply.data);
    const std::uint8_t attempt = reply.data[4];
    if (sequence >= next_sequence_) return datagram_reply::unknown_sequence;  // never sent (or >= count)
    datagram_flight& f = flight_of(sequence);
    const bool tracked = f.sequence == sequence && f.state != flight_free;
    if (tracked ? attempt >= f.attempts : attempt > config_.retries) return datagram_reply::unknown_sequence;
    if (reply.size != config_.size) return datagram_reply::wrong_size;
    for (std::size_t i = header_size; i < reply.size; ++i)
      if (reply.data[i] != expected_byte(sequence, attempt, i)) return datagram_reply::wrong_bytes;
    if (!tracked) return datagram_reply::late;  // decided and forgotten: older than the history
    switch (f.state) {
      case flight_waiting:
      case flight_due:
        f.state = flight_echoed;
        f.answered_by = static_cast<std::uint16_t>(attempt + 1);
        --in_flight_;
        return datagram_reply::echoed;
      case flight_echoed:
        return f.answered_by == attempt + 1 ? datagram_reply::duplicate : datagram_reply::late;
      default:  // flight_lost
        return datagram_reply::late;
    }
  }();
  switch (kind) {
    case datagram_reply::echoed: ++stats_.echoed; break;
    case datagram_reply::duplicate: ++stats_.duplicates; break;
    case datagram_reply::late: ++stats_.late; break;
    case datagram_reply::wrong_size: ++stats_.wrong_size; break;
    case datagram_reply::wrong_bytes: ++stats_.wrong_bytes; break;
    case datagram_reply::unknown_sequence: ++stats_.unknown_sequence; break;
  }
  advance();
  return kind;
}

status datagram_echo_client_base::on_error(errc code) noexcept {
  if (done() || !is_fatal(code)) return errc::invalid_argument;
  phase_ = phase::ended;
  pending_ = false;
  outcome_ = datagram_echo_outcome::failed;
  error_ = code;
  return {};
}

void datagram_echo_client_base::on_tick(std::uint64_t now_ms) noexcept {
  if (done()) return;
  note_time(now_ms);
  if (phase_ == phase::lingering) {
    if (now_ms_ >= linger_until_) finish();
    return;
  }
  for (std::size_t i = 0; i < flight_count_; ++i) {
    datagram_flight& f = flights_[i];
    if (f.state != flight_waiting || now_ms_ < f.deadline_ms) continue;
    if (f.attempts > config_.retries) {
      f.state = flight_lost;
      --in_flight_;
      ++stats_.lost;
    } else {
      f.state = flight_due;
    }
  }
  advance();
}

std::uint64_t datagram_echo_client_base::poll_at() const noexcept {
  std::uint64_t at = no_deadline;
  switch (phase_) {
    case phase::sending:    // a datagram is due: write it; timers of those in flight still run
    case phase::waiting:    // all due ones sent: wait for replies until the earliest deadline
      for (std::size_t i = 0; i < flight_count_; ++i)
        if (flights_[i].state == flight_waiting && flights_[i].deadline_ms < at) at = flights_[i].deadline_ms;
      break;
    case phase::lingering:  // every datagram decided: read duplicates until the linger time is over
      at = linger_until_;
      break;
    case phase::ended:      // outcome decided: no timer
      break;
  }
  return at;
}

echo_interest datagram_echo_client_base::interest() const noexcept {
  echo_interest i;
  switch (phase_) {
    case phase::sending:    // a datagram (new or retry) is due: write it, and keep reading replies
      i.read = true;
      i.write = true;
      break;
    case phase::waiting:    // everything due was sent: read replies, tick at poll_at()
    case phase::lingering:  // every datagram decided: read late duplicates until the linger ends
      i.read = true;
      break;
    case phase::ended:      // outcome decided: close
      i.close = true;
      break;
  }
  return i;
}

}  // namespace emsock
