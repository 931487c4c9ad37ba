// SPDX-License-Identifier: MIT
// Endpoint <-> lwIP sockaddr conversion. Ports are written byte by byte (network order) so that
// nothing depends on lwIP's or the C library's htons macros.
#include "sockaddr.hpp"

#include <cstring>

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

}  // namespace

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
      char name[zone_id::max_len + 1] = {};
      std::memcpy(name, zone.data(), zone.size());
      index = ::lwip_if_nametoindex(name);
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
