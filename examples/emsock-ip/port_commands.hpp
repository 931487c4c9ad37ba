// SPDX-License-Identifier: MIT
// emsock-ip/port_commands.hpp - the subcommands on the port layer: resolve, hostname, lookup.
//
// Built only when a socket backend exists (CMake defines EMSOCK_IP_PORT_COMMANDS when the target
// emsock::posix does), so emsock-ip still builds with EMSOCK_PORT=none.
#pragma once

#include "cli.hpp"

namespace emsock_ip {

/// resolve HOST PORT: every getaddrinfo entry, one line each (emsock::resolve).
extern const command resolve_command;
/// hostname: this machine's name (emsock::host_name).
extern const command hostname_command;
/// lookup HOST: the first IPv4 address, as gethostbyname answers (emsock::resolve_ipv4).
extern const command lookup_command;

}  // namespace emsock_ip
