// SPDX-License-Identifier: MIT
// emsock-echo-server - the classic TCP echo server, on emsock's echo server engine; with --udp also
// the UDP echo (RFC 862) on the same port number, in the same loop (one wait per round).
//
// One thread, one event loop (epoll on Linux), a fixed pool of sessions; no allocation per connection. Prints
// "listening on ADDR:PORT" once it accepts connections, logs connects and disconnects (and, once per
// episode, accept failing for want of descriptors), datagrams echoed and dropped, and stops
// gracefully on SIGINT or SIGTERM.
#include <cstdio>
#include <string>

#include "emsock/port/echo_server.hpp"
#include "emsock/port/run_until_signal.hpp"  // host only: the SIGINT/SIGTERM loop
#include "emsock/port/udp_echo_server.hpp"
#include "options.hpp"

namespace {

using namespace emsock_examples;

/// The pool: at most this many clients at once, each with a buffer of this many bytes.
constexpr std::size_t max_clients_limit = 4096;
/// Descriptors beside the clients': stdio, the listener, the event set, the UDP socket, and some slack.
constexpr std::uint64_t other_descriptors = 16;
/// Enough for a burst of connections arriving together (the seed's 5 turns most of a burst of 64 away).
constexpr const char* default_backlog = "128";
constexpr std::size_t session_buffer = 16 * 1024;

// Static storage, 64 MiB of address space: a slot's buffer pages are touched only when a client uses them.
emsock::echo_server<max_clients_limit, session_buffer, 1> server;
/// --udp: datagrams waiting to go back, at most this many and this many bytes (any UDP datagram fits).
constexpr std::size_t udp_queue_datagrams = 256;
constexpr std::size_t udp_queue_bytes = 256 * 1024;
emsock::udp_echo_server<udp_queue_datagrams, udp_queue_bytes> udp_server;
volatile std::sig_atomic_t stop = 0;

const char usage[] =
    "Usage: emsock-echo-server [--bind ADDR] [--port N] [--backlog N] [--max-clients N]\n"
    "                          [--idle-timeout SECONDS] [--udp] [--quiet]\n"
    "\n"
    "Echoes every byte each client sends, until SIGINT or SIGTERM.\n"
    "  --bind ADDR             address to listen on, IPv4 or IPv6 (default 0.0.0.0)\n"
    "  --port N                TCP port, 0 picks a free one (default 1234)\n"
    "  --backlog N             pending connections the stack queues (default 128, enough for a\n"
    "                          burst of connections; --backlog 5 is the seed's)\n"
    "  --max-clients N         clients served at once, 1 to 4096 (default 4096); beyond it a new\n"
    "                          connection is accepted and closed at once. Memory: a 16 KiB buffer\n"
    "                          per client, reserved for 4096 (64 MiB of address space) but resident\n"
    "                          only once a client uses it (a fresh server holds under 1 MiB of its\n"
    "                          own). The open-file limit is raised to what N needs where the hard\n"
    "                          limit allows, with a warning when it does not\n"
    "  --idle-timeout SECONDS  close a client idle this long, e.g. 30 or 0.5 (default 0: never)\n"
    "  --udp                   also echo UDP datagrams on the same port number (RFC 862), each\n"
    "                          back whole to its sender; logged as 'datagram ADDR:PORT: N bytes\n"
    "                          echoed' (without it: TCP only)\n"
    "  --quiet                 do not log connects, disconnects and datagrams\n"
    "Prints 'listening on ADDR:PORT' when ready (with --udp, after 'udp echo on ADDR:PORT'). When\n"
    "no descriptor is left for a new connection (ulimit -n), accepting pauses (it is retried every\n"
    "100 ms, and whenever a client leaves) and is logged once, with the count of failed attempts\n"
    "when it works again; waiting clients stay in the backlog. With --udp, a datagram that finds\n"
    "the queue full (256 datagrams, 256 KiB) is dropped and logged. Exit status: 0 after a signal,\n"
    "1 on failure, 2 on a usage error.\n";

const char* end_text(emsock::echo_state s) {
  switch (s) {
    case emsock::echo_state::finished: return "closed by peer";
    case emsock::echo_state::timed_out: return "idle timeout";
    case emsock::echo_state::reset: return "reset by peer";
    case emsock::echo_state::open:
    case emsock::echo_state::draining: return "closed by the server (stopping)";
    default: return "failed";
  }
}

void log_event(void*, const emsock::echo_server_event& e) noexcept {
  const std::string peer = endpoint_text(e.peer);
  switch (e.kind) {
    case emsock::echo_server_event_kind::connected:
      std::printf("connect %s (%zu active)\n", peer.c_str(), e.active);
      break;
    case emsock::echo_server_event_kind::disconnected:
      std::printf("disconnect %s: %s%s%s, %llu bytes echoed (%zu active)\n", peer.c_str(), end_text(e.end),
                  e.error != emsock::errc::ok && e.end == emsock::echo_state::failed ? ": " : "",
                  e.error != emsock::errc::ok && e.end == emsock::echo_state::failed ? emsock::describe(e.error) : "",
                  static_cast<unsigned long long>(e.bytes), e.active);
      break;
    case emsock::echo_server_event_kind::rejected:
      std::printf("reject %s: %zu clients already (--max-clients)\n", peer.c_str(), e.active);
      break;
    case emsock::echo_server_event_kind::accept_failed:
      std::printf("accept failed: %s (accepting paused)\n", emsock::describe(e.error));
      break;
    case emsock::echo_server_event_kind::accept_resumed:
      std::printf("accepting again after %llu failed attempts\n", static_cast<unsigned long long>(e.count));
      break;
    case emsock::echo_server_event_kind::setup_failed:
      std::printf("drop %s: %s\n", peer.c_str(), emsock::describe(e.error));
      break;
  }
  std::fflush(stdout);
}

void log_datagram(void*, const emsock::udp_echo_event& e) noexcept {
  const std::string peer = endpoint_text(e.peer);
  switch (e.kind) {
    case emsock::udp_echo_event_kind::echoed:
      std::printf("datagram %s: %zu bytes echoed\n", peer.c_str(), e.bytes);
      break;
    case emsock::udp_echo_event_kind::dropped:
      if (e.reason == emsock::datagram_drop::send_failed)
        std::printf("datagram %s: %zu bytes dropped: %s\n", peer.c_str(), e.bytes, emsock::describe(e.error));
      else
        std::printf("datagram %s: %zu bytes dropped (%s)\n", peer.c_str(), e.bytes, emsock::name(e.reason));
      break;
    case emsock::udp_echo_event_kind::failed:
      std::printf("udp failed: %s (serving TCP only)\n", emsock::describe(e.error));
      break;
  }
  std::fflush(stdout);
}

int fail_usage(const std::string& message) { return usage_error("emsock-echo-server", message); }

}  // namespace

int main(int argc, char** argv) {
  std::string_view bind_text = "0.0.0.0", port_text = "1234", backlog_text = default_backlog, max_text, idle_text = "0";
  bool help = false, quiet = false, udp = false;
  std::vector<std::string_view> operands;
  std::string e = parse_options(argc, argv,
                                {{"--bind", &bind_text},
                                 {"--port", &port_text},
                                 {"--backlog", &backlog_text},
                                 {"--max-clients", &max_text},
                                 {"--idle-timeout", &idle_text},
                                 {"--udp", nullptr, &udp},
                                 {"--quiet", nullptr, &quiet},
                                 {"--help", nullptr, &help},
                                 {"-h", nullptr, &help}},
                                operands);
  if (!e.empty()) return fail_usage(e);
  if (help) {
    std::fputs(usage, stdout);
    return exit_ok;
  }
  if (!operands.empty()) return fail_usage("unexpected argument '" + std::string(operands[0]) + "'");

  emsock::echo_server_options o;
  emsock::ip_address bind;
  std::uint64_t port = 0, backlog = 0, max_clients = max_clients_limit;
  if (e = parse_address("--bind", bind_text, false, bind); !e.empty()) return fail_usage(e);
  if (e = parse_number("--port", port_text, 0, 65535, port); !e.empty()) return fail_usage(e);
  if (e = parse_number("--backlog", backlog_text, 0, 65535, backlog); !e.empty()) return fail_usage(e);
  if (!max_text.empty())
    if (e = parse_number("--max-clients", max_text, 1, max_clients_limit, max_clients); !e.empty()) return fail_usage(e);
  std::uint64_t idle_ms = 0;
  if (e = parse_seconds("--idle-timeout", idle_text, idle_ms); !e.empty()) return fail_usage(e);
  o.idle_timeout = emsock::milliseconds{static_cast<emsock::milliseconds::rep>(idle_ms)};  // at most 10^12
  o.bind = {bind, static_cast<std::uint16_t>(port)};
  o.backlog = static_cast<int>(backlog);
  o.max_clients = static_cast<std::size_t>(max_clients);

  std::string why;
  const std::uint64_t needed = max_clients + other_descriptors;
  const std::uint64_t file_limit = raise_file_limit(needed, why);
  // Asked for explicitly: say so when the limit cannot give it. By default, serve what it gives
  // (accepting pauses when descriptors run out, as the help says).
  if (!max_text.empty() && file_limit < needed)
    std::fprintf(stderr,
                 "emsock-echo-server: warning: --max-clients %llu needs about %llu descriptors but the "
                 "open-file limit is %llu%s%s (raise the hard limit: ulimit -Hn, prlimit); beyond about %llu "
                 "clients, new connections wait in the backlog\n",
                 static_cast<unsigned long long>(max_clients), static_cast<unsigned long long>(needed),
                 static_cast<unsigned long long>(file_limit), why.empty() ? "" : ": ", why.c_str(),
                 static_cast<unsigned long long>(file_limit > other_descriptors ? file_limit - other_descriptors : 0));

  stop_on_signals(stop);
  if (const emsock::status s = server.open(o); !s) {
    std::fprintf(stderr, "emsock-echo-server: cannot listen on %s: %s\n", endpoint_text(o.bind).c_str(),
                 emsock::describe(s.code()));
    return exit_failure;
  }
  if (udp) {  // the same port number as TCP, also when --port 0 picked it
    emsock::udp_echo_server_options uo;
    uo.bind = server.local_endpoint();
    if (const emsock::status s = udp_server.open(uo); !s) {
      std::fprintf(stderr, "emsock-echo-server: cannot receive UDP on %s: %s\n", endpoint_text(uo.bind).c_str(),
                   emsock::describe(s.code()));
      return exit_failure;
    }
    (void)server.set_companion(udp_server.companion());  // room for it: echo_server<..., 1>
    if (!quiet) udp_server.set_event_handler(log_datagram, nullptr);
  }
  if (!quiet) server.set_event_handler(log_event, nullptr);
  if (udp) std::printf("udp echo on %s\n", endpoint_text(udp_server.local_endpoint()).c_str());
  std::printf("listening on %s\n", endpoint_text(server.local_endpoint()).c_str());
  std::fflush(stdout);

  const emsock::status s = emsock::run_until_signal(server, stop);
  udp_server.close();  // sends what is still queued, as far as the socket takes it now
  const emsock::echo_server_stats& st = server.stats();
  std::printf("stopped: %llu accepted, %llu rejected, %llu bytes echoed\n",
              static_cast<unsigned long long>(st.accepted), static_cast<unsigned long long>(st.rejected),
              static_cast<unsigned long long>(st.bytes));
  if (udp) {
    const emsock::datagram_echo_stats& u = udp_server.stats();
    std::printf("stopped udp: %llu datagrams received, %llu echoed (%llu bytes), %llu dropped\n",
                static_cast<unsigned long long>(u.received), static_cast<unsigned long long>(u.echoed),
                static_cast<unsigned long long>(u.echoed_bytes), static_cast<unsigned long long>(u.dropped.total()));
  }
  if (!s) {
    std::fprintf(stderr, "emsock-echo-server: %s\n", emsock::describe(s.code()));
    return exit_failure;
  }
  return exit_ok;
}
