// SPDX-License-Identifier: MIT
// examples/emsock-echo-load/udp_load.hpp - the --udp mode of emsock-echo-load.
#pragma once

#include <cstdint>

#include "emsock/ip_address.hpp"

namespace emsock_examples {

/// A checked --udp command line.
struct udp_load_settings {
  emsock::endpoint remote;
  std::uint64_t conns = 4;          ///< client sockets
  std::uint64_t size = 64;          ///< bytes per datagram, the 8-byte sequence included
  std::uint64_t window = 8;         ///< datagrams in flight per socket at most
  std::uint64_t count = 0;          ///< datagrams per socket (0: until --seconds)
  std::uint64_t seconds_ms = 2000;  ///< stop starting datagrams after this long (with count 0)
  std::uint64_t timeout_ms = 1000;  ///< a datagram not back within this long is lost
  std::uint64_t seed = 1;
};

/// Runs the load and prints its two lines. Returns the exit status: 0 when no echo was wrong, no
/// socket failed and at least one datagram came back; 1 otherwise. Loss alone is not a failure.
int run_udp_load(const udp_load_settings& s);

}  // namespace emsock_examples
