// SPDX-License-Identifier: MIT
// emsock/port/udp_echo_server.hpp - the UDP echo server engine over the port interface (RFC 862).
//
// One non-blocking udp_socket and core's sans-IO datagram echo session (emsock/datagram_echo.hpp):
// recv_from writes each datagram straight into the space the session lends, send_to sends it back
// whole to its sender, and a datagram that cannot go out now (would_block) waits in the session's
// queue until the socket is writable. No allocation, at all: udp_echo_server<MaxDatagrams, Bytes>
// holds the queue (at most MaxDatagrams datagrams and Bytes bytes waiting; a datagram of up to Bytes
// bytes is echoed, a longer one is dropped and counted as too_large, never cut).
//
// UDP has no flow control: when the queue is full an arriving datagram is dropped and counted by
// reason (stats().dropped), as a stack drops on a full receive buffer. Every round the engine reads
// at most datagrams_per_round datagrams, echoing each at once, so that one busy peer cannot keep a
// loop shared with TCP connections from serving them.
//
// It runs either on its own (run_once() / run(), a poll over its one socket) or inside the TCP echo
// engine's loop, one wait per round for both: echo_server_base::set_companion(udp.companion())
// (emsock/port/echo_server.hpp; the TCP engine needs room for one more handle in its event set:
// echo_server<MaxClients, BufferSize, 1>). The same code runs over every backend.
//
// Errors of one datagram do not stop the server: a send that fails with a fatal code drops that
// datagram (send_failed); a receive error that an ICMP message left on the socket
// (connection_refused, host_unreachable, network_unreachable) is counted (receive_errors) and
// reading goes on. Any other receive error ends the server (state failed, a failed event): its
// socket is closed and, in a shared loop, the TCP part goes on alone.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/datagram_echo.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/echo_server.hpp"
#include "emsock/port/poll_set.hpp"
#include "emsock/port/udp.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// What the UDP echo server reports through its event handler.
enum class udp_echo_event_kind : std::uint8_t {
  echoed,   ///< a datagram of `bytes` bytes went back to `peer`
  dropped,  ///< a datagram from `peer` was not echoed (`reason`; `error` for send_failed)
  failed,   ///< a receive error (`error`) ended the server; its socket is closed
};

struct udp_echo_event {
  udp_echo_event_kind kind;
  endpoint peer;                                   ///< the sender (unspecified for failed)
  std::size_t bytes = 0;                           ///< the datagram's length (0 when a cut one's is unknown)
  datagram_drop reason = datagram_drop::no_record;  ///< dropped: why
  errc error = errc::ok;                           ///< dropped with send_failed, failed: the reason
};

/// Called for every event, from inside run_once() (or the TCP engine's round). Must not call back
/// into the server.
using udp_echo_event_handler = void (*)(void* context, const udp_echo_event& event) noexcept;

struct udp_echo_server_options {
  endpoint bind{ipv4_address::any(), 1234};
  /// IPv6 binds: also receive from IPv4 senders when false (see udp_options::v6_only).
  bool v6_only = true;
};

/// The engine over a session it does not own; udp_echo_server<MaxDatagrams, Bytes> supplies it.
class udp_echo_server_base {
 public:
  /// Datagrams read per round at most (each echoed at once when the socket takes it).
  static constexpr std::size_t datagrams_per_round = 64;

  udp_echo_server_base(const udp_echo_server_base&) = delete;
  udp_echo_server_base& operator=(const udp_echo_server_base&) = delete;

  /// Binds a non-blocking UDP socket (port 0 picks a free port: local_endpoint()) and starts the
  /// session over (queue empty, stats zero).
  /// Errors: invalid_argument (already open), and those of udp_socket::open (address_in_use,
  /// permission_denied, too_many_open_files, ...) or set_non_blocking.
  status open(const udp_echo_server_options& options) noexcept;

  /// Where the server receives. Precondition: open() succeeded.
  endpoint local_endpoint() const noexcept { return local_; }
  /// open() succeeded and neither close() nor a fatal receive error ended it since.
  bool is_open() const noexcept { return socket_.valid(); }

  /// One round on its own: waits at most max_wait (negative: no limit) for the socket, then
  /// receives and echoes. Errors: interrupted (a signal: check your stop flag and call again),
  /// invalid_argument (not open), and poll's errors. Errors of a datagram are never returned (see
  /// the top of this header).
  status run_once(milliseconds max_wait) noexcept;

  /// Sends what is queued as far as the socket takes it now (without waiting), then closes the
  /// socket. Datagrams still queued are left counted in queued() (not dropped). Does nothing when
  /// not open.
  void (close)() noexcept;

  /// For a shared loop: the socket to watch (invalid_native_handle when not open) and what for.
  native_handle_type native_handle() const noexcept { return socket_.native_handle(); }
  echo_interest interest() const noexcept { return session_.interest(); }
  /// For a shared loop, after its wait: receives and echoes as the socket's events say. Does
  /// nothing when not open. Never fails (see the top of this header).
  void serve(const poll_events& events) noexcept;
  /// This server as a companion of the TCP echo engine (echo_server_base::set_companion()). The
  /// server must outlive that use.
  echo_server_companion companion() noexcept;

  void set_event_handler(udp_echo_event_handler handler, void* context) noexcept {
    handler_ = handler;
    context_ = context;
  }
  /// Datagrams received, echoed and dropped (by reason) since open():
  /// received == echoed + dropped.total() + queued().
  const datagram_echo_stats& stats() const noexcept { return session_.stats(); }
  /// Receive errors that did not stop the server (ICMP errors left on the socket).
  std::uint64_t receive_errors() const noexcept { return receive_errors_; }
  /// Datagrams waiting to be sent back now.
  std::size_t queued() const noexcept { return session_.queued(); }
  std::size_t max_datagrams() const noexcept { return session_.max_datagrams(); }
  std::size_t byte_capacity() const noexcept { return session_.byte_capacity(); }
  /// open or draining while open(); failed after a fatal receive error (error() says which).
  datagram_echo_state state() const noexcept { return session_.state(); }
  errc error() const noexcept { return session_.error(); }

 protected:
  explicit udp_echo_server_base(datagram_echo_session_base& session) noexcept : session_(session) {}
  ~udp_echo_server_base() = default;  // the socket closes itself

 private:
  void receive() noexcept;
  void (send)() noexcept;
  void fail(errc code) noexcept;
  void note_drops(const datagram_drops& before, const endpoint& peer, std::size_t bytes) noexcept;
  void emit(const udp_echo_event& e) noexcept;

  datagram_echo_session_base& session_;
  udp_socket socket_;
  endpoint local_;
  poll_set<1> own_polls_;  ///< run_once()'s set
  std::uint64_t receive_errors_ = 0;
  udp_echo_event_handler handler_ = nullptr;
  void* context_ = nullptr;
};

/// A UDP echo server queueing at most MaxDatagrams datagrams and Bytes bytes, all inside the object
/// (Bytes + 40 * MaxDatagrams bytes or so): a datagram of up to Bytes bytes is echoed (1472 holds any
/// datagram of an Ethernet MTU over IPv4, 65507 any UDP datagram over IPv4).
template <std::size_t MaxDatagrams, std::size_t Bytes>
class udp_echo_server : public udp_echo_server_base {
 public:
  udp_echo_server() noexcept : udp_echo_server_base(session_) {}

 private:
  datagram_echo_session<MaxDatagrams, Bytes> session_;
};

}  // namespace emsock
