// SPDX-License-Identifier: MIT
// Uses the umbrella header and emsock::core as a downstream project would; exit 0 when it works.
#include <emsock/emsock.hpp>

#include <cstdio>

#if defined(EMSOCK_PORT_FAKE)  // built again over emsock::fake: a connection in memory
#include <emsock/port/fake.hpp>
#include <emsock/port/socket.hpp>

static bool fake_works() {
  emsock::fake::reset();
  auto l = emsock::tcp_listener::listen({emsock::ipv4_address::loopback(), 7});
  if (!l) return false;
  auto c = emsock::tcp_stream::connect({emsock::ipv4_address::loopback(), 7}, emsock::milliseconds{100});
  auto a = l->accept();
  return c && a && c->send("x", 1).value_or(0) == 1 && emsock::fake::waiting(a->stream.native_handle()).size == 1;
}
#else
static bool fake_works() { return true; }
#endif

int main() {
  const auto a = emsock::ipv6_address::parse("2001:DB8::1");
  if (!a) return 1;
  char text[emsock::ipv6_address::max_text_len];
  const auto r = a->to_chars(text, text + sizeof text);
  std::printf("%.*s\n", static_cast<int>(r.ptr - text), text);
  return r.code() == emsock::errc::ok && r.ptr - text == 11 && fake_works() ? 0 : 1;
}
