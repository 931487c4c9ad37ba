// SPDX-License-Identifier: MIT
// Name resolution and the host name for the lwIP backend.
//
// Numeric hosts are parsed by emsock's own parsers and never reach lwIP; names go to
// lwip_getaddrinfo when this lwIP build has DNS (LWIP_DNS), else they are
// errc::name_resolution_unavailable. lwIP has no services database: a service is a port number
// ("http" is service_not_found). lwIP's getaddrinfo gives one address and no socket types; the
// entries are made here like glibc's: one per socket type asked for (stream/tcp, dgram/udp).
//
// Stack: every function here keeps its frame under 256 bytes on Cortex-M (the footprint target
// checks it). lwip_getaddrinfo needs the name NUL-terminated: that copy goes to lwIP's heap
// (mem_malloc) for the lookup, not to the caller's stack; host_name() writes straight into the
// caller's buffer.
#include <cstring>

#include "emsock/port/names.hpp"
#include "../common/names_common.hpp"
#include "emsock/port/native.hpp"
#include "sockaddr.hpp"
#if LWIP_DNS
extern "C" {
#include "lwip/mem.h"
}
#endif

namespace emsock {

const bool lwip_has_dns = LWIP_DNS != 0;

namespace {

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

/// Frees lwip_getaddrinfo's list and the name's copy on every way out.
struct lookup_storage {
  addrinfo* head = nullptr;
  char* name = nullptr;
  lookup_storage() noexcept = default;
  lookup_storage(const lookup_storage&) = delete;
  lookup_storage& operator=(const lookup_storage&) = delete;
  ~lookup_storage() {
    if (head != nullptr) ::lwip_freeaddrinfo(head);
    if (name != nullptr) ::mem_free(name);
  }
};

/// Looks `host` (a name) up with lwip_getaddrinfo and adds its addresses to `c`. Not inlined into
/// resolve(), so that its locals are on the stack only for a lookup.
[[gnu::noinline]] status look_up(std::string_view host, resolve_family family,
                                 port_detail::resolved_collector& c) noexcept {
  lookup_storage storage;
  storage.name = static_cast<char*>(::mem_malloc(static_cast<mem_size_t>(host.size() + 1)));
  if (storage.name == nullptr) return errc::out_of_memory;
  std::memcpy(storage.name, host.data(), host.size());
  storage.name[host.size()] = '\0';
  addrinfo h{};
  h.ai_family = family == resolve_family::inet ? AF_INET : family == resolve_family::inet6 ? AF_INET6 : AF_UNSPEC;
  const int rc = ::lwip_getaddrinfo(storage.name, nullptr, &h, &storage.head);
  if (rc != 0) return errc_from_eai(rc);
  for (const addrinfo* ai = storage.head; ai != nullptr; ai = ai->ai_next) {
    const auto where = lwip_detail::from_native(ai->ai_addr, ai->ai_addrlen);
    if (where) c.add(where->address);
  }
  return {};
}
#endif

/// The configured host name (lwip::set_host_name), guarded by SYS_ARCH_PROTECT.
char configured_name[lwip::max_configured_host_name_len + 1] = {};

/// host_name()'s answer: the caller's buffer, and what was written there.
struct name_copy {
  char* buffer;
  std::size_t size;
  std::size_t length = 0;
  bool too_small = false;

  /// Copies `name` (NUL-terminated, or cut at `longest` characters) into the buffer, or notes that
  /// it does not fit. An empty name writes nothing (the next source is asked).
  void take(const char* name, std::size_t longest) noexcept {
    length = 0;
    while (length < longest && name[length] != '\0') ++length;  // strnlen is POSIX, not C++17
    too_small = length + 1 > size;
    if (too_small || length == 0) return;
    std::memcpy(buffer, name, length);
    buffer[length] = '\0';
  }
};

#if LWIP_NETIF_HOSTNAME
/// Copies the default netif's hostname into the name_copy at `context`. Runs in lwIP's core
/// (tcpip_callback_wait), where netif state may be read.
void copy_netif_host_name(void* context) noexcept {
  if (netif_default != nullptr && netif_default->hostname != nullptr)
    static_cast<name_copy*>(context)->take(netif_default->hostname, max_host_name_len);
}
#endif

}  // namespace

result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity, canonical_name* name) noexcept {
  if (out == nullptr && capacity > 0) return errc::invalid_argument;
  if (name != nullptr) name->clear();
  if (!port_detail::fits_c_string(host, 256) || !port_detail::fits_c_string(service, 32)) return errc::invalid_argument;
  if (port_detail::in_invalid_tld(host)) return errc::name_not_found;
  if (host.empty() && service.empty()) return errc::name_not_found;  // as getaddrinfo: EAI_NONAME

  std::uint16_t port = 0;
  if (!service.empty() && !port_detail::parse_port(service, port))
    return hints.numeric_service ? errc::name_not_found : errc::service_not_found;
  if ((hints.type == socket_type::stream && hints.protocol == ip_protocol::udp) ||
      (hints.type == socket_type::dgram && hints.protocol == ip_protocol::tcp))
    return errc::operation_not_supported;

  port_detail::resolved_collector c(hints, port, out, capacity);
  if (host.empty()) {  // loopback, or the wildcard address to listen on
    const ip_address v4 = hints.passive ? ipv4_address::any() : ipv4_address::loopback();
    const ip_address v6 = hints.passive ? ipv6_address::any() : ipv6_address::loopback();
    c.add(v4);
    c.add(v6);
  } else if (const auto numeric = ip_address::parse(host)) {
    c.add(numeric.value());
  } else if (hints.numeric_host) {
    return errc::name_not_found;
  } else {
#if LWIP_DNS
    const status looked_up = look_up(host, hints.family, c);
    if (!looked_up) return looked_up.err();
#else
    return errc::name_resolution_unavailable;
#endif
  }
  if (c.count().found == 0) return errc::name_not_found;  // nothing in the requested family
  // lwIP gives no canonical name: the name asked for (or the address text) is it, as glibc's
  // answer for a name without an alias.
  if (name != nullptr && !host.empty()) {
    const status named = name->assign(host);
    if (!named) return named.err();
  }
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
  name_copy copy{buffer, size};
  {
    SYS_ARCH_DECL_PROTECT(level);
    SYS_ARCH_PROTECT(level);
    copy.take(configured_name, lwip::max_configured_host_name_len);
    SYS_ARCH_UNPROTECT(level);
  }
#if LWIP_NETIF_HOSTNAME
  if (copy.length == 0) {
    const err_t err = ::tcpip_callback_wait(copy_netif_host_name, &copy);
    if (err != ERR_OK) return lwip::errc_from_err(err);  // ERR_MEM: no message for lwIP's core
  }
#endif
  if (copy.length == 0) return errc::name_not_found;  // neither a configured name nor a netif hostname
  if (copy.too_small) return errc::buffer_too_small;
  return copy.length;
}

}  // namespace emsock
