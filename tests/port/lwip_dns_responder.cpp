// SPDX-License-Identifier: MIT
// A DNS responder on lwIP's loopback for the firmware configuration's resolve tests (RFC 1035
// messages: one question, answers with a compression pointer to it).
#include "lwip_dns_responder.hpp"

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

constexpr std::uint16_t type_a = 1, type_aaaa = 28;

struct entry {
  const char* name;
  std::uint8_t v4[4];
  std::uint8_t v6[16];
};
constexpr entry table[] = {
    {"localhost", {127, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
    {test_name, {192, 0, 2, 44}, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x44}},
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// The question's name as dotted text (lower case) and the offset after the question; 0 on a
/// malformed or compressed question.
std::size_t read_question(const std::uint8_t* msg, std::size_t size, char (&name)[256], std::uint16_t& qtype) {
  std::size_t at = 12, out = 0;
  while (at < size && msg[at] != 0) {
    const std::size_t len = msg[at++];
    if (len > 63 || at + len > size || out + len + 1 >= sizeof name) return 0;
    if (out != 0) name[out++] = '.';
    for (std::size_t i = 0; i < len; ++i) name[out++] = lower(static_cast<char>(msg[at + i]));
    at += len;
  }
  name[out] = '\0';
  if (at + 5 > size) return 0;
  qtype = static_cast<std::uint16_t>(msg[at + 1] << 8 | msg[at + 2]);
  return at + 5;  // the terminating 0, QTYPE, QCLASS
}

void answer(const std::uint8_t* query, std::size_t size, const sockaddr* from, socklen_t from_len) {
  if (size < 12 || (query[2] & 0x80) != 0) return;  // not a question
  char name[256];
  std::uint16_t qtype = 0;
  const std::size_t end = read_question(query, size, name, qtype);
  if (end == 0) return;
  std::uint8_t reply[512];
  if (end + 16 + 16 > sizeof reply) return;
  std::memcpy(reply, query, end);
  const entry* found = nullptr;
  for (const entry& e : table)
    if (std::strcmp(e.name, name) == 0) found = &e;
  const bool has_answer = found != nullptr && (qtype == type_a || qtype == type_aaaa);
  reply[2] = static_cast<std::uint8_t>(0x80 | (query[2] & 0x01));  // QR, RD copied
  reply[3] = static_cast<std::uint8_t>(0x80 | (found == nullptr ? 3 : 0));  // RA; NXDOMAIN for unknown names
  reply[4] = 0, reply[5] = 1;  // one question
  reply[6] = 0, reply[7] = has_answer ? 1 : 0;
  std::memset(reply + 8, 0, 4);
  std::size_t at = end;
  if (has_answer) {
    const std::uint16_t rdlen = qtype == type_a ? 4 : 16;
    const std::uint8_t rr[] = {0xc0, 12,  // the name: pointer to the question
                               static_cast<std::uint8_t>(qtype >> 8), static_cast<std::uint8_t>(qtype & 0xff),
                               0, 1,            // class IN
                               0, 0, 0, 60,     // TTL
                               0, static_cast<std::uint8_t>(rdlen)};
    std::memcpy(reply + at, rr, sizeof rr);
    at += sizeof rr;
    std::memcpy(reply + at, qtype == type_a ? found->v4 : found->v6, rdlen);
    at += rdlen;
  }
  if (lwip_sendto(sock, reply, at, 0, from, from_len) > 0) ++answered;
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
