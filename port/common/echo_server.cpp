// SPDX-License-Identifier: MIT
// The echo server engine: an event loop over the port interface driving pooled echo sessions.
// Backend-neutral: compiled into every backend library.
#include "emsock/port/echo_server.hpp"

#include <new>
#include <utility>

#include "emsock/port/clock.hpp"

namespace emsock {
namespace {

/// Connections accepted per round at most, so that a flood cannot starve the connected clients.
constexpr std::size_t accepts_per_round = 64;
/// Receives per visit of a connection at most, so that one client streaming without pause cannot
/// hold the loop: the event set is level-triggered, so what is left is reported at the next wait.
constexpr unsigned receives_per_visit = 8;

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

echo_session_base* echo_server_base::make_session(void* where, std::uint8_t* storage, std::size_t capacity) noexcept {
  return ::new (where) echo_session_base(storage, capacity, milliseconds::zero(), 0);
}

status echo_server_base::open(const echo_server_options& options) noexcept {
  if (options.idle_timeout < milliseconds::zero()) return errc::invalid_argument;
  if (listener_.valid() || options.max_clients > capacity_ || options.accept_retry <= milliseconds::zero())
    return errc::invalid_argument;
  if (const status s = events_.open(); !s) return s;
  listen_options lo;
  lo.backlog = options.backlog;
  lo.reuse_address = true;
  lo.v6_only = options.v6_only;
  result<tcp_listener> l = tcp_listener::listen(options.bind, lo);
  status st = l ? l.value().set_non_blocking(true) : l.err();
  const result<endpoint> where = st ? l.value().local_endpoint() : result<endpoint>(st.code());
  if (st && !where) st = where.err();
  if (st) st = events_.add(0, l.value().native_handle(), true, false);
  if (!st) {
    (events_.close)();
    return st;
  }
  listener_ = std::move(l.value());
  local_ = where.value();
  limit_ = options.max_clients == 0 ? capacity_ : options.max_clients;
  idle_timeout_ = options.idle_timeout;
  accept_retry_ms_ = static_cast<std::uint64_t>(options.accept_retry.count());
  accept_paused_ = false;
  episode_failures_ = 0;
  // Every slot is free (close() retired the live ones): chain them, the first slot first.
  first_ = last_ = no_slot;
  free_ = no_slot;
  for (std::size_t i = capacity_; i-- > 0;) {
    slots_[i].next = free_;
    free_ = static_cast<std::uint32_t>(i);
  }
  return {};
}

status echo_server_base::set_companion(const echo_server_companion& c) noexcept {
  const bool some = c.handle != nullptr || c.interest != nullptr || c.serve != nullptr;
  const bool all = c.handle != nullptr && c.interest != nullptr && c.serve != nullptr;
  if (some && !all) return errc::invalid_argument;
  if (all && events_.capacity() <= companion_key()) return errc::buffer_too_small;
  if (events_.handle(companion_key()) != invalid_native_handle) (void)events_.remove(companion_key());
  companion_ = c;
  return {};
}

void echo_server_base::sync_companion() noexcept {
  if (events_.capacity() <= companion_key()) return;
  const std::size_t key = companion_key();
  const native_handle_type h = companion_.handle != nullptr ? companion_.handle(companion_.context) : invalid_native_handle;
  if (events_.handle(key) != h) {
    // Gone or replaced: forget the old number at once, before a new socket can take it.
    if (events_.handle(key) != invalid_native_handle) (void)events_.remove(key);
    if (h == invalid_native_handle) return;
    const echo_interest want = companion_.interest(companion_.context);
    (void)events_.add(key, h, want.read, want.write);  // fails only for lack of memory: tried next round
    return;
  }
  if (h == invalid_native_handle) return;
  const echo_interest want = companion_.interest(companion_.context);
  (void)events_.modify(key, want.read, want.write);
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
    std::uint8_t discard[128];  // small: this frame stays within 256 bytes on Cortex-M
    for (unsigned i = 0; i < 32; ++i) {
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
    if (active_ >= limit_ || free_ == no_slot) {  // pool full
      turn_away(c);
      ++stats_.rejected;
      emit({echo_server_event_kind::rejected, c.peer, echo_state::open, errc::ok, 0, active_});
      continue;
    }
    slot& s = slots_[free_];
    status setup = c.stream.set_non_blocking(true);  // blocking would stall the loop: not served
    if (setup) {
      s.session->restart(now, idle_timeout_);
      s.watched = s.session->interest();
      setup = events_.add(index_of(s) + 1, c.stream.native_handle(), s.watched.read, s.watched.write);
    }
    if (!setup) {
      (void)c.stream.close();
      ++stats_.setup_failed;
      emit({echo_server_event_kind::setup_failed, c.peer, echo_state::open, setup.code(), 0, active_});
      continue;
    }
    (void)c.stream.set_no_delay(true);  // echo small messages at once
    free_ = s.next;
    s.stream = std::move(c.stream);
    s.peer = c.peer;
    link(s);
    ++active_;
    ++stats_.accepted;
    emit({echo_server_event_kind::connected, s.peer, echo_state::open, errc::ok, 0, active_});
  }
}

void echo_server_base::receive(slot& s, std::uint64_t now) noexcept {
  echo_session_base& session = *s.session;
  for (unsigned visit = 0; visit < receives_per_visit; ++visit) {
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
  for (std::uint32_t i = first_; i != no_slot; i = slots_[i].next) total += slots_[i].session->total_received();
  return total;
}

// The timer list stays in the order of `due`. A connection is placed from the list's end backwards:
// every session of the server has the same idle timeout, so a deadline set now is the latest and
// placing it costs one step (no_deadline, with no timeout, sorts last as well).
void echo_server_base::link(slot& s) noexcept {
  s.due = s.session->poll_at();
  std::uint32_t after = last_;
  while (after != no_slot && slots_[after].due > s.due) after = slots_[after].prev;
  const std::uint32_t i = index_of(s);
  s.prev = after;
  s.next = after == no_slot ? first_ : slots_[after].next;
  if (s.next == no_slot) last_ = i; else slots_[s.next].prev = i;
  if (after == no_slot) first_ = i; else slots_[after].next = i;
}

void echo_server_base::unlink(slot& s) noexcept {
  if (s.prev == no_slot) first_ = s.next; else slots_[s.prev].next = s.next;
  if (s.next == no_slot) last_ = s.prev; else slots_[s.next].prev = s.prev;
  s.prev = s.next = no_slot;
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
  (void)events_.remove(index_of(s) + 1);  // before the close: the number may be reused at once
  (void)s.stream.close();
  unlink(s);
  s.next = free_;
  free_ = index_of(s);
  --active_;
  if (accept_paused_) accept_retry_at_ = 0;  // a descriptor is free again: retry at once
  emit({echo_server_event_kind::disconnected, s.peer, session.state(), session.error(), session.total_sent(),
        active_});
}

// After a connection's session moved: closes it when it has ended, else brings the event set and
// the timer list up to date with what it waits for now.
void echo_server_base::settle(slot& s) noexcept {
  echo_session_base& session = *s.session;
  if (!session.interest().close) {
    const echo_interest want = session.interest();
    if (want.read != s.watched.read || want.write != s.watched.write) {
      if (const status m = events_.modify(index_of(s) + 1, want.read, want.write); !m) {
        (void)session.on_error(m.code());  // it could never be served: end it
      } else {
        s.watched = want;
      }
    }
  }
  if (session.interest().close) {
    retire(s);
    return;
  }
  if (session.poll_at() != s.due) {
    unlink(s);
    link(s);
  }
}

void echo_server_base::serve(slot& s, const poll_events& ev, std::uint64_t now) noexcept {
  if (ev.readable || ev.hangup || ev.error) receive(s, now);
  if (ev.writable) send(s, now);
  settle(s);
}

// The connections whose timer is due, earliest first. A due session's on_tick() ends it (its idle
// time is up), so each visit retires one; the guard only keeps a broken clock from looping here.
void echo_server_base::expire_due(std::uint64_t now) noexcept {
  while (first_ != no_slot && slots_[first_].due <= now) {
    const std::uint32_t head = first_;
    slots_[head].session->on_tick(now);
    settle(slots_[head]);
    if (first_ == head) break;
  }
}

status echo_server_base::run_once(milliseconds max_wait) noexcept {
  if (!listener_.valid()) return errc::invalid_argument;
  std::uint64_t now = monotonic_ms();
  // Paused: the listener is watched for nothing (a readable listener would end every wait at once)
  // and the wait ends when the pause does.
  const bool listening = !accept_paused_ || now >= accept_retry_at_;
  if (const status m = events_.modify(0, listening, false); !m) return m;
  std::uint64_t deadline = first_ != no_slot ? slots_[first_].due : echo_session_base::no_deadline;
  if (!listening && accept_retry_at_ < deadline) deadline = accept_retry_at_;
  sync_companion();

  const result<std::size_t> ready = events_.wait(wait_until(now, deadline, max_wait));
  if (!ready) return ready.err();
  now = monotonic_ms();
  bool accept_ready = false;
  for (std::size_t i = 0; i < ready.value(); ++i) {
    const ready_socket r = events_.ready(i);
    if (r.key == 0) {
      accept_ready = listening && r.events.any();
    } else if (r.key == companion_key()) {
      if (companion_.serve != nullptr && r.events.any()) companion_.serve(companion_.context, r.events);
      sync_companion();  // a socket it closed is forgotten before its number can come back
    } else if (r.key <= capacity_ && slots_[r.key - 1].stream.valid()) {
      serve(slots_[r.key - 1], r.events, now);
    }
  }
  // Retire before accepting: a slot (and a descriptor) freed in this round serves a newcomer.
  expire_due(now);

  // Not watched this round: try when the pause ended meanwhile (its time came, or a retire freed a
  // descriptor); an empty queue then answers would_block and ends the episode.
  if (listening ? accept_ready : now >= accept_retry_at_) accept_pending(now);
  return {};
}

void echo_server_base::close() noexcept {
  while (first_ != no_slot) retire(slots_[first_]);  // live: counted as closed, with its event
  if (listener_.valid()) (void)listener_.close();
  (events_.close)();
  accept_paused_ = false;
  episode_failures_ = 0;
}

}  // namespace emsock
