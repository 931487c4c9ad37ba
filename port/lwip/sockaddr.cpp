// SPDX-License-Identifier: MIT
// Endpoint <-> lwIP sockaddr conversion. Ports are written byte by byte (network order) so that
// nothing depends on lwIP's or the C library's htons macros.
#include "sockaddr.hpp"

#include <cstring>

#include "emsock/port/udp.hpp"

namespace emsock::lwip_detail {
namespace {

void put_port(void* where, std::uint16_t port) noexcept {
  const unsigned char bytes[2] = {static_cast<unsigned char>(port >> 8), static_cast<unsigned char>(port & 0xffu)};
  std::memcpy(where, bytes, 2);
}

std::uint16_t get_port(const void* where) noexcept {
  unsigned char bytes[2];
  std::memcpy(bytes, where, 2);
  return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

/// netif_query::run()'s search, in lwIP's core (tcpip_callback_wait: under the core lock, or on
/// the tcpip thread without LWIP_TCPIP_CORE_LOCKING), where the netif list may be read.
void in_core(void* context) noexcept {
  auto* query = static_cast<netif_query*>(context);
  query->found = nullptr;
  netif* n = nullptr;
  NETIF_FOREACH(n) {
    if (query->matches(*n)) {
      query->found = n;
      query->index = netif_get_index(n);
#if LWIP_IPV4
      std::memcpy(query->v4.data(), netif_ip4_addr(n), 4);
#endif
      return;
    }
  }
}

}  // namespace

bool netif_query::matches(const netif& n) const noexcept {
  switch (by) {
    case key::name:
      return n.name[0] == name[0] && n.name[1] == name[1] && n.num == number;
    case key::index:
      return netif_get_index(&n) == index;
    case key::ipv4:
#if LWIP_IPV4
      return std::memcmp(netif_ip4_addr(&n), v4.data(), 4) == 0;
#else
      return false;
#endif
    case key::default_netif:
      return &n == netif_default;
  }
  return false;
}

errc netif_query::run() noexcept {
  if (::tcpip_callback_wait(in_core, this) != ERR_OK) return errc::out_of_memory;
  return found != nullptr ? errc::ok : errc::address_not_available;
}

errc last_error() noexcept { return errc_from_errno(errno); }

result<native_address> to_native(const endpoint& e) noexcept {
  native_address out;
  if (e.address.is_v4()) {
#if LWIP_IPV4
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    put_port(&sin.sin_port, e.port);
    std::memcpy(&sin.sin_addr, e.address.v4().bytes().data(), 4);
    std::memcpy(&out.storage, &sin, sizeof sin);
    out.length = sizeof sin;
    return out;
#else
    return errc::family_not_supported;
#endif
  }
#if LWIP_IPV6
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  put_port(&sin6.sin6_port, e.port);
  std::memcpy(&sin6.sin6_addr, e.address.v6().bytes().data(), 16);
  const std::string_view zone = e.address.zone();
  if (!zone.empty()) {
    bool digits = true;
    std::uint64_t index = 0;
    for (char c : zone) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      index = index * 10 + static_cast<std::uint64_t>(c - '0');  // at most 15 digits: fits
    }
    if (!digits) {
      // A netif's name: looked up in lwIP's core (lwip_if_nametoindex answers 0 for every name
      // unless lwIP is built with LWIP_NETIF_API).
      const result<std::uint32_t> named = interface_index(zone);
      if (!named) return errc::address_not_available;
      index = named.value();
    }
    if (index == 0 || index > 0xffu) return errc::address_not_available;  // lwIP netif indexes are 1..255
    sin6.sin6_scope_id = static_cast<std::uint32_t>(index);
  }
  std::memcpy(&out.storage, &sin6, sizeof sin6);
  out.length = sizeof sin6;
  return out;
#else
  return errc::family_not_supported;
#endif
}

result<endpoint> from_native(const sockaddr* address, socklen_t length) noexcept {
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t) + 1)) return errc::invalid_argument;
  endpoint e;
#if LWIP_IPV4
  if (address->sa_family == AF_INET) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in))) return errc::invalid_argument;
    sockaddr_in sin;
    std::memcpy(&sin, address, sizeof sin);
    ipv4_address::bytes_type b;
    std::memcpy(b.data(), &sin.sin_addr, 4);
    e.address = ipv4_address(b);
    e.port = get_port(&sin.sin_port);
    return e;
  }
#endif
#if LWIP_IPV6
  if (address->sa_family == AF_INET6) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in6))) return errc::invalid_argument;
    sockaddr_in6 sin6;
    std::memcpy(&sin6, address, sizeof sin6);
    ipv6_address::bytes_type b;
    std::memcpy(b.data(), &sin6.sin6_addr, 16);
    scoped_ipv6_address a{ipv6_address(b), {}};
    if (sin6.sin6_scope_id != 0) {
      char reversed[10];
      char digits[10];
      std::size_t n = 0;
      for (std::uint32_t v = sin6.sin6_scope_id; v != 0; v /= 10) reversed[n++] = static_cast<char>('0' + v % 10);
      for (std::size_t i = 0; i < n; ++i) digits[i] = reversed[n - 1 - i];
      const auto zone = zone_id::parse(std::string_view(digits, n));
      if (zone) a.zone = zone.value();
    }
    e.address = a;
    e.port = get_port(&sin6.sin6_port);
    return e;
  }
#endif
  return errc::family_not_supported;
}

}  // namespace emsock::lwip_detail

namespace emsock {

result<std::uint32_t> interface_index(std::string_view name) noexcept {
  // lwIP's names: two characters and the netif's number, 0 to 255 ("lo0", "en12").
  if (name.empty() || name.size() >= NETIF_NAMESIZE) return errc::invalid_argument;
  if (name.size() < 3) return errc::address_not_available;
  unsigned number = 0;
  for (std::size_t i = 2; i < name.size(); ++i) {  // (no substr: its throw path is not for firmware)
    if (name[i] < '0' || name[i] > '9') return errc::address_not_available;
    number = number * 10 + static_cast<unsigned>(name[i] - '0');
  }
  if (number > 255 || (name[2] == '0' && name.size() > 3)) return errc::address_not_available;
  lwip_detail::netif_query query;
  query.by = lwip_detail::netif_query::key::name;
  query.name[0] = name[0];
  query.name[1] = name[1];
  query.number = static_cast<std::uint8_t>(number);
  if (const errc e = query.run(); e != errc::ok) return e;
  return static_cast<std::uint32_t>(query.index);
}

}  // namespace emsock
