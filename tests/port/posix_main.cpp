// SPDX-License-Identifier: MIT
// The POSIX backend's environment for the port conformance suite, and the test runner.
#include <dirent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "conformance.hpp"
#include "skip.hpp"
#include "posix_libc_names.hpp"

namespace {

/// Entries of /proc/self/fd, minus the one the directory stream itself holds while it is read.
std::size_t open_descriptors() {
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  std::size_t n = 0;
  for (const dirent* e = readdir(d); e != nullptr; e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n - 1;
}

/// Why ::1 does not work, for the skip reason of the IPv6 cases.
char why_no_ipv6[160];

/// ::1 is usable when a socket can be bound to it (no traffic is sent); else why_no_ipv6 says why.
bool ipv6_loopback_works() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) {
    std::snprintf(why_no_ipv6, sizeof why_no_ipv6, "no IPv6 on this machine: socket(AF_INET6) failed (%s)",
                  std::strerror(errno));
    return false;
  }
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
  if (!ok)
    std::snprintf(why_no_ipv6, sizeof why_no_ipv6, "no IPv6 loopback on this machine: binding [::1] failed (%s)",
                  std::strerror(errno));
  ::close(fd);
  return ok;
}

/// The soft RLIMIT_NOFILE before limit_descriptors(); restored by unlimit_descriptors().
rlim_t saved_soft_limit = RLIM_INFINITY;
bool limited = false;

/// Descriptors are numbered from the lowest free one and must stay below the soft limit: the limit
/// open_descriptors() + more leaves about `more` (holes in the numbering are filled first).
void limit_descriptors(std::size_t more) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  if (!limited) saved_soft_limit = r.rlim_cur;
  limited = true;
  r.rlim_cur = static_cast<rlim_t>(open_descriptors() + more);
  (void)setrlimit(RLIMIT_NOFILE, &r);
}

void unlimit_descriptors() {
  if (!limited) return;
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  r.rlim_cur = saved_soft_limit;
  if (setrlimit(RLIMIT_NOFILE, &r) == 0) limited = false;
}

char why_no_multicast_if[200];
char why_no_join_by_index[200];

/// What the system under the tests offers for multicast, probed on a socket of its own (no datagram
/// is sent): Linux offers everything; qemu-user 7.2, which runs the cross presets' tests, refuses
/// IP_MULTICAST_IF (ENOPROTOOPT) and garbles ip_mreqn's index on 64-bit targets (ENODEV).
void probe_multicast(conformance::environment& e) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return;
  in_addr loopback{};
  loopback.s_addr = htonl(INADDR_LOOPBACK);
  if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &loopback, sizeof loopback) != 0 && errno == ENOPROTOOPT) {
    std::snprintf(why_no_multicast_if, sizeof why_no_multicast_if,
                  "the system refuses IP_MULTICAST_IF (%s): set_multicast_interface is operation_not_supported "
                  "(qemu-user 7.2 translates neither IP_MULTICAST_IF nor IPV6_MULTICAST_IF)", std::strerror(errno));
    e.why_no_multicast_interface_option = why_no_multicast_if;
  }
  ip_mreqn m{};
  m.imr_multiaddr.s_addr = htonl(0xEFFF4D09u);  // 239.255.77.9, administratively scoped
  m.imr_ifindex = static_cast<int>(::if_nametoindex("lo"));
  if (m.imr_ifindex != 0) {
    if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0) {
      std::snprintf(why_no_join_by_index, sizeof why_no_join_by_index,
                    "the system refuses an IPv4 join by the index of lo (%s) although lo exists (qemu-user 7.2 "
                    "garbles ip_mreqn on 64-bit targets)", std::strerror(errno));
      e.why_no_ipv4_join_by_index = why_no_join_by_index;
    } else {
      (void)::setsockopt(fd, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof m);
    }
  }
  ::close(fd);
}

conformance::environment make_environment() {
  conformance::environment e;
  e.backend = emsock::port_name;
  e.has_ipv6 = ipv6_loopback_works();
  if (!e.has_ipv6) e.why_no_ipv6 = why_no_ipv6;
  e.has_resolver = true;
  e.has_services_database = posix_test::libc_has_service("http", "tcp");  // no /etc/services: none
  e.reference_resolve = posix_test::libc_resolve;
  e.open_handles = open_descriptors;
  e.limit_descriptors = limit_descriptors;
  e.unlimit_descriptors = unlimit_descriptors;
  e.loopback_interface = "lo";  // Linux's loopback device (the backend is Linux's)
  e.why_no_ipv6_multicast_loopback =
      "Linux: lo has no MULTICAST flag, hence no ff00::/8 route: send_to an IPv6 group over lo is network_unreachable";
  probe_multicast(e);
#ifndef __linux__
  e.tells_datagram_size = false;  // recvmsg's MSG_TRUNC flag gives the real length only on Linux
#endif
  return e;
}

}  // namespace

namespace conformance {

const environment& env() {
  static const environment e = make_environment();
  return e;
}

}  // namespace conformance

int main(int argc, char** argv) {
  const conformance::environment& e = conformance::env();
  std::fprintf(stderr, "port conformance: backend %s, IPv6 loopback %s, resolver %s, %zu descriptors open\n",
               e.backend, e.has_ipv6 ? "yes" : "NO (IPv6 cases skipped)", e.has_resolver ? "yes" : "no",
               e.open_handles());
  return emsock_test::run_all_tests(argc, argv);  // 0 / 1, after "N passed, N failed, N skipped"
}
