// SPDX-License-Identifier: MIT
// port/common/udp_common.hpp - the datagram rules every backend's udp_socket applies alike, before
// the stack is asked (emsock/port/udp.hpp). Private to port/.
#pragma once

#include <cstddef>

#include "emsock/error.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/udp.hpp"

namespace emsock::port_detail {

/// The most payload one datagram to an address of `a`'s family carries.
constexpr std::size_t max_udp_payload(const ip_address& a) noexcept {
  return a.is_v4() ? max_udp_payload_v4 : max_udp_payload_v6;
}

/// What send_to refuses whatever the stack: a null buffer with bytes, a destination nobody can
/// receive at (port 0, the unspecified address), a datagram the protocol cannot carry. ok otherwise.
constexpr errc check_send(const void* data, std::size_t size, const endpoint& to) noexcept {
  if (data == nullptr && size > 0) return errc::invalid_argument;
  if (to.port == 0 || to.address.is_unspecified()) return errc::invalid_argument;
  if (size > max_udp_payload(to.address)) return errc::message_too_long;
  return errc::ok;
}

/// What connect refuses whatever the stack (a peer nobody can be).
constexpr errc check_peer(const endpoint& peer) noexcept {
  return peer.port == 0 || peer.address.is_unspecified() ? errc::invalid_argument : errc::ok;
}

/// The outcome of a receive that took a datagram of `datagram_size` bytes (0 when the backend cannot
/// tell) into a buffer of `buffer_size` bytes, `stored` of them written, from `from`.
/// `truncated`: the stack said the datagram was longer than the buffer.
inline udp_recv_result received(std::size_t stored, std::size_t datagram_size, bool truncated,
                                const endpoint& from) noexcept {
  udp_recv_result r(truncated ? errc::datagram_truncated : errc::ok);
  r.size = stored;
  r.datagram_size = truncated ? datagram_size : stored;
  r.from = from;
  return r;
}

}  // namespace emsock::port_detail
