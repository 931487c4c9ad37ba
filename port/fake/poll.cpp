// SPDX-License-Identifier: MIT
// poll and poll_set over the fake's table. Readiness is computed from the table at the moment of the
// call; nothing becomes ready by waiting, so a wait with nothing ready advances the fake clock by
// its timeout and returns 0 (a wait without a limit is a stall: see emsock/port/fake.hpp).
#include "emsock/port/poll.hpp"

#include "emsock/port/poll_set.hpp"
#include "../common/poll_seen.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using fake::detail::kind;
using fake::detail::socket_record;

using port_detail::error_bit;
using port_detail::hangup_bit;
using port_detail::readable_bit;
using port_detail::writable_bit;

/// The events of one record now. Mirrors the POSIX backend: the peer's FIN shows as hangup only to a
/// reader; a reset (pending or reported) and a connection closed both ways always do.
std::uint8_t events_now(const native_pollfd& r) noexcept {
  if (r.handle < 0) return 0;
  const socket_record* s = fake::detail::find(r.handle);
  if (s == nullptr) return error_bit;  // not open (POLLNVAL)
  std::uint8_t e = 0;
  if (s->what == kind::listener) {
    if (r.want_read && s->queued > 0) e |= readable_bit;
    return e;
  }
  if (s->what == kind::datagram) {  // sending never waits; a datagram or an ICMP error can be read
    const bool pending = s->pending_error != errc::ok;
    if (r.want_read && (pending || fake::detail::count_datagrams(*s).receivable > 0)) e |= readable_bit;
    if (r.want_write) e |= writable_bit;
    if (pending) e |= error_bit;
    return e;
  }
  const bool reset = s->pending_error != errc::ok || s->dead;
  const bool gone = s->peer_index < 0;
  bool room = false;
  if (!gone) {
    const socket_record& p = fake::detail::the_world().sockets[s->peer_index];
    room = p.rx_size < fake::buffer_size && s->faults.max_send > 0;
  }
  const bool can_read = s->rx_size > 0 || s->fin_received || s->read_shut || reset || gone;
  const bool can_write = room || s->write_shut || reset || gone;  // gone: send reports it at once
  if (r.want_read && can_read) e |= readable_bit;
  if (r.want_write && can_write) e |= writable_bit;
  if ((r.want_read && s->fin_received) || reset || (s->fin_received && s->write_shut)) e |= hangup_bit;
  if (s->pending_error != errc::ok) e |= error_bit;
  return e;
}

std::size_t count_ready(native_pollfd* records, std::size_t size) noexcept {
  return port_detail::count_ready(records, size, events_now);
}

/// The first fake time a delayed datagram becomes receivable on a socket watched for reading.
std::uint64_t next_arrival(const native_pollfd* records, std::size_t size) noexcept {
  std::uint64_t first = UINT64_MAX;
  for (std::size_t i = 0; i < size; ++i) {
    if (!records[i].want_read) continue;
    const socket_record* s = fake::detail::find(records[i].handle);
    if (s == nullptr) continue;
    const std::uint64_t due = fake::detail::next_arrival_ms(*s);
    if (due < first) first = due;
  }
  return first;
}

}  // namespace

result<std::size_t> poll_set_base::wait(milliseconds timeout) noexcept {
  const result<int> limit = detail::int_timeout(timeout);
  if (!limit) return limit.err();
  const int timeout_ms = limit.value();
  std::size_t ready = count_ready(records_, size_);
  if (ready == 0 && timeout_ms != 0) {
    // A delayed datagram due within the wait arrives during it: the wait ends then.
    const std::uint64_t due = next_arrival(records_, size_);
    const std::uint64_t now = fake::now_ms();
    if (due != UINT64_MAX && (timeout_ms < 0 || due - now <= static_cast<std::uint64_t>(timeout_ms))) {
      fake::advance(milliseconds{static_cast<milliseconds::rep>(due - now)});
      return count_ready(records_, size_);
    }
  }
  if (ready == 0) {
    if (timeout_ms > 0) fake::advance(milliseconds{timeout_ms});
    if (timeout_ms < 0) ++fake::detail::the_world().stalls;  // would wait forever
  }
  return ready;
}


}  // namespace emsock
