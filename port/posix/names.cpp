// SPDX-License-Identifier: MIT
// Name resolution through getaddrinfo, and gethostname, for the POSIX backend.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "emsock/port/names.hpp"
#include "../common/names_common.hpp"
#include "emsock/port/native.hpp"
#include "sockaddr.hpp"

namespace emsock {
namespace {

int native_family(resolve_family f) noexcept {
  return f == resolve_family::inet ? AF_INET : f == resolve_family::inet6 ? AF_INET6 : AF_UNSPEC;
}
int native_type(socket_type t) noexcept {
  return t == socket_type::stream ? SOCK_STREAM : t == socket_type::dgram ? SOCK_DGRAM : 0;
}
int native_protocol(ip_protocol p) noexcept {
  return p == ip_protocol::tcp ? IPPROTO_TCP : p == ip_protocol::udp ? IPPROTO_UDP : 0;
}

/// Frees getaddrinfo's list on every way out.
struct addrinfo_list {
  addrinfo* head = nullptr;
  addrinfo_list() noexcept = default;
  addrinfo_list(const addrinfo_list&) = delete;
  addrinfo_list& operator=(const addrinfo_list&) = delete;
  ~addrinfo_list() {
    if (head != nullptr) freeaddrinfo(head);
  }
};

}  // namespace

result<resolve_count> resolve(std::string_view host, std::string_view service, const resolve_hints& hints,
                              resolved* out, std::size_t capacity, canonical_name* name) noexcept {
  if (out == nullptr && capacity > 0) return errc::invalid_argument;
  if (name != nullptr) name->clear();
  char host_c[256];
  char service_c[32];
  if (!port_detail::to_c_string(host, host_c) || !port_detail::to_c_string(service, service_c)) return errc::invalid_argument;
  if (port_detail::in_invalid_tld(host)) return errc::name_not_found;
  if (port_detail::is_malformed_port_text(service)) return errc::service_not_found;

  addrinfo h{};
  h.ai_family = native_family(hints.family);
  h.ai_socktype = native_type(hints.type);
  h.ai_protocol = native_protocol(hints.protocol);
  h.ai_flags = (hints.passive ? AI_PASSIVE : 0) | (name != nullptr ? AI_CANONNAME : 0) |
               (hints.numeric_host ? AI_NUMERICHOST : 0) | (hints.numeric_service ? AI_NUMERICSERV : 0);
  addrinfo_list list;
  const int rc = getaddrinfo(host.empty() ? nullptr : host_c, service.empty() ? nullptr : service_c, &h, &list.head);
  const int saved_errno = errno;
  if (rc != 0) return errc_from_eai(rc, saved_errno);

  // getaddrinfo puts the canonical name on the first entry of the list.
  if (name != nullptr && list.head != nullptr && list.head->ai_canonname != nullptr) {
    const status named = name->assign(list.head->ai_canonname);
    if (!named) return named.err();
  }
  resolve_count count;
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_socktype != SOCK_STREAM && ai->ai_socktype != SOCK_DGRAM) continue;  // SOCK_RAW etc.
    const auto where = posix::from_native(ai->ai_addr, ai->ai_addrlen);
    if (!where) continue;  // a family emsock has no address type for
    ++count.found;
    if (count.stored == capacity) continue;  // counted, not stored: reported by truncated()
    resolved& r = out[count.stored];
    r = resolved{};
    r.where = where.value();
    r.family = r.where.address.family();
    r.type = ai->ai_socktype == SOCK_STREAM ? socket_type::stream : socket_type::dgram;
    r.protocol = ai->ai_protocol == IPPROTO_TCP   ? ip_protocol::tcp
                 : ai->ai_protocol == IPPROTO_UDP ? ip_protocol::udp
                                                  : ip_protocol::any;
    ++count.stored;
  }
  if (count.found == 0) return errc::name_not_found;  // only entries of types we skip
  return count;
}


result<std::size_t> host_name(char* buffer, std::size_t size) noexcept {
  if (buffer == nullptr) return errc::invalid_argument;
  char name[max_host_name_len + 2] = {};  // one more than the longest name, to see a truncation
  if (gethostname(name, sizeof name) != 0) return errc_from_errno(errno);
  const std::size_t len = strnlen(name, sizeof name);
  if (len > max_host_name_len) return errc::system_error;  // cannot happen with HOST_NAME_MAX <= 255
  if (len + 1 > size) return errc::buffer_too_small;
  std::memcpy(buffer, name, len + 1);
  return len;
}

}  // namespace emsock
