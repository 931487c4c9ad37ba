// SPDX-License-Identifier: MIT
// emsock/lwip_raw/udp_echo.hpp - emsock's datagram echo (emsock/datagram_echo.hpp) driven by lwIP's raw
// UDP API (udp_pcb, NO_SYS=1, bare metal): an echo server and an echo client.
//
// No RTOS, no threads, no heap: lwIP is called only from the main loop, which calls
//   netif_poll_all(); sys_check_timeouts(); server.poll(now_ms()); client.poll(now_ms());
// Time enters as a number (now_ms() of emsock/lwip_raw/echo.hpp, or any monotonic milliseconds).
//
// Server: lwIP's udp_recv callback copies each datagram, whole, into the space the core session lends
// (pbuf_copy_partial) and frees the pbuf; a datagram that does not fit is dropped and counted, never
// cut. The queue is then echoed at once, each datagram from a pbuf of lwIP's PBUF_POOL (copied in,
// freed after udp_sendto). When lwIP has no pbuf (the pool is empty, or udp_sendto says ERR_MEM or
// ERR_BUF), the datagram stays queued in the session and poll() tries again; datagrams that arrive
// meanwhile are queued up to the session's capacity and beyond it dropped and counted
// (session().stats().dropped). A datagram too long for half of the pool (PBUF_POOL_SIZE *
// PBUF_POOL_BUFSIZE / 2 bytes) is sent from lwIP's heap (PBUF_RAM) instead, so that it can neither wait
// forever nor empty the pool the NIC receives into. Each echo goes back to its sender's address and
// port (IPv6 with its zone; session() shows the zone as the netif's name, "en0", as lwIP names it).
//
// Client: one run of emsock's datagram_echo_client_base at a time over a udp_pcb connected to the
// server (lwIP hands it that peer's datagrams only): it sends, matches each reply, retries on its
// timeout and ends with an outcome that tells echoed, lost, duplicated and mismatched apart. Sends
// take a pool pbuf as the server's do, and wait for poll() when there is none.
//
// Needs LWIP_UDP 1 in lwipopts.h (and lwIP's core/udp.c in the build); with LWIP_UDP 0 the glue's
// source file compiles to nothing and including this header is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "emsock/datagram_echo.hpp"
#include "emsock/echo_session.hpp"
#include "emsock/error.hpp"
#include "emsock/lwip/err.hpp"
#include "emsock/result.hpp"

extern "C" {
#include "lwip/opt.h"
}

#if !LWIP_UDP
#error "emsock/lwip_raw/udp_echo.hpp needs LWIP_UDP 1 in lwipopts.h (and lwIP's core/udp.c)"
#endif

extern "C" {
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
}

namespace emsock::lwip_raw {

/// lwIP's err_t as emsock's errc: the project's one mapping, emsock/lwip/err.hpp (also the lwIP
/// socket backend's), under the name the raw glue has always offered. Never fails.
using lwip::errc_from_err;

/// What the UDP glue did besides the core session's counts.
struct udp_echo_glue_stats {
  std::uint64_t deferred = 0;  ///< sends put off for poll(): no pbuf to be had, or ERR_MEM / ERR_BUF
  std::uint64_t ignored = 0;   ///< datagrams that arrived while nothing could take them (server ended)
};

class udp_echo_server_base {
 public:
  udp_echo_server_base(const udp_echo_server_base&) = delete;
  udp_echo_server_base& operator=(const udp_echo_server_base&) = delete;

  /// Binds a udp_pcb to any local address (IPv4, and IPv6 too with LWIP_IPV6) and `port` (0: lwIP
  /// picks a free one; port() tells which) and starts echoing with an empty queue and zero counts.
  /// Errors: invalid_argument if already open; out_of_memory when lwIP has no udp_pcb left
  /// (MEMP_NUM_UDP_PCB); address_in_use when another pcb holds the port.
  status open(std::uint16_t port) noexcept;

  /// Gives the pcb back to lwIP; queued datagrams are not sent (they stay counted in
  /// session().queued() until the next open()). Harmless when not open. Never fails.
  void close() noexcept;

  /// From the main loop: sends what lwIP had no pbuf for before. The datagram echo keeps no timers:
  /// now_ms only keeps the main loop alike for every glue part. Never fails.
  void poll(std::uint64_t now_ms) noexcept;

  bool is_open() const noexcept { return pcb_ != nullptr; }
  /// The bound port; 0 when not open.
  std::uint16_t port() const noexcept;
  /// The core session: state, datagrams received, echoed, dropped (by reason) and queued.
  const datagram_echo_session_base& session() const noexcept { return session_; }
  const udp_echo_glue_stats& stats() const noexcept { return stats_; }

 protected:
  /// Serves with `session` (storage the derived class holds; only its address is taken here).
  explicit udp_echo_server_base(datagram_echo_session_base& session) noexcept : session_(session) {}
  ~udp_echo_server_base() = default;

 private:
  static void on_recv(void* arg, udp_pcb* pcb, pbuf* p, const ip_addr_t* addr, std::uint16_t port) noexcept;
  /// Echoes queued datagrams until the queue is empty or lwIP has no pbuf.
  void flush() noexcept;

  datagram_echo_session_base& session_;
  udp_pcb* pcb_ = nullptr;
  udp_echo_glue_stats stats_{};
};

/// A UDP echo server queueing up to MaxDatagrams datagrams and Bytes bytes while lwIP has no pbuf
/// (a datagram of up to Bytes bytes is echoed; 1472 holds any datagram of an Ethernet MTU over
/// IPv4), all inside the object (no heap).
template <std::size_t MaxDatagrams, std::size_t Bytes>
class udp_echo_server : public udp_echo_server_base {
 public:
  udp_echo_server() noexcept : udp_echo_server_base(session_) {}

 private:
  datagram_echo_session<MaxDatagrams, Bytes> session_;
};

class udp_echo_client_base {
 public:
  udp_echo_client_base(const udp_echo_client_base&) = delete;
  udp_echo_client_base& operator=(const udp_echo_client_base&) = delete;

  /// Starts a run of `config` (see datagram_echo_client_config; its payload must outlive the run)
  /// at now_ms against addr:port, from a udp_pcb on a port lwIP picks, and sends what is due at once.
  /// Errors: invalid_argument while a run is in progress, or for a configuration the core client
  /// refuses (config.size above the client's MaxSize among them: that run has then ended, failed);
  /// out_of_memory when lwIP has no udp_pcb left; address_in_use when it has no local port left.
  status start(const ip_addr_t& addr, std::uint16_t port, const datagram_echo_client_config& config,
               std::uint64_t now_ms) noexcept;

  /// From the main loop: the run's timeouts and retries, and sends lwIP had no pbuf for. Replies that
  /// arrive between two polls count the time of the last one. Never fails.
  void poll(std::uint64_t now_ms) noexcept;

  /// Ends a run in progress at once: outcome failed with connection_aborted, the pcb back to lwIP.
  /// Harmless when no run is in progress. Never fails.
  void cancel() noexcept;

  bool started() const noexcept { return run_.has_value(); }
  /// The run has an outcome and its pcb is back with lwIP.
  bool done() const noexcept { return run_.has_value() && run_->done() && pcb_ == nullptr; }
  /// The current or last run (outcome, stats, retries); null before the first start().
  const datagram_echo_client_base* session() const noexcept { return run_.has_value() ? &*run_ : nullptr; }
  const udp_echo_glue_stats& stats() const noexcept { return stats_; }

 protected:
  /// Runs over storage the derived class holds (only its addresses are taken here): a send buffer of
  /// max_size bytes, a reply buffer of max_size + 1 bytes (for chained pbufs), `flight_count` flights.
  udp_echo_client_base(std::uint8_t* send_buffer, std::size_t max_size, std::uint8_t* reply_buffer,
                       datagram_flight* flights, std::size_t flight_count) noexcept
      : send_buffer_(send_buffer), max_size_(max_size), reply_buffer_(reply_buffer), flights_(flights),
        flight_count_(flight_count) {}
  ~udp_echo_client_base() = default;

 private:
  static void on_recv(void* arg, udp_pcb* pcb, pbuf* p, const ip_addr_t* addr, std::uint16_t port) noexcept;
  /// Sends what is due; hands the pcb back once the run has ended.
  void pump() noexcept;

  std::optional<datagram_echo_client_base> run_;
  std::uint8_t* send_buffer_;
  std::size_t max_size_;
  std::uint8_t* reply_buffer_;  ///< max_size_ + 1 bytes
  datagram_flight* flights_;
  std::size_t flight_count_;
  udp_pcb* pcb_ = nullptr;
  std::uint64_t now_ms_ = 0;  ///< the time given to the last start() or poll()
  udp_echo_glue_stats stats_{};
};

/// A UDP echo client for datagrams of up to MaxSize bytes with Flights flight records (the window and
/// the history that tells a duplicate from a late reply), all inside the object (no heap).
template <std::size_t MaxSize, std::size_t Flights = 16>
class udp_echo_client : public udp_echo_client_base {
  static_assert(MaxSize >= datagram_echo_client_base::header_size && Flights > 0,
                "a UDP echo client needs a header's bytes and a flight");

 public:
  udp_echo_client() noexcept : udp_echo_client_base(send_, MaxSize, reply_, flights_, Flights) {}

 private:
  std::uint8_t send_[MaxSize];
  std::uint8_t reply_[MaxSize + 1];
  datagram_flight flights_[Flights];
};

}  // namespace emsock::lwip_raw
