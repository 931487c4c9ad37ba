// SPDX-License-Identifier: MIT
// udp_echo_server: the reference the emsock UDP echo server is measured against (scripts/bench-udp).
//
// A minimal, single-threaded recvfrom/sendto loop on a blocking socket, written directly on Linux
// syscalls, deliberately not using emsock: each datagram is received into one buffer and sent back
// whole to its sender at once. What sendto refuses is dropped (a blocking UDP send on Linux rarely
// waits). The fastest plain echo there is for one thread; emsock-echo-server --udp adds a poll per
// round and its queue.
//
//   udp_echo_server [--bind ADDR] [--port N]   prints "listening on ADDR:PORT", serves until
//                                              SIGINT/SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

volatile sig_atomic_t stop = 0;
unsigned char datagram[65536];

void on_signal(int) { stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  const char* bind_text = "127.0.0.1";
  long port = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bind") == 0 && i + 1 < argc) {
      bind_text = argv[++i];
    } else if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      char* end = nullptr;
      port = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) {
        std::fprintf(stderr, "udp_echo_server: bad port '%s'\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: udp_echo_server [--bind IPV4] [--port N]\n");
      return 2;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<unsigned short>(port));
  if (inet_pton(AF_INET, bind_text, &addr.sin_addr) != 1) {
    std::fprintf(stderr, "udp_echo_server: bad IPv4 address '%s'\n", bind_text);
    return 2;
  }
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::fprintf(stderr, "udp_echo_server: %s\n", std::strerror(errno));
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  struct sigaction sa{};
  sa.sa_handler = on_signal;  // no SA_RESTART: a blocked recvfrom returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::printf("listening on %s:%u\n", bind_text, static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);

  unsigned long long echoed = 0, dropped = 0;
  while (stop == 0) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = recvfrom(fd, datagram, sizeof datagram, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "udp_echo_server: recvfrom: %s\n", std::strerror(errno));
      return 1;
    }
    if (sendto(fd, datagram, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), from_len) == n)
      ++echoed;
    else
      ++dropped;
  }
  std::printf("stopped: %llu datagrams echoed, %llu dropped\n", echoed, dropped);
  close(fd);
  return 0;
}
