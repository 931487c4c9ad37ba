// SPDX-License-Identifier: MIT
// The port conformance suite's view of the backend under test. Backend-neutral: only the emsock
// port interface and CppUTest. Each backend's test main defines environment() (and main()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <CppUTest/TestHarness.h>

#include "emsock/port/port.hpp"
#include "skip.hpp"

namespace conformance {

/// What the backend's test main tells the suite.
struct environment {
  const char* backend = "";
  /// ::1 can be bound and connected to; IPv6 cases are skipped (require_ipv6) when false.
  bool has_ipv6 = false;
  /// Why ::1 does not work (the skip reason of the IPv6 cases when has_ipv6 is false).
  const char* why_no_ipv6 = "no IPv6 loopback (::1) on this machine";
  /// resolve() works; when false the backend must answer name_resolution_unavailable.
  bool has_resolver = false;
  /// Open native handles of the process (sockets included), for the leak check around every test.
  std::size_t (*open_handles)() = nullptr;
  /// listen()'s backlog limits the handshakes the stack queues (false: lwIP built with
  /// TCP_LISTEN_BACKLOG=0 queues every one, so a full queue cannot be made; that case is skipped).
  bool has_listen_backlog = true;
  /// Without a resolver, numeric hosts still resolve and only names are name_resolution_unavailable
  /// (lwIP without LWIP_DNS). false: every host is unavailable.
  bool numeric_hosts_without_resolver = false;
  /// resolve() knows service names ("http" is 80). false (lwIP: a service is a port number; POSIX
  /// when getservbyname("http", "tcp") finds nothing, e.g. without /etc/services): the case that
  /// needs it is skipped.
  bool has_services_database = true;
  /// The platform's own answer to a query whose answer is this machine's configuration (localhost
  /// from /etc/hosts, service names from /etc/services), in resolve()'s form, to compare with.
  /// POSIX: the C library's getaddrinfo with the same hints (tests/port/posix_libc_names.hpp). On
  /// failure `why` says what found nothing: the case is skipped with that reason. Null when the
  /// backend's names are the test's own (the fake's host table, lwIP's DNS responder): the suite
  /// then knows the answers (localhost is 127.0.0.1 first, its canonical name "localhost"). With
  /// `name`, the canonical name is asked for and stored there, as resolve() does.
  emsock::result<emsock::resolve_count> (*reference_resolve)(std::string_view host, std::string_view service,
                                                             const emsock::resolve_hints& hints, emsock::resolved* out,
                                                             std::size_t capacity, emsock::canonical_name* name,
                                                             const char*& why) = nullptr;
  /// A blocking call can wait for another thread to make progress. False for a single-threaded
  /// backend (the fake): the cases that run a peer in a thread are skipped with a note.
  bool threads_can_wait = true;
  /// The clock the backend's timeouts run on, in milliseconds (now_ms() reads it). Null: a steady
  /// clock, i.e. real time. The fake gives its fake clock, so the timeout cases measure fake time.
  std::int64_t (*clock_ms)() = nullptr;
  /// Lets the process open at most about `more` further descriptors (POSIX: the soft RLIMIT_NOFILE;
  /// the fake: its descriptor limit) until unlimit_descriptors(). Null when the stack's own socket
  /// table is the only limit (lwIP): the descriptor cases then fill that table, or are skipped.
  void (*limit_descriptors)(std::size_t more) = nullptr;
  void (*unlimit_descriptors)() = nullptr;
  /// The largest datagram the backend carries whole over the IPv4 loopback: the protocol's
  /// max_udp_payload_v4 on POSIX and lwIP (which hands a datagram to itself unfragmented, whatever
  /// IP_REASS_MAX_PBUFS), fake::max_datagram on the fake (what one receive buffer holds).
  std::size_t max_loopback_datagram = emsock::max_udp_payload_v4;
  /// datagram_truncated comes with the datagram's real length (udp_recv_result::datagram_size);
  /// false: datagram_size is 0 then.
  bool tells_datagram_size = true;
  /// The name of the interface that holds the loopback addresses (Linux and the fake "lo", lwIP the
  /// loopback netif's, "lo0"); null when the backend has no interface names (its zone cases skip).
  const char* loopback_interface = nullptr;
  /// Why joining an IPv4 / IPv6 group is operation_not_supported here (lwIP built without
  /// LWIP_IGMP / LWIP_IPV6_MLD); null when groups work. The cases check that answer, then skip.
  const char* why_no_ipv4_groups = nullptr;
  const char* why_no_ipv6_groups = nullptr;
  /// Why a datagram sent to an IPv6 group cannot come back over the loopback (Linux: lo has no
  /// IPv6 multicast route); null when it can.
  const char* why_no_ipv6_multicast_loopback = nullptr;
  /// The socket's IPv6 multicast sending options work (false: lwIP 2.1 has none, they are
  /// operation_not_supported; a zone on the destination picks the interface).
  bool has_ipv6_multicast_options = true;
  /// Why the system under the tests refuses the multicast sending interface (IP_MULTICAST_IF,
  /// IPV6_MULTICAST_IF: set_multicast_interface is operation_not_supported), found by probing it;
  /// null when it works. qemu-user 7.2, which runs the cross presets' tests, translates neither.
  const char* why_no_multicast_interface_option = nullptr;
  /// Why joining an IPv4 group by interface index fails there although the interface exists (qemu-user
  /// 7.2 garbles ip_mreqn's index on 64-bit targets), found by probing; null when it works.
  const char* why_no_ipv4_join_by_index = nullptr;
};

/// Defined by the backend's test main.
const environment& env();

/// Leaves the running test as skipped for `why` (EMSOCK_SKIP: counted and listed as a skip in the
/// summary, a skip in ctest); does not return. `what` is not needed (CppUTest knows the test).
void note_skip(const char* what, const char* why);

/// 127.0.0.1:port and [::1]:port.
emsock::endpoint loopback_v4(std::uint16_t port = 0);
emsock::endpoint loopback_v6(std::uint16_t port = 0);

/// A UDP socket opened on `where` with a receive timeout of 2 s (long enough never to be the reason
/// a slow machine fails, short enough that a lost datagram fails the test rather than hang);
/// CHECKs that it opened.
emsock::udp_socket open_udp(const emsock::endpoint& where, const emsock::udp_options& options = {});
/// Where `s` is bound (CHECKed).
emsock::endpoint bound(const emsock::udp_socket& s);

/// A listener on `where` (port 0), a client connected to it and the accepted server side.
struct connection {
  emsock::tcp_listener listener;
  emsock::tcp_stream client;
  emsock::tcp_stream server;
  emsock::endpoint peer_seen_by_listener;
};
/// Builds a connection; fails the current test (CHECK) when any step fails.
connection connect_pair(const emsock::endpoint& where);

/// Receives exactly `size` bytes (looping over short reads, at most `max_rounds` recv calls).
/// Returns the count received before an error, end of stream or the round limit.
std::size_t recv_exactly(emsock::tcp_stream& s, void* data, std::size_t size, int max_rounds = 10000);

/// Milliseconds from the backend's clock (environment::clock_ms), else a steady clock (test-side timing).
std::int64_t now_ms();

/// Leaves the running test as skipped for env().why_no_ipv6 when ::1 does not work.
void require_ipv6();

/// Leaves the running test as skipped (note_skip) when the backend cannot run a case that needs a
/// peer in another thread; returns false otherwise (so `if (skip_without_threads(..)) return;` reads
/// as before). `what` is not needed.
bool skip_without_threads(const char* what);

/// Base of every conformance group: the process holds the same number of handles after a test as
/// before it (no leak, no double close).
TEST_BASE(handle_leak_check) {
  std::size_t handles_before = 0;
  void setup() override { handles_before = env().open_handles(); }
  void teardown() override { UNSIGNED_LONGS_EQUAL_TEXT(handles_before, env().open_handles(), "open handles after the test"); }
};

}  // namespace conformance

/// CHECK that a result/status failed with `expected`, printing both names otherwise.
#define CHECK_ERRC(expected, outcome) \
  STRCMP_EQUAL(emsock::name(expected), emsock::name((outcome).code()))

/// CHECK that a result/status succeeded, printing the reason otherwise.
#define CHECK_OK(outcome) STRCMP_EQUAL("ok", emsock::name((outcome).code()))
