// SPDX-License-Identifier: MIT
// port/fake/state.hpp - private to the fake backend: the one static table every call works on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "emsock/ip_address.hpp"
#include "emsock/port/fake.hpp"

namespace emsock::fake::detail {

enum class kind : std::uint8_t { free, listener, stream, datagram };

/// The header of a datagram in its receiver's rx buffer (datagram_overhead bytes, then the payload).
struct stored_datagram {
  endpoint from;
  std::uint64_t due_ms = 0;  ///< receivable from this fake time on (datagram_action::delay)
  std::uint32_t size = 0;
  std::int16_t held_for = -1;  ///< datagram_action::reorder: the sender's index until its next datagram
};
static_assert(sizeof(stored_datagram) <= datagram_overhead, "datagram_overhead must hold the header");
static_assert(std::is_trivially_copyable<stored_datagram>::value, "stored_datagram is copied with memcpy");

/// What a new stream's keepalive() reads: off, with Linux's default timers.
inline constexpr keepalive_options keepalive_default{false, std::chrono::seconds{7200}, std::chrono::seconds{75}, 9};

/// One socket: a listener, one end of a connection (its receive buffer holds what the peer sent),
/// or a UDP socket (its receive buffer holds whole datagrams, each behind a stored_datagram).
struct socket_record {
  kind what = kind::free;
  bool open = false;          ///< a descriptor the program holds (false: queued for accept)
  bool non_blocking = false;
  endpoint local;
  endpoint peer;
  stream_faults faults;

  // listener
  int backlog = 0;
  bool v6_only = true;
  std::uint8_t queue[max_sockets] = {};  ///< indices of queued connections, oldest first
  std::size_t queued = 0;

  // stream
  int peer_index = -1;         ///< the other end, -1 once it is gone
  bool peer_closed = false;    ///< the peer closed its socket (a send is answered by RST)
  bool fin_received = false;   ///< the peer sent FIN (after the data in rx)
  bool write_shut = false;     ///< this end sent FIN
  bool read_shut = false;      ///< shutdown(read)
  bool dead = false;           ///< reset and reported: send broken_pipe, recv 0
  errc pending_error = errc::ok;  ///< reported by the next send/recv (connection_reset)
  int receive_timeout_ms = -1;
  int send_timeout_ms = -1;
  keepalive_options keepalive = keepalive_default;  ///< stored and read back, never acted on
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::size_t rx_size = 0;

  // datagram (UDP): peer is the connected peer; pending_error a connection_refused to report
  bool connected = false;
  bool reuse_address = false;
  bool broadcast = false;
  std::size_t rx_count = 0;  ///< datagrams in rx
  std::uint64_t dropped = 0;
  datagram_faults dgram_faults;
  datagram_action script[max_datagram_script] = {};
  std::uint8_t script_left = 0;  ///< actions of script not used yet (script[0] is next)
  ip_address groups[max_memberships];  ///< the groups this socket joined (without zone: one interface)
  std::uint8_t group_count = 0;
  std::uint8_t multicast_hops = 1;  ///< set_multicast_hops (kept: one host, nothing to count down)

  std::uint8_t rx[buffer_size] = {};
};

struct host_entry {
  char name[max_name_len] = {};
  std::uint8_t name_len = 0;
  ip_address address;
};

struct connect_fault {
  endpoint where;
  errc reason = errc::ok;
  std::size_t times = 0;  ///< 0: always
  bool used = false;
};

struct resolve_fault {
  char host[max_name_len] = {};
  std::uint8_t host_len = 0;
  errc reason = errc::ok;
  std::size_t times = 0;
  bool used = false;
};

struct lingering {
  endpoint where;
  std::uint64_t until_ms = 0;
};

/// Everything the fake knows: one static table, constructed on first use; reset() sets it up again.
struct world {
  std::uint32_t generation = 0;
  std::uint64_t clock_ms = 0;
  std::size_t stalls = 0;
  std::size_t descriptor_limit = max_sockets;
  std::uint16_t next_port = 49152;
  char host_name[max_name_len] = {};
  std::size_t host_name_len = 0;
  stream_faults default_faults;
  socket_record sockets[max_sockets];
  host_entry hosts[max_hosts];
  std::size_t host_count = 0;
  connect_fault connect_faults[max_connect_faults];
  resolve_fault resolve_faults[max_resolve_faults];
  ip_address local_addresses[max_local_addresses];
  std::size_t local_count = 0;
  lingering time_wait[16];
};

/// The table, set up on first use.
world& the_world() noexcept;

/// The record behind `handle` when it is an open socket of this generation, else null.
socket_record* find(native_handle_type handle) noexcept;
/// The handle of record `index`.
native_handle_type handle_of(std::size_t index) noexcept;
std::size_t index_of(const socket_record& s) noexcept;

/// A free record (not open, kind::free), or null when the table is full.
socket_record* allocate() noexcept;
/// Open descriptors now.
std::size_t open_count() noexcept;

/// Resets the connection of `s` from the network: both ends get connection_reset.
void reset_both(socket_record& s) noexcept;
/// Closes `s` as close() does (FIN or RST, TIME_WAIT, queued connections reset) and frees it.
void close_record(socket_record& s) noexcept;

/// True while `where` is in TIME_WAIT.
bool lingers(const endpoint& where) noexcept;

/// What a call that would wait reports: would_block when non-blocking; with a limit (ms > 0) the
/// fake clock advances by it and the call times out; without one it is a stall (would_block, counted).
errc cannot_wait(bool non_blocking, int limit_ms) noexcept;
/// True while another descriptor may be opened (set_descriptor_limit).
bool has_room_for_a_descriptor() noexcept;
/// True when a socket bound to `bound` takes what is addressed to `to` ([::] with v6_only off takes
/// IPv4 too).
bool reaches(const endpoint& bound, bool v6_only, const endpoint& to) noexcept;
/// True when two bound endpoints overlap (same port, same address or a wildcard of the family).
bool overlaps(const endpoint& a, const endpoint& b) noexcept;
/// The next free ephemeral port (49152-65535, round robin, skipping ports bound or in TIME_WAIT), 0
/// when none is.
std::uint16_t ephemeral_port() noexcept;
/// True for loopback, wildcard and add_local_address() addresses.
bool is_local(const ip_address& a) noexcept;
/// True when `a` has no zone or one that names the fake's one interface ("lo" or 1).
bool zone_known(const ip_address& a) noexcept;

/// The datagrams in UDP socket `s`'s queue: receivable now, and queued but not yet (udp.cpp).
struct waiting_datagrams {
  std::size_t receivable = 0;
  std::size_t in_flight = 0;
};
waiting_datagrams count_datagrams(const socket_record& s) noexcept;
/// The fake time at which the first delayed datagram in `s`'s queue becomes receivable; UINT64_MAX
/// when none is on its way (udp.cpp; poll waits for it).
std::uint64_t next_arrival_ms(const socket_record& s) noexcept;

/// Releases the datagrams held back for `sender_index` (datagram_action::reorder) in every queue,
/// as they are (udp.cpp; close_record calls it when a UDP socket closes).
void release_held(std::size_t sender_index) noexcept;

/// Case-insensitive equality of names.
bool same_name(std::string_view a, std::string_view b) noexcept;

}  // namespace emsock::fake::detail
