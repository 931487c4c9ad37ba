// SPDX-License-Identifier: MIT
// emsock-echo-client - the classic TCP echo client, with every echo verified byte by byte.
//
// Each repeat is one connection: connect (with a timeout), send the message while reading what
// comes back, shut down the sending side once everything was sent, and wait for the server's close.
// The verification is core's echo_client_session (sans-IO); this file only moves bytes between it
// and a non-blocking tcp_stream watched by a poll_set, and lets time pass. Every wait is bounded by
// the deadline of the exchange (--timeout). --udp sends datagrams instead (udp_client.cpp).
#include <algorithm>
#include <climits>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "emsock/datagram_echo.hpp"
#include "emsock/echo_client_session.hpp"
#include "emsock/port/clock.hpp"
#include "emsock/port/names.hpp"
#include "emsock/port/poll_set.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/port/udp.hpp"
#include "options.hpp"
#include "udp_client.hpp"

namespace {

using namespace emsock_examples;

constexpr std::uint64_t max_repeat = 1000000;
constexpr std::uint64_t max_size = 64 * 1024 * 1024;
/// Resolved addresses of --host kept (tried in the resolver's order).
constexpr std::size_t max_addresses = 16;
/// recv() and send() calls per socket per poll round: keeps a round short whatever the peer does.
constexpr int calls_per_round = 16;

/// The receive scratch buffer: what recv() wrote is checked at once, then overwritten.
std::uint8_t scratch[64 * 1024];

const char usage[] =
    "Usage: emsock-echo-client [--host H] [--port N] [--repeat N] [--size BYTES]\n"
    "                          [--timeout SECONDS] [MESSAGE]\n"
    "       emsock-echo-client --udp [--host H] [--port N] [--repeat N] [--size BYTES]\n"
    "                          [--timeout SECONDS] [MESSAGE]\n"
    "\n"
    "Sends MESSAGE (default \"Hello, world\") or BYTES random bytes to a TCP echo server and\n"
    "verifies that exactly the same bytes come back, in order, before the server closes.\n"
    "Each repeat is a new connection: connect, send, receive, close.\n"
    "  --host H           server: IPv4 in any inet_aton form (127.1, 0x7f.1), IPv6 (::1,\n"
    "                     fe80::1%eth0), or a host name to resolve (default 127.1)\n"
    "  --port N           TCP port, 1 to 65535 (default 1234)\n"
    "  --repeat N         exchanges, 1 to 1000000 (default 1); stops at the first failure\n"
    "  --size BYTES       send BYTES random bytes (1 to 67108864) instead of a MESSAGE\n"
    "  --timeout SECONDS  limit for each exchange, connect included, e.g. 5 or 0.5 (default 10)\n"
    "  --udp              UDP instead: each repeat is one datagram (a 5-byte sequence header,\n"
    "                     then MESSAGE or the random bytes), sent and verified one at a time;\n"
    "                     one with no echo is sent again (3 retries within --timeout, which\n"
    "                     bounds each datagram); --size is the datagram's size, 5 to 65507\n"
    "  -h, --help         print this help and exit\n"
    "\n"
    "Output, one line per verified echo, then a summary:\n"
    "  received: <MESSAGE>                      (a MESSAGE)\n"
    "  received <BYTES> bytes, verified         (--size)\n"
    "  summary: <K>/<N> verified, <B> bytes echoed, <T> ms   (--udp: then ', <R> retries')\n"
    "A failure is reported on standard error as 'emsock-echo-client: echo <K>/<N>: <reason>', e.g.\n"
    "'cannot connect to 127.0.0.1:1234: connection refused', 'echo mismatch at byte 17',\n"
    "'early close: the server closed after 3 of 5 bytes came back', 'timed out ...'.\n"
    "\n"
    "Exit status: 0 every echo verified, 1 a failure (connection, mismatch, early close,\n"
    "timeout, name resolution; --udp: a datagram lost after its retries, a wrong echo, ICMP\n"
    "'connection refused'), 2 usage error.\n";

int fail_usage(const std::string& message) { return usage_error("emsock-echo-client", message); }

/// True for text that can only be meant as an IPv4 address (the last dot-separated part is a
/// number: a top-level domain is never all-numeric) or that no host name can hold (characters
/// other than letters, digits, '-', '_' and '.'). Such text is not handed to the resolver.
bool address_only(std::string_view text) {
  for (char c : text) {
    const bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '_' || c == '.';
    if (!name_char) return true;
  }
  std::string_view last = text;
  if (!last.empty() && last.back() == '.') last.remove_suffix(1);
  if (const auto dot = last.rfind('.'); dot != std::string_view::npos) last = last.substr(dot + 1);
  if (last.empty()) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) return true;
  return std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// How one exchange ended.
struct exchange_report {
  bool connected = false;
  emsock::errc connect_error = emsock::errc::ok;  ///< !connected: why the last attempt failed
  emsock::endpoint tried;                         ///< the endpoint connected to, or tried last
  emsock::echo_outcome outcome = emsock::echo_outcome::pending;
  emsock::errc error = emsock::errc::ok;  ///< the session's error()
  std::size_t offset = 0;                 ///< the session's offset()
  std::size_t verified = 0;
};

/// Reads what is there into the session (and appends it to `echo` when given, up to `limit`
/// bytes). Stops at would_block, at the end of the exchange, or after calls_per_round calls.
void receive(emsock::tcp_stream& stream, emsock::echo_client_session& s, std::string* echo, std::size_t limit) {
  for (int i = 0; i < calls_per_round && !s.done(); ++i) {
    const emsock::result<std::size_t> r = stream.recv(scratch, sizeof scratch);
    if (!r) {
      if (r.code() == emsock::errc::would_block) return;
      (void)s.on_error(r.code());  // connection_reset gives outcome reset
      return;
    }
    if (*r == 0) {
      (void)s.on_peer_closed();
      return;
    }
    if (echo != nullptr && echo->size() < limit)
      echo->append(reinterpret_cast<const char*>(scratch), std::min(*r, limit - echo->size()));
    (void)s.on_received({scratch, *r});
  }
}

/// Sends what the session has pending. A peer that is gone (broken pipe, reset) is read first, so
/// that a clean close shows as early_close rather than as the send error it caused.
void send(emsock::tcp_stream& stream, emsock::echo_client_session& s, std::string* echo, std::size_t limit) {
  for (int i = 0; i < calls_per_round && !s.done(); ++i) {
    const emsock::const_byte_span pending = s.pending_send();
    if (pending.empty()) return;
    const emsock::result<std::size_t> r = stream.send(pending.data, pending.size);
    if (!r) {
      if (r.code() == emsock::errc::would_block) return;
      receive(stream, s, echo, limit);
      if (!s.done()) (void)s.on_error(r.code());
      return;
    }
    (void)s.on_sent(*r);
  }
}

/// One exchange: connect to the first endpoint that answers, echo `message`, close. `echo` (may be
/// null) receives the bytes that came back. Bounded by timeout_ms from now.
exchange_report exchange(const std::vector<emsock::endpoint>& where, emsock::const_byte_span message,
                         std::uint64_t timeout_ms, std::string* echo) {
  exchange_report report;
  const std::uint64_t deadline = emsock::monotonic_ms() + timeout_ms;
  emsock::tcp_stream stream;
  for (const emsock::endpoint& e : where) {
    const std::uint64_t now = emsock::monotonic_ms();
    report.tried = e;
    if (now >= deadline) {
      report.connect_error = emsock::errc::timed_out;
      break;
    }
    const emsock::milliseconds wait{static_cast<int>(std::min<std::uint64_t>(deadline - now, INT_MAX))};
    emsock::result<emsock::tcp_stream> c = emsock::tcp_stream::connect(e, wait);
    if (c) {
      stream = std::move(c).value();
      break;
    }
    report.connect_error = c.code();
  }
  if (!stream.valid()) return report;
  report.connected = true;
  report.connect_error = emsock::errc::ok;

  emsock::echo_client_session s(message, deadline, true);
  if (const emsock::status nb = stream.set_non_blocking(true); !nb) (void)s.on_error(nb.code());
  (void)stream.set_no_delay(true);  // small messages go out at once
  emsock::poll_set<1> polls;
  bool shut_down = false;
  while (!s.done()) {
    const emsock::echo_interest want = s.interest();
    if (want.shutdown_write && !shut_down) {
      shut_down = true;  // our FIN: the server drains the rest of the echo and closes
      if (const emsock::status st = stream.shutdown(emsock::shutdown_how::write); !st) {
        receive(stream, s, echo, message.size);
        if (!s.done()) (void)s.on_error(st.code());
        continue;
      }
    }
    polls.clear();
    (void)polls.add(stream.native_handle(), want.read, want.write);  // cannot fail: room for one
    const std::uint64_t now = emsock::monotonic_ms();
    const std::uint64_t at = s.poll_at();
    const emsock::milliseconds wait{at <= now ? 0 : static_cast<int>(std::min<std::uint64_t>(at - now, 1000))};
    const emsock::result<std::size_t> ready = polls.wait(wait);
    if (!ready && ready.code() != emsock::errc::interrupted) {
      (void)s.on_error(ready.code());
      break;
    }
    if (ready && *ready > 0) {
      const emsock::poll_events ev = polls.events(0);
      if (ev.readable || ev.hangup || ev.error) receive(stream, s, echo, message.size);
      if (ev.writable) send(stream, s, echo, message.size);
    }
    s.on_tick(emsock::monotonic_ms());
  }
  report.outcome = s.outcome();
  report.error = s.error();
  report.offset = s.offset();
  report.verified = s.verified();
  return report;
}

/// What went wrong, in one line without the program name.
std::string failure_text(const exchange_report& r, std::size_t size) {
  const std::string came_back = std::to_string(r.verified) + " of " + std::to_string(size) + " bytes came back";
  if (!r.connected)
    return "cannot connect to " + endpoint_text(r.tried) + ": " + emsock::describe(r.connect_error);
  switch (r.outcome) {
    case emsock::echo_outcome::mismatch: return "echo mismatch at byte " + std::to_string(r.offset);
    case emsock::echo_outcome::early_close: return "early close: the server closed after " + came_back;
    case emsock::echo_outcome::unexpected_data:
      return "unexpected data at byte " + std::to_string(r.offset) + ": the server sent more than was sent";
    case emsock::echo_outcome::timed_out: return "timed out: " + came_back;
    case emsock::echo_outcome::reset: return "connection reset by peer: " + came_back;
    case emsock::echo_outcome::transport_error:
      return std::string(emsock::describe(r.error)) + ": " + came_back;
    default: return "unexpected end (" + std::string(emsock::name(r.outcome)) + ")";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view host_text = "127.1", port_text = "1234", repeat_text = "1", size_text, timeout_text = "10";
  bool help = false, udp = false;
  std::vector<std::string_view> operands;
  std::string e = parse_options(argc, argv,
                                {{"--host", &host_text},
                                 {"--port", &port_text},
                                 {"--repeat", &repeat_text},
                                 {"--size", &size_text},
                                 {"--timeout", &timeout_text},
                                 {"--udp", nullptr, &udp},
                                 {"--help", nullptr, &help},
                                 {"-h", nullptr, &help}},
                                operands);
  if (!e.empty()) return fail_usage(e);
  if (help) {
    std::fputs(usage, stdout);
    return exit_ok;
  }
  if (operands.size() > 1) return fail_usage("unexpected argument '" + std::string(operands[1]) + "' (one MESSAGE at most)");
  // A given option has a non-null data() even when its value is empty ("--size="); an absent one has none.
  const bool random = size_text.data() != nullptr;
  if (!operands.empty() && random) return fail_usage("give a MESSAGE or --size, not both");

  std::uint64_t port = 0, repeat = 0, size = 0, timeout_ms = 0;
  if (e = parse_number("--port", port_text, 1, 65535, port); !e.empty()) return fail_usage(e);
  if (e = parse_number("--repeat", repeat_text, 1, max_repeat, repeat); !e.empty()) return fail_usage(e);
  if (random) {
    if (udp)
      e = parse_number("--size", size_text, emsock::datagram_echo_client_base::header_size, emsock::max_udp_payload_v4,
                       size);
    else
      e = parse_number("--size", size_text, 1, max_size, size);
    if (!e.empty()) return fail_usage(e);
  }
  if (udp && !operands.empty() &&
      operands[0].size() > emsock::max_udp_payload_v4 - emsock::datagram_echo_client_base::header_size)
    return fail_usage("MESSAGE: " + std::to_string(operands[0].size()) + " bytes do not fit one datagram (at most " +
                      std::to_string(emsock::max_udp_payload_v4 - emsock::datagram_echo_client_base::header_size) +
                      " with --udp)");
  if (e = parse_seconds("--timeout", timeout_text, timeout_ms); !e.empty()) return fail_usage(e);
  if (timeout_ms == 0) return fail_usage("--timeout: must be more than 0");

  // --host: an address in any form first; text that can only be an address must parse as one.
  std::vector<emsock::endpoint> where;
  emsock::ip_address address;
  if (e = parse_address("--host", host_text, true, address); e.empty()) {
    where.push_back({address, static_cast<std::uint16_t>(port)});
  } else if (host_text.empty() || address_only(host_text)) {
    return fail_usage(e);
  } else {
    emsock::resolve_hints hints;
    hints.type = udp ? emsock::socket_type::dgram : emsock::socket_type::stream;
    emsock::resolved found[max_addresses];
    const auto r = emsock::resolve(host_text, port_text, hints, found);
    if (!r) {
      std::fprintf(stderr, "emsock-echo-client: cannot resolve '%.*s': %s\n", static_cast<int>(host_text.size()),
                   host_text.data(), emsock::describe(r.code()));
      return exit_failure;
    }
    for (std::size_t i = 0; i < r->stored; ++i) where.push_back(found[i].where);
  }

  std::string message = operands.empty() ? std::string("Hello, world") : std::string(operands[0]);
  std::mt19937_64 generator{std::random_device{}()};
  if (udp) {  // one datagram per repeat, to the first address (UDP cannot tell which one answers)
    udp_request u;
    u.server = where.front();
    u.repeat = static_cast<std::uint32_t>(repeat);
    u.random = random;
    u.timeout_ms = timeout_ms;
    if (random) {  // random bytes after the header; the header makes each datagram unique
      message.resize(static_cast<std::size_t>(size) - emsock::datagram_echo_client_base::header_size);
      for (char& c : message) c = static_cast<char>(generator() & 0xffu);
    }
    u.size = message.size() + emsock::datagram_echo_client_base::header_size;
    u.payload = {reinterpret_cast<const std::uint8_t*>(message.data()), message.size()};
    return run_udp(u);
  }
  std::string echo;
  std::uint64_t verified = 0, bytes = 0;
  const std::uint64_t start = emsock::monotonic_ms();
  bool failed = false;
  for (std::uint64_t k = 1; k <= repeat; ++k) {
    if (random) {  // fresh bytes every time, so a stale echo cannot pass
      message.resize(static_cast<std::size_t>(size));
      for (char& c : message) c = static_cast<char>(generator() & 0xffu);
    }
    echo.clear();
    const emsock::const_byte_span span{reinterpret_cast<const std::uint8_t*>(message.data()), message.size()};
    const exchange_report r = exchange(where, span, timeout_ms, random ? nullptr : &echo);
    if (r.outcome != emsock::echo_outcome::success) {
      std::fflush(stdout);
      std::fprintf(stderr, "emsock-echo-client: echo %llu/%llu: %s\n", static_cast<unsigned long long>(k),
                   static_cast<unsigned long long>(repeat), failure_text(r, message.size()).c_str());
      failed = true;
      break;
    }
    ++verified;
    bytes += message.size();
    if (random)
      std::printf("received %zu bytes, verified\n", message.size());
    else
      std::printf("received: %s\n", echo.c_str());
  }
  std::printf("summary: %llu/%llu verified, %llu bytes echoed, %llu ms\n", static_cast<unsigned long long>(verified),
              static_cast<unsigned long long>(repeat), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(emsock::monotonic_ms() - start));
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "emsock-echo-client: cannot write standard output\n");
    return exit_failure;
  }
  return failed ? exit_failure : exit_ok;
}
