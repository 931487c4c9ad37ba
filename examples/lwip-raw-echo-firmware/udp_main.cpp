// SPDX-License-Identifier: MIT
// lwip-raw-udp-echo-firmware: lwIP (NO_SYS=1) on bare metal with its loopback netif, emsock's socket
// interface over the raw API (the lwip-raw backend), port/common's UDP echo engine
// (emsock::udp_echo_server<>) and the core's datagram echo client (emsock::datagram_echo_client over a
// non-blocking udp_socket) over 127.0.0.1 in one image and one main loop:
//   - every size from 0 to 1472 bytes (0..4 from a probe socket: below the client's header), each echo
//     verified byte-exact, none retried;
//   - a datagram longer than a server's queue: dropped and counted (too_large), nothing echoed;
//   - a burst of 64 datagrams, 32 in flight at once: every one comes back whole;
//   - a second server on the same port is refused (address_in_use), port 0 picks a port.
// The exit status (QEMU's, via semihosting) is 0 only when every check held and nothing was allocated
// from newlib's heap meanwhile (emsock_newlib_heap_count).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>

#include "emsock/datagram_echo.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/port.hpp"
#include "emsock/port/udp_echo_server.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

namespace {

using emsock::datagram_echo_client_config;
using emsock::milliseconds;

constexpr std::uint16_t echo_port = 7;
constexpr std::size_t max_size = 1472;  // the largest UDP payload in one Ethernet frame over IPv4
constexpr std::uint64_t run_deadline_ms = 20000;

emsock::udp_echo_server<4, 2048> g_server;
emsock::udp_echo_server<1, 64> g_other;  // port 0; its queue holds no datagram above 64 bytes
using client_type = emsock::datagram_echo_client<max_size, 32>;
alignas(client_type) unsigned char g_client_space[sizeof(client_type)];  // one run at a time, made by run()
client_type* g_client = nullptr;
emsock::udp_socket g_socket;  // the client's, connected to the server
emsock::udp_socket g_probe;   // datagrams below the client's header, and one too long for g_other
std::uint8_t g_scratch[max_size + 1];
int g_failures = 0;

void check(bool ok, const char* what, unsigned long a = 0, unsigned long b = 0) {
  if (ok) return;
  ++g_failures;
  std::printf("lwip-raw-udp-echo: FAILED: %s (%lu, %lu)\n", what, a, b);
}

/// The one hook: deliver what the loopback netif queued, run lwIP's timers (never sleeps: everything
/// is in this loop).
void drive(void*, milliseconds) {
  netif_poll_all();
  sys_check_timeouts();
}

void step_servers() {
  (void)g_server.run_once(milliseconds{0});  // the stack runs through the hook meanwhile
  (void)g_other.run_once(milliseconds{0});
}

/// Runs a client with `config` against the server to its end: its outcome is checked by the caller.
emsock::datagram_echo_client_base& run(const datagram_echo_client_config& config) {
  const std::uint64_t t0 = emsock::monotonic_ms();
  if (g_client != nullptr) g_client->~client_type();
  g_client = new (g_client_space) client_type(config, t0);
  client_type* c = g_client;
  const std::uint64_t deadline = t0 + run_deadline_ms;
  while (!c->done()) {
    step_servers();
    for (int i = 0; i < 16 && !c->done(); ++i) {
      const emsock::udp_recv_result r = g_socket.recv(g_scratch, sizeof g_scratch);
      if (r.code() == emsock::errc::would_block) break;
      if (!r.received()) {
        (void)c->on_error(r.code());
        break;
      }
      (void)c->on_received({g_scratch, r.size}, emsock::monotonic_ms());
    }
    for (int i = 0; i < 32 && !c->done(); ++i) {
      const emsock::const_byte_span p = c->pending_send();
      if (p.empty()) break;
      const emsock::status sent = g_socket.send(p.data, p.size);
      if (!sent) {
        if (sent.code() != emsock::errc::would_block) (void)c->on_error(sent.code());
        break;
      }
      (void)c->on_sent(emsock::monotonic_ms());
    }
    c->on_tick(emsock::monotonic_ms());
    if (emsock::monotonic_ms() > deadline) {
      check(false, "a run did not end in time", config.size, config.count);
      (void)c->on_error(emsock::errc::timed_out);
    }
  }
  return *c;
}

datagram_echo_client_config config_of(std::size_t size, std::uint32_t count, std::uint32_t window,
                                      std::uint8_t retries) {
  datagram_echo_client_config c;
  c.count = count;
  c.size = size;
  c.window = window;
  c.timeout = milliseconds{500};
  c.retries = retries;
  return c;
}

/// Sends `size` pattern bytes from the probe to `to`; true when exactly one reply of the same bytes
/// came back (expect_echo) or none at all (!expect_echo) within wait_ms.
bool probe(std::size_t size, const emsock::endpoint& to, bool expect_echo, std::uint64_t wait_ms) {
  std::uint8_t out[max_size];
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(0xA0u + i * 7u);
  if (!g_probe.send_to(out, size, to)) return false;
  std::uint32_t replies = 0;
  std::size_t reply_size = 0;
  bool same = true;
  const std::uint64_t until = emsock::monotonic_ms() + wait_ms;
  for (int rounds_after = 0; rounds_after < 4;) {
    step_servers();
    const emsock::udp_recv_result r = g_probe.recv_from(g_scratch, sizeof g_scratch);
    if (r.received()) {
      ++replies;
      reply_size = r.size;
      for (std::size_t k = 0; k < r.size && k < size; ++k)
        same = same && g_scratch[k] == static_cast<std::uint8_t>(0xA0u + k * 7u);
    }
    if ((expect_echo && replies > 0) || emsock::monotonic_ms() >= until) ++rounds_after;  // a second reply would show now
  }
  if (!expect_echo) return replies == 0;
  return replies == 1 && reply_size == size && same;
}

}  // namespace

int main() {
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
  lwip_init();                  // adds the loopback netif 127.0.0.1 (LWIP_HAVE_LOOPIF), up
  emsock::lwip_raw::set_drive_hook(drive, nullptr);
  const std::uint64_t t0 = emsock::monotonic_ms();
  const emsock::endpoint server_at{emsock::ipv4_address::loopback(), echo_port};

  emsock::udp_echo_server_options o;
  o.bind = server_at;
  check(g_server.open(o).ok(), "open");
  check(g_server.local_endpoint().port == echo_port, "port", g_server.local_endpoint().port, echo_port);
  emsock::udp_echo_server<1, 64> same_port;
  const emsock::status twice = same_port.open(o);
  check(twice.code() == emsock::errc::address_in_use, "a second server on the port is address_in_use",
        static_cast<unsigned long>(twice.code()), 0);
  o.bind.port = 0;
  check(g_other.open(o).ok() && g_other.local_endpoint().port != 0, "port 0 picks a port", g_other.local_endpoint().port);

  auto client = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 0});
  auto probe_socket = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 0});
  if (!client || !probe_socket) {
    std::printf("lwip-raw-udp-echo: udp open failed\nlwip-raw-udp-echo: FAILED\n");
    return 1;
  }
  g_socket = std::move(*client);
  g_probe = std::move(*probe_socket);
  check(g_socket.connect(server_at).ok() && g_socket.set_non_blocking(true).ok() &&
            g_probe.set_non_blocking(true).ok(), "client sockets");
  const std::uint32_t allocations_before = emsock::test::heap_allocations();

  // Every size: 0..4 from the probe, the rest through the client, one datagram each, no retry.
  std::uint64_t datagrams = 0, bytes = 0;
  for (std::size_t size = 0; size < emsock::datagram_echo_client_base::header_size; ++size) {
    check(probe(size, server_at, true, 2000), "a datagram below the header comes back once", size);
    ++datagrams;
    bytes += size;
  }
  for (std::size_t size = emsock::datagram_echo_client_base::header_size; size <= max_size; ++size) {
    const emsock::datagram_echo_client_base& c = run(config_of(size, 1, 1, 0));
    check(c.outcome() == emsock::datagram_echo_outcome::all_echoed && c.stats().retries == 0,
          "a datagram comes back at once, verified", size, static_cast<unsigned long>(c.stats().retries));
    ++datagrams;
    bytes += size;
  }

  // Too long for g_other's queue: dropped and counted, nothing echoed.
  check(probe(100, g_other.local_endpoint(), false, 200), "too long a datagram is not echoed");
  check(g_other.stats().dropped.too_large == 1, "too long a datagram is counted",
        static_cast<unsigned long>(g_other.stats().dropped.too_large), 1);

  // A burst: 64 datagrams of 512 bytes, 32 awaiting their echo at once.
  const emsock::datagram_echo_client_base& burst = run(config_of(512, 64, 32, 2));
  check(burst.succeeded() && burst.stats().echoed == 64, "burst: every datagram comes back",
        burst.stats().echoed, 64);
  datagrams += burst.stats().echoed;
  bytes += 512u * burst.stats().echoed;

  const emsock::datagram_echo_stats& st = g_server.stats();
  check(st.received == st.echoed + st.dropped.total() + g_server.queued(), "the server's count adds up",
        static_cast<unsigned long>(st.received), static_cast<unsigned long>(st.echoed));
  g_server.close();
  g_other.close();
  const std::uint32_t allocations = emsock::test::heap_allocations() - allocations_before;
  const std::uint64_t elapsed = emsock::monotonic_ms() - t0;
  std::printf("lwip-raw-udp-echo: sizes 0..%u and a burst: %lu datagrams, %lu bytes echoed and verified over lwIP %s "
              "loopback (NO_SYS=1, lwip-raw backend) in %lu ms\n",
              static_cast<unsigned>(max_size), static_cast<unsigned long>(datagrams), static_cast<unsigned long>(bytes),
              LWIP_VERSION_STRING, static_cast<unsigned long>(elapsed));
  std::printf("lwip-raw-udp-echo: server: received=%lu echoed=%lu dropped=%lu\n",
              static_cast<unsigned long>(st.received), static_cast<unsigned long>(st.echoed),
              static_cast<unsigned long>(st.dropped.total()));
  std::printf("lwip-raw-udp-echo: heap allocations while echoing: %u\n", static_cast<unsigned>(allocations));
  check(allocations == 0, "no heap allocations", allocations, 0);
  if (g_failures != 0) {
    std::printf("lwip-raw-udp-echo: FAILED\n");
    return 1;
  }
  std::printf("lwip-raw-udp-echo: OK\n");
  return 0;
}
