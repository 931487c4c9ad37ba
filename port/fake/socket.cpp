// SPDX-License-Identifier: MIT
// The fake backend's sockets: socket_base, tcp_stream, tcp_listener over the in-memory table.
// Semantics: emsock/port/fake.hpp (header comment); errors: emsock/port/socket.hpp.
#include <cstring>

#include "emsock/port/socket.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using fake::detail::cannot_wait;
using fake::detail::ephemeral_port;
using fake::detail::find;
using fake::detail::has_room_for_a_descriptor;
using fake::detail::is_local;
using fake::detail::kind;
using fake::detail::overlaps;
using fake::detail::reaches;
using fake::detail::socket_record;
using fake::detail::the_world;

std::size_t smaller(std::size_t a, std::size_t b) noexcept { return a < b ? a : b; }

/// Consumes one injected would_block if any is left.
bool injected_would_block(socket_record& s) noexcept {
  if (s.faults.would_block_calls == 0) return false;
  --s.faults.would_block_calls;
  return true;
}

socket_record* listener_for(const endpoint& remote) noexcept {
  for (socket_record& s : the_world().sockets)
    if (s.what == kind::listener && s.open && reaches(s.local, s.v6_only, remote)) return &s;
  return nullptr;
}

/// The injected connect fault for `remote`, or ok; counts the use.
errc connect_fault_for(const endpoint& remote) noexcept {
  for (fake::detail::connect_fault& f : the_world().connect_faults) {
    if (!f.used) continue;
    const bool port = f.where.port == 0 || f.where.port == remote.port;
    const bool address = f.where.address == remote.address ||
                         (f.where.address.is_unspecified() && f.where.address.family() == remote.address.family());
    if (!port || !address) continue;
    const errc reason = f.reason;
    if (f.times > 0 && --f.times == 0) f.used = false;
    return reason;
  }
  return errc::ok;
}

errc connect_timed_out(int timeout_ms) noexcept {
  fake::advance(timeout_ms < 0 ? fake::syn_timeout : milliseconds{timeout_ms});
  return errc::timed_out;
}

/// set_receive_timeout/set_send_timeout: the limit a blocking call waits (-1: none).
status set_timeout(native_handle_type handle, int socket_record::*limit, milliseconds timeout) noexcept {
  socket_record* s = find(handle);
  const result<int> ms = detail::int_timeout(timeout);
  if (s == nullptr || !ms || ms.value() == 0) return errc::invalid_argument;
  s->*limit = ms.value();
  return {};
}

}  // namespace

// --- socket_base -----------------------------------------------------------------------------------

namespace detail {

socket_base::socket_base(native_handle_type handle) noexcept
    : handle_(handle < 0 ? invalid_native_handle : handle) {
  const socket_record* s = find(handle_);
  non_blocking_ = s != nullptr && s->non_blocking;
}

socket_base::~socket_base() {
  if (socket_record* s = find(handle_)) fake::detail::close_record(*s);
}

status socket_base::close() noexcept {
  if (!valid()) return errc::invalid_argument;
  socket_record* s = find(release());
  if (s == nullptr) return errc::invalid_argument;  // stale (closed behind our back, or fake::reset())
  fake::detail::close_record(*s);
  return {};
}

status socket_base::set_non_blocking(bool on) noexcept {
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  s->non_blocking = on;
  non_blocking_ = on;
  return {};
}

result<endpoint> socket_base::local_endpoint() const noexcept {
  const socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  return s->local;
}

}  // namespace detail

// --- tcp_stream -------------------------------------------------------------------------------------

result<tcp_stream> tcp_stream::connect(const endpoint& remote, milliseconds timeout) noexcept {
  const result<int> limit = detail::int_timeout(timeout);
  if (!limit) return limit.err();
  const int timeout_ms = limit.value();
  if (!has_room_for_a_descriptor()) return errc::too_many_open_files;
  if (remote.port == 0 || remote.address.is_unspecified()) return errc::connection_refused;
  if (!fake::detail::zone_known(remote.address)) return errc::address_not_available;
  if (const errc fault = connect_fault_for(remote); fault != errc::ok) {
    return fault == errc::timed_out ? connect_timed_out(timeout_ms) : fault;
  }
  socket_record* listener = listener_for(remote);
  if (listener == nullptr) return errc::connection_refused;
  const std::size_t room = listener->backlog > 1 ? static_cast<std::size_t>(listener->backlog) : 1;
  if (listener->queued >= room) return connect_timed_out(timeout_ms);  // the handshake is dropped

  socket_record* client = fake::detail::allocate();
  if (client == nullptr) return errc::too_many_open_files;
  client->what = kind::stream;  // taken: the next allocate() finds another record
  socket_record* server = fake::detail::allocate();
  const std::uint16_t port = ephemeral_port();
  if (server == nullptr || port == 0) {
    client->what = kind::free;
    return server == nullptr ? errc::out_of_memory : errc::address_not_available;
  }
  const fake::stream_faults& faults = the_world().default_faults;
  client->open = true;
  client->local = {remote.address, port};
  client->peer = remote;
  client->faults = faults;
  server->what = kind::stream;
  server->local = {listener->local.address.is_unspecified() ? remote.address : listener->local.address,
                   listener->local.port};
  server->peer = client->local;
  server->faults = faults;
  client->peer_index = static_cast<int>(fake::detail::index_of(*server));
  server->peer_index = static_cast<int>(fake::detail::index_of(*client));
  listener->queue[listener->queued++] = static_cast<std::uint8_t>(fake::detail::index_of(*server));

  tcp_stream s;
  s.handle_ = fake::detail::handle_of(fake::detail::index_of(*client));
  s.non_blocking_ = false;
  return s;
}

result<std::size_t> tcp_stream::send(const void* data, std::size_t size) noexcept {
  if (!valid() || (data == nullptr && size > 0)) return errc::invalid_argument;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (size == 0) return std::size_t{0};
  if (s->what != kind::stream) return errc::not_connected;
  if (injected_would_block(*s)) return again_code();
  if (s->faults.reset_after_bytes == 0 && s->peer_index >= 0) {
    s->faults.reset_after_bytes = fake::unlimited;
    fake::detail::reset_both(*s);
  }
  if (s->pending_error != errc::ok) {  // reported once; afterwards the connection is dead
    const errc e = s->pending_error;
    s->pending_error = errc::ok;
    s->dead = true;
    return e;
  }
  if (s->dead || s->write_shut) return errc::broken_pipe;
  const std::size_t limit = smaller(smaller(size, s->faults.max_send), s->faults.reset_after_bytes);
  if (s->peer_index < 0) {
    if (!s->peer_closed) return errc::broken_pipe;
    if (limit == 0) return cannot_wait(s->non_blocking, s->send_timeout_ms);
    // The peer's socket is closed: the bytes are taken and answered by RST.
    s->peer_closed = false;
    s->pending_error = errc::connection_reset;
    s->sent += limit;
    return limit;
  }
  socket_record& p = the_world().sockets[s->peer_index];
  const std::size_t n = smaller(limit, fake::buffer_size - p.rx_size);
  if (n == 0) return cannot_wait(s->non_blocking, s->send_timeout_ms);
  std::memcpy(p.rx + p.rx_size, data, n);
  p.rx_size += n;
  s->sent += n;
  if (s->faults.reset_after_bytes != fake::unlimited) {
    s->faults.reset_after_bytes -= n;
    if (s->faults.reset_after_bytes == 0) {
      s->faults.reset_after_bytes = fake::unlimited;
      fake::detail::reset_both(*s);
    }
  }
  return n;
}

result<std::size_t> tcp_stream::recv(void* data, std::size_t size) noexcept {
  if (!valid() || data == nullptr || size == 0) return errc::invalid_argument;
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->what != kind::stream) return errc::not_connected;
  if (injected_would_block(*s)) return again_code();
  if (s->read_shut) return std::size_t{0};
  if (s->rx_size > 0) return fake::take(handle_, data, size);
  if (s->pending_error != errc::ok) {
    const errc e = s->pending_error;
    s->pending_error = errc::ok;
    s->dead = true;
    return e;
  }
  if (s->fin_received || s->dead || (s->peer_index < 0 && !s->peer_closed)) return std::size_t{0};
  return cannot_wait(s->non_blocking, s->receive_timeout_ms);
}

status tcp_stream::shutdown(shutdown_how how) noexcept {
  socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  if (s->what != kind::stream || s->dead || s->pending_error != errc::ok) return errc::not_connected;
  if (how != shutdown_how::read && !s->write_shut) {
    s->write_shut = true;
    if (s->peer_index >= 0) the_world().sockets[s->peer_index].fin_received = true;
  }
  if (how != shutdown_how::write) s->read_shut = true;
  return {};
}

status detail::socket_base::set_receive_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, &socket_record::receive_timeout_ms, timeout);
}

status detail::socket_base::set_send_timeout(milliseconds timeout) noexcept {
  return set_timeout(handle_, &socket_record::send_timeout_ms, timeout);
}

status tcp_stream::set_no_delay(bool) noexcept {
  if (find(handle_) == nullptr) return errc::invalid_argument;
  return {};  // the fake delivers every byte at once anyway
}

// The fake stores keepalive and reads it back; it never probes (its connections do not go idle
// behind the program's back: the test decides when a peer vanishes).
status tcp_stream::set_keepalive(const keepalive_options& options) noexcept {
  socket_record* s = find(handle_);
  if (s == nullptr || s->what != kind::stream || !detail::keepalive_in_range(options)) return errc::invalid_argument;
  s->keepalive = options;
  return {};
}

result<keepalive_options> tcp_stream::keepalive() const noexcept {
  const socket_record* s = find(handle_);
  if (s == nullptr || s->what != kind::stream) return errc::invalid_argument;
  return s->keepalive;
}

result<endpoint> detail::socket_base::peer_endpoint() const noexcept {
  const socket_record* s = find(handle_);
  if (s == nullptr) return errc::invalid_argument;
  const bool connected = s->what == kind::datagram ? s->connected : s->what == kind::stream && !s->dead;
  if (!connected) return errc::not_connected;
  return s->peer;
}

// --- tcp_listener -----------------------------------------------------------------------------------

result<tcp_listener> tcp_listener::listen(const endpoint& local, const listen_options& options) noexcept {
  if (options.backlog < 0) return errc::invalid_argument;
  if (!has_room_for_a_descriptor()) return errc::too_many_open_files;
  if (!is_local(local.address) || !fake::detail::zone_known(local.address)) return errc::address_not_available;
  endpoint where = local;
  if (where.port == 0) {
    where.port = ephemeral_port();
    if (where.port == 0) return errc::address_in_use;
  } else {
    for (const socket_record& s : the_world().sockets) {
      if (s.what == kind::free || !overlaps(s.local, where)) continue;
      if (s.what == kind::listener || !options.reuse_address) return errc::address_in_use;
    }
    if (!options.reuse_address && fake::detail::lingers(where)) return errc::address_in_use;
  }
  socket_record* s = fake::detail::allocate();
  if (s == nullptr) return errc::too_many_open_files;
  s->what = kind::listener;
  s->open = true;
  s->local = where;
  s->backlog = options.backlog;
  s->v6_only = options.v6_only;
  tcp_listener l;
  l.handle_ = fake::detail::handle_of(fake::detail::index_of(*s));
  l.non_blocking_ = false;
  return l;
}

result<accepted> tcp_listener::accept() noexcept {
  socket_record* l = find(handle_);
  if (l == nullptr || l->what != kind::listener) return errc::invalid_argument;
  if (injected_would_block(*l)) return again_code();
  if (l->queued == 0) return cannot_wait(l->non_blocking, -1);
  if (!has_room_for_a_descriptor()) return errc::too_many_open_files;  // stays queued
  socket_record& s = the_world().sockets[l->queue[0]];
  std::memmove(l->queue, l->queue + 1, l->queued - 1);
  --l->queued;
  s.open = true;
  s.non_blocking = false;
  accepted out;
  out.stream.handle_ = fake::detail::handle_of(fake::detail::index_of(s));
  out.stream.non_blocking_ = false;
  out.peer = s.peer;
  return out;
}

}  // namespace emsock
