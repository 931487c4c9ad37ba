// SPDX-License-Identifier: MIT
// The fake's table, its test-control API (emsock/port/fake.hpp) and monotonic_ms over the fake clock.
#include "state.hpp"

#include <cstring>
#include <new>

#include "../common/udp_common.hpp"
#include "emsock/port/clock.hpp"

namespace emsock {

std::uint64_t monotonic_ms() noexcept { return fake::detail::the_world().clock_ms; }

namespace fake {
namespace detail {
namespace {

// The table lives in zero-initialised static storage (.bss, not half a megabyte of .data) and is
// constructed there on first use; no constructor runs before main and nothing allocates.
alignas(world) unsigned char table_storage[sizeof(world)];
world* table = nullptr;

/// Handles: generation * 256 + index + 3 (small non-negative ints, never 0-2, stale after reset()).
constexpr int handle_base = 3;

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void set_up(world& w) noexcept {
  const std::uint32_t next_generation = (w.generation + 1) % 0x7fffffu;
  // Free every record in place (the buffers stay where they are: no copy of the whole table).
  for (socket_record& s : w.sockets) {
    s.what = kind::free;
    s.open = false;
  }
  w.generation = next_generation;
  w.clock_ms = 0;
  w.stalls = 0;
  w.descriptor_limit = max_sockets;
  w.next_port = 49152;
  std::memcpy(w.host_name, "emsock-fake", 11);
  w.host_name_len = 11;
  w.default_faults = stream_faults{};
  w.host_count = 0;
  for (connect_fault& f : w.connect_faults) f = connect_fault{};
  for (resolve_fault& f : w.resolve_faults) f = resolve_fault{};
  w.local_count = 0;
  for (lingering& l : w.time_wait) l = lingering{};
  (void)add_host("localhost", ipv4_address::loopback());
  (void)add_host("localhost", ipv6_address::loopback());
}

}  // namespace

world& the_world() noexcept {
  if (table == nullptr) {
    table = new (table_storage) world;  // placement: constructs in the static storage
    set_up(*table);
  }
  return *table;
}

native_handle_type handle_of(std::size_t index) noexcept {
  return static_cast<native_handle_type>(the_world().generation * 256u + index) + handle_base;
}

std::size_t index_of(const socket_record& s) noexcept {
  return static_cast<std::size_t>(&s - the_world().sockets);
}

socket_record* find(native_handle_type handle) noexcept {
  world& w = the_world();
  if (handle < handle_base) return nullptr;
  const auto raw = static_cast<std::uint32_t>(handle - handle_base);
  if (raw / 256u != w.generation || raw % 256u >= max_sockets) return nullptr;
  socket_record& s = w.sockets[raw % 256u];
  return s.open && s.what != kind::free ? &s : nullptr;
}

socket_record* allocate() noexcept {
  for (socket_record& s : the_world().sockets) {
    if (s.what == kind::free && !s.open) {
      // Field by field: assigning a fresh record would copy a whole buffer.
      s.open = false;
      s.non_blocking = false;
      s.local = endpoint{};
      s.peer = endpoint{};
      s.faults = stream_faults{};
      s.backlog = 0;
      s.v6_only = true;
      s.queued = 0;
      s.peer_index = -1;
      s.peer_closed = s.fin_received = s.write_shut = s.read_shut = s.dead = false;
      s.pending_error = errc::ok;
      s.receive_timeout_ms = s.send_timeout_ms = -1;
      s.keepalive = keepalive_default;
      s.sent = s.received = 0;
      s.rx_size = 0;
      s.connected = s.reuse_address = s.broadcast = false;
      s.rx_count = 0;
      s.dropped = 0;
      s.dgram_faults = datagram_faults{};
      s.script_left = 0;
      s.group_count = 0;
      s.multicast_hops = 1;
      return &s;
    }
  }
  return nullptr;
}

std::size_t open_count() noexcept {
  std::size_t n = 0;
  for (const socket_record& s : the_world().sockets)
    if (s.open) ++n;
  return n;
}

namespace {

socket_record* peer_of(const socket_record& s) noexcept {
  return s.peer_index < 0 ? nullptr : &the_world().sockets[s.peer_index];
}

/// One end learns of a reset (data already received stays readable, then connection_reset).
void reset_one(socket_record& s) noexcept {
  s.peer_index = -1;
  s.pending_error = errc::connection_reset;
  s.fin_received = false;
}

void free_record(socket_record& s) noexcept {
  s.what = kind::free;
  s.open = false;
  s.peer_index = -1;
  s.queued = 0;
}

void linger(const endpoint& where) noexcept {
  world& w = the_world();
  lingering* slot = &w.time_wait[0];
  for (lingering& l : w.time_wait) {
    if (l.until_ms <= w.clock_ms) {
      slot = &l;
      break;
    }
    if (l.until_ms < slot->until_ms) slot = &l;  // full: replace the one that ends first
  }
  slot->where = where;
  slot->until_ms = w.clock_ms + static_cast<std::uint64_t>(time_wait.count());
}

}  // namespace

void reset_both(socket_record& s) noexcept {
  socket_record* p = peer_of(s);
  reset_one(s);
  if (p != nullptr) reset_one(*p);
}

void close_record(socket_record& s) noexcept {
  world& w = the_world();
  if (s.what == kind::listener) {
    // Connections still queued are reset: their clients see connection_reset.
    for (std::size_t i = 0; i < s.queued; ++i) {
      socket_record& q = w.sockets[s.queue[i]];
      if (socket_record* client = peer_of(q)) reset_one(*client);
      free_record(q);
    }
    free_record(s);
    return;
  }
  if (s.what == kind::datagram) release_held(index_of(s));  // its queued datagrams go with it
  if (s.what == kind::stream) {
    if (socket_record* p = peer_of(s)) {
      if (s.rx_size > 0) {
        reset_one(*p);  // closing with unread data: RST
      } else {
        if (!s.fin_received) linger(s.local);  // active close: this end waits in TIME_WAIT
        p->fin_received = true;                // FIN after the data already sent
        p->peer_closed = true;
        p->peer_index = -1;
      }
    }
  }
  free_record(s);
}

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool lingers(const endpoint& where) noexcept {
  const world& w = the_world();
  for (const lingering& l : w.time_wait)
    if (l.until_ms > w.clock_ms && l.where.port == where.port && l.where.address == where.address) return true;
  return false;
}

errc cannot_wait(bool non_blocking, int limit_ms) noexcept {
  if (non_blocking) return errc::would_block;
  if (limit_ms > 0) {
    fake::advance(milliseconds{limit_ms});
    return errc::timed_out;
  }
  ++the_world().stalls;
  return errc::would_block;
}

bool has_room_for_a_descriptor() noexcept { return open_count() < the_world().descriptor_limit; }

bool reaches(const endpoint& bound, bool v6_only, const endpoint& to) noexcept {
  if (bound.port != to.port) return false;
  if (bound.address == to.address) return true;
  if (!bound.address.is_unspecified()) return false;
  if (bound.address.family() == to.address.family()) return true;
  return bound.address.is_v6() && !v6_only;  // [::] with v6_only off takes IPv4 too
}

bool overlaps(const endpoint& a, const endpoint& b) noexcept {
  if (a.port != b.port) return false;
  if (a.address == b.address) return true;
  if (a.address.family() != b.address.family()) return false;
  return a.address.is_unspecified() || b.address.is_unspecified();
}

namespace {

/// True when a socket is bound to `port` or an endpoint with it is in TIME_WAIT.
bool port_in_use(std::uint16_t port) noexcept {
  const world& w = the_world();
  for (const socket_record& s : w.sockets)
    if (s.what != kind::free && s.local.port == port) return true;
  for (const lingering& l : w.time_wait)
    if (l.until_ms > w.clock_ms && l.where.port == port) return true;
  return false;
}

}  // namespace

std::uint16_t ephemeral_port() noexcept {
  world& w = the_world();
  for (unsigned tries = 0; tries < 16384; ++tries) {
    const std::uint16_t p = w.next_port;
    w.next_port = p == 65535 ? 49152 : static_cast<std::uint16_t>(p + 1);
    if (!port_in_use(p)) return p;
  }
  return 0;
}

bool is_local(const ip_address& a) noexcept {
  if (a.is_loopback() || a.is_unspecified()) return true;
  const world& w = the_world();
  for (std::size_t i = 0; i < w.local_count; ++i)
    if (w.local_addresses[i] == a) return true;
  return false;
}

bool zone_known(const ip_address& a) noexcept {
  if (a.zone().empty()) return true;
  const result<std::uint32_t> index = port_detail::zone_index(a.zone());
  return index && index.value() == 1;
}

}  // namespace detail

using namespace detail;

void reset() noexcept {
  world& w = the_world();
  set_up(w);
}

std::uint64_t now_ms() noexcept { return the_world().clock_ms; }

void advance(milliseconds by) noexcept {
  EMSOCK_EXPECTS(by >= milliseconds::zero(), "fake::advance() by a negative duration");
  if (by > milliseconds::zero()) the_world().clock_ms += static_cast<std::uint64_t>(by.count());
}

status set_host_name(std::string_view name) noexcept {
  world& w = the_world();
  if (name.size() > max_name_len || name.find('\0') != std::string_view::npos) return errc::invalid_argument;
  if (!name.empty()) std::memcpy(w.host_name, name.data(), name.size());
  w.host_name_len = name.size();
  return {};
}

status add_host(std::string_view name, const ip_address& address) noexcept {
  world& w = the_world();
  if (name.empty() || name.size() > max_name_len) return errc::invalid_argument;
  if (w.host_count == max_hosts) return errc::buffer_too_small;
  host_entry& e = w.hosts[w.host_count++];
  std::memcpy(e.name, name.data(), name.size());
  e.name_len = static_cast<std::uint8_t>(name.size());
  e.address = address;
  return {};
}

status add_local_address(const ip_address& address) noexcept {
  world& w = the_world();
  if (w.local_count == max_local_addresses) return errc::buffer_too_small;
  w.local_addresses[w.local_count++] = address;
  return {};
}

std::size_t open_handles() noexcept { return open_count(); }

std::size_t stalls() noexcept { return the_world().stalls; }

const_byte_span waiting(native_handle_type handle) noexcept {
  const socket_record* s = find(handle);
  if (s == nullptr || s->what != kind::stream) return {};
  return {s->rx, s->rx_size};
}

std::size_t take(native_handle_type handle, void* out, std::size_t size) noexcept {
  socket_record* s = find(handle);
  if (s == nullptr || s->what != kind::stream || out == nullptr) return 0;
  const std::size_t n = size < s->rx_size ? size : s->rx_size;
  if (n == 0) return 0;
  std::memcpy(out, s->rx, n);
  std::memmove(s->rx, s->rx + n, s->rx_size - n);
  s->rx_size -= n;
  s->received += n;
  return n;
}

bool at_end(native_handle_type handle) noexcept {
  const socket_record* s = find(handle);
  if (s == nullptr || s->what != kind::stream) return false;
  return s->rx_size == 0 && (s->fin_received || s->dead || s->pending_error != errc::ok || s->peer_index < 0);
}

std::uint64_t bytes_sent(native_handle_type handle) noexcept {
  const socket_record* s = find(handle);
  return s == nullptr ? 0 : s->sent;
}

std::uint64_t bytes_received(native_handle_type handle) noexcept {
  const socket_record* s = find(handle);
  return s == nullptr ? 0 : s->received;
}

socket_info info(native_handle_type handle) noexcept {
  socket_info i;
  const socket_record* s = find(handle);
  if (s == nullptr) return i;
  i.open = true;
  i.listener = s->what == kind::listener;
  i.local = s->local;
  i.peer = s->peer;
  i.waiting = s->rx_size;
  i.peer_finished = s->fin_received;
  i.reset = s->dead || s->pending_error == errc::connection_reset;
  i.queued = s->queued;
  if (s->what == kind::datagram) {
    i.datagram = true;
    i.connected = s->connected;
    i.waiting = 0;
    const waiting_datagrams n = count_datagrams(*s);
    i.datagrams = n.receivable;
    i.in_flight = n.in_flight;
  }
  return i;
}

status set_faults(native_handle_type handle, const stream_faults& faults) noexcept {
  socket_record* s = find(handle);
  if (s == nullptr) return errc::invalid_argument;
  s->faults = faults;
  return {};
}

void set_default_faults(const stream_faults& faults) noexcept { the_world().default_faults = faults; }

status reset_connection(native_handle_type handle) noexcept {
  socket_record* s = find(handle);
  if (s == nullptr || s->what != kind::stream) return errc::invalid_argument;
  if (s->peer_index < 0) return errc::not_connected;
  reset_both(*s);
  return {};
}

status half_close_peer(native_handle_type handle) noexcept {
  socket_record* s = find(handle);
  if (s == nullptr || s->what != kind::stream) return errc::invalid_argument;
  if (s->peer_index < 0) return errc::not_connected;
  the_world().sockets[s->peer_index].write_shut = true;
  s->fin_received = true;
  return {};
}

status fail_connect(const endpoint& where, errc reason, std::size_t times) noexcept {
  if (reason == errc::ok) return errc::invalid_argument;
  for (connect_fault& f : the_world().connect_faults) {
    if (f.used) continue;
    f = connect_fault{where, reason, times, true};
    return {};
  }
  return errc::buffer_too_small;
}

status fail_resolve(std::string_view host, errc reason, std::size_t times) noexcept {
  if (reason == errc::ok || host.size() > max_name_len) return errc::invalid_argument;
  for (resolve_fault& f : the_world().resolve_faults) {
    if (f.used) continue;
    if (!host.empty()) std::memcpy(f.host, host.data(), host.size());
    f.host_len = static_cast<std::uint8_t>(host.size());
    f.reason = reason;
    f.times = times;
    f.used = true;
    return {};
  }
  return errc::buffer_too_small;
}

void set_descriptor_limit(std::size_t limit) noexcept {
  the_world().descriptor_limit = limit < max_sockets ? limit : max_sockets;
}

}  // namespace fake
}  // namespace emsock
