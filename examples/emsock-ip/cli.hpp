// SPDX-License-Identifier: MIT
// emsock-ip/cli.hpp - what every emsock-ip subcommand shares: exit statuses, usage errors, the
// scanned arguments, result lines on standard output, and one row of the subcommand table.
//
// A subcommand is a `command` value (name, synopsis, help text, accepted options, run function);
// main.cpp lists them in one table, scans the arguments generically (--help, --, unknown options)
// and calls `run` only with options the command declared.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emsock/error.hpp"

namespace emsock_ip {

/// Exit statuses, fixed by the command-line contract (scripts test them).
enum exit_status : int {
  exit_ok = 0,       ///< every input was valid / the command did its job
  exit_invalid = 1,  ///< at least one input was invalid
  exit_trouble = 2,  ///< usage error (unknown option, missing operand, ...) or an I/O error
};

/// The command line cannot be run as given. main() prints "emsock-ip: <message>" and a hint to
/// --help on standard error and exits with exit_trouble.
struct usage_error {
  std::string message;
};

/// Reading standard input or writing standard output failed. main() reports it, exit_trouble.
struct io_error {
  std::string message;
};

/// A subcommand's arguments after the generic scan, in command-line order.
struct arguments {
  std::vector<std::string_view> options;   ///< each one of the command's declared options
  std::vector<std::string_view> operands;  ///< everything else (after "--", everything)
  /// Options that take a value, as (name, value) in command-line order: "--family inet" and
  /// "--family=inet" both give ("--family", "inet").
  std::vector<std::pair<std::string_view, std::string_view>> values;

  /// True when `option` was given at least once.
  bool has(std::string_view option) const noexcept;
  /// The value of the last `option` ("--family") given, or null when it was not given.
  const std::string_view* value(std::string_view option) const noexcept;
};

/// One row of the subcommand table.
struct command {
  std::string_view name;      ///< "check"
  std::string_view synopsis;  ///< usage after the program name: "check [--legacy] [--scoped] [ADDR...]"
  std::string_view summary;   ///< one line for `emsock-ip --help`
  std::string_view help;      ///< the text of `emsock-ip NAME --help` after its "Usage:" line
  /// Long options it accepts besides --help / -h. A trailing '=' ("--family=") declares an option
  /// that takes a value, given as "--family VALUE" or "--family=VALUE" (see arguments::values).
  std::vector<std::string_view> options;
  /// Runs the command; returns an exit_status. Throws usage_error or io_error.
  int (*run)(const arguments& args);
};

/// Throws usage_error unless `args` has exactly `count` operands, naming `what` ("ADDR").
void expect_operands(const command& cmd, const arguments& args, std::size_t count, std::string_view what);

/// Result lines on standard output. main() makes stdout fully buffered with a large buffer, or
/// line buffered when it is a terminal, so writing a line costs no system call in a pipe.
/// Writes "ok <text>\n".
void print_ok(std::string_view text);
/// Writes "error <describe(e.code)> at <e.offset>\n" (to standard error when `to_stderr`).
void print_error(const emsock::error& e, bool to_stderr = false);
/// Writes `text` and a newline on standard output.
void print_line(std::string_view text);

}  // namespace emsock_ip
