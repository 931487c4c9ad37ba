// SPDX-License-Identifier: MIT
// port/posix/sockaddr.hpp - private to the POSIX backend: endpoint <-> sockaddr, the monotonic clock.
#pragma once

#include <sys/socket.h>

#include <cstdint>

#include "emsock/ip_address.hpp"
#include "emsock/result.hpp"

namespace emsock::posix {

/// A sockaddr_in or sockaddr_in6 in storage large enough for either, and its length.
struct native_address {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
};

/// The sockaddr for `e`. A zone is taken as an interface index when it is all digits, else as an
/// interface name (if_nametoindex). Errors: address_not_available (unknown interface or index out of
/// range).
result<native_address> to_native(const endpoint& e) noexcept;

/// The endpoint of an AF_INET / AF_INET6 sockaddr. A non-zero IPv6 scope id becomes a decimal zone
/// ("%2"): names are not looked up, so this is cheap enough for accept. Errors: family_not_supported
/// (another family), invalid_argument (length too short).
result<endpoint> from_native(const sockaddr* address, socklen_t length) noexcept;

}  // namespace emsock::posix
