// SPDX-License-Identifier: MIT
// port/common/names_common.hpp - name helpers every backend's resolve() shares. Private to port/.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

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

}  // namespace emsock::port_detail
