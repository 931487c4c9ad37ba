// SPDX-License-Identifier: MIT
// port/lwip/sockaddr.hpp - private to the lwIP backend: endpoint <-> lwIP sockaddr, the last error.
#pragma once

#include <array>
#include <cstdint>

#include "emsock/ip_address.hpp"
#include "emsock/port/native.hpp"
#include "emsock/result.hpp"
#include "lwip_api.hpp"

namespace emsock::lwip_detail {

/// A sockaddr_in or sockaddr_in6 (lwIP's types) in storage large enough for either, and its length.
struct native_address {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
};

/// The sockaddr for `e`. A zone is an interface index when it is all digits, else a netif name
/// (interface_index: "lo0"). Errors: address_not_available (unknown interface), family_not_supported
/// (the family is not built into lwIP).
result<native_address> to_native(const endpoint& e) noexcept;

/// The endpoint of an AF_INET / AF_INET6 sockaddr (a non-zero scope id becomes a decimal zone).
/// Errors: family_not_supported, invalid_argument (length too short).
result<endpoint> from_native(const sockaddr* address, socklen_t length) noexcept;

/// One netif looked up in lwIP's core: by name, index, IPv4 address, or the default netif.
struct netif_query {
  enum class key : std::uint8_t { name, index, ipv4, default_netif };
  key by = key::index;
  char name[2] = {};            ///< key::name: the two letters
  std::uint8_t number = 0;      ///< key::name: the netif's number
  std::uint32_t index = 0;      ///< key::index; after run(): the netif's index
  std::array<std::uint8_t, 4> v4{};  ///< key::ipv4; after run(): the netif's IPv4 address
  const netif* found = nullptr;  ///< after run(): the netif (not to be used outside lwIP's core)

  bool matches(const netif& n) const noexcept;
  /// Looks the netif up in lwIP's core. Errors: address_not_available (none matches),
  /// out_of_memory (no semaphore to wait for the tcpip thread with).
  errc run() noexcept;
};

/// The lwIP errno of the last failed lwip_* call of this thread, as errc.
errc last_error() noexcept;

/// True when `a` may be bound: the unspecified address, IPv4 loopback (127/8), or an address of one
/// of lwIP's netifs (lwIP's bind takes any address; POSIX says EADDRNOTAVAIL for one that is not
/// local). Errors: out_of_memory (no semaphore to wait for the tcpip thread with). (socket.cpp)
result<bool> is_local_address(const ip_address& a) noexcept;

}  // namespace emsock::lwip_detail
