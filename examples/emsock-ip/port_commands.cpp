// SPDX-License-Identifier: MIT
// emsock-ip/port_commands.cpp - the port-layer subcommands: resolve, hostname, lookup.
#include "port_commands.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "emsock/ip_address.hpp"
#include "emsock/port/names.hpp"

namespace emsock_ip {

namespace {

/// Entries resolve prints at most; more are counted and reported on standard error.
constexpr std::size_t max_entries = 64;
/// resolve() takes a host of at most 255 characters and a service of at most 31.
constexpr std::size_t max_host_len = 255;
constexpr std::size_t max_service_len = 31;

/// Writes "error <describe(code)>: <subject>" (or without ": <subject>" when it is empty) on
/// standard error.
void print_failure(emsock::errc code, std::string_view subject) {
  std::string line = "error ";
  line += emsock::describe(code);
  if (!subject.empty()) {
    line += ": ";
    line += subject;
  }
  line += '\n';
  std::fflush(stdout);
  if (std::fputs(line.c_str(), stderr) == EOF) throw io_error{"cannot write standard error"};
}

/// Usage error unless HOST is a plausible argument for the resolver.
void check_host(const command& cmd, std::string_view host) {
  if (host.empty()) throw usage_error{std::string(cmd.name) + ": empty HOST"};
  if (host.size() > max_host_len)
    throw usage_error{std::string(cmd.name) + ": HOST is longer than " + std::to_string(max_host_len) + " characters"};
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
/// White space as strtoul skips it (C locale).
bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// A PORT of digits must be 0..65535 (never wrapping around). Text the resolver would also read as
/// a number, white space and a sign before the digits, is refused: glibc's getaddrinfo takes
/// "+80", " 80" and " 4294967376" (2^32 + 80) all as port 80. Anything else is a service name
/// ("http") for the resolver.
void check_port(std::string_view port) {
  if (port.empty()) throw usage_error{"resolve: empty PORT"};
  if (port.size() > max_service_len)
    throw usage_error{"resolve: PORT is longer than " + std::to_string(max_service_len) + " characters"};
  std::size_t start = 0;
  while (start < port.size() && is_space(port[start])) ++start;
  if (start < port.size() && (port[start] == '+' || port[start] == '-')) ++start;
  const std::string_view digits = port.substr(start);
  for (const char c : digits)
    if (!is_digit(c)) return;  // a service name
  if (digits.empty()) return;  // "+" or "-" alone: a (nonexistent) service name
  if (start != 0)
    throw usage_error{"resolve: PORT '" + std::string(port) + "' is not a port number (digits only, 0 to 65535)"};
  std::uint32_t value = 0;  // at most 65535 before each digit: no wrap
  for (const char c : digits) {
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
    if (value > 65535) throw usage_error{"resolve: PORT " + std::string(port) + " is out of range (0 to 65535)"};
  }
}

/// The value of `option` among `names` (its index), `fallback` when the option is absent.
std::size_t pick(const arguments& args, std::string_view option, const std::string_view (&names)[3],
                 std::size_t fallback) {
  const std::string_view* v = args.value(option);
  if (v == nullptr) return fallback;
  for (std::size_t i = 0; i < 3; ++i)
    if (*v == names[i]) return i;
  throw usage_error{"resolve: " + std::string(option) + ": '" + std::string(*v) + "' is not one of " +
                    std::string(names[0]) + ", " + std::string(names[1]) + ", " + std::string(names[2])};
}

const char* family_name(emsock::ip_family f) noexcept { return f == emsock::ip_family::v4 ? "inet" : "inet6"; }

const char* type_name(emsock::socket_type t) noexcept {
  return t == emsock::socket_type::stream ? "stream" : t == emsock::socket_type::dgram ? "dgram" : "any";
}

const char* protocol_name(emsock::ip_protocol p) noexcept {
  return p == emsock::ip_protocol::tcp ? "tcp" : p == emsock::ip_protocol::udp ? "udp" : "any";
}

int run_resolve(const arguments& args) {
  if (args.operands.size() < 2)
    throw usage_error{args.operands.empty() ? "resolve: missing HOST and PORT" : "resolve: missing PORT"};
  expect_operands(resolve_command, args, 2, "operands (HOST PORT)");
  const std::string_view host = args.operands[0];
  const std::string_view port = args.operands[1];
  check_host(resolve_command, host);
  check_port(port);

  static constexpr std::string_view families[3] = {"any", "inet", "inet6"};
  static constexpr std::string_view types[3] = {"any", "stream", "dgram"};
  static constexpr std::string_view protocols[3] = {"any", "tcp", "udp"};
  emsock::resolve_hints hints;
  hints.family = static_cast<emsock::resolve_family>(pick(args, "--family", families, 0));
  hints.type = static_cast<emsock::socket_type>(pick(args, "--type", types, 0));
  hints.protocol = static_cast<emsock::ip_protocol>(pick(args, "--proto", protocols, 0));
  const bool with_name = args.has("--canonname");

  static emsock::resolved entries[max_entries];
  char name_buffer[emsock::max_canonical_name_len];
  emsock::canonical_name name(name_buffer);
  const emsock::result<emsock::resolve_count> r =
      emsock::resolve(host, port, hints, entries, with_name ? &name : nullptr);
  if (!r) {
    print_failure(r.code(), std::string(host) + " " + std::string(port));
    return exit_invalid;
  }
  if (with_name) print_line("canonname " + std::string(name.view()));
  for (std::size_t i = 0; i < r->stored; ++i) {
    const emsock::resolved& e = entries[i];
    char where[emsock::endpoint::max_text_len];
    const emsock::to_chars_result w = e.where.to_chars(where, where + sizeof where);  // always fits
    std::string line = family_name(e.family);
    line += ' ';
    line += type_name(e.type);
    line += ' ';
    line += protocol_name(e.protocol);
    line += ' ';
    line.append(where, static_cast<std::size_t>(w.ptr - where));
    print_line(line);
  }
  if (r->truncated()) {
    std::fflush(stdout);
    std::fprintf(stderr, "emsock-ip: resolve: %zu more entries not shown\n", r->found - r->stored);
  }
  return exit_ok;
}

int run_hostname(const arguments& args) {
  if (!args.operands.empty())
    throw usage_error{"hostname: unexpected argument '" + std::string(args.operands[0]) + "' (it takes none)"};
  char name[emsock::max_host_name_len + 1];
  const emsock::result<std::size_t> r = emsock::host_name(name);
  if (!r) {
    print_failure(r.code(), {});
    return exit_invalid;
  }
  print_line(std::string_view(name, *r));
  return exit_ok;
}

int run_lookup(const arguments& args) {
  expect_operands(lookup_command, args, 1, "HOST");
  const std::string_view host = args.operands[0];
  check_host(lookup_command, host);
  const emsock::result<emsock::ipv4_address> r = emsock::resolve_ipv4(host);
  if (!r) {
    print_failure(r.code(), host);
    return exit_invalid;
  }
  char text[emsock::ipv4_address::max_text_len];
  const emsock::to_chars_result w = r->to_chars(text, text + sizeof text);  // always fits
  print_line(std::string_view(text, static_cast<std::size_t>(w.ptr - text)));
  return exit_ok;
}

}  // namespace

const command resolve_command{
    "resolve",
    "resolve [--family F] [--type T] [--proto P] [--canonname] [--] HOST PORT",
    "name and port -> addresses (getaddrinfo)",
    R"(Resolves HOST and PORT as getaddrinfo does (Python's socket.getaddrinfo) and
prints one line per entry, in the resolver's order:
  <family> <type> <proto> <address>:<port>
  inet stream tcp 127.0.0.1:80
  inet6 dgram udp [::1]:80
<family> is inet or inet6, <type> stream or dgram, <proto> tcp or udp (any
when the resolver did not say); IPv6 addresses are in brackets, with a zone
id when scoped ([fe80::1%eth0]:80). The fields never contain spaces.
SOCK_RAW entries, which glibc adds when no --type is given, are skipped.
With --canonname a first line "canonname <name>" gives the canonical name
(AI_CANONNAME; for a numeric HOST the HOST itself).

HOST is a host name or a numeric address (not empty, at most 255
characters); names under the reserved top-level domain "invalid"
(x.invalid) are answered "name not found" at once. PORT is a number 0..65535
(digits only: +80, " 80" and numbers above 65535 are usage errors) or a
service name from /etc/services (http -> 80), at most 31 characters.
At most 64 entries are printed; more are counted on standard error.

Options:
  --family F   inet, inet6 or any (default any)
  --type T     stream, dgram or any (default any)
  --proto P    tcp, udp or any (default any)
  --canonname  print the canonical name first
  -h, --help   print this help and exit.
"--family inet" and "--family=inet" are the same.

When the name cannot be resolved nothing is printed on standard output and
standard error gets "error <reason>: HOST PORT", e.g.
  error name not found: host.invalid 80
  error service not found for socket type: localhost bogus

Exit status: 0 resolved, 1 not resolved, 2 usage error.
)",
    {"--family=", "--type=", "--proto=", "--canonname"},
    run_resolve,
};

const command hostname_command{
    "hostname",
    "hostname",
    "this machine's host name (gethostname)",
    R"(Prints this machine's host name, as gethostname returns it, on one line.

On failure standard error gets "error <reason>", exit status 1.

Options:
  -h, --help  print this help and exit.

Exit status: 0 printed, 1 failed, 2 usage error.
)",
    {},
    run_hostname,
};

const command lookup_command{
    "lookup",
    "lookup [--] HOST",
    "host name -> first IPv4 address (gethostbyname)",
    R"(Prints the first IPv4 address of HOST as a dotted quad: what gethostbyname
answers (Python's socket.gethostbyname), found with getaddrinfo (AF_INET)
because gethostbyname is not thread-safe. localhost -> 127.0.0.1; a dotted
quad is printed as it is. Like Python's, the answer is getaddrinfo's first,
after its address sorting: C's gethostbyname takes the hosts file's order
and can differ when a name has several IPv4 addresses.

HOST is not empty and at most 255 characters; names under the reserved
top-level domain "invalid" are answered "name not found" at once. When
HOST has no IPv4 address nothing is printed on standard output and
standard error gets "error <reason>: HOST", e.g.
  error name not found: host.invalid

Options:
  -h, --help  print this help and exit.

Exit status: 0 printed, 1 not resolved, 2 usage error.
)",
    {},
    run_lookup,
};

}  // namespace emsock_ip
