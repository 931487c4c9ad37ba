// SPDX-License-Identifier: MIT
// tests/core/no_heap.cpp - proof that the core never touches the heap.
//
// The binary is linked with --wrap=malloc,calloc,realloc,free (tests/support/heap_counter.hpp). Each
// test reads the counters, calls a family of public core functions with valid and invalid input,
// reads the counters again, and only then asserts: zero heap calls in between. Nothing between the
// two reads may allocate on its own, so no CppUTest macro stands there; the results are tallied in
// plain variables and checked afterwards, which also shows the calls really happened.
// The control tests put a malloc and a new in the window and require them to be counted, so the
// proof can fail.
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include <CppUTest/TestHarness.h>

#include "emsock/emsock.hpp"
#include "heap_counter.hpp"

using emsock::endpoint;
using emsock::errc;
using emsock::ip_address;
using emsock::ipv4_address;
using emsock::ipv6_address;
using emsock::scoped_ipv6_address;
using emsock::zone_id;
using emsock::test::heap_calls;
using emsock::test::heap_calls_now;
using namespace std::chrono_literals;
using namespace std::string_view_literals;

namespace {

/// What the calls in a window returned, checked after the window.
struct tally {
  unsigned accepted = 0;
  unsigned rejected = 0;
  unsigned written = 0;    // to_chars calls that succeeded
  unsigned too_small = 0;  // to_chars calls that reported buffer_too_small
  std::uint64_t checksum = 0;
};

/// Keeps values alive so no call can be optimised away (they are out-of-line anyway).
volatile std::uint64_t sink;

template <class R>
void count(tally& t, const R& r) {
  if (r.ok()) {
    ++t.accepted;
  } else {
    ++t.rejected;
    t.checksum += static_cast<std::uint64_t>(r.code()) + r.offset();
  }
}

/// to_chars of `x` into every buffer size from 0 to T::max_text_len + 1.
template <class T>
void format_all_sizes(tally& t, const T& x) {
  char buf[T::max_text_len + 2];
  for (std::size_t size = 0; size <= T::max_text_len + 1; ++size) {
    const emsock::to_chars_result r = x.to_chars(buf, buf + size);
    if (r.code() == errc::ok) {
      ++t.written;
      t.checksum += static_cast<std::uint64_t>(r.ptr - buf);
    } else if (r.code() == errc::buffer_too_small) {
      ++t.too_small;
    }
  }
}

/// Asserts a window: no heap call at all.
void check_no_heap_calls(const heap_calls& before, const heap_calls& after) {
  const heap_calls d = after - before;
  UNSIGNED_LONGS_EQUAL_TEXT(0, d.mallocs, "malloc (or operator new) called by the core");
  UNSIGNED_LONGS_EQUAL_TEXT(0, d.callocs, "calloc called by the core");
  UNSIGNED_LONGS_EQUAL_TEXT(0, d.reallocs, "realloc called by the core");
  UNSIGNED_LONGS_EQUAL_TEXT(0, d.frees, "free (or operator delete) called by the core");
}

// Inputs: valid first, then one per error reason (and a few more).
constexpr std::string_view ipv4_texts[] = {
    "0.0.0.0"sv, "255.255.255.255"sv, "127.0.0.1"sv, "192.168.1.10"sv,
    ""sv, "1.2\0.3.4"sv, "1.2.3.a"sv, "01.2.3.4"sv, "1.2.3.256"sv, "1.2.3.4.5"sv, "1.2.3"sv, "1..2.3"sv,
    "1.2.3.4%eth0"sv, "1.2.3.4 "sv, "0x7f.0.0.1"sv, "127.1"sv, "4294967296"sv, "08.1"sv, "0x.1"sv,
};
constexpr std::size_t ipv4_strict_valid = 4;
constexpr std::string_view legacy_texts[] = {
    "127.1"sv, "0x7f.1"sv, "2130706433"sv, "10.0x10203"sv, "0377.0377.0377.0377"sv, "0X7F.0.0.01"sv,
    "1.2.3.4"sv,
    ""sv, "1.2.3.4 junk"sv, "08"sv, "0x"sv, "256.1"sv, "1.16777216"sv, "4294967296"sv, "1.2.3.4.5"sv,
    "1..2"sv, "1.2.3.4\0"sv, "0x100000000"sv, "99999999999999999999999"sv, "-1"sv,
};
constexpr std::size_t legacy_valid = 7;
constexpr std::string_view ipv6_texts[] = {
    "::"sv, "::1"sv, "2001:db8::1"sv, "FE80::ABCD:0001"sv, "1:2:3:4:5:6:7:8"sv, "::ffff:1.2.3.4"sv,
    "1:2:3:4:5:6:1.2.3.4"sv, "1:2:3:4:5:6:7::"sv,
    ""sv, ":"sv, ":1::"sv, "1::2::3"sv, "12345::"sv, "1:2:3:4:5:6:7:8:9"sv, "1:2:3:4:5:6:7::8"sv, "1:2:3"sv,
    "1::2:"sv, "1:2:3:4:5:6:7:1.2.3.4"sv, "::01.2.3.4"sv, "::1.2.3.256"sv, "fe80::1%eth0"sv, "::1\0"sv,
    "::g"sv, "[::1]"sv,
};
constexpr std::size_t ipv6_valid = 8;
constexpr std::string_view zone_texts[] = {
    "eth0"sv, "2"sv, "en0.100"sv, "a_b-c"sv, "123456789012345"sv,
    ""sv, "1234567890123456"sv, "eth 0"sv, "eth\0"sv, "%"sv, "é"sv,
};
constexpr std::size_t zone_valid = 5;
constexpr std::string_view scoped_texts[] = {
    "fe80::1%eth0"sv, "fe80::1%2"sv, "::1"sv, "ff02::1%lo"sv, "fe80::1%123456789012345"sv,
    "fe80::1%"sv, "fe80::1%1234567890123456"sv, "fe80::1%e th"sv, "fe80::1%%"sv, "1.2.3.4%eth0"sv, ":%x"sv,
};
constexpr std::size_t scoped_valid = 5;
constexpr std::string_view ip_texts[] = {
    "1.2.3.4"sv, "::1"sv, "fe80::1%eth0"sv, "::ffff:10.0.0.1"sv,
    ""sv, "1.2.3"sv, "1::2::3"sv, "127.1"sv, "fe80::1%"sv, "x"sv,
};
constexpr std::size_t ip_valid = 4;
constexpr std::string_view endpoint_texts[] = {
    "1.2.3.4:80"sv, "[::1]:443"sv, "[fe80::1%eth0]:65535"sv, "0.0.0.0:0"sv, "[::ffff:1.2.3.4]:1"sv,
    ""sv, "1.2.3.4"sv, "1.2.3.4:"sv, "1.2.3.4:65536"sv, "1.2.3.4:080"sv, "[::1:80"sv, "::1:80"sv, "[::1]80"sv,
    "[::1]"sv, "1.2.3.4:8x"sv, "1.2.3.4:-1"sv, "[1::2::3]:1"sv, "1.2.3:1"sv, "1.2.3.4:80\0"sv,
};
constexpr std::size_t endpoint_valid = 5;

}  // namespace

TEST_GROUP(no_heap_control){};

// The counter sees malloc from this binary: without this, a zero in the proofs would prove nothing.
TEST(no_heap_control, malloc_in_the_window_is_counted) {
  void* (*volatile allocate)(std::size_t) = &std::malloc;
  const heap_calls before = heap_calls_now();
  void* p = allocate(32);
  const heap_calls after = heap_calls_now();
  std::free(p);
  const heap_calls freed = heap_calls_now();
  UNSIGNED_LONGS_EQUAL(1, (after - before).mallocs);
  UNSIGNED_LONGS_EQUAL(1, (freed - after).frees);
  CHECK_TRUE(emsock::test::heap_counter_active());
}

// operator new from this binary is counted too (here libCppUTest.a's, which calls malloc).
TEST(no_heap_control, new_in_the_window_is_counted) {
  const heap_calls before = heap_calls_now();
  int* volatile p = new int(42);
  const heap_calls after = heap_calls_now();
  sink = static_cast<std::uint64_t>(*p);
  delete p;
  const heap_calls deleted = heap_calls_now();
  CHECK_TRUE((after - before).allocations() >= 1);
  CHECK_TRUE((deleted - after).frees >= 1);
}

TEST(no_heap_control, array_new_in_the_window_is_counted) {
  const heap_calls before = heap_calls_now();
  char* volatile p = new char[100];
  const heap_calls after = heap_calls_now();
  p[0] = 'x';
  sink = static_cast<std::uint64_t>(p[0]);
  delete[] p;
  CHECK_TRUE((after - before).allocations() >= 1);
}

TEST_GROUP(no_heap){};

TEST(no_heap, errors_describe_and_name_every_code) {
  constexpr int last = static_cast<int>(errc::system_error);
  tally t;
  const heap_calls before = heap_calls_now();
  for (int v = 0; v <= last + 2; ++v) {  // two unknown values past the end
    const char* d = emsock::describe(static_cast<errc>(v));
    const char* n = emsock::name(static_cast<errc>(v));
    if (d != nullptr && n != nullptr && d[0] != '\0' && n[0] != '\0') ++t.accepted;
  }
  const char* unknown = emsock::describe(static_cast<errc>(255));
  const emsock::error e{errc::leading_zero, 3};
  const emsock::status s = e;
  const emsock::status fine;
  if (s.code() == errc::leading_zero && s.offset() == 3 && !s.ok() && fine.ok() && e == s.err() && e != fine.err())
    ++t.accepted;
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  UNSIGNED_LONGS_EQUAL(last + 3 + 1, t.accepted);
  STRCMP_EQUAL("unknown error", unknown);
}

TEST(no_heap, byte_order) {
  volatile std::uint32_t in32 = 0x01020304u;
  volatile std::uint16_t in16 = 0x0102u;
  std::uint8_t bytes[4];
  const heap_calls before = heap_calls_now();
  std::uint64_t c = emsock::host_to_network32(in32) + emsock::network_to_host32(in32) +
                    emsock::host_to_network16(in16) + emsock::network_to_host16(in16) + emsock::byte_swap32(in32) +
                    emsock::byte_swap16(in16);
  emsock::store_be32(bytes, in32);
  c += emsock::load_be32(bytes);
  emsock::store_be16(bytes, in16);
  c += emsock::load_be16(bytes);
  sink = c;
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  BYTES_EQUAL(0x01, bytes[0]);
  BYTES_EQUAL(0x02, bytes[1]);
}

TEST(no_heap, ipv4_parse_format_and_classify) {
  tally strict, legacy, fmt;
  const heap_calls before = heap_calls_now();
  for (const std::string_view text : ipv4_texts) count(strict, ipv4_address::parse(text));
  for (const std::string_view text : legacy_texts) {
    const auto r = ipv4_address::parse_legacy(text);
    count(legacy, r);
    if (r.ok()) format_all_sizes(fmt, *r);
  }
  const ipv4_address a = ipv4_address::from_uint(0xc0a8010au);
  const ipv4_address b = ipv4_address::from_network_uint(a.to_network_uint());
  const ipv4_address c(a.bytes());
  format_all_sizes(fmt, ipv4_address::broadcast());
  format_all_sizes(fmt, ipv4_address::any());
  sink = a.to_uint() + b.to_uint() + (a == b) + (a != c) + (a < ipv4_address::broadcast()) +
         ipv4_address::loopback().is_loopback() + a.is_unspecified() + a.is_multicast() + a.is_link_local() +
         a.is_broadcast() + a.is_private();
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  UNSIGNED_LONGS_EQUAL(ipv4_strict_valid, strict.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(ipv4_texts) - ipv4_strict_valid, strict.rejected);
  UNSIGNED_LONGS_EQUAL(legacy_valid, legacy.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(legacy_texts) - legacy_valid, legacy.rejected);
  CHECK_TRUE(fmt.written > 0 && fmt.too_small > 0);
}

TEST(no_heap, ipv6_parse_format_and_classify) {
  tally parsed, fmt;
  const heap_calls before = heap_calls_now();
  for (const std::string_view text : ipv6_texts) {
    const auto r = ipv6_address::parse(text);
    count(parsed, r);
    if (r.ok()) format_all_sizes(fmt, *r);
  }
  const ipv6_address a = ipv6_address::from_groups({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1});
  const ipv6_address m = ipv6_address::v4_mapped(ipv4_address::loopback());
  const ipv6_address b(a.bytes());
  format_all_sizes(fmt, a);
  format_all_sizes(fmt, m);
  format_all_sizes(fmt, ipv6_address::from_groups({0, 0, 0, 0, 0, 0, 0x102, 0x304}));
  format_all_sizes(fmt, ipv6_address::from_groups({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}));
  sink = std::uint32_t{a.group(1)} + (a == b) + (a != m) + m.is_v4_mapped() + m.to_v4().to_uint() + a.is_unspecified() +
         ipv6_address::loopback().is_loopback() + ipv6_address::any().is_unspecified() + a.is_multicast() +
         a.is_link_local() + a.is_private();
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  UNSIGNED_LONGS_EQUAL(ipv6_valid, parsed.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(ipv6_texts) - ipv6_valid, parsed.rejected);
  CHECK_TRUE(fmt.written > 0 && fmt.too_small > 0);
}

TEST(no_heap, zone_and_scoped_ipv6) {
  tally zones, scoped, fmt;
  const heap_calls before = heap_calls_now();
  for (const std::string_view text : zone_texts) {
    const auto r = zone_id::parse(text);
    count(zones, r);
    if (r.ok()) sink = r->size() + r->view().size() + r->empty() + (*r == zone_id{}) + (*r != zone_id{});
  }
  for (const std::string_view text : scoped_texts) {
    const auto r = scoped_ipv6_address::parse(text);
    count(scoped, r);
    if (r.ok()) format_all_sizes(fmt, *r);
  }
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  UNSIGNED_LONGS_EQUAL(zone_valid, zones.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(zone_texts) - zone_valid, zones.rejected);
  UNSIGNED_LONGS_EQUAL(scoped_valid, scoped.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(scoped_texts) - scoped_valid, scoped.rejected);
  CHECK_TRUE(fmt.written > 0 && fmt.too_small > 0);
}

TEST(no_heap, ip_address_and_endpoint) {
  tally ips, eps, fmt;
  const heap_calls before = heap_calls_now();
  for (const std::string_view text : ip_texts) {
    const auto r = ip_address::parse(text);
    count(ips, r);
    if (r.ok()) {
      format_all_sizes(fmt, *r);
      const ip_address& a = *r;
      sink = static_cast<std::uint64_t>(a.family()) + a.is_v4() + a.is_v6() + a.zone().size() + a.is_unspecified() +
             a.is_loopback() + a.is_multicast() + a.is_link_local() + a.is_private() + (a == ip_address{}) +
             (a != ip_address{});
    }
  }
  for (const std::string_view text : endpoint_texts) {
    const auto r = endpoint::parse(text);
    count(eps, r);
    if (r.ok()) {
      format_all_sizes(fmt, *r);
      sink = std::uint64_t{r->port} + (*r == endpoint{}) + (*r != endpoint{});
    }
  }
  const endpoint widest{scoped_ipv6_address::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%123456789012345")
                            .value_or(scoped_ipv6_address{}),
                        65535};
  format_all_sizes(fmt, widest);
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  UNSIGNED_LONGS_EQUAL(ip_valid, ips.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(ip_texts) - ip_valid, ips.rejected);
  UNSIGNED_LONGS_EQUAL(endpoint_valid, eps.accepted);
  UNSIGNED_LONGS_EQUAL(std::size(endpoint_texts) - endpoint_valid, eps.rejected);
  CHECK_TRUE(fmt.written > 0 && fmt.too_small > 0);
  CHECK_TRUE(widest.address.is_v6() && widest.address.zone().size() == 15);
}

TEST(no_heap, echo_sessions_through_their_whole_life) {
  // A 16-byte server session echoes 4 KiB to a client session, with partial sends, a wrap-around,
  // the client's FIN and a timeout of a second session: every call between the counter reads.
  static std::uint8_t message[4096];
  for (std::size_t i = 0; i < sizeof message; ++i) message[i] = static_cast<std::uint8_t>(i * 7 + 3);
  unsigned steps = 0;
  const heap_calls before = heap_calls_now();
  emsock::echo_session<16> server(1000ms, 0);
  emsock::echo_client_session client(emsock::const_byte_span{message, sizeof message}, 10000);
  std::uint64_t now = 0;
  while (!client.done() && steps < 100000) {
    ++steps;
    ++now;
    const emsock::const_byte_span out = client.pending_send();
    const emsock::byte_span in = server.receive_space();
    const std::size_t n = out.size < in.size ? out.size : in.size;
    for (std::size_t i = 0; i < n; ++i) in.data[i] = out.data[i];
    (void)client.on_sent(n);
    (void)server.on_received(n, now);
    const emsock::const_byte_span echo = server.pending_send();
    const std::size_t m = echo.size > 3 ? 3 : echo.size;  // partial sends
    (void)client.on_received(emsock::const_byte_span{echo.data, m});
    (void)server.on_sent(m, now);
    server.on_tick(now);
    client.on_tick(now);
  }
  (void)server.on_peer_closed(now);
  const bool finished = server.interest().close && server.state() == emsock::echo_state::finished;
  emsock::echo_session<8> idle(50ms, 0);
  idle.on_tick(100);
  const bool timed_out = idle.state() == emsock::echo_state::timed_out;
  sink = std::uint64_t{server.total_received()} + server.poll_at() + std::uint64_t{client.verified()};
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  CHECK_TRUE(client.outcome() == emsock::echo_outcome::success);
  UNSIGNED_LONGS_EQUAL(sizeof message, client.verified());
  CHECK_TRUE(finished);
  CHECK_TRUE(timed_out);
}

TEST(no_heap, datagram_echo_through_its_whole_life) {
  // A datagram echo client (window 3, 3 retries, linger) runs 60 datagrams through a 4-datagram,
  // 100-byte server session; every 5th request is lost and every 7th reply doubled, so retries, loss
  // handling, duplicates, the byte ring's wrap-around and a drop for a full queue all run; then a
  // standalone queue, cut datagrams, send errors, stop and every name(): all between the counter reads.
  using namespace emsock;
  static std::uint8_t reply[64];
  unsigned steps = 0;
  unsigned refused = 0;
  const heap_calls before = heap_calls_now();
  datagram_echo_client_config cfg;
  cfg.count = 60;
  cfg.size = 30;
  cfg.window = 3;
  cfg.retries = 3;
  cfg.timeout = 20ms;
  cfg.linger = 5ms;
  datagram_echo_client<64, 8> client(cfg, 0);
  datagram_echo_session<4, 100> server;
  const endpoint from{ipv4_address::loopback(), 4242};
  std::uint64_t now = 0;
  unsigned requests = 0, replies = 0;
  while (!client.done() && steps < 100000) {
    ++steps;
    while (!client.pending_send().empty()) {
      const const_byte_span p = client.pending_send();
      if (++requests % 5 != 0) {
        const byte_span sp = server.receive_space();
        if (p.size <= sp.size) {
          for (std::size_t i = 0; i < p.size; ++i) sp.data[i] = p.data[i];
          (void)server.on_received(p.size, from);
        } else {
          (void)server.on_truncated(p.size, from);
        }
      }
      (void)client.on_sent(now);
    }
    if (steps % 8 == 0) {  // the server sends every 8th step: datagrams queue up, some are dropped
      while (const datagram_view d = server.pending_send()) {
        for (std::size_t i = 0; i < d.bytes.size; ++i) reply[i] = d.bytes.data[i];
        const std::size_t n = d.bytes.size;
        (void)server.on_sent();
        const unsigned copies = ++replies % 7 == 0 ? 2 : 1;
        for (unsigned k = 0; k < copies && !client.done(); ++k) (void)client.on_received({reply, n}, now);
      }
    }
    now += 3;
    client.on_tick(now);
  }
  const std::uint64_t full_drops = server.stats().dropped.no_bytes + server.stats().dropped.no_record;
  datagram_queue<3, 16> q;
  const std::uint8_t bytes[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  // 6 and 6 stored; 8 no_bytes, 17 too_large; an empty one fills the records; 4 no_record.
  constexpr std::size_t sizes[] = {6, 6, 8, 17, 0, 4};
  for (std::size_t n : sizes) refused += q.push(from, const_byte_span{bytes, n}).ok() ? 0u : 1u;
  (void)q.pop();
  const bool wrapped = q.push(from, const_byte_span{bytes, 5}).ok();  // 4 left at the end: from index 0
  const datagram_view f = q.front();
  sink = f.bytes.size + q.bytes_held() + q.check(9).ok + q.drops().total();
  const byte_span sp = q.receive_space();
  (void)q.commit(sp.size < 2 ? sp.size : 2, from);
  (void)q.refuse(0);
  q.clear();
  q.reset();
  (void)server.on_truncated(0, from);
  (void)server.on_send_error(errc::would_block);
  (void)server.on_received(0, from);
  (void)server.on_send_error(errc::host_unreachable);
  const bool stopped = server.stop().ok();
  server.restart();
  (void)server.on_error(errc::system_error);
  const char* names[] = {name(datagram_drop::no_bytes), name(datagram_echo_state::draining),
                         name(datagram_echo_outcome::duplicated), name(datagram_reply::late)};
  sink = server.stats().received + client.poll_at() + client.stats().sent + static_cast<std::uint8_t>(names[0][0]) +
         static_cast<std::uint8_t>(names[3][0]);
  const heap_calls after = heap_calls_now();
  check_no_heap_calls(before, after);
  CHECK_TRUE(client.done());
  CHECK_TRUE(client.stats().echoed + client.stats().lost == 60);
  CHECK_TRUE(client.stats().retries > 0);
  CHECK_TRUE(client.stats().duplicates + client.stats().late > 0);
  CHECK_TRUE(full_drops > 0);
  UNSIGNED_LONGS_EQUAL(3, refused);
  CHECK_TRUE(wrapped);
  CHECK_TRUE(stopped);
  CHECK_TRUE(server.state() == datagram_echo_state::failed);
}
