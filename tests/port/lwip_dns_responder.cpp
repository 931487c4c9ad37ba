// SPDX-License-Identifier: MIT
// A DNS responder on lwIP's loopback for the firmware configuration's resolve tests (the messages:
// dns_message.hpp).
#include "lwip_dns_responder.hpp"

#include "dns_message.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>

extern "C" {
#include "lwip/dns.h"
#include "lwip/errno.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"
}

#include "emsock/port/native.hpp"  // errc_from_errno
#include "peer_thread.hpp"       // the worker: std::thread on hosts, a kernel thread on the board

namespace lwip_test {
namespace {

std::atomic<bool> stop{false};
std::atomic<unsigned> answered{0};
conformance::peer_thread worker;
int sock = -1;

void answer(const std::uint8_t* query, std::size_t size, const sockaddr* from, socklen_t from_len) {
  std::uint8_t reply[max_dns_reply];
  const std::size_t n = dns_reply(query, size, reply);
  if (n > 0 && lwip_sendto(sock, reply, n, 0, from, from_len) > 0) ++answered;
}

/// Makes 127.0.0.1 lwIP's DNS server (tcpip_callback_wait: in lwIP's core).
void use_this_server(void*) {
  ip_addr_t server;
  IP_ADDR4(&server, 127, 0, 0, 1);
  dns_setserver(0, &server);
}

void serve() {
  std::uint8_t query[512];
  while (!stop.load()) {
    pollfd p{};
    p.fd = sock;
    p.events = POLLIN;
    if (lwip_poll(&p, 1, 100) <= 0) continue;
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = lwip_recvfrom(sock, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n > 0) answer(query, static_cast<std::size_t>(n), reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

}  // namespace

emsock::status start_dns_responder() noexcept {
  sock = lwip_socket(AF_INET, SOCK_DGRAM, 0);
  if (sock < 0) return emsock::errc_from_errno(errno);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = lwip_htons(53);
  a.sin_addr.s_addr = lwip_htonl(0x7f000001u);
  if (lwip_bind(sock, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    const emsock::errc code = emsock::errc_from_errno(errno);
    lwip_close(sock);
    sock = -1;
    return code;
  }
  // In lwIP's core: under the core lock, or on the tcpip thread without LWIP_TCPIP_CORE_LOCKING.
  if (tcpip_callback_wait(use_this_server, nullptr) != ERR_OK) {
    lwip_close(sock);
    sock = -1;
    return emsock::errc::out_of_memory;
  }
  stop = false;
  worker = conformance::peer_thread(serve);
  return {};
}

void stop_dns_responder() noexcept {
  stop = true;
  // Wakes the worker from its poll at once (one byte, not a question: no answer), instead of letting
  // the poll's 100 ms run out; every test process of the suite ends through here.
  const int waker = lwip_socket(AF_INET, SOCK_DGRAM, 0);
  if (waker >= 0) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(53);
    a.sin_addr.s_addr = lwip_htonl(0x7f000001u);
    (void)lwip_sendto(waker, "w", 1, 0, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    lwip_close(waker);
  }
  if (worker.joinable()) worker.join();
  if (sock >= 0) lwip_close(sock);
  sock = -1;
}

unsigned dns_questions_answered() noexcept { return answered.load(); }

}  // namespace lwip_test
