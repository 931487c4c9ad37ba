// SPDX-License-Identifier: MIT
// lwip-raw-echo-firmware: lwIP (NO_SYS=1) on bare metal with its loopback netif; an echo server
// (emsock::echo_session behind lwIP's raw TCP callbacks) and clients (emsock::echo_client_session)
// over 127.0.0.1 in one image. Every byte is verified; the exit status (QEMU's, via semihosting) is 0
// only when every exchange succeeded, the server finished every session, and nothing was allocated
// from the heap meanwhile.
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "emsock/lwip_raw/echo.hpp"
#include "emsock/mps2/board.hpp"
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
emsock::lwip_raw::echo_server<clients, 512> g_server(emsock::milliseconds{10000});  // 512-byte rings: backpressure, wrap
emsock::lwip_raw::echo_client g_clients[clients];

void fill(std::uint8_t* out, std::size_t n, std::uint32_t seed) {
  std::uint32_t x = seed * 2654435761u + 1u;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::uint8_t>(x >> 24);
  }
}
}  // namespace

int main() {
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
  lwip_init();  // adds the loopback netif 127.0.0.1 (LWIP_HAVE_LOOPIF), up
  const std::uint64_t t0 = emsock::lwip_raw::now_ms();
  const std::uint32_t allocations_before = emsock::test::heap_allocations();
  if (!g_server.listen(echo_port).ok()) {
    std::printf("lwip-raw-echo: listen failed\n");
    return 1;
  }
  ip_addr_t loopback;
  IP_ADDR4(&loopback, 127, 0, 0, 1);

  int failures = 0;
  std::uint64_t bytes = 0;
  for (std::size_t round = 0; round < rounds; ++round) {
    const std::uint64_t deadline = emsock::lwip_raw::now_ms() + deadline_ms;
    for (std::size_t i = 0; i < clients; ++i) {
      fill(g_messages[i], sizes[i], static_cast<std::uint32_t>(round * clients + i + 1));
      const emsock::const_byte_span message{g_messages[i], sizes[i]};
      if (!g_clients[i].start(loopback, echo_port, message, deadline).ok()) {
        std::printf("lwip-raw-echo: client %u: start failed\n", static_cast<unsigned>(i));
        return 1;
      }
    }
    for (;;) {
      netif_poll_all();
      sys_check_timeouts();
      const std::uint64_t now = emsock::lwip_raw::now_ms();
      g_server.poll(now);
      bool all_done = true;
      for (auto& c : g_clients) {
        c.poll(now);
        all_done = all_done && c.done();
      }
      if (all_done && g_server.active() == 0) break;
      if (now > deadline + 1000) {
        std::printf("lwip-raw-echo: round %u did not end (server holds %u connections)\n",
                    static_cast<unsigned>(round), static_cast<unsigned>(g_server.active()));
        return 1;
      }
    }
    for (std::size_t i = 0; i < clients; ++i) {
      const emsock::echo_client_session& s = g_clients[i].session();
      if (s.outcome() != emsock::echo_outcome::success || s.verified() != sizes[i]) {
        ++failures;
        std::printf("lwip-raw-echo: round %u client %u: %s after %u of %u bytes verified\n",
                    static_cast<unsigned>(round), static_cast<unsigned>(i), emsock::name(s.outcome()),
                    static_cast<unsigned>(s.verified()), static_cast<unsigned>(sizes[i]));
      }
      bytes += s.verified();
    }
  }
  const std::uint64_t elapsed = emsock::lwip_raw::now_ms() - t0;
  const std::uint32_t allocations = emsock::test::heap_allocations() - allocations_before;
  const emsock::lwip_raw::server_stats& st = g_server.stats();
  const bool server_ok = st.accepted == clients * rounds && st.finished == clients * rounds &&
                         st.failed == 0 && st.refused == 0 && st.bytes == bytes;
  std::printf("lwip-raw-echo: %u connections, %lu bytes echoed and verified over lwIP %s loopback "
              "(NO_SYS=1, raw API) in %lu ms; server: %u accepted, %u finished, %u failed, %u refused\n",
              static_cast<unsigned>(clients * rounds), static_cast<unsigned long>(bytes),
              LWIP_VERSION_STRING, static_cast<unsigned long>(elapsed), static_cast<unsigned>(st.accepted),
              static_cast<unsigned>(st.finished), static_cast<unsigned>(st.failed),
              static_cast<unsigned>(st.refused));
  std::printf("lwip-raw-echo: heap allocations while echoing: %u\n", static_cast<unsigned>(allocations));
  if (failures != 0 || !server_ok || allocations != 0) {
    std::printf("lwip-raw-echo: FAILED\n");
    return 1;
  }
  std::printf("lwip-raw-echo: OK\n");
  return 0;
}
