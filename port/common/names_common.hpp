// port/common/names_common.hpp - name helpers every backend's resolve() shares. Private to port/.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace emsock::port_detail {

/// Copies `text` NUL-terminated into buffer[0 .. N); false when it does not fit or holds a NUL.
template <std::size_t N>
bool to_c_string(std::string_view text, char (&buffer)[N]) noexcept {
  if (text.size() >= N || text.find('\0') != std::string_view::npos) return false;
  if (!text.empty()) std::memcpy(buffer, text.data(), text.size());  // data() may be null when empty
  buffer[text.size()] = '\0';
  return true;
}

/// True for "invalid", "x.invalid" and the same with a trailing dot, in any case (RFC 6761 6.4:
/// resolver APIs should answer these negatively at once, without a lookup).
bool in_invalid_tld(std::string_view host) noexcept;

}  // namespace emsock::port_detail
