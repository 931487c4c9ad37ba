// SPDX-License-Identifier: MIT
// tests/support/datagram_echo_snapshot.hpp - everything a driver can observe of a datagram queue, a
// datagram echo session and a datagram echo client, to prove that a refused call changed nothing.
// Shared by the unit tests and the fuzz target.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/datagram_echo.hpp"

namespace emsock_test {

inline bool same(const emsock::datagram_drops& a, const emsock::datagram_drops& b) {
  return a.no_record == b.no_record && a.no_bytes == b.no_bytes && a.too_large == b.too_large &&
         a.send_failed == b.send_failed;
}

inline bool same(const emsock::datagram_view& a, const emsock::datagram_view& b) {
  return a.peer == b.peer && a.bytes.data == b.bytes.data && a.bytes.size == b.bytes.size;
}

inline bool same(const emsock::datagram_echo_stats& a, const emsock::datagram_echo_stats& b) {
  return a.received == b.received && a.received_bytes == b.received_bytes && a.echoed == b.echoed &&
         a.echoed_bytes == b.echoed_bytes && same(a.dropped, b.dropped) && a.dropped_bytes == b.dropped_bytes;
}

inline bool same(const emsock::datagram_echo_client_stats& a, const emsock::datagram_echo_client_stats& b) {
  return a.sent == b.sent && a.retries == b.retries && a.echoed == b.echoed && a.lost == b.lost &&
         a.duplicates == b.duplicates && a.late == b.late && a.wrong_size == b.wrong_size &&
         a.wrong_bytes == b.wrong_bytes && a.unknown_sequence == b.unknown_sequence;
}

struct queue_snapshot {
  std::size_t size;
  std::size_t held;
  emsock::datagram_drops drops;
  emsock::datagram_view front;
  emsock::byte_span space;

  explicit queue_snapshot(const emsock::datagram_queue_base& q)
      : size(q.size()), held(q.bytes_held()), drops(q.drops()), front(q.front()), space(q.receive_space()) {}

  bool operator==(const queue_snapshot& o) const {
    return size == o.size && held == o.held && same(drops, o.drops) && same(front, o.front) &&
           space.data == o.space.data && space.size == o.space.size;
  }
  bool operator!=(const queue_snapshot& o) const { return !(*this == o); }
};

struct datagram_session_snapshot {
  emsock::datagram_echo_state state;
  emsock::errc error;
  emsock::datagram_echo_stats stats;
  std::size_t queued;
  std::size_t queued_bytes;
  emsock::datagram_view pending;
  emsock::byte_span space;
  emsock::echo_interest interest;

  explicit datagram_session_snapshot(const emsock::datagram_echo_session_base& s)
      : state(s.state()),
        error(s.error()),
        stats(s.stats()),
        queued(s.queued()),
        queued_bytes(s.queued_bytes()),
        pending(s.pending_send()),
        space(s.receive_space()),
        interest(s.interest()) {}

  bool operator==(const datagram_session_snapshot& o) const {
    return state == o.state && error == o.error && same(stats, o.stats) && queued == o.queued &&
           queued_bytes == o.queued_bytes && same(pending, o.pending) && space.data == o.space.data &&
           space.size == o.space.size && interest == o.interest;
  }
  bool operator!=(const datagram_session_snapshot& o) const { return !(*this == o); }
};

struct datagram_client_snapshot {
  emsock::datagram_echo_outcome outcome;
  emsock::errc error;
  emsock::datagram_echo_client_stats stats;
  emsock::const_byte_span pending;
  std::uint32_t pending_sequence;
  std::uint8_t pending_attempt;
  std::uint64_t poll_at;
  emsock::echo_interest interest;
  std::uint32_t started;
  std::uint32_t in_flight;

  explicit datagram_client_snapshot(const emsock::datagram_echo_client_base& c)
      : outcome(c.outcome()),
        error(c.error()),
        stats(c.stats()),
        pending(c.pending_send()),
        pending_sequence(c.pending_sequence()),
        pending_attempt(c.pending_attempt()),
        poll_at(c.poll_at()),
        interest(c.interest()),
        started(c.started()),
        in_flight(c.in_flight()) {}

  bool operator==(const datagram_client_snapshot& o) const {
    return outcome == o.outcome && error == o.error && same(stats, o.stats) && pending.data == o.pending.data &&
           pending.size == o.pending.size && pending_sequence == o.pending_sequence &&
           pending_attempt == o.pending_attempt && poll_at == o.poll_at && interest == o.interest &&
           started == o.started && in_flight == o.in_flight;
  }
  bool operator!=(const datagram_client_snapshot& o) const { return !(*this == o); }
};

}  // namespace emsock_test
