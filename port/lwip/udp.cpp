// SPDX-License-Identifier: MIT
// lwIP UDP sockets: udp_socket over lwip_socket(SOCK_DGRAM), lwip_sendto and lwip_recvmsg.
// Where lwIP answers differently from POSIX for the same situation, the difference is absorbed here
// (one comment per case), so that emsock/port/udp.hpp means the same on both backends.
//
// Truncation: lwip_recvfrom returns only the stored length, but lwIP 2.1's lwip_recvmsg returns the
// datagram's real length and sets MSG_TRUNC, and discards the rest of the datagram as POSIX does:
// so this backend reports datagram_truncated with the real length, like Linux.
#include <cstring>

#include "../common/udp_common.hpp"
#include "emsock/port/udp.hpp"
#include "sockaddr.hpp"

namespace emsock {

#if LWIP_UDP

namespace {

using lwip_detail::last_error;

status set_flag(int fd, int level, int option, int value) noexcept {
  if (::lwip_setsockopt(fd, level, option, &value, sizeof value) != 0) return last_error();
  return {};
}

/// True when the socket's own family is IPv6 (lwIP's getsockname answers from the netconn).
bool is_v6_socket(int fd) noexcept {
  lwip_detail::native_address a;
  a.length = sizeof a.storage;
  return ::lwip_getsockname(fd, a.get(), &a.length) == 0 && a.storage.ss_family == AF_INET6;
}

/// lwIP's udp_sendto and udp_connect answer an address of the other family with ERR_VAL (EINVAL);
/// POSIX says EAFNOSUPPORT: family_not_supported. (A dual-stack IPv6 socket, v6_only false, takes
/// IPv4 destinations: lwIP makes it IPADDR_TYPE_ANY.)
errc family_checked(int fd, errc code, const endpoint& to) noexcept {
  if (code == errc::invalid_argument && to.address.is_v6() != is_v6_socket(fd)) return errc::family_not_supported;
  return code;
}

/// True when SO_BROADCAST is set on `fd`.
bool broadcast_allowed(int fd) noexcept {
  int on = 0;
  socklen_t length = sizeof on;
  return ::lwip_getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, &length) == 0 && on != 0;
}

/// lwIP built without IP_SOF_BROADCAST sends broadcasts whatever SO_BROADCAST says; Linux refuses
/// them with EACCES. The limited broadcast address is refused here the same way (a directed
/// broadcast would need the netif's mask: see udp_options::broadcast).
errc broadcast_refused(int fd, const endpoint& to) noexcept {
#if !IP_SOF_BROADCAST
  if (to.address.is_v4() && to.address.v4().is_broadcast() && !broadcast_allowed(fd)) return errc::permission_denied;
#else
  (void)fd;
  (void)to;
#endif
  return errc::ok;
}

#if LWIP_IGMP || LWIP_MULTICAST_TX_OPTIONS
/// The IPv4 address lwIP's ip_mreq / IP_MULTICAST_IF take for `on`: an index becomes its netif's
/// address; an address must be a netif's. 0.0.0.0 for the stack's choice.
/// Errors: address_not_available (no such netif, or it has no IPv4 address), out_of_memory.
result<in_addr> ipv4_interface(const multicast_interface& on) noexcept {
  in_addr out{};
  if (on.chosen_by_stack()) return out;
#if LWIP_IPV4
  lwip_detail::netif_query query;
  if (on.index != 0) {
    if (on.index > 0xffu) return errc::address_not_available;  // lwIP's netif indexes are 1..255
    query.by = lwip_detail::netif_query::key::index;
    query.index = on.index;
  } else {
    query.by = lwip_detail::netif_query::key::ipv4;
    query.v4 = on.address.bytes();
  }
  if (const errc e = query.run(); e != errc::ok) return e;
  if (query.v4 == std::array<std::uint8_t, 4>{}) return errc::address_not_available;  // no IPv4 there
  std::memcpy(&out, query.v4.data(), 4);
#endif
  return out;
}
#endif

#if LWIP_IPV6 && LWIP_IPV6_MLD
/// The netif index of an IPv6 membership: `on`'s or the group's zone's, else the default netif's
/// (lwIP's IPV6_JOIN_GROUP needs one). Errors: address_not_available, invalid_argument, out_of_memory.
result<std::uint32_t> ipv6_interface(const ip_address& group, const multicast_interface& on) noexcept {
  const result<std::uint32_t> given = port_detail::group_interface_index(group, on);
  if (!given) return given.err();
  lwip_detail::netif_query query;
  query.by = given.value() != 0 ? lwip_detail::netif_query::key::index : lwip_detail::netif_query::key::default_netif;
  query.index = given.value();
  if (given.value() > 0xffu) return errc::address_not_available;  // lwIP asserts on an index above 255
  if (const errc e = query.run(); e != errc::ok) return e;
  return query.index;
}
#endif

}  // namespace

result<udp_socket> udp_socket::open(const endpoint& local, const udp_options& options) noexcept {
  if (const errc refused = port_detail::check_bind(local); refused != errc::ok) return refused;
  const auto address = lwip_detail::to_native(local);
  if (!address) return address.err();
#if !SO_REUSE
  if (options.reuse_address) return errc::operation_not_supported;  // lwIP built without SO_REUSE
#endif
  // lwIP's bind takes any address; POSIX says EADDRNOTAVAIL for one that is not local, but takes a
  // group and the limited broadcast address (a subnet's broadcast is_local_address knows).
  const bool group_or_broadcast =
      local.address.is_multicast() || (local.address.is_v4() && local.address.v4().is_broadcast());
  if (!group_or_broadcast) {
    const result<bool> local_address = lwip_detail::is_local_address(local.address);
    if (!local_address) return local_address.err();
    if (!local_address.value()) return errc::address_not_available;
  }
  const int fd = ::lwip_socket(local.address.is_v4() ? AF_INET : AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
  if (fd < 0) return last_error();  // ENOBUFS (no netconn or UDP PCB): out_of_memory; ENFILE: table full
  udp_socket s;
  s.handle_ = fd;  // owned from here: every early return closes it
#if SO_REUSE
  if (options.reuse_address) {
    const status r = set_flag(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    if (!r) return r.err();
  }
#endif
  if (options.broadcast && local.address.is_v4()) {
    const status r = set_flag(fd, SOL_SOCKET, SO_BROADCAST, 1);
    if (!r) return r.err();
  }
#if LWIP_IPV6
  if (local.address.is_v6()) {
    const status r = set_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY, options.v6_only ? 1 : 0);
    if (!r) return r.err();
  }
#endif
  if (::lwip_bind(fd, address->get(), address->length) != 0) return last_error();
  return s;
}

status udp_socket::connect(const endpoint& peer) noexcept {
  if (!valid()) return errc::invalid_argument;
  if (const errc refused = port_detail::check_peer(peer); refused != errc::ok) return refused;
  // Linux refuses a connect to a broadcast address without SO_BROADCAST (EACCES): the same here.
  if (const errc refused = broadcast_refused(handle_, peer); refused != errc::ok) return refused;
  const auto address = lwip_detail::to_native(peer);
  if (!address) return address.err();
  if (::lwip_connect(handle_, address->get(), address->length) != 0) return family_checked(handle_, last_error(), peer);
  connected_ = true;
  return {};
}

status udp_socket::send_to(const void* data, std::size_t size, const endpoint& to) noexcept {
  if (!valid()) return errc::invalid_argument;
  if (const errc refused = port_detail::check_send(data, size, to); refused != errc::ok) return refused;
  if (const errc refused = broadcast_refused(handle_, to); refused != errc::ok) return refused;
  const auto address = lwip_detail::to_native(to);
  if (!address) return address.err();
  static const unsigned char nothing = 0;  // lwIP copies from data even for 0 bytes: never null
  for (;;) {
    const ssize_t n = ::lwip_sendto(handle_, size == 0 ? &nothing : data, size, 0, address->get(), address->length);
    if (n >= 0) return static_cast<std::size_t>(n) == size ? status{} : status{errc::system_error};
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    if (code == errc::would_block) return again_code();
    return family_checked(handle_, code, to);
  }
}

status udp_socket::send(const void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return errc::invalid_argument;
  // lwIP's udp_send without a peer sends to 0.0.0.0 port 0 (the pcb's remote address) and says ok:
  // never let it.
  if (!connected_) return errc::not_connected;
  // lwIP checks only 65535 and fails later with ENOBUFS for what IPv4 cannot carry: the protocol's
  // limit is checked here (the socket's family is asked only for such a size).
  if (size > max_udp_payload_v6 || (size > max_udp_payload_v4 && !is_v6_socket(handle_)))
    return errc::message_too_long;
  static const unsigned char nothing = 0;
  for (;;) {
    const ssize_t n = ::lwip_send(handle_, size == 0 ? &nothing : data, size, 0);
    if (n >= 0) return static_cast<std::size_t>(n) == size ? status{} : status{errc::system_error};
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    return code == errc::would_block ? again_code() : code;
  }
}

udp_recv_result udp_socket::recv_from(void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return udp_recv_result(errc::invalid_argument);
  // lwip_recvmsg refuses an empty buffer (EINVAL): a datagram is then taken into one spare byte,
  // of which nothing is kept.
  unsigned char spare = 0;
  lwip_detail::native_address a;
  iovec buffer{};
  buffer.iov_base = size == 0 ? &spare : data;
  buffer.iov_len = size == 0 ? 1 : size;
  msghdr m{};
  m.msg_iov = &buffer;
  m.msg_iovlen = 1;
  for (;;) {
    m.msg_name = &a.storage;
    m.msg_namelen = sizeof a.storage;
    m.msg_flags = 0;
    const ssize_t n = ::lwip_recvmsg(handle_, &m, 0);  // the datagram's length, MSG_TRUNC when longer
    if (n >= 0) {
      const auto from = lwip_detail::from_native(a.get(), m.msg_namelen);
      if (!from) return udp_recv_result(from.code());
      const auto length = static_cast<std::size_t>(n);
      const std::size_t stored = length < size ? length : size;
      return port_detail::received(stored, length, length > size, from.value());
    }
    const errc code = last_error();
    if (code == errc::interrupted) continue;
    return udp_recv_result(code == errc::would_block ? again_code() : code);
  }
}

/// IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP, IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP. The interface is
/// checked first: lwIP keeps a failed join's entry in its membership table until the socket closes.
status udp_socket::change_membership(bool join, const ip_address& group, const multicast_interface& on) noexcept {
  if (!valid()) return errc::invalid_argument;
  const int fd = handle_;
  const bool v6 = is_v6_socket(fd);
  if (const errc refused = port_detail::check_group(group, on, v6); refused != errc::ok) return refused;
  if (!v6) {
#if LWIP_IGMP
    const result<in_addr> interface = ipv4_interface(on);
    if (!interface) return interface.err();
    ip_mreq m{};
    std::memcpy(&m.imr_multiaddr, group.v4().bytes().data(), 4);
    m.imr_interface = interface.value();
    if (::lwip_setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m) != 0)
      return last_error();  // EADDRNOTAVAIL: not a member there (leave), or no IGMP netif there
    return {};
#else
    (void)join;
    return errc::operation_not_supported;  // lwIP built without LWIP_IGMP
#endif
  }
#if LWIP_IPV6 && LWIP_IPV6_MLD
  const result<std::uint32_t> index = ipv6_interface(group, on);
  if (!index) return index.err();
  ipv6_mreq m{};
  std::memcpy(&m.ipv6mr_multiaddr, group.v6().bytes().data(), 16);
  m.ipv6mr_interface = index.value();
  if (::lwip_setsockopt(fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m, sizeof m) != 0)
    return last_error();
  return {};
#else
  (void)join;
  return errc::operation_not_supported;  // lwIP built without LWIP_IPV6_MLD
#endif
}

status udp_socket::set_multicast_interface(const multicast_interface& on) noexcept {
  if (!valid()) return errc::invalid_argument;
  const bool v6 = is_v6_socket(handle_);
  if (const errc refused = port_detail::check_interface(on, v6); refused != errc::ok) return refused;
#if LWIP_IPV4 && LWIP_MULTICAST_TX_OPTIONS
  if (!v6) {
    const result<in_addr> interface = ipv4_interface(on);
    if (!interface) return interface.err();
    const in_addr value = interface.value();
    if (::lwip_setsockopt(handle_, IPPROTO_IP, IP_MULTICAST_IF, &value, sizeof value) != 0) return last_error();
    return {};
  }
#endif
  return errc::operation_not_supported;  // no LWIP_MULTICAST_TX_OPTIONS; lwIP 2.1 has none for IPv6
}

status udp_socket::set_multicast_hops(unsigned hops) noexcept {
  if (!valid()) return errc::invalid_argument;
  const result<int> value = port_detail::multicast_hops(hops);
  if (!value) return value.err();
#if LWIP_IPV4 && LWIP_MULTICAST_TX_OPTIONS
  if (!is_v6_socket(handle_)) {
    const u8_t ttl = static_cast<u8_t>(value.value());  // lwIP reads one byte
    if (::lwip_setsockopt(handle_, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) != 0) return last_error();
    return {};
  }
#endif
  return errc::operation_not_supported;  // no LWIP_MULTICAST_TX_OPTIONS; lwIP 2.1 has none for IPv6
}

#else  // !LWIP_UDP: lwIP built without UDP; every call says so.

result<udp_socket> udp_socket::open(const endpoint&, const udp_options&) noexcept {
  return errc::operation_not_supported;
}
status udp_socket::connect(const endpoint&) noexcept { return errc::operation_not_supported; }
status udp_socket::send_to(const void*, std::size_t, const endpoint&) noexcept { return errc::operation_not_supported; }
status udp_socket::send(const void*, std::size_t) noexcept { return errc::operation_not_supported; }
udp_recv_result udp_socket::recv_from(void*, std::size_t) noexcept {
  return udp_recv_result(errc::operation_not_supported);
}
status udp_socket::change_membership(bool, const ip_address&, const multicast_interface&) noexcept {
  return errc::operation_not_supported;
}
status udp_socket::set_multicast_interface(const multicast_interface&) noexcept {
  return errc::operation_not_supported;
}
status udp_socket::set_multicast_hops(unsigned) noexcept { return errc::operation_not_supported; }

#endif  // LWIP_UDP

}  // namespace emsock
