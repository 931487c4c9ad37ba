// SPDX-License-Identifier: MIT
// port/lwip-raw/udp_echo_raw.cpp - the datagram echo server and client behind lwIP's raw UDP callbacks.
// Allocation-free: the queue, the client's buffers and flights live in the objects; lwIP's memory is
// its own pools and static heap. Every loop is bounded by the datagrams queued or due.
extern "C" {
#include "lwip/opt.h"
}

#if LWIP_UDP  // a TCP-only lwipopts.h compiles this file to nothing

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "emsock/lwip_raw/udp_echo.hpp"

extern "C" {
#include "lwip/netif.h"
}

namespace emsock::lwip_raw {
namespace {

/// Largest UDP payload lwIP can send: the UDP length field (16 bits) holds the 8-byte header too.
constexpr std::size_t max_udp_payload = 0xFFFFu - 8u;
/// Datagrams longer than this go from lwIP's heap, not its pool (see udp_echo.hpp).
constexpr std::size_t max_pool_datagram = static_cast<std::size_t>(PBUF_POOL_SIZE) * PBUF_POOL_BUFSIZE / 2u;

/// Sends `bytes` whole, copied into a fresh pbuf, to `to`:`port` (to == nullptr: the pcb's connected
/// peer). would_block when lwIP has no pbuf now (pool or heap empty, ERR_MEM, ERR_BUF, ERR_WOULDBLOCK):
/// try again later; message_too_long above max_udp_payload; lwIP's other errors as errc_from_err().
errc send_copy(udp_pcb* pcb, const_byte_span bytes, const ip_addr_t* to, std::uint16_t port) noexcept {
  if (bytes.size > max_udp_payload) return errc::message_too_long;
  const auto len = static_cast<std::uint16_t>(bytes.size);
  pbuf* p = pbuf_alloc(PBUF_TRANSPORT, len, bytes.size > max_pool_datagram ? PBUF_RAM : PBUF_POOL);
  if (p == nullptr) return errc::would_block;
  if (len > 0 && pbuf_take(p, bytes.data, len) != ERR_OK) {  // cannot happen: p holds len bytes
    pbuf_free(p);
    return errc::invalid_argument;
  }
  const err_t err = to != nullptr ? udp_sendto(pcb, p, to, port) : udp_send(pcb, p);
  pbuf_free(p);  // lwIP copied or sent it; a queue inside lwIP (ARP) holds its own reference
  if (err == ERR_MEM || err == ERR_BUF || err == ERR_WOULDBLOCK) return errc::would_block;
  return errc_from_err(err);
}

/// lwIP's address and port as an endpoint; an IPv6 zone (lwIP's netif index) as the netif's name,
/// "en0" (lwIP's netif_index_to_name), as the boards print it.
endpoint to_endpoint(const ip_addr_t& addr, std::uint16_t port) noexcept {
  endpoint e;
  e.port = port;
#if LWIP_IPV6
  if (IP_IS_V6_VAL(addr)) {
    const ip6_addr_t* a6 = ip_2_ip6(&addr);
    ipv6_address::bytes_type bytes{};
    std::memcpy(bytes.data(), a6->addr, bytes.size());  // network order in memory
    scoped_ipv6_address scoped{ipv6_address(bytes), {}};
#if LWIP_IPV6_SCOPES
    const netif* n = ip6_addr_has_zone(a6) ? netif_get_by_index(ip6_addr_zone(a6)) : nullptr;
    if (n != nullptr) {
      char name[2 + 3];  // lwIP's two letters and its number (u8_t): "en0"
      std::size_t len = 0;
      name[len++] = n->name[0];
      name[len++] = n->name[1];
      if (n->num >= 100u) name[len++] = static_cast<char>('0' + n->num / 100u);
      if (n->num >= 10u) name[len++] = static_cast<char>('0' + n->num / 10u % 10u);
      name[len++] = static_cast<char>('0' + n->num % 10u);
      const result<zone_id> z = zone_id::parse(std::string_view(name, len));
      if (z.ok()) scoped.zone = z.value();
    }
#endif
    e.address = scoped;
    return e;
  }
#endif
#if LWIP_IPV4
  const ip4_addr_t* a4 = ip_2_ip4(&addr);
  e.address = ipv4_address(ip4_addr1(a4), ip4_addr2(a4), ip4_addr3(a4), ip4_addr4(a4));
#endif
  return e;
}

/// The endpoint's address for lwIP. Only addresses to_endpoint() made reach it; an IPv6 one in a
/// build without IPv6 (or the reverse) is refused with family_not_supported.
errc to_ip_addr(const ip_address& a, ip_addr_t& out) noexcept {
  if (a.is_v4()) {
#if LWIP_IPV4
    const ipv4_address::bytes_type& b = a.v4().bytes();
    IP_ADDR4(&out, b[0], b[1], b[2], b[3]);
    return errc::ok;
#else
    return errc::family_not_supported;
#endif
  }
#if LWIP_IPV6
  std::uint32_t words[4];
  std::memcpy(words, a.v6().bytes().data(), sizeof words);  // network order in memory
  IP_ADDR6(&out, words[0], words[1], words[2], words[3]);     // no zone yet
#if LWIP_IPV6_SCOPES
  // The zone names a netif as to_endpoint() wrote it; one that names no netif leaves no zone.
  const std::string_view zone = a.zone();
  unsigned num = 0;
  bool valid = zone.size() >= 3 && zone.size() <= 5;
  for (std::size_t i = 2; valid && i < zone.size(); ++i) {
    valid = zone[i] >= '0' && zone[i] <= '9';
    num = num * 10u + static_cast<unsigned>(zone[i] - '0');
  }
  netif* n = nullptr;
  if (valid) {
    NETIF_FOREACH(n) {
      if (n->name[0] == zone[0] && n->name[1] == zone[1] && n->num == num) break;
    }
  }
  if (n != nullptr) ip6_addr_set_zone(ip_2_ip6(&out), netif_get_index(n));
#endif
  return errc::ok;
#else
  return errc::family_not_supported;
#endif
}

}  // namespace

// --- server ----------------------------------------------------------------------------------------

status udp_echo_server_base::open(std::uint16_t port) noexcept {
  if (pcb_ != nullptr) return errc::invalid_argument;
  udp_pcb* pcb = udp_new_ip_type(IPADDR_TYPE_ANY);
  if (pcb == nullptr) return errc::out_of_memory;
  const err_t err = udp_bind(pcb, IP_ANY_TYPE, port);
  if (err != ERR_OK) {
    udp_remove(pcb);
    return errc_from_err(err);  // ERR_USE: address_in_use
  }
  session_.restart();
  stats_ = {};
  pcb_ = pcb;
  udp_recv(pcb_, &udp_echo_server_base::on_recv, this);
  return errc::ok;
}

void udp_echo_server_base::close() noexcept {
  if (pcb_ == nullptr) return;
  udp_recv(pcb_, nullptr, nullptr);
  udp_remove(pcb_);
  pcb_ = nullptr;
}

std::uint16_t udp_echo_server_base::port() const noexcept { return pcb_ != nullptr ? pcb_->local_port : 0; }

void udp_echo_server_base::on_recv(void* arg, udp_pcb* pcb, pbuf* p, const ip_addr_t* addr,
                                   std::uint16_t port) noexcept {
  auto* self = static_cast<udp_echo_server_base*>(arg);
  if (p == nullptr) return;
  if (self == nullptr || self->pcb_ != pcb || addr == nullptr ||
      self->session_.state() != datagram_echo_state::open) {
    if (self != nullptr) ++self->stats_.ignored;
    pbuf_free(p);
    return;
  }
  const endpoint from = to_endpoint(*addr, port);
  const byte_span space = self->session_.receive_space();
  const std::size_t size = p->tot_len;
  if (size <= space.size) {  // whole into the lent space (size 0: a datagram of no bytes)
    if (size > 0) static_cast<void>(pbuf_copy_partial(p, space.data, static_cast<std::uint16_t>(size), 0));
    static_cast<void>(self->session_.on_received(size, from));  // may drop it (no record left): counted
  } else {  // it does not fit: dropped and counted by the session, never cut
    static_cast<void>(self->session_.on_truncated(size, from));
  }
  pbuf_free(p);
  self->flush();
}

void udp_echo_server_base::flush() noexcept {
  if (pcb_ == nullptr) return;
  // Bounded: each pass sends (on_sent) or drops (on_send_error) the front datagram, or stops.
  for (datagram_view d = session_.pending_send(); d; d = session_.pending_send()) {
    ip_addr_t to;
    errc e = to_ip_addr(d.peer->address, to);
    if (e == errc::ok) e = send_copy(pcb_, d.bytes, &to, d.peer->port);
    if (e == errc::ok) {
      static_cast<void>(session_.on_sent());
    } else if (e == errc::would_block) {  // no pbuf now: it stays queued, poll() tries again
      ++stats_.deferred;
      return;
    } else {  // fatal to that datagram only (no route back, ...): dropped, counted as send_failed
      static_cast<void>(session_.on_send_error(e));
    }
  }
}

void udp_echo_server_base::poll(std::uint64_t) noexcept { flush(); }

// --- client ----------------------------------------------------------------------------------------

status udp_echo_client_base::start(const ip_addr_t& addr, std::uint16_t port, const datagram_echo_client_config& config,
                                   std::uint64_t now_ms) noexcept {
  if (run_.has_value() && !done()) return errc::invalid_argument;
  now_ms_ = now_ms;
  stats_ = {};
  run_.emplace(config, send_buffer_, max_size_, flights_, flight_count_, now_ms);
  if (run_->outcome() == datagram_echo_outcome::failed) return run_->error();  // a configuration refused
  if (run_->done()) return errc::ok;  // nothing to send (count 0): no pcb needed
  udp_pcb* pcb = udp_new_ip_type(IP_GET_TYPE(&addr));
  if (pcb == nullptr) {
    static_cast<void>(run_->on_error(errc::out_of_memory));
    return errc::out_of_memory;
  }
  const err_t err = udp_connect(pcb, &addr, port);  // binds a free local port first
  if (err != ERR_OK) {
    udp_remove(pcb);
    const errc e = errc_from_err(err);
    static_cast<void>(run_->on_error(e));
    return e;
  }
  pcb_ = pcb;
  udp_recv(pcb_, &udp_echo_client_base::on_recv, this);
  pump();
  return errc::ok;
}

void udp_echo_client_base::on_recv(void* arg, udp_pcb* pcb, pbuf* p, const ip_addr_t*, std::uint16_t) noexcept {
  auto* self = static_cast<udp_echo_client_base*>(arg);
  if (p == nullptr) return;
  if (self == nullptr || self->pcb_ != pcb || !self->run_.has_value() || self->run_->done()) {
    if (self != nullptr) ++self->stats_.ignored;
    pbuf_free(p);
    return;
  }
  // One pbuf: classified in place. A chain: copied, at most max_reply_size() bytes, so that a longer
  // reply is still seen as longer (wrong_size).
  const_byte_span reply{static_cast<const std::uint8_t*>(p->payload), p->len};
  if (p->next != nullptr) {
    const std::size_t limit = self->run_->max_reply_size();
    const auto want = static_cast<std::uint16_t>(p->tot_len < limit ? p->tot_len : limit);
    reply = const_byte_span{self->reply_buffer_, pbuf_copy_partial(p, self->reply_buffer_, want, 0)};
  }
  static_cast<void>(self->run_->on_received(reply, self->now_ms_));
  pbuf_free(p);
  self->pump();  // a reply frees a window slot; or the run has ended (lwIP touches the pcb no more)
}

void udp_echo_client_base::pump() noexcept {
  if (!run_.has_value()) return;
  // Bounded: each pass sends one due datagram (at most window of them, and retries) or stops.
  while (pcb_ != nullptr && !run_->done()) {
    const const_byte_span d = run_->pending_send();
    if (d.empty()) break;  // nothing due (every datagram has at least the header's bytes)
    const errc e = send_copy(pcb_, d, nullptr, 0);
    if (e == errc::would_block) {  // no pbuf now: poll() tries again
      ++stats_.deferred;
      break;
    }
    if (e != errc::ok) {
      static_cast<void>(run_->on_error(e));
      break;
    }
    static_cast<void>(run_->on_sent(now_ms_));
  }
  if (run_->done() && pcb_ != nullptr) {
    udp_recv(pcb_, nullptr, nullptr);
    udp_remove(pcb_);
    pcb_ = nullptr;
  }
}

void udp_echo_client_base::poll(std::uint64_t now_ms) noexcept {
  if (!run_.has_value()) return;
  if (now_ms > now_ms_) now_ms_ = now_ms;
  if (!run_->done()) run_->on_tick(now_ms_);
  pump();
}

void udp_echo_client_base::cancel() noexcept {
  if (!run_.has_value()) return;
  if (!run_->done()) static_cast<void>(run_->on_error(errc::connection_aborted));
  pump();
}

}  // namespace emsock::lwip_raw

#endif  // LWIP_UDP
