// SPDX-License-Identifier: MIT
// emsock/port/native_lwip_raw.hpp - what the lwIP raw-API backend (EMSOCK_PORT=lwip-raw) shows
// through the interface. Included by emsock/port/native.hpp only (EMSOCK_PORT_LWIP_RAW).
//
// The backend runs the socket interface over lwIP's raw API with NO_SYS=1: no RTOS, one thread, a
// main loop. No lwIP header is included here.
//
// Non-blocking is native: a call that finds nothing to do drives the stack once without waiting
// (the drive hook, below, with 0 ms) and then answers would_block. A blocking call, a connect with
// a timeout, poll() and event_set/poll_set waits drive the stack through the hook until the socket
// is ready or the time is up; time is lwIP's sys_now(), the board's clock (the library owns no
// clock and no interrupt vector). Without a hook a call that would wait answers at once, as if its
// time were up (would_block when non-blocking, timed_out when blocking; poll: 0 ready).
//
// Contract: call emsock only from the main loop, never from inside the stack (an lwIP callback, or
// the drive hook itself). Such a call is caught and fails with errc::called_from_callback, touching
// nothing; it is caught whenever the stack runs under emsock (the hook, and emsock's own callbacks):
// let lwIP run through emsock (a wait, or lwip_raw::service()) and a user's raw callback that calls
// emsock is always caught.
//
// Bounded memory (the capacities are the compile definitions below, the same for the library and
// its users):
// - EMSOCK_LWIP_RAW_MAX_SOCKETS sockets at once (listeners, streams, queued connections, UDP):
//   a static table, nothing from lwIP's heap but lwIP's own PCBs.
// - Each stream buffers what it received in its own EMSOCK_LWIP_RAW_RX_BUFFER bytes (at least
//   TCP_WND, checked at compile time): a segment is copied there in the receive callback and its
//   pbuf freed at once, and the window advertised to the peer is never more than the free room,
//   so received data pins no pool buffer, whatever the segment sizes (a thousand 1-byte segments
//   take a thousand bytes of the buffer, not a thousand pbufs). Should a peer exceed the window,
//   the segment is refused and lwIP keeps that one (and drops, unacknowledged, what follows):
//   at most one received segment pinned per connection, never a byte of accepted data dropped.
// - Each listener queues at most EMSOCK_LWIP_RAW_ACCEPT_QUEUE connections (less when listen()'s
//   backlog says so); with TCP_LISTEN_BACKLOG lwIP holds further handshakes back (the peer's SYN
//   is retried), without it a connection beyond the queue is reset.
// - A UDP socket queues datagrams in its own EMSOCK_LWIP_RAW_RX_BUFFER bytes; a datagram that does
//   not fit is dropped and counted (UDP promises no delivery), never cut.
// - Sending copies into lwIP's buffers (tcp_write with TCP_WRITE_FLAG_COPY, a PBUF_RAM per
//   datagram): out_of_memory when lwIP has none, would_block when the send buffer is full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/duration.hpp"
#include "emsock/error.hpp"
#include "emsock/result.hpp"

#ifndef EMSOCK_LWIP_RAW_MAX_SOCKETS
#define EMSOCK_LWIP_RAW_MAX_SOCKETS 8
#endif
#ifndef EMSOCK_LWIP_RAW_RX_BUFFER
#define EMSOCK_LWIP_RAW_RX_BUFFER 2144
#endif
#ifndef EMSOCK_LWIP_RAW_ACCEPT_QUEUE
#define EMSOCK_LWIP_RAW_ACCEPT_QUEUE 4
#endif

namespace emsock {

/// An index into the backend's socket table, tagged with a generation (a handle kept after its
/// socket closed is recognised as stale, never taken for a new socket).
using native_handle_type = int;
/// The value of a handle that owns nothing.
inline constexpr native_handle_type invalid_native_handle = -1;
/// The backend's name, for logs and test reports.
inline constexpr const char* port_name = "lwip-raw";

/// The record poll_set<N> stores for one socket: what to watch, and what the last wait saw.
struct native_pollfd {
  native_handle_type handle = invalid_native_handle;  ///< negative: skipped, no events
  bool want_read = false;
  bool want_write = false;
  std::uint8_t seen = 0;  ///< bit set of the last wait's events (private to the backend)
};

/// event_set<N> runs on poll_set: its records are poll records.
#define EMSOCK_NATIVE_EPOLL 0
using native_event_record = native_pollfd;
/// The poll records are the backend's own, with what a wait saw in `seen` (port/common/poll_set_seen.cpp).
#define EMSOCK_NATIVE_POLL_SEEN 1

/// True when this build of lwIP resolves names (LWIP_DNS=1): resolve() then asks dns_gethostbyname
/// for names; numeric hosts are answered without lwIP either way.
extern const bool lwip_has_dns;

namespace lwip_raw {

/// Sockets at once, bytes of receive buffer per socket, queued connections per listener.
inline constexpr std::size_t max_sockets = EMSOCK_LWIP_RAW_MAX_SOCKETS;
inline constexpr std::size_t rx_buffer_size = EMSOCK_LWIP_RAW_RX_BUFFER;
inline constexpr std::size_t accept_queue_size = EMSOCK_LWIP_RAW_ACCEPT_QUEUE;
/// Bytes of a UDP socket's buffer each queued datagram's header takes (sender and length).
inline constexpr std::size_t datagram_overhead = 32;
/// The longest datagram a UDP socket can queue (longer ones are dropped on arrival and counted).
inline constexpr std::size_t max_datagram = rx_buffer_size - datagram_overhead;
static_assert(EMSOCK_LWIP_RAW_MAX_SOCKETS >= 1 && EMSOCK_LWIP_RAW_MAX_SOCKETS <= 255,
              "EMSOCK_LWIP_RAW_MAX_SOCKETS must be 1..255");
static_assert(EMSOCK_LWIP_RAW_RX_BUFFER > datagram_overhead && EMSOCK_LWIP_RAW_RX_BUFFER <= 65535,
              "EMSOCK_LWIP_RAW_RX_BUFFER must be 33..65535");
static_assert(EMSOCK_LWIP_RAW_ACCEPT_QUEUE >= 1 && EMSOCK_LWIP_RAW_ACCEPT_QUEUE <= 255,
              "EMSOCK_LWIP_RAW_ACCEPT_QUEUE must be 1..255");

/// The one hook through which the backend lets the stack run while a call waits, supplied by the
/// board or the application: feed the frames the NIC received to lwIP (netif->input, or
/// netif_poll() for a loopback netif), run sys_check_timeouts(), and then, if nothing happened and
/// `may_sleep` allows, sleep until an interrupt or `may_sleep` passes (0: never sleep). It must
/// not call emsock (errc::called_from_callback). The backend calls it again until what it waits for
/// happens or its deadline (by sys_now()) passes.
using drive_hook = void (*)(void* context, milliseconds may_sleep);

/// Installs `hook` (null: none; waits then answer at once, as if their time were up) with its `context`. Call it
/// once at start-up, after lwip_init(). Never fails.
void set_drive_hook(drive_hook hook, void* context) noexcept;

/// Runs the hook once (a main loop that is not waiting in poll or event_set calls this). Errors:
/// called_from_callback (from inside the stack), operation_not_supported (no hook installed).
status service(milliseconds may_sleep) noexcept;

/// What one socket holds now, for tests and diagnostics.
struct socket_memory {
  std::size_t buffered = 0;        ///< bytes (TCP) or datagrams (UDP) received and not yet read
  std::size_t pinned_pbufs = 0;    ///< pbufs lwIP keeps refused for this connection (at most 1 segment)
  std::size_t queued_accepts = 0;  ///< listener: connections waiting for accept()
  std::uint64_t dropped = 0;       ///< UDP: datagrams dropped on arrival (no room)
};
/// The memory `handle` holds. Errors: invalid_argument (not an open socket), called_from_callback.
result<socket_memory> memory_of(native_handle_type handle) noexcept;

/// Open sockets now (including connections queued for accept). Never fails.
std::size_t open_sockets() noexcept;

/// The longest name set_host_name() keeps.
inline constexpr std::size_t max_configured_host_name_len = 63;
/// Sets the name host_name() reports (else the default netif's hostname with LWIP_NETIF_HOSTNAME,
/// else name_not_found). An empty name removes it. Errors: invalid_argument (too long, a NUL inside).
status set_host_name(std::string_view name) noexcept;

}  // namespace lwip_raw
}  // namespace emsock
