// SPDX-License-Identifier: MIT
// The raw-API backend's UDP sockets over udp_pcb: a datagram is copied into the socket's buffer in
// the receive callback (its pbuf freed at once) or, when it does not fit, dropped and counted.
// Sending copies into one PBUF_RAM. Multicast groups are not offered (operation_not_supported).
#include <cstring>

#include "../common/udp_common.hpp"
#include "emsock/lwip/err.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using lwip_raw::detail::callback_scope;
using lwip_raw::detail::datagram_header;
using lwip_raw::detail::inside_stack;
using lwip_raw::detail::kind;
using lwip_raw::detail::socket_record;
namespace raw = lwip_raw::detail;

constexpr std::size_t overhead = lwip_raw::datagram_overhead;

socket_record* find_datagram(native_handle_type handle) noexcept {
  socket_record* s = raw::find(handle);
  return s != nullptr && s->what == kind::datagram && s->udp != nullptr ? s : nullptr;
}

void on_datagram(void* arg, udp_pcb*, pbuf* p, const ip_addr_t* from, u16_t port) noexcept {
  callback_scope scope;
  auto* s = static_cast<socket_record*>(arg);
  if (s == nullptr || p == nullptr) {
    if (p != nullptr) pbuf_free(p);
    return;
  }
  const std::size_t size = p->tot_len;
  if (overhead + size > lwip_raw::rx_buffer_size - s->rx_size) {
    ++s->dropped;  // no room: UDP's loss, counted (memory_of)
    pbuf_free(p);
    return;
  }
  datagram_header h;
  h.from = *from;
  h.port = port;
  h.size = static_cast<std::uint32_t>(size);
  std::memcpy(s->rx + s->rx_size, &h, sizeof h);
  if (size > 0) pbuf_copy_partial(p, s->rx + s->rx_size + overhead, static_cast<u16_t>(size), 0);
  s->rx_size += overhead + size;
  ++s->rx_count;
  pbuf_free(p);
}

/// family_not_supported when the socket cannot address `to` (an IPv4 socket and an IPv6 peer, or
/// an IPv6-only socket and an IPv4 peer).
errc family_refused(const socket_record& s, const endpoint& to) noexcept {
  const u8_t type = IP_GET_TYPE(&s.udp->local_ip);
  if (type == IPADDR_TYPE_ANY) return errc::ok;
  const bool v6 = type == IPADDR_TYPE_V6;
  return v6 == to.address.is_v6() ? errc::ok : errc::family_not_supported;
}

bool is_broadcast(const ip_address& a) noexcept { return a.is_v4() && a.v4().is_broadcast(); }

bool dual_stack(const socket_record& s) noexcept { return IP_GET_TYPE(&s.udp->local_ip) == IPADDR_TYPE_ANY; }

/// A dual-stack socket's view of an IPv4 peer: ::ffff:a.b.c.d, as Linux shows it.
endpoint as_seen(const socket_record& s, const endpoint& from) noexcept {
  if (!dual_stack(s) || !from.address.is_v4()) return from;
  return {ip_address(ipv6_address::v4_mapped(from.address.v4())), from.port};
}

/// What lwIP is given for a destination: a v4-mapped address of a dual-stack socket as IPv4.
endpoint unmapped(const socket_record& s, const endpoint& to) noexcept {
  if (!dual_stack(s) || !to.address.is_v6() || !to.address.v6().is_v4_mapped()) return to;
  return {ip_address(to.address.v6().to_v4()), to.port};
}

}  // namespace

result<udp_socket> udp_socket::open(const endpoint& local, const udp_options& options) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  if (const errc refused = port_detail::check_bind(local); refused != errc::ok) return refused;
  const result<ip_addr_t> at = raw::to_lwip(local.address);
  if (!at) return at.err();
  socket_record* s = raw::allocate(kind::datagram);
  if (s == nullptr) return errc::too_many_open_files;
  udp_pcb* pcb = udp_new_ip_type(raw::pcb_type(local.address, options.v6_only));
  if (pcb == nullptr) {
    raw::release(*s);
    return errc::out_of_memory;
  }
  s->udp = pcb;
  s->open = true;
  udp_socket u(raw::handle_of(*s));  // owns it from here: closes it on failure
  const bool group_or_broadcast = local.address.is_multicast() || is_broadcast(local.address);
  bool local_address = ip_addr_isany_val(at.value()) || group_or_broadcast;
  netif* n = nullptr;
  NETIF_FOREACH(n) {
#if LWIP_IPV4
    if (local.address.is_v4() && ip4_addr_cmp(ip_2_ip4(&at.value()), netif_ip4_addr(n))) local_address = true;
#endif
#if LWIP_IPV6
    if (local.address.is_v6() && netif_get_ip6_addr_match(n, ip_2_ip6(&at.value())) >= 0) local_address = true;
#endif
  }
  if (!local_address) return errc::address_not_available;
#if SO_REUSE
  if (options.reuse_address) ip_set_option(pcb, SOF_REUSEADDR);
#endif
  if (options.broadcast) ip_set_option(pcb, SOF_BROADCAST);
  s->broadcast = options.broadcast && local.address.is_v4();
  const ip_addr_t bind_to = raw::bind_address(at.value(), local.address, options.v6_only);
  const err_t err = udp_bind(pcb, &bind_to, local.port);
  if (err != ERR_OK) return lwip::errc_from_err(err);
  udp_recv(pcb, on_datagram, s);
  return u;
}

status udp_socket::connect(const endpoint& peer) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_peer(peer); refused != errc::ok) return refused;
  if (const errc refused = family_refused(*s, peer); refused != errc::ok) return refused;
  if (is_broadcast(peer.address) && !s->broadcast) return errc::permission_denied;
  const result<ip_addr_t> to = raw::to_lwip(unmapped(*s, peer).address);
  if (!to) return to.err();
  const err_t err = udp_connect(s->udp, &to.value(), peer.port);
  if (err != ERR_OK) return lwip::errc_from_err(err);
  s->connected_udp = true;
  connected_ = true;
  return {};
}

status udp_socket::send_to(const void* data, std::size_t size, const endpoint& to) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_send(data, size, to); refused != errc::ok) return refused;
  if (const errc refused = family_refused(*s, to); refused != errc::ok) return refused;
  if (is_broadcast(to.address) && !s->broadcast) return errc::permission_denied;
  if (size > 0xffffu - 8u) return errc::message_too_long;
  const result<ip_addr_t> where = raw::to_lwip(unmapped(*s, to).address);
  if (!where) return where.err();
  pbuf* p = pbuf_alloc(PBUF_TRANSPORT, static_cast<u16_t>(size), PBUF_RAM);
  if (p == nullptr) return errc::out_of_memory;
  if (size > 0) pbuf_take(p, data, static_cast<u16_t>(size));
  const err_t err = udp_sendto(s->udp, p, &where.value(), to.port);
  pbuf_free(p);
  if (err == ERR_RTE) return errc::network_unreachable;
  if (err == ERR_VAL && size > 0) return errc::message_too_long;
  return lwip::errc_from_err(err);
}

status udp_socket::send(const void* data, std::size_t size) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find_datagram(handle_);
  if (s == nullptr || (data == nullptr && size > 0)) return errc::invalid_argument;
  if (!s->connected_udp) return errc::not_connected;
  return send_to(data, size, as_seen(*s, raw::from_lwip(s->udp->remote_ip, s->udp->remote_port)));
}

udp_recv_result udp_socket::recv_from(void* data, std::size_t size) noexcept {
  if (inside_stack()) return udp_recv_result(errc::called_from_callback);
  socket_record* s = find_datagram(handle_);
  if (s == nullptr || (data == nullptr && size > 0)) return udp_recv_result(errc::invalid_argument);
  if (s->rx_count == 0)
    raw::wait_until([s] { return s->rx_count > 0; }, s->non_blocking ? 0 : s->receive_timeout_ms);
  if (s->rx_count == 0) return udp_recv_result(again_code());
  datagram_header h;
  std::memcpy(&h, s->rx, sizeof h);
  const std::size_t stored = h.size < size ? h.size : size;
  if (stored > 0) std::memcpy(data, s->rx + overhead, stored);
  const std::size_t bytes = overhead + h.size;
  std::memmove(s->rx, s->rx + bytes, s->rx_size - bytes);
  s->rx_size -= bytes;
  --s->rx_count;
  return port_detail::received(stored, h.size, h.size > size, as_seen(*s, raw::from_lwip(h.from, h.port)));
}

status udp_socket::change_membership(bool, const ip_address& group, const multicast_interface& on) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (const errc refused = port_detail::check_group(group, on, IP_GET_TYPE(&s->udp->local_ip) != IPADDR_TYPE_V4);
      refused != errc::ok)
    return refused;
  return errc::operation_not_supported;
}

status udp_socket::set_multicast_interface(const multicast_interface& on) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  const bool v6 = IP_GET_TYPE(&s->udp->local_ip) != IPADDR_TYPE_V4;
  if (const errc refused = port_detail::check_interface(on, v6); refused != errc::ok) return refused;
#if LWIP_MULTICAST_TX_OPTIONS && LWIP_IPV4
  if (v6) return errc::operation_not_supported;  // as lwIP 2.1's sockets: a zone on the destination does it
  if (on.index != 0) {
    if (on.index > 255 || netif_get_by_index(static_cast<u8_t>(on.index)) == nullptr) return errc::address_not_available;
    udp_set_multicast_netif_index(s->udp, static_cast<u8_t>(on.index));
    return {};
  }
  const result<ip_addr_t> a = raw::to_lwip(on.address);
  if (!a) return a.err();
  if (!on.address.is_unspecified()) {
    bool found = false;
    netif* n = nullptr;
    NETIF_FOREACH(n) {
      if (ip4_addr_cmp(ip_2_ip4(&a.value()), netif_ip4_addr(n))) found = true;
    }
    if (!found) return errc::address_not_available;
  }
  udp_set_multicast_netif_index(s->udp, NETIF_NO_INDEX);
  udp_set_multicast_netif_addr(s->udp, ip_2_ip4(&a.value()));
  return {};
#else
  return errc::operation_not_supported;
#endif
}

status udp_socket::set_multicast_hops(unsigned hops) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find_datagram(handle_);
  if (s == nullptr) return errc::invalid_argument;
  const result<int> h = port_detail::multicast_hops(hops);
  if (!h) return h.code();
#if LWIP_MULTICAST_TX_OPTIONS
  if (IP_GET_TYPE(&s->udp->local_ip) != IPADDR_TYPE_V4) return errc::operation_not_supported;
  udp_set_multicast_ttl(s->udp, static_cast<u8_t>(h.value()));
  return {};
#else
  return errc::operation_not_supported;
#endif
}

}  // namespace emsock
