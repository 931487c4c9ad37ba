// SPDX-License-Identifier: MIT
// emsock/port/udp.hpp - move-only RAII UDP sockets over the backend's native handle.
//
// The guarantees of socket.hpp hold here too: nothing throws or allocates; failures are result<T> /
// status with a specific errc; a call interrupted by a signal before it transferred anything is
// restarted; on a non-blocking socket "nothing can be done now" is would_block, on a blocking one
// only an expired receive/send timeout, timed_out; the POSIX backend creates descriptors
// close-on-exec. A udp_socket joins poll() and poll_set through native_handle() like the TCP
// sockets: readable when a datagram waits (recv_from takes it at once), writable when a datagram
// of the usual size would be taken.
//
// Datagram rules, on every backend:
// - Whole or nothing. send_to/send hand one datagram to the stack, entirely, or fail having sent
//   nothing. One longer than the protocol carries (max_udp_payload_v4 / _v6) is message_too_long on
//   every backend, checked before the stack is asked; a stack may refuse smaller ones for its own
//   limits (message_too_long, or out_of_memory when it has no buffer for it just now).
// - Never cut silently. A datagram longer than the buffer given to recv_from/recv fills the buffer
//   and is reported as errc::datagram_truncated, with its real length where the backend can tell;
//   the rest of it is discarded (the next call returns the next datagram, never the tail of this
//   one). Not fatal (is_fatal): the socket goes on.
// - No delivery promise, as UDP: a datagram may be lost, duplicated or overtaken, even on a
//   loopback when a receive queue is full. Empty datagrams (size 0) are datagrams: they are sent and
//   received like any other.
// - Names that lwIP's LWIP_COMPAT_SOCKETS=1 defines as function-like macros are declared in
//   parentheses, as in socket.hpp.
// - An endpoint from resolve() (names.hpp, socket_type::dgram) is used as it is: open() binds it,
//   send_to()/connect() address it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "emsock/duration.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/native.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// The most payload one UDP datagram carries over IPv4: 65535 - 20 (IP header) - 8 (UDP header).
inline constexpr std::size_t max_udp_payload_v4 = 65507;
/// The most over IPv6 without jumbograms: 65535 - 8 (the IPv6 payload length covers the UDP header).
inline constexpr std::size_t max_udp_payload_v6 = 65527;
/// The payload that fits an Ethernet frame (1500-byte MTU) over IPv4 without fragmentation.
inline constexpr std::size_t ethernet_udp_payload_v4 = 1472;

/// Options of udp_socket::open.
struct udp_options {
  /// SO_REUSEADDR: let several sockets bind the same address and port, all of them with this
  /// option (which of them gets a unicast datagram is the stack's choice: Linux and lwIP give it to
  /// one). Off: a second socket on a bound address and port is address_in_use.
  bool reuse_address = false;
  /// IPV6_V6ONLY for IPv6 sockets: true takes IPv6 only; false lets a [::] socket also receive from
  /// IPv4 senders (they appear as ::ffff:a.b.c.d). Ignored for IPv4.
  bool v6_only = true;
  /// SO_BROADCAST: allow sending to a broadcast address. Off: send_to 255.255.255.255 is
  /// permission_denied (as Linux says) on every backend. lwIP built without IP_SOF_BROADCAST checks
  /// nothing itself: the lwIP backend then refuses the limited broadcast 255.255.255.255, but a
  /// directed broadcast (a subnet's x.y.z.255) goes out. IPv6 has no broadcast: ignored there.
  bool broadcast = false;
};

/// The outcome of recv_from / recv: one datagram, in the send_all_result style (ok(), code(),
/// explicit bool). The fields are meaningful on success and on datagram_truncated; after any other
/// error they are 0 / empty.
class [[nodiscard]] udp_recv_result {
 public:
  constexpr udp_recv_result() noexcept = default;
  constexpr explicit udp_recv_result(errc code) noexcept : code_(code) {}

  /// Bytes stored in the caller's buffer: the whole datagram on success, the buffer's size on
  /// datagram_truncated.
  std::size_t size = 0;
  /// The datagram's real length: equal to `size` on success. On datagram_truncated: the length
  /// where the backend can tell (POSIX on Linux, lwIP 2.1, the fake), 0 where it cannot.
  std::size_t datagram_size = 0;
  /// The sender's address and port.
  endpoint from;

  constexpr bool ok() const noexcept { return code_ == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  /// ok, datagram_truncated (the datagram was longer than the buffer: `size` bytes of it are in the
  /// buffer, the rest is gone), or the reason no datagram was received.
  constexpr errc code() const noexcept { return code_; }
  /// True when a datagram was taken from the queue (ok or datagram_truncated).
  constexpr bool received() const noexcept { return code_ == errc::ok || code_ == errc::datagram_truncated; }

 private:
  errc code_ = errc::ok;
};

/// A UDP socket, bound from open() on. Move-only; the destructor closes it (datagrams still queued
/// for it are discarded).
class udp_socket : private detail::socket_base {
 public:
  /// Invalid (owns nothing).
  udp_socket() noexcept = default;
  /// Adopts a UDP socket (ownership passes to the object) and reads its blocking mode and whether
  /// it is connected.
  explicit udp_socket(native_handle_type handle) noexcept : socket_base(handle), connected_(peer_endpoint().ok()) {}
  udp_socket(udp_socket&& other) noexcept : socket_base(std::move(other)), connected_(other.connected_) {
    other.connected_ = false;
  }
  /// Closes what this object owned, then takes over `other`'s socket. Self-move is a no-op.
  udp_socket& operator=(udp_socket&& other) noexcept {
    if (this != &other) {
      socket_base::operator=(std::move(other));
      connected_ = other.connected_;
      other.connected_ = false;
    }
    return *this;
  }

  using socket_base::close;
  using socket_base::local_endpoint;
  using socket_base::native_handle;
  using socket_base::non_blocking;
  using socket_base::release;
  using socket_base::set_non_blocking;
  using socket_base::valid;

  /// A UDP socket of `local`'s family bound to `local` (port 0 lets the stack pick a free port: ask
  /// local_endpoint(); the unspecified address receives on every local address). Returned blocking,
  /// not connected.
  /// Errors: address_in_use (bound by another socket, unless both have reuse_address),
  /// address_not_available (the address is not local, or an unknown zone interface),
  /// permission_denied (privileged port), too_many_open_files (descriptor or socket table full),
  /// out_of_memory (lwIP: no UDP PCB left), family_not_supported (IPv6 on a stack without it).
  static result<udp_socket> open(const endpoint& local, const udp_options& options = {}) noexcept;

  /// Sets the default peer: send() goes there, and only its datagrams are received from then on
  /// (others are discarded by the stack). Connecting again replaces the peer. No packet is sent.
  /// Errors: invalid_argument (not valid(), port 0 or an unspecified address), family_not_supported
  /// (another family than the socket's), network_unreachable, address_not_available.
  status (connect)(const endpoint& peer) noexcept;

  /// The default peer set by connect(). Errors: not_connected, invalid_argument (not valid()).
  using socket_base::peer_endpoint;

  /// Sends data[0, size) as one datagram to `to`, whole or not at all. size 0 sends an empty
  /// datagram (data may then be null). On a connected socket `to` may differ from the peer.
  /// Errors: message_too_long (size above max_udp_payload_v4 / _v6 for `to`'s family, or above what
  /// the stack takes), invalid_argument (not valid(), data null with size > 0, port 0 or an
  /// unspecified address in `to`), family_not_supported (`to` of another family than the socket's),
  /// permission_denied (a broadcast address without udp_options::broadcast), would_block
  /// (non-blocking, send buffer full), timed_out (send timeout expired), network_unreachable,
  /// host_unreachable, out_of_memory (no buffer in the stack now), connection_refused (Linux and
  /// the fake: an earlier datagram of a connected socket was answered by ICMP port unreachable;
  /// reported once; lwIP does not report it).
  status send_to(const void* data, std::size_t size, const endpoint& to) noexcept;

  /// Sends one datagram to the peer set by connect(), as send_to.
  /// Errors: not_connected (no peer set), and those of send_to.
  status (send)(const void* data, std::size_t size) noexcept;

  /// Takes the next datagram into data[0, size) and tells its length and sender. Waits for one
  /// when blocking (up to the receive timeout). size 0 (data may then be null) takes the next
  /// datagram and keeps none of it: an empty datagram is ok, any other datagram_truncated.
  /// Errors: datagram_truncated (longer than size: see udp_recv_result), would_block (non-blocking,
  /// no datagram waiting), timed_out (receive timeout expired), connection_refused (as for
  /// send_to), invalid_argument (not valid(), data null with size > 0).
  udp_recv_result recv_from(void* data, std::size_t size) noexcept;

  /// recv_from for a connected socket, where only the peer's datagrams arrive (`from` is the
  /// peer). On a socket that is not connected it takes any datagram, exactly as recv_from.
  udp_recv_result (recv)(void* data, std::size_t size) noexcept { return recv_from(data, size); }

  /// Receive and send timeouts (socket.hpp): a blocking recv_from that waits longer than the
  /// receive timeout gives timed_out; a blocking send_to that cannot hand its datagram over within
  /// the send timeout gives timed_out, nothing sent.
  using socket_base::set_receive_timeout;
  using socket_base::set_send_timeout;

 private:
  bool connected_ = false;  ///< connect() set a peer (lwIP would send a peerless datagram to 0.0.0.0:0)
};

}  // namespace emsock
