// SPDX-License-Identifier: MIT
// tests/core/c_library_oracle.cpp - the checks of c_library_oracle.hpp.
#include "c_library_oracle.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "simd_parse.hpp"

namespace emsock::proof {
namespace {

/// A NUL-terminated copy of a text without NUL, on the stack when it is short (most are).
class c_text {
 public:
  explicit c_text(std::string_view text) {
    if (text.size() < sizeof small_) {
      if (!text.empty()) std::memcpy(small_, text.data(), text.size());
      small_[text.size()] = '\0';
      ptr_ = small_;
    } else {
      large_.assign(text.data(), text.size());
      ptr_ = large_.c_str();
    }
  }
  c_text(const c_text&) = delete;
  c_text& operator=(const c_text&) = delete;
  const char* get() const noexcept { return ptr_; }

 private:
  char small_[256];
  std::string large_;
  const char* ptr_ = nullptr;
};

/// White space as inet_aton sees it (isspace in the "C" locale).
constexpr bool is_c_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string outcome(const error& e) {
  return std::string(name(e.code)) + " at " + std::to_string(e.offset);
}

std::string bytes_hex(const std::uint8_t* p, std::size_t n) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", p[i]);
    s += b;
  }
  return s;
}

/// Errors of text parsing: a text-input reason and an offset inside the text (or its length).
std::string check_error_shape(const char* who, std::string_view text, const error& e) {
  if (e.code == errc::ok || e.code >= errc::buffer_too_small)
    return std::string(who) + ": failure with a reason that is not a text error: " + outcome(e);
  if (e.offset > text.size())
    return std::string(who) + ": error offset past the end of the text: " + outcome(e);
  return {};
}

/// The NUL rule of the header. `prefix_accepted`: the oracle accepts the text before the first NUL.
std::string check_nul_rejection(const char* who, std::string_view text, bool ok, const error& e,
                                bool prefix_accepted) {
  const std::size_t nul = text.find('\0');
  if (ok) return std::string(who) + ": accepted a text with a NUL";
  if (e.offset > nul)
    return std::string(who) + ": NUL at " + std::to_string(nul) + " but error " + outcome(e);
  if (e.offset == nul && e.code != errc::embedded_nul)
    return std::string(who) + ": NUL at " + std::to_string(nul) + " but error " + outcome(e);
  if (prefix_accepted && (e.code != errc::embedded_nul || e.offset != nul))
    return std::string(who) + ": text before the NUL is valid, expected embedded_nul at " +
           std::to_string(nul) + ", got " + outcome(e);
  return {};
}

bool pton4(std::string_view text, in_addr& out) { return inet_pton(AF_INET, c_text(text).get(), &out) == 1; }
bool aton(std::string_view text, in_addr& out) { return inet_aton(c_text(text).get(), &out) != 0; }
bool pton6(std::string_view text, in6_addr& out) { return inet_pton(AF_INET6, c_text(text).get(), &out) == 1; }

/// Compares one emsock IPv4 result with the oracle's answer.
std::string compare_v4(const char* who, const char* oracle, const result<ipv4_address>& r, bool c_ok,
                       const in_addr& c_addr) {
  if (r.ok() != c_ok)
    return std::string(who) + ": " + oracle + (c_ok ? " accepts" : " rejects") + ", emsock " +
           (r.ok() ? "accepts" : "rejects with " + outcome(r.err()));
  if (c_ok && std::memcmp(&c_addr, r->bytes().data(), 4) != 0)
    return std::string(who) + ": " + oracle + " gives " +
           bytes_hex(reinterpret_cast<const std::uint8_t*>(&c_addr), 4) + ", emsock " +
           bytes_hex(r->bytes().data(), 4);
  return {};
}

}  // namespace

std::string escape(std::string_view text) {
  std::string s = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      s += '\\';
      s += c;
    } else if (u >= 0x20 && u < 0x7f) {
      s += c;
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", u);
      s += b;
    }
  }
  return s + "\"";
}

std::string check_format(const ipv4_address& a) {
  char text[ipv4_address::max_text_len];  // exactly max_text_len must be enough
  const to_chars_result r = a.to_chars(text, text + sizeof text);
  if (r.code() != errc::ok) return "IPv4 to_chars into max_text_len characters failed";
  const std::string_view got(text, static_cast<std::size_t>(r.ptr - text));
  in_addr in;
  std::memcpy(&in, a.bytes().data(), 4);
  char expected[INET_ADDRSTRLEN];
  if (inet_ntop(AF_INET, &in, expected, sizeof expected) == nullptr) return "inet_ntop(AF_INET) failed";
  if (got != expected)
    return "IPv4 to_chars gives " + escape(got) + ", inet_ntop " + escape(expected);
  const result<ipv4_address> back = ipv4_address::parse(got);
  if (!back.ok() || *back != a) return "IPv4 round trip: parse(" + escape(got) + ") does not give the address back";
  return {};
}

std::string check_format(const ipv6_address& a) {
  char text[ipv6_address::max_text_len];
  const to_chars_result r = a.to_chars(text, text + sizeof text);
  if (r.code() != errc::ok) return "IPv6 to_chars into max_text_len characters failed";
  const std::string_view got(text, static_cast<std::size_t>(r.ptr - text));

  char expected[INET6_ADDRSTRLEN + 8];
  bool first_six_zero = true;
  for (std::size_t i = 0; i < 6; ++i) first_six_zero = first_six_zero && a.group(i) == 0;
  if (first_six_zero && a.group(6) != 0) {
    // glibc prints "::a.b.c.d" here; emsock prints RFC 5952 hex: the zero run is groups 0-5.
    std::snprintf(expected, sizeof expected, "::%x:%x", static_cast<unsigned>(a.group(6)),
                  static_cast<unsigned>(a.group(7)));
  } else {
    in6_addr in;
    std::memcpy(&in, a.bytes().data(), 16);
    if (inet_ntop(AF_INET6, &in, expected, sizeof expected) == nullptr) return "inet_ntop(AF_INET6) failed";
  }
  if (got != expected)
    return "IPv6 to_chars gives " + escape(got) + ", expected " + escape(expected);
  const result<ipv6_address> back = ipv6_address::parse(got);
  if (!back.ok() || *back != a) return "IPv6 round trip: parse(" + escape(got) + ") does not give the address back";
  return {};
}

std::string check_ipv4_strict(std::string_view text) {
  const result<ipv4_address> r = ipv4_address::parse(text);
  if (!r.ok()) {
    std::string m = check_error_shape("strict IPv4", text, r.err());
    if (!m.empty()) return m;
  }
  in_addr c_addr{};
  const std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos)
    return check_nul_rejection("strict IPv4", text, r.ok(), r.err(), pton4(text.substr(0, nul), c_addr));

  const bool c_ok = pton4(text, c_addr);
  std::string m = compare_v4("strict IPv4", "inet_pton", r, c_ok, c_addr);
  if (m.empty() && r.ok()) m = check_format(*r);
  return m;
}

std::string check_ipv4_legacy(std::string_view text) {
  const result<ipv4_address> r = ipv4_address::parse_legacy(text);
  if (!r.ok()) {
    std::string m = check_error_shape("legacy IPv4", text, r.err());
    if (!m.empty()) return m;
  }
  in_addr c_addr{};
  const std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    // inet_aton of the text before the NUL, itself subject to the white-space rule.
    std::string_view prefix = text.substr(0, nul);
    std::size_t ws = 0;
    while (ws < prefix.size() && !is_c_space(prefix[ws])) ++ws;
    const bool prefix_ok = ws == prefix.size() && aton(prefix, c_addr);
    return check_nul_rejection("legacy IPv4", text, r.ok(), r.err(), prefix_ok);
  }

  std::size_t ws = 0;
  while (ws < text.size() && !is_c_space(text[ws])) ++ws;
  if (ws == text.size()) {
    const bool c_ok = aton(text, c_addr);
    std::string m = compare_v4("legacy IPv4", "inet_aton", r, c_ok, c_addr);
    if (m.empty() && r.ok()) m = check_format(*r);
    return m;
  }

  // glibc stops at the white space: compare the text before it, and require emsock to reject the whole.
  const bool c_ok = aton(text, c_addr);
  const std::string_view prefix = text.substr(0, ws);
  const result<ipv4_address> p = ipv4_address::parse_legacy(prefix);
  std::string m = compare_v4("legacy IPv4 (text before the white space)", "inet_aton", p, c_ok, c_addr);
  if (!m.empty()) return m;
  if (r.ok()) return "legacy IPv4: accepted a text with white space";
  if (p.ok() && (r.code() != errc::unexpected_character || r.offset() != ws))
    return "legacy IPv4: valid address before white space at " + std::to_string(ws) +
           ", expected unexpected_character there, got " + outcome(r.err());
  return {};
}

std::string check_ipv6(std::string_view text) {
  const result<ipv6_address> r = ipv6_address::parse(text);
  if (!r.ok()) {
    std::string m = check_error_shape("IPv6", text, r.err());
    if (!m.empty()) return m;
  }
  if (text.find('%') == std::string_view::npos) {
    const result<scoped_ipv6_address> s = scoped_ipv6_address::parse(text);
    if (s.ok() != r.ok() || (!r.ok() && s.err() != r.err()) ||
        (r.ok() && (s->address != *r || !s->zone.empty())))
      return "scoped IPv6 parse differs from IPv6 parse on text without '%'";
  } else if (r.ok()) {
    return "IPv6: accepted a text with '%'";
  }

  in6_addr c_addr{};
  const std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos)
    return check_nul_rejection("IPv6", text, r.ok(), r.err(), pton6(text.substr(0, nul), c_addr));

  const bool c_ok = pton6(text, c_addr);
  if (r.ok() != c_ok)
    return std::string("IPv6: inet_pton ") + (c_ok ? "accepts" : "rejects") + ", emsock " +
           (r.ok() ? "accepts" : "rejects with " + outcome(r.err()));
  if (!c_ok) return {};
  if (std::memcmp(&c_addr, r->bytes().data(), 16) != 0)
    return "IPv6: inet_pton gives " + bytes_hex(reinterpret_cast<const std::uint8_t*>(&c_addr), 16) +
           ", emsock " + bytes_hex(r->bytes().data(), 16);
  return check_format(*r);
}

std::string check_ip_address_dispatch(std::string_view text) {
  const result<ip_address> r = ip_address::parse(text);
  if (text.find(':') != std::string_view::npos) {
    const result<scoped_ipv6_address> s = scoped_ipv6_address::parse(text);
    if (s.ok() != r.ok() || (!r.ok() && s.err() != r.err()) || (r.ok() && (!r->is_v6() || r->scoped_v6() != *s)))
      return "ip_address::parse differs from scoped_ipv6_address::parse";
  } else {
    const result<ipv4_address> s = ipv4_address::parse(text);
    if (s.ok() != r.ok() || (!r.ok() && s.err() != r.err()) || (r.ok() && (!r->is_v4() || r->v4() != *s)))
      return "ip_address::parse differs from ipv4_address::parse";
  }
  return {};
}

}  // namespace emsock::proof

namespace emsock::proof {
namespace {

#if !EMSOCK_SMALL_CODE
/// The vector paths this machine runs (those not built or not available are skipped by the tests
/// that name them, tests/core/simd_parse_test.cpp and differential.cpp).
constexpr const char* path_names[] = {"sse4.1", "neon"};

using parse_fn = error (*)(const char*, std::size_t, std::uint8_t*) noexcept;
using try_fn = bool (*)(const char*, std::size_t, std::uint8_t*) noexcept;

/// One text through `parse` and `try_` of a path, against `scalar`; N bytes. The text is copied to a
/// heap block of exactly its size, so that a sanitizer sees any read past it.
template <std::size_t N>
std::string compare_path(const char* family, const char* path, std::string_view text, parse_fn scalar,
                         parse_fn parse, try_fn try_) {
  const std::unique_ptr<char[]> copy(new char[text.size()]);
  if (!text.empty()) std::memcpy(copy.get(), text.data(), text.size());
  std::uint8_t want[N] = {};
  std::uint8_t got[N] = {};
  const error e = scalar(copy.get(), text.size(), want);
  const std::string who = std::string(family) + " " + path;
  if (parse != nullptr) {
    const error g = parse(copy.get(), text.size(), got);
    if (g != e) return who + " path gives " + outcome(g) + ", scalar " + outcome(e);
    if (e.code == errc::ok && std::memcmp(got, want, N) != 0)
      return who + " path gives " + bytes_hex(got, N) + ", scalar " + bytes_hex(want, N);
  }
  if (try_ != nullptr) {
    std::uint8_t vec[N] = {};
    const bool ok = try_(copy.get(), text.size(), vec);
    if (ok != (e.code == errc::ok))
      return who + " vector code " + (ok ? "accepts" : "declines") + ", scalar " +
             (e.code == errc::ok ? "accepts" : "rejects with " + outcome(e));
    if (ok && std::memcmp(vec, want, N) != 0)
      return who + " vector code gives " + bytes_hex(vec, N) + ", scalar " + bytes_hex(want, N);
  }
  return {};
}

/// The public parse of Address, and every path this CPU runs, against the scalar parser.
template <class Address, std::size_t N>
std::string check_paths(const char* family, std::string_view text, parse_fn scalar,
                        parse_fn detail::parse_path::*parse, try_fn detail::parse_path::*try_) {
  const result<Address> pub = Address::parse(text);
  std::uint8_t want[N] = {};
  const error e = scalar(text.data(), text.size(), want);
  if (pub.ok() != (e.code == errc::ok) || (!pub.ok() && pub.err() != e) ||
      (pub.ok() && std::memcmp(pub->bytes().data(), want, N) != 0))
    return std::string(family) + " parse differs from the scalar parser (" + outcome(e) + ")";
  for (const char* name : path_names) {
    const detail::parse_path* p = detail::find_parse_path(name);
    if (p == nullptr || !p->available()) continue;
    std::string m = compare_path<N>(family, name, text, scalar, p->*parse, p->*try_);
    if (!m.empty()) return m;
  }
  return {};
}
#endif

}  // namespace

std::string check_ipv4_paths(std::string_view text) {
#if EMSOCK_SMALL_CODE
  static_cast<void>(text);
  return {};
#else
  return check_paths<ipv4_address, 4>("IPv4", text, detail::parse_ipv4_scalar, &detail::parse_path::parse_ipv4,
                                      &detail::parse_path::try_ipv4);
#endif
}

std::string check_ipv6_paths(std::string_view text) {
#if EMSOCK_SMALL_CODE
  static_cast<void>(text);
  return {};
#else
  return check_paths<ipv6_address, 16>("IPv6", text, detail::parse_ipv6_scalar, &detail::parse_path::parse_ipv6,
                                       &detail::parse_path::try_ipv6);
#endif
}

}  // namespace emsock::proof
