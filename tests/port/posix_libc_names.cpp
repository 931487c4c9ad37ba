// SPDX-License-Identifier: MIT
// The C library's own answers about names (see posix_libc_names.hpp). Plain getaddrinfo and
// getservbyname, converted without the backend's code: an independent oracle.
#include "posix_libc_names.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "../support/hosts_file.hpp"

namespace posix_test {

namespace {

char reason[512];

const char* say(const std::string& text) {
  std::snprintf(reason, sizeof reason, "%s", text.c_str());
  return reason;
}

/// Frees getaddrinfo's list on every way out.
struct list_owner {
  addrinfo* head = nullptr;
  ~list_owner() {
    if (head != nullptr) freeaddrinfo(head);
  }
};

}  // namespace

emsock::result<emsock::resolve_count> libc_resolve(std::string_view host_text, std::string_view service_text,
                                                   const emsock::resolve_hints& hints, emsock::resolved* out,
                                                   std::size_t capacity, emsock::canonical_name* name,
                                                   const char*& why) noexcept {
  using emsock::errc;
  const std::string host(host_text), service(service_text);
  const std::string query = "getaddrinfo(\"" + host + "\", \"" + service + "\")";
  if (!hints.numeric_host && !emsock_test::answered_locally(host)) {
    why = say(emsock_test::not_in_hosts_file(host));
    return errc::name_resolution_unavailable;
  }
  addrinfo h{};
  h.ai_family = hints.family == emsock::resolve_family::inet    ? AF_INET
                : hints.family == emsock::resolve_family::inet6 ? AF_INET6
                                                                : AF_UNSPEC;
  h.ai_socktype = hints.type == emsock::socket_type::stream ? SOCK_STREAM
                  : hints.type == emsock::socket_type::dgram ? SOCK_DGRAM
                                                             : 0;
  h.ai_protocol = hints.protocol == emsock::ip_protocol::tcp   ? IPPROTO_TCP
                  : hints.protocol == emsock::ip_protocol::udp ? IPPROTO_UDP
                                                               : 0;
  h.ai_flags = (hints.passive ? AI_PASSIVE : 0) | (name != nullptr ? AI_CANONNAME : 0) |
               (hints.numeric_host ? AI_NUMERICHOST : 0) | (hints.numeric_service ? AI_NUMERICSERV : 0);
  list_owner list;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.empty() ? nullptr : service.c_str(), &h,
                             &list.head);
  if (rc != 0) {
    const bool no_services = rc == EAI_SERVICE && !libc_has_service("http", "tcp");
    why = say(query + " finds nothing: " + gai_strerror(rc) +
              (no_services ? " (no services database: /etc/services, Debian's netbase, is missing)" : ""));
    return rc == EAI_NONAME ? errc::name_not_found : rc == EAI_SERVICE ? errc::service_not_found : errc::system_error;
  }
  emsock::resolve_count count;
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_socktype != SOCK_STREAM && ai->ai_socktype != SOCK_DGRAM) continue;
    emsock::resolved r;
    if (ai->ai_family == AF_INET) {
      sockaddr_in in{};
      std::memcpy(&in, ai->ai_addr, sizeof in);
      emsock::ipv4_address::bytes_type b{};
      std::memcpy(b.data(), &in.sin_addr, b.size());
      r.where = {emsock::ipv4_address(b), ntohs(in.sin_port)};
      r.family = emsock::ip_family::v4;
    } else if (ai->ai_family == AF_INET6) {
      sockaddr_in6 in6{};
      std::memcpy(&in6, ai->ai_addr, sizeof in6);
      if (in6.sin6_scope_id != 0) {
        why = say(query + " gives a scoped address: not compared");
        return errc::system_error;
      }
      emsock::ipv6_address::bytes_type b{};
      std::memcpy(b.data(), &in6.sin6_addr, b.size());
      r.where = {emsock::ipv6_address(b), ntohs(in6.sin6_port)};
      r.family = emsock::ip_family::v6;
    } else {
      continue;
    }
    r.type = ai->ai_socktype == SOCK_STREAM ? emsock::socket_type::stream : emsock::socket_type::dgram;
    r.protocol = ai->ai_protocol == IPPROTO_TCP   ? emsock::ip_protocol::tcp
                 : ai->ai_protocol == IPPROTO_UDP ? emsock::ip_protocol::udp
                                                  : emsock::ip_protocol::any;
    if (ai->ai_canonname != nullptr && name != nullptr && !name->assign(ai->ai_canonname)) {
      why = say(query + " gives a canonical name longer than the buffer");
      return errc::system_error;
    }
    ++count.found;
    if (count.stored < capacity) out[count.stored++] = r;
  }
  return count;
}

bool libc_has_service(const char* name, const char* proto) noexcept {
  return getservbyname(name, proto) != nullptr;
}

}  // namespace posix_test
