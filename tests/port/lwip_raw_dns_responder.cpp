// SPDX-License-Identifier: MIT
// The test DNS responder for the lwip-raw backend: a raw UDP PCB on 127.0.0.1:53 that answers in its
// receive callback (dns_message.hpp), so that resolve() of a name goes through dns_gethostbyname and
// the loopback netif while the backend's hook drives the stack. lwIP's DNS client is pointed at it.
#include "lwip_raw_dns_responder.hpp"

#include "dns_message.hpp"

extern "C" {
#include "lwip/dns.h"
#include "lwip/udp.h"
}

namespace lwip_raw_test {
namespace {

udp_pcb* responder = nullptr;
unsigned answered = 0;

void on_question(void*, udp_pcb* pcb, pbuf* p, const ip_addr_t* from, u16_t port) {
  std::uint8_t query[lwip_test::max_dns_reply];
  std::uint8_t reply[lwip_test::max_dns_reply];
  const u16_t n = pbuf_copy_partial(p, query, sizeof query, 0);
  pbuf_free(p);
  const std::size_t size = lwip_test::dns_reply(query, n, reply);
  if (size == 0) return;
  pbuf* out = pbuf_alloc(PBUF_TRANSPORT, static_cast<u16_t>(size), PBUF_RAM);
  if (out == nullptr) return;
  (void)pbuf_take(out, reply, static_cast<u16_t>(size));
  if (udp_sendto(pcb, out, from, port) == ERR_OK) ++answered;
  pbuf_free(out);
}

}  // namespace

bool start_dns_responder() {
#if LWIP_DNS
  responder = udp_new();
  if (responder == nullptr) return false;
  ip_addr_t loopback;
  IP_ADDR4(&loopback, 127, 0, 0, 1);
  if (udp_bind(responder, &loopback, 53) != ERR_OK) return false;
  udp_recv(responder, on_question, nullptr);
  dns_setserver(0, &loopback);
  return true;
#else
  return false;
#endif
}

unsigned dns_questions_answered() { return answered; }

}  // namespace lwip_raw_test
