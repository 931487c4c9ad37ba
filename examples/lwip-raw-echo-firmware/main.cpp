// SPDX-License-Identifier: MIT
// lwip-raw-echo-firmware: lwIP (NO_SYS=1) on bare metal with its loopback netif, emsock's socket
// interface over the raw API (the lwip-raw backend), port/common's echo engine (emsock::echo_server<>)
// and clients (the core's emsock::echo_client_session over non-blocking tcp_stream) over 127.0.0.1 in
// one image and one main loop. Every byte is verified; the exit status (QEMU's, via semihosting) is 0
// only when every exchange succeeded, the server finished every session, and nothing was allocated
// from the heap meanwhile.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>

#include "emsock/echo_client_session.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/port.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

// The proof of "no heap while echoing": emsock::test::heap_allocations() counts every allocation from
// newlib's heap (emsock_newlib_heap_count). Only the C library's stdio may allocate.

namespace {
constexpr std::uint16_t echo_port = 7;
constexpr std::size_t clients = 8;
constexpr std::size_t rounds = 2;  // the second round reuses the server's slots
constexpr std::size_t sizes[clients] = {1, 100, 536, 1000, 2048, 4095, 7777, 16384};
constexpr std::size_t max_size = 16384;
constexpr std::uint64_t deadline_ms = 20000;

std::uint8_t g_messages[clients][max_size];
std::uint8_t g_scratch[2048];                // what one recv() takes
emsock::echo_server<clients, 512> g_server;  // 512-byte sessions: backpressure, wrap
emsock::tcp_stream g_streams[clients];

void fill(std::uint8_t* out, std::size_t n, std::uint32_t seed) {
  std::uint32_t x = seed * 2654435761u + 1u;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::uint8_t>(x >> 24);
  }
}

/// The one hook: deliver what the loopback netif queued, run lwIP's timers (never sleeps: the clients
/// are in the same loop).
void drive(void*, emsock::milliseconds) {
  netif_poll_all();
  sys_check_timeouts();
}

/// One step of a client: our FIN when the session asks for it, then what can be read and sent now.
void step(emsock::tcp_stream& stream, emsock::echo_client_session& s, bool& fin_sent) {
  if (s.interest().shutdown_write && !fin_sent) {
    fin_sent = true;
    if (const emsock::status fin = stream.shutdown(emsock::shutdown_how::write); !fin) (void)s.on_error(fin.code());
  }
  for (int i = 0; i < 16 && !s.done(); ++i) {
    const emsock::result<std::size_t> r = stream.recv(g_scratch, sizeof g_scratch);
    if (!r) {
      if (r.code() != emsock::errc::would_block) (void)s.on_error(r.code());
      break;
    }
    if (*r == 0) {
      (void)s.on_peer_closed();
      break;
    }
    (void)s.on_received({g_scratch, *r});
  }
  for (int i = 0; i < 16 && !s.done(); ++i) {
    const emsock::const_byte_span pending = s.pending_send();
    if (pending.empty()) break;
    const emsock::result<std::size_t> r = stream.send(pending.data, pending.size);
    if (!r) {
      if (r.code() != emsock::errc::would_block) (void)s.on_error(r.code());
      break;
    }
    (void)s.on_sent(*r);
  }
  s.on_tick(emsock::monotonic_ms());
}

int fail(const char* what, emsock::errc e) {
  std::printf("lwip-raw-echo: %s: %s\nlwip-raw-echo: FAILED\n", what, emsock::describe(e));
  return 1;
}
}  // namespace

int main() {
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
  lwip_init();                  // adds the loopback netif 127.0.0.1 (LWIP_HAVE_LOOPIF), up
  emsock::lwip_raw::set_drive_hook(drive, nullptr);
  const std::uint64_t t0 = emsock::monotonic_ms();
  emsock::echo_server_options o;
  o.bind = {emsock::ipv4_address::loopback(), echo_port};
  o.idle_timeout = emsock::milliseconds{10000};
  if (const emsock::status opened = g_server.open(o); !opened) return fail("listen", opened.code());
  const std::uint32_t allocations_before = emsock::test::heap_allocations();

  int failures = 0;
  std::uint64_t bytes = 0;
  for (std::size_t round = 0; round < rounds; ++round) {
    const std::uint64_t deadline = emsock::monotonic_ms() + deadline_ms;
    alignas(emsock::echo_client_session) unsigned char space[clients][sizeof(emsock::echo_client_session)];
    emsock::echo_client_session* sessions[clients];
    bool fin_sent[clients] = {};
    for (std::size_t i = 0; i < clients; ++i) {
      fill(g_messages[i], sizes[i], static_cast<std::uint32_t>(round * clients + i + 1));
      sessions[i] = new (space[i]) emsock::echo_client_session({g_messages[i], sizes[i]}, deadline, true);
      // One connection at a time, each accepted by the server before the next: the listener's accept
      // queue is bounded.
      auto stream = emsock::tcp_stream::connect(g_server.local_endpoint(), emsock::milliseconds{2000});
      if (!stream) return fail("connect", stream.code());
      g_streams[i] = std::move(*stream);
      if (const emsock::status nb = g_streams[i].set_non_blocking(true); !nb) return fail("non-blocking", nb.code());
      (void)g_server.run_once(emsock::milliseconds{0});
    }
    for (;;) {
      (void)g_server.run_once(emsock::milliseconds{0});  // the stack runs through the hook meanwhile
      bool all_done = true;
      for (std::size_t i = 0; i < clients; ++i) {
        if (!sessions[i]->done()) step(g_streams[i], *sessions[i], fin_sent[i]);
        all_done = all_done && sessions[i]->done();
      }
      if (all_done && g_server.active() == 0) break;
      if (emsock::monotonic_ms() > deadline + 1000) {
        std::printf("lwip-raw-echo: round %u did not end (server holds %u connections)\n",
                    static_cast<unsigned>(round), static_cast<unsigned>(g_server.active()));
        return 1;
      }
    }
    for (std::size_t i = 0; i < clients; ++i) {
      const emsock::echo_client_session& s = *sessions[i];
      if (s.outcome() != emsock::echo_outcome::success || s.verified() != sizes[i]) {
        ++failures;
        std::printf("lwip-raw-echo: round %u client %u: %s after %u of %u bytes verified\n",
                    static_cast<unsigned>(round), static_cast<unsigned>(i), emsock::name(s.outcome()),
                    static_cast<unsigned>(s.verified()), static_cast<unsigned>(sizes[i]));
      }
      bytes += s.verified();
      (void)g_streams[i].close();
    }
  }
  const std::uint64_t elapsed = emsock::monotonic_ms() - t0;
  const std::uint32_t allocations = emsock::test::heap_allocations() - allocations_before;
  const emsock::echo_server_stats& st = g_server.stats();
  const std::uint64_t failed = st.timed_out + st.reset + st.failed + st.setup_failed;
  const bool server_ok = st.accepted == clients * rounds && st.finished == clients * rounds && failed == 0 &&
                         st.rejected == 0 && st.bytes == bytes;
  std::printf("lwip-raw-echo: %u connections, %lu bytes echoed and verified over lwIP %s loopback "
              "(NO_SYS=1, lwip-raw backend) in %lu ms; server: %u accepted, %u finished, %u failed, %u rejected\n",
              static_cast<unsigned>(clients * rounds), static_cast<unsigned long>(bytes), LWIP_VERSION_STRING,
              static_cast<unsigned long>(elapsed), static_cast<unsigned>(st.accepted),
              static_cast<unsigned>(st.finished), static_cast<unsigned>(failed), static_cast<unsigned>(st.rejected));
  std::printf("lwip-raw-echo: heap allocations while echoing: %u\n", static_cast<unsigned>(allocations));
  if (failures != 0 || !server_ok || allocations != 0) {
    std::printf("lwip-raw-echo: FAILED\n");
    return 1;
  }
  std::printf("lwip-raw-echo: OK\n");
  return 0;
}
