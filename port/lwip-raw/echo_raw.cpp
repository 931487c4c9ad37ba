// SPDX-License-Identifier: MIT
// port/lwip-raw/echo_raw.cpp - the echo server and client sessions behind lwIP's raw TCP callbacks.
// Allocation-free: the slots and sessions live in the server object; lwIP's memory is its own static
// heap and pools. Every loop is bounded by the bytes lent or pending.
#include "emsock/lwip_raw/echo.hpp"

#include <cstddef>
#include <cstdint>

namespace emsock::lwip_raw {
namespace {

std::uint16_t clamp16(std::size_t n) noexcept {
  return n > 0xFFFFu ? std::uint16_t{0xFFFFu} : static_cast<std::uint16_t>(n);
}

/// Hands a pcb back to lwIP with none of our callbacks left on it.
void detach(tcp_pcb* pcb) noexcept {
  tcp_arg(pcb, nullptr);
  tcp_recv(pcb, nullptr);
  tcp_sent(pcb, nullptr);
  tcp_err(pcb, nullptr);
  tcp_poll(pcb, nullptr, 0);
}

/// Queues as much of `bytes` as lwIP takes (copied). Returns the count queued.
std::size_t write_some(tcp_pcb* pcb, const_byte_span bytes) noexcept {
  const std::uint16_t room = tcp_sndbuf(pcb);
  const std::uint16_t len = clamp16(bytes.size < room ? bytes.size : room);
  if (len == 0) return 0;
  if (tcp_write(pcb, bytes.data, len, TCP_WRITE_FLAG_COPY) != ERR_OK) return 0;  // ERR_MEM: later
  return len;
}

}  // namespace

// --- server ----------------------------------------------------------------------------------------

status echo_server_base::listen(std::uint16_t port) noexcept {
  if (listener_ != nullptr) return errc::invalid_argument;
  tcp_pcb* pcb = tcp_new();
  if (pcb == nullptr) return errc::out_of_memory;
  const err_t bound = tcp_bind(pcb, IP_ANY_TYPE, port);
  if (bound != ERR_OK) {
    tcp_close(pcb);
    return lwip::errc_from_err(bound);  // ERR_USE: address_in_use; ERR_BUF: no free port
  }
  err_t listening = ERR_OK;
  tcp_pcb* listener = tcp_listen_with_backlog_and_err(pcb, TCP_DEFAULT_LISTEN_BACKLOG, &listening);  // frees pcb
  if (listener == nullptr) {
    tcp_close(pcb);
    return listening != ERR_OK ? lwip::errc_from_err(listening) : errc::out_of_memory;
  }
  listener_ = listener;
  tcp_arg(listener_, this);
  tcp_accept(listener_, &echo_server_base::on_accept);
  return errc::ok;
}

std::size_t echo_server_base::active() const noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < count_; ++i) n += slots_[i].in_use ? 1u : 0u;
  return n;
}

err_t echo_server_base::on_accept(void* arg, tcp_pcb* pcb, err_t err) noexcept {
  auto* self = static_cast<echo_server_base*>(arg);
  if (self == nullptr || pcb == nullptr || err != ERR_OK) return ERR_VAL;
  server_slot* slot = nullptr;
  for (std::size_t i = 0; i < self->count_ && slot == nullptr; ++i) {
    if (!self->slots_[i].in_use) slot = &self->slots_[i];
  }
  if (slot == nullptr) {
    ++self->stats_.refused;
    tcp_abort(pcb);
    return ERR_ABRT;
  }
  ++self->stats_.accepted;
  slot->in_use = true;
  slot->pcb = pcb;
  slot->pending = nullptr;
  slot->peer_fin = false;
  slot->session->restart(self->now_ms_);
  tcp_arg(pcb, slot);
  tcp_recv(pcb, &echo_server_base::on_recv);
  tcp_sent(pcb, &echo_server_base::on_sent);
  tcp_err(pcb, &echo_server_base::on_err);
  tcp_poll(pcb, &echo_server_base::on_poll, 2);
  return ERR_OK;
}

err_t echo_server_base::on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) noexcept {
  auto* slot = static_cast<server_slot*>(arg);
  if (slot == nullptr || slot->pcb != pcb) {  // not ours (any more): lwIP's default
    if (p != nullptr) {
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
    }
    return ERR_OK;
  }
  if (err != ERR_OK) {
    if (p != nullptr) pbuf_free(p);
    return ERR_OK;
  }
  if (p == nullptr) {
    slot->peer_fin = true;
  } else if (slot->pending == nullptr) {
    slot->pending = p;
  } else {
    // One received segment waits per connection, no more. Refused, lwIP keeps this one (its
    // refused_data, offered again from its fast timer and before the next segment) and drops further
    // data until it is taken; the peer sends it again. Chaining it on instead would pin one pool
    // buffer per segment: the window counts bytes, not buffers, so a peer that stops reading and
    // sends 1-byte segments would take the whole PBUF_POOL, and with it every frame the driver
    // receives (ARP, DHCP, every other connection).
    return ERR_MEM;
  }
  slot->server->pump(*slot, slot->server->now_ms_, true);
  return ERR_OK;
}

err_t echo_server_base::on_sent(void* arg, tcp_pcb* pcb, std::uint16_t) noexcept {
  auto* slot = static_cast<server_slot*>(arg);
  if (slot != nullptr && slot->pcb == pcb) slot->server->pump(*slot, slot->server->now_ms_, true);
  return ERR_OK;
}

err_t echo_server_base::on_poll(void* arg, tcp_pcb* pcb) noexcept {
  return on_sent(arg, pcb, 0);
}

void echo_server_base::on_err(void* arg, err_t err) noexcept {
  auto* slot = static_cast<server_slot*>(arg);
  if (slot == nullptr || !slot->in_use) return;
  slot->pcb = nullptr;  // lwIP has freed it
  if (slot->session->state() == echo_state::open || slot->session->state() == echo_state::draining) {
    if (err == ERR_RST) {
      static_cast<void>(slot->session->on_reset());
    } else {
      static_cast<void>(slot->session->on_error(errc::connection_aborted));
    }
  }
  slot->server->release(*slot);
}

void echo_server_base::pump(server_slot& s, std::uint64_t now, bool in_callback) noexcept {
  if (!s.in_use) return;
  echo_session_base& session = *s.session;
  if (s.pcb != nullptr && !session.done()) {
    bool progress = true;
    bool wrote = false;
    while (progress) {
      progress = false;
      // In: lwIP's pbufs -> the session's ring, as far as it lends space; acknowledge only that.
      while (s.pending != nullptr) {
        const byte_span space = session.receive_space();
        if (space.empty()) break;
        const std::uint16_t want = clamp16(space.size < s.pending->tot_len ? space.size : s.pending->tot_len);
        const std::uint16_t n = pbuf_copy_partial(s.pending, space.data, want, 0);
        if (n == 0) break;
        static_cast<void>(session.on_received(n, now));
        s.pending = pbuf_free_header(s.pending, n);
        tcp_recved(s.pcb, n);
        progress = true;
      }
      if (s.pending == nullptr && s.peer_fin && session.state() == echo_state::open) {
        static_cast<void>(session.on_peer_closed(now));
        progress = true;
      }
      // Out: the session's pending bytes -> lwIP's send buffer (copied).
      const std::size_t n = write_some(s.pcb, session.pending_send());
      if (n > 0) {
        static_cast<void>(session.on_sent(n, now));
        wrote = progress = true;
      }
    }
    if (wrote) tcp_output(s.pcb);
  }
  if (!session.done() || s.pcb == nullptr) return;
  if (session.state() == echo_state::finished) {
    tcp_pcb* pcb = s.pcb;
    detach(pcb);
    if (tcp_close(pcb) != ERR_OK) {  // out of memory for the FIN: retry from poll()
      tcp_arg(pcb, &s);
      tcp_poll(pcb, &echo_server_base::on_poll, 2);
      tcp_err(pcb, &echo_server_base::on_err);
      return;
    }
    s.pcb = nullptr;
    release(s);
  } else if (!in_callback) {  // timed out or failed: reset the connection
    tcp_pcb* pcb = s.pcb;
    detach(pcb);
    tcp_abort(pcb);
    s.pcb = nullptr;
    release(s);
  }
}

void echo_server_base::release(server_slot& s) noexcept {
  if (s.pending != nullptr) {
    pbuf_free(s.pending);
    s.pending = nullptr;
  }
  if (s.session->state() == echo_state::finished) {
    ++stats_.finished;
  } else {
    ++stats_.failed;
  }
  stats_.bytes += s.session->total_sent();
  s.in_use = false;
}

void echo_server_base::poll(std::uint64_t now) noexcept {
  now_ms_ = now;
  for (std::size_t i = 0; i < count_; ++i) {
    server_slot& s = slots_[i];
    if (!s.in_use) continue;
    s.session->on_tick(now);
    pump(s, now, false);
  }
}

// --- client ----------------------------------------------------------------------------------------

status echo_client::start(const ip_addr_t& addr, std::uint16_t port, const_byte_span message,
                          std::uint64_t deadline_ms) noexcept {
  if (started_ && !done()) return errc::invalid_argument;
  tcp_pcb* pcb = tcp_new_ip_type(IP_GET_TYPE(&addr));
  if (pcb == nullptr) return errc::out_of_memory;
  session_ = echo_client_session(message, deadline_ms, true);
  pcb_ = pcb;
  started_ = true;
  connected_ = false;
  shut_ = false;
  tcp_arg(pcb, this);
  tcp_recv(pcb, &echo_client::on_recv);
  tcp_sent(pcb, &echo_client::on_sent);
  tcp_err(pcb, &echo_client::on_err);
  const err_t connecting = tcp_connect(pcb, &addr, port, &echo_client::on_connected);
  if (connecting != ERR_OK) {
    detach(pcb);
    tcp_abort(pcb);
    pcb_ = nullptr;
    const errc e = lwip::errc_from_err(connecting);  // ERR_RTE: no route; ERR_MEM/ERR_BUF: no memory or port
    static_cast<void>(session_.on_error(e));
    return e;
  }
  return errc::ok;
}

err_t echo_client::on_connected(void* arg, tcp_pcb* pcb, err_t) noexcept {
  auto* self = static_cast<echo_client*>(arg);
  if (self == nullptr || self->pcb_ != pcb) return ERR_OK;
  self->connected_ = true;
  self->pump(true);
  return ERR_OK;
}

err_t echo_client::on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t) noexcept {
  auto* self = static_cast<echo_client*>(arg);
  if (self == nullptr || self->pcb_ != pcb) {
    if (p != nullptr) {
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
    }
    return ERR_OK;
  }
  if (p == nullptr) {
    if (!self->session_.done()) static_cast<void>(self->session_.on_peer_closed());
  } else {
    for (const pbuf* q = p; q != nullptr; q = q->next) {  // verified in place, nothing kept
      if (self->session_.done()) break;
      static_cast<void>(self->session_.on_received(
          const_byte_span{static_cast<const std::uint8_t*>(q->payload), q->len}));
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
  }
  self->pump(true);
  return ERR_OK;
}

err_t echo_client::on_sent(void* arg, tcp_pcb* pcb, std::uint16_t) noexcept {
  auto* self = static_cast<echo_client*>(arg);
  if (self != nullptr && self->pcb_ == pcb) self->pump(true);
  return ERR_OK;
}

void echo_client::on_err(void* arg, err_t err) noexcept {
  auto* self = static_cast<echo_client*>(arg);
  if (self == nullptr) return;
  self->pcb_ = nullptr;  // lwIP has freed it
  if (!self->session_.done()) {
    if (err == ERR_RST) {
      static_cast<void>(self->session_.on_reset());
    } else {
      static_cast<void>(self->session_.on_error(errc::connection_aborted));
    }
  }
}

void echo_client::pump(bool in_callback) noexcept {
  if (pcb_ == nullptr || !connected_) return;
  if (!session_.done()) {
    bool wrote = false;
    for (;;) {
      const std::size_t n = write_some(pcb_, session_.pending_send());
      if (n == 0) break;
      static_cast<void>(session_.on_sent(n));
      wrote = true;
    }
    if (!shut_ && session_.interest().shutdown_write && tcp_shutdown(pcb_, 0, 1) == ERR_OK) {
      shut_ = true;  // FIN after the queued bytes
      wrote = true;
    }
    if (wrote) tcp_output(pcb_);
  }
  if (!session_.done()) return;
  tcp_pcb* pcb = pcb_;
  if (session_.outcome() == echo_outcome::success) {
    detach(pcb);
    if (tcp_close(pcb) == ERR_OK) {
      pcb_ = nullptr;
      return;
    }
    tcp_arg(pcb, this);  // out of memory for the FIN: retry from poll()
    tcp_err(pcb, &echo_client::on_err);
  } else if (!in_callback) {
    detach(pcb);
    tcp_abort(pcb);
    pcb_ = nullptr;
  }
}

void echo_client::poll(std::uint64_t now) noexcept {
  if (!started_) return;
  session_.on_tick(now);
  pump(false);
}

}  // namespace emsock::lwip_raw
