// SPDX-License-Identifier: MIT
// emsock-ip/address_commands.hpp - the subcommands that need only the core: check, to-int, from-int.
#pragma once

#include <cstdint>
#include <string_view>

#include "cli.hpp"
#include "emsock/result.hpp"

namespace emsock_ip {

extern const command check_command;
extern const command to_int_command;
extern const command from_int_command;

/// The N of from-int: decimal 0..4294967295 without sign or leading zero, or 0x/0X and hex digits.
/// Errors: empty_input, embedded_nul, unexpected_character (its offset), leading_zero (0),
/// empty_hex_number (0), part_out_of_range (0) when the value exceeds 2^32-1.
emsock::result<std::uint32_t> parse_uint32(std::string_view text) noexcept;

}  // namespace emsock_ip
