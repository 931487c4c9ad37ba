// SPDX-License-Identifier: MIT
// epoll_echo_server: the reference the emsock echo server is measured against.
//
// A minimal, single-threaded, edge-triggered epoll echo server written directly on Linux syscalls,
// deliberately not using emsock. Each connection has a fixed buffer; when the peer does not read,
// the server stops reading from it (backpressure) until the buffer drains.
//
// Kept equal to emsock-echo-server where it matters for a fair comparison: 16 KiB per connection,
// TCP_NODELAY on every accepted connection, listen backlog 4096 (scripts/bench-echo starts
// emsock-echo-server with --backlog 4096), one thread. On the peer's FIN it echoes what it still
// holds and then closes, like emsock's echo session.
//
//   epoll_echo_server [--bind ADDR] [--port N]     prints "listening on ADDR:PORT", serves until
//                                                  SIGINT/SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr std::size_t buffer_size = 16 * 1024;
constexpr int max_fds = 8192;  // 4096 clients and the rest, with room (calloc: untouched pages cost nothing)

struct connection {
  bool open = false;
  bool peer_closed = false;  // the peer's FIN arrived: send what is held, then close
  std::size_t begin = 0;     // first byte not yet echoed
  std::size_t end = 0;       // one past the last byte received
  char data[buffer_size];
};

connection* connections = nullptr;  // indexed by descriptor
volatile sig_atomic_t stop = 0;

void on_signal(int) { stop = 1; }

void close_connection(int epfd, int fd) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr);
  close(fd);
  connections[fd].open = false;
}

// Moves bytes: read while there is room, write while there is data, until both would block (the
// descriptor is edge-triggered, so stopping earlier could lose the wake-up). After the peer's FIN
// the held bytes are still sent; the connection closes once they are gone.
void serve(int epfd, int fd) {
  connection& c = connections[fd];
  for (;;) {
    bool progress = false;
    if (!c.peer_closed && c.end < buffer_size) {
      const ssize_t n = recv(fd, c.data + c.end, buffer_size - c.end, 0);
      if (n == 0) {
        c.peer_closed = true;
        progress = true;
      } else if (n > 0) {
        c.end += static_cast<std::size_t>(n);
        progress = true;
      } else if (errno == EINTR) {
        progress = true;  // try again
      } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        close_connection(epfd, fd);
        return;
      }
    }
    if (c.begin < c.end) {
      const ssize_t n = send(fd, c.data + c.begin, c.end - c.begin, MSG_NOSIGNAL);
      if (n > 0) {
        c.begin += static_cast<std::size_t>(n);
        if (c.begin == c.end) c.begin = c.end = 0;
        progress = true;
      } else if (n < 0 && errno == EINTR) {
        progress = true;
      } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        close_connection(epfd, fd);
        return;
      }
    }
    if (c.peer_closed && c.begin == c.end) {  // everything echoed: our FIN follows the data
      close_connection(epfd, fd);
      return;
    }
    if (!progress) return;
  }
}

int usage(const char* why) {
  std::fprintf(stderr, "epoll_echo_server: %s\nusage: epoll_echo_server [--bind ADDR] [--port N]\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* bind_addr = "127.0.0.1";
  long port = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bind") == 0 && i + 1 < argc) {
      bind_addr = argv[++i];
    } else if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      char* end = nullptr;
      port = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) return usage("bad port");
    } else {
      return usage("unknown argument");
    }
  }
  connections = static_cast<connection*>(std::calloc(static_cast<std::size_t>(max_fds), sizeof(connection)));
  if (connections == nullptr) return 1;

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) return usage("bad bind address");

  const int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (lfd < 0) {
    std::perror("epoll_echo_server: socket");
    return 1;
  }
  const int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lfd, 4096) != 0) {
    std::perror("epoll_echo_server: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on %s:%u\n", bind_addr, ntohs(addr.sin_port));
  std::fflush(stdout);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  const int epfd = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);

  epoll_event events[256];
  while (!stop) {
    const int n = epoll_wait(epfd, events, 256, 200);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == lfd) {
        for (;;) {
          const int cfd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK);
          if (cfd < 0) break;
          if (cfd >= max_fds) {
            close(cfd);
            continue;
          }
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          connections[cfd].open = true;
          connections[cfd].peer_closed = false;
          connections[cfd].begin = connections[cfd].end = 0;
          epoll_event cev{};
          cev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
          cev.data.fd = cfd;
          epoll_ctl(epfd, EPOLL_CTL_ADD, cfd, &cev);
        }
      } else if (connections[fd].open) {
        serve(epfd, fd);
      }
    }
  }
  for (int fd = 0; fd < max_fds; ++fd)
    if (connections[fd].open) close(fd);
  close(epfd);
  close(lfd);
  std::free(connections);
  return 0;
}
