// SPDX-License-Identifier: MIT
// poll_set_base::add and ::events for the backends whose poll records are their own (native_pollfd
// with the bits a wait saw in `seen`: the fake, lwip-raw; EMSOCK_NATIVE_POLL_SEEN). The backend's
// wait() fills `seen` with the bits of poll_seen.hpp. Compiles to nothing for the others.
#include "emsock/port/poll_set.hpp"

#if defined(EMSOCK_NATIVE_POLL_SEEN)

#include "poll_seen.hpp"

namespace emsock {

result<std::size_t> poll_set_base::add(native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (size_ == capacity_) return errc::buffer_too_small;
  records_[size_] = native_pollfd{handle, want_read, want_write, 0};
  return size_++;
}

poll_events poll_set_base::events(std::size_t index) const noexcept {
  const std::uint8_t seen = records_[index].seen;
  poll_events e;
  e.readable = (seen & port_detail::readable_bit) != 0;
  e.writable = (seen & port_detail::writable_bit) != 0;
  e.hangup = (seen & port_detail::hangup_bit) != 0;
  e.error = (seen & port_detail::error_bit) != 0;
  return e;
}

}  // namespace emsock

#endif  // EMSOCK_NATIVE_POLL_SEEN
