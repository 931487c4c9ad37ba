// SPDX-License-Identifier: MIT
// emsock-seed-firmware: the seed's Python program on the board, through emsock's API over lwIP's
// socket API (NO_SYS=0, port/lwip-config/socket-ethernet) on QEMU's LAN9118 under the board's kernel,
// each answer printed on the semihosting console:
//   seed: dns link (server 192.0.2.2)                     or: seed: dns loopback responder 127.0.0.1:53
//   seed: gethostname() = emsock-board                   (the netif's host name, announced by DHCP)
//   seed: getaddrinfo("host.emsock.test", 80, AF_INET, SOCK_STREAM, IPPROTO_TCP) = 192.0.2.2:80 stream tcp
//   seed: gethostbyname("emsock-board") = <the board's IPv4 address>
//   seed: inet_pton(AF_INET, "192.168.1.1") = valid      (and bad addresses: invalid (<errc> at <offset>))
//   seed: ip_to_int("192.168.1.1") = 3232235777           (struct.unpack("!L", inet_aton(...)))
//   seed: int_to_ip(3232235777) = 192.168.1.1
//   seed: server listening on 0.0.0.0:1234
//   seed: client dials 127.1 = 127.0.0.1:1234
//   Received data: Hi, Rocky!
//   seed: threads: the server thread and 2 client threads at once (2 connections open together), 20 round trips each, verified
//   seed: fullduplex: one socket, a sender thread and a receiver thread at once: 32768 bytes back, verified
//   seed: heap allocations after init: 0
//   seed: done
// then it exits 0 (QEMU's status); a step that fails prints "seed: FAILED: <what>" and exits 1.
//
// Names: by default the DNS server the link's DHCP gives (dnsmasq on the tap link answers
// host.emsock.test and the board's DHCP host name). With "dns=loopback" on the command line (QEMU
// -semihosting-config ...,arg=emsock-seed-firmware,arg=dns=loopback), where no tap link can be made, a
// DNS responder thread of this image on 127.0.0.1:53 answers the same names over the loopback path,
// and the first line says so.
//
// The threads (item 7 of issue 17): the server thread runs port/common's echo engine; two client
// threads hold a connection each, open at the same time, each on its own socket. One socket shared by
// a sender and a receiver thread is legal only with LWIP_NETCONN_FULLDUPLEX=1 (the threading contract
// of emsock/port/socket.hpp): this image is built with it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "board_network.hpp"
#include "cmsis_os2.h"
#include "emsock/drivers/lan9118.hpp"
#include "emsock/drivers/lan9118_tcpip.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/ipv6_address.hpp"
#include "emsock/mps2/board.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/names.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/port/udp.hpp"
#include "newlib_heap_count.hpp"

extern "C" {
#include "lwip/dns.h"
#include "lwip/tcpip.h"
}

namespace {

using namespace std::string_view_literals;

const char* const tag = "emsock-seed-firmware";
const char* const board_name = "emsock-board";
constexpr std::uint16_t seed_port = 1234;
constexpr std::size_t round_trips = 20;
constexpr std::size_t duplex_bytes = 32768;

emsock::drivers::lan9118 g_chip{emsock::mps2::lan9118_base};
emsock::drivers::lan9118_tcpip g_driver{g_chip};
netif g_netif;
emsock_example::address_report g_addresses;
emsock::echo_server<4, 1024> g_server;
volatile bool g_stop_server = false;
volatile std::size_t g_peak_active = 0;
volatile std::uint32_t g_board_ipv4 = 0;  // network order, for the loopback DNS responder

template <std::size_t Bytes>
struct thread_stack {
  alignas(8) std::uint8_t bytes[Bytes];
};
thread_stack<4096> g_main_stack;
thread_stack<3072> g_server_stack;
thread_stack<2048> g_client_stacks[2];
#if LWIP_NETCONN_FULLDUPLEX
thread_stack<2048> g_sender_stack;
#endif
thread_stack<2048> g_dns_stack;

[[noreturn]] void fail(const char* what, emsock::errc code = emsock::errc::ok) {
  if (code == emsock::errc::ok) {
    std::printf("seed: FAILED: %s\n", what);
  } else {
    std::printf("seed: FAILED: %s: %s\n", what, emsock::describe(code));
  }
  std::exit(1);
}

osThreadId_t start_thread(const char* name, osThreadFunc_t f, void* arg, void* stack, std::size_t size,
                          osPriority_t prio = osPriorityNormal) {
  osThreadAttr_t a{};
  a.name = name;
  a.stack_mem = stack;
  a.stack_size = static_cast<std::uint32_t>(size);
  a.priority = prio;
  osThreadId_t t = osThreadNew(f, arg, &a);
  if (t == nullptr) fail("osThreadNew");
  return t;
}

std::string_view text_of(const emsock::ipv4_address& a, char (&buf)[emsock::ipv4_address::max_text_len + 1]) {
  const emsock::to_chars_result r = a.to_chars(buf, buf + sizeof buf - 1);
  *r.ptr = '\0';
  return {buf, static_cast<std::size_t>(r.ptr - buf)};
}

// --- the DNS responder on loopback (dns=loopback) ---------------------------------------------------

/// The answer for `name` (lowercase, dotted): 0 for a name it does not know.
std::uint32_t dns_answer(std::string_view name) {
  if (name == "host.emsock.test"sv) return emsock::ipv4_address(192, 0, 2, 2).to_network_uint();
  if (name == "emsock-board"sv || name == "emsock-board.emsock.test"sv) return g_board_ipv4;
  return 0;
}

/// RFC 1035 answers to one-question queries: A records for the names dns_answer() knows, no record for
/// other types of those names, NXDOMAIN for the rest; anything malformed is ignored.
void dns_responder(void*) {
  emsock::result<emsock::udp_socket> s = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 53});
  if (!s) fail("the loopback DNS responder's socket", s.code());
  std::uint8_t m[512];
  for (;;) {
    const emsock::udp_recv_result r = s.value().recv_from(m, sizeof m);
    if (!r.ok() || r.size < 12 + 5 || (m[2] & 0x80) != 0 || m[4] != 0 || m[5] != 1) continue;
    char name[256];
    std::size_t n = 0;
    std::size_t at = 12;
    bool ok = true;
    while (at < r.size && m[at] != 0) {
      const std::size_t len = m[at++];
      if (len > 63 || at + len >= r.size || n + len + 1 >= sizeof name) {
        ok = false;
        break;
      }
      if (n > 0) name[n++] = '.';
      for (std::size_t i = 0; i < len; ++i) {
        const char c = static_cast<char>(m[at + i]);
        name[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      }
      at += len;
    }
    if (!ok || at + 5 > r.size) continue;
    at += 1;  // the root label
    const std::uint16_t qtype = static_cast<std::uint16_t>(m[at] << 8 | m[at + 1]);
    at += 4;  // type and class
    const std::uint32_t address = dns_answer({name, n});
    const bool answer = address != 0 && qtype == 1 && at + 16 <= sizeof m;
    m[2] = static_cast<std::uint8_t>(0x80 | (m[2] & 0x01));  // a response; RD as asked
    m[3] = static_cast<std::uint8_t>(address == 0 ? 0x83 : 0x80);  // RA, NXDOMAIN or no error
    m[6] = 0;
    m[7] = answer ? 1 : 0;
    m[8] = m[9] = m[10] = m[11] = 0;
    if (answer) {
      const std::uint8_t rr[16] = {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
                                   static_cast<std::uint8_t>(address), static_cast<std::uint8_t>(address >> 8),
                                   static_cast<std::uint8_t>(address >> 16), static_cast<std::uint8_t>(address >> 24)};
      std::memcpy(m + at, rr, sizeof rr);
      at += sizeof rr;
    }
    static_cast<void>(s.value().send_to(m, at, r.from));
  }
}

// --- the server thread and the client threads ---------------------------------------------------------

void server_thread(void*) {
  while (!g_stop_server) {
    const emsock::status s = g_server.run_once(emsock::milliseconds{20});
    if (!s && s.code() != emsock::errc::interrupted) fail("the server's loop", s.code());
    if (g_server.active() > g_peak_active) g_peak_active = g_server.active();
  }
  g_server.close();
}

struct client_job {
  unsigned id = 0;
  osSemaphoreId_t connected = nullptr;  // released by each client once connected
  osSemaphoreId_t go = nullptr;         // both connected: start the round trips
  osSemaphoreId_t done = nullptr;
  emsock::errc error = emsock::errc::ok;
  const char* step = "";
  std::size_t verified = 0;
};
client_job g_jobs[2];

emsock::errc receive_all(emsock::tcp_stream& s, std::uint8_t* data, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const emsock::result<std::size_t> n = s.recv(data + got, size - got);
    if (!n) return n.code();
    if (n.value() == 0) return emsock::errc::connection_reset;  // closed early
    got += n.value();
  }
  return emsock::errc::ok;
}

void client_thread(void* arg) {
  client_job& job = *static_cast<client_job*>(arg);
  emsock::result<emsock::tcp_stream> c =
      emsock::tcp_stream::connect({emsock::ipv4_address::loopback(), seed_port}, emsock::milliseconds{5000});
  if (!c) {
    job.step = "connect";
    job.error = c.code();
    osSemaphoreRelease(job.connected);
    osSemaphoreRelease(job.done);
    return;
  }
  osSemaphoreRelease(job.connected);
  osSemaphoreAcquire(job.go, osWaitForever);
  std::uint8_t out[100];
  std::uint8_t in[100];
  for (std::size_t round = 0; round < round_trips; ++round) {
    for (std::size_t i = 0; i < sizeof out; ++i) out[i] = static_cast<std::uint8_t>(job.id * 101 + round * 7 + i);
    const emsock::send_all_result sent = c.value().send_all(out, sizeof out);
    if (!sent) {
      job.step = "send";
      job.error = sent.code();
      break;
    }
    const emsock::errc e = receive_all(c.value(), in, sizeof in);
    if (e != emsock::errc::ok || std::memcmp(in, out, sizeof in) != 0) {
      job.step = e != emsock::errc::ok ? "recv" : "compare";
      job.error = e;
      break;
    }
    ++job.verified;
    osThreadYield();  // the other client's turn: the two exchanges interleave
  }
  osSemaphoreRelease(job.done);
}

#if LWIP_NETCONN_FULLDUPLEX
struct duplex_job {
  emsock::tcp_stream* stream = nullptr;
  osSemaphoreId_t done = nullptr;
  emsock::errc error = emsock::errc::ok;
};
duplex_job g_duplex;

std::uint8_t duplex_byte(std::size_t i) { return static_cast<std::uint8_t>((i * 13) ^ (i >> 8)); }

void sender_thread(void*) {
  std::uint8_t chunk[512];
  for (std::size_t at = 0; at < duplex_bytes; at += sizeof chunk) {
    for (std::size_t i = 0; i < sizeof chunk; ++i) chunk[i] = duplex_byte(at + i);
    const emsock::send_all_result r = g_duplex.stream->send_all(chunk, sizeof chunk);
    if (!r) {
      g_duplex.error = r.code();
      break;
    }
  }
  osSemaphoreRelease(g_duplex.done);
}
#endif

// --- the seed's steps ------------------------------------------------------------------------------

void print_pton(emsock::ip_family family, std::string_view text) {
  const bool v4 = family == emsock::ip_family::v4;
  emsock::status s = v4 ? emsock::status(emsock::ipv4_address::parse(text).code(),
                                         emsock::ipv4_address::parse(text).offset())
                        : emsock::status(emsock::ipv6_address::parse(text).code(),
                                         emsock::ipv6_address::parse(text).offset());
  if (s) {
    std::printf("seed: inet_pton(%s, \"%.*s\") = valid\n", v4 ? "AF_INET" : "AF_INET6", static_cast<int>(text.size()),
                text.data());
  } else {
    std::printf("seed: inet_pton(%s, \"%.*s\") = invalid (%s at %u)\n", v4 ? "AF_INET" : "AF_INET6",
                static_cast<int>(text.size()), text.data(), emsock::name(s.code()), static_cast<unsigned>(s.offset()));
  }
}

void seed_main(void*) {
  char line[160] = {};
  static_cast<void>(emsock::mps2::command_line(line, sizeof line));
  const bool dns_loopback = std::strstr(line, "dns=loopback") != nullptr;
  if (!emsock_example::start_network(tag, g_chip, g_driver, g_netif, board_name, 1024, osPriorityRealtime)) {
    std::exit(1);
  }
  // An IPv4 address (DHCP, or AutoIP after some seconds), and in link mode the DNS server DHCP gave.
  for (int i = 0;; ++i) {
    LOCK_TCPIP_CORE();
    g_addresses.poll(tag, g_netif);
    const std::uint32_t v4 = ip4_addr_get_u32(netif_ip4_addr(&g_netif));
    const bool have_dns = !ip_addr_isany(dns_getserver(0));
    UNLOCK_TCPIP_CORE();
    if (v4 != 0 && (dns_loopback || have_dns)) {
      g_board_ipv4 = v4;
      break;
    }
    if (i == 300) fail("no IPv4 address (and DNS server) within 30 s");
    osDelay(100);
  }
  if (dns_loopback) {
    start_thread("dns", dns_responder, nullptr, g_dns_stack.bytes, sizeof g_dns_stack.bytes, osPriorityAboveNormal);
    ip_addr_t server;
    IP_ADDR4(&server, 127, 0, 0, 1);
    LOCK_TCPIP_CORE();
    dns_setserver(0, &server);
    dns_setserver(1, nullptr);
    UNLOCK_TCPIP_CORE();
    std::printf("seed: dns loopback responder 127.0.0.1:53\n");
  } else {
    LOCK_TCPIP_CORE();
    const emsock::ipv4_address server = emsock::ipv4_address::from_network_uint(ip4_addr_get_u32(ip_2_ip4(dns_getserver(0))));
    UNLOCK_TCPIP_CORE();
    char t[emsock::ipv4_address::max_text_len + 1];
    std::printf("seed: dns link (server %s)\n", text_of(server, t).data());
  }

  // The server thread: port/common's echo engine on 0.0.0.0:1234.
  emsock::echo_server_options o;
  o.bind = {emsock::ipv4_address::any(), seed_port};
  o.backlog = 5;  // the seed's
  if (const emsock::status s = g_server.open(o); !s) fail("listen on 0.0.0.0:1234", s.code());
  const std::uint32_t allocations_at_init = emsock::test::heap_allocations();
  start_thread("server", server_thread, nullptr, g_server_stack.bytes, sizeof g_server_stack.bytes);

  // gethostname()
  char host[emsock::max_host_name_len + 1] = {};
  if (const emsock::result<std::size_t> n = emsock::host_name(host); !n) fail("gethostname", n.code());
  std::printf("seed: gethostname() = %s\n", host);

  // getaddrinfo("host.emsock.test", 80, AF_INET, SOCK_STREAM, IPPROTO_TCP)
  emsock::resolve_hints hints;
  hints.family = emsock::resolve_family::inet;
  hints.type = emsock::socket_type::stream;
  hints.protocol = emsock::ip_protocol::tcp;
  emsock::resolved found[4];
  const emsock::result<emsock::resolve_count> rc = emsock::resolve("host.emsock.test", "80", hints, found);
  if (!rc || rc.value().stored == 0) fail("getaddrinfo(\"host.emsock.test\")", rc ? emsock::errc::ok : rc.code());
  for (std::size_t i = 0; i < rc.value().stored; ++i) {
    char t[emsock::endpoint::max_text_len + 1];
    const emsock::to_chars_result r = found[i].where.to_chars(t, t + sizeof t - 1);
    *r.ptr = '\0';
    std::printf("seed: getaddrinfo(\"host.emsock.test\", 80, AF_INET, SOCK_STREAM, IPPROTO_TCP) = %s %s %s\n", t,
                found[i].type == emsock::socket_type::stream ? "stream" : "other",
                found[i].protocol == emsock::ip_protocol::tcp ? "tcp" : "other");
  }

  // gethostbyname(gethostname())
  const emsock::result<emsock::ipv4_address> me = emsock::resolve_ipv4(host);
  if (!me) fail("gethostbyname(gethostname())", me.code());
  char t[emsock::ipv4_address::max_text_len + 1];
  std::printf("seed: gethostbyname(\"%s\") = %s\n", host, text_of(me.value(), t).data());

  // inet_pton: good and bad addresses.
  for (std::string_view a : {"192.168.1.1"sv, "10.0.2.15"sv, "256.1.1.1"sv, "1.2.3"sv, "1.2.3.4 junk"sv, "01.2.3.4"sv})
    print_pton(emsock::ip_family::v4, a);
  for (std::string_view a : {"::1"sv, "2001:db8::1"sv, "fe80::1:2:3:4"sv, "2001:db8::1::2"sv, "12345::1"sv, ":::"sv})
    print_pton(emsock::ip_family::v6, a);

  // IP <-> int: struct.unpack("!L", inet_aton(ip)) and back.
  for (std::string_view a : {"192.168.1.1"sv, "10.0.2.15"sv, "255.255.255.255"sv}) {
    const emsock::result<emsock::ipv4_address> p = emsock::ipv4_address::parse(a);
    if (!p) fail("ip_to_int", p.code());
    const std::uint32_t n = p.value().to_uint();
    std::printf("seed: ip_to_int(\"%.*s\") = %lu\n", static_cast<int>(a.size()), a.data(), static_cast<unsigned long>(n));
    std::printf("seed: int_to_ip(%lu) = %s\n", static_cast<unsigned long>(n),
                text_of(emsock::ipv4_address::from_uint(n), t).data());
  }

  // The seed's client: dial 127.1, send "Hi, Rocky!", print what came back.
  std::printf("seed: server listening on 0.0.0.0:%u\n", static_cast<unsigned>(seed_port));
  const emsock::result<emsock::ipv4_address> dial = emsock::ipv4_address::parse_legacy("127.1");
  if (!dial) fail("127.1", dial.code());
  std::printf("seed: client dials 127.1 = %s:%u\n", text_of(dial.value(), t).data(), static_cast<unsigned>(seed_port));
  {
    emsock::result<emsock::tcp_stream> c = emsock::tcp_stream::connect({dial.value(), seed_port}, emsock::milliseconds{5000});
    if (!c) fail("connect to 127.1:1234", c.code());
    static constexpr char hi[] = "Hi, Rocky!";
    const emsock::send_all_result sent = c.value().send_all(hi, sizeof hi - 1);
    if (!sent) fail("send", sent.code());
    char data[1024] = {};
    if (const emsock::errc e = receive_all(c.value(), reinterpret_cast<std::uint8_t*>(data), sizeof hi - 1);
        e != emsock::errc::ok)
      fail("recv", e);
    std::printf("Received data: %s\n", data);
  }

  // Threads: two client threads, each with its own connection, both open at once.
  for (unsigned i = 0; i < 2; ++i) {
    g_jobs[i].id = i + 1;
    g_jobs[i].connected = osSemaphoreNew(1, 0, nullptr);
    g_jobs[i].go = osSemaphoreNew(1, 0, nullptr);
    g_jobs[i].done = osSemaphoreNew(1, 0, nullptr);
    if (g_jobs[i].connected == nullptr || g_jobs[i].go == nullptr || g_jobs[i].done == nullptr) fail("osSemaphoreNew");
    start_thread(i == 0 ? "client1" : "client2", client_thread, &g_jobs[i], g_client_stacks[i].bytes,
                 sizeof g_client_stacks[i].bytes);
  }
  for (client_job& j : g_jobs) osSemaphoreAcquire(j.connected, osWaitForever);
  for (client_job& j : g_jobs) osSemaphoreRelease(j.go);
  for (client_job& j : g_jobs) osSemaphoreAcquire(j.done, osWaitForever);
  for (const client_job& j : g_jobs) {
    if (j.verified != round_trips) {
      std::printf("seed: FAILED: client thread %u: %s: %s after %u round trips\n", j.id, j.step,
                  emsock::describe(j.error), static_cast<unsigned>(j.verified));
      std::exit(1);
    }
  }
  std::printf("seed: threads: the server thread and 2 client threads at once (%u connections open together), "
              "%u round trips each, verified\n",
              static_cast<unsigned>(g_peak_active), static_cast<unsigned>(round_trips));

#if LWIP_NETCONN_FULLDUPLEX
  // One socket, a sender thread and this (receiving) thread at once.
  {
    emsock::result<emsock::tcp_stream> c =
        emsock::tcp_stream::connect({emsock::ipv4_address::loopback(), seed_port}, emsock::milliseconds{5000});
    if (!c) fail("fullduplex connect", c.code());
    g_duplex.stream = &c.value();
    g_duplex.done = osSemaphoreNew(1, 0, nullptr);
    if (g_duplex.done == nullptr) fail("osSemaphoreNew");
    start_thread("sender", sender_thread, nullptr, g_sender_stack.bytes, sizeof g_sender_stack.bytes);
    std::uint8_t chunk[700];
    std::size_t got = 0;
    while (got < duplex_bytes) {
      const std::size_t want = duplex_bytes - got < sizeof chunk ? duplex_bytes - got : sizeof chunk;
      const emsock::result<std::size_t> n = c.value().recv(chunk, want);
      if (!n) fail("fullduplex recv", n.code());
      if (n.value() == 0) fail("fullduplex: the server closed early");
      for (std::size_t i = 0; i < n.value(); ++i)
        if (chunk[i] != duplex_byte(got + i)) fail("fullduplex: a byte came back different");
      got += n.value();
    }
    osSemaphoreAcquire(g_duplex.done, osWaitForever);
    if (g_duplex.error != emsock::errc::ok) fail("fullduplex send", g_duplex.error);
    std::printf("seed: fullduplex: one socket, a sender thread and a receiver thread at once: %u bytes back, verified\n",
                static_cast<unsigned>(got));
  }
#else
  std::printf("seed: fullduplex: skipped (built with LWIP_NETCONN_FULLDUPLEX=0: one socket is one thread's)\n");
#endif

  g_stop_server = true;
  std::printf("seed: heap allocations after init: %lu\n",
              static_cast<unsigned long>(emsock::test::heap_allocations() - allocations_at_init));
  std::printf("seed: done\n");
  std::exit(0);
}

}  // namespace

int main() {
  if (osKernelInitialize() != osOK) return 1;
  start_thread("seed", seed_main, nullptr, g_main_stack.bytes, sizeof g_main_stack.bytes);
  osKernelStart();  // does not return
  return 1;
}
