// SPDX-License-Identifier: MIT
// Fuzz target: IPv4 text. The input is the text. Checks (tests/core/c_library_oracle.hpp):
// ipv4_address::parse against inet_pton(AF_INET), parse_legacy against inet_aton (white space and NUL
// rules), every code path (vector ones, scalar) against the scalar parser, to_chars against
// inet_ntop, parse(to_chars(a)) == a, to_chars into every buffer size.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "c_library_oracle.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emsock;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::require("ipv4_fuzz", text, proof::check_ipv4_strict(text));
  fuzz::require("ipv4_fuzz", text, proof::check_ipv4_legacy(text));
  fuzz::require("ipv4_fuzz", text, proof::check_ipv4_paths(text));  // every code path vs the scalar one
  for (const auto& r : {ipv4_address::parse(text), ipv4_address::parse_legacy(text)})
    if (r.ok()) fuzz::require("ipv4_fuzz", text, proof::check_to_chars_sizes(*r));
  return 0;
}
