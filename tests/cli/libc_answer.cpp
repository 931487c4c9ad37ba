// SPDX-License-Identifier: MIT
// libc_answer - what the C library itself answers, in emsock-ip's output format, so that the CLI
// cases about names of the machine's own configuration (localhost from the hosts file, service
// names from the services database, the host name) compare with this machine instead of
// hard-coding one. Plain POSIX, nothing from emsock: an independent oracle.
//
//   libc_answer resolve [--family F] [--type T] [--proto P] [--canonname] HOST PORT
//       getaddrinfo with those hints, one line per SOCK_STREAM / SOCK_DGRAM entry, as
//       `emsock-ip resolve` prints them (a first "canonname" line with --canonname)
//   libc_answer lookup HOST      the first address of getaddrinfo(AF_INET, SOCK_STREAM), as
//                                `emsock-ip lookup` prints it (Python's socket.gethostbyname; C's
//                                gethostbyname can differ: it does not sort the hosts file's order)
//   libc_answer hostname         gethostname
//   libc_answer service NAME PROTO  getservbyname's port (a check that the database knows NAME)
//
// A host name (not a numeric address) is only looked up when the hosts file lists it: a name it
// does not list would go to a name server, and tests never touch the network. Such a name, like a
// lookup that finds nothing, is "no answer".
//
// Exit status: 0 the answer is on standard output; 77 the C library has no answer (one line on
// standard output says which call found nothing and why: the case is skipped with that reason);
// 2 usage error.
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "../support/hosts_file.hpp"

namespace {

constexpr int no_answer = 77;

int usage() {
  std::fputs("usage: libc_answer resolve [--family F] [--type T] [--proto P] [--canonname] HOST PORT\n"
             "       libc_answer lookup HOST | hostname | service NAME PROTO\n",
             stderr);
  return 2;
}

/// Says on standard output why there is no answer; returns no_answer.
int nothing(const std::string& why) {
  std::printf("%s\n", why.c_str());
  return no_answer;
}

/// What to check on this machine when `host` / `service` are not found.
std::string hint(const std::string& host, int rc) {
  if (rc == EAI_SERVICE) return " (no services database? Debian: package netbase, /etc/services)";
  if (host == "localhost") return " (no 'localhost' line in /etc/hosts?)";
  return "";
}

/// No answer for a host name the hosts file does not list; else empty.
std::string not_local(const std::string& host) {
  return emsock_test::answered_locally(host) ? "" : emsock_test::not_in_hosts_file(host);
}

std::string address_text(const sockaddr* sa) {
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = {};
  if (sa->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
  }
  sockaddr_in6 in6{};
  std::memcpy(&in6, sa, sizeof in6);
  inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
  std::string s = "[" + std::string(text);
  if (in6.sin6_scope_id != 0) {
    char name[IF_NAMESIZE] = {};
    s += "%" + std::string(if_indextoname(in6.sin6_scope_id, name) != nullptr ? name
                                                                           : std::to_string(in6.sin6_scope_id).c_str());
  }
  return s + "]:" + std::to_string(ntohs(in6.sin6_port));
}

int resolve(int argc, char** argv) {
  addrinfo hints{};
  std::string operands[2];
  int count = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--canonname") {
      hints.ai_flags |= AI_CANONNAME;
    } else if (arg == "--family") {
      hints.ai_family = value == "inet" ? AF_INET : value == "inet6" ? AF_INET6 : AF_UNSPEC;
      ++i;
    } else if (arg == "--type") {
      hints.ai_socktype = value == "stream" ? SOCK_STREAM : value == "dgram" ? SOCK_DGRAM : 0;
      ++i;
    } else if (arg == "--proto") {
      hints.ai_protocol = value == "tcp" ? IPPROTO_TCP : value == "udp" ? IPPROTO_UDP : 0;
      ++i;
    } else if (count < 2) {
      operands[count++] = arg;
    } else {
      return usage();
    }
  }
  if (count != 2) return usage();
  if (const std::string why = not_local(operands[0]); !why.empty()) return nothing(why);
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(operands[0].c_str(), operands[1].c_str(), &hints, &list);
  if (rc != 0)
    return nothing("getaddrinfo(\"" + operands[0] + "\", \"" + operands[1] + "\") finds nothing: " + gai_strerror(rc) +
                   hint(operands[0], rc));
  std::string out;
  if ((hints.ai_flags & AI_CANONNAME) != 0)
    out += "canonname " + std::string(list->ai_canonname != nullptr ? list->ai_canonname : "") + "\n";
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_socktype != SOCK_STREAM && ai->ai_socktype != SOCK_DGRAM) continue;  // as emsock-ip
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    out += ai->ai_family == AF_INET ? "inet " : "inet6 ";
    out += ai->ai_socktype == SOCK_STREAM ? "stream " : "dgram ";
    out += ai->ai_protocol == IPPROTO_TCP ? "tcp " : ai->ai_protocol == IPPROTO_UDP ? "udp " : "any ";
    out += address_text(ai->ai_addr) + "\n";
  }
  freeaddrinfo(list);
  std::fputs(out.c_str(), stdout);
  return 0;
}

int lookup(const std::string& host) {
  if (const std::string why = not_local(host); !why.empty()) return nothing(why);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0)
    return nothing("getaddrinfo(\"" + host + "\", AF_INET) finds nothing: " + gai_strerror(rc) + hint(host, rc));
  sockaddr_in in{};
  std::memcpy(&in, list->ai_addr, sizeof in);
  freeaddrinfo(list);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
  std::printf("%s\n", text);
  return 0;
}

int hostname() {
  char name[256 + 1] = {};
  if (gethostname(name, sizeof name - 1) != 0) return nothing("gethostname fails: " + std::string(std::strerror(errno)));
  std::printf("%s\n", name);
  return 0;
}

int service(const std::string& name, const std::string& proto) {
  const servent* s = getservbyname(name.c_str(), proto.c_str());
  if (s == nullptr)
    return nothing("getservbyname(\"" + name + "\", \"" + proto + "\") finds nothing" + hint("", EAI_SERVICE));
  std::printf("%d\n", ntohs(static_cast<std::uint16_t>(s->s_port)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  if (command == "resolve") return resolve(argc - 2, argv + 2);
  if (command == "lookup" && argc == 3) return lookup(argv[2]);
  if (command == "hostname" && argc == 2) return hostname();
  if (command == "service" && argc == 4) return service(argv[2], argv[3]);
  return usage();
}
