// SPDX-License-Identifier: MIT
// What every backend's name functions share: resolve_ipv4() over the backend's resolve(), and the
// helpers in names_common.hpp.
#include "emsock/port/names.hpp"
#include "names_common.hpp"

#include <cstdint>

namespace emsock {

namespace port_detail {

bool in_invalid_tld(std::string_view host) noexcept {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view tld = "invalid";
  if (host.size() < tld.size()) return false;
  // The last tld.size() characters, sliced by hand: substr's range check would link the C++
  // library's throw path (cmake/EmsockSymbols.cmake refuses that in every emsock library).
  const std::string_view tail(host.data() + (host.size() - tld.size()), tld.size());
  for (std::size_t i = 0; i < tld.size(); ++i) {
    const char c = tail[i] >= 'A' && tail[i] <= 'Z' ? static_cast<char>(tail[i] - 'A' + 'a') : tail[i];
    if (c != tld[i]) return false;
  }
  return host.size() == tld.size() || host[host.size() - tld.size() - 1] == '.';
}

bool is_malformed_port_text(std::string_view service) noexcept {
  if (service.empty()) return false;
  const char first = service.front();
  if (first == '+' || first == '-' || first == ' ' || (first >= '\t' && first <= '\r')) return true;
  std::uint32_t value = 0;
  for (const char c : service) {
    if (c < '0' || c > '9') return false;  // a name (or a number with trailing text: not found later)
    value = value * 10u + static_cast<std::uint32_t>(c - '0');
    if (value > 65535u) return true;
  }
  return false;
}

bool parse_port(std::string_view text, std::uint16_t& port) noexcept {
  if (text.empty() || text.size() > 5) return false;
  std::uint32_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10u + static_cast<std::uint32_t>(c - '0');
  }
  if (v > 0xffffu) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace port_detail

result<ipv4_address> resolve_ipv4(std::string_view host) noexcept {
  resolve_hints hints;
  hints.family = resolve_family::inet;
  hints.type = socket_type::stream;  // one entry per address instead of one per socket type
  resolved first[1];
  const auto r = resolve(host, {}, hints, first);
  if (!r) return r.err();
  return first[0].where.address.v4();
}

}  // namespace emsock
