// SPDX-License-Identifier: MIT
// emsock-echo-client-firmware: an echo client board. emsock's echo_client_session behind lwIP's raw
// API (emsock::lwip_raw::echo_client) on the emulated LAN9118 of QEMU's mps2-an385 / mps2-an386; the
// client half of the two-board test (ctest firmware-two-boards), against emsock-echo-firmware.
//
// Command line (semihosting: qemu-system-arm -semihosting-config enable=on,arg=<program>,arg=...):
//   emsock-echo-client-firmware [--udp] [--bytes N] [--timeout-ms N] ENDPOINT...
//   ENDPOINT  a.b.c.d:port or [fe80::...%en0]:port (emsock::endpoint::parse); the zone of a link-local
//             IPv6 address names this board's own netif (lwIP's name and number, "en0")
//   --bytes   bytes per exchange, 1 to 65536 (default 65536)
//   --timeout-ms  per endpoint, waiting for an address of its family included (default 60000)
//   --udp     UDP echo instead of TCP (emsock::lwip_raw::udp_echo_client): to each endpoint, 8 datagrams
//             of each size 5 (the core client's header, the smallest), 64, 512, 1024 and the largest
//             that needs no IP fragment (1472 over IPv4, 1452 over IPv6), stop-and-wait, each reply
//             verified byte by byte, a retry after 500 ms, up to 3; --bytes is ignored
// The board gets its addresses as the server does (DHCP with AutoIP as its fallback, IPv6 link-local
// and SLAAC). For each endpoint in turn it waits for a usable address of that family, connects, sends
// the bytes (a different pseudo-random sequence per endpoint), verifies every byte of the echo, sends
// FIN and waits for the server's. Exit status: 0 when every endpoint echoed every byte and nothing was
// allocated from the heap after init; 1 otherwise; 2 on a usage error.
//
// Output (semihosting), one line each:
//   emsock-echo-client-firmware: mac 52:54:00:e5:00:02
//   emsock-echo-client-firmware: first random number 0x1b2c3d4e
//   emsock-echo-client-firmware: ipv6 fe80::5054:ff:fee5:2%en0
//   emsock-echo-client-firmware: [fe80::5054:ff:fee5:1%en0]:1234: 65536 bytes echoed and verified in 420 ms
//   emsock-echo-client-firmware: ipv4 169.254.x.y netmask 255.255.0.0 gateway 0.0.0.0 (autoip)
//   emsock-echo-client-firmware: 169.254.a.b:1234: 65536 bytes echoed and verified in 380 ms
//   emsock-echo-client-firmware: OK: 2 of 2 endpoints, heap=0
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "board_network.hpp"
#include "emsock/drivers/lan9118.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/lwip_raw/echo.hpp"
#include "emsock/lwip_raw/udp_echo.hpp"
#include "emsock/mps2/board.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

namespace {

const char* const tag = "emsock-echo-client-firmware";
constexpr std::size_t max_bytes = 65536;
constexpr std::size_t max_endpoints = 8;
constexpr std::size_t max_args = 3 + 2 * 2 + max_endpoints;
constexpr std::size_t udp_max_size = 1472;  // 1500 - 20 (IPv4) - 8 (UDP); lwIP here has no IP fragments

emsock::drivers::lan9118 g_nic{emsock::mps2::lan9118_base};
netif g_netif;
emsock_example::address_report g_addresses;
emsock::lwip_raw::echo_client g_client;
emsock::lwip_raw::udp_echo_client<udp_max_size> g_udp_client;
std::uint8_t g_message[max_bytes];
char g_command_line[512];

struct options {
  std::size_t bytes = max_bytes;
  std::uint64_t timeout_ms = 60000;
  bool udp = false;
  emsock::endpoint endpoints[max_endpoints];
  std::size_t count = 0;
};

int usage(const char* why, std::string_view what) {
  std::printf("%s: %s '%.*s'\nusage: %s [--udp] [--bytes N] [--timeout-ms N] ENDPOINT...\n", tag, why,
              static_cast<int>(what.size()), what.data(), tag);
  return 2;
}

/// Decimal 1..max without sign or leading zero; false otherwise (never wraps).
bool parse_number(std::string_view text, std::uint64_t max, std::uint64_t& out) {
  if (text.empty() || text.size() > 19 || text[0] == '0') return false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

/// The command line's words after the program's name into opts; a usage status (2) on bad input.
int parse_command_line(options& opts) {
  const std::size_t length = emsock::mps2::command_line(g_command_line, sizeof g_command_line);
  std::string_view words[max_args];
  std::size_t n = 0;
  for (std::size_t i = 0; i < length;) {
    while (i < length && g_command_line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < length && g_command_line[i] != ' ') ++i;
    if (i == start) break;
    if (n == max_args) return usage("too many arguments, from", std::string_view(g_command_line + start, i - start));
    words[n++] = std::string_view(g_command_line + start, i - start);
  }
  for (std::size_t i = 1; i < n; ++i) {  // words[0]: the program's name
    const std::string_view w = words[i];
    std::uint64_t v = 0;
    if (w == "--udp") {
      opts.udp = true;
      continue;
    }
    if (w == "--bytes" || w == "--timeout-ms") {
      if (i + 1 == n) return usage("a value is missing after", w);
      const std::uint64_t max = w == "--bytes" ? max_bytes : 3600000u;
      if (!parse_number(words[++i], max, v)) return usage(w == "--bytes" ? "--bytes wants 1 to 65536, not" :
                                                          "--timeout-ms wants 1 to 3600000, not", words[i]);
      if (w == "--bytes") opts.bytes = static_cast<std::size_t>(v);
      else opts.timeout_ms = v;
      continue;
    }
    const emsock::result<emsock::endpoint> e = emsock::endpoint::parse(w);
    if (!e.ok()) return usage(emsock::describe(e.code()), w);
    if (opts.count == max_endpoints) return usage("more than 8 endpoints, from", w);
    opts.endpoints[opts.count++] = e.value();
  }
  if (opts.count == 0) return usage("no endpoint given; command line", std::string_view(g_command_line, length));
  return 0;
}

void fill(std::size_t n, std::uint32_t seed) {
  std::uint32_t x = seed * 747796405u + 2891336453u;  // an LCG, the top byte of each step
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    g_message[i] = static_cast<std::uint8_t>(x >> 24);
  }
}

void poll_network() {
  const std::size_t frames = g_nic.poll(g_netif);
  sys_check_timeouts();
  g_addresses.poll(tag, g_netif);
  if (frames == 0) emsock_example::idle(g_nic);  // until the next frame or 1 ms tick
}

/// Whether the board has a usable source address for the family.
bool has_address(const emsock::ip_address& a) {
  if (a.is_v4()) return !ip4_addr_isany_val(*netif_ip4_addr(&g_netif));
  return ip6_addr_isvalid(netif_ip6_addr_state(&g_netif, 0)) != 0;  // 0: the link-local address
}

/// UDP echo runs of every size against addr (--udp): true when every datagram of every run came back
/// once, byte-exact, before the endpoint's deadline.
bool exchange_udp(const ip_addr_t& addr, std::uint16_t port, const char* text, bool v4, std::uint64_t deadline) {
  const std::size_t sizes[] = {emsock::datagram_echo_client_base::header_size, 64, 512, 1024,
                               v4 ? udp_max_size : udp_max_size - 20};  // IPv6's header is 20 bytes longer
  constexpr std::uint32_t count = 8;
  for (std::size_t size : sizes) {
    emsock::datagram_echo_client_config config;
    config.count = count;
    config.size = size;
    config.timeout = emsock::milliseconds{500};
    config.retries = 3;
    const std::uint64_t t0 = emsock::lwip_raw::now_ms();
    const emsock::status s = g_udp_client.start(addr, port, config, t0);
    if (!s.ok()) {
      std::printf("%s: %s: udp failed: %s\n", tag, text, emsock::describe(s.code()));
      return false;
    }
    while (!g_udp_client.done()) {
      if (emsock::lwip_raw::now_ms() > deadline) {
        g_udp_client.cancel();
        std::printf("%s: %s: udp failed: %lu-byte datagrams not done by the deadline\n", tag, text,
                    static_cast<unsigned long>(size));
        return false;
      }
      poll_network();
      g_udp_client.poll(emsock::lwip_raw::now_ms());
    }
    const emsock::datagram_echo_client_base& run = *g_udp_client.session();
    if (run.outcome() != emsock::datagram_echo_outcome::all_echoed || run.stats().echoed != count) {
      std::printf("%s: %s: udp failed: %lu-byte datagrams: %s, %lu of %lu echoed\n", tag, text,
                  static_cast<unsigned long>(size), emsock::name(run.outcome()),
                  static_cast<unsigned long>(run.stats().echoed), static_cast<unsigned long>(count));
      return false;
    }
    std::printf("%s: %s: udp %lu datagrams of %lu bytes echoed and verified in %lu ms\n", tag, text,
                static_cast<unsigned long>(count), static_cast<unsigned long>(size),
                static_cast<unsigned long>(emsock::lwip_raw::now_ms() - t0));
  }
  return true;
}

/// One exchange with the endpoint: true when every byte came back.
bool exchange(const emsock::endpoint& to, std::size_t index, const options& opts) {
  char text[emsock::endpoint::max_text_len + 1] = {};
  static_cast<void>(to.to_chars(text, text + sizeof text - 1));
  const std::uint64_t start = emsock::lwip_raw::now_ms();
  const std::uint64_t deadline = start + opts.timeout_ms;
  while (!has_address(to.address)) {
    if (emsock::lwip_raw::now_ms() > deadline) {
      std::printf("%s: %s: failed: this board got no IPv%c address in %lu ms\n", tag, text,
                  to.address.is_v4() ? '4' : '6', static_cast<unsigned long>(opts.timeout_ms));
      return false;
    }
    poll_network();
  }
  ip_addr_t addr;
  if (!emsock_example::to_lwip(to.address, addr)) {
    std::printf("%s: %s: failed: the zone must name this board's netif (%c%c%u)\n", tag, text, g_netif.name[0],
                g_netif.name[1], static_cast<unsigned>(g_netif.num));
    return false;
  }
  if (opts.udp) return exchange_udp(addr, to.port, text, to.address.is_v4(), deadline);
  fill(opts.bytes, static_cast<std::uint32_t>(index + 1));
  const std::uint64_t t0 = emsock::lwip_raw::now_ms();
  const emsock::status s = g_client.start(addr, to.port, emsock::const_byte_span{g_message, opts.bytes}, deadline);
  if (!s.ok()) {
    std::printf("%s: %s: failed: %s\n", tag, text, emsock::describe(s.code()));
    return false;
  }
  while (!g_client.done()) {
    poll_network();
    g_client.poll(emsock::lwip_raw::now_ms());
  }
  const emsock::echo_client_session& session = g_client.session();
  if (session.outcome() != emsock::echo_outcome::success || session.verified() != opts.bytes) {
    std::printf("%s: %s: failed: %s after %lu of %lu bytes verified\n", tag, text, emsock::name(session.outcome()),
                static_cast<unsigned long>(session.verified()), static_cast<unsigned long>(opts.bytes));
    return false;
  }
  std::printf("%s: %s: %lu bytes echoed and verified in %lu ms\n", tag, text, static_cast<unsigned long>(opts.bytes),
              static_cast<unsigned long>(emsock::lwip_raw::now_ms() - t0));
  return true;
}

}  // namespace

int main() {
  emsock::mps2::start_clock();
  static options opts;
  const int bad = parse_command_line(opts);
  if (bad != 0) return bad;
  if (!emsock_example::start_network(tag, g_nic, g_netif)) return 1;
  const std::uint32_t allocations_at_init = emsock::test::heap_allocations();
  std::size_t passed = 0;
  for (std::size_t i = 0; i < opts.count; ++i) {
    if (exchange(opts.endpoints[i], i, opts)) ++passed;
  }
  const std::uint32_t allocations = emsock::test::heap_allocations() - allocations_at_init;
  const bool ok = passed == opts.count && allocations == 0;
  std::printf("%s: %s: %lu of %lu endpoints, heap=%lu\n", tag, ok ? "OK" : "FAILED", static_cast<unsigned long>(passed),
              static_cast<unsigned long>(opts.count), static_cast<unsigned long>(allocations));
  return ok ? 0 : 1;
}
