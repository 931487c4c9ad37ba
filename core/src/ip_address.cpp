// SPDX-License-Identifier: MIT
// ip_address (either family) and endpoint (address and port) text forms.
#include "emsock/ip_address.hpp"

#include <cstring>

#include "text_scan.hpp"

namespace emsock {
namespace {

/// Shifts an error's offset by `by` (the position of a sub-text inside the whole text).
constexpr error shifted(error e, std::size_t by) noexcept { return {e.code, e.offset + by}; }

/// Decimal port 0..65535 over text[0, n): no sign, no leading zero. Offsets relative to `base`.
error parse_port(std::string_view text, std::size_t base, std::uint16_t& port) noexcept {
  if (text.empty()) return {errc::missing_port, base};
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned d = detail::decimal_digit(text[i]);
    if (d > 9) return detail::bad_character(text[i], base + i);
    if (i == 1 && v == 0) return {errc::leading_zero, base};
    v = v * 10 + d;
    if (v > 0xffff) return {errc::port_out_of_range, base};
  }
  port = static_cast<std::uint16_t>(v);
  return {};
}

char* write_port(char* p, unsigned v) noexcept {
  char digits[5];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n != 0) *p++ = digits[--n];
  return p;
}

}  // namespace

result<ip_address> ip_address::parse(std::string_view text) noexcept {
  if (text.find(':') != std::string_view::npos) {
    auto v6 = scoped_ipv6_address::parse(text);
    if (!v6) return v6.err();
    return ip_address(*v6);
  }
  auto v4 = ipv4_address::parse(text);
  if (!v4) return v4.err();
  return ip_address(*v4);
}

to_chars_result ip_address::to_chars(char* first, char* last) const noexcept {
  return is_v4() ? v4_.to_chars(first, last) : v6_.to_chars(first, last);
}

result<endpoint> endpoint::parse(std::string_view text) noexcept {
  if (text.empty()) return error{errc::empty_input, 0};
  endpoint ep;
  std::size_t colon;  // where ":port" starts
  if (text[0] == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return error{errc::missing_bracket, text.size()};
    auto v6 = scoped_ipv6_address::parse(detail::sub(text, 1, close));
    if (!v6) return shifted(v6.err(), 1);
    ep.address = *v6;
    colon = close + 1;
  } else {
    colon = text.find(':');
    if (colon == std::string_view::npos) return error{errc::missing_port, text.size()};
    // More than one ':' is an IPv6 address, which needs brackets to carry a port.
    if (text.find(':', colon + 1) != std::string_view::npos) return error{errc::missing_bracket, 0};
    auto v4 = ipv4_address::parse(detail::sub(text, 0, colon));
    if (!v4) return v4.err();
    ep.address = *v4;
  }
  if (colon == text.size()) return error{errc::missing_port, colon};
  if (text[colon] != ':') return detail::bad_character(text[colon], colon);
  const error e = parse_port(detail::sub(text, colon + 1, text.size()), colon + 1, ep.port);
  if (e.code != errc::ok) return e;
  return ep;
}

to_chars_result endpoint::to_chars(char* first, char* last) const noexcept {
  char buf[max_text_len];
  char* p = buf;
  if (address.is_v4()) {
    p = address.v4().to_chars(p, buf + sizeof buf).ptr;
  } else {
    *p++ = '[';
    p = address.scoped_v6().to_chars(p, buf + sizeof buf).ptr;
    *p++ = ']';
  }
  *p++ = ':';
  p = write_port(p, port);
  return detail::copy_out(buf, p, first, last);
}

}  // namespace emsock
