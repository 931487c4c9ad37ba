// SPDX-License-Identifier: MIT
// Fuzz target: scoped IPv6, ip_address and endpoint text, no oracle but their own round trips.
//
// The input is used twice:
// - as text: for scoped_ipv6_address::parse, ip_address::parse (which must agree with the family
//   parsers) and endpoint::parse, every accepted value must format, re-parse to the same value, and
//   format into every buffer size exactly or report buffer_too_small without writing;
// - as a binary value: byte 0 family (even: IPv4) and zone length (bits 1-4), then 16 address bytes,
//   2 port bytes and the zone characters (mapped into [A-Za-z0-9._-]); the endpoint built from them
//   must survive format -> parse.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "c_library_oracle.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace emsock;

constexpr const char* target = "endpoint_fuzz";

/// parse(to_chars(x)) == x and the buffer-size sweep, for any type with to_chars and parse.
template <class T>
void round_trip(std::string_view input, const T& x) {
  char buf[T::max_text_len];
  const to_chars_result w = x.to_chars(buf, buf + sizeof buf);
  if (w.code() != errc::ok) fuzz::require(target, input, "to_chars into max_text_len failed");
  const std::string_view text(buf, static_cast<std::size_t>(w.ptr - buf));
  const result<T> back = T::parse(text);
  if (!back.ok())
    fuzz::require(target, input, "formatted " + proof::escape(text) + " does not parse: " + name(back.code()));
  if (*back != x) fuzz::require(target, input, "formatted " + proof::escape(text) + " parses to another value");
  fuzz::require(target, input, proof::check_to_chars_sizes(x));
}

void text_checks(std::string_view text) {
  fuzz::require(target, text, proof::check_ip_address_dispatch(text));
  const result<scoped_ipv6_address> s = scoped_ipv6_address::parse(text);
  if (s.ok()) round_trip(text, *s);
  const result<ip_address> a = ip_address::parse(text);
  if (a.ok()) round_trip(text, *a);
  const result<endpoint> e = endpoint::parse(text);
  for (const error& err : {s.err(), a.err(), e.err()})
    if (err.code != errc::ok && err.offset > text.size())
      fuzz::require(target, text, std::string("error offset past the end: ") + name(err.code));
  if (e.ok()) {
    round_trip(text, *e);
    // The port and the address are what the text says: the address part re-parses on its own.
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) fuzz::require(target, text, "endpoint accepted without ':'");
    const std::string_view host = e->address.is_v6() ? text.substr(1, colon - 2) : text.substr(0, colon);
    const result<ip_address> h = ip_address::parse(host);
    if (!h.ok() || *h != e->address) fuzz::require(target, text, "endpoint address differs from its text");
  }
}

void binary_checks(const std::uint8_t* data, std::size_t size) {
  if (size < 19) return;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  endpoint ep;
  ep.port = static_cast<std::uint16_t>(data[17] << 8 | data[18]);
  if ((data[0] & 1) == 0) {
    ep.address = ipv4_address(data[1], data[2], data[3], data[4]);
  } else {
    ipv6_address::bytes_type b;
    std::memcpy(b.data(), data + 1, 16);
    scoped_ipv6_address s;
    s.address = ipv6_address(b);
    constexpr char zone_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    char zone[zone_id::max_len];
    std::size_t zone_len = (data[0] >> 1) & 0xf;
    if (zone_len > size - 19) zone_len = size - 19;
    for (std::size_t i = 0; i < zone_len; ++i) zone[i] = zone_chars[data[19 + i] % (sizeof zone_chars - 1)];
    if (zone_len != 0) {
      const result<zone_id> z = zone_id::parse(std::string_view(zone, zone_len));
      if (!z.ok()) fuzz::require(target, input, "a zone of valid characters is rejected");
      s.zone = *z;
    }
    ep.address = s;
    round_trip(input, s);
  }
  round_trip(input, ep.address);
  round_trip(input, ep);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  text_checks(std::string_view(reinterpret_cast<const char*>(data), size));
  binary_checks(data, size);
  return 0;
}
