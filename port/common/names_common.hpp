// SPDX-License-Identifier: MIT
// port/common/names_common.hpp - name helpers every backend's resolve() shares. Private to port/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "emsock/port/names.hpp"

namespace emsock::port_detail {

/// True when `text` and a terminating NUL fit `size` bytes and it holds no NUL.
inline bool fits_c_string(std::string_view text, std::size_t size) noexcept {
  return text.size() < size && text.find('\0') == std::string_view::npos;
}

/// Copies `text` NUL-terminated into buffer[0 .. N); false when it does not fit or holds a NUL.
template <std::size_t N>
bool to_c_string(std::string_view text, char (&buffer)[N]) noexcept {
  if (!fits_c_string(text, N)) return false;
  if (!text.empty()) std::memcpy(buffer, text.data(), text.size());  // data() may be null when empty
  buffer[text.size()] = '\0';
  return true;
}

/// True for "invalid", "x.invalid" and the same with a trailing dot, in any case (RFC 6761 6.4:
/// resolver APIs should answer these negatively at once, without a lookup).
bool in_invalid_tld(std::string_view host) noexcept;

/// True for a service text that a C library would read as a number it then wraps or cuts: a sign or
/// white space first ("+80", " 80", "-4294967216"), or all digits above 65535 ("4294967376", which
/// glibc's getaddrinfo answers as port 80). Such a text is service_not_found, never another port.
/// Names that merely start with a digit ("3com-tsmux") are left to the services database.
bool is_malformed_port_text(std::string_view service) noexcept;

/// A decimal port 0..65535, digits only (no sign, no space): the lwIP backends' services, since
/// lwIP has no services database. False for anything else; `port` is then unchanged.
bool parse_port(std::string_view text, std::uint16_t& port) noexcept;

/// Collects resolve()'s entries for backends that find addresses one by one: for each address of the
/// family the hints ask for, one entry per socket type they ask for (TCP stream, UDP datagram),
/// stored into out[0, capacity) and counted beyond it (resolve_count::truncated()).
class resolved_collector {
 public:
  resolved_collector(const resolve_hints& hints, std::uint16_t port, resolved* out, std::size_t capacity) noexcept
      : hints_(hints), port_(port), out_(out), capacity_(capacity) {}

  void add(const ip_address& address) noexcept {
    if (hints_.family != resolve_family::any && (hints_.family == resolve_family::inet) != address.is_v4()) return;
    if (hints_.type != socket_type::dgram && hints_.protocol != ip_protocol::udp) put(address, socket_type::stream);
    if (hints_.type != socket_type::stream && hints_.protocol != ip_protocol::tcp) put(address, socket_type::dgram);
  }
  const resolve_count& count() const noexcept { return count_; }

 private:
  void put(const ip_address& address, socket_type type) noexcept {
    ++count_.found;
    if (count_.stored == capacity_) return;  // counted, not stored
    resolved& r = out_[count_.stored++];
    r = resolved{};
    r.where = endpoint{address, port_};
    r.family = address.family();
    r.type = type;
    r.protocol = type == socket_type::stream ? ip_protocol::tcp : ip_protocol::udp;
  }

  const resolve_hints& hints_;
  std::uint16_t port_;
  resolved* out_;
  std::size_t capacity_;
  resolve_count count_;
};

}  // namespace emsock::port_detail
