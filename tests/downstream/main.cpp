// Uses the umbrella header and emsock::core as a downstream project would; exit 0 when it works.
#include <emsock/emsock.hpp>

#include <cstdio>

int main() {
  const auto a = emsock::ipv6_address::parse("2001:DB8::1");
  if (!a) return 1;
  char text[emsock::ipv6_address::max_text_len];
  const auto r = a->to_chars(text, text + sizeof text);
  std::printf("%.*s\n", static_cast<int>(r.ptr - text), text);
  return r.ec == emsock::errc::ok && r.ptr - text == 11 ? 0 : 1;
}
