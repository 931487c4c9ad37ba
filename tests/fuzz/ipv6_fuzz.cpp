// SPDX-License-Identifier: MIT
// Fuzz target: IPv6 text. The input is the text. Checks (tests/core/c_library_oracle.hpp):
// ipv6_address::parse against inet_pton(AF_INET6), every code path (vector ones, scalar) against the
// scalar parser, scoped parse agrees without '%', to_chars against inet_ntop (RFC 5952 hex for
// ::/96, where glibc prints "::a.b.c.d"), parse(to_chars(a)) == a, to_chars into every buffer size. The first 16 bytes are also taken as an address in binary, so
// formatting sees every bit pattern, not only parsed ones.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "c_library_oracle.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emsock;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::require("ipv6_fuzz", text, proof::check_ipv6(text));
  fuzz::require("ipv6_fuzz", text, proof::check_ipv6_paths(text));  // every code path vs the scalar one
  const result<ipv6_address> r = ipv6_address::parse(text);
  if (r.ok()) fuzz::require("ipv6_fuzz", text, proof::check_to_chars_sizes(*r));

  if (size >= 16) {
    ipv6_address::bytes_type b;
    std::memcpy(b.data(), data, 16);
    const ipv6_address a(b);
    fuzz::require("ipv6_fuzz (binary)", text.substr(0, 16), proof::check_format(a));
    fuzz::require("ipv6_fuzz (binary)", text.substr(0, 16), proof::check_to_chars_sizes(a));
  }
  return 0;
}
