// SPDX-License-Identifier: MIT
// examples/emsock-echo-client/udp_client.hpp - the --udp mode of emsock-echo-client.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/ip_address.hpp"
#include "emsock/echo_session.hpp"  // const_byte_span

namespace emsock_examples {

/// A checked --udp command line.
struct udp_request {
  emsock::endpoint server;
  std::uint32_t repeat = 1;           ///< datagrams, one at a time
  std::size_t size = 0;               ///< bytes per datagram, the 5-byte header included
  emsock::const_byte_span payload{};  ///< the bytes after the header (the MESSAGE, or random bytes)
  bool random = false;                ///< --size: print "received N bytes, verified"
  std::uint64_t timeout_ms = 10000;   ///< per datagram, its retries included (> 0)
};

/// Sends the datagrams, prints a line per verified echo and the summary; failures on standard
/// error. Returns the exit status: 0 when every datagram came back byte-exact, 1 otherwise.
int run_udp(const udp_request& request);

}  // namespace emsock_examples
