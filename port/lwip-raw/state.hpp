// SPDX-License-Identifier: MIT
// port/lwip-raw/state.hpp - private to the raw-API backend: the one static socket table,
// the drive loop and the guard against calls from inside the stack.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/ip_address.hpp"
#include "emsock/port/port.hpp"

extern "C" {
#include "lwip/opt.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
}

#if NO_SYS != 1
#error "emsock lwip-raw: the raw-API backend is for NO_SYS=1 (use the lwip backend with an RTOS)"
#endif
#if !LWIP_TCP || !LWIP_UDP || !LWIP_CALLBACK_API
#error "emsock lwip-raw: needs LWIP_TCP, LWIP_UDP and LWIP_CALLBACK_API"
#endif
#if TCP_WND > EMSOCK_LWIP_RAW_RX_BUFFER
#error "emsock lwip-raw: EMSOCK_LWIP_RAW_RX_BUFFER must be at least TCP_WND (the window never exceeds the buffer)"
#endif

namespace emsock::lwip_raw::detail {

enum class kind : std::uint8_t { free, listener, stream, datagram };

/// One socket (every member zero when free, so that the table lies in .bss, not in flash's .data:
/// allocate() sets what is not zero). A stream's rx is a ring of received bytes; a UDP socket's holds whole datagrams,
/// each behind a datagram_header.
struct socket_record {
  kind what = kind::free;
  bool open = false;  ///< a handle the program holds (false: a connection queued for accept)
  bool non_blocking = false;
  std::uint16_t generation = 0;
  int receive_timeout_ms = 0;  ///< -1: none (allocate() sets it)
  int send_timeout_ms = 0;

  tcp_pcb* tcp = nullptr;
  udp_pcb* udp = nullptr;

  // listener
  std::uint8_t queue[accept_queue_size] = {};  ///< table indices of queued connections, oldest first
  std::size_t queued = 0;
  std::size_t queue_limit = 0;

  // stream
  bool connecting = false;
  bool connected = false;
  bool fin_received = false;
  bool write_shut = false;
  bool read_shut = false;
  bool gone = false;               ///< lwIP freed the PCB (error callback) or we closed it
  errc pending_error = errc::ok;   ///< reported once by the next call (connection_reset, ...)
  std::size_t rx_head = 0;         ///< ring: first byte
  std::size_t rx_size = 0;         ///< ring: bytes held (UDP: bytes used by queued datagrams)

  // datagram
  bool connected_udp = false;
  bool broadcast = false;
  std::size_t rx_count = 0;
  std::uint64_t dropped = 0;

  std::uint8_t rx[rx_buffer_size] = {};
};

struct datagram_header {
  ip_addr_t from;
  std::uint16_t port = 0;
  std::uint32_t size = 0;
};
static_assert(sizeof(datagram_header) <= datagram_overhead, "datagram_overhead must hold the header");

/// The table.
socket_record* table() noexcept;
/// The record behind `handle` when it is an open socket of its generation, else null.
socket_record* find(native_handle_type handle) noexcept;
native_handle_type handle_of(const socket_record& s) noexcept;
std::size_t index_of(const socket_record& s) noexcept;
/// A free record (marked as `what`, not open), or null when the table is full.
socket_record* allocate(kind what) noexcept;
/// Returns a record to the free list (its PCB must be gone or detached).
void release(socket_record& s) noexcept;

/// Closes `s`'s PCB (gracefully, or by RST when unread data is left or lwIP has no memory), resets
/// the connections queued on a listener, and frees the record (socket.cpp).
void close_socket(socket_record& s) noexcept;

/// True while the stack runs under emsock (the hook, emsock's callbacks): calls must be refused.
bool inside_stack() noexcept;
/// RAII: marks emsock's lwIP callbacks.
struct callback_scope {
  callback_scope() noexcept;
  ~callback_scope();
};

/// Lets the stack run once, sleeping at most `may_sleep` when nothing happens. False when no hook
/// is installed.
bool drive(milliseconds may_sleep) noexcept;

/// A wait until `ready()` is true: drives the stack until then or until `limit_ms` passes (-1: no
/// limit; 0: drives once without sleeping). Returns true when ready() became true.
template <typename Ready>
bool wait_until(Ready ready, int limit_ms) noexcept;

/// sys_now() as milliseconds that never wrap within a wait.
std::uint32_t now() noexcept;

/// lwIP's address from an endpoint's (with zone), for binding or sending. Errors:
/// family_not_supported (a family lwIP is built without), address_not_available (unknown zone).
result<ip_addr_t> to_lwip(const ip_address& a) noexcept;
/// An endpoint from lwIP's address and a port.
endpoint from_lwip(const ip_addr_t& a, std::uint16_t port) noexcept;
/// IPADDR_TYPE_V4 / _V6 / _ANY for a new PCB bound to `local`.
std::uint8_t pcb_type(const ip_address& local, bool v6_only) noexcept;
/// The address to bind a PCB to: `at` (lwIP's form of `local`), or IP_ANY_TYPE for [::] without
/// v6_only, so that the one PCB takes both families (lwIP matches a PCB bound to [::] on IPv6 only).
/// Never fails.
ip_addr_t bind_address(const ip_addr_t& at, const ip_address& local, bool v6_only) noexcept;

template <typename Ready>
bool wait_until(Ready ready, int limit_ms) noexcept {
  if (ready()) return true;
  const std::uint32_t start = now();
  for (;;) {
    std::int64_t left = -1;
    if (limit_ms >= 0) {
      const std::uint32_t spent = now() - start;
      left = static_cast<std::int64_t>(limit_ms) - static_cast<std::int64_t>(spent);
      if (left < 0) left = 0;
    }
    if (!drive(milliseconds{left < 0 ? 10 : left})) return ready();
    if (ready()) return true;
    if (left == 0) return false;
  }
}

}  // namespace emsock::lwip_raw::detail
