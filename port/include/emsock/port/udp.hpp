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
//
// Multicast, on every backend: open() binds a multicast (or broadcast) address as Linux does, so that
// the socket takes only what is sent there; join_group() makes the host a member of a group on one
// interface, and a socket bound to the group's port (on the wildcard or on the group's address) then
// receives what is sent to the group; leave_group() or close() ends the membership. A receiver that
// must not reach the network names its interface (loopback: interface_index("lo") on Linux and
// the fake, lwIP's netif name such as "lo0" on lwIP; for IPv4 also its address 127.0.0.1).
// lwIP needs LWIP_IGMP (IPv4) and LWIP_IPV6_MLD (IPv6) for groups and LWIP_MULTICAST_TX_OPTIONS
// for the IPv4 sending options; without them those calls are operation_not_supported. lwIP 2.1
// has no IPv6 sending options at all (a zone on the destination picks the interface there), and
// without SO_REUSE_RXTOALL it gives a multicast datagram to one socket of a port, not to each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
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

/// The interface of a multicast membership (udp_socket::join_group / leave_group) or of the multicast
/// datagrams a socket sends (set_multicast_interface). Default: none named, the stack chooses (Linux
/// its route to the group, lwIP every IGMP netif for an IPv4 group and the default netif for an
/// IPv6 one; an IPv6 group's zone names the interface instead). At most one of index and address
/// is given.
struct multicast_interface {
  /// The interface's index (interface_index() gives it for a name; an IPv6 zone "%3" is index 3);
  /// 0: not given.
  std::uint32_t index = 0;
  /// IPv4 only: one of the interface's own addresses; 0.0.0.0: not given.
  ipv4_address address;

  /// The interface with index `i` (IPv4 and IPv6).
  static constexpr multicast_interface by_index(std::uint32_t i) noexcept { return {i, {}}; }
  /// The interface that has IPv4 address `a` (IPv4 only).
  static constexpr multicast_interface by_address(const ipv4_address& a) noexcept { return {0, a}; }
  constexpr bool chosen_by_stack() const noexcept { return index == 0 && address.is_unspecified(); }
};

/// The index of the network interface called `name` (Linux: "lo", "eth0"; lwIP: a netif's two
/// letters and number, "lo0", "en1"; the fake has one interface, "lo", index 1). An IPv6 zone may
/// be such a name too ("fe80::1%lo").
/// lwIP: looked up in lwIP's core (one round trip to the tcpip thread; so is every send_to or
/// connect whose zone is a name, where a numeric zone costs nothing).
/// Errors: address_not_available (no interface of that name), invalid_argument (empty, or longer
/// than the platform's names: IF_NAMESIZE - 1 on POSIX, NETIF_NAMESIZE - 1 = 5 on lwIP),
/// out_of_memory (lwIP: no semaphore to wait for the tcpip thread with).
result<std::uint32_t> interface_index(std::string_view name) noexcept;

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
  /// A multicast address may be bound (the socket then takes only what is sent to that group: join
  /// it with join_group), and so may the IPv4 broadcast addresses (255.255.255.255, or a local
  /// subnet's), as on Linux. An IPv6 address of link scope (fe80::/10, groups ff01::/16 and
  /// ff02::/16) needs its zone.
  /// Errors: address_in_use (bound by another socket, unless both have reuse_address),
  /// address_not_available (the address is not local, or an unknown zone interface),
  /// invalid_argument (an IPv6 link-local address without a zone),
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

  /// Makes the host a member of multicast `group` on interface `on` for this socket: datagrams sent
  /// to the group reach the sockets bound to their port (on the wildcard address or the group's).
  /// The membership ends with leave_group() or close(). `group` has the socket's family; an IPv6
  /// group's zone names the interface when `on` does not (both given: they must agree).
  /// Errors: invalid_argument (not valid(), `group` not a multicast address, `on` with both an
  /// index and an address, an address for an IPv6 group, a zone that differs from `on`),
  /// family_not_supported (`group` of another family than the socket's), address_not_available (no
  /// such interface, or none could be chosen: Linux with no route to the group),
  /// address_in_use (Linux and the fake: this socket is already a member there; lwIP counts the
  /// second join and needs two leaves), out_of_memory (the stack's membership table is full: lwIP
  /// LWIP_SOCKET_MAX_MEMBERSHIPS, MEMP_NUM_IGMP_GROUP, MEMP_NUM_MLD6_GROUP; the fake
  /// fake::max_memberships per socket), operation_not_supported (lwIP built without LWIP_IGMP for
  /// IPv4, without LWIP_IPV6_MLD for IPv6).
  status join_group(const ip_address& group, const multicast_interface& on = {}) noexcept {
    return change_membership(true, group, on);
  }

  /// Ends this socket's membership of `group` on `on` (as given to join_group).
  /// Errors: address_not_available (not a member there: never joined, or left already), and the
  /// invalid_argument, family_not_supported and operation_not_supported cases of join_group.
  /// lwIP keeps one membership count per netif and group, whichever socket joined: leaving a group
  /// that only another socket joined succeeds there (and ends that socket's reception).
  status leave_group(const ip_address& group, const multicast_interface& on = {}) noexcept {
    return change_membership(false, group, on);
  }

  /// The interface the socket's multicast datagrams leave by (IP_MULTICAST_IF, IPV6_MULTICAST_IF);
  /// default: the stack's route to the group (Linux in a namespace with only loopback has none:
  /// send_to a group is then network_unreachable until this names the loopback).
  /// Errors: invalid_argument (not valid(), both index and address, an address on an IPv6 socket),
  /// address_not_available (no such interface), operation_not_supported (lwIP built without
  /// LWIP_MULTICAST_TX_OPTIONS; lwIP 2.1 for IPv6 sockets, where a zone on the destination does it).
  status set_multicast_interface(const multicast_interface& on) noexcept;

  /// The hop limit (IPv4 TTL) of the socket's multicast datagrams, 0 to 255 (default 1: the link
  /// only; 0 leaves them on this host).
  /// Errors: invalid_argument (not valid(), hops above 255), operation_not_supported (lwIP built
  /// without LWIP_MULTICAST_TX_OPTIONS; lwIP 2.1 for IPv6 sockets).
  status set_multicast_hops(unsigned hops) noexcept;

 private:
  /// join_group (`join`) or leave_group: the backend's.
  status change_membership(bool join, const ip_address& group, const multicast_interface& on) noexcept;

  bool connected_ = false;  ///< connect() set a peer (lwIP would send a peerless datagram to 0.0.0.0:0)
};

}  // namespace emsock
