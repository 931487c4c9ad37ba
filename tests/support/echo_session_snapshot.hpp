// SPDX-License-Identifier: MIT
// tests/support/echo_session_snapshot.hpp - everything a driver can observe of an echo session, to
// prove that a refused call changed nothing. Shared by the unit tests and the fuzz target.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/echo_session.hpp"

namespace emsock_test {

struct snapshot {
  emsock::echo_state state;
  emsock::errc error;
  std::size_t held;
  std::uint64_t received;
  std::uint64_t sent;
  std::uint64_t last_activity;
  std::uint64_t poll_at;
  emsock::echo_interest interest;
  emsock::byte_span space;
  emsock::const_byte_span pending;

  explicit snapshot(const emsock::echo_session_base& s)
      : state(s.state()),
        error(s.error()),
        held(s.held()),
        received(s.total_received()),
        sent(s.total_sent()),
        last_activity(s.last_activity_ms()),
        poll_at(s.poll_at()),
        interest(s.interest()),
        space(s.receive_space()),
        pending(s.pending_send()) {}

  bool operator==(const snapshot& o) const {
    return state == o.state && error == o.error && held == o.held && received == o.received && sent == o.sent &&
           last_activity == o.last_activity && poll_at == o.poll_at && interest == o.interest &&
           space.data == o.space.data && space.size == o.space.size && pending.data == o.pending.data &&
           pending.size == o.pending.size;
  }
  bool operator!=(const snapshot& o) const { return !(*this == o); }
};

}  // namespace emsock_test
