// SPDX-License-Identifier: MIT
// poll_set over the raw-API backend's table: readiness is read from the table; a wait drives the
// stack through the hook until a socket is ready or the time is up (0: drives once, never sleeps).
#include "emsock/port/poll_set.hpp"

#include "../common/poll_seen.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using lwip_raw::detail::kind;
using lwip_raw::detail::socket_record;

using port_detail::error_bit;
using port_detail::hangup_bit;
using port_detail::readable_bit;
using port_detail::writable_bit;

/// The events of one record now, as the POSIX backend reports them: the peer's FIN is hangup only
/// to a reader; a reset and a connection closed both ways always are.
std::uint8_t events_now(const native_pollfd& r) noexcept {
  if (r.handle < 0) return 0;
  const socket_record* s = lwip_raw::detail::find(r.handle);
  if (s == nullptr) return error_bit;  // not open (POLLNVAL)
  std::uint8_t e = 0;
  if (s->what == kind::listener) {
    if (r.want_read && s->queued > 0) e |= readable_bit;
    return e;
  }
  if (s->what == kind::datagram) {
    if (r.want_read && s->rx_count > 0) e |= readable_bit;
    if (r.want_write) e |= writable_bit;
    return e;
  }
  const bool pending = s->pending_error != errc::ok;
  const bool gone = s->tcp == nullptr;
  bool room = false;
  if (!gone && s->connected) room = tcp_sndbuf(s->tcp) > 0 && tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN;
  const bool can_read = s->rx_size > 0 || s->fin_received || s->read_shut || pending || gone;
  const bool can_write = room || s->write_shut || pending || gone;  // send reports the error at once
  if (r.want_read && can_read) e |= readable_bit;
  if (r.want_write && can_write) e |= writable_bit;
  if ((r.want_read && s->fin_received) || pending || gone || (s->fin_received && s->write_shut)) e |= hangup_bit;
  if (pending) e |= error_bit;
  return e;
}

std::size_t count_ready(native_pollfd* records, std::size_t size) noexcept {
  return port_detail::count_ready(records, size, events_now);
}

}  // namespace

result<std::size_t> poll_set_base::wait(milliseconds timeout) noexcept {
  if (lwip_raw::detail::inside_stack()) return errc::called_from_callback;
  const result<int> limit = detail::int_timeout(timeout);
  if (!limit) return limit.err();
  std::size_t ready = 0;
  lwip_raw::detail::wait_until([&] { return (ready = count_ready(records_, size_)) > 0; }, limit.value());
  return ready;
}


}  // namespace emsock
