// SPDX-License-Identifier: MIT
// tests/port/lwip_raw_dns_responder.hpp - a DNS server on lwIP's loopback netif over the raw API, for the
// lwip-raw backend's resolve() of names (LWIP_DNS): A and AAAA for localhost and lwip_test::test_name,
// NXDOMAIN otherwise (dns_message.hpp).
#pragma once

namespace lwip_raw_test {

/// Binds 127.0.0.1:53 and makes it lwIP's DNS server. False when it cannot (no LWIP_DNS, no PCB, port taken).
bool start_dns_responder();

/// Questions answered so far.
unsigned dns_questions_answered();

}  // namespace lwip_raw_test
