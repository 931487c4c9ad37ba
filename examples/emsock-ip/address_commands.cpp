// SPDX-License-Identifier: MIT
// emsock-ip/address_commands.cpp - the core-only subcommands: check, to-int, from-int.
#include "address_commands.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include <unistd.h>

#include "emsock/ip_address.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "line_reader.hpp"

namespace emsock_ip {

namespace {

/// Which parser `check` applies.
enum class check_mode { strict, legacy, scoped };

/// Prints "ok <canonical text>" for a parsed address.
template <class Address>
void print_canonical(const Address& a) {
  char text[emsock::ip_address::max_text_len];
  const emsock::to_chars_result r = a.to_chars(text, text + sizeof text);
  // Cannot fail: the buffer holds the longest text of every family.
  print_ok(std::string_view(text, static_cast<std::size_t>(r.ptr - text)));
}

template <class Address>
bool report(const emsock::result<Address>& r) {
  if (!r.ok()) {
    print_error(r.err());
    return false;
  }
  print_canonical(r.value());
  return true;
}

/// Checks one input and prints its line; true when it is valid.
bool check_one(std::string_view text, check_mode mode) {
  if (mode == check_mode::legacy) return report(emsock::ipv4_address::parse_legacy(text));
  if (text.find(':') == std::string_view::npos) return report(emsock::ipv4_address::parse(text));
  if (mode == check_mode::scoped) return report(emsock::scoped_ipv6_address::parse(text));
  return report(emsock::ipv6_address::parse(text));
}

int run_check(const arguments& args) {
  const bool legacy = args.has("--legacy");
  const bool scoped = args.has("--scoped");
  if (legacy && scoped) throw usage_error{"check: --legacy and --scoped cannot be combined (--legacy is IPv4 only)"};
  const check_mode mode = legacy ? check_mode::legacy : scoped ? check_mode::scoped : check_mode::strict;

  bool all_valid = true;
  if (!args.operands.empty()) {
    for (std::string_view text : args.operands) all_valid = check_one(text, mode) && all_valid;
    return all_valid ? exit_ok : exit_invalid;
  }
  line_reader lines(STDIN_FILENO);
  while (lines.next()) {
    if (lines.too_long()) {
      // Not parsed: the tool keeps max_kept bytes of a line (see line_reader.hpp and --help).
      print_error({emsock::errc::buffer_too_small, line_reader::max_kept});
      all_valid = false;
      continue;
    }
    all_valid = check_one(lines.text(), mode) && all_valid;
  }
  return all_valid ? exit_ok : exit_invalid;
}

int run_to_int(const arguments& args) {
  expect_operands(to_int_command, args, 1, "ADDR");
  const auto r = emsock::ipv4_address::parse_legacy(args.operands[0]);
  if (!r.ok()) {
    print_error(r.err(), true);
    return exit_invalid;
  }
  char text[16];
  const auto end = std::to_chars(text, text + sizeof text, r.value().to_uint()).ptr;
  print_line(std::string_view(text, static_cast<std::size_t>(end - text)));
  return exit_ok;
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

emsock::result<std::uint32_t> parse_uint32(std::string_view text) noexcept {
  using emsock::errc;
  if (text.empty()) return {errc::empty_input, 0};
  const bool hex = text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::size_t start = hex ? 2 : 0;
  const std::uint64_t base = hex ? 16 : 10;
  if (hex && text.size() == 2) return {errc::empty_hex_number, 0};  // the part's offset, as parse_legacy
  if (!hex && text.size() > 1 && text[0] == '0' && text[1] >= '0' && text[1] <= '9') return {errc::leading_zero, 0};
  std::uint64_t value = 0;
  bool too_large = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (text[i] == '\0') return {errc::embedded_nul, i};
    const int d = hex_digit(text[i]);
    if (d < 0 || (!hex && d > 9)) return {errc::unexpected_character, i};
    value = value * base + static_cast<std::uint64_t>(d);
    if (value > 0xffffffffu) {
      too_large = true;
      value = 0xffffffffu;  // keep scanning for bad characters; no overflow
    }
  }
  if (too_large) return {errc::part_out_of_range, 0};
  return static_cast<std::uint32_t>(value);
}

namespace {

int run_from_int(const arguments& args) {
  expect_operands(from_int_command, args, 1, "N");
  const auto r = parse_uint32(args.operands[0]);
  if (!r.ok()) {
    print_error(r.err(), true);
    return exit_invalid;
  }
  char text[emsock::ipv4_address::max_text_len];
  const auto a = emsock::ipv4_address::from_uint(r.value());
  const emsock::to_chars_result w = a.to_chars(text, text + sizeof text);
  print_line(std::string_view(text, static_cast<std::size_t>(w.ptr - text)));
  return exit_ok;
}

}  // namespace

const command check_command{
    "check",
    "check [--legacy] [--scoped] [--] [ADDR...]",
    "validate addresses, print their canonical forms",
    R"(Checks each ADDR, or each line of standard input when no ADDR is given,
and prints one line per input, in input order:
  ok <canonical form>
  error <reason> at <offset>
<offset> is the 0-based byte index of the first offending character (the
length of the input when it ended too early).

By default text containing ':' is IPv6 as inet_pton(AF_INET6) accepts it
(no zone id), any other text strict IPv4 as inet_pton(AF_INET) accepts it:
four decimal parts 0..255, no leading zeros. Canonical forms: dotted quad;
RFC 5952 for IPv6 (lowercase, longest zero run as "::", ::ffff:a.b.c.d for
IPv4-mapped addresses).

Options:
  --legacy    IPv4 in every form inet_aton accepts: 1 to 4 parts, each
              decimal, octal (leading 0) or hex (0x), the last part filling
              the bytes left: 127.1 -> 127.0.0.1, 0x7f.1 -> 127.0.0.1,
              017.0.0.1 -> 15.0.0.1, 2130706433 -> 127.0.0.1. Unlike glibc,
              trailing text is an error ("1.2.3.4 junk"). IPv6 text is an
              error. Not with --scoped.
  --scoped    IPv6 may carry a zone id: fe80::1%eth0, fe80::1%2.
  -h, --help  print this help and exit.

Standard input: a line ends at LF; one trailing CR is removed, so CRLF
files work. Every line is one input whatever it holds: an empty line is
checked ("error empty input at 0"), a NUL byte is part of its line ("error
embedded NUL character at <offset>"), a line is never split. A line longer
than 65536 bytes is not parsed: "error buffer too small at 65536". A last
line without LF is still an input. Output is written in 64 KiB blocks
unless standard output is a terminal.

Exit status: 0 all inputs valid, 1 any input invalid, 2 usage or I/O error.
)",
    {"--legacy", "--scoped"},
    run_check,
};

const command to_int_command{
    "to-int",
    "to-int [--] ADDR",
    "IPv4 address -> 32-bit number",
    R"(Prints the IPv4 address ADDR as an unsigned 32-bit decimal number: its four
bytes read as one big-endian number, 127.0.0.1 -> 2130706433 (Python's
struct.unpack("!L", socket.inet_aton(ADDR))[0]).

ADDR may use every form inet_aton accepts (127.1, 0x7f.1, 017.0.0.1,
2130706433); unlike glibc's inet_aton, trailing text is an error
("1.2.3.4 junk").

On an invalid ADDR nothing is printed on standard output, standard error
gets "error <reason> at <offset>" (as check prints it), exit status 1.

Options:
  -h, --help  print this help and exit.

Exit status: 0 converted, 1 ADDR invalid, 2 usage error.
)",
    {},
    run_to_int,
};

const command from_int_command{
    "from-int",
    "from-int [--] N",
    "32-bit number -> IPv4 address",
    R"(Prints the IPv4 address whose 32-bit value is N as a dotted quad:
2130706433 -> 127.0.0.1, 0 -> 0.0.0.0, 4294967295 -> 255.255.255.255.

N is decimal 0..4294967295, digits only: no sign, no spaces, no leading
zero ("0" alone is fine; "010" is refused rather than read as octal 8 or
decimal 10), or hexadecimal after 0x or 0X up to 0xffffffff, digits in
either case, leading zeros allowed after the prefix (0x7f000001 ->
127.0.0.1).

Anything else prints nothing on standard output, "error <reason> at
<offset>" on standard error, and exits with status 1:
  ""           error empty input at 0
  12a, -1, +1  error unexpected character at <offset of the character>
  0123         error leading zero not permitted at 0
  0x           error hex prefix without digits at 0
  4294967296   error part out of range at 0 (also 0x100000000)
The reasons are emsock::describe()'s, as "check --legacy" words them for
a one-part address. An N of '-' and a digit (-1) is an operand; other
arguments starting with '-' are options.

Options:
  -h, --help  print this help and exit.

Exit status: 0 converted, 1 N invalid, 2 usage error.
)",
    {},
    run_from_int,
};

}  // namespace emsock_ip
