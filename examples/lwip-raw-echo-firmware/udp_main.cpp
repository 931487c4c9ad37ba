// SPDX-License-Identifier: MIT
// lwip-raw-udp-echo-firmware: lwIP (NO_SYS=1) on bare metal with its loopback netif; emsock's UDP echo
// server (emsock::datagram_echo_session behind lwIP's udp_recv/udp_sendto) and echo client
// (emsock::datagram_echo_client_base) over 127.0.0.1 in one image:
//   - every size from 0 to 1472 bytes (0..4 from a probe pcb of this file: below the client's header),
//     each echo verified byte-exact, none retried;
//   - a datagram longer than the server's queue: dropped and counted, nothing echoed;
//   - two bursts beyond the queue while lwIP has no pool pbuf (this image holds them all): the queue
//     keeps what fits (by records, then by bytes), the rest is dropped and counted, the client retries
//     exactly the dropped ones, and every datagram comes back whole;
//   - a client send while there is no pbuf waits for poll();
//   - a second server on the same port is refused (address_in_use), port 0 picks a port.
// The exit status (QEMU's, via semihosting) is 0 only when every check held and nothing was allocated
// from newlib's heap meanwhile (emsock_newlib_heap_count).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "emsock/lwip_raw/echo.hpp"
#include "emsock/lwip_raw/udp_echo.hpp"
#include "emsock/mps2/board.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
}

namespace {

using emsock::datagram_echo_client_config;
using emsock::datagram_echo_outcome;
using emsock::milliseconds;

constexpr std::uint16_t echo_port = 7;
constexpr std::size_t queue_datagrams = 4;
constexpr std::size_t queue_bytes = 2048;
constexpr std::size_t max_size = 1472;  // the largest UDP payload in one Ethernet frame over IPv4
constexpr std::uint64_t run_deadline_ms = 20000;

emsock::lwip_raw::udp_echo_server<queue_datagrams, queue_bytes> g_server;
emsock::lwip_raw::udp_echo_server<1, 64> g_other;
emsock::lwip_raw::udp_echo_client<max_size, 32> g_client;
ip_addr_t g_loopback;
int g_failures = 0;

void check(bool ok, const char* what, unsigned long a = 0, unsigned long b = 0) {
  if (ok) return;
  ++g_failures;
  std::printf("lwip-raw-udp-echo: FAILED: %s (%lu, %lu)\n", what, a, b);
}

void step(std::uint64_t now) {
  netif_poll_all();
  sys_check_timeouts();
  g_server.poll(now);
  g_client.poll(now);
}

// --- lwIP's pool, held to make "no pbuf" happen -----------------------------------------------------

pbuf* g_held[PBUF_POOL_SIZE];
std::size_t g_held_count = 0;

void hold_pool() {
  while (g_held_count < PBUF_POOL_SIZE) {
    pbuf* p = pbuf_alloc(PBUF_RAW, 1, PBUF_POOL);
    if (p == nullptr) break;
    g_held[g_held_count++] = p;
  }
}

void release_pool() {
  while (g_held_count > 0) pbuf_free(g_held[--g_held_count]);
}

// --- a client run --------------------------------------------------------------------------------------

/// Runs the client to its end. Returns false (and counts a failure) if it does not end in time.
bool finish_run(const char* what) {
  const std::uint64_t deadline = emsock::lwip_raw::now_ms() + run_deadline_ms;
  while (!g_client.done()) {
    const std::uint64_t now = emsock::lwip_raw::now_ms();
    step(now);
    if (now > deadline) {
      check(false, what, 0, 0);
      g_client.cancel();
      return false;
    }
  }
  return true;
}

datagram_echo_client_config config_of(std::size_t size, std::uint32_t count, std::uint32_t window,
                                      milliseconds timeout) {
  datagram_echo_client_config c;
  c.count = count;
  c.size = size;
  c.window = window;
  c.timeout = timeout;
  c.retries = 2;
  return c;
}

// --- the probe: datagrams below the client's header size, and one too long for the queue --------------

udp_pcb* g_probe = nullptr;
std::uint8_t g_probe_reply[8];
std::size_t g_probe_reply_size = 0;
std::uint32_t g_probe_replies = 0;

void on_probe(void*, udp_pcb*, pbuf* p, const ip_addr_t*, std::uint16_t) {
  if (p == nullptr) return;
  ++g_probe_replies;
  g_probe_reply_size = p->tot_len;
  const std::uint16_t n = p->tot_len < sizeof g_probe_reply ? p->tot_len : sizeof g_probe_reply;
  static_cast<void>(pbuf_copy_partial(p, g_probe_reply, n, 0));
  pbuf_free(p);
}

/// Sends `size` pattern bytes from the probe; true when exactly one reply of the same bytes came back
/// (expect_echo) or none at all (!expect_echo) within `wait_ms`.
bool probe(std::size_t size, bool expect_echo, std::uint64_t wait_ms) {
  pbuf* p = pbuf_alloc(PBUF_TRANSPORT, static_cast<std::uint16_t>(size), PBUF_RAM);
  if (p == nullptr) return false;
  std::size_t i = 0;
  for (pbuf* q = p; q != nullptr; q = q->next) {
    auto* bytes = static_cast<std::uint8_t*>(q->payload);
    for (std::size_t k = 0; k < q->len; ++k, ++i) bytes[k] = static_cast<std::uint8_t>(0xA0u + i * 7u);
  }
  g_probe_replies = 0;
  g_probe_reply_size = 0;
  const err_t err = udp_sendto(g_probe, p, &g_loopback, echo_port);
  pbuf_free(p);
  if (err != ERR_OK) return false;
  const std::uint64_t until = emsock::lwip_raw::now_ms() + wait_ms;
  while (emsock::lwip_raw::now_ms() < until && !(expect_echo && g_probe_replies > 0)) {
    step(emsock::lwip_raw::now_ms());
  }
  for (int k = 0; k < 4; ++k) step(emsock::lwip_raw::now_ms());  // a second reply would show now
  if (!expect_echo) return g_probe_replies == 0;
  if (g_probe_replies != 1 || g_probe_reply_size != size) return false;
  for (std::size_t k = 0; k < size && k < sizeof g_probe_reply; ++k) {
    if (g_probe_reply[k] != static_cast<std::uint8_t>(0xA0u + k * 7u)) return false;
  }
  return true;
}

// --- the bursts -------------------------------------------------------------------------------------------

/// `count` datagrams of `size` bytes sent at once while this image holds every pool pbuf: the server
/// must queue `kept` of them and drop the rest for `reason`; then the pool is released and the client
/// must get every datagram back, retrying exactly the dropped ones.
void burst(const char* what, std::size_t size, std::uint32_t count, std::uint32_t kept,
           emsock::datagram_drop reason) {
  const emsock::datagram_echo_stats before = g_server.session().stats();
  const std::uint64_t deferred_before = g_server.stats().deferred;
  const std::uint64_t now = emsock::lwip_raw::now_ms();
  if (!g_client.start(g_loopback, echo_port, config_of(size, count, count, milliseconds{100}), now).ok()) {
    check(false, what, 0, 0);
    return;
  }
  const emsock::datagram_echo_client_base& run = *g_client.session();
  check(run.stats().sent == count, "burst: every datagram sent at start",
        static_cast<unsigned long>(run.stats().sent), count);
  hold_pool();
  netif_poll_all();  // delivers the burst: the server finds no pbuf to echo with
  const emsock::datagram_echo_stats& s = g_server.session().stats();
  const std::uint32_t dropped = count - kept;
  check(s.received - before.received == count, "burst: every datagram reached the server",
        static_cast<unsigned long>(s.received - before.received), count);
  check(g_server.session().queued() == kept, "burst: the queue kept what fits",
        static_cast<unsigned long>(g_server.session().queued()), kept);
  check(s.dropped.total() - before.dropped.total() == dropped, "burst: the rest dropped",
        static_cast<unsigned long>(s.dropped.total() - before.dropped.total()), dropped);
  const std::uint64_t by_reason = reason == emsock::datagram_drop::no_record
                                      ? s.dropped.no_record - before.dropped.no_record
                                      : s.dropped.no_bytes - before.dropped.no_bytes;
  check(by_reason == dropped, "burst: dropped for the expected reason", static_cast<unsigned long>(by_reason),
        dropped);
  check(s.dropped_bytes - before.dropped_bytes == dropped * size, "burst: whole datagrams dropped",
        static_cast<unsigned long>(s.dropped_bytes - before.dropped_bytes), dropped * size);
  check(g_server.stats().deferred > deferred_before, "burst: echoes deferred for want of a pbuf", 0, 0);
  step(emsock::lwip_raw::now_ms());  // still no pbuf: poll() keeps them queued
  check(g_server.session().queued() == kept && s.echoed == before.echoed, "burst: nothing echoed without a pbuf",
        static_cast<unsigned long>(s.echoed - before.echoed), 0);
  release_pool();
  if (!finish_run(what)) return;
  const emsock::datagram_echo_client_stats& c = run.stats();
  check(run.outcome() == datagram_echo_outcome::all_echoed, "burst: every datagram came back once, whole",
        static_cast<unsigned long>(run.outcome()), 0);
  check(c.echoed == count && c.lost == 0 && c.mismatched() == 0 && c.duplicates == 0,
        "burst: echoed / lost+mismatched+duplicates", c.echoed,
        static_cast<unsigned long>(c.lost + c.mismatched() + c.duplicates));
  check(c.retries == dropped, "burst: exactly the dropped datagrams retried", static_cast<unsigned long>(c.retries),
        dropped);
  check(g_server.session().queued() == 0, "burst: queue drained", g_server.session().queued(), 0);
}

}  // namespace

int main() {
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
  lwip_init();  // adds the loopback netif 127.0.0.1 (LWIP_HAVE_LOOPIF), up
  IP_ADDR4(&g_loopback, 127, 0, 0, 1);
  const std::uint64_t t0 = emsock::lwip_raw::now_ms();
  const std::uint32_t allocations_before = emsock::test::heap_allocations();

  check(g_server.open(echo_port).ok(), "open", 0, 0);
  check(g_server.port() == echo_port, "port", g_server.port(), echo_port);
  check(g_server.open(echo_port).code() == emsock::errc::invalid_argument, "open twice", 0, 0);
  check(g_other.open(echo_port).code() == emsock::errc::address_in_use, "second server on the port", 0, 0);
  check(g_other.open(0).ok() && g_other.port() != 0 && g_other.port() != echo_port, "port 0 picks one",
        g_other.port(), 0);
  g_other.close();
  check(!g_other.is_open() && g_other.port() == 0, "close", 0, 0);
  g_probe = udp_new();
  check(g_probe != nullptr && udp_bind(g_probe, IP_ADDR_ANY, 0) == ERR_OK, "probe pcb", 0, 0);
  if (g_failures != 0) return 1;
  udp_recv(g_probe, &on_probe, nullptr);

  // Sizes 0..4 from the probe, 5..1472 from the echo client: each echoed once, byte-exact.
  std::uint64_t datagrams = 0;
  std::uint64_t bytes = 0;
  for (std::size_t size = 0; size < emsock::datagram_echo_client_base::header_size; ++size) {
    check(probe(size, true, 2000), "probe echo of a short datagram", static_cast<unsigned long>(size), 0);
    ++datagrams;
    bytes += size;
  }
  for (std::size_t size = emsock::datagram_echo_client_base::header_size; size <= max_size; ++size) {
    if (!g_client.start(g_loopback, echo_port, config_of(size, 1, 1, milliseconds{1000}),
                        emsock::lwip_raw::now_ms()).ok()) {
      check(false, "client start", static_cast<unsigned long>(size), 0);
      break;
    }
    if (!finish_run("size sweep: run did not end")) break;
    const emsock::datagram_echo_client_base& run = *g_client.session();
    if (run.outcome() != datagram_echo_outcome::all_echoed || run.stats().retries != 0) {
      check(false, "size sweep: echoed once without a retry", static_cast<unsigned long>(size),
            static_cast<unsigned long>(run.outcome()));
    }
    datagrams += run.stats().echoed;
    bytes += size * run.stats().echoed;
  }
  const emsock::datagram_echo_stats sweep = g_server.session().stats();
  check(sweep.echoed == datagrams && sweep.echoed_bytes == bytes && sweep.dropped.total() == 0,
        "size sweep: the server echoed every datagram", static_cast<unsigned long>(sweep.echoed),
        static_cast<unsigned long>(datagrams));

  // Longer than the whole queue: dropped (too_large), nothing comes back.
  check(probe(queue_bytes + 1, false, 200), "too long a datagram is not echoed", 0, 0);
  check(g_server.session().stats().dropped.too_large == 1, "too long a datagram is counted",
        static_cast<unsigned long>(g_server.session().stats().dropped.too_large), 1);

  // Beyond the queue while lwIP has no pbuf: 16 x 256 bytes fill the 4 records; 6 x 700 the 2048 bytes.
  burst("burst by records", 256, 16, queue_datagrams, emsock::datagram_drop::no_record);
  burst("burst by bytes", 700, 6, 2, emsock::datagram_drop::no_bytes);

  // A client send without a pbuf waits for poll().
  hold_pool();
  const bool started = g_client.start(g_loopback, echo_port, config_of(100, 1, 1, milliseconds{1000}),
                                      emsock::lwip_raw::now_ms()).ok();
  check(started && g_client.session()->stats().sent == 0 && g_client.stats().deferred == 1,
        "client send deferred without a pbuf", 
        static_cast<unsigned long>(started ? g_client.stats().deferred : 0), 1);
  release_pool();
  if (started && finish_run("deferred client run did not end")) {
    check(g_client.session()->outcome() == datagram_echo_outcome::all_echoed, "deferred client run echoed",
          static_cast<unsigned long>(g_client.session()->outcome()), 0);
  }

  const emsock::datagram_echo_stats& st = g_server.session().stats();
  check(st.received == st.echoed + st.dropped.total() + g_server.session().queued(),
        "server books balance", static_cast<unsigned long>(st.received),
        static_cast<unsigned long>(st.echoed + st.dropped.total()));
  g_server.close();
  udp_remove(g_probe);

  const std::uint64_t elapsed = emsock::lwip_raw::now_ms() - t0;
  const std::uint32_t allocations = emsock::test::heap_allocations() - allocations_before;
  std::printf("lwip-raw-udp-echo: sizes 0..%u: %lu datagrams, %lu bytes echoed and verified over lwIP %s "
              "loopback (NO_SYS=1, raw API, udp_pcb) in %lu ms\n",
              static_cast<unsigned>(max_size), static_cast<unsigned long>(datagrams),
              static_cast<unsigned long>(bytes), LWIP_VERSION_STRING, static_cast<unsigned long>(elapsed));
  std::printf("lwip-raw-udp-echo: server: received=%lu echoed=%lu dropped=%lu (no_record=%lu no_bytes=%lu "
              "too_large=%lu send_failed=%lu) deferred=%lu; client deferred=%lu\n",
              static_cast<unsigned long>(st.received), static_cast<unsigned long>(st.echoed),
              static_cast<unsigned long>(st.dropped.total()), static_cast<unsigned long>(st.dropped.no_record),
              static_cast<unsigned long>(st.dropped.no_bytes), static_cast<unsigned long>(st.dropped.too_large),
              static_cast<unsigned long>(st.dropped.send_failed),
              static_cast<unsigned long>(g_server.stats().deferred),
              static_cast<unsigned long>(g_client.stats().deferred));
  std::printf("lwip-raw-udp-echo: heap allocations while echoing: %u\n", static_cast<unsigned>(allocations));
  if (g_failures != 0 || allocations != 0) {
    std::printf("lwip-raw-udp-echo: FAILED\n");
    return 1;
  }
  std::printf("lwip-raw-udp-echo: OK\n");
  return 0;
}
