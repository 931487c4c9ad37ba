// SPDX-License-Identifier: MIT
// Name resolution and the host name for the lwIP backend.
//
// Numeric hosts are parsed by emsock's own parsers and never reach lwIP; names go to
// lwip_getaddrinfo when this lwIP build has DNS (LWIP_DNS), else they are
// errc::name_resolution_unavailable. lwIP has no services database: a service is a port number
// ("http" is service_not_found). lwIP's getaddrinfo gives one address and no socket types; the
// entries are made here like glibc's: one per socket type asked for (stream/tcp, dgram/udp).
#include <cstring>

#include "emsock/port/names.hpp"
#include "../common/names_common.hpp"
#include "emsock/port/native.hpp"
#include "sockaddr.hpp"

namespace emsock {

const bool lwip_has_dns = LWIP_DNS != 0;

namespace {

/// A decimal port 0..65535 without sign; nothing else (no services database in lwIP).
bool parse_port(std::string_view text, std::uint16_t& port) noexcept {
  if (text.empty() || text.size() > 5) return false;
  std::uint32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > 0xffffu) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

bool family_allowed(resolve_family f, const ip_address& a) noexcept {
  return f == resolve_family::any || (f == resolve_family::inet) == a.is_v4();
}

/// Collects entries: one per socket type for each address added.
class collector {
 public:
  collector(const resolve_hints& hints, std::uint16_t port, resolved* out, std::size_t capacity) noexcept
      : hints_(hints), port_(port), out_(out), capacity_(capacity) {}

  status add(const ip_address& address, std::string_view canonical) noexcept {
    if (!family_allowed(hints_.family, address)) return {};
    const bool stream = hints_.type != socket_type::dgram && hints_.protocol != ip_protocol::udp;
    const bool dgram = hints_.type != socket_type::stream && hints_.protocol != ip_protocol::tcp;
    if (stream) {
      const status s = put(address, socket_type::stream, ip_protocol::tcp, canonical);
      if (!s) return s;
    }
    if (dgram) return put(address, socket_type::dgram, ip_protocol::udp, canonical);
    return {};
  }
  const resolve_count& count() const noexcept { return count_; }

 private:
  status put(const ip_address& address, socket_type type, ip_protocol protocol, std::string_view canonical) noexcept {
    const bool first = count_.found == 0;
    ++count_.found;
    if (count_.stored == capacity_) return {};  // counted, not stored: reported by truncated()
    resolved& r = out_[count_.stored];
    r = resolved{};
    r.where = endpoint{address, port_};
    r.family = address.family();
    r.type = type;
    r.protocol = protocol;
    if (first && hints_.canonical_name) {
      const status named = r.set_canonical_name(canonical);
      if (!named) return named;
    }
    ++count_.stored;
    return {};
  }

  const resolve_hints& hints_;
  std::uint16_t port_;
  resolved* out_;
  std::size_t capacity_;
  resolve_count count_;
};

#if LWIP_DNS
/// lwIP's EAI_* codes -> errc (lwIP's netdb.h defines its own values).
errc errc_from_eai(int code) noexcept {
#ifdef EAI_NONAME
  if (code == EAI_NONAME) return errc::name_not_found;
#endif
#ifdef HOST_NOT_FOUND
  if (code == HOST_NOT_FOUND) return errc::name_not_found;
#endif
#ifdef EAI_SERVICE
  if (code == EAI_SERVICE) return errc::service_not_found;
#endif
#ifdef EAI_FAIL
  if (code == EAI_FAIL) return errc::name_resolution_failed;
#endif
#ifdef EAI_MEMORY
  if (code == EAI_MEMORY) return errc::out_of_memory;
#endif
#ifdef EAI_FAMILY
  if (code == EAI_FAMILY) return errc::family_not_supported;
#endif
  return errc::system_error;
}

/// Frees lwip_getaddrinfo's list on every way out.
struct addrinfo_list {
  addrinfo* head = nullptr;
  addrinfo_list() noexcept = default;
  addrinfo_list(const addrinfo_list&) = delete;
  addrinfo_list& operator=(const addrinfo_list&) = delete;
  ~addrinfo_list() {
    if (head != nullptr) ::lwip_freeaddrinfo(head);
  }
};
#endif

/// The configured host name (lwip::set_host_name), guarded by SYS_ARCH_PROTECT.
char configured_name[lwip::max_configured_host_name_len + 1] = {};

#if LWIP_NETIF_HOSTNAME
/// Copies the default netif's hostname into `context` (max_host_name_len + 1 chars, zeroed). Runs in
/// lwIP's core (tcpip_callback_wait), where netif state may be read.
void copy_netif_host_name(void* context) noexcept {
  if (netif_default != nullptr && netif_default->hostname != nullptr)
    std::strncpy(static_cast<char*>(context), netif_default->hostname, max_host_name_len);
}
#endif

}  // namespace

result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity) noexcept {
  if (out == nullptr && capacity > 0) return errc::invalid_argument;
  char host_c[256];
  char service_c[32];
  if (!port_detail::to_c_string(host, host_c) || !port_detail::to_c_string(service, service_c)) return errc::invalid_argument;
  if (port_detail::in_invalid_tld(host)) return errc::name_not_found;
  if (host.empty() && service.empty()) return errc::name_not_found;  // as getaddrinfo: EAI_NONAME

  std::uint16_t port = 0;
  if (!service.empty() && !parse_port(service, port))
    return hints.numeric_service ? errc::name_not_found : errc::service_not_found;
  if ((hints.type == socket_type::stream && hints.protocol == ip_protocol::udp) ||
      (hints.type == socket_type::dgram && hints.protocol == ip_protocol::tcp))
    return errc::operation_not_supported;

  collector c(hints, port, out, capacity);
  if (host.empty()) {  // loopback, or the wildcard address to listen on
    const ip_address v4 = hints.passive ? ipv4_address::any() : ipv4_address::loopback();
    const ip_address v6 = hints.passive ? ipv6_address::any() : ipv6_address::loopback();
    const status a = c.add(v4, {});
    if (!a) return a.err();
    const status b = c.add(v6, {});
    if (!b) return b.err();
  } else if (const auto numeric = ip_address::parse(host)) {
    const status a = c.add(numeric.value(), host);
    if (!a) return a.err();
  } else if (hints.numeric_host) {
    return errc::name_not_found;
  } else {
#if LWIP_DNS
    addrinfo h{};
    h.ai_family = hints.family == resolve_family::inet    ? AF_INET
                  : hints.family == resolve_family::inet6 ? AF_INET6
                                                          : AF_UNSPEC;
    addrinfo_list list;
    const int rc = ::lwip_getaddrinfo(host_c, nullptr, &h, &list.head);
    if (rc != 0) return errc_from_eai(rc);
    for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
      const auto where = lwip_detail::from_native(ai->ai_addr, ai->ai_addrlen);
      if (!where) continue;
      const status a = c.add(where->address, host);
      if (!a) return a.err();
    }
#else
    return errc::name_resolution_unavailable;
#endif
  }
  if (c.count().found == 0) return errc::name_not_found;  // nothing in the requested family
  return c.count();
}


namespace lwip {

status set_host_name(std::string_view name) noexcept {
  if (name.size() > max_configured_host_name_len || name.find('\0') != std::string_view::npos)
    return errc::invalid_argument;
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  if (!name.empty()) std::memcpy(configured_name, name.data(), name.size());
  configured_name[name.size()] = '\0';
  SYS_ARCH_UNPROTECT(level);
  return {};
}

}  // namespace lwip

result<std::size_t> host_name(char* buffer, std::size_t size) noexcept {
  if (buffer == nullptr) return errc::invalid_argument;
  char name[max_host_name_len + 1] = {};
  {
    SYS_ARCH_DECL_PROTECT(level);
    SYS_ARCH_PROTECT(level);
    std::memcpy(name, configured_name, sizeof configured_name);
    SYS_ARCH_UNPROTECT(level);
  }
#if LWIP_NETIF_HOSTNAME
  if (name[0] == '\0') {
    const err_t err = ::tcpip_callback_wait(copy_netif_host_name, name);
    if (err != ERR_OK) return lwip::errc_from_err(err);  // ERR_MEM: no message for lwIP's core
  }
#endif
  const std::size_t len = std::strlen(name);
  if (len == 0) return errc::name_not_found;  // neither a configured name nor a netif hostname
  if (len + 1 > size) return errc::buffer_too_small;
  std::memcpy(buffer, name, len + 1);
  return len;
}

}  // namespace emsock
