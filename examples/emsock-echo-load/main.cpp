// SPDX-License-Identifier: MIT
// emsock-echo-load - drives a TCP echo server with many concurrent streams and checks every byte.
//
// One thread, non-blocking emsock tcp_streams, one emsock poll_set. Every connection sends
// --bytes of pseudo-random data as a sequence of chunks of random size (1..--chunk bytes, one
// send() offered per chunk) while reading the echo back and comparing it with the stream it sent.
// Nothing sent is stored: byte k of connection c is a pure function of (seed, c, k), so the
// verifier regenerates the expected bytes.
//
// Definitions (the summary line uses them):
//   throughput  bytes echoed and verified (all connections) / wall time, in MB/s (10^6 bytes/s);
//               the wall time runs from the moment every connection is established to the arrival
//               of the last echoed byte.
//   latency     per chunk: from the send() call that offered the chunk's first byte to the recv()
//               that returned its last echoed byte, in microseconds (steady clock). Percentiles are
//               nearest-rank over every chunk of every connection, from a log-linear histogram
//               (at most 1/32 relative error, never below the true value); max is exact.
//   window      at most --window bytes and 256 chunks per connection are in flight (sent and not
//               yet echoed), so the latency measures the server, not an unbounded queue.
//   success     every connection got back exactly the bytes it sent, in order, followed by the
//               server's end of stream (after the client's own FIN).
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "emsock/port/poll_set.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/port/udp.hpp"
#include "load_common.hpp"
#include "options.hpp"
#include "udp_load.hpp"

namespace {

using namespace emsock_examples;

/// Fixed capacity of the tool: storage is sized by --conns (at most this) and allocated once.
constexpr std::uint64_t max_conns = 4096;
/// --idle: silent connections held beside the active ones.
constexpr std::uint64_t max_idle = 8192;
constexpr std::uint64_t max_chunk = 1024 * 1024;
/// Chunks in flight per connection at most (latency records).
constexpr std::size_t ring_capacity = 256;
/// One recv() takes at most this many bytes.
constexpr std::size_t receive_buffer = 64 * 1024;
/// The longest single poll wait: the no-progress timeout is looked at least this often.
constexpr emsock::milliseconds max_wait{100};

const char usage[] =
    "Usage: emsock-echo-load HOST PORT [--conns N] [--bytes N] [--chunk N] [--seconds S] [--seed N]\n"
    "                        [--window N] [--timeout S] [--idle N]\n"
    "       emsock-echo-load --udp HOST PORT [--conns N] [--size BYTES] [--window N] [--count N]\n"
    "                        [--seconds S] [--seed N] [--timeout S]\n"
    "\n"
    "Opens N connections to an echo server at HOST:PORT (IPv4 or IPv6 literal), streams random data\n"
    "in chunks of random size on all of them at once, verifies every echoed byte and reports the\n"
    "throughput and the chunk round-trip latency.\n"
    "  --conns N     connections, 1 to 4096 (default 16)\n"
    "  --bytes N     bytes to send per connection (default 1048576)\n"
    "  --chunk N     largest chunk: each send() offers 1..N bytes (default 16384, at most 1048576)\n"
    "  --seconds S   stop starting chunks after S seconds, e.g. 2 or 0.5 (default 0: send --bytes)\n"
    "  --seed N      seed of the data and the chunk sizes (default 1)\n"
    "  --window N    bytes in flight per connection at most (default 65536)\n"
    "  --timeout S   fail when no byte moves for S seconds (default 10)\n"
    "  --idle N      also hold N connections that send nothing, opened first and closed at the end\n"
    "                (0 to 8192, default 0): the server's cost of idle clients (summary: idle=N)\n"
    "\n"
    "--udp: datagrams instead, to a UDP echo server: each of N sockets (default 4) keeps --window\n"
    "datagrams (default 8) of --size bytes (8 to 65507, default 64; an 8-byte sequence, then random\n"
    "bytes) in flight, for --seconds (default 2) or --count datagrams per socket; every echo is\n"
    "verified; one not back within --timeout (default 1) is lost (no retries: loss is measured).\n"
    "Output: 'udp conns=N size=B seconds=S sent=N echoed=N lost=N late=N datagrams/s=X\n"
    "loss_pct=P p50_us=N p90_us=N p99_us=N max_us=N errors=N' and a line for people; exit 1 on a\n"
    "wrong echo, a socket error or nothing echoed (loss alone is not a failure).\n"
    "\n"
    "Latency: per chunk, from the send() of its first byte to the recv() of its last echoed byte.\n"
    "Throughput: echoed bytes / wall time (from all connected to the last echoed byte), 1 MB = 10^6 B.\n"
    "Gap: the longest wait between two arrivals of echoed bytes on one connection (a stall).\n"
    "Output: one line 'conns=N bytes=N seconds=S MB/s=X p50_us=N p90_us=N p99_us=N max_us=N\n"
    "gap_max_us=N chunks=N errors=N' and a line for people. Exit status: 0 when every byte came\n"
    "back verified, 1 otherwise, 2 on a usage error.\n";

int fail_usage(const std::string& message) { return usage_error("emsock-echo-load", message); }

/// A chunk in flight: the stream offset one past its last byte, and when its first byte was offered.
struct chunk_record {
  std::uint64_t end;
  std::uint64_t sent_us;
};

struct connection {
  emsock::tcp_stream stream;
  std::uint64_t key = 0;         ///< data stream key
  std::uint64_t size_state = 0;  ///< xorshift state of the chunk sizes
  std::uint64_t sent = 0;        ///< bytes handed to the stack
  std::uint64_t chunk_end = 0;   ///< end of the chunk being sent (== sent between chunks)
  std::uint64_t received = 0;    ///< bytes echoed and verified
  std::uint64_t last_arrival_us = 0;  ///< when echoed bytes last arrived (0: none yet)
  chunk_record* ring = nullptr;  ///< ring_capacity records
  std::size_t ring_head = 0;
  std::size_t ring_size = 0;
  bool write_shut = false;  ///< our FIN is out: nothing more to send
  bool done = false;        ///< the server's end of stream arrived after every byte (success)
  bool failed = false;
  std::size_t poll_index = 0;
};

struct settings {
  std::uint64_t conns = 16, bytes = 1024 * 1024, chunk = 16384, seed = 1, window = 64 * 1024;
  std::uint64_t seconds_ms = 0, timeout_ms = 10000;
};

/// The whole load run; storage is sized once in the constructor.
class load_run {
 public:
  explicit load_run(const settings& s)
      : s_(s),
        // s.conns <= max_conns (checked by parse_number), so it fits size_t on 32-bit targets too.
        conns_(static_cast<std::size_t>(s.conns)),
        rings_(new chunk_record[s.conns * ring_capacity]),
        poll_storage_(new emsock::native_pollfd[s.conns]),
        polls_(poll_storage_.get(), static_cast<std::size_t>(s.conns)),
        tx_(new std::uint8_t[s.chunk]),
        rx_(new std::uint8_t[receive_buffer]) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      connection& c = conns_[i];
      c.key = splitmix(s.seed * 0x100000001b3u + i);
      c.size_state = splitmix(c.key ^ 0x5bd1e995u) | 1;  // xorshift: never 0
      c.ring = &rings_[i * ring_capacity];
    }
  }

  /// Connects every stream (one after the other, each within the timeout). False after the first
  /// failure (reported).
  bool connect_all(const emsock::endpoint& remote) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      connection& c = conns_[i];
      emsock::result<emsock::tcp_stream> r = emsock::tcp_stream::connect(remote, emsock::milliseconds{static_cast<int>(s_.timeout_ms)});
      if (!r) {
        std::fprintf(stderr, "emsock-echo-load: connection %zu: cannot connect to %s: %s\n", i,
                     endpoint_text(remote).c_str(), emsock::describe(r.code()));
        return false;
      }
      c.stream = std::move(r.value());
      if (const emsock::status st = c.stream.set_non_blocking(true); !st) {
        std::fprintf(stderr, "emsock-echo-load: connection %zu: %s\n", i, emsock::describe(st.code()));
        return false;
      }
      (void)c.stream.set_no_delay(true);  // chunks leave at once, as the servers' echoes do
    }
    return true;
  }

  /// Streams and verifies until every connection is done or failed, or nothing moves for the
  /// timeout. Returns the number of failed connections.
  std::size_t run() {
    start_us_ = now_us();
    last_progress_us_ = start_us_;
    last_byte_us_ = start_us_;
    const std::uint64_t stop_sending_us = s_.seconds_ms == 0 ? ~std::uint64_t{0} : start_us_ + s_.seconds_ms * 1000;
    for (;;) {
      const std::uint64_t now = now_us();
      sending_open_ = now < stop_sending_us;
      polls_.clear();
      std::size_t live = 0;
      for (connection& c : conns_) {
        if (c.done || c.failed) continue;
        maybe_shutdown(c);
        if (c.failed) continue;
        ++live;
        c.poll_index = polls_.add(c.stream.native_handle(), true, can_send(c)).value_or(0);
      }
      if (live == 0) break;
      if (now - last_progress_us_ >= s_.timeout_ms * 1000) {
        for (std::size_t i = 0; i < conns_.size(); ++i) {
          connection& c = conns_[i];
          if (c.done || c.failed) continue;
          fail(i, "no progress for the timeout: sent %" PRIu64 ", echoed %" PRIu64 " of %" PRIu64 " bytes", c.sent,
               c.received, s_.bytes);
        }
        break;
      }
      const emsock::result<std::size_t> ready = polls_.wait(max_wait);
      if (!ready) {
        if (ready.code() == emsock::errc::interrupted) continue;
        std::fprintf(stderr, "emsock-echo-load: poll: %s\n", emsock::describe(ready.code()));
        for (std::size_t i = 0; i < conns_.size(); ++i)
          if (!conns_[i].done && !conns_[i].failed) conns_[i].failed = true;
        break;
      }
      if (*ready == 0) continue;
      for (std::size_t i = 0; i < conns_.size(); ++i) {
        connection& c = conns_[i];
        if (c.done || c.failed) continue;
        const emsock::poll_events ev = polls_.events(c.poll_index);
        if (ev.readable || ev.hangup || ev.error) receive(i);
        if (!c.done && !c.failed && ev.writable) send(i);
      }
    }
    std::size_t failed = 0;
    for (const connection& c : conns_) failed += c.failed ? 1 : 0;
    for (connection& c : conns_) (void)c.stream.close();
    return failed;
  }

  std::uint64_t echoed() const noexcept {
    std::uint64_t n = 0;
    for (const connection& c : conns_) n += c.received;
    return n;
  }
  /// Wall time of the streaming phase in microseconds (at least 1).
  std::uint64_t wall_us() const noexcept { return std::max<std::uint64_t>(1, last_byte_us_ - start_us_); }
  /// The longest wait between two arrivals of echoed bytes on any one connection (a stall: a lost
  /// frame's retransmission timeout shows here).
  std::uint64_t max_gap_us() const noexcept { return max_gap_us_; }
  const latency_histogram& latency() const noexcept { return latency_; }

 private:
  bool can_start_chunk(const connection& c) const noexcept {
    return sending_open_ && c.sent < s_.bytes && c.ring_size < ring_capacity && c.sent - c.received < s_.window;
  }
  bool can_send(const connection& c) const noexcept {
    return !c.write_shut && (c.chunk_end > c.sent || can_start_chunk(c));
  }

  /// Sends our FIN once nothing more will be sent.
  void maybe_shutdown(connection& c) {
    if (c.write_shut || c.chunk_end > c.sent) return;
    if (c.sent < s_.bytes && sending_open_) return;
    c.write_shut = true;
    if (const emsock::status st = c.stream.shutdown(emsock::shutdown_how::write); !st)
      fail(static_cast<std::size_t>(&c - conns_.data()), "shutdown: %s", emsock::describe(st.code()));
  }

  /// Offers one chunk (or the rest of one) per send() until the stack takes less than offered.
  void send(std::size_t i) {
    connection& c = conns_[i];
    while (can_send(c)) {
      const std::uint64_t now = now_us();
      if (c.chunk_end == c.sent) {  // start a chunk: its first byte goes now
        c.size_state ^= c.size_state << 13;
        c.size_state ^= c.size_state >> 7;
        c.size_state ^= c.size_state << 17;
        const std::uint64_t size = std::min(1 + c.size_state % s_.chunk, s_.bytes - c.sent);
        c.chunk_end = c.sent + size;
        c.ring[(c.ring_head + c.ring_size) % ring_capacity] = {c.chunk_end, now};
        ++c.ring_size;
      }
      const std::size_t n = static_cast<std::size_t>(c.chunk_end - c.sent);
      fill_stream(c.key, c.sent, tx_.get(), n);
      const emsock::result<std::size_t> r = c.stream.send(tx_.get(), n);
      if (!r) {
        if (emsock::is_fatal(r.code())) fail(i, "send: %s", emsock::describe(r.code()));
        return;
      }
      c.sent += *r;
      if (*r > 0) last_progress_us_ = now;
      if (*r < n) return;  // the send buffer is full: wait for POLLOUT
    }
    maybe_shutdown(c);
  }

  /// Reads and verifies until the socket is drained; sends more as the window opens.
  void receive(std::size_t i) {
    connection& c = conns_[i];
    for (;;) {
      const emsock::result<std::size_t> r = c.stream.recv(rx_.get(), receive_buffer);
      const std::uint64_t now = now_us();
      if (!r) {
        if (emsock::is_fatal(r.code())) fail(i, "recv: %s", emsock::describe(r.code()));
        break;
      }
      if (*r == 0) {
        last_progress_us_ = now;
        if (c.write_shut && c.received == c.sent)
          c.done = true;
        else
          fail(i, "end of stream after %" PRIu64 " echoed bytes, %" PRIu64 " sent", c.received, c.sent);
        return;
      }
      const std::size_t n = *r;
      if (c.received + n > c.sent) {
        fail(i, "%zu bytes echoed at offset %" PRIu64 " but only %" PRIu64 " were sent", n, c.received, c.sent);
        return;
      }
      const std::size_t good = verify_stream(c.key, c.received, rx_.get(), n);
      if (good != n) {
        std::uint8_t expected = 0;
        fill_stream(c.key, c.received + good, &expected, 1);
        fail(i, "mismatch at offset %" PRIu64 ": expected 0x%02x, got 0x%02x", c.received + good, expected,
             rx_.get()[good]);
        return;
      }
      c.received += n;
      if (c.last_arrival_us != 0) max_gap_us_ = std::max(max_gap_us_, now - c.last_arrival_us);
      c.last_arrival_us = now;
      last_progress_us_ = now;
      last_byte_us_ = now;
      while (c.ring_size > 0 && c.ring[c.ring_head].end <= c.received) {
        latency_.add(now - c.ring[c.ring_head].sent_us);
        c.ring_head = (c.ring_head + 1) % ring_capacity;
        --c.ring_size;
      }
      if (n < receive_buffer) break;  // drained for now
    }
    if (can_send(c)) send(i);  // the window opened
  }

  /// Reports the first failure of connection i and closes it (later reports are suppressed).
  __attribute__((format(printf, 3, 4))) void fail(std::size_t i, const char* format, ...) {
    connection& c = conns_[i];
    if (c.failed) return;
    c.failed = true;
    if (++failures_ <= 10) {
      char text[256];
      va_list args;
      va_start(args, format);
      std::vsnprintf(text, sizeof text, format, args);
      va_end(args);
      std::fprintf(stderr, "emsock-echo-load: connection %zu: %s\n", i, text);
    } else if (failures_ == 11) {
      std::fprintf(stderr, "emsock-echo-load: more connections failed (not listed)\n");
    }
    (void)c.stream.close();
  }

  settings s_;
  std::vector<connection> conns_;
  std::unique_ptr<chunk_record[]> rings_;
  std::unique_ptr<emsock::native_pollfd[]> poll_storage_;
  emsock::poll_set_base polls_;
  std::unique_ptr<std::uint8_t[]> tx_;
  std::unique_ptr<std::uint8_t[]> rx_;
  latency_histogram latency_;
  std::uint64_t start_us_ = 0, last_progress_us_ = 0, last_byte_us_ = 0;
  std::uint64_t max_gap_us_ = 0;  ///< the longest wait between two arrivals of echoed bytes on one connection
  bool sending_open_ = true;
  std::size_t failures_ = 0;
};

/// Makes `needed` descriptors available (raise_file_limit); false, with a message, when they are not.
bool have_descriptors(std::uint64_t needed) {
  std::string why;
  const std::uint64_t limit = raise_file_limit(needed, why);
  if (!why.empty())
    std::fprintf(stderr, "emsock-echo-load: cannot raise the open-file limit: %s\n", why.c_str());
  if (limit < needed) {
    std::fprintf(stderr,
                 "emsock-echo-load: need %llu descriptors but the open-file limit is %llu (raise it: ulimit -n)\n",
                 static_cast<unsigned long long>(needed), static_cast<unsigned long long>(limit));
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Empty views (null data) until given: the defaults depend on --udp.
  std::string_view conns_text, bytes_text, chunk_text, seconds_text, seed_text = "1", window_text, timeout_text,
      size_text, count_text, idle_text;
  bool help = false, udp = false;
  std::vector<std::string_view> operands;
  std::string e = parse_options(argc, argv,
                                {{"--conns", &conns_text},
                                 {"--bytes", &bytes_text},
                                 {"--chunk", &chunk_text},
                                 {"--seconds", &seconds_text},
                                 {"--seed", &seed_text},
                                 {"--window", &window_text},
                                 {"--timeout", &timeout_text},
                                 {"--udp", nullptr, &udp},
                                 {"--size", &size_text},
                                 {"--count", &count_text},
                                 {"--idle", &idle_text},
                                 {"--help", nullptr, &help},
                                 {"-h", nullptr, &help}},
                                operands);
  if (!e.empty()) return fail_usage(e);
  if (help) {
    std::fputs(usage, stdout);
    return exit_ok;
  }
  if (operands.size() != 2) return fail_usage("expected HOST and PORT");
  const auto given = [](std::string_view v) { return v.data() != nullptr; };
  const auto or_default = [&](std::string_view v, std::string_view fallback) { return given(v) ? v : fallback; };
  if (udp) {
    if (given(bytes_text)) return fail_usage("--bytes is for TCP (without --udp)");
    if (given(chunk_text)) return fail_usage("--chunk is for TCP (without --udp)");
    if (given(idle_text)) return fail_usage("--idle is for TCP (without --udp)");
  } else if (given(size_text) || given(count_text)) {
    return fail_usage(given(size_text) ? "--size needs --udp" : "--count needs --udp");
  }

  settings s;
  emsock::ip_address host;
  std::uint64_t port = 0;
  if (e = parse_address("HOST", operands[0], false, host); !e.empty()) return fail_usage(e);
  if (e = parse_number("PORT", operands[1], 1, 65535, port); !e.empty()) return fail_usage(e);
  if (udp) {
    udp_load_settings u;
    u.remote = {host, static_cast<std::uint16_t>(port)};
    if (e = parse_number("--conns", or_default(conns_text, "4"), 1, max_conns, u.conns); !e.empty()) return fail_usage(e);
    if (e = parse_number("--size", or_default(size_text, "64"), 8, emsock::max_udp_payload_v4, u.size); !e.empty())
      return fail_usage(e);
    if (e = parse_number("--window", or_default(window_text, "8"), 1, 1024, u.window); !e.empty()) return fail_usage(e);
    if (e = parse_number("--count", or_default(count_text, "0"), 0, std::uint64_t{1} << 40, u.count); !e.empty())
      return fail_usage(e);
    if (e = parse_seconds("--seconds", or_default(seconds_text, "2"), u.seconds_ms); !e.empty()) return fail_usage(e);
    if (e = parse_number("--seed", seed_text, 0, ~std::uint64_t{0} / 10, u.seed); !e.empty()) return fail_usage(e);
    if (e = parse_seconds("--timeout", or_default(timeout_text, "1"), u.timeout_ms); !e.empty()) return fail_usage(e);
    if (u.timeout_ms == 0 || u.timeout_ms > 3600 * 1000) return fail_usage("--timeout: 0.001 to 3600 seconds");
    if (u.count == 0 && u.seconds_ms == 0) return fail_usage("--udp needs --seconds above 0 or a --count");
    if (!have_descriptors(u.conns + 16)) return exit_failure;
    return run_udp_load(u);
  }
  conns_text = or_default(conns_text, "16");
  bytes_text = or_default(bytes_text, "1048576");
  chunk_text = or_default(chunk_text, "16384");
  seconds_text = or_default(seconds_text, "0");
  window_text = or_default(window_text, "65536");
  timeout_text = or_default(timeout_text, "10");
  if (e = parse_number("--conns", conns_text, 1, max_conns, s.conns); !e.empty()) return fail_usage(e);
  if (e = parse_number("--bytes", bytes_text, 1, std::uint64_t{1} << 50, s.bytes); !e.empty()) return fail_usage(e);
  if (e = parse_number("--chunk", chunk_text, 1, max_chunk, s.chunk); !e.empty()) return fail_usage(e);
  if (e = parse_seconds("--seconds", seconds_text, s.seconds_ms); !e.empty()) return fail_usage(e);
  if (e = parse_number("--seed", seed_text, 0, ~std::uint64_t{0} / 10, s.seed); !e.empty()) return fail_usage(e);
  if (e = parse_number("--window", window_text, 1, std::uint64_t{1} << 40, s.window); !e.empty()) return fail_usage(e);
  if (e = parse_seconds("--timeout", timeout_text, s.timeout_ms); !e.empty()) return fail_usage(e);
  if (s.timeout_ms == 0 || s.timeout_ms > 3600 * 1000) return fail_usage("--timeout: 0.001 to 3600 seconds");
  std::uint64_t idle = 0;
  if (e = parse_number("--idle", or_default(idle_text, "0"), 0, max_idle, idle); !e.empty()) return fail_usage(e);
  const emsock::endpoint remote{host, static_cast<std::uint16_t>(port)};

  if (!have_descriptors(s.conns + idle + 16)) return exit_failure;

  // The idle clients first: the server holds them through the whole run.
  std::vector<emsock::tcp_stream> idle_streams;
  idle_streams.reserve(static_cast<std::size_t>(idle));
  for (std::uint64_t i = 0; i < idle; ++i) {
    emsock::result<emsock::tcp_stream> r =
        emsock::tcp_stream::connect(remote, emsock::milliseconds{static_cast<int>(s.timeout_ms)});
    if (!r) {
      std::fprintf(stderr, "emsock-echo-load: idle connection %llu: cannot connect to %s: %s\n",
                   static_cast<unsigned long long>(i), endpoint_text(remote).c_str(), emsock::describe(r.code()));
      return exit_failure;
    }
    idle_streams.push_back(std::move(r.value()));
  }

  load_run run(s);
  if (!run.connect_all(remote)) return exit_failure;
  const std::size_t failed = run.run();

  const double seconds = static_cast<double>(run.wall_us()) / 1e6;
  const std::uint64_t echoed = run.echoed();
  const double mbps = static_cast<double>(echoed) / seconds / 1e6;
  const latency_histogram& h = run.latency();
  std::printf("conns=%" PRIu64 " bytes=%" PRIu64 " seconds=%.3f MB/s=%.1f p50_us=%" PRIu64 " p90_us=%" PRIu64
              " p99_us=%" PRIu64 " max_us=%" PRIu64 " gap_max_us=%" PRIu64 " chunks=%" PRIu64 " errors=%zu%s\n",
              s.conns, echoed, seconds, mbps, h.percentile(50), h.percentile(90), h.percentile(99), h.max(),
              run.max_gap_us(), h.total(), failed, idle == 0 ? "" : (" idle=" + std::to_string(idle)).c_str());
  std::printf("%s: %" PRIu64 " connections echoed %.1f MiB in %.3f s = %.1f MB/s; chunk round trip p50 %" PRIu64
              " us, p99 %" PRIu64 " us, max %" PRIu64 " us; %s\n",
              endpoint_text(remote).c_str(), s.conns, static_cast<double>(echoed) / (1024.0 * 1024.0), seconds, mbps,
              h.percentile(50), h.percentile(99), h.max(),
              failed == 0 ? "every byte verified" : "FAILED (see the messages above)");
  return failed == 0 ? exit_ok : exit_failure;
}
