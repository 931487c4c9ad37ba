// SPDX-License-Identifier: MIT
// emsock/ipv4_address.hpp - IPv4 addresses: parse, format, integer and byte conversion.
//
// Allocation-free, exception-free, no I/O. Text parsing takes a std::string_view (no NUL needed;
// an embedded NUL is an error, never a silent stop) and reports the first offending offset.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/byte_order.hpp"
#include "emsock/result.hpp"

namespace emsock {

class ipv4_address {
 public:
  /// Longest dotted quad: "255.255.255.255". A buffer of max_text_len (+1 for a NUL) always fits.
  static constexpr std::size_t max_text_len = 15;

  using bytes_type = std::array<std::uint8_t, 4>;

  /// 0.0.0.0
  constexpr ipv4_address() noexcept = default;
  /// a.b.c.d
  constexpr ipv4_address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept
      : bytes_{a, b, c, d} {}
  /// From the four bytes in network order (the layout of in_addr).
  constexpr explicit ipv4_address(const bytes_type& network_bytes) noexcept : bytes_(network_bytes) {}

  /// From the address as a 32-bit value in host order: from_uint(0x7f000001) is 127.0.0.1 on any host
  /// (what Python's struct.unpack("!L", inet_aton(...)) gives).
  static constexpr ipv4_address from_uint(std::uint32_t value) noexcept {
    ipv4_address a;
    store_be32(a.bytes_.data(), value);
    return a;
  }
  /// The address as a 32-bit value in host order (127.0.0.1 -> 0x7f000001 = 2130706433).
  constexpr std::uint32_t to_uint() const noexcept { return load_be32(bytes_.data()); }
  /// The value whose in-memory representation is the network-order bytes (in_addr::s_addr).
  constexpr std::uint32_t to_network_uint() const noexcept { return host_to_network32(to_uint()); }
  static constexpr ipv4_address from_network_uint(std::uint32_t s_addr) noexcept {
    return from_uint(network_to_host32(s_addr));
  }
  /// The four bytes in network order.
  constexpr const bytes_type& bytes() const noexcept { return bytes_; }

  /// Strict parse, exactly what inet_pton(AF_INET) accepts: four decimal parts 0..255 separated by
  /// '.', no leading zeros ("0" alone is fine), nothing before or after.
  /// Errors: empty_input, embedded_nul, unexpected_character, leading_zero, part_out_of_range
  /// (offset of the part), empty_part, too_few_parts (offset = text length), too_many_parts
  /// (offset of the extra '.'), zone_not_permitted.
  static result<ipv4_address> parse(std::string_view text) noexcept;

  /// Legacy parse: the forms inet_aton accepts. 1 to 4 parts, each decimal, octal (leading 0) or hex
  /// (0x/0X); every part but the last is one byte, the last fills the remaining bytes
  /// ("127.1" = 127.0.0.1, "0x7f.1" = 127.0.0.1, "2130706433" = 127.0.0.1, "10.0x10203" = 10.1.2.3).
  /// Unlike glibc's inet_aton, which stops at the first white space and accepts "1.2.3.4 junk", this
  /// rejects any trailing text, white space included (unexpected_character at its offset).
  /// Errors: as parse(), plus bad_octal_digit, empty_hex_number; part_out_of_range when a part other
  /// than the last exceeds 255 or the last exceeds the bytes left (or any part exceeds 2^32-1).
  static result<ipv4_address> parse_legacy(std::string_view text) noexcept;

  /// Writes the dotted quad (at most max_text_len characters, no NUL) into [first, last).
  /// Fails with buffer_too_small, writing nothing, when the text does not fit.
  to_chars_result to_chars(char* first, char* last) const noexcept;

  constexpr bool is_unspecified() const noexcept { return to_uint() == 0; }                    // 0.0.0.0
  constexpr bool is_loopback() const noexcept { return bytes_[0] == 127; }                     // 127/8
  constexpr bool is_multicast() const noexcept { return (bytes_[0] & 0xf0) == 0xe0; }          // 224/4
  constexpr bool is_link_local() const noexcept { return bytes_[0] == 169 && bytes_[1] == 254; }  // 169.254/16
  constexpr bool is_broadcast() const noexcept { return to_uint() == 0xffffffffu; }            // 255.255.255.255
  /// RFC 1918: 10/8, 172.16/12, 192.168/16.
  constexpr bool is_private() const noexcept {
    return bytes_[0] == 10 || (bytes_[0] == 172 && (bytes_[1] & 0xf0) == 16) ||
           (bytes_[0] == 192 && bytes_[1] == 168);
  }

  friend constexpr bool operator==(const ipv4_address& a, const ipv4_address& b) noexcept {
    return a.to_uint() == b.to_uint();
  }
  friend constexpr bool operator!=(const ipv4_address& a, const ipv4_address& b) noexcept { return !(a == b); }
  friend constexpr bool operator<(const ipv4_address& a, const ipv4_address& b) noexcept {
    return a.to_uint() < b.to_uint();
  }

  static constexpr ipv4_address any() noexcept { return {}; }
  static constexpr ipv4_address loopback() noexcept { return {127, 0, 0, 1}; }
  static constexpr ipv4_address broadcast() noexcept { return {255, 255, 255, 255}; }

 private:
  bytes_type bytes_{};
};

}  // namespace emsock
