// The echo server engine: a poll loop over the port interface driving pooled echo sessions.
// Backend-neutral: compiled into every backend library.
#include "emsock/port/echo_server.hpp"

#include <utility>

#include "emsock/port/clock.hpp"
#include "run_loop.hpp"

namespace emsock {
namespace {

/// Connections accepted per round at most, so that a flood cannot starve the connected clients.
constexpr std::size_t accepts_per_round = 64;

/// The time from `now` until `deadline`, capped at `cap` (a negative cap means no limit) and at
/// max_timeout (the wait is repeated by the next round).
milliseconds wait_until(std::uint64_t now, std::uint64_t deadline, milliseconds cap) noexcept {
  if (deadline == echo_session_base::no_deadline) return cap;
  const std::uint64_t left = deadline > now ? deadline - now : 0;
  if (cap >= milliseconds::zero() && left >= static_cast<std::uint64_t>(cap.count())) return cap;
  const auto most = static_cast<std::uint64_t>(max_timeout.count());
  return milliseconds{static_cast<milliseconds::rep>(left < most ? left : most)};
}

}  // namespace

status echo_server_base::open(const echo_server_options& options) noexcept {
  if (options.idle_timeout < milliseconds::zero()) return errc::invalid_argument;
  if (listener_.valid() || options.max_clients > capacity_ || options.accept_retry <= milliseconds::zero())
    return errc::invalid_argument;
  listen_options lo;
  lo.backlog = options.backlog;
  lo.reuse_address = true;
  result<tcp_listener> l = tcp_listener::listen(options.bind, lo);
  if (!l) return l.code();
  if (const status s = l.value().set_non_blocking(true); !s) return s;
  const result<endpoint> where = l.value().local_endpoint();
  if (!where) return where.code();
  listener_ = std::move(l.value());
  local_ = where.value();
  limit_ = options.max_clients == 0 ? capacity_ : options.max_clients;
  idle_timeout_ = options.idle_timeout;
  accept_retry_ms_ = static_cast<std::uint64_t>(options.accept_retry.count());
  accept_paused_ = false;
  episode_failures_ = 0;
  return {};
}

status echo_server_base::set_companion(const echo_server_companion& c) noexcept {
  if (c.watch != nullptr && polls_.capacity() <= capacity_ + 1) return errc::buffer_too_small;
  companion_ = c;
  return {};
}

void echo_server_base::emit(const echo_server_event& e) noexcept {
  if (handler_ != nullptr) handler_(context_, e);
}

void echo_server_base::accept_failed(errc error, std::uint64_t now) noexcept {
  // The connection stays queued (POSIX, the fake) or is dropped (lwIP): either way trying again at
  // once would fail again. Pause; the episode is reported once, at its start.
  ++stats_.accept_failures;
  ++episode_failures_;
  accept_retry_at_ = now + accept_retry_ms_;
  if (accept_paused_) return;
  accept_paused_ = true;
  emit({echo_server_event_kind::accept_failed, endpoint{}, echo_state::open, error, 0, active_, 1});
}

void echo_server_base::turn_away(accepted& a) noexcept {
  // Close at once so the client sees end of stream instead of a hang. Read what already arrived
  // first, because closing with unread data would reset the connection.
  tcp_stream& stream = a.stream;
  if (stream.set_non_blocking(true)) {
    std::uint8_t discard[256];
    for (unsigned i = 0; i < 16; ++i) {
      const result<std::size_t> r = stream.recv(discard, sizeof discard);
      if (!r.ok() || r.value() == 0) break;
    }
  }
  (void)stream.close();
}

void echo_server_base::accept_pending(std::uint64_t now) noexcept {
  for (std::size_t n = 0; n < accepts_per_round; ++n) {
    result<accepted> a = listener_.accept();
    if (!a) {
      // connection_aborted: that one is gone, take the next.
      if (a.code() == errc::connection_aborted) continue;
      // would_block: the queue is empty. Anything else: no descriptor or no memory for it.
      if (a.code() != errc::would_block) {
        accept_failed(a.code(), now);
        return;
      }
      if (accept_paused_) {  // every connection that waited for a descriptor was taken
        accept_paused_ = false;
        emit({echo_server_event_kind::accept_resumed, endpoint{}, echo_state::open, errc::ok, 0, active_,
              episode_failures_});
        episode_failures_ = 0;
      }
      return;
    }
    accepted& c = a.value();
    slot* free_slot = nullptr;
    if (active_ < limit_) {
      for (std::size_t i = 0; i < capacity_ && free_slot == nullptr; ++i)
        if (!slots_[i].stream.valid()) free_slot = &slots_[i];
    }
    if (free_slot == nullptr) {  // pool full
      turn_away(c);
      ++stats_.rejected;
      emit({echo_server_event_kind::rejected, c.peer, echo_state::open, errc::ok, 0, active_});
      continue;
    }
    if (const status s = c.stream.set_non_blocking(true); !s) {  // would block the loop: not served
      (void)c.stream.close();
      ++stats_.setup_failed;
      emit({echo_server_event_kind::setup_failed, c.peer, echo_state::open, s.code(), 0, active_});
      continue;
    }
    (void)c.stream.set_no_delay(true);  // echo small messages at once
    free_slot->stream = std::move(c.stream);
    free_slot->peer = c.peer;
    free_slot->poll_index = no_index;
    free_slot->session->restart(now, idle_timeout_);
    ++active_;
    ++stats_.accepted;
    emit({echo_server_event_kind::connected, free_slot->peer, echo_state::open, errc::ok, 0, active_});
  }
}

void echo_server_base::receive(slot& s, std::uint64_t now) noexcept {
  echo_session_base& session = *s.session;
  for (;;) {
    const byte_span space = session.receive_space();
    if (space.empty()) return;  // full (backpressure) or no longer reading
    const result<std::size_t> r = s.stream.recv(space.data, space.size);
    if (!r) {
      if (is_fatal(r.code())) (void)session.on_error(r.code());  // reset maps to on_reset
      return;
    }
    if (*r == 0) {
      (void)session.on_peer_closed(now);
      return;
    }
    (void)session.on_received(*r, now);
    send(s, now);  // echo at once: frees space and saves a poll round
    if (*r < space.size) return;  // the socket is drained for now
  }
}

void echo_server_base::send(slot& s, std::uint64_t now) noexcept {
  echo_session_base& session = *s.session;
  for (;;) {
    const const_byte_span pending = session.pending_send();
    if (pending.empty()) return;
    const result<std::size_t> r = s.stream.send(pending.data, pending.size);
    if (!r) {
      if (is_fatal(r.code())) (void)session.on_error(r.code());
      return;
    }
    (void)session.on_sent(*r, now);
    if (*r < pending.size) return;  // the send buffer is full: wait for POLLOUT
  }
}

std::uint64_t echo_server_base::bytes_received() const noexcept {
  std::uint64_t total = retired_received_;
  for (std::size_t i = 0; i < capacity_; ++i)
    if (slots_[i].stream.valid()) total += slots_[i].session->total_received();
  return total;
}

void echo_server_base::retire(slot& s) noexcept {
  const echo_session_base& session = *s.session;
  switch (session.state()) {
    case echo_state::finished: ++stats_.finished; break;
    case echo_state::timed_out: ++stats_.timed_out; break;
    case echo_state::reset: ++stats_.reset; break;
    case echo_state::failed: ++stats_.failed; break;
    case echo_state::open:
    case echo_state::draining: ++stats_.closed; break;  // live: close() ends it
  }
  stats_.bytes += session.total_sent();
  retired_received_ += session.total_received();
  (void)s.stream.close();
  --active_;
  if (accept_paused_) accept_retry_at_ = 0;  // a descriptor is free again: retry at once
  emit({echo_server_event_kind::disconnected, s.peer, session.state(), session.error(), session.total_sent(),
        active_});
}

status echo_server_base::run_once(milliseconds max_wait) noexcept {
  if (!listener_.valid()) return errc::invalid_argument;
  std::uint64_t now = monotonic_ms();
  std::uint64_t deadline = echo_session_base::no_deadline;
  // Paused: the listener is watched for nothing (a readable listener would end every wait at once)
  // and the wait ends when the pause does.
  const bool listening = !accept_paused_ || now >= accept_retry_at_;
  if (!listening) deadline = accept_retry_at_;
  polls_.clear();
  (void)polls_.add(listener_.native_handle(), listening, false);  // index 0; the set has room for it
  for (std::size_t i = 0; i < capacity_; ++i) {
    slot& s = slots_[i];
    if (!s.stream.valid()) continue;
    const echo_interest want = s.session->interest();
    s.poll_index = polls_.add(s.stream.native_handle(), want.read, want.write).value_or(no_index);
    const std::uint64_t at = s.session->poll_at();
    if (at < deadline) deadline = at;
  }
  if (companion_.watch != nullptr) companion_.watch(companion_.context, polls_);  // after the pool: room kept

  const result<std::size_t> ready = polls_.wait(wait_until(now, deadline, max_wait));
  if (!ready) return ready.err();
  now = monotonic_ms();
  if (companion_.serve != nullptr) companion_.serve(companion_.context, polls_);

  for (std::size_t i = 0; i < capacity_; ++i) {
    slot& s = slots_[i];
    if (!s.stream.valid() || s.poll_index == no_index) continue;
    const poll_events ev = polls_.events(s.poll_index);
    if (ev.readable || ev.hangup || ev.error) receive(s, now);
    if (ev.writable) send(s, now);
  }

  // Retire before accepting: a slot (and a descriptor) freed in this round serves a newcomer.
  for (std::size_t i = 0; i < capacity_; ++i) {
    slot& s = slots_[i];
    if (!s.stream.valid()) continue;
    s.session->on_tick(now);
    if (s.session->interest().close) retire(s);
  }

  // Not watched this round: try when the pause ended meanwhile (its time came, or a retire freed a
  // descriptor); an empty queue then answers would_block and ends the episode.
  if (listening ? polls_.events(0).readable : now >= accept_retry_at_) accept_pending(now);
  return {};
}

status echo_server_base::run(const volatile std::sig_atomic_t& stop) noexcept {
  const status result = detail::run_until(
      stop, [this](milliseconds wait) noexcept { return run_once(wait); }, [] { return true; });
  close();
  return result;
}

void echo_server_base::close() noexcept {
  for (std::size_t i = 0; i < capacity_; ++i)
    if (slots_[i].stream.valid()) retire(slots_[i]);  // live: counted as closed, with its event
  if (listener_.valid()) (void)listener_.close();
  accept_paused_ = false;
  episode_failures_ = 0;
}

}  // namespace emsock
