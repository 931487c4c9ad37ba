// SPDX-License-Identifier: MIT
// tests/support/hosts_file.hpp - whether a host is answered without asking a name server, for the
// tests that compare with the C library's own answer about this machine's names (tests/cli's
// libc_answer, the POSIX run of the port conformance suite): a name the hosts file does not list
// would go to a name server, and tests never touch the network. POSIX only.
#pragma once

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

namespace emsock_test {

/// True for an empty host (loopback, or the wildcard), a numeric IPv4 or IPv6 address, or a name
/// (any case) on a line of the hosts file (_PATH_HOSTS, /etc/hosts). False when there is no hosts
/// file.
inline bool answered_locally(const std::string& host) {
  unsigned char bytes[16];
  if (host.empty() || inet_pton(AF_INET, host.c_str(), bytes) == 1 || inet_pton(AF_INET6, host.c_str(), bytes) == 1)
    return true;
  std::FILE* f = std::fopen(_PATH_HOSTS, "r");
  if (f == nullptr) return false;
  const auto same = [&host](const char* name) {
    if (std::strlen(name) != host.size()) return false;
    for (std::size_t i = 0; i < host.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(host[i])))
        return false;
    return true;
  };
  bool found = false;
  char line[1024];
  while (!found && std::fgets(line, sizeof line, f) != nullptr) {
    if (char* hash = std::strchr(line, '#')) *hash = '\0';
    char* save = nullptr;
    const char* field = strtok_r(line, " \t\r\n", &save);  // the address, then its names
    if (field == nullptr) continue;
    while (!found && (field = strtok_r(nullptr, " \t\r\n", &save)) != nullptr) found = same(field);
  }
  std::fclose(f);
  return found;
}

/// Why `host` is not looked up (for a skip message).
inline std::string not_in_hosts_file(const std::string& host) {
  return "'" + host + "' is not in " _PATH_HOSTS " (a name server would be asked; tests stay off the network)";
}

}  // namespace emsock_test
