// SPDX-License-Identifier: MIT
// Endpoint <-> sockaddr conversion for the POSIX backend.
#include "sockaddr.hpp"

#include <net/if.h>
#include <netinet/in.h>

#include <cstring>

namespace emsock::posix {

result<native_address> to_native(const endpoint& e) noexcept {
  native_address out;
  if (e.address.is_v4()) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(e.port);
    std::memcpy(&sin.sin_addr, e.address.v4().bytes().data(), 4);
    std::memcpy(&out.storage, &sin, sizeof sin);
    out.length = sizeof sin;
    return out;
  }
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(e.port);
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
      index = index * 10 + static_cast<std::uint64_t>(c - '0');  // zone_id::max_len (15) digits fit in 64 bits
    }
    if (!digits) {
      char name[IF_NAMESIZE + 1] = {};
      if (zone.size() >= sizeof name) return errc::address_not_available;
      std::memcpy(name, zone.data(), zone.size());
      index = if_nametoindex(name);
    }
    if (index == 0 || index > 0xffffffffu) return errc::address_not_available;
    sin6.sin6_scope_id = static_cast<std::uint32_t>(index);
  }
  std::memcpy(&out.storage, &sin6, sizeof sin6);
  out.length = sizeof sin6;
  return out;
}

result<endpoint> from_native(const sockaddr* address, socklen_t length) noexcept {
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) return errc::invalid_argument;
  endpoint e;
  if (address->sa_family == AF_INET) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in))) return errc::invalid_argument;
    sockaddr_in sin;
    std::memcpy(&sin, address, sizeof sin);
    ipv4_address::bytes_type b;
    std::memcpy(b.data(), &sin.sin_addr, 4);
    e.address = ipv4_address(b);
    e.port = ntohs(sin.sin_port);
    return e;
  }
  if (address->sa_family == AF_INET6) {
    if (length < static_cast<socklen_t>(sizeof(sockaddr_in6))) return errc::invalid_argument;
    sockaddr_in6 sin6;
    std::memcpy(&sin6, address, sizeof sin6);
    ipv6_address::bytes_type b;
    std::memcpy(b.data(), &sin6.sin6_addr, 16);
    scoped_ipv6_address a{ipv6_address(b), {}};
    if (sin6.sin6_scope_id != 0) {
      char digits[10];  // 4294967295
      std::size_t n = 0;
      char reversed[10];
      for (std::uint32_t v = sin6.sin6_scope_id; v != 0; v /= 10) reversed[n++] = static_cast<char>('0' + v % 10);
      for (std::size_t i = 0; i < n; ++i) digits[i] = reversed[n - 1 - i];
      const auto zone = zone_id::parse(std::string_view(digits, n));
      if (zone) a.zone = zone.value();
    }
    e.address = a;
    e.port = ntohs(sin6.sin6_port);
    return e;
  }
  return errc::family_not_supported;
}

}  // namespace emsock::posix
