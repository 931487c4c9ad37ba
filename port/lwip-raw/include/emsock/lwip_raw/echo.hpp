// SPDX-License-Identifier: MIT
// emsock/lwip_raw/echo.hpp - emsock's echo sessions driven by lwIP's raw TCP API (NO_SYS=1, bare metal).
//
// No RTOS, no threads, no heap: lwIP is called only from the main loop, which calls
//   netif_poll_all(); sys_check_timeouts(); server.poll(now_ms()); client.poll(now_ms());
// Time enters as a number (now_ms() below widens sys_now(); any monotonic milliseconds will do).
// The server keeps a fixed pool of connection slots, each with an echo_session<Capacity>; lwIP's pbufs
// are copied into the session's ring as space allows and acknowledged (tcp_recved) only then, so the
// TCP window is the backpressure. Replies are queued with tcp_write(TCP_WRITE_FLAG_COPY). The client
// drives an echo_client_session from the same callbacks and sends FIN when it has sent everything.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/echo_client_session.hpp"
#include "emsock/echo_session.hpp"
#include "emsock/lwip/err.hpp"
#include "emsock/result.hpp"

extern "C" {
#include "lwip/ip_addr.h"
#include "lwip/tcp.h"
}

namespace emsock::lwip_raw {

/// lwIP's sys_now() widened to 64 bits (milliseconds). The glue owns no clock: sys_now() is the
/// board's or the SDK's (port/boards/mps2 for QEMU's boards). Call it at least once every 24 days, or a
/// wrap of sys_now() is missed. Never fails.
std::uint64_t now_ms() noexcept;

struct server_stats {
  std::uint32_t accepted = 0;  ///< connections taken into a slot
  std::uint32_t refused = 0;   ///< connections aborted because every slot was busy
  std::uint32_t finished = 0;  ///< sessions that echoed everything and closed after the peer's FIN
  std::uint32_t failed = 0;    ///< sessions that ended otherwise (reset, timeout, error)
  std::uint64_t bytes = 0;     ///< bytes echoed by finished and failed sessions
};

/// One connection of the server. Internal; public only so that echo_server<> can hold an array.
struct server_slot {
  echo_session_base* session = nullptr;
  class echo_server_base* server = nullptr;
  tcp_pcb* pcb = nullptr;
  pbuf* pending = nullptr;  ///< one received segment not yet copied into the session; a further
                            ///< one is refused (ERR_MEM) and held by lwIP: at most two segments'
                            ///< pbufs pinned per connection, whatever their size
  bool peer_fin = false;    ///< FIN seen; told to the session once `pending` is empty
  bool in_use = false;
};

class echo_server_base {
 public:
  echo_server_base(const echo_server_base&) = delete;
  echo_server_base& operator=(const echo_server_base&) = delete;

  /// Listens on any local address, port `port`. Errors: invalid_argument if already listening;
  /// out_of_memory (no pcb in lwIP's pools); what tcp_bind and tcp_listen_with_backlog_and_err say,
  /// as lwip::errc_from_err (ERR_USE: address_in_use, ERR_BUF: out_of_memory, no free port).
  status listen(std::uint16_t port) noexcept;
  /// From the main loop: time for the sessions (idle timeouts), retries after lwIP ran out of memory.
  /// The glue reads no clock: lwIP's callbacks between two polls use the time of the last poll.
  void poll(std::uint64_t now_ms) noexcept;
  /// Connections currently held.
  std::size_t active() const noexcept;
  const server_stats& stats() const noexcept { return stats_; }

 protected:
  echo_server_base(server_slot* slots, std::size_t count) noexcept : slots_(slots), count_(count) {}
  ~echo_server_base() = default;

 private:
  static err_t on_accept(void* arg, tcp_pcb* pcb, err_t err) noexcept;
  static err_t on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) noexcept;
  static err_t on_sent(void* arg, tcp_pcb* pcb, std::uint16_t len) noexcept;
  static err_t on_poll(void* arg, tcp_pcb* pcb) noexcept;
  static void on_err(void* arg, err_t err) noexcept;
  /// Moves bytes both ways and closes when the session ends. in_callback: lwIP is inside one of
  /// our callbacks for this pcb, so tcp_abort is not allowed (an abort is then left to poll()).
  void pump(server_slot& s, std::uint64_t now_ms, bool in_callback) noexcept;
  void release(server_slot& s) noexcept;

  server_slot* slots_;
  std::size_t count_;
  tcp_pcb* listener_ = nullptr;
  std::uint64_t now_ms_ = 0;  ///< the time given to the last poll()
  server_stats stats_{};
};

/// An echo server with Slots connections of Capacity bytes each, all inside the object (no heap).
template <std::size_t Slots, std::size_t Capacity>
class echo_server : public echo_server_base {
  static_assert(Slots > 0, "an echo server needs at least one slot");

 public:
  /// The idle timeout when none is given: a connection that moves no byte for a minute is aborted, so
  /// a peer that vanished or stopped reading cannot hold a slot and its buffers for ever.
  static constexpr milliseconds default_idle_timeout{60000};

  /// idle_timeout: a connection without progress for that long is aborted (0 = never). Must not be
  /// negative: a session with a negative timeout fails at once (echo_session_base::restart).
  explicit echo_server(milliseconds idle_timeout = default_idle_timeout) noexcept : echo_server_base(slots_, Slots) {
    for (std::size_t i = 0; i < Slots; ++i) {
      sessions_[i].restart(0, idle_timeout);
      slots_[i].session = &sessions_[i];
      slots_[i].server = this;
    }
  }

 private:
  echo_session<Capacity> sessions_[Slots];
  server_slot slots_[Slots];
};

/// One echo exchange as a client: connect, send the message, verify the echo, send FIN, await the
/// server's FIN (await_peer_close), close.
class echo_client {
 public:
  echo_client() noexcept = default;
  echo_client(const echo_client&) = delete;
  echo_client& operator=(const echo_client&) = delete;

  /// Connects to addr:port and starts the exchange of `message` (not copied: it must outlive the
  /// exchange), to be decided by deadline_ms. Errors: invalid_argument while an exchange runs,
  /// out_of_memory when lwIP has no pcb left; what tcp_connect says, as lwip::errc_from_err
  /// (ERR_RTE: host_unreachable, no route to addr; ERR_BUF: out_of_memory, no free local port;
  /// ERR_VAL: invalid_argument). The session is told the same reason.
  status start(const ip_addr_t& addr, std::uint16_t port, const_byte_span message,
               std::uint64_t deadline_ms) noexcept;
  /// From the main loop: the deadline, retries after lwIP ran out of memory.
  void poll(std::uint64_t now_ms) noexcept;

  bool started() const noexcept { return started_; }
  /// The outcome is decided and the pcb handed back to lwIP.
  bool done() const noexcept { return started_ && session_.done() && pcb_ == nullptr; }
  const echo_client_session& session() const noexcept { return session_; }

 private:
  static err_t on_connected(void* arg, tcp_pcb* pcb, err_t err) noexcept;
  static err_t on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) noexcept;
  static err_t on_sent(void* arg, tcp_pcb* pcb, std::uint16_t len) noexcept;
  static void on_err(void* arg, err_t err) noexcept;
  void pump(bool in_callback) noexcept;

  echo_client_session session_{const_byte_span{}, 0};
  tcp_pcb* pcb_ = nullptr;
  bool started_ = false;
  bool connected_ = false;
  bool shut_ = false;
};

}  // namespace emsock::lwip_raw
