// port/fake/state.hpp - private to the fake backend: the one static table every call works on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/ip_address.hpp"
#include "emsock/port/fake.hpp"

namespace emsock::fake::detail {

enum class kind : std::uint8_t { free, listener, stream };

/// One socket: a listener, or one end of a connection (its receive buffer holds what the peer sent).
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
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::size_t rx_size = 0;
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

/// Case-insensitive equality of names.
bool same_name(std::string_view a, std::string_view b) noexcept;

}  // namespace emsock::fake::detail
