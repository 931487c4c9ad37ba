// SPDX-License-Identifier: MIT
// emsock-echo-client-firmware: an echo client board. The core's echo_client_session and
// datagram_echo_client over emsock's socket interface (tcp_stream, udp_socket, poll) on the lwip-raw
// backend, on the emulated LAN9118 of QEMU's mps2-an385 / mps2-an386; the client half of the two-board
// tests (ctest firmware-two-boards, firmware-two-boards-udp), against emsock-echo-firmware.
//
// Command line (semihosting: qemu-system-arm -semihosting-config enable=on,arg=<program>,arg=...):
//   emsock-echo-client-firmware [--udp] [--bytes N] [--timeout-ms N] ENDPOINT...
//   ENDPOINT  a.b.c.d:port or [fe80::...%en0]:port (emsock::endpoint::parse); the zone of a link-local
//             IPv6 address names this board's own netif (lwIP's name and number, "en0")
//   --bytes   bytes per exchange, 1 to 65536 (default 65536)
//   --timeout-ms  per endpoint, waiting for an address of its family included (default 60000)
//   --udp     UDP echo instead of TCP (emsock::datagram_echo_client over a udp_socket): to each endpoint, 8 datagrams
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
#include "emsock/datagram_echo.hpp"
#include "emsock/echo_client_session.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/poll.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/port/udp.hpp"
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
std::uint8_t g_message[max_bytes];
std::uint8_t g_scratch[2048];  // what one recv() takes
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

/// The backend's hook (and the wait for an address): frames from the NIC, lwIP's timers, the address
/// lines, and a sleep until the next frame or 1 ms tick when the wait allows one.
void drive(void*, emsock::milliseconds may_sleep) {
  const std::size_t frames = g_nic.poll(g_netif);
  sys_check_timeouts();
  g_addresses.poll(tag, g_netif);
  if (frames == 0 && may_sleep.count() > 0) emsock_example::idle(g_nic);
}

std::uint64_t now_ms() { return emsock::monotonic_ms(); }

/// Waits until the socket is ready as asked, at most until `at` (and 1 s): the stack runs meanwhile.
emsock::status wait_for(emsock::native_handle_type handle, bool read, bool write, std::uint64_t at,
                        emsock::poll_entry& e) {
  e = emsock::poll_entry{};
  e.handle = handle;
  e.want_read = read;
  e.want_write = write;
  const std::uint64_t now = now_ms();
  const std::uint64_t left = at <= now ? 0 : (at - now < 1000 ? at - now : 1000);
  const emsock::result<std::size_t> ready = emsock::poll(&e, 1, emsock::milliseconds{static_cast<int>(left)});
  return ready ? emsock::status{} : emsock::status{ready.code()};
}

/// Whether the board has a usable source address for the family.
bool has_address(const emsock::ip_address& a) {
  if (a.is_v4()) return !ip4_addr_isany_val(*netif_ip4_addr(&g_netif));
  return ip6_addr_isvalid(netif_ip6_addr_state(&g_netif, 0)) != 0;  // 0: the link-local address
}

/// One run of `count` datagrams of `size` bytes, stop-and-wait: the client's outcome.
void run_udp(emsock::udp_socket& sock, emsock::datagram_echo_client_base& c) {
  while (!c.done()) {
    emsock::poll_entry e;
    const emsock::status waited = wait_for(sock.native_handle(), true, c.interest().write, c.poll_at(), e);
    if (!waited) {
      (void)c.on_error(waited.code());
      break;
    }
    if (e.readable || e.error) {
      for (int i = 0; i < 16 && !c.done(); ++i) {
        const emsock::udp_recv_result r = sock.recv(g_scratch, sizeof g_scratch);
        if (r.code() == emsock::errc::would_block) break;
        if (!r.received()) {
          (void)c.on_error(r.code());
          break;
        }
        (void)c.on_received({g_scratch, r.size}, now_ms());
      }
    }
    if (e.writable && !c.done()) {
      const emsock::const_byte_span p = c.pending_send();
      if (!p.empty()) {
        const emsock::status sent = sock.send(p.data, p.size);
        if (sent) (void)c.on_sent(now_ms());
        else if (sent.code() != emsock::errc::would_block) (void)c.on_error(sent.code());
      }
    }
    c.on_tick(now_ms());
  }
}

/// UDP echo runs of every size against `to` (--udp): true when every datagram of every run came back
/// once, byte-exact, before the endpoint's deadline.
bool exchange_udp(const emsock::endpoint& to, const char* text, std::uint64_t deadline) {
  const bool v4 = to.address.is_v4();
  const std::size_t sizes[] = {emsock::datagram_echo_client_base::header_size, 64, 512, 1024,
                               v4 ? udp_max_size : udp_max_size - 20};  // IPv6's header is 20 bytes longer
  constexpr std::uint32_t count = 8;
  const emsock::endpoint local{v4 ? emsock::ip_address{emsock::ipv4_address::any()}
                                  : emsock::ip_address{emsock::ipv6_address::any()}, 0};
  emsock::result<emsock::udp_socket> opened = emsock::udp_socket::open(local);
  emsock::status st = opened ? emsock::status{} : emsock::status{opened.code()};
  emsock::udp_socket sock;
  if (opened) {
    sock = std::move(opened).value();
    st = sock.connect(to);
    if (st) st = sock.set_non_blocking(true);
  }
  if (!st) {
    std::printf("%s: %s: udp failed: %s\n", tag, text, emsock::describe(st.code()));
    return false;
  }
  for (std::size_t size : sizes) {
    emsock::datagram_echo_client_config config;
    config.count = count;
    config.size = size;
    config.timeout = emsock::milliseconds{500};
    config.retries = 3;
    config.window = 1;
    const std::uint64_t t0 = now_ms();
    emsock::datagram_echo_client<udp_max_size, 1> c(config, t0);  // about 3 KB of the 16 KB main stack
    run_udp(sock, c);
    if (c.outcome() != emsock::datagram_echo_outcome::all_echoed || c.stats().echoed != count) {
      std::printf("%s: %s: udp failed: %lu-byte datagrams: %s, %lu of %lu echoed\n", tag, text,
                  static_cast<unsigned long>(size), emsock::name(c.outcome()),
                  static_cast<unsigned long>(c.stats().echoed), static_cast<unsigned long>(count));
      return false;
    }
    if (now_ms() > deadline) {
      std::printf("%s: %s: udp failed: %lu-byte datagrams not done by the deadline\n", tag, text,
                  static_cast<unsigned long>(size));
      return false;
    }
    std::printf("%s: %s: udp %lu datagrams of %lu bytes echoed and verified in %lu ms\n", tag, text,
                static_cast<unsigned long>(count), static_cast<unsigned long>(size),
                static_cast<unsigned long>(now_ms() - t0));
  }
  return true;
}

/// Reads what is there into the session (at most 16 calls), or ends it on the peer's FIN or an error.
void receive(emsock::tcp_stream& stream, emsock::echo_client_session& s) {
  for (int i = 0; i < 16 && !s.done(); ++i) {
    const emsock::result<std::size_t> r = stream.recv(g_scratch, sizeof g_scratch);
    if (!r) {
      if (r.code() != emsock::errc::would_block) (void)s.on_error(r.code());
      return;
    }
    if (*r == 0) {
      (void)s.on_peer_closed();
      return;
    }
    (void)s.on_received({g_scratch, *r});
  }
}

/// Sends what the session has pending (at most 16 calls); a peer that is gone is read first.
void send(emsock::tcp_stream& stream, emsock::echo_client_session& s) {
  for (int i = 0; i < 16 && !s.done(); ++i) {
    const emsock::const_byte_span pending = s.pending_send();
    if (pending.empty()) return;
    const emsock::result<std::size_t> r = stream.send(pending.data, pending.size);
    if (!r) {
      if (r.code() == emsock::errc::would_block) return;
      receive(stream, s);
      if (!s.done()) (void)s.on_error(r.code());
      return;
    }
    (void)s.on_sent(*r);
  }
}

/// Our FIN once everything is sent: the server drains the rest of the echo and closes. A failure ends
/// the session (after reading what the peer sent, so that its clean close shows as such).
void send_fin(emsock::tcp_stream& stream, emsock::echo_client_session& s) {
  const emsock::status fin = stream.shutdown(emsock::shutdown_how::write);
  if (fin) return;
  receive(stream, s);
  if (!s.done()) (void)s.on_error(fin.code());
}

/// The TCP exchange with a connected stream: the session's outcome.
void run_tcp(emsock::tcp_stream& stream, emsock::echo_client_session& s) {
  if (const emsock::status nb = stream.set_non_blocking(true); !nb) (void)s.on_error(nb.code());
  bool fin_sent = false;
  while (!s.done()) {
    const emsock::echo_interest want = s.interest();
    if (want.shutdown_write && !fin_sent) {
      fin_sent = true;
      send_fin(stream, s);
      if (s.done()) break;
    }
    emsock::poll_entry e;
    const emsock::status waited = wait_for(stream.native_handle(), want.read, want.write, s.poll_at(), e);
    if (!waited) {
      (void)s.on_error(waited.code());
      break;
    }
    if (e.readable || e.hangup || e.error) receive(stream, s);
    if (e.writable) send(stream, s);
    s.on_tick(now_ms());
  }
}

/// One exchange with the endpoint: true when every byte came back.
bool exchange(const emsock::endpoint& to, std::size_t index, const options& opts) {
  char text[emsock::endpoint::max_text_len + 1] = {};
  static_cast<void>(to.to_chars(text, text + sizeof text - 1));
  const std::uint64_t start = now_ms();
  const std::uint64_t deadline = start + opts.timeout_ms;
  while (!has_address(to.address)) {
    if (now_ms() > deadline) {
      std::printf("%s: %s: failed: this board got no IPv%c address in %lu ms\n", tag, text,
                  to.address.is_v4() ? '4' : '6', static_cast<unsigned long>(opts.timeout_ms));
      return false;
    }
    drive(nullptr, emsock::milliseconds{1});
  }
  ip_addr_t addr;
  if (!emsock_example::to_lwip(to.address, addr)) {
    std::printf("%s: %s: failed: the zone must name this board's netif (%c%c%u)\n", tag, text, g_netif.name[0],
                g_netif.name[1], static_cast<unsigned>(g_netif.num));
    return false;
  }
  if (opts.udp) return exchange_udp(to, text, deadline);
  fill(opts.bytes, static_cast<std::uint32_t>(index + 1));
  const std::uint64_t t0 = now_ms();
  const std::uint64_t left = deadline > t0 ? deadline - t0 : 0;
  emsock::result<emsock::tcp_stream> c =
      emsock::tcp_stream::connect(to, emsock::milliseconds{static_cast<int>(left < 3600000u ? left : 3600000u)});
  if (!c) {
    std::printf("%s: %s: failed: %s\n", tag, text, emsock::describe(c.code()));
    return false;
  }
  emsock::tcp_stream stream = std::move(c).value();
  emsock::echo_client_session session(emsock::const_byte_span{g_message, opts.bytes}, deadline, true);
  run_tcp(stream, session);
  if (session.outcome() != emsock::echo_outcome::success || session.verified() != opts.bytes) {
    std::printf("%s: %s: failed: %s after %lu of %lu bytes verified\n", tag, text, emsock::name(session.outcome()),
                static_cast<unsigned long>(session.verified()), static_cast<unsigned long>(opts.bytes));
    return false;
  }
  std::printf("%s: %s: %lu bytes echoed and verified in %lu ms\n", tag, text, static_cast<unsigned long>(opts.bytes),
              static_cast<unsigned long>(now_ms() - t0));
  return true;
}

}  // namespace

int main() {
  emsock::mps2::start_clock();
  static options opts;
  const int bad = parse_command_line(opts);
  if (bad != 0) return bad;
  if (!emsock_example::start_network(tag, g_nic, g_netif)) return 1;
  emsock::lwip_raw::set_drive_hook(drive, nullptr);
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
