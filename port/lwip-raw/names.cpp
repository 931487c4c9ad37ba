// SPDX-License-Identifier: MIT
// Name resolution for the raw-API backend. Numeric hosts are parsed by emsock and never reach lwIP;
// names go to lwIP's raw DNS client (dns_gethostbyname_addrtype, one address per name) when this
// build has LWIP_DNS, the wait driven through the hook, else they are name_resolution_unavailable.
// A service is a port number (lwIP has no services database). Entries are made as glibc makes them:
// one per socket type asked for. host_name() and interface_index() are in state.cpp.
#include <cstring>

#include "../common/names_common.hpp"
#include "emsock/port/names.hpp"
#include "state.hpp"

#if LWIP_DNS
extern "C" {
#include "lwip/dns.h"
}
#endif

namespace emsock {

const bool lwip_has_dns = LWIP_DNS != 0;

namespace {

#if LWIP_DNS
/// The one lookup lwIP may call back for: static, so that a callback after a wait gave up finds
/// it still there (the next resolve() of a name waits for it to finish first).
struct lookup {
  bool busy = false;
  bool found = false;
  ip_addr_t address;
  char name[DNS_MAX_NAME_LENGTH + 1];  // the name as a C string, here rather than in resolve()'s frame
};
lookup the_lookup;

void on_found(const char*, const ip_addr_t* address, void*) noexcept {
  lwip_raw::detail::callback_scope scope;
  the_lookup.busy = false;
  the_lookup.found = address != nullptr;
  if (address != nullptr) the_lookup.address = *address;
}

status look_up(std::string_view host, resolve_family family, port_detail::resolved_collector& c) noexcept {
  if (the_lookup.busy) lwip_raw::detail::wait_until([] { return !the_lookup.busy; }, -1);
  if (the_lookup.busy) return errc::name_temporary_failure;
  if (!port_detail::to_c_string(host, the_lookup.name)) return errc::invalid_argument;
  u8_t type = LWIP_DNS_ADDRTYPE_DEFAULT;
#if LWIP_IPV4 && LWIP_IPV6
  if (family == resolve_family::inet) type = LWIP_DNS_ADDRTYPE_IPV4;
  if (family == resolve_family::inet6) type = LWIP_DNS_ADDRTYPE_IPV6;
#endif
  the_lookup.busy = true;
  the_lookup.found = false;
  const err_t err = dns_gethostbyname_addrtype(the_lookup.name, &the_lookup.address, on_found, nullptr, type);
  if (err == ERR_OK) {
    the_lookup.busy = false;
    the_lookup.found = true;
  } else if (err == ERR_INPROGRESS) {
    lwip_raw::detail::wait_until([] { return !the_lookup.busy; }, -1);  // lwIP's DNS times out itself
    if (the_lookup.busy) return errc::name_temporary_failure;           // no hook to wait with
  } else {
    the_lookup.busy = false;
    return err == ERR_MEM ? errc::out_of_memory : errc::name_resolution_failed;
  }
  if (!the_lookup.found) return errc::name_not_found;
  c.add(lwip_raw::detail::from_lwip(the_lookup.address, 0).address);
  return {};
}
#endif

}  // namespace

result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity, canonical_name* name) noexcept {
  if (lwip_raw::detail::inside_stack()) return errc::called_from_callback;
  if (out == nullptr && capacity > 0) return errc::invalid_argument;
  if (name != nullptr) name->clear();
  if (!port_detail::fits_c_string(host, 256) || !port_detail::fits_c_string(service, 32)) return errc::invalid_argument;
  if (port_detail::in_invalid_tld(host)) return errc::name_not_found;
  if (host.empty() && service.empty()) return errc::name_not_found;
  std::uint16_t port = 0;
  if (!service.empty() && !port_detail::parse_port(service, port))
    return hints.numeric_service ? errc::name_not_found : errc::service_not_found;
  if ((hints.type == socket_type::stream && hints.protocol == ip_protocol::udp) ||
      (hints.type == socket_type::dgram && hints.protocol == ip_protocol::tcp))
    return errc::operation_not_supported;
  port_detail::resolved_collector c(hints, port, out, capacity);
  if (host.empty()) {
    c.add(hints.passive ? ip_address(ipv4_address::any()) : ip_address(ipv4_address::loopback()));
    c.add(hints.passive ? ip_address(ipv6_address::any()) : ip_address(ipv6_address::loopback()));
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
  if (c.count().found == 0) return errc::name_not_found;
  if (name != nullptr && !host.empty()) {
    const status named = name->assign(host);
    if (!named) return named.err();
  }
  return c.count();
}

}  // namespace emsock
