// SPDX-License-Identifier: MIT
// examples/common/options.hpp - command-line options for the example tools.
//
// Each tool lists its options in a table; parse_options() fills them, collects the operands, and
// reports the first problem as a message (the tool prints it and exits 2). --help (or -h) given
// anywhere before "--" wins over every problem. Numbers are checked for range and never wrap; an
// invalid value is a usage error, never a silent default.
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emsock/ip_address.hpp"

namespace emsock_examples {

/// Exit statuses shared by every example tool.
enum exit_status : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

/// One option: "--port" with a value, or a flag such as "--help". Exactly one target is set.
struct option {
  std::string_view name;
  std::string_view* value = nullptr;  ///< set for options that take a value
  bool* flag = nullptr;               ///< set for flags
};

/// Fills the options from argv[1..argc), "--name VALUE" or "--name=VALUE"; the rest are operands
/// ("--" ends the options). Returns an empty string, or what is wrong ("unknown option '--x'").
/// A flag named "--help" or "-h" given as an argument of its own before "--", anywhere (after an
/// unknown option, in place of a value), is set and nothing else is parsed: the result is empty.
std::string parse_options(int argc, char** argv, const std::vector<option>& options,
                          std::vector<std::string_view>& operands);

/// Decimal integer in [min, max] (any max up to 2^64 - 1; digits past it never wrap around); no
/// sign, no spaces. Empty message when ok (`out` set), else what is wrong (`out` untouched): a
/// character that is not a digit first, else "out of range".
std::string parse_number(std::string_view what, std::string_view text, std::uint64_t min, std::uint64_t max,
                         std::uint64_t& out);

/// Seconds as a decimal with at most three fractional digits ("2", "0.5"), in milliseconds.
std::string parse_seconds(std::string_view what, std::string_view text, std::uint64_t& milliseconds);

/// An IP address (IPv4 strict, IPv6 with optional zone) or, with `legacy_ipv4`, also the inet_aton
/// forms such as 127.1. The message names the reason and offset.
std::string parse_address(std::string_view what, std::string_view text, bool legacy_ipv4, emsock::ip_address& out);

/// Text of an endpoint ("127.0.0.1:1234", "[::1]:1234").
std::string endpoint_text(const emsock::endpoint& e);

/// Prints "<program>: <message>" and a hint to --help on standard error; returns exit_usage.
int usage_error(std::string_view program, const std::string& message);

/// Raises the soft open-file limit (RLIMIT_NOFILE) to the hard limit when it is below `needed`.
/// Returns the limit in force afterwards (UINT64_MAX: unlimited or unknown); on a failed raise,
/// `why` says why (strerror), else it is left empty. The caller decides what a low limit means.
std::uint64_t raise_file_limit(std::uint64_t needed, std::string& why);

/// Sets `flag` to 1 on SIGINT and SIGTERM (without SA_RESTART, so a blocking poll returns at once).
void stop_on_signals(volatile std::sig_atomic_t& flag);

}  // namespace emsock_examples
