// SPDX-License-Identifier: MIT
#include "options.hpp"

#include <signal.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace emsock_examples {

namespace {

bool is_help(std::string_view name) noexcept { return name == "--help" || name == "-h"; }

}  // namespace

std::string parse_options(int argc, char** argv, const std::vector<option>& options,
                          std::vector<std::string_view>& operands) {
  // --help anywhere before "--", even where an option's value would be, wins over every usage
  // error: set it and look at nothing else.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    for (const option& o : options)
      if (o.flag != nullptr && o.name == arg && is_help(arg)) {
        *o.flag = true;
        return {};
      }
  }
  bool only_operands = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (only_operands || arg.size() < 2 || arg[0] != '-') {
      operands.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_operands = true;
      continue;
    }
    std::string_view name = arg;
    std::string_view inline_value;
    bool has_inline = false;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
      has_inline = true;
    }
    const option* match = nullptr;
    for (const option& o : options)
      if (o.name == name) match = &o;
    if (match == nullptr) return "unknown option '" + std::string(name) + "'";
    if (match->flag != nullptr) {
      if (has_inline) return "option '" + std::string(name) + "' takes no value";
      *match->flag = true;
    } else if (has_inline) {
      *match->value = inline_value;
    } else if (i + 1 < argc) {
      *match->value = argv[++i];
    } else {
      return "option '" + std::string(name) + "' needs a value";
    }
  }
  return {};
}

std::string parse_number(std::string_view what, std::string_view text, std::uint64_t min, std::uint64_t max,
                         std::uint64_t& out) {
  const std::string range = " (" + std::to_string(min) + " to " + std::to_string(max) + ")";
  if (text.empty()) return std::string(what) + ": empty value, expected a number" + range;
  std::uint64_t v = 0;
  bool too_big = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9')
      return std::string(what) + ": '" + std::string(text) + "' is not a number (character " + std::to_string(i) + ")";
    const auto digit = static_cast<std::uint64_t>(c - '0');
    // v * 10 + digit <= max, checked without computing it: it could wrap past 2^64 - 1.
    if (too_big || digit > max || v > (max - digit) / 10)
      too_big = true;  // keep looking for a character that is not a digit
    else
      v = v * 10 + digit;
  }
  if (too_big || v < min) return std::string(what) + ": " + std::string(text) + " is out of range" + range;
  out = v;
  return {};
}

std::string parse_seconds(std::string_view what, std::string_view text, std::uint64_t& milliseconds) {
  const auto dot = text.find('.');
  std::uint64_t whole = 0, fraction = 0;
  std::string e = parse_number(what, text.substr(0, dot), 0, 1000000000, whole);
  if (!e.empty()) return e;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > 3)
      return std::string(what) + ": '" + std::string(text) + "' needs 1 to 3 digits after the point";
    e = parse_number(what, digits, 0, 999, fraction);
    if (!e.empty()) return e;
    for (std::size_t n = digits.size(); n < 3; ++n) fraction *= 10;
  }
  milliseconds = whole * 1000 + fraction;
  return {};
}

std::string parse_address(std::string_view what, std::string_view text, bool legacy_ipv4, emsock::ip_address& out) {
  if (legacy_ipv4 && text.find(':') == std::string_view::npos) {
    const auto v4 = emsock::ipv4_address::parse_legacy(text);
    if (v4) {
      out = *v4;
      return {};
    }
    return std::string(what) + ": '" + std::string(text) + "': " + emsock::describe(v4.code()) + " at " +
           std::to_string(v4.offset());
  }
  const auto a = emsock::ip_address::parse(text);
  if (a) {
    out = *a;
    return {};
  }
  return std::string(what) + ": '" + std::string(text) + "': " + emsock::describe(a.code()) + " at " +
         std::to_string(a.offset());
}

std::string endpoint_text(const emsock::endpoint& e) {
  char buf[emsock::endpoint::max_text_len];
  const auto r = e.to_chars(buf, buf + sizeof buf);
  return std::string(buf, r.ptr);
}

int usage_error(std::string_view program, const std::string& message) {
  std::fprintf(stderr, "%.*s: %s\nTry '%.*s --help'.\n", static_cast<int>(program.size()), program.data(),
               message.c_str(), static_cast<int>(program.size()), program.data());
  return exit_usage;
}

std::uint64_t raise_file_limit(std::uint64_t needed, std::string& why) {
  why.clear();
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return UINT64_MAX;  // cannot tell: let the calls say
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < needed && rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0)
      rl = want;
    else
      why = std::strerror(errno);
  }
  return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(rl.rlim_cur);
}

namespace {
volatile std::sig_atomic_t* stop_flag = nullptr;
extern "C" void on_stop_signal(int) { *stop_flag = 1; }
}  // namespace

void stop_on_signals(volatile std::sig_atomic_t& flag) {
  stop_flag = &flag;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll returns EINTR and the loop looks at the flag
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace emsock_examples
