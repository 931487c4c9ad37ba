// SPDX-License-Identifier: MIT
// emsock-lwip-echo: the echo server engine and its clients in one process, over lwIP.
//
// Starts lwIP in this process (tcpip thread + loopback netif), runs echo_server<> on it in a thread,
// connects --clients streams through lwIP, sends --bytes of random data in total (split evenly),
// checks every byte that comes back and prints one summary line. Exit status 0 only when every
// byte came back in order; 1 on failure; 2 on a usage error.
// --udp: the same over UDP (issue 11): the UDP echo engine as the TCP engine's companion on the
// same port number, and --clients threads each sending its share of --bytes as 1024-byte datagrams
// through core's datagram echo client (verified, retried when lost).
//
// Built twice from this file: emsock-lwip-echo (emsock::lwip) and, for the throughput comparison,
// emsock-lwip-echo-posix (emsock::posix, the kernel's loopback): the same server and client code.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include "emsock/datagram_echo.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/udp.hpp"
#include "emsock/port/udp_echo_server.hpp"
#include "emsock/port/socket.hpp"

#if defined(EMSOCK_PORT_LWIP)
extern "C" {
#include "lwip/init.h"
}
#include "loopback_stack.hpp"
#endif

namespace {

constexpr std::size_t max_clients = 64;
constexpr std::size_t session_buffer = 16 * 1024;
constexpr std::size_t chunk = 16 * 1024;
constexpr emsock::milliseconds io_timeout{10000};  // every blocking call of a client is bounded

const char* const usage =
    "usage: emsock-lwip-echo [--clients N] [--bytes N] [--udp] [--quiet-bench]\n"
    "  Starts lwIP in this process over a loopback netif, runs the emsock echo server on it,\n"
    "  connects N clients through lwIP (default 8, 1..64), sends N bytes of random data in total\n"
    "  (default 1048576, 1..4294967296), verifies every echoed byte and prints one summary line.\n"
    "  --udp          UDP instead: each client sends its share as 1024-byte datagrams (the last one\n"
    "                 shorter), one at a time, each verified and sent again when lost.\n"
    "  --quiet-bench  print only \"<clients> <bytes> <seconds>\" (for scripts/bench).\n"
    "  Exit status: 0 every byte verified, 1 failure, 2 usage error.\n";

bool parse_count(std::string_view text, std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
  if (text.empty() || text.size() > 12) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v < min || v > max) return false;
  out = v;
  return true;
}

emsock::echo_server<max_clients, session_buffer, 1> server;  // static: 1 MiB of sessions
emsock::udp_echo_server<64, 64 * 1024> udp_server;           // --udp: 64 datagrams, 64 KiB queued
constexpr std::size_t datagram_size = 1024;
/// The last datagram of a client: the rest of its share (< datagram_size) after the header.
constexpr std::size_t max_datagram = datagram_size + emsock::datagram_echo_client_base::header_size;

/// One UDP client: `bytes` in datagrams of datagram_size bytes (the last one shorter) through core's
/// echo client over a blocking connected socket (the receive timeout lets time pass). Returns the
/// bytes verified.
std::uint64_t run_udp_client(const emsock::endpoint& where, std::uint64_t bytes, const char*& failure) {
  auto opened = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 0});
  if (!opened) {
    failure = emsock::describe(opened.code());
    return 0;
  }
  emsock::udp_socket sock = std::move(opened).value();
  if (const emsock::status st = sock.connect(where); !st) {
    failure = emsock::describe(st.code());
    return 0;
  }
  (void)sock.set_receive_timeout(emsock::milliseconds{20});
  std::uint64_t verified = 0;
  std::uint8_t reply[max_datagram + 1];
  while (bytes > 0 && failure == nullptr) {  // one run per size: the full ones, then the rest
    const std::uint64_t size = bytes >= datagram_size ? datagram_size : bytes + emsock::datagram_echo_client_base::header_size;
    emsock::datagram_echo_client_config config;
    config.count = static_cast<std::uint32_t>(bytes >= datagram_size ? bytes / datagram_size : 1);
    config.size = static_cast<std::size_t>(size);
    config.timeout = emsock::milliseconds{200};
    config.retries = 10;
    emsock::datagram_echo_client<max_datagram, 4> c(config, emsock::monotonic_ms());
    while (!c.done()) {
      const emsock::const_byte_span p = c.pending_send();
      if (!p.empty()) {
        const emsock::status st = sock.send(p.data, p.size);
        if (st) (void)c.on_sent(emsock::monotonic_ms());
        else if (emsock::is_fatal(st.code())) (void)c.on_error(st.code());
      }
      const emsock::udp_recv_result r = sock.recv(reply, c.max_reply_size());
      if (r.received()) (void)c.on_received({reply, r.size}, emsock::monotonic_ms());
      else if (r.code() != emsock::errc::timed_out && emsock::is_fatal(r.code())) (void)c.on_error(r.code());
      c.on_tick(emsock::monotonic_ms());
    }
    if (!c.succeeded()) {
      failure = c.error() != emsock::errc::ok ? emsock::describe(c.error()) : emsock::name(c.outcome());
      break;
    }
    const std::uint64_t done = bytes >= datagram_size ? std::uint64_t{config.count} * datagram_size : bytes;
    verified += done;
    bytes -= done;
  }
  return verified;
}

/// One client: a writer thread sends `bytes` pseudo-random bytes (seeded by `seed`) while this
/// thread reads the echo and compares it with the same sequence. Returns the bytes verified.
std::uint64_t run_client(const emsock::endpoint& where, std::uint64_t bytes, unsigned seed, const char*& failure) {
  auto connected = emsock::tcp_stream::connect(where, io_timeout);
  if (!connected) {
    failure = emsock::describe(connected.code());
    return 0;
  }
  emsock::tcp_stream s = std::move(connected).value();
  if (!s.set_receive_timeout(io_timeout) || !s.set_send_timeout(io_timeout)) {
    failure = "cannot set timeouts";
    return 0;
  }
  std::atomic<bool> send_failed{false};
  std::thread writer([&] {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> out(chunk);
    for (std::uint64_t sent = 0; sent < bytes;) {
      const std::size_t n = bytes - sent < chunk ? static_cast<std::size_t>(bytes - sent) : chunk;
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(rng());
      if (!s.send_all(out.data(), n)) {
        send_failed = true;
        return;
      }
      sent += n;
    }
  });
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> in(chunk);
  std::uint64_t verified = 0;
  while (verified < bytes) {
    const std::size_t want = bytes - verified < chunk ? static_cast<std::size_t>(bytes - verified) : chunk;
    const auto n = s.recv(in.data(), want);
    if (!n || n.value() == 0) {
      failure = n ? "the server closed early" : emsock::describe(n.code());
      break;
    }
    bool same = true;
    for (std::size_t i = 0; i < n.value(); ++i) same &= in[i] == static_cast<std::uint8_t>(rng());
    if (!same) {
      failure = "an echoed byte differs";
      break;
    }
    verified += n.value();
  }
  if (verified < bytes) (void)s.shutdown(emsock::shutdown_how::both);  // unblock the writer
  writer.join();
  if (send_failed && failure == nullptr) failure = "send failed";
  return verified;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t clients = 8, bytes = 1024 * 1024;
  bool quiet = false, udp = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&](std::string_view name, std::string_view& out) {
      if (arg.substr(0, name.size() + 1) == std::string(name) + "=") {
        out = arg.substr(name.size() + 1);
        return true;
      }
      if (arg == name && i + 1 < argc) {
        out = argv[++i];
        return true;
      }
      return false;
    };
    std::string_view v;
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (arg == "--udp") {
      udp = true;
    } else if (arg == "--quiet-bench") {
      quiet = true;
    } else if (value("--clients", v)) {
      if (!parse_count(v, 1, max_clients, clients)) {
        std::fprintf(stderr, "emsock-lwip-echo: --clients must be 1..%zu, not '%.*s'\n%s", max_clients,
                     static_cast<int>(v.size()), v.data(), usage);
        return 2;
      }
    } else if (value("--bytes", v)) {
      if (!parse_count(v, 1, std::uint64_t{1} << 32, bytes)) {
        std::fprintf(stderr, "emsock-lwip-echo: --bytes must be 1..4294967296, not '%.*s'\n%s",
                     static_cast<int>(v.size()), v.data(), usage);
        return 2;
      }
    } else {
      std::fprintf(stderr, "emsock-lwip-echo: unknown or incomplete option '%s'\n%s", argv[i], usage);
      return 2;
    }
  }
  if (bytes < clients) clients = bytes;  // every client sends at least one byte

#if defined(EMSOCK_PORT_LWIP)
  const auto stack = emsock::lwip::start_loopback_stack();
  if (!stack) {
    std::fprintf(stderr, "emsock-lwip-echo: lwIP did not start: %s\n", emsock::describe(stack.code()));
    return 1;
  }
  const char* const over = "lwIP " LWIP_VERSION_STRING " loopback";
#else
  const char* const over = "the POSIX backend (kernel loopback)";
#endif

  emsock::echo_server_options o;
  o.bind = {emsock::ipv4_address::loopback(), 0};
  o.backlog = static_cast<int>(max_clients);
  if (const emsock::status opened = server.open(o); !opened) {
    std::fprintf(stderr, "emsock-lwip-echo: the server cannot listen: %s\n", emsock::describe(opened.code()));
    return 1;
  }
  if (udp) {  // the same port number, the same loop
    emsock::udp_echo_server_options uo;
    uo.bind = server.local_endpoint();
    if (const emsock::status opened = udp_server.open(uo); !opened) {
      std::fprintf(stderr, "emsock-lwip-echo: the UDP server cannot bind: %s\n", emsock::describe(opened.code()));
      return 1;
    }
    (void)server.set_companion(udp_server.companion());
  }
  std::atomic<bool> stop{false};
  std::thread loop([&] {
    while (!stop.load()) (void)server.run_once(emsock::milliseconds{10});
  });

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  const auto n_clients = static_cast<std::size_t>(clients);  // at most max_clients: fits everywhere
  std::vector<std::uint64_t> verified(n_clients, 0);
  std::vector<const char*> failures(n_clients, nullptr);
  const emsock::endpoint where = server.local_endpoint();
  for (std::size_t k = 0; k < n_clients; ++k) {
    const std::uint64_t share = bytes / clients + (k < bytes % clients ? 1 : 0);
    threads.emplace_back([&, k, share] {
      verified[k] = udp ? run_udp_client(where, share, failures[k])
                        : run_client(where, share, static_cast<unsigned>(k + 1), failures[k]);
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stop = true;
  loop.join();
  server.close();
  udp_server.close();
#if defined(EMSOCK_PORT_LWIP)
  emsock::lwip::stop_loopback_stack();
#endif

  std::uint64_t total = 0;
  int status = 0;
  for (std::size_t k = 0; k < n_clients; ++k) {
    total += verified[k];
    if (failures[k] != nullptr) {
      std::fprintf(stderr, "emsock-lwip-echo: client %llu: %s\n", static_cast<unsigned long long>(k + 1), failures[k]);
      status = 1;
    }
  }
  if (total != bytes) status = 1;
  if (quiet) {
    std::printf("%llu %llu %.6f\n", static_cast<unsigned long long>(clients), static_cast<unsigned long long>(total),
                seconds);
  } else {
    std::printf("emsock-lwip-echo: %llu clients, %llu bytes echoed and verified%s over %s in %.2f s (%.1f MB/s)%s\n",
                static_cast<unsigned long long>(clients), static_cast<unsigned long long>(total),
                udp ? " in datagrams" : "", over, seconds,
                seconds > 0 ? static_cast<double>(total) / seconds / 1e6 : 0.0, status == 0 ? "" : " - FAILED");
  }
  return status;
}
