// SPDX-License-Identifier: MIT
// resolve() from the host table the test fills (fake::add_host), a small built-in services table,
// numeric addresses; host_name() from fake::set_host_name. Same answers and errors as the POSIX
// backend gives for the same inputs (see emsock/port/names.hpp).
#include <cstring>

#include "emsock/port/names.hpp"
#include "../common/names_common.hpp"
#include "state.hpp"

namespace emsock {
namespace {

using fake::detail::same_name;
using fake::detail::the_world;

/// The services the fake knows by name (what /etc/services says about them).
struct service_row {
  const char* name;
  std::uint16_t port;
  bool tcp;
  bool udp;
};
constexpr service_row services[] = {
    {"echo", 7, true, true},        {"ftp", 21, true, false},     {"ssh", 22, true, false},
    {"telnet", 23, true, false},    {"smtp", 25, true, false},    {"domain", 53, true, true},
    {"http", 80, true, false},      {"ntp", 123, false, true},    {"https", 443, true, false},
    {"mqtt", 1883, true, false},    {"coap", 5683, false, true},  {"secure-mqtt", 8883, true, false},
};


bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

/// The injected failure for `host`, or ok; counts the use.
errc resolve_fault_for(std::string_view host) noexcept {
  for (fake::detail::resolve_fault& f : the_world().resolve_faults) {
    if (!f.used) continue;
    if (f.host_len != 0 && !same_name({f.host, f.host_len}, host)) continue;
    const errc reason = f.reason;
    if (f.times > 0 && --f.times == 0) f.used = false;
    return reason;
  }
  return errc::ok;
}

bool family_fits(resolve_family wanted, const ip_address& a) noexcept {
  return wanted == resolve_family::any || (wanted == resolve_family::inet) == a.is_v4();
}

/// Collects entries into out[0, capacity), counting all.
class collector {
 public:
  collector(resolved* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {}

  /// One entry per offered socket type for `address`.
  void add(const ip_address& address, std::uint16_t port, bool stream, bool dgram) noexcept {
    if (stream) add_one(address, port, socket_type::stream);
    if (dgram) add_one(address, port, socket_type::dgram);
  }
  const resolve_count& count() const noexcept { return count_; }

 private:
  void add_one(const ip_address& address, std::uint16_t port, socket_type type) noexcept {
    ++count_.found;
    if (count_.stored == capacity_) return;
    resolved& r = out_[count_.stored];
    r = resolved{};
    r.where = {address, port};
    r.family = address.family();
    r.type = type;
    r.protocol = type == socket_type::stream ? ip_protocol::tcp : ip_protocol::udp;
    ++count_.stored;
  }

  resolved* out_;
  std::size_t capacity_;
  resolve_count count_;
};

}  // namespace

result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity, canonical_name* name) noexcept {
  if (out == nullptr && capacity > 0) return errc::invalid_argument;
  if (name != nullptr) name->clear();
  if (host.size() > 255 || service.size() > 31 || host.find('\0') != std::string_view::npos ||
      service.find('\0') != std::string_view::npos)
    return errc::invalid_argument;
  if (port_detail::in_invalid_tld(host)) return errc::name_not_found;
  if (host.empty() && service.empty()) return errc::name_not_found;
  if (const errc fault = resolve_fault_for(host); fault != errc::ok) return fault;

  // Which socket types are asked for.
  bool stream = hints.type != socket_type::dgram && hints.protocol != ip_protocol::udp;
  bool dgram = hints.type != socket_type::stream && hints.protocol != ip_protocol::tcp;
  if (!stream && !dgram) return errc::operation_not_supported;

  // The port: a number, or a name the services table offers for those types.
  std::uint16_t port = 0;
  if (all_digits(service)) {
    unsigned long value = 0;
    for (char c : service) value = value > 65535 ? value : value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535) return errc::service_not_found;
    port = static_cast<std::uint16_t>(value);
  } else if (!service.empty()) {
    if (hints.numeric_service) return errc::name_not_found;
    const service_row* row = nullptr;
    for (const service_row& r : services)
      if (same_name(r.name, service)) row = &r;
    if (row == nullptr) return errc::service_not_found;
    stream = stream && row->tcp;
    dgram = dgram && row->udp;
    if (!stream && !dgram) return errc::service_not_found;
    port = row->port;
  }

  collector found(out, capacity);
  if (host.empty()) {  // loopback, or the wildcard to listen on
    const ip_address v4 = hints.passive ? ipv4_address::any() : ipv4_address::loopback();
    const ip_address v6 = hints.passive ? ipv6_address::any() : ipv6_address::loopback();
    if (family_fits(hints.family, v4)) found.add(v4, port, stream, dgram);
    if (family_fits(hints.family, v6)) found.add(v6, port, stream, dgram);
  } else if (const result<ip_address> numeric = ip_address::parse(host); numeric) {
    if (!family_fits(hints.family, *numeric)) return errc::name_not_found;
    if (name != nullptr) {
      if (const status s = name->assign(host); !s) return s.err();
    }
    found.add(*numeric, port, stream, dgram);
  } else {
    if (hints.numeric_host) return errc::name_not_found;
    const fake::detail::world& w = the_world();
    for (std::size_t i = 0; i < w.host_count; ++i) {
      const fake::detail::host_entry& e = w.hosts[i];
      const std::string_view entry_name{e.name, e.name_len};
      if (!same_name(entry_name, host) || !family_fits(hints.family, e.address)) continue;
      if (name != nullptr && found.count().found == 0) {
        if (const status s = name->assign(entry_name); !s) return s.err();
      }
      found.add(e.address, port, stream, dgram);
    }
  }
  if (found.count().found == 0) return errc::name_not_found;
  return found.count();
}


result<std::size_t> host_name(char* buffer, std::size_t size) noexcept {
  if (buffer == nullptr) return errc::invalid_argument;
  const fake::detail::world& w = the_world();
  if (w.host_name_len + 1 > size) return errc::buffer_too_small;
  std::memcpy(buffer, w.host_name, w.host_name_len);
  buffer[w.host_name_len] = '\0';
  return w.host_name_len;
}

}  // namespace emsock
