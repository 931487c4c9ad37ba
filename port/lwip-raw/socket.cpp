// SPDX-License-Identifier: MIT
// The raw-API backend's TCP sockets: socket_base, tcp_stream and tcp_listener over tcp_pcb callbacks.
// Received bytes are copied into the socket's ring at once (the pbuf is freed in the callback) and
// the window reopens as the program reads: see emsock/port/native_lwip_raw.hpp for the bounds.
#include <cstring>

#include "emsock/lwip/err.hpp"
#include "state.hpp"

extern "C" {
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"  // tcp_process_refused_data: take a refused segment as soon as there is room
}

namespace emsock {
namespace {

using lwip_raw::detail::callback_scope;
using lwip_raw::detail::find;
using lwip_raw::detail::inside_stack;
using lwip_raw::detail::kind;
using lwip_raw::detail::socket_record;
using lwip_raw::detail::wait_until;
namespace raw = lwip_raw::detail;

constexpr std::size_t ring = lwip_raw::rx_buffer_size;

socket_record* stream_of(void* arg) noexcept { return static_cast<socket_record*>(arg); }

/// Detaches emsock from a PCB: lwIP may still finish it (FIN, TIME_WAIT) without calling back.
void detach(tcp_pcb* pcb) noexcept {
  tcp_arg(pcb, nullptr);
  if (pcb->state == LISTEN) {
    tcp_accept(pcb, nullptr);
    return;
  }
  tcp_recv(pcb, nullptr);
  tcp_sent(pcb, nullptr);
  tcp_err(pcb, nullptr);
}

err_t on_recv(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) noexcept {
  callback_scope scope;
  socket_record* s = stream_of(arg);
  if (s == nullptr) {  // closed meanwhile: take and forget (lwIP's tcp_recv_null does the same)
    if (p != nullptr) {
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
    }
    return ERR_OK;
  }
  if (p == nullptr) {
    if (err == ERR_OK) s->fin_received = true;
    if (pcb->state == CLOSING || pcb->state == TIME_WAIT) {
      // The peer's FIN after ours (shutdown(write)): lwIP calls no callback on this PCB again and frees
      // it without tcp_err (TIME_WAIT after 2 MSL, or at once when tcp_alloc runs short). It is lwIP's
      // from here, as after tcp_close; the stream keeps what it buffered and reads end of stream.
      detach(pcb);
      s->tcp = nullptr;
      s->gone = true;
    }
    return ERR_OK;
  }
  if (s->read_shut) {  // shutdown(read): what arrives afterwards is discarded
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
  }
  const std::size_t n = p->tot_len;
  if (n > ring - s->rx_size) return ERR_MEM;  // beyond the window: lwIP keeps this one segment
  const std::size_t tail = (s->rx_head + s->rx_size) % ring;
  const std::size_t first = n < ring - tail ? n : ring - tail;
  pbuf_copy_partial(p, s->rx + tail, static_cast<u16_t>(first), 0);
  if (first < n) pbuf_copy_partial(p, s->rx, static_cast<u16_t>(n - first), static_cast<u16_t>(first));
  s->rx_size += n;
  pbuf_free(p);
  return ERR_OK;
}

void on_err(void* arg, err_t err) noexcept {
  callback_scope scope;
  socket_record* s = stream_of(arg);
  if (s == nullptr) return;
  s->tcp = nullptr;  // lwIP has freed it
  s->gone = true;
  errc reason = lwip::errc_from_err(err);
  if (s->connecting) reason = err == ERR_RST ? errc::connection_refused : errc::timed_out;
  else if (err == ERR_CLSD) reason = errc::ok;  // closed both ways: nothing to report
  s->connecting = false;
  s->pending_error = reason;
}

err_t on_connected(void* arg, tcp_pcb*, err_t) noexcept {
  callback_scope scope;
  if (socket_record* s = stream_of(arg)) {
    s->connecting = false;
    s->connected = true;
  }
  return ERR_OK;
}

void attach(socket_record& s, tcp_pcb* pcb) noexcept {
  s.tcp = pcb;
  tcp_arg(pcb, &s);
  tcp_recv(pcb, on_recv);
  tcp_err(pcb, on_err);
}

err_t on_accept(void* arg, tcp_pcb* pcb, err_t err) noexcept {
  callback_scope scope;
  socket_record* l = stream_of(arg);
  if (l == nullptr || pcb == nullptr || err != ERR_OK) return ERR_VAL;
  if (l->queued >= l->queue_limit) return ERR_MEM;  // lwIP resets it (only without TCP_LISTEN_BACKLOG)
  socket_record* s = raw::allocate(kind::stream);
  if (s == nullptr) return ERR_MEM;
  attach(*s, pcb);
  s->connected = true;
  l->queue[l->queued++] = static_cast<std::uint8_t>(raw::index_of(*s));
  tcp_backlog_delayed(pcb);  // counts against the backlog until accept() takes it
  return ERR_OK;
}

/// Closes a stream's PCB: gracefully, or by RST when lwIP has no memory to close with.
void close_pcb(tcp_pcb* pcb) noexcept {
  detach(pcb);
  if (pcb->state == LISTEN) {
    tcp_close(pcb);
    return;
  }
  if (tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
}

void close_record(socket_record& s) noexcept {
  if (s.what == kind::listener) {
    for (std::size_t i = 0; i < s.queued; ++i) {  // queued connections are reset
      socket_record& q = raw::table()[s.queue[i]];
      if (q.tcp != nullptr) {
        detach(q.tcp);
        tcp_abort(q.tcp);
      }
      raw::release(q);
    }
    s.queued = 0;
  }
  if (s.tcp != nullptr) close_pcb(s.tcp);
  if (s.udp != nullptr) udp_remove(s.udp);
  raw::release(s);
}

/// Reports the pending error once.
errc take_pending(socket_record& s) noexcept {
  const errc e = s.pending_error;
  s.pending_error = errc::ok;
  return e;
}

status set_timeout(native_handle_type handle, int socket_record::*limit, milliseconds timeout) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find(handle);
  const result<int> ms = detail::int_timeout(timeout);
  if (s == nullptr || !ms || ms.value() == 0) return errc::invalid_argument;
  s->*limit = ms.value();
  return {};
}

/// True when `a` is the wildcard or an address of one of lwIP's netifs.
bool is_local(const ip_addr_t& a) noexcept {
  if (ip_addr_isany_val(a)) return true;
  netif* n = nullptr;
  NETIF_FOREACH(n) {
#if LWIP_IPV4
    if (IP_IS_V4_VAL(a) && ip4_addr_cmp(ip_2_ip4(&a), netif_ip4_addr(n))) return true;
#endif
#if LWIP_IPV6
    if (IP_IS_V6_VAL(a) && netif_get_ip6_addr_match(n, ip_2_ip6(&a)) >= 0) return true;
#endif
  }
  return false;
}

/// The local address to bind `local` to, checked.
result<ip_addr_t> bindable(const endpoint& local) noexcept {
#if LWIP_IPV6
  if (local.address.is_v6() && local.address.zone().empty() && local.address.v6().is_link_local())
    return errc::invalid_argument;
#endif
  const result<ip_addr_t> a = raw::to_lwip(local.address);
  if (!a) return a;
  if (!is_local(a.value())) return errc::address_not_available;
  return a;
}

}  // namespace

namespace lwip_raw::detail {
/// The one close of a record (socket_base's destructor and close(), udp_socket's too).
void close_socket(socket_record& s) noexcept { close_record(s); }
}  // namespace lwip_raw::detail

// --- socket_base -----------------------------------------------------------------------------------

namespace detail {

socket_base::socket_base(native_handle_type handle) noexcept
    : handle_(handle < 0 ? invalid_native_handle : handle) {
  const socket_record* s = find(handle_);
  non_blocking_ = s != nullptr && s->non_blocking;
}

socket_base::~socket_base() {
  if (inside_stack()) return;  // a contract violation; the socket leaks rather than corrupt lwIP
  if (socket_record* s = find(handle_)) close_record(*s);
}

status socket_base::close() noexcept {
  if (inside_stack()) return errc::called_from_callback;
  if (!valid()) return errc::invalid_argument;
  socket_record* s = find(release());
  if (s == nullptr) return errc::invalid_argument;
  close_record(*s);
  return {};
}

status socket_base::set_non_blocking(bool on) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  s->non_blocking = on;
  non_blocking_ = on;
  return {};
}

result<endpoint> socket_base::local_endpoint() const noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->tcp != nullptr) return raw::from_lwip(s->tcp->local_ip, s->tcp->local_port);
  if (s->udp != nullptr) return raw::from_lwip(s->udp->local_ip, s->udp->local_port);
  return errc::invalid_argument;  // a stream whose connection is gone
}

status socket_base::set_receive_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, &socket_record::receive_timeout_ms, timeout);
}

status socket_base::set_send_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, &socket_record::send_timeout_ms, timeout);
}

result<endpoint> socket_base::peer_endpoint() const noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->what == kind::datagram) {
    if (!s->connected_udp || s->udp == nullptr) return errc::not_connected;
    return raw::from_lwip(s->udp->remote_ip, s->udp->remote_port);
  }
  if (s->what != kind::stream || s->tcp == nullptr || !s->connected) return errc::not_connected;
  return raw::from_lwip(s->tcp->remote_ip, s->tcp->remote_port);
}

}  // namespace detail

// --- tcp_stream -------------------------------------------------------------------------------------

result<tcp_stream> tcp_stream::connect(const endpoint& remote, milliseconds timeout) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const result<int> limit = detail::int_timeout(timeout);
  if (!limit) return limit.err();
  if (remote.port == 0 || remote.address.is_unspecified()) return errc::connection_refused;
  const result<ip_addr_t> to = raw::to_lwip(remote.address);
  if (!to) return to.err();
  socket_record* s = raw::allocate(kind::stream);
  if (s == nullptr) return errc::too_many_open_files;
  tcp_pcb* pcb = tcp_new_ip_type(remote.address.is_v4() ? IPADDR_TYPE_V4 : IPADDR_TYPE_V6);
  if (pcb == nullptr) {
    raw::release(*s);
    return errc::out_of_memory;
  }
  s->open = true;  // from here the stream owns the record: its destructor closes it
  tcp_stream out(raw::handle_of(*s));
  attach(*s, pcb);
  s->connecting = true;
  const err_t err = tcp_connect(pcb, &to.value(), remote.port, on_connected);
  if (err != ERR_OK) {
    s->connecting = false;
    return err == ERR_RTE ? errc::network_unreachable : lwip::errc_from_err(err);
  }
  wait_until([s] { return !s->connecting; }, limit.value());
  if (s->connecting) return errc::timed_out;  // out's destructor abandons the attempt
  if (!s->connected) {
    const errc e = s->pending_error;
    return e == errc::ok ? errc::connection_refused : e;
  }
  return out;
}

result<std::size_t> tcp_stream::send(const void* data, std::size_t size) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  if (!valid() || (data == nullptr && size > 0)) return errc::invalid_argument;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (size == 0) return std::size_t{0};
  if (s->what != kind::stream) return errc::not_connected;
  auto room = [s]() -> std::size_t {
    if (s->tcp == nullptr || s->pending_error != errc::ok) return 1;  // an error to report: ready
    if (tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN) return 0;
    return tcp_sndbuf(s->tcp);
  };
  if (s->pending_error != errc::ok) {
    const errc e = take_pending(*s);
    return e == errc::connection_aborted || e == errc::timed_out ? e : errc::connection_reset;
  }
  if (s->tcp == nullptr || s->write_shut) return errc::broken_pipe;
  if (room() == 0) {
    wait_until([&] { return room() > 0; }, s->non_blocking ? 0 : s->send_timeout_ms);
    if (room() == 0) return again_code();
    if (s->pending_error != errc::ok) return take_pending(*s);
    if (s->tcp == nullptr) return errc::broken_pipe;
  }
  std::size_t n = room();
  if (n > size) n = size;
  if (n > 0xffffu) n = 0xffffu;
  err_t err = tcp_write(s->tcp, data, static_cast<u16_t>(n), TCP_WRITE_FLAG_COPY);
  while (err == ERR_MEM && n > 1) {  // segments or pbufs short: try a smaller piece
    n /= 2;
    err = tcp_write(s->tcp, data, static_cast<u16_t>(n), TCP_WRITE_FLAG_COPY);
  }
  if (err == ERR_MEM) return s->non_blocking ? errc::would_block : errc::out_of_memory;
  if (err != ERR_OK) return lwip::errc_from_err(err);
  tcp_output(s->tcp);
  return n;
}

result<std::size_t> tcp_stream::recv(void* data, std::size_t size) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  if (!valid() || data == nullptr || size == 0) return errc::invalid_argument;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->what != kind::stream) return errc::not_connected;
  if (s->read_shut) return std::size_t{0};
  auto ready = [s] { return s->rx_size > 0 || s->fin_received || s->gone || s->tcp == nullptr; };
  if (!ready()) wait_until(ready, s->non_blocking ? 0 : s->receive_timeout_ms);
  if (s->rx_size > 0) {
    const std::size_t n = size < s->rx_size ? size : s->rx_size;
    const std::size_t first = n < ring - s->rx_head ? n : ring - s->rx_head;
    auto* out = static_cast<std::uint8_t*>(data);
    std::memcpy(out, s->rx + s->rx_head, first);
    if (first < n) std::memcpy(out + first, s->rx, n - first);
    s->rx_head = (s->rx_head + n) % ring;
    s->rx_size -= n;
    if (s->rx_size == 0) s->rx_head = 0;
    if (s->tcp != nullptr) {
      tcp_recved(s->tcp, static_cast<u16_t>(n));  // n <= ring <= 65535: the window reopens
      if (s->tcp->refused_data != nullptr) tcp_process_refused_data(s->tcp);
    }
    return n;
  }
  if (s->pending_error != errc::ok) return take_pending(*s);
  if (s->fin_received || s->gone || s->tcp == nullptr) return std::size_t{0};
  return again_code();
}

status tcp_stream::shutdown(shutdown_how how) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->what != kind::stream || s->tcp == nullptr || s->pending_error != errc::ok) return errc::not_connected;
  const bool rx = how != shutdown_how::write;
  const bool tx = how != shutdown_how::read;
  if (tx && !s->write_shut) {
    s->write_shut = true;
    if (tcp_shutdown(s->tcp, 0, 1) != ERR_OK) return errc::out_of_memory;
  }
  if (rx) {
    s->read_shut = true;
    if (s->rx_size > 0 && s->tcp != nullptr) tcp_recved(s->tcp, static_cast<u16_t>(s->rx_size));
    s->rx_size = 0;
    s->rx_head = 0;
  }
  return {};
}

status tcp_stream::set_no_delay(bool on) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find(handle_);
  if (s == nullptr || s->what != kind::stream) return errc::invalid_argument;
  if (s->tcp == nullptr) return errc::connection_reset;
  if (on) tcp_nagle_disable(s->tcp);
  else tcp_nagle_enable(s->tcp);
  return {};
}

status tcp_stream::set_keepalive(const keepalive_options& options) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* s = find(handle_);
  if (s == nullptr || s->what != kind::stream || !detail::keepalive_in_range(options)) return errc::invalid_argument;
#if LWIP_TCP_KEEPALIVE
  if (s->tcp == nullptr) return errc::connection_reset;
  s->tcp->keep_idle = static_cast<u32_t>(options.idle.count()) * 1000u;
  s->tcp->keep_intvl = static_cast<u32_t>(options.interval.count()) * 1000u;
  s->tcp->keep_cnt = static_cast<u32_t>(options.probes);
  if (options.enabled) ip_set_option(s->tcp, SOF_KEEPALIVE);
  else ip_reset_option(s->tcp, SOF_KEEPALIVE);
  return {};
#else
  return errc::operation_not_supported;
#endif
}

result<keepalive_options> tcp_stream::keepalive() const noexcept {
  if (inside_stack()) return errc::called_from_callback;
  const socket_record* s = find(handle_);
  if (s == nullptr || s->what != kind::stream) return errc::invalid_argument;
#if LWIP_TCP_KEEPALIVE
  if (s->tcp == nullptr) return errc::connection_reset;
  keepalive_options o;
  o.enabled = ip_get_option(s->tcp, SOF_KEEPALIVE) != 0;
  o.idle = std::chrono::seconds{s->tcp->keep_idle / 1000u};
  o.interval = std::chrono::seconds{s->tcp->keep_intvl / 1000u};
  o.probes = static_cast<int>(s->tcp->keep_cnt);
  return o;
#else
  return errc::operation_not_supported;
#endif
}

// --- tcp_listener -----------------------------------------------------------------------------------

result<tcp_listener> tcp_listener::listen(const endpoint& local, const listen_options& options) noexcept {
  if (inside_stack()) return errc::called_from_callback;
  if (options.backlog < 0) return errc::invalid_argument;
  const result<ip_addr_t> at = bindable(local);
  if (!at) return at.err();
  socket_record* s = raw::allocate(kind::listener);
  if (s == nullptr) return errc::too_many_open_files;
  tcp_pcb* pcb = tcp_new_ip_type(raw::pcb_type(local.address, options.v6_only));
  if (pcb == nullptr) {
    raw::release(*s);
    return errc::out_of_memory;
  }
#if SO_REUSE
  if (options.reuse_address) ip_set_option(pcb, SOF_REUSEADDR);
#endif
  const ip_addr_t bind_to = raw::bind_address(at.value(), local.address, options.v6_only);
  err_t err = tcp_bind(pcb, &bind_to, local.port);
  if (err != ERR_OK) {
    tcp_abort(pcb);
    raw::release(*s);
    return lwip::errc_from_err(err);
  }
  const std::size_t wanted = options.backlog < 1 ? 1 : static_cast<std::size_t>(options.backlog);
  s->queue_limit = wanted < lwip_raw::accept_queue_size ? wanted : lwip_raw::accept_queue_size;
  tcp_pcb* listening = tcp_listen_with_backlog_and_err(pcb, static_cast<u8_t>(s->queue_limit), &err);
  if (listening == nullptr) {
    tcp_abort(pcb);
    raw::release(*s);
    return lwip::errc_from_err(err);
  }
  s->tcp = listening;
  tcp_arg(listening, s);
  tcp_accept(listening, on_accept);
  s->open = true;
  return tcp_listener(raw::handle_of(*s));
}

result<accepted> tcp_listener::accept() noexcept {
  if (inside_stack()) return errc::called_from_callback;
  socket_record* l = find(handle_);
  if (l == nullptr || l->what != kind::listener) return errc::invalid_argument;
  if (l->queued == 0) wait_until([l] { return l->queued > 0; }, l->non_blocking ? 0 : l->receive_timeout_ms);
  if (l->queued == 0) return again_code();
  socket_record& s = raw::table()[l->queue[0]];
  std::memmove(l->queue, l->queue + 1, l->queued - 1);
  --l->queued;
  if (s.tcp == nullptr) {  // reset before it was taken
    raw::release(s);
    return errc::connection_aborted;
  }
  tcp_backlog_accepted(s.tcp);
  s.open = true;
  accepted a;
  a.peer = raw::from_lwip(s.tcp->remote_ip, s.tcp->remote_port);
  if (IP_GET_TYPE(&l->tcp->local_ip) == IPADDR_TYPE_ANY && a.peer.address.is_v4())  // dual stack: ::ffff:a.b.c.d
    a.peer.address = ipv6_address::v4_mapped(a.peer.address.v4());
  a.stream = tcp_stream(raw::handle_of(s));
  return a;
}

}  // namespace emsock
