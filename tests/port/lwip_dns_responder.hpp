// SPDX-License-Identifier: MIT
// tests/port/lwip_dns_responder.hpp - a tiny DNS server on lwIP's loopback (UDP 127.0.0.1:53), so
// that resolve() can be tested through lwip_getaddrinfo without any network. It answers A and AAAA
// questions for a fixed table (localhost, emsock-test.lan) and NXDOMAIN for every other name.
#pragma once

#include "dns_message.hpp"  // the table: localhost, test_name
#include "emsock/result.hpp"

namespace lwip_test {


/// Starts the responder thread and points lwIP's DNS client at it (dns_setserver 0 = 127.0.0.1).
/// Errors: those of the socket and bind calls.
emsock::status start_dns_responder() noexcept;
/// Stops the thread (within 100 ms) and closes its socket.
void stop_dns_responder() noexcept;
/// Questions answered so far.
unsigned dns_questions_answered() noexcept;

}  // namespace lwip_test
