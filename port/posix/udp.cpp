// SPDX-License-Identifier: MIT
// POSIX (Linux) UDP sockets: udp_socket. Linux extensions used: SOCK_CLOEXEC, MSG_NOSIGNAL, and
// MSG_TRUNC as a recvmsg flag (the return value is then the datagram's real length). Elsewhere the
// truncation is still seen (msg_flags & MSG_TRUNC), without the length.
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

#include "../common/udp_common.hpp"
#include "emsock/port/udp.hpp"
#include "sockaddr.hpp"

namespace emsock {
namespace {

errc last_error() noexcept { return errc_from_errno(errno); }

status set_flag(int fd, int level, int option, int value) noexcept {
  if (::setsockopt(fd, level, option, &value, sizeof value) != 0) return last_error();
  return {};
}

#ifdef __linux__
constexpr int real_length_flag = MSG_TRUNC;  // recvmsg returns the datagram's length, not the stored one
#else
constexpr int real_length_flag = 0;
#endif

/// True when socket `fd` is IPv6 (its bound address is).
bool is_v6_socket(int fd) noexcept {
  sockaddr_storage a{};
  socklen_t length = sizeof a;
  return ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) == 0 && a.ss_family == AF_INET6;
}

/// Linux answers an IPv4 destination on an IPv6 socket opened v6_only with ENETUNREACH, and an IPv6
/// one on an IPv4 socket with EAFNOSUPPORT: both are "another family than the socket's".
errc family_checked(int fd, errc code, const endpoint& to) noexcept {
  if (code == errc::network_unreachable && to.address.is_v4() && is_v6_socket(fd)) return errc::family_not_supported;
  return code;
}

/// The errno of a membership or multicast-interface call as errc: Linux says ENODEV for an index
/// or an address that is no interface's (and when it has no route to choose one by): that is
/// address_not_available, as for an unknown zone.
errc multicast_error() noexcept {
  return errno == ENODEV ? errc::address_not_available : last_error();
}

}  // namespace

result<std::uint32_t> interface_index(std::string_view name) noexcept {
  char text[IF_NAMESIZE] = {};
  if (name.empty() || name.size() >= sizeof text || std::memchr(name.data(), 0, name.size()) != nullptr)
    return errc::invalid_argument;
  std::memcpy(text, name.data(), name.size());
  const unsigned index = ::if_nametoindex(text);
  if (index == 0) return errc::address_not_available;
  return static_cast<std::uint32_t>(index);
}

result<udp_socket> udp_socket::open(const endpoint& local, const udp_options& options) noexcept {
  if (const errc refused = port_detail::check_bind(local); refused != errc::ok) return refused;
  const auto address = posix::to_native(local);
  if (!address) return address.err();
  const int family = local.address.is_v4() ? AF_INET : AF_INET6;
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) return last_error();
  udp_socket s;
  s.handle_ = fd;  // owned from here: every early return closes it
  if (options.reuse_address) {
    const status r = set_flag(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    if (!r) return r.err();
  }
  if (options.broadcast && local.address.is_v4()) {
    const status r = set_flag(fd, SOL_SOCKET, SO_BROADCAST, 1);
    if (!r) return r.err();
  }
  if (local.address.is_v6()) {
    const status r = set_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY, options.v6_only ? 1 : 0);
    if (!r) return r.err();
  }
  if (::bind(fd, address->get(), address->length) != 0) return last_error();
  return s;
}

status udp_socket::connect(const endpoint& peer) noexcept {
  if (!valid()) return errc::invalid_argument;
  if (const errc refused = port_detail::check_peer(peer); refused != errc::ok) return refused;
  const auto address = posix::to_native(peer);
  if (!address) return address.err();
  // A datagram connect only records the peer: it does not wait, and EINTR cannot leave it half done.
  if (::connect(handle_, address->get(), address->length) != 0) return family_checked(handle_, last_error(), peer);
  connected_ = true;
  return {};
}

status udp_socket::send_to(const void* data, std::size_t size, const endpoint& to) noexcept {
  if (!valid()) return errc::invalid_argument;
  if (const errc refused = port_detail::check_send(data, size, to); refused != errc::ok) return refused;
  const auto address = posix::to_native(to);
  if (!address) return address.err();
  for (;;) {
    const ssize_t n = ::sendto(handle_, data, size, MSG_NOSIGNAL, address->get(), address->length);
    if (n >= 0) return static_cast<std::size_t>(n) == size ? status{} : status{errc::system_error};
    if (errno == EINTR) continue;  // nothing was sent: safe to restart
    const errc code = last_error();
    return code == errc::would_block ? again_code() : family_checked(handle_, code, to);
  }
}

status udp_socket::send(const void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return errc::invalid_argument;
  // The peer's family is not known here: the larger limit, the kernel applies the exact one.
  if (size > max_udp_payload_v6) return errc::message_too_long;
  for (;;) {
    const ssize_t n = ::send(handle_, data, size, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<std::size_t>(n) == size ? status{} : status{errc::system_error};
    if (errno == EINTR) continue;
    const errc code = last_error();  // no peer: EDESTADDRREQ, not_connected
    return code == errc::would_block ? again_code() : code;
  }
}

udp_recv_result udp_socket::recv_from(void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return udp_recv_result(errc::invalid_argument);
  posix::native_address a;
  iovec buffer{data, size};
  msghdr m{};
  m.msg_iov = &buffer;
  m.msg_iovlen = 1;
  for (;;) {
    m.msg_name = &a.storage;
    m.msg_namelen = sizeof a.storage;
    m.msg_flags = 0;
    const ssize_t n = ::recvmsg(handle_, &m, real_length_flag);
    if (n >= 0) {
      const auto from = posix::from_native(a.get(), m.msg_namelen);
      if (!from) return udp_recv_result(from.code());
      const auto length = static_cast<std::size_t>(n);
      const bool truncated = (m.msg_flags & MSG_TRUNC) != 0;
      const std::size_t stored = length < size ? length : size;
      return port_detail::received(stored, real_length_flag != 0 ? length : 0, truncated, from.value());
    }
    if (errno == EINTR) continue;  // nothing was taken from the queue: safe to restart
    const errc code = last_error();
    return udp_recv_result(code == errc::would_block ? again_code() : code);
  }
}

/// IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP, IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP.
status udp_socket::change_membership(bool join, const ip_address& group, const multicast_interface& on) noexcept {
  if (!valid()) return errc::invalid_argument;
  const int fd = handle_;
  const bool v6 = is_v6_socket(fd);
  if (const errc refused = port_detail::check_group(group, on, v6); refused != errc::ok) return refused;
  int outcome = 0;
  if (!v6 && on.index != 0) {
    ip_mreqn m{};  // Linux's form: the interface by index
    std::memcpy(&m.imr_multiaddr, group.v4().bytes().data(), 4);
    m.imr_ifindex = static_cast<int>(on.index);
    outcome = ::setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m);
  } else if (!v6) {
    ip_mreq m{};  // POSIX's form: the interface by address (0.0.0.0: the stack's choice)
    std::memcpy(&m.imr_multiaddr, group.v4().bytes().data(), 4);
    std::memcpy(&m.imr_interface, on.address.bytes().data(), 4);
    outcome = ::setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m);
  } else {
    const result<std::uint32_t> index = port_detail::group_interface_index(group, on);
    if (!index) return index.err();
    ipv6_mreq m{};
    std::memcpy(&m.ipv6mr_multiaddr, group.v6().bytes().data(), 16);
    m.ipv6mr_interface = index.value();
    outcome = ::setsockopt(fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m, sizeof m);
  }
  if (outcome != 0) return multicast_error();
  return {};
}

status udp_socket::set_multicast_interface(const multicast_interface& on) noexcept {
  if (!valid()) return errc::invalid_argument;
  const bool v6 = is_v6_socket(handle_);
  if (const errc refused = port_detail::check_interface(on, v6); refused != errc::ok) return refused;
  int outcome = 0;
  if (!v6 && on.index != 0) {
    ip_mreqn m{};  // Linux's form: the interface by index
    m.imr_ifindex = static_cast<int>(on.index);
    outcome = ::setsockopt(handle_, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof m);
  } else if (!v6) {
    in_addr a{};  // POSIX's form: the interface's address (0.0.0.0: the stack's choice)
    std::memcpy(&a, on.address.bytes().data(), 4);
    outcome = ::setsockopt(handle_, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof a);
  } else {
    const int index = static_cast<int>(on.index);
    outcome = ::setsockopt(handle_, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index);
  }
  if (outcome != 0) return multicast_error();
  return {};
}

status udp_socket::set_multicast_hops(unsigned hops) noexcept {
  if (!valid()) return errc::invalid_argument;
  const result<int> value = port_detail::multicast_hops(hops);
  if (!value) return value.err();
  if (is_v6_socket(handle_)) return set_flag(handle_, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, value.value());
  return set_flag(handle_, IPPROTO_IP, IP_MULTICAST_TTL, value.value());
}

}  // namespace emsock
