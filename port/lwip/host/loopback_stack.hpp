// SPDX-License-Identifier: MIT
// port/lwip/host/loopback_stack.hpp - a real lwIP stack inside a hosted process (tests, examples).
//
// Starts lwIP's tcpip thread (tcpip_init) and adds one loopback netif "lo": 127.0.0.1/8 and, when
// lwIP has IPv6, ::1. Its output and output_ip6 hand every packet to netif_loop_output, so traffic
// between sockets of this process goes through lwIP's whole TCP/IP path. Needs NO_SYS=0 and
// LWIP_NETIF_LOOPBACK=1 (Debian's liblwip-dev has both; LWIP_HAVE_LOOPIF is not needed). With
// LWIP_NETIF_HOSTNAME the netif is named "emsock-lwip" (what emsock::host_name() then reports).
#pragma once

#include <cstddef>

#include "emsock/result.hpp"

namespace emsock::lwip {

/// What the loopback netif offers.
struct loopback_info {
  bool ipv6 = false;  ///< ::1 is on the netif (LWIP_IPV6)
  /// The netif's name as lwIP names it: "lo" and its number ("lo0" for the first netif added);
  /// interface_index() and IPv6 zones take it. The netif takes part in IGMP (LWIP_IGMP).
  char name[8] = {};
};

/// Starts lwIP (once per process) and adds the loopback netif (again after stop_loopback_stack).
/// Idempotent and thread-safe. Waits at most 5 s for lwIP's thread to come up.
/// Errors: timed_out (the tcpip thread did not call back), out_of_memory (netif_add failed).
result<loopback_info> start_loopback_stack() noexcept;

/// Takes the loopback netif down and removes it (in lwIP's core). lwIP 2.1 has no way to end
/// its tcpip thread: it stays, idle, until the process exits. Close every socket first: their
/// connections lose their route. Idempotent.
void stop_loopback_stack() noexcept;

/// How many lwIP sockets are open now: probes lwIP's socket table with lwip_fcntl(F_GETFL) on
/// every descriptor from LWIP_SOCKET_OFFSET to LWIP_SOCKET_OFFSET + max_probed_sockets. Test use
/// only (about a microsecond per descriptor). errno is preserved.
std::size_t open_socket_count() noexcept;
inline constexpr int max_probed_sockets = 1024;

}  // namespace emsock::lwip
