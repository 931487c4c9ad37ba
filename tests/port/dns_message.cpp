// SPDX-License-Identifier: MIT
// The test DNS responders' messages (RFC 1035: one question, answers with a compression pointer to it),
// whatever carries them: lwIP's sockets (lwip_dns_responder.cpp) or its raw API (lwip_raw_dns_responder.cpp).
#include "dns_message.hpp"

#include <cstring>

namespace lwip_test {
namespace {

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

}  // namespace

std::size_t dns_reply(const std::uint8_t* query, std::size_t size, std::uint8_t (&reply)[max_dns_reply]) {
  if (size < 12 || (query[2] & 0x80) != 0) return 0;  // not a question
  char name[256];
  std::uint16_t qtype = 0;
  const std::size_t end = read_question(query, size, name, qtype);
  if (end == 0) return 0;
  if (end + 16 + 16 > sizeof reply) return 0;
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
  return at;
}


}  // namespace lwip_test
