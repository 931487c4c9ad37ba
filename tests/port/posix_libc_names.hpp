// SPDX-License-Identifier: MIT
// What the C library itself answers about names, for the POSIX backend's run of the port
// conformance suite (environment::reference_resolve, environment::has_services_database): the cases
// whose answer is this machine's configuration (localhost from /etc/hosts, service names from
// /etc/services) compare with it instead of hard-coding one machine's answer.
#pragma once

#include <cstddef>
#include <string_view>

#include "emsock/port/names.hpp"

namespace posix_test {

/// getaddrinfo with the same hints, the SOCK_STREAM / SOCK_DGRAM entries in its order (as resolve()
/// keeps them), the canonical name into `name` when given (AI_CANONNAME). A host name the hosts file does
/// not list is not looked up: name_resolution_unavailable (a name server would be asked; tests stay
/// off the network). Failures: name_not_found (EAI_NONAME), service_not_found (EAI_SERVICE),
/// system_error (anything else, or a scoped address); `why` then says what found nothing.
emsock::result<emsock::resolve_count> libc_resolve(std::string_view host, std::string_view service,
                                                   const emsock::resolve_hints& hints, emsock::resolved* out,
                                                   std::size_t capacity, emsock::canonical_name* name,
                                                   const char*& why) noexcept;

/// True when getservbyname(name, proto) finds the service (false without /etc/services).
bool libc_has_service(const char* name, const char* proto) noexcept;

}  // namespace posix_test
