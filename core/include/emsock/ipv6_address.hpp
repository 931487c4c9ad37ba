// SPDX-License-Identifier: MIT
// emsock/ipv6_address.hpp - IPv6 addresses and zone ids: parse, format, byte conversion.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/byte_order.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/result.hpp"

namespace emsock {

class ipv6_address {
 public:
  /// Longest text to_chars() writes: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" (39) or
  /// "::ffff:255.255.255.255" (22); 45 is INET6_ADDRSTRLEN - 1, kept for drop-in buffers.
  static constexpr std::size_t max_text_len = 45;

  using bytes_type = std::array<std::uint8_t, 16>;

  /// :: (all zero)
  constexpr ipv6_address() noexcept = default;
  /// From the 16 bytes in network order (the layout of in6_addr).
  constexpr explicit ipv6_address(const bytes_type& network_bytes) noexcept : bytes_(network_bytes) {}
  /// From eight 16-bit groups in host order: {0x2001, 0xdb8, 0, 0, 0, 0, 0, 1} is 2001:db8::1.
  static constexpr ipv6_address from_groups(const std::array<std::uint16_t, 8>& groups) noexcept {
    ipv6_address a;
    for (std::size_t i = 0; i < 8; ++i) store_be16(&a.bytes_[2 * i], groups[i]);
    return a;
  }

  constexpr const bytes_type& bytes() const noexcept { return bytes_; }
  /// Group i (0..7) in host order. Precondition: i < 8.
  constexpr std::uint16_t group(std::size_t i) const noexcept { return load_be16(&bytes_[2 * i]); }

  /// Parse exactly what inet_pton(AF_INET6) accepts: up to eight groups of 1-4 hex digits (either
  /// case), at most one "::" standing for one or more zero groups, optionally ending in a dotted
  /// IPv4 address (strict form) that fills the last two groups.
  /// Errors: empty_input, embedded_nul, unexpected_character, group_too_long (offset of the fifth
  /// digit), too_many_groups, too_few_groups (offset = text length), more_than_one_double_colon
  /// (offset of the second "::"), lone_colon, ipv4_tail_misplaced, zone_not_permitted (a '%': use
  /// scoped_ipv6_address::parse), and the IPv4 errors for the tail, offsets relative to the whole text.
  static result<ipv6_address> parse(std::string_view text) noexcept;

  /// Writes the RFC 5952 canonical text into [first, last): lowercase, no leading zeros, the longest
  /// run of two or more zero groups replaced by "::" (the first such run on a tie), and the
  /// IPv4-mapped range ::ffff:0:0/96 as "::ffff:a.b.c.d". Differs from glibc's inet_ntop only for
  /// ::/96 with a non-zero seventh group, which glibc prints in the deprecated IPv4-compatible form
  /// "::a.b.c.d"; RFC 5952 section 5 keeps mixed notation for mapped addresses, so emsock prints
  /// "::102:304". Fails with buffer_too_small, writing nothing, when the text does not fit.
  to_chars_result to_chars(char* first, char* last) const noexcept;

  constexpr bool is_unspecified() const noexcept { return all_zero_before(16); }                 // ::
  constexpr bool is_loopback() const noexcept { return all_zero_before(15) && bytes_[15] == 1; } // ::1
  constexpr bool is_multicast() const noexcept { return bytes_[0] == 0xff; }                    // ff00::/8
  constexpr bool is_link_local() const noexcept {                                              // fe80::/10
    return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
  }
  constexpr bool is_private() const noexcept { return (bytes_[0] & 0xfe) == 0xfc; }  // fc00::/7, ULA
  constexpr bool is_v4_mapped() const noexcept {                                     // ::ffff:0:0/96
    return all_zero_before(10) && bytes_[10] == 0xff && bytes_[11] == 0xff;
  }

  /// The IPv4-mapped form ::ffff:a.b.c.d of `v4`.
  static constexpr ipv6_address v4_mapped(const ipv4_address& v4) noexcept {
    ipv6_address a;
    a.bytes_[10] = 0xff;
    a.bytes_[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) a.bytes_[12 + i] = v4.bytes()[i];
    return a;
  }
  /// The last four bytes as IPv4 (meaningful when is_v4_mapped()).
  constexpr ipv4_address to_v4() const noexcept {
    return ipv4_address(bytes_[12], bytes_[13], bytes_[14], bytes_[15]);
  }

  friend constexpr bool operator==(const ipv6_address& a, const ipv6_address& b) noexcept {
    for (std::size_t i = 0; i < 16; ++i)
      if (a.bytes_[i] != b.bytes_[i]) return false;
    return true;
  }
  friend constexpr bool operator!=(const ipv6_address& a, const ipv6_address& b) noexcept { return !(a == b); }

  static constexpr ipv6_address any() noexcept { return {}; }
  static constexpr ipv6_address loopback() noexcept {
    ipv6_address a;
    a.bytes_[15] = 1;
    return a;
  }

 private:
  constexpr bool all_zero_before(std::size_t n) const noexcept {
    for (std::size_t i = 0; i < n; ++i)
      if (bytes_[i] != 0) return false;
    return true;
  }
  bytes_type bytes_{};
};

/// A zone id (scope) such as "eth0" or "2", as in "fe80::1%eth0". Bounded: at most max_len
/// characters from [A-Za-z0-9._-] (an interface name fits IFNAMSIZ - 1 = 15; a numeric index too).
class zone_id {
 public:
  static constexpr std::size_t max_len = 15;

  constexpr zone_id() noexcept = default;

  /// Errors: zone_empty, zone_too_long (offset max_len), unexpected_character, embedded_nul; offsets
  /// are relative to `text`.
  static result<zone_id> parse(std::string_view text) noexcept;

  constexpr std::string_view view() const noexcept { return {chars_.data(), len_}; }
  constexpr bool empty() const noexcept { return len_ == 0; }
  constexpr std::size_t size() const noexcept { return len_; }

  friend constexpr bool operator==(const zone_id& a, const zone_id& b) noexcept { return a.view() == b.view(); }
  friend constexpr bool operator!=(const zone_id& a, const zone_id& b) noexcept { return !(a == b); }

 private:
  std::array<char, max_len> chars_{};
  std::uint8_t len_ = 0;
};

/// An IPv6 address with an optional zone id.
struct scoped_ipv6_address {
  /// ipv6_address::max_text_len + '%' + zone_id::max_len
  static constexpr std::size_t max_text_len = ipv6_address::max_text_len + 1 + zone_id::max_len;

  ipv6_address address;
  zone_id zone;

  /// "fe80::1%eth0", "fe80::1%2" or an address without zone. Errors: those of ipv6_address::parse
  /// for the part before '%', those of zone_id::parse for the part after it (offsets relative to the
  /// whole text).
  static result<scoped_ipv6_address> parse(std::string_view text) noexcept;
  /// Canonical address, then "%zone" when there is a zone. buffer_too_small as ipv6_address.
  to_chars_result to_chars(char* first, char* last) const noexcept;

  friend constexpr bool operator==(const scoped_ipv6_address& a, const scoped_ipv6_address& b) noexcept {
    return a.address == b.address && a.zone == b.zone;
  }
  friend constexpr bool operator!=(const scoped_ipv6_address& a, const scoped_ipv6_address& b) noexcept {
    return !(a == b);
  }
};

}  // namespace emsock
