// SPDX-License-Identifier: MIT
// tests/port/dns_message.hpp - the test DNS responders' answers: A and AAAA for a fixed table (localhost,
// lwip_test::test_name), NXDOMAIN for every other name. No I/O: the responders carry the messages.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lwip_test {

/// The name the table answers besides localhost: A 192.0.2.44, AAAA 2001:db8::44.
inline constexpr const char* test_name = "emsock-test.lan";

/// The longest reply dns_reply() writes.
inline constexpr std::size_t max_dns_reply = 512;

/// Writes the reply to query[0, size) into `reply`; returns its length, 0 when the message is not a
/// well-formed question (no reply is due).
std::size_t dns_reply(const std::uint8_t* query, std::size_t size, std::uint8_t (&reply)[max_dns_reply]);

}  // namespace lwip_test
