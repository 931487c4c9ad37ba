// SPDX-License-Identifier: MIT
// emsock/byte_order.hpp - constexpr byte-order helpers, correct on little- and big-endian hosts.
#pragma once

#include <cstdint>

namespace emsock {

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
inline constexpr bool host_is_big_endian = true;
#elif defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline constexpr bool host_is_big_endian = false;
#else
#error "emsock: cannot tell the host byte order (__BYTE_ORDER__ is not defined by this compiler)"
#endif

constexpr std::uint16_t byte_swap16(std::uint16_t v) noexcept {
  return static_cast<std::uint16_t>((v >> 8) | (v << 8));
}
constexpr std::uint32_t byte_swap32(std::uint32_t v) noexcept {
  return (v >> 24) | ((v >> 8) & 0x0000ff00u) | ((v << 8) & 0x00ff0000u) | (v << 24);
}

/// htons/htonl/ntohs/ntohl as constexpr functions: identity on big-endian hosts.
constexpr std::uint16_t host_to_network16(std::uint16_t v) noexcept {
  return host_is_big_endian ? v : byte_swap16(v);
}
constexpr std::uint32_t host_to_network32(std::uint32_t v) noexcept {
  return host_is_big_endian ? v : byte_swap32(v);
}
constexpr std::uint16_t network_to_host16(std::uint16_t v) noexcept { return host_to_network16(v); }
constexpr std::uint32_t network_to_host32(std::uint32_t v) noexcept { return host_to_network32(v); }

/// Read/write a big-endian (network order) value at p: independent of the host's byte order.
constexpr std::uint16_t load_be16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
constexpr void store_be16(std::uint8_t* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace emsock
