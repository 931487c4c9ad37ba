// SPDX-License-Identifier: MIT
// emsock/ip_address.hpp - an IPv4 or IPv6 address (with optional zone), and endpoints (address + port).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "emsock/result.hpp"

namespace emsock {

enum class ip_family : std::uint8_t { v4 = 4, v6 = 6 };

/// Either family. The zone is only meaningful for IPv6 and is empty for IPv4.
class ip_address {
 public:
  static constexpr std::size_t max_text_len = scoped_ipv6_address::max_text_len;

  /// 0.0.0.0
  constexpr ip_address() noexcept = default;
  constexpr ip_address(const ipv4_address& a) noexcept : family_(ip_family::v4), v4_(a) {}  // NOLINT
  constexpr ip_address(const ipv6_address& a) noexcept : family_(ip_family::v6), v6_{a, {}} {}  // NOLINT
  constexpr ip_address(const scoped_ipv6_address& a) noexcept : family_(ip_family::v6), v6_(a) {}  // NOLINT

  constexpr ip_family family() const noexcept { return family_; }
  constexpr bool is_v4() const noexcept { return family_ == ip_family::v4; }
  constexpr bool is_v6() const noexcept { return family_ == ip_family::v6; }
  /// Precondition: is_v4().
  constexpr const ipv4_address& v4() const noexcept { return v4_; }
  /// Precondition: is_v6().
  constexpr const ipv6_address& v6() const noexcept { return v6_.address; }
  /// Precondition: is_v6().
  constexpr const scoped_ipv6_address& scoped_v6() const noexcept { return v6_; }
  constexpr std::string_view zone() const noexcept { return is_v6() ? v6_.zone.view() : std::string_view{}; }

  /// Text with a ':' is parsed as scoped IPv6, any other as strict IPv4; the errors are those of
  /// scoped_ipv6_address::parse or ipv4_address::parse.
  static result<ip_address> parse(std::string_view text) noexcept;
  /// Canonical text of either family. buffer_too_small as the family's to_chars.
  to_chars_result to_chars(char* first, char* last) const noexcept;

  constexpr bool is_unspecified() const noexcept { return is_v4() ? v4_.is_unspecified() : v6().is_unspecified(); }
  constexpr bool is_loopback() const noexcept { return is_v4() ? v4_.is_loopback() : v6().is_loopback(); }
  constexpr bool is_multicast() const noexcept { return is_v4() ? v4_.is_multicast() : v6().is_multicast(); }
  constexpr bool is_link_local() const noexcept { return is_v4() ? v4_.is_link_local() : v6().is_link_local(); }
  constexpr bool is_private() const noexcept { return is_v4() ? v4_.is_private() : v6().is_private(); }

  friend constexpr bool operator==(const ip_address& a, const ip_address& b) noexcept {
    return a.family_ == b.family_ && (a.is_v4() ? a.v4_ == b.v4_ : a.v6_ == b.v6_);
  }
  friend constexpr bool operator!=(const ip_address& a, const ip_address& b) noexcept { return !(a == b); }

 private:
  ip_family family_ = ip_family::v4;
  ipv4_address v4_{};
  scoped_ipv6_address v6_{};
};

/// An address and a port: "1.2.3.4:80", "[::1]:80", "[fe80::1%eth0]:80".
struct endpoint {
  /// '[' + scoped IPv6 + "]:" + 5 digits
  static constexpr std::size_t max_text_len = 1 + ip_address::max_text_len + 2 + 5;

  ip_address address;
  std::uint16_t port = 0;

  /// IPv4 as "a.b.c.d:port" (strict IPv4), IPv6 only in brackets "[v6%zone]:port". The port is
  /// decimal 0..65535 without sign or leading zeros.
  /// Errors: the address errors (offsets relative to the whole text), missing_bracket, missing_port
  /// (offset = where ':' was expected), port_out_of_range (offset of the port), leading_zero,
  /// unexpected_character, empty_input, embedded_nul.
  static result<endpoint> parse(std::string_view text) noexcept;
  /// "a.b.c.d:port" or "[v6%zone]:port". buffer_too_small, writing nothing, when it does not fit.
  to_chars_result to_chars(char* first, char* last) const noexcept;

  friend constexpr bool operator==(const endpoint& a, const endpoint& b) noexcept {
    return a.address == b.address && a.port == b.port;
  }
  friend constexpr bool operator!=(const endpoint& a, const endpoint& b) noexcept { return !(a == b); }
};

}  // namespace emsock
