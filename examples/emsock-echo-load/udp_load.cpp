// SPDX-License-Identifier: MIT
// emsock-echo-load --udp: datagrams per second and loss of a UDP echo server, with latency.
//
// --conns connected, non-blocking udp_sockets, one poll_set. Each keeps up to --window datagrams
// in flight: datagram n of socket c is its sequence n (8 bytes) and bytes of the stream
// (seed, c, n), so nothing sent is stored. A reply is matched to its slot by the sequence and
// verified byte by byte; one not back within --timeout is lost and its slot reused. No retries:
// the tool measures the server, loss included.
//
// Definitions (the summary line uses them):
//   datagrams/s  datagrams echoed and verified (all sockets) / wall time, from the first send to
//                the last verified echo
//   loss         lost / (echoed + lost), in percent (late replies of lost ones count as lost)
//   latency      per datagram, send_to to the recv that returned its echo, in microseconds;
//                percentiles as in the TCP mode (nearest rank, log-linear histogram)
#include "udp_load.hpp"

#include <cinttypes>
#include <cstdio>
#include <memory>
#include <vector>

#include "emsock/port/poll_set.hpp"
#include "emsock/port/udp.hpp"
#include "load_common.hpp"
#include "options.hpp"

namespace emsock_examples {
namespace {

constexpr std::size_t sequence_bytes = 8;
/// recv and send calls per socket per round at most.
constexpr int calls_per_round = 64;

struct flight {
  std::uint64_t sequence = 0;
  std::uint64_t sent_us = 0;
  bool busy = false;
};

struct datagram_socket {
  emsock::udp_socket socket;
  std::uint64_t key = 0;
  std::uint64_t next = 0;  ///< the next sequence to send
  std::size_t in_flight = 0;
  std::vector<flight> flights;  ///< --window slots: sequence % window
  std::size_t poll_index = 0;
};

/// Bytes after the sequence of datagram `sequence` of the socket with `key`.
std::uint64_t datagram_key(std::uint64_t key, std::uint64_t sequence) noexcept { return splitmix(key ^ sequence); }

}  // namespace

int run_udp_load(const udp_load_settings& s) {
  const std::size_t size = static_cast<std::size_t>(s.size), window = static_cast<std::size_t>(s.window);
  std::vector<datagram_socket> socks(static_cast<std::size_t>(s.conns));
  std::unique_ptr<emsock::native_pollfd[]> poll_storage(new emsock::native_pollfd[socks.size()]);
  emsock::poll_set_base polls(poll_storage.get(), socks.size());
  std::vector<std::uint8_t> tx(size), rx(size + 1);  // one byte more: a longer echo is seen as longer
  const emsock::endpoint local{s.remote.address.is_v4() ? emsock::ip_address{emsock::ipv4_address::any()}
                                                        : emsock::ip_address{emsock::ipv6_address::any()},
                               0};
  for (std::size_t i = 0; i < socks.size(); ++i) {
    datagram_socket& d = socks[i];
    emsock::result<emsock::udp_socket> u = emsock::udp_socket::open(local);
    emsock::status st = u ? emsock::status{} : emsock::status{u.code()};
    if (u) {
      d.socket = std::move(u).value();
      st = d.socket.connect(s.remote);
      if (st) st = d.socket.set_non_blocking(true);
    }
    if (!st) {
      std::fprintf(stderr, "emsock-echo-load: socket %zu: cannot send to %s: %s\n", i, endpoint_text(s.remote).c_str(),
                   emsock::describe(st.code()));
      return exit_failure;
    }
    d.key = splitmix(s.seed * 0x100000001b3u + i);
    d.flights.resize(window);
  }

  latency_histogram latency;
  std::uint64_t sent = 0, echoed = 0, lost = 0, late = 0, errors = 0;
  const std::uint64_t start = now_us();
  std::uint64_t last_echo = start;
  const std::uint64_t stop_sending = s.count != 0 ? ~std::uint64_t{0} : start + s.seconds_ms * 1000;
  const std::uint64_t timeout_us = s.timeout_ms * 1000;
  bool fatal = false;

  const auto send_due = [&](datagram_socket& d, std::uint64_t now) {
    for (int n = 0; n < calls_per_round && d.in_flight < window && now < stop_sending &&
                    (s.count == 0 || d.next < s.count);
         ++n) {
      flight& f = d.flights[static_cast<std::size_t>(d.next % window)];
      if (f.busy) return;  // the slot's datagram is neither back nor lost yet
      std::memcpy(tx.data(), &d.next, sequence_bytes);
      fill_stream(datagram_key(d.key, d.next), 0, tx.data() + sequence_bytes, size - sequence_bytes);
      const emsock::status st = d.socket.send(tx.data(), size);
      if (st.code() == emsock::errc::would_block || st.code() == emsock::errc::interrupted) return;
      if (!st) {
        std::fprintf(stderr, "emsock-echo-load: send: %s\n", emsock::describe(st.code()));
        ++errors;
        fatal = true;
        return;
      }
      f = {d.next, now_us(), true};
      ++d.next;
      ++d.in_flight;
      ++sent;
    }
  };
  const auto receive = [&](datagram_socket& d) {
    for (int n = 0; n < calls_per_round; ++n) {
      const emsock::udp_recv_result r = d.socket.recv(rx.data(), rx.size());
      if (r.code() == emsock::errc::would_block || r.code() == emsock::errc::interrupted) return;
      if (!r.received()) {
        std::fprintf(stderr, "emsock-echo-load: receive: %s\n", emsock::describe(r.code()));
        ++errors;
        fatal = true;
        return;
      }
      const std::uint64_t now = now_us();
      std::uint64_t sequence = 0;
      if (r.size >= sequence_bytes) std::memcpy(&sequence, rx.data(), sequence_bytes);
      flight& f = d.flights[static_cast<std::size_t>(sequence % window)];
      if (r.size != size || !r.ok()) {
        std::fprintf(stderr, "emsock-echo-load: an echo of %zu bytes, expected %zu\n", r.size, size);
        ++errors;
        continue;
      }
      if (!f.busy || f.sequence != sequence) {  // a lost one's late echo, or a duplicate
        ++late;
        continue;
      }
      if (verify_stream(datagram_key(d.key, sequence), 0, rx.data() + sequence_bytes, size - sequence_bytes) !=
          size - sequence_bytes) {
        std::fprintf(stderr, "emsock-echo-load: echo mismatch in datagram %" PRIu64 "\n", sequence);
        ++errors;
        continue;
      }
      latency.add(now - f.sent_us);
      f.busy = false;
      --d.in_flight;
      ++echoed;
      last_echo = now;
    }
  };

  std::uint64_t next_scan = start;
  while (!fatal) {
    std::uint64_t now = now_us();
    if (now >= next_scan) {  // datagrams not back within the timeout are lost
      next_scan = now + 1000;
      for (datagram_socket& d : socks)
        for (flight& f : d.flights)
          if (f.busy && now - f.sent_us >= timeout_us) {
            f.busy = false;
            --d.in_flight;
            ++lost;
          }
    }
    bool live = false;
    polls.clear();
    for (datagram_socket& d : socks) {
      const bool more = now < stop_sending && (s.count == 0 || d.next < s.count);
      if (d.in_flight == 0 && !more) continue;
      live = true;
      d.poll_index = polls.add(d.socket.native_handle(), true, more && d.in_flight < window).value_or(0);
    }
    if (!live) break;
    const emsock::result<std::size_t> ready = polls.wait(emsock::milliseconds{1});
    if (!ready) {
      if (ready.code() == emsock::errc::interrupted) continue;
      std::fprintf(stderr, "emsock-echo-load: poll: %s\n", emsock::describe(ready.code()));
      ++errors;
      break;
    }
    now = now_us();
    for (datagram_socket& d : socks) {
      if (d.in_flight == 0 && !(now < stop_sending && (s.count == 0 || d.next < s.count))) continue;
      const emsock::poll_events ev = polls.events(d.poll_index);
      if (ev.readable || ev.error) receive(d);
      if (!fatal) send_due(d, now);
    }
  }

  const double seconds = static_cast<double>(last_echo - start) / 1e6;
  const double rate = seconds > 0 ? static_cast<double>(echoed) / seconds : 0.0;
  const double loss = echoed + lost == 0 ? 0.0 : 100.0 * static_cast<double>(lost) / static_cast<double>(echoed + lost);
  std::printf("udp conns=%" PRIu64 " size=%zu seconds=%.3f sent=%" PRIu64 " echoed=%" PRIu64 " lost=%" PRIu64
              " late=%" PRIu64 " datagrams/s=%.0f loss_pct=%.3f p50_us=%" PRIu64 " p90_us=%" PRIu64 " p99_us=%" PRIu64
              " max_us=%" PRIu64 " errors=%" PRIu64 "\n",
              s.conns, size, seconds, sent, echoed, lost, late, rate, loss, latency.percentile(50),
              latency.percentile(90), latency.percentile(99), latency.max(), errors);
  const bool ok = errors == 0 && echoed > 0;
  std::printf("%s: %" PRIu64 " sockets echoed %" PRIu64 " datagrams of %zu bytes in %.3f s = %.0f datagrams/s, "
              "%.3f%% lost; round trip p50 %" PRIu64 " us, p99 %" PRIu64 " us, max %" PRIu64 " us; %s\n",
              endpoint_text(s.remote).c_str(), s.conns, echoed, size, seconds, rate, loss, latency.percentile(50),
              latency.percentile(99), latency.max(),
              ok ? "every echo verified" : errors != 0 ? "FAILED (see the messages above)" : "FAILED (nothing came back)");
  return ok ? exit_ok : exit_failure;
}

}  // namespace emsock_examples
