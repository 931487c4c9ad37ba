// SPDX-License-Identifier: MIT
// emsock-ip - address tools on the emsock core (check, to-int, from-int) and, when a socket
// backend is built, name tools on the port layer (resolve, hostname, lookup).
//
// main() owns what is common to every subcommand: the table of subcommands, the generic argument
// scan (--help, --, unknown options), standard output buffering, and turning usage and I/O errors
// into messages and exit statuses. A new subcommand is a `command` value and one row in `commands`.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include <unistd.h>

#include "address_commands.hpp"
#include "cli.hpp"
#include "emsock/error.hpp"
#if defined(EMSOCK_IP_PORT_COMMANDS)
#include "port_commands.hpp"  // built only with a socket backend (CMake defines EMSOCK_IP_PORT_COMMANDS)
#endif

#ifndef EMSOCK_IP_VERSION
#define EMSOCK_IP_VERSION "unknown"
#endif

namespace emsock_ip {

namespace {

/// Every subcommand, in the order `emsock-ip --help` lists them.
const command* const commands[] = {
    &check_command,
    &to_int_command,
    &from_int_command,
#if defined(EMSOCK_IP_PORT_COMMANDS)
    &resolve_command,
    &hostname_command,
    &lookup_command,
#endif
};

const command* find_command(std::string_view name) {
  for (const command* c : commands)
    if (c->name == name) return c;
  return nullptr;
}

/// An argument is an option when it starts with '-' and a character that is not a digit, so
/// "-1" stays an operand (a negative number for from-int) and "-" alone stays an operand too.
bool looks_like_option(std::string_view arg) noexcept {
  return arg.size() >= 2 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9');
}

void write_all(std::FILE* stream, std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stream) != text.size())
    throw io_error{"cannot write " + std::string(stream == stderr ? "standard error" : "standard output")};
}

void print_overview() {
  std::string text = "Usage: emsock-ip COMMAND [OPTION...] [ARG...]\n"
                     "       emsock-ip COMMAND --help\n"
                     "       emsock-ip --help | --version\n\n"
                     "IPv4 and IPv6 address tools on the emsock core"
#if defined(EMSOCK_IP_PORT_COMMANDS)
                     ", name tools on its port layer"
#endif
                     ".\n\nCommands:\n";
  for (const command* c : commands) text += "  " + std::string(c->synopsis) + "\n      " + std::string(c->summary) + "\n";
  text +=
      "\nArguments starting with '-' and a non-digit are options (-1 is not);\n"
      "\"--\" ends the options. 'emsock-ip COMMAND --help' gives the exact input\n"
      "and output formats.\n\n"
      "Exit status: 0 success (every input valid), 1 an input was invalid or a\n"
      "name could not be resolved, 2 usage error (unknown command or option,\n"
      "wrong operand count) or I/O error.\n";
  write_all(stdout, text);
}

void print_command_help(const command& c) {
  write_all(stdout, "Usage: emsock-ip " + std::string(c.synopsis) + "\n\n" + std::string(c.help));
}

/// True when --help or -h is one of the arguments before "--": help wins over every usage error
/// (an unknown option, a missing or bad value, even when it stands where a value would be).
bool asks_for_help(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

/// The generic scan: options the command declared, "--", operands (--help is handled before).
void scan(const command& c, int argc, char** argv, arguments& out) {
  bool options_done = false;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_done || !looks_like_option(arg)) {
      out.operands.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (std::find(c.options.begin(), c.options.end(), arg) != c.options.end()) {
      out.options.push_back(arg);
    } else {
      // An option with a value, declared as "--name=": "--name VALUE" or "--name=VALUE".
      const std::size_t eq = arg.find('=');
      const std::string_view name = arg.substr(0, eq);
      if (std::find(c.options.begin(), c.options.end(), std::string(name) + "=") == c.options.end())
        throw usage_error{std::string(c.name) + ": unknown option '" + std::string(arg) + "'"};
      if (eq != std::string_view::npos)
        out.values.emplace_back(name, arg.substr(eq + 1));
      else if (i + 1 < argc)
        out.values.emplace_back(name, std::string_view(argv[++i]));
      else
        throw usage_error{std::string(c.name) + ": option '" + std::string(name) + "' needs a value"};
    }
  }
}

/// Standard output: one large block buffer in a pipe or file, line buffering on a terminal.
void set_up_stdout() {
  static char buffer[1 << 16];
  if (::isatty(STDOUT_FILENO) != 0)
    std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
  else
    std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
}

int run(int argc, char** argv, const command*& current) {
  if (argc < 2) throw usage_error{"no command given"};
  const std::string_view first = argv[1];
  if (first == "--help" || first == "-h") {
    print_overview();
    return exit_ok;
  }
  if (first == "--version") {
    write_all(stdout, "emsock-ip " EMSOCK_IP_VERSION "\n");
    return exit_ok;
  }
  if (looks_like_option(first)) {
    if (asks_for_help(argc - 1, argv + 1)) {
      print_overview();
      return exit_ok;
    }
    throw usage_error{"unknown option '" + std::string(first) + "'"};
  }
  current = find_command(first);
  if (current == nullptr) throw usage_error{"unknown command '" + std::string(first) + "'"};
  if (asks_for_help(argc - 2, argv + 2)) {
    print_command_help(*current);
    return exit_ok;
  }
  arguments args;
  scan(*current, argc - 2, argv + 2, args);
  return current->run(args);
}

}  // namespace

bool arguments::has(std::string_view option) const noexcept {
  return std::find(options.begin(), options.end(), option) != options.end();
}

const std::string_view* arguments::value(std::string_view option) const noexcept {
  const std::string_view* found = nullptr;
  for (const auto& v : values)
    if (v.first == option) found = &v.second;
  return found;
}

void expect_operands(const command& cmd, const arguments& args, std::size_t count, std::string_view what) {
  if (args.operands.size() == count) return;
  const std::string name(cmd.name);
  if (args.operands.size() < count) throw usage_error{name + ": missing " + std::string(what)};
  throw usage_error{name + ": too many arguments (expected " + std::to_string(count) + " " + std::string(what) +
                    ", got " + std::to_string(args.operands.size()) + ")"};
}

void print_line(std::string_view text) {
  static std::string line;
  line.assign(text);
  line += '\n';
  write_all(stdout, line);
}

void print_ok(std::string_view text) {
  static std::string line;
  line.assign("ok ");
  line += text;
  line += '\n';
  write_all(stdout, line);
}

void print_error(const emsock::error& e, bool to_stderr) {
  static std::string line;
  char offset[24];  // std::to_chars writes no more than 20 digits
  char* offset_end = std::to_chars(offset, offset + sizeof offset, e.offset).ptr;
  line.assign("error ");
  line += emsock::describe(e.code);
  line += " at ";
  line.append(offset, static_cast<std::size_t>(offset_end - offset));
  line += '\n';
  write_all(to_stderr ? stderr : stdout, line);
}

}  // namespace emsock_ip

int main(int argc, char** argv) {
  using namespace emsock_ip;
  set_up_stdout();
  const command* current = nullptr;
  try {
    const int status = run(argc, argv, current);
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) throw io_error{"cannot write standard output"};
    return status;
  } catch (const usage_error& e) {
    std::fflush(stdout);
    const std::string hint = current != nullptr ? "emsock-ip " + std::string(current->name) : "emsock-ip";
    std::fprintf(stderr, "emsock-ip: %s\nTry '%s --help' for more information.\n", e.message.c_str(), hint.c_str());
  } catch (const io_error& e) {
    std::fprintf(stderr, "emsock-ip: %s\n", e.message.c_str());
  } catch (const std::exception& e) {  // std::bad_alloc and the like: report, never crash
    std::fprintf(stderr, "emsock-ip: %s\n", e.what());
  }
  return exit_trouble;
}
