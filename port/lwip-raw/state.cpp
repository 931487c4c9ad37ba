// SPDX-License-Identifier: MIT
// The raw-API backend's table, its drive loop over the board's hook, the guard against calls from
// inside the stack, address conversion, and what emsock/port/native_lwip_raw.hpp promises besides.
#include "state.hpp"

#include <cstring>

#include "../common/names_common.hpp"
#include "emsock/port/clock.hpp"

extern "C" {
#include "lwip/netif.h"
#include "lwip/sys.h"
}

namespace emsock::lwip_raw::detail {
namespace {

socket_record sockets[max_sockets];
drive_hook the_hook = nullptr;
void* the_context = nullptr;
int depth = 0;  ///< >0 while the stack runs under emsock (hook or callback)

/// Handles: index in the low 8 bits, generation above (so a stale handle is never a new socket).
constexpr int index_bits = 8;

}  // namespace

socket_record* table() noexcept { return sockets; }

socket_record* find(native_handle_type handle) noexcept {
  if (handle < 0) return nullptr;
  const auto index = static_cast<std::size_t>(handle) & ((1u << index_bits) - 1);
  if (index >= max_sockets) return nullptr;
  socket_record& s = sockets[index];
  if (!s.open || s.what == kind::free) return nullptr;
  if (static_cast<std::uint16_t>(static_cast<unsigned>(handle) >> index_bits) != s.generation) return nullptr;
  return &s;
}

std::size_t index_of(const socket_record& s) noexcept { return static_cast<std::size_t>(&s - sockets); }

native_handle_type handle_of(const socket_record& s) noexcept {
  return static_cast<native_handle_type>((static_cast<unsigned>(s.generation) << index_bits) | index_of(s));
}

socket_record* allocate(kind what) noexcept {
  for (socket_record& s : sockets) {
    if (s.what != kind::free) continue;
    const std::uint16_t generation = static_cast<std::uint16_t>((s.generation + 1u) & 0x7fffu);
    // Reset the fields, not the buffer (it is written before it is read).
    s.open = false;
    s.non_blocking = false;
    s.receive_timeout_ms = s.send_timeout_ms = -1;
    s.tcp = nullptr;
    s.udp = nullptr;
    s.queued = s.queue_limit = 0;
    s.connecting = s.connected = s.fin_received = s.write_shut = s.read_shut = s.gone = false;
    s.pending_error = errc::ok;
    s.rx_head = s.rx_size = s.rx_count = 0;
    s.connected_udp = s.broadcast = false;
    s.dropped = 0;
    s.generation = generation;
    s.what = what;
    return &s;
  }
  return nullptr;
}

void release(socket_record& s) noexcept {
  s.what = kind::free;
  s.open = false;
  s.tcp = nullptr;
  s.udp = nullptr;
}

bool inside_stack() noexcept { return depth > 0; }
callback_scope::callback_scope() noexcept { ++depth; }
callback_scope::~callback_scope() { --depth; }

bool drive(milliseconds may_sleep) noexcept {
  if (the_hook == nullptr) return false;
  ++depth;
  the_hook(the_context, may_sleep);
  --depth;
  return true;
}

std::uint32_t now() noexcept { return sys_now(); }

result<ip_addr_t> to_lwip(const ip_address& a) noexcept {
  ip_addr_t out;
  std::memset(&out, 0, sizeof out);
  if (a.is_v4()) {
#if LWIP_IPV4
    const auto& b = a.v4().bytes();
    IP_ADDR4(&out, b[0], b[1], b[2], b[3]);
    return out;
#else
    return errc::family_not_supported;
#endif
  }
#if LWIP_IPV6
  const auto& b = a.v6().bytes();
  std::uint32_t words[4];
  for (std::size_t i = 0; i < 4; ++i)
    words[i] = PP_HTONL((std::uint32_t{b[4 * i]} << 24) | (std::uint32_t{b[4 * i + 1]} << 16) |
                        (std::uint32_t{b[4 * i + 2]} << 8) | std::uint32_t{b[4 * i + 3]});
  IP_ADDR6(&out, words[0], words[1], words[2], words[3]);
  const std::string_view zone = a.zone();
  if (!zone.empty()) {
    std::uint32_t index = 0;
    bool digits = true;
    for (char c : zone) {
      if (c < '0' || c > '9' || index > 255) {
        digits = false;
        break;
      }
      index = index * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (!digits) {
      char name[NETIF_NAMESIZE];
      if (!port_detail::to_c_string(zone, name)) return errc::address_not_available;
      index = netif_name_to_index(name);
    }
    if (index == 0 || index > 255 || netif_get_by_index(static_cast<u8_t>(index)) == nullptr)
      return errc::address_not_available;
#if LWIP_IPV6_SCOPES
    // Only scoped addresses (link-local) carry the zone in lwIP; ::1%lo0 is ::1 on that interface.
    if (ip6_addr_has_scope(ip_2_ip6(&out), IP6_UNKNOWN)) ip6_addr_set_zone(ip_2_ip6(&out), static_cast<u8_t>(index));
#endif
  }
  return out;
#else
  return errc::family_not_supported;
#endif
}

endpoint from_lwip(const ip_addr_t& a, std::uint16_t port) noexcept {
#if LWIP_IPV6
  if (IP_IS_V6_VAL(a)) {
    ipv6_address::bytes_type b;
    const ip6_addr_t* six = ip_2_ip6(&a);
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint32_t w = PP_NTOHL(six->addr[i]);
      b[4 * i] = static_cast<std::uint8_t>(w >> 24);
      b[4 * i + 1] = static_cast<std::uint8_t>(w >> 16);
      b[4 * i + 2] = static_cast<std::uint8_t>(w >> 8);
      b[4 * i + 3] = static_cast<std::uint8_t>(w);
    }
    scoped_ipv6_address scoped{ipv6_address(b), {}};
#if LWIP_IPV6_SCOPES
    if (ip6_addr_has_zone(six)) {
      char digits[4];
      std::size_t n = 0;
      const unsigned z = ip6_addr_zone(six);
      if (z >= 100) digits[n++] = static_cast<char>('0' + z / 100);
      if (z >= 10) digits[n++] = static_cast<char>('0' + z / 10 % 10);
      digits[n++] = static_cast<char>('0' + z % 10);
      const auto zone = zone_id::parse(std::string_view(digits, n));
      if (zone) scoped.zone = zone.value();
    }
#endif
    return {ip_address(scoped), port};
  }
#endif
#if LWIP_IPV4
  const std::uint32_t v = PP_NTOHL(ip4_addr_get_u32(ip_2_ip4(&a)));
  const ipv4_address::bytes_type b{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                                   static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return {ipv4_address(b), port};
#else
  return {};
#endif
}

std::uint8_t pcb_type(const ip_address& local, bool v6_only) noexcept {
  if (local.is_v4()) return IPADDR_TYPE_V4;
  return v6_only || !local.is_unspecified() ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;
}

ip_addr_t bind_address(const ip_addr_t& at, const ip_address& local, bool v6_only) noexcept {
  return pcb_type(local, v6_only) == IPADDR_TYPE_ANY ? *IP_ANY_TYPE : at;
}

}  // namespace emsock::lwip_raw::detail

namespace emsock::lwip_raw {

void set_drive_hook(drive_hook hook, void* context) noexcept {
  detail::the_hook = hook;
  detail::the_context = context;
}

status service(milliseconds may_sleep) noexcept {
  if (detail::inside_stack()) return errc::called_from_callback;
  if (!detail::drive(may_sleep)) return errc::operation_not_supported;
  return {};
}

result<socket_memory> memory_of(native_handle_type handle) noexcept {
  if (detail::inside_stack()) return errc::called_from_callback;
  const detail::socket_record* s = detail::find(handle);
  if (s == nullptr) return errc::invalid_argument;
  socket_memory m;
  if (s->what == detail::kind::datagram) {
    m.buffered = s->rx_count;
    m.dropped = s->dropped;
  } else if (s->what == detail::kind::stream) {
    m.buffered = s->rx_size;
    if (s->tcp != nullptr && s->tcp->refused_data != nullptr) m.pinned_pbufs = pbuf_clen(s->tcp->refused_data);
  } else {
    m.queued_accepts = s->queued;
  }
  return m;
}

std::size_t open_sockets() noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < max_sockets; ++i)
    if (detail::sockets[i].what != detail::kind::free) ++n;
  return n;
}

namespace {
char configured_name[max_configured_host_name_len + 1] = {};
std::size_t configured_len = 0;
}  // namespace

status set_host_name(std::string_view name) noexcept {
  if (name.size() > max_configured_host_name_len || name.find('\0') != std::string_view::npos)
    return errc::invalid_argument;
  if (!name.empty()) std::memcpy(configured_name, name.data(), name.size());
  configured_len = name.size();
  return {};
}

}  // namespace emsock::lwip_raw

namespace emsock {

result<std::size_t> host_name(char* buffer, std::size_t size) noexcept {
  if (lwip_raw::detail::inside_stack()) return errc::called_from_callback;
  if (buffer == nullptr) return errc::invalid_argument;
  std::string_view name(lwip_raw::configured_name, lwip_raw::configured_len);
#if LWIP_NETIF_HOSTNAME
  if (name.empty() && netif_default != nullptr && netif_default->hostname != nullptr)
    name = std::string_view(netif_default->hostname);
#endif
  if (name.empty()) return errc::name_not_found;
  if (name.size() + 1 > size) return errc::buffer_too_small;
  std::memcpy(buffer, name.data(), name.size());
  buffer[name.size()] = '\0';
  return name.size();
}

result<std::uint32_t> interface_index(std::string_view name) noexcept {
  if (lwip_raw::detail::inside_stack()) return errc::called_from_callback;
  char text[NETIF_NAMESIZE];
  if (name.empty() || !port_detail::to_c_string(name, text)) return errc::invalid_argument;
  const u8_t index = netif_name_to_index(text);
  if (index == 0) return errc::address_not_available;
  return std::uint32_t{index};
}

}  // namespace emsock
