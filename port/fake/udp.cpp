// SPDX-License-Identifier: MIT
// The fake backend's UDP sockets over the in-memory table, and its datagram faults.
// Semantics: emsock/port/fake.hpp (header comment, "UDP behaviour modelled"); errors:
// emsock/port/udp.hpp. A receiver's rx buffer holds its queue: datagram after datagram, each a
// stored_datagram header in a datagram_overhead slot, then its payload.
#include <cstring>

#include "../common/udp_common.hpp"
#include "emsock/port/udp.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using fake::datagram_action;
using fake::detail::find;
using fake::detail::kind;
using fake::detail::socket_record;
using fake::detail::stored_datagram;
using fake::detail::the_world;
using fake::detail::zone_known;

constexpr std::size_t overhead = fake::datagram_overhead;

socket_record* find_datagram(native_handle_type handle) noexcept {
  socket_record* s = find(handle);
  return s != nullptr && s->what == kind::datagram ? s : nullptr;
}

stored_datagram header_at(const socket_record& s, std::size_t at) noexcept {
  stored_datagram h;
  std::memcpy(&h, s.rx + at, sizeof h);
  return h;
}

void set_header_at(socket_record& s, std::size_t at, const stored_datagram& h) noexcept {
  std::memcpy(s.rx + at, &h, sizeof h);
}

bool receivable(const stored_datagram& h) noexcept { return h.held_for < 0 && h.due_ms <= the_world().clock_ms; }

/// The offset of the first datagram recv may take now, or rx_size when there is none.
std::size_t first_receivable(const socket_record& s) noexcept {
  for (std::size_t at = 0; at < s.rx_size;) {
    const stored_datagram h = header_at(s, at);
    if (receivable(h)) return at;
    at += overhead + h.size;
  }
  return s.rx_size;
}

/// Queues a datagram at `r` unless its queue is full (then it is dropped and counted). It goes
/// before the first datagram held back for `sender` (which is released: the two are swapped).
void enqueue(socket_record& r, const stored_datagram& h, const void* payload, int sender) noexcept {
  const std::size_t bytes = overhead + h.size;
  if (r.rx_size + bytes > fake::buffer_size || r.rx_count >= r.dgram_faults.receive_queue) {
    ++r.dropped;
    return;
  }
  std::size_t at = r.rx_size;
  for (std::size_t i = 0; i < r.rx_size;) {
    stored_datagram held = header_at(r, i);
    if (held.held_for == sender) {
      if (at == r.rx_size) at = i;
      held.held_for = -1;
      set_header_at(r, i, held);
    }
    i += overhead + held.size;
  }
  std::memmove(r.rx + at + bytes, r.rx + at, r.rx_size - at);
  std::memset(r.rx + at, 0, overhead);
  set_header_at(r, at, h);
  if (h.size > 0) std::memcpy(r.rx + at + overhead, payload, h.size);
  r.rx_size += bytes;
  ++r.rx_count;
}

/// The next scripted action of `s` (deliver when the script is used up).
datagram_action next_action(socket_record& s) noexcept {
  if (s.script_left == 0) return datagram_action::deliver;
  const datagram_action a = s.script[0];
  std::memmove(s.script, s.script + 1, (s.script_left - 1) * sizeof s.script[0]);
  --s.script_left;
  return a;
}

/// `a` without its zone (the fake has one interface: a zone says nothing more).
ip_address zoneless(const ip_address& a) noexcept { return a.is_v4() ? ip_address(a.v4()) : ip_address(a.v6()); }

/// True while an open UDP socket is a member of `group` (zoneless).
bool host_is_member(const ip_address& group) noexcept {
  for (const socket_record& r : the_world().sockets) {
    if (!r.open || r.what != kind::datagram) continue;
    for (std::size_t i = 0; i < r.group_count; ++i)
      if (r.groups[i] == group) return true;
  }
  return false;
}

/// True when UDP socket `r` takes a datagram from `from` to `to`.
bool takes(const socket_record& r, const endpoint& from, const endpoint& to) noexcept {
  if (!r.open || r.what != kind::datagram) return false;
  if (to.address.is_v4() && to.address.v4().is_broadcast())
    return r.local.port == to.port && r.local.address.is_unspecified() && (r.local.address.is_v4() || !r.v6_only);
  if (to.address.is_multicast()) {
    // Bound to the port on a wildcard of the family (or [::] with v6_only off), or to the group.
    if (r.local.port != to.port) return false;
    const ip_address group = zoneless(to.address);
    const bool here = zoneless(r.local.address) == group || fake::detail::reaches(r.local, r.v6_only, {group, to.port});
    return here && host_is_member(group) && (!r.connected || r.peer == from);
  }
  if (!fake::detail::reaches(r.local, r.v6_only, to)) return false;
  return !r.connected || r.peer == from;
}

/// Where `from` appears to a receiver bound to `local`: IPv4 senders as ::ffff:a.b.c.d on IPv6.
endpoint seen_from(const endpoint& from, const endpoint& local) noexcept {
  if (local.address.is_v6() && from.address.is_v4()) return {ipv6_address::v4_mapped(from.address.v4()), from.port};
  return from;
}

/// An IPv4-mapped IPv6 destination (a dual-stack socket answering an IPv4 sender) as the IPv4
/// address it stands for.
endpoint unmapped(const endpoint& e) noexcept {
  if (e.address.is_v6() && e.address.v6().is_v4_mapped()) return {e.address.v6().to_v4(), e.port};
  return e;
}

/// Carries one datagram from `s` to `destination` through the network's faults.
void carry(socket_record& s, const void* data, std::size_t size, const endpoint& destination) noexcept {
  const endpoint to = unmapped(destination);
  const datagram_action action = next_action(s);
  if (action == datagram_action::drop) return;
  if (size > s.dgram_faults.mtu) size = s.dgram_faults.mtu;
  const bool multicast = to.address.is_multicast();
  ip_address source = s.local.address.is_unspecified() ? to.address : s.local.address;
  if (multicast && (s.local.address.is_unspecified() || s.local.address.is_multicast()))
    source = to.address.is_v4() ? ip_address(ipv4_address::loopback()) : ip_address(ipv6_address::loopback());
  const endpoint from{source, s.local.port};
  // Broadcast and multicast reach every socket that takes them, the sender's own included.
  const bool broadcast = (to.address.is_v4() && to.address.v4().is_broadcast()) || multicast;
  const int sender = static_cast<int>(fake::detail::index_of(s));
  bool reached = false;
  for (socket_record& r : the_world().sockets) {
    if (&r == &s && !broadcast) continue;  // a socket never receives its own unicast (its port is taken)
    if (!takes(r, from, to)) continue;
    reached = true;
    stored_datagram h;
    h.from = seen_from(from, r.local);
    h.size = static_cast<std::uint32_t>(size);
    h.due_ms = the_world().clock_ms;
    if (action == datagram_action::delay) h.due_ms += static_cast<std::uint64_t>(s.dgram_faults.delay.count());
    if (action == datagram_action::reorder) h.held_for = static_cast<std::int16_t>(sender);
    enqueue(r, h, data, sender);
    if (action == datagram_action::duplicate) enqueue(r, h, data, sender);
    if (!broadcast) break;  // unicast: one receiver (with reuse_address, the first bound)
  }
  // ICMP port unreachable: a connected socket hears of it (Linux), an unconnected one does not.
  if (!reached && s.connected && !broadcast) s.pending_error = errc::connection_refused;
}

/// Reports (once) an ICMP error an earlier datagram brought back, else ok.
errc take_pending(socket_record& s) noexcept {
  const errc e = s.pending_error;
  s.pending_error = errc::ok;
  return e;
}

/// The family check of send_to and connect: an address of another family than the socket's
/// (an IPv4 one is taken by an IPv6 socket with v6_only off).
errc family_refused(const socket_record& s, const endpoint& to) noexcept {
  if (s.local.address.is_v4() == to.address.is_v4()) return errc::ok;
  return s.local.address.is_v6() && to.address.is_v4() && !s.v6_only ? errc::ok : errc::family_not_supported;
}

}  // namespace

namespace fake::detail {

waiting_datagrams count_datagrams(const socket_record& s) noexcept {
  waiting_datagrams n;
  for (std::size_t at = 0; at < s.rx_size;) {
    const stored_datagram h = header_at(s, at);
    ++(receivable(h) ? n.receivable : n.in_flight);
    at += overhead + h.size;
  }
  return n;
}

std::uint64_t next_arrival_ms(const socket_record& s) noexcept {
  std::uint64_t first = UINT64_MAX;
  if (s.what != kind::datagram) return first;
  for (std::size_t at = 0; at < s.rx_size;) {
    const stored_datagram h = header_at(s, at);
    if (h.held_for < 0 && h.due_ms < first) first = h.due_ms;
    at += overhead + h.size;
  }
  return first;
}

void release_held(std::size_t sender_index) noexcept {
  for (socket_record& r : the_world().sockets) {
    if (r.what != kind::datagram) continue;
    for (std::size_t at = 0; at < r.rx_size;) {
      stored_datagram h = header_at(r, at);
      if (h.held_for == static_cast<int>(sender_index)) {
        h.held_for = -1;
        set_header_at(r, at, h);
      }
      at += overhead + h.size;
    }
  }
}

}  // namespace fake::detail

namespace fake {

status set_datagram_faults(native_handle_type handle, const datagram_faults& faults) noexcept {
  socket_record* s = find_datagram(handle);
  if (s == nullptr) return errc::invalid_argument;
  s->dgram_faults = faults;
  return {};
}

status script_datagrams(native_handle_type sender, std::initializer_list<datagram_action> actions) noexcept {
  socket_record* s = find_datagram(sender);
  if (s == nullptr) return errc::invalid_argument;
  if (actions.size() > max_datagram_script) return errc::buffer_too_small;
  std::size_t n = 0;
  for (const datagram_action a : actions) s->script[n++] = a;
  s->script_left = static_cast<std::uint8_t>(n);
  return {};
}

std::uint64_t datagrams_dropped(native_handle_type handle) noexcept {
  const socket_record* s = find_datagram(handle);
  return s == nullptr ? 0 : s->dropped;
}

}  // namespace fake

result<udp_socket> udp_socket::open(const endpoint& local, const udp_options& options) noexcept {
  if (!fake::detail::has_room_for_a_descriptor()) return errc::too_many_open_files;
  if (const errc refused = port_detail::check_bind(local); refused != errc::ok) return refused;
  if (!zone_known(local.address)) return errc::address_not_available;
  // As Linux: a group, and the broadcast address, may be bound as well as a local address.
  const bool group_or_broadcast =
      local.address.is_multicast() || (local.address.is_v4() && local.address.v4().is_broadcast());
  if (!group_or_broadcast && !fake::detail::is_local(local.address)) return errc::address_not_available;
  endpoint where = local;
  if (where.port == 0) {
    where.port = fake::detail::ephemeral_port();
    if (where.port == 0) return errc::address_in_use;
  } else {
    for (const socket_record& s : the_world().sockets) {
      if (s.what != kind::datagram || !fake::detail::overlaps(s.local, where)) continue;
      if (!(s.reuse_address && options.reuse_address)) return errc::address_in_use;
    }
  }
  socket_record* s = fake::detail::allocate();
  if (s == nullptr) return errc::too_many_open_files;
  s->what = kind::datagram;
  s->open = true;
  s->local = where;
  s->v6_only = options.v6_only;
  s->reuse_address = options.reuse_address;
  s->broadcast = options.broadcast && where.address.is_v4();
  udp_socket u;
  u.handle_ = fake::detail::handle_of(fake::detail::index_of(*s));
  u.non_blocking_ = false;
  return u;
}

status udp_socket::connect(const endpoint& peer) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_peer(peer); refused != errc::ok) return refused;
  if (const errc refused = family_refused(*s, peer); refused != errc::ok) return refused;
  if (!zone_known(peer.address)) return errc::address_not_available;
  if (peer.address.is_v4() && peer.address.v4().is_broadcast() && !s->broadcast) return errc::permission_denied;
  s->peer = peer;
  s->connected = true;
  connected_ = true;
  return {};
}

status udp_socket::send_to(const void* data, std::size_t size, const endpoint& to) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_send(data, size, to); refused != errc::ok) return refused;
  if (size > fake::max_datagram) return errc::message_too_long;
  if (const errc refused = family_refused(*s, to); refused != errc::ok) return refused;
  if (!zone_known(to.address)) return errc::address_not_available;
  if (to.address.is_v4() && to.address.v4().is_broadcast() && !s->broadcast) return errc::permission_denied;
  if (const errc e = take_pending(*s); e != errc::ok) return e;
  carry(*s, data, size, to);
  s->sent += size;
  return {};
}

status udp_socket::send(const void* data, std::size_t size) noexcept {
  const socket_record* s = find_datagram(handle_);
  if (s == nullptr || (data == nullptr && size > 0)) return errc::invalid_argument;
  if (!s->connected) return errc::not_connected;
  return send_to(data, size, s->peer);
}

udp_recv_result udp_socket::recv_from(void* data, std::size_t size) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr || (data == nullptr && size > 0)) return udp_recv_result(errc::invalid_argument);
  if (const errc e = take_pending(*s); e != errc::ok) return udp_recv_result(e);
  std::size_t at = first_receivable(*s);
  if (at == s->rx_size) {
    // Nothing receivable now. A delayed datagram due within the wait arrives during it.
    const std::uint64_t due = fake::detail::next_arrival_ms(*s);
    const std::uint64_t now = the_world().clock_ms;
    const int limit = s->receive_timeout_ms;
    const bool arrives = due != UINT64_MAX && (limit < 0 || due - now <= static_cast<std::uint64_t>(limit));
    if (s->non_blocking || !arrives) return udp_recv_result(fake::detail::cannot_wait(s->non_blocking, limit));
    fake::advance(milliseconds{static_cast<milliseconds::rep>(due - now)});
    at = first_receivable(*s);
  }
  const stored_datagram h = header_at(*s, at);
  const std::size_t stored = h.size < size ? h.size : size;
  if (stored > 0) std::memcpy(data, s->rx + at + overhead, stored);
  const std::size_t bytes = overhead + h.size;
  std::memmove(s->rx + at, s->rx + at + bytes, s->rx_size - at - bytes);
  s->rx_size -= bytes;
  --s->rx_count;
  s->received += stored;
  return port_detail::received(stored, h.size, h.size > size, h.from);
}

namespace {

/// True when `on` names the fake's interface (index 1, or one of its IPv4 addresses) or none.
bool interface_known(const multicast_interface& on) noexcept {
  if (on.index != 0) return on.index == 1;
  return on.address.is_unspecified() || fake::detail::is_local(on.address);
}

/// The checks join_group and leave_group share: the group as the socket's table keeps it, or why not.
result<ip_address> group_of(const socket_record& s, const ip_address& group, const multicast_interface& on) noexcept {
  if (const errc refused = port_detail::check_group(group, on, s.local.address.is_v6()); refused != errc::ok)
    return refused;
  if (group.is_v6()) {
    const result<std::uint32_t> index = port_detail::group_interface_index(group, on);
    if (!index) return index.err();
    if (index.value() > 1) return errc::address_not_available;
  } else if (!interface_known(on)) {
    return errc::address_not_available;
  }
  return zoneless(group);
}

}  // namespace

result<std::uint32_t> interface_index(std::string_view name) noexcept {
  if (name.empty() || name.size() > 15) return errc::invalid_argument;  // Linux's IF_NAMESIZE - 1
  if (name == "lo") return std::uint32_t{1};
  return errc::address_not_available;
}

status udp_socket::change_membership(bool join, const ip_address& group, const multicast_interface& on) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  const result<ip_address> g = group_of(*s, group, on);
  if (!g) return g.err();
  for (std::size_t i = 0; i < s->group_count; ++i) {
    if (s->groups[i] != g.value()) continue;
    if (join) return errc::address_in_use;
    s->groups[i] = s->groups[--s->group_count];
    return {};
  }
  if (!join) return errc::address_not_available;
  if (s->group_count == fake::max_memberships) return errc::out_of_memory;
  s->groups[s->group_count++] = g.value();
  return {};
}

status udp_socket::set_multicast_interface(const multicast_interface& on) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_interface(on, s->local.address.is_v6()); refused != errc::ok)
    return refused;
  return interface_known(on) ? status{} : status{errc::address_not_available};
}

status udp_socket::set_multicast_hops(unsigned hops) noexcept {
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  const result<int> value = port_detail::multicast_hops(hops);
  if (!value) return value.err();
  s->multicast_hops = static_cast<std::uint8_t>(value.value());
  return {};
}

}  // namespace emsock
