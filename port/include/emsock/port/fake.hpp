// SPDX-License-Identifier: MIT
// emsock/port/fake.hpp - the test-control API of the in-memory fake backend (emsock::fake).
//
// The fake is one host, in memory, that implements the whole port interface (socket.hpp, poll.hpp,
// poll_set.hpp, names.hpp, clock.hpp): code written against emsock runs on it unchanged, and a test
// plays the other end of every connection with ordinary emsock sockets in the same process. A client
// connect()s to the endpoint of a fake listener and the listener accept()s it; bytes go straight
// from one end's send into the other end's receive buffer.
//
// Determinism. No threads, no real clock, no allocation, no randomness: the same calls give the same
// results, byte for byte and millisecond for millisecond. Time is the fake clock (monotonic_ms()),
// which only moves when the test calls advance() or when a call "waits" (below). The fake is not
// thread-safe: use it from one thread.
//
// What a call that would wait does (a single-threaded test has nobody who could end the wait):
//   - with a limit (a receive/send timeout, a connect timeout, a poll timeout): the fake clock
//     advances by the whole limit and the call gives up as a real one would: recv/send timed_out,
//     connect timed_out, poll 0. So a test of timeout handling takes no real time.
//   - without a limit (blocking recv/send/accept without a timeout, poll with infinite_timeout):
//     the call returns at once with would_block - which a blocking socket never reports otherwise -
//     and stalls() counts it. A real program would hang there: a test should CHECK that stalls()
//     stays 0 (CHECK_FAKE_NO_STALLS in fake_cpputest.hpp). A connect without a limit to an endpoint
//     that drops it waits the 127 s Linux's SYN retries take, then timed_out.
//   - a blocking send with room for only part of the data returns that part (a real one would wait
//     for the rest; send_all() loops and then stops at the full buffer).
//
// TCP behaviour modelled (as Linux over loopback):
//   - every address leads to this host: connect(X:p) reaches a listener bound to X:p or to the
//     wildcard address of X's family on port p (an IPv4 peer also reaches [::]:p when v6_only is
//     false); with no listener there the answer is connection_refused. The client's local address
//     is the address it connected to, its port an ephemeral one (49152 upwards). listen() binds only
//     loopback, wildcard and add_local_address() addresses (else address_not_available).
//   - a listener queues at most max(backlog, 1) connections; further connects time out.
//   - each direction of a connection is a buffer of buffer_size bytes: send takes what fits (partial
//     send) and would_block / timed_out when nothing fits.
//   - shutdown(write) and close() send FIN: the peer reads the data, then end of stream (0).
//   - close() with unread received data sends RST: the peer gets connection_reset (after reading
//     what had arrived). A send to a peer that has closed is taken, and answered by RST: the next
//     call reports connection_reset once; after it send gives broken_pipe and recv 0.
//   - the side that closes first leaves its local endpoint in TIME_WAIT for 60 s of fake time:
//     listen() on it is address_in_use unless reuse_address is set.
//   - closing a listener resets the connections still in its queue.
//
// UDP behaviour modelled (as Linux over loopback; emsock/port/udp.hpp):
//   - a datagram to X:p is queued whole at the UDP socket bound to X:p or to the wildcard address of
//     X's family (a [::] socket with v6_only false also takes IPv4, seen from ::ffff:a.b.c.d); a
//     connected socket takes only its peer's datagrams. The sender's address is its bound one, or
//     the destination's when it is bound to a wildcard. Nobody there: the datagram is lost, and a
//     connected sender hears of it (ICMP port unreachable) as connection_refused from its next call.
//   - each socket queues what fits its receive buffer (buffer_size bytes, each datagram counting
//     datagram_overhead bytes more than its payload); a datagram that does not fit is dropped and
//     counted (datagrams_dropped). The largest datagram is max_datagram (else message_too_long).
//   - sending never waits (a real stack drops at the receiver, not at the sender); a blocking recv
//     with nothing queued follows the rules for waits above, except that a datagram on its way
//     (delayed) arrives: the wait advances the fake clock to it when it is due within the limit.
//   - limited broadcast (255.255.255.255:p) reaches every IPv4 socket bound to a wildcard on port p,
//     only with udp_options::broadcast (else permission_denied).
//   - one network interface, "lo" (index 1), holds every local address: interface_index("lo") is 1,
//     an IPv6 zone must name it ("%lo" or "%1"; another is address_not_available), and so must a
//     multicast_interface (index 1, or a local IPv4 address).
//   - groups: a datagram to group G:p reaches every socket bound to port p on the wildcard address
//     or on G itself (each of them, as Linux gives it), while any open socket is a member of G
//     (join_group; leave_group or close ends it); the sender's address is its bound one, or the
//     loopback address of its family when it is bound to a wildcard. Joining a group twice on one
//     socket is address_in_use, leaving one not joined address_not_available; a socket joins at
//     most max_memberships groups (then out_of_memory). Multicast is always looped back on this
//     one host; the hop limit is kept and has no effect.
//
// Bounds (compile time: the CMake cache variables EMSOCK_FAKE_MAX_SOCKETS and EMSOCK_FAKE_BUFFER_SIZE,
// which emsock::fake passes on to its users, so that library and tests agree): max_sockets sockets at
// once (listeners, streams, and connections queued for accept; default 32), buffer_size bytes per
// direction of a connection (default 16 KiB); the whole fake is one static table (.bss) of about
// max_sockets * (buffer_size + 350) bytes, 535 KB by default. Tables the test fills: max_hosts host
// entries, max_connect_faults and max_resolve_faults rules, max_local_addresses extra local
// addresses. Nothing allocates.
//
// Fault injection. Every injected fault is reported with the errc a real backend uses for it.
// Per connection: stream_faults via set_faults(handle, ...) or for every new connection via
// set_default_faults(...); reset_connection(), half_close_peer(). Globally: fail_connect(),
// fail_resolve(), set_descriptor_limit(). Per UDP socket: datagram_faults via set_datagram_faults()
// (a smaller MTU, a shorter receive queue, the delay) and a script of what happens to each of the
// next datagrams it sends, script_datagrams() (drop, duplicate, delay, reorder). reset() forgets
// all of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "emsock/duration.hpp"
#include "emsock/echo_session.hpp"
#include "emsock/error.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/native.hpp"
#include "emsock/port/udp.hpp"
#include "emsock/result.hpp"

#if !defined(EMSOCK_PORT_FAKE)
#error "emsock/port/fake.hpp: link emsock::fake (it defines EMSOCK_PORT_FAKE)"
#endif

#ifndef EMSOCK_FAKE_MAX_SOCKETS
#define EMSOCK_FAKE_MAX_SOCKETS 32
#endif
#ifndef EMSOCK_FAKE_BUFFER_SIZE
#define EMSOCK_FAKE_BUFFER_SIZE 16384
#endif

namespace emsock::fake {

/// Sockets at once: listeners, streams and connections waiting in a listener's queue (at most 255).
inline constexpr std::size_t max_sockets = EMSOCK_FAKE_MAX_SOCKETS;
/// Bytes one direction of a connection holds (the receiver's buffer): the most one send can take.
inline constexpr std::size_t buffer_size = EMSOCK_FAKE_BUFFER_SIZE;
/// Entries of the host table (add_host).
inline constexpr std::size_t max_hosts = 16;
/// Longest host name add_host() and set_host_name() take.
inline constexpr std::size_t max_name_len = 63;
/// Rules of fail_connect() and of fail_resolve().
inline constexpr std::size_t max_connect_faults = 8;
inline constexpr std::size_t max_resolve_faults = 8;
/// Addresses add_local_address() takes.
inline constexpr std::size_t max_local_addresses = 8;
/// Multicast groups one UDP socket joins at once (udp_socket::join_group).
inline constexpr std::size_t max_memberships = 8;
/// "No limit" for the stream_faults counters.
inline constexpr std::size_t unlimited = ~std::size_t{0};
/// How long the side that closed first keeps its endpoint in TIME_WAIT (on the fake clock).
inline constexpr milliseconds time_wait{60000};
/// How long a connect without a limit waits for an endpoint that drops it (Linux: 127 s of SYNs).
inline constexpr milliseconds syn_timeout{127000};

static_assert(max_sockets > 0 && max_sockets <= 255, "EMSOCK_FAKE_MAX_SOCKETS must be 1 to 255");
static_assert(buffer_size > 0, "EMSOCK_FAKE_BUFFER_SIZE must be positive");

/// Forgets everything: closes every socket (handles still held become stale: using them is
/// invalid_argument, closing them is ignored), empties the host, fault and local-address tables,
/// sets the clock to 0, the host name to "emsock-fake", the descriptor limit to max_sockets, the
/// stall count to 0, and puts "localhost" (127.0.0.1, ::1) in the host table. Call it between tests.
void reset() noexcept;

// --- time ----------------------------------------------------------------------------------------

/// The fake clock (what monotonic_ms() returns). 0 after reset().
std::uint64_t now_ms() noexcept;
/// Moves the fake clock forward by `by`. Precondition: by >= 0 (a contract violation; with the
/// checks off a negative duration leaves the clock where it is: it never goes backwards).
void advance(milliseconds by) noexcept;

// --- the host ------------------------------------------------------------------------------------

/// What host_name() answers. Errors: invalid_argument (longer than max_name_len, or a NUL in it).
status set_host_name(std::string_view name) noexcept;
/// Adds `address` under `name` (compared without case) to the host table resolve() reads; a name
/// may be added several times, its addresses come back in the order added. Errors: invalid_argument
/// (empty name, longer than max_name_len), buffer_too_small (table full).
status add_host(std::string_view name, const ip_address& address) noexcept;
/// Lets listen() bind `address` (loopback and wildcard addresses always can).
/// Errors: buffer_too_small (table full).
status add_local_address(const ip_address& address) noexcept;

// --- inspection ----------------------------------------------------------------------------------

/// Descriptors open now (sockets the program holds; connections still queued for accept are not
/// counted, as with a real stack).
std::size_t open_handles() noexcept;
/// Calls that would have waited forever (see the header comment). 0 in a healthy test.
std::size_t stalls() noexcept;
/// The bytes waiting to be received on stream `handle` (not consumed). Empty for anything that is
/// not an open stream.
const_byte_span waiting(native_handle_type handle) noexcept;
/// Removes up to `size` bytes waiting on stream `handle` into `out` (as recv, but whatever the
/// socket's mode, and never an error or a wait); returns how many.
std::size_t take(native_handle_type handle, void* out, std::size_t size) noexcept;
/// True when the peer of stream `handle` has sent FIN (or the connection is gone) and nothing is
/// left to read: recv would return 0 or an error at once.
bool at_end(native_handle_type handle) noexcept;
/// Bytes stream `handle` has sent / received (recv or take) since it was created.
std::uint64_t bytes_sent(native_handle_type handle) noexcept;
std::uint64_t bytes_received(native_handle_type handle) noexcept;

/// What the fake knows about one socket (for test reports).
struct socket_info {
  bool open = false;        ///< an open socket of the current fake (false: nothing else is set)
  bool listener = false;    ///< a listener (else a stream)
  endpoint local;           ///< where it is bound
  endpoint peer;            ///< streams: the other end
  std::size_t waiting = 0;  ///< streams: bytes waiting to be received
  bool peer_finished = false;  ///< streams: the peer sent FIN
  bool reset = false;       ///< streams: the connection was reset
  std::size_t queued = 0;   ///< listeners: connections waiting for accept
  bool datagram = false;    ///< a UDP socket (peer: the connected peer, if connected)
  bool connected = false;   ///< UDP: connect() set a peer
  std::size_t datagrams = 0;  ///< UDP: datagrams recv_from could take now
  std::size_t in_flight = 0;  ///< UDP: datagrams queued but not yet receivable (delayed, reordered)
};
/// The state of `handle` (open == false when it is not an open socket).
socket_info info(native_handle_type handle) noexcept;

// --- faults: per connection ----------------------------------------------------------------------

/// Faults of one end of a connection. Defaults: none.
struct stream_faults {
  /// Every send takes at most this many bytes (partial sends), 0 meaning none: then it is
  /// would_block (non-blocking) or timed_out / a stall (blocking), as with a full buffer.
  std::size_t max_send = unlimited;
  /// The next K send/recv calls on this end (accept calls on a listener) fail with would_block
  /// (timed_out on a blocking socket, as the real backends report EAGAIN there), doing nothing.
  std::size_t would_block_calls = 0;
  /// After this end has sent this many more bytes the connection is reset: the send that reaches
  /// the count delivers the bytes up to it and succeeds; then both ends get connection_reset (the
  /// peer after reading what had arrived).
  std::size_t reset_after_bytes = unlimited;
};

/// Sets the faults of stream (or listener) `handle`, replacing earlier ones.
/// Errors: invalid_argument (not an open socket).
status set_faults(native_handle_type handle, const stream_faults& faults) noexcept;
/// Faults every stream created from now on gets (both ends of each new connection); reset()
/// clears them.
void set_default_faults(const stream_faults& faults) noexcept;
/// Resets the connection of stream `handle` now, as an RST from the network: both ends get
/// connection_reset (after reading what had arrived). Errors: invalid_argument, not_connected.
status reset_connection(native_handle_type handle) noexcept;
/// The peer of stream `handle` half-closes (shutdown(write) on its side): `handle` reads the data,
/// then end of stream, and can still send. Errors: invalid_argument, not_connected.
status half_close_peer(native_handle_type handle) noexcept;

// --- faults: datagrams (UDP) -----------------------------------------------------------------------

/// Bytes a queued datagram takes in its receiver's buffer beside its payload (sender, length, time).
inline constexpr std::size_t datagram_overhead = 64;
static_assert(buffer_size > datagram_overhead, "EMSOCK_FAKE_BUFFER_SIZE must leave room for a datagram");
/// The largest datagram the fake carries: what one receive buffer holds (with the default
/// buffer_size, 16320 bytes), at most max_udp_payload_v6. send_to a larger one is message_too_long.
inline constexpr std::size_t max_datagram =
    buffer_size - datagram_overhead < max_udp_payload_v6 ? buffer_size - datagram_overhead : max_udp_payload_v6;
/// Actions of script_datagrams().
inline constexpr std::size_t max_datagram_script = 16;

/// What the network does to one datagram.
enum class datagram_action : std::uint8_t {
  deliver,    ///< arrives as sent
  drop,       ///< lost on the way: the sender's send_to succeeds, nobody receives it
  duplicate,  ///< arrives twice (the receive queue's limits apply to each copy)
  delay,      ///< arrives datagram_faults::delay later (fake clock): datagrams sent after it overtake it
  reorder,    ///< held back until the sender's next datagram to the same socket arrives, then arrives
              ///< right after it (the two are swapped); released as it is if the sender closes first
};

/// The datagram faults of one UDP socket. Defaults: none.
struct datagram_faults {
  /// A path with a smaller MTU that cuts: datagrams this socket sends longer than `mtu` bytes of
  /// payload arrive cut to `mtu` bytes (the receiver sees a shorter datagram; a real stack would
  /// drop such a datagram, the fake delivers it so that a test sees its code handle a short one).
  std::size_t mtu = unlimited;
  /// How late a datagram scripted datagram_action::delay arrives.
  milliseconds delay{100};
  /// At most this many datagrams wait on this socket (a full receive queue); more that arrive are
  /// dropped and counted by datagrams_dropped(). unlimited: only the buffer limits.
  std::size_t receive_queue = unlimited;
};

/// Sets the datagram faults of UDP socket `handle`, replacing earlier ones.
/// Errors: invalid_argument (not an open UDP socket).
status set_datagram_faults(native_handle_type handle, const datagram_faults& faults) noexcept;
/// What happens to each of the next datagrams UDP socket `sender` sends, in order; the datagrams
/// after the script are delivered. Replaces what was left of an earlier script.
/// Errors: invalid_argument (not an open UDP socket), buffer_too_small (more than
/// max_datagram_script actions; nothing changes).
status script_datagrams(native_handle_type sender, std::initializer_list<datagram_action> actions) noexcept;
/// Datagrams that reached UDP socket `handle` and were dropped because its queue was full.
std::uint64_t datagrams_dropped(native_handle_type handle) noexcept;

// --- faults: global -------------------------------------------------------------------------------

/// Connects to `where` fail with `reason` (a port of 0 matches every port, a wildcard address every
/// address of its family) for the next `times` attempts (0: until reset()). timed_out advances the
/// fake clock by the connect's limit (syn_timeout without one) first. Typical reasons:
/// connection_refused, timed_out, network_unreachable, host_unreachable.
/// Errors: buffer_too_small (table full), invalid_argument (reason ok).
status fail_connect(const endpoint& where, errc reason, std::size_t times = 0) noexcept;
/// resolve() of `host` (compared without case; empty: every host) fails with `reason`
/// (name_not_found, name_temporary_failure, name_resolution_failed, ...) for the next `times`
/// calls (0: until reset()). Errors: buffer_too_small, invalid_argument (reason ok, host too long).
status fail_resolve(std::string_view host, errc reason, std::size_t times = 0) noexcept;
/// At most `limit` descriptors open at once (listen, connect and accept beyond it give
/// too_many_open_files; a queued connection stays queued). Capped at max_sockets.
void set_descriptor_limit(std::size_t limit) noexcept;

}  // namespace emsock::fake
