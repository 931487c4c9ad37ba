// SPDX-License-Identifier: MIT
// port/common/udp_common.hpp - the datagram rules every backend's udp_socket applies alike, before
// the stack is asked (emsock/port/udp.hpp). Private to port/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

/// What open() refuses whatever the stack: an IPv6 address of link-local scope (fe80::/10, and the
/// interface- and link-local groups ff01::/16, ff02::/16) without the zone that says on which link
/// (Linux: EINVAL). ok otherwise.
constexpr errc check_bind(const endpoint& local) noexcept {
  if (!local.address.is_v6() || !local.address.zone().empty()) return errc::ok;
  const ipv6_address& a = local.address.v6();
  const auto b = a.bytes();
  const bool group_needs_zone = b[0] == 0xff && ((b[1] & 0x0f) == 1 || (b[1] & 0x0f) == 2);
  return a.is_link_local() || group_needs_zone ? errc::invalid_argument : errc::ok;
}

/// What every backend refuses before asking its stack for a multicast sending option: an interface
/// named both by index and by address, or by an IPv4 address on an IPv6 socket. ok otherwise.
constexpr errc check_interface(const multicast_interface& on, bool v6_socket) noexcept {
  if (on.index != 0 && !on.address.is_unspecified()) return errc::invalid_argument;
  if (v6_socket && !on.address.is_unspecified()) return errc::invalid_argument;
  return errc::ok;
}

/// What join_group / leave_group refuse whatever the stack (emsock/port/udp.hpp): not a group,
/// another family than the socket's, an interface given twice or by address for IPv6. ok otherwise.
constexpr errc check_group(const ip_address& group, const multicast_interface& on, bool v6_socket) noexcept {
  if (!group.is_multicast()) return errc::invalid_argument;
  if (group.is_v6() != v6_socket) return errc::family_not_supported;
  return check_interface(on, v6_socket);
}

/// The interface index a zone stands for: its digits, or the interface of that name
/// (interface_index, the backend's). Errors: address_not_available (index 0 or beyond 32 bits, no
/// such interface).
inline result<std::uint32_t> zone_index(std::string_view zone) noexcept {
  std::uint64_t index = 0;
  for (const char c : zone) {
    if (c < '0' || c > '9') return interface_index(zone);
    index = index * 10 + static_cast<std::uint64_t>(c - '0');  // zone_id::max_len (15) digits fit in 64 bits
  }
  if (index == 0 || index > 0xffffffffu) return errc::address_not_available;
  return static_cast<std::uint32_t>(index);
}

/// The interface index of an IPv6 membership: `on`'s, or the group's zone's; 0 when neither names
/// one. Errors: invalid_argument (both name one, and not the same), those of zone_index.
inline result<std::uint32_t> group_interface_index(const ip_address& group, const multicast_interface& on) noexcept {
  if (group.zone().empty()) return on.index;
  const result<std::uint32_t> zone = zone_index(group.zone());
  if (!zone) return on.index != 0 ? errc::invalid_argument : zone.code();
  if (on.index != 0 && on.index != zone.value()) return errc::invalid_argument;
  return zone.value();
}

/// The hop limit as the stacks take it. Errors: invalid_argument (above 255).
constexpr result<int> multicast_hops(unsigned hops) noexcept {
  if (hops > 255) return errc::invalid_argument;
  return static_cast<int>(hops);
}

}  // namespace emsock::port_detail
