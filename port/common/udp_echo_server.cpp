// SPDX-License-Identifier: MIT
// The UDP echo server engine: recv_from into the datagram echo session's lent space, send_to back.
// Backend-neutral: compiled into every backend library.
#include "emsock/port/udp_echo_server.hpp"

#include <utility>


namespace emsock {
namespace {

/// Receive errors that an ICMP message left on the socket: they concern an earlier datagram, not
/// the socket, which goes on.
bool concerns_one_datagram(errc code) noexcept {
  return code == errc::connection_refused || code == errc::host_unreachable || code == errc::network_unreachable;
}

}  // namespace

status udp_echo_server_base::open(const udp_echo_server_options& options) noexcept {
  if (socket_.valid()) return errc::invalid_argument;
  udp_options uo;
  uo.v6_only = options.v6_only;
  result<udp_socket> u = udp_socket::open(options.bind, uo);
  if (!u) return u.code();
  if (const status s = u.value().set_non_blocking(true); !s) return s;
  const result<endpoint> where = u.value().local_endpoint();
  if (!where) return where.code();
  socket_ = std::move(u.value());
  local_ = where.value();
  session_.restart();
  receive_errors_ = 0;
  return {};
}

void udp_echo_server_base::emit(const udp_echo_event& e) noexcept {
  if (handler_ != nullptr) handler_(context_, e);
}

void udp_echo_server_base::note_drops(const datagram_drops& before, const endpoint& peer, std::size_t bytes) noexcept {
  if (handler_ == nullptr) return;
  const datagram_drops& now = session_.stats().dropped;
  udp_echo_event e{udp_echo_event_kind::dropped, peer, bytes};
  if (now.no_record != before.no_record) e.reason = datagram_drop::no_record;
  else if (now.no_bytes != before.no_bytes) e.reason = datagram_drop::no_bytes;
  else if (now.too_large != before.too_large) e.reason = datagram_drop::too_large;
  else return;  // queued
  emit(e);
}

void udp_echo_server_base::fail(errc code) noexcept {
  (void)session_.on_error(code);
  (void)socket_.close();
  emit({udp_echo_event_kind::failed, endpoint{}, 0, datagram_drop::no_record, code});
}

void udp_echo_server_base::receive() noexcept {
  for (std::size_t n = 0; n < datagrams_per_round && socket_.valid(); ++n) {
    if (!session_.interest().read) return;
    const byte_span space = session_.receive_space();  // null and empty when no record is free:
    const udp_recv_result r = socket_.recv_from(space.data, space.size);  // the datagram is taken, counted
    const datagram_drops before = session_.stats().dropped;
    if (r.ok()) {
      (void)session_.on_received(r.size, r.from);
      note_drops(before, r.from, r.size);
    } else if (r.code() == errc::datagram_truncated) {
      // Longer than the space lent: dropped, never echoed cut (0: the backend cannot tell its length).
      const std::size_t size = r.datagram_size > space.size ? r.datagram_size : 0;
      (void)session_.on_truncated(size, r.from);
      note_drops(before, r.from, size);
    } else if (r.code() == errc::would_block) {
      return;
    } else if (r.code() == errc::interrupted) {
      continue;
    } else if (concerns_one_datagram(r.code())) {
      ++receive_errors_;
      continue;
    } else {
      fail(r.code());
      return;
    }
    send();  // echo at once: frees the queue and saves a poll round
  }
}

void udp_echo_server_base::send() noexcept {
  for (;;) {
    const datagram_view d = session_.pending_send();
    if (!d) return;
    const endpoint peer = *d.peer;
    const std::size_t bytes = d.bytes.size;
    const status st = socket_.send_to(d.bytes.data, d.bytes.size, peer);
    if (st.ok()) {
      (void)session_.on_sent();
      emit({udp_echo_event_kind::echoed, peer, bytes});
      continue;
    }
    if (st.code() == errc::would_block || st.code() == errc::interrupted) return;  // wait for writable
    // Fatal for this datagram only (out_of_memory too: retrying at once would spin).
    (void)session_.on_send_error(st.code());
    emit({udp_echo_event_kind::dropped, peer, bytes, datagram_drop::send_failed, st.code()});
  }
}

void udp_echo_server_base::serve(const poll_events& ev) noexcept {
  if (!socket_.valid()) return;
  if (ev.writable) send();  // the queue first: what waited longest goes back first
  if (ev.readable || ev.error) receive();
}

echo_server_companion udp_echo_server_base::companion() noexcept {
  echo_server_companion c;
  c.context = this;
  c.handle = [](void* self) noexcept { return static_cast<udp_echo_server_base*>(self)->native_handle(); };
  c.interest = [](void* self) noexcept { return static_cast<udp_echo_server_base*>(self)->interest(); };
  c.serve = [](void* self, const poll_events& ev) noexcept { static_cast<udp_echo_server_base*>(self)->serve(ev); };
  return c;
}

status udp_echo_server_base::run_once(milliseconds max_wait) noexcept {
  if (!socket_.valid()) return errc::invalid_argument;
  own_polls_.clear();
  const echo_interest want = session_.interest();
  (void)own_polls_.add(socket_.native_handle(), want.read, want.write);  // the set has room for it
  if (max_wait > max_timeout) max_wait = max_timeout;
  const result<std::size_t> ready = own_polls_.wait(max_wait);
  if (!ready) return ready.code();
  serve(own_polls_.events(0));
  return {};
}

void udp_echo_server_base::close() noexcept {
  if (!socket_.valid()) return;
  send();
  (void)socket_.close();
}

}  // namespace emsock
