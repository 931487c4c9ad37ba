// SPDX-License-Identifier: MIT
// The lwip-raw backend's own promises (emsock/port/native_lwip_raw.hpp), beyond the conformance suite:
// a call from inside the stack is called_from_callback, a wait without a hook does not hang, received
// data pins no pool buffer whatever the segment sizes (a thousand 1-byte segments), the accept queue
// is fixed, a UDP datagram without room is dropped and counted, never cut.
#include <cstring>
#include <vector>

#include "conformance.hpp"
#include "dns_message.hpp"
#include "lwip_raw_dns_responder.hpp"
#include "lwip_raw_loopback.hpp"

extern "C" {
#include "lwip/priv/tcp_priv.h"  // tcp_slowtmr, TCP_MSL: lwIP's TIME_WAIT ageing, run by the test
#include "lwip/udp.h"
}

using emsock::errc;
using emsock::tcp_stream;
using namespace std::chrono_literals;
namespace lwip_raw = emsock::lwip_raw;

namespace {

/// What the hook below saw when it called emsock from inside the stack.
errc seen_in_hook = errc::ok;
emsock::native_handle_type hook_target = emsock::invalid_native_handle;

void calling_hook(void* context, emsock::milliseconds may_sleep) {
  tcp_stream borrowed(hook_target);  // an object over the handle, released again below
  std::uint8_t b;
  seen_in_hook = borrowed.recv(&b, 1).code();
  (void)borrowed.release();
  lwip_raw_test::loopback_hook(context, may_sleep);
}

/// A raw UDP callback of the application's own that calls emsock (the contract violation).
errc seen_in_callback = errc::ok;
void calling_udp_callback(void*, udp_pcb*, pbuf* p, const ip_addr_t*, u16_t) {
  seen_in_callback = emsock::udp_socket::open(conformance::loopback_v4(0)).code();
  pbuf_free(p);
}

struct restore_hook {
  ~restore_hook() { lwip_raw::set_drive_hook(lwip_raw_test::loopback_hook, nullptr); }
};

std::size_t buffered(const emsock::native_handle_type h) {
  const auto m = lwip_raw::memory_of(h);
  CHECK_OK(m);
  return m ? m->buffered : 0;
}

}  // namespace

TEST_GROUP_BASE(lwip_raw_contract, conformance::handle_leak_check){};

TEST(lwip_raw_contract, a_call_from_the_drive_hook_is_called_from_callback) {
  restore_hook restore;
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  hook_target = c.server.native_handle();
  lwip_raw::set_drive_hook(calling_hook, nullptr);
  CHECK_OK(c.client.send("x", 1));
  std::uint8_t b = 0;
  const auto n = c.server.recv(&b, 1);  // waits through the hook, which calls recv itself
  CHECK_OK(n);
  UNSIGNED_LONGS_EQUAL('x', b);
  STRCMP_EQUAL("called_from_callback", emsock::name(seen_in_hook));
}

TEST(lwip_raw_contract, a_call_from_an_applications_raw_callback_is_called_from_callback) {
  udp_pcb* pcb = udp_new();
  CHECK(pcb != nullptr);
  ip_addr_t any = *IP4_ADDR_ANY;
  CHECK(udp_bind(pcb, &any, 0) == ERR_OK);
  udp_recv(pcb, calling_udp_callback, nullptr);
  emsock::udp_socket sender = conformance::open_udp(conformance::loopback_v4(0));
  CHECK_OK(sender.send_to("x", 1, conformance::loopback_v4(pcb->local_port)));
  seen_in_callback = errc::ok;
  for (int r = 0; r < 10 && seen_in_callback == errc::ok; ++r) CHECK_OK(lwip_raw::service(0ms));
  udp_remove(pcb);
  STRCMP_EQUAL("called_from_callback", emsock::name(seen_in_callback));  // and nothing was opened
}

TEST(lwip_raw_contract, without_a_hook_a_wait_answers_at_once) {
  restore_hook restore;
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  lwip_raw::set_drive_hook(nullptr, nullptr);
  std::uint8_t b;
  const auto start = conformance::now_ms();
  CHECK_ERRC(errc::timed_out, c.server.recv(&b, 1));  // blocking, no receive timeout: would hang with a hook
  CHECK(conformance::now_ms() - start < 100);
  CHECK_ERRC(errc::operation_not_supported, lwip_raw::service(0ms));
}

TEST_GROUP_BASE(lwip_raw_memory, conformance::handle_leak_check){};

TEST(lwip_raw_memory, a_thousand_one_byte_segments_pin_no_pool_buffer) {
  // The small-segment starvation: each 1-byte segment is copied into the receiver's buffer and its
  // pbuf freed at once; nothing is pinned, nothing dropped, and another connection is served meanwhile.
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  CHECK_OK(c.client.set_no_delay(true));  // one segment per send
  CHECK_OK(c.client.set_non_blocking(true));
  std::size_t sent = 0;
  unsigned refused = 0;
  for (unsigned i = 0; i < 3000 && refused < 50; ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(i * 7);
    const auto n = c.client.send(&b, 1);
    if (n) {
      sent += n.value();
      refused = 0;
    } else {
      CHECK_ERRC(errc::would_block, n);
      ++refused;
    }
    CHECK_OK(lwip_raw::service(0ms));
    const auto m = lwip_raw::memory_of(c.server.native_handle());
    CHECK_OK(m);
    UNSIGNED_LONGS_EQUAL(0, m->pinned_pbufs);
    CHECK(m->buffered <= lwip_raw::rx_buffer_size);
  }
  CHECK_TEXT(sent >= 1000, "fewer than 1000 one-byte segments went out");
  const std::size_t held = buffered(c.server.native_handle());
  CHECK(held > 0);

  conformance::connection other = conformance::connect_pair(conformance::loopback_v4(0));  // served meanwhile
  CHECK_OK(other.client.send("ok", 2));
  char two[2];
  UNSIGNED_LONGS_EQUAL(2, conformance::recv_exactly(other.server, two, 2));

  // Every byte the sender was told went out arrives, in order.
  CHECK_OK(c.client.set_non_blocking(false));
  CHECK_OK(c.server.set_receive_timeout(2000ms));
  std::vector<std::uint8_t> in(sent);
  UNSIGNED_LONGS_EQUAL(sent, conformance::recv_exactly(c.server, in.data(), sent));
  for (std::size_t i = 0; i < sent; ++i) UNSIGNED_LONGS_EQUAL(static_cast<std::uint8_t>(i * 7), in[i]);
}

TEST(lwip_raw_memory, the_receive_buffer_bounds_what_a_stream_holds) {
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  CHECK_OK(c.client.set_non_blocking(true));
  static std::uint8_t chunk[4096];
  std::size_t sent = 0;
  for (unsigned round = 0, idle = 0; round < 10000 && idle < 50; ++round) {
    const auto n = c.client.send(chunk, sizeof chunk);
    idle = n ? 0 : idle + 1;
    if (n) sent += n.value();
    CHECK_OK(lwip_raw::service(0ms));
  }
  const std::size_t held = buffered(c.server.native_handle());
  CHECK(held <= lwip_raw::rx_buffer_size);
  CHECK(held > 0);
  CHECK(sent >= held);  // the rest waits in the sender's stack, refused by a closed window
}

TEST(lwip_raw_memory, the_accept_queue_is_fixed) {
  emsock::listen_options o;
  o.backlog = 64;  // more than the queue: the queue's size applies
  auto l = emsock::tcp_listener::listen(conformance::loopback_v4(0), o);
  CHECK_OK(l);
  const emsock::endpoint at = l->local_endpoint().value();
  std::vector<tcp_stream> clients;
  for (std::size_t k = 0; k < lwip_raw::accept_queue_size; ++k) {
    auto s = tcp_stream::connect(at, 2000ms);
    CHECK_OK(s);
    clients.push_back(std::move(s).value());
  }
  const auto m = lwip_raw::memory_of(l->native_handle());
  CHECK_OK(m);
  UNSIGNED_LONGS_EQUAL(lwip_raw::accept_queue_size, m->queued_accepts);
  CHECK_ERRC(errc::timed_out, tcp_stream::connect(at, 300ms));  // held back (its SYN unanswered), not queued
  auto first = l->accept();
  CHECK_OK(first);
  auto more = tcp_stream::connect(at, 5000ms);  // room again: the handshake completes (SYN retried)
  CHECK_OK(more);
}

// shutdown(write), then the peer's FIN: lwIP moves the PCB to TIME_WAIT and frees it later without an
// error callback (after 2 MSL, or at once when tcp_alloc runs short). The stream must let go of it then:
// a new connection that gets the same PCB from lwIP's pool survives the old stream's close.
TEST(lwip_raw_memory, a_stream_lets_go_of_its_pcb_after_both_fins) {
  conformance::connection c = conformance::connect_pair(conformance::loopback_v4(0));
  CHECK_OK(c.client.set_receive_timeout(2000ms));
  CHECK_OK(c.server.set_receive_timeout(2000ms));
  CHECK_OK(c.client.shutdown(emsock::shutdown_how::write));
  char b = 0;
  UNSIGNED_LONGS_EQUAL(0, c.server.recv(&b, 1).value());  // the client's FIN
  { tcp_stream closing = std::move(c.server); }             // the server's FIN back
  UNSIGNED_LONGS_EQUAL(0, c.client.recv(&b, 1).value());  // both FINs: the client's PCB is in TIME_WAIT
  for (unsigned i = 0; i <= 2 * TCP_MSL / TCP_SLOW_INTERVAL + 1; ++i) tcp_slowtmr();  // 2 MSL: lwIP frees it

  conformance::connection fresh = conformance::connect_pair(conformance::loopback_v4(0));  // the freed PCBs
  { tcp_stream old = std::move(c.client); }  // closing the old stream touches no PCB of the new connection
  CHECK_OK(fresh.client.send("ok", 2));
  char two[2] = {};
  UNSIGNED_LONGS_EQUAL(2, conformance::recv_exactly(fresh.server, two, 2));
  CHECK_OK(fresh.server.send("ok", 2));
  UNSIGNED_LONGS_EQUAL(2, conformance::recv_exactly(fresh.client, two, 2));
}

TEST_GROUP_BASE(lwip_raw_dual_stack, conformance::handle_leak_check){};

// One [::] listener for both families (echo_server_options::v6_only = false, as the socket firmware
// and the echo firmware on the engines listen): an IPv4 client reaches it only without v6_only.
TEST(lwip_raw_dual_stack, an_ipv6_wildcard_listener_takes_ipv4_clients_only_without_v6_only) {
  emsock::listen_options o;
  auto v6 = emsock::tcp_listener::listen({emsock::ipv6_address::any(), 0}, o);  // v6_only by default
  CHECK_OK(v6);
  const std::uint16_t port = v6->local_endpoint().value().port;
  CHECK_ERRC(errc::connection_refused, tcp_stream::connect(conformance::loopback_v4(port), 2000ms));
  CHECK_OK(v6->close());
  o.v6_only = false;
  auto both = emsock::tcp_listener::listen({emsock::ipv6_address::any(), port}, o);
  CHECK_OK(both);
  auto c4 = tcp_stream::connect(conformance::loopback_v4(port), 2000ms);
  CHECK_OK(c4);
  auto s4 = both->accept();
  CHECK_OK(s4);
  CHECK(s4->peer.address.is_v6() && s4->peer.address.v6().is_v4_mapped());  // ::ffff:127.0.0.1, as POSIX shows it
  auto c6 = tcp_stream::connect(conformance::loopback_v6(port), 2000ms);
  CHECK_OK(c6);
  auto s6 = both->accept();
  CHECK_OK(s6);
  CHECK(s6->peer.address.is_v6());
}

TEST(lwip_raw_memory, a_datagram_without_room_is_dropped_and_counted_never_cut) {
  emsock::udp_socket receiver = conformance::open_udp(conformance::loopback_v4(0));
  emsock::udp_socket sender = conformance::open_udp(conformance::loopback_v4(0));
  static std::uint8_t big[1000];
  const std::size_t fit = lwip_raw::rx_buffer_size / (sizeof big + lwip_raw::datagram_overhead);
  for (std::size_t i = 0; i < fit + 3; ++i) {
    std::memset(big, static_cast<int>(i), sizeof big);
    CHECK_OK(sender.send_to(big, sizeof big, conformance::bound(receiver)));
    CHECK_OK(lwip_raw::service(0ms));
  }
  const auto m = lwip_raw::memory_of(receiver.native_handle());
  CHECK_OK(m);
  UNSIGNED_LONGS_EQUAL(fit, m->buffered);
  UNSIGNED_LONGS_EQUAL(3, m->dropped);
  CHECK_OK(receiver.set_non_blocking(true));
  for (std::size_t i = 0; i < fit; ++i) {
    std::uint8_t in[sizeof big];
    const auto got = receiver.recv_from(in, sizeof in);
    CHECK_OK(got);
    UNSIGNED_LONGS_EQUAL(sizeof big, got.size);
    UNSIGNED_LONGS_EQUAL(i, in[0]);
    UNSIGNED_LONGS_EQUAL(i, in[sizeof in - 1]);
  }
  CHECK_ERRC(errc::would_block, receiver.recv_from(big, sizeof big));
}

TEST_GROUP_BASE(lwip_raw_names, conformance::handle_leak_check){};

TEST(lwip_raw_names, a_name_is_resolved_through_dns_gethostbyname) {
  if (!emsock::lwip_has_dns) conformance::note_skip("", "lwIP built without LWIP_DNS");
  const unsigned before = lwip_raw_test::dns_questions_answered();
  emsock::resolve_hints h;
  h.family = emsock::resolve_family::inet;
  h.type = emsock::socket_type::stream;
  emsock::resolved out[2];
  const auto r = emsock::resolve(lwip_test::test_name, "8080", h, out);
  CHECK_OK(r);
  UNSIGNED_LONGS_EQUAL(1, r->stored);
  STRCMP_EQUAL("192.0.2.44", [&] {
    static char text[64];
    const auto end = out[0].where.address.to_chars(text, text + sizeof text - 1);
    *end.ptr = '\0';
    return text;
  }());
  UNSIGNED_LONGS_EQUAL(8080, out[0].where.port);
  CHECK(lwip_raw_test::dns_questions_answered() > before);  // asked on the loopback, not made up
  CHECK_ERRC(errc::name_not_found, emsock::resolve("nobody.emsock-test.lan", "", h, out));
}
