// SPDX-License-Identifier: MIT
// What the POSIX backend's udp_socket does beyond the conformance suite, as Linux does it: the real
// length of a truncated datagram at the protocol's limit, ICMP port unreachable on a connected
// socket, close-on-exec.
#include <fcntl.h>

#include <CppUTest/TestHarness.h>

#include "emsock/port/udp.hpp"

using emsock::errc;
using emsock::udp_socket;
using namespace std::chrono_literals;

#define CHECK_OK(outcome) STRCMP_EQUAL("ok", emsock::name((outcome).code()))
#define CHECK_ERRC(expected, outcome) STRCMP_EQUAL(emsock::name(expected), emsock::name((outcome).code()))

namespace {

udp_socket open_loopback() {
  auto s = udp_socket::open({emsock::ipv4_address::loopback(), 0});
  CHECK_OK(s);
  udp_socket u = std::move(s).value();
  CHECK_OK(u.set_receive_timeout(2000ms));
  return u;
}

unsigned char big[emsock::max_udp_payload_v4];

}  // namespace

TEST_GROUP(posix_udp){};

TEST(posix_udp, a_truncated_datagram_tells_its_real_length_up_to_the_protocol_limit) {
  udp_socket a = open_loopback();
  udp_socket b = open_loopback();
  CHECK_OK(a.send_to(big, sizeof big, b.local_endpoint().value()));
  char small[16];
  const emsock::udp_recv_result r = b.recv_from(small, sizeof small);
  CHECK_ERRC(errc::datagram_truncated, r);
  UNSIGNED_LONGS_EQUAL(sizeof small, r.size);
  UNSIGNED_LONGS_EQUAL(emsock::max_udp_payload_v4, r.datagram_size);  // MSG_TRUNC on Linux
}

TEST(posix_udp, a_connected_socket_hears_of_a_closed_port_once) {
  udp_socket a = open_loopback();
  emsock::endpoint gone;
  {
    udp_socket b = open_loopback();
    gone = b.local_endpoint().value();
  }  // closed: nobody on that port now
  CHECK_OK(a.connect(gone));
  CHECK_OK(a.send("x", 1));  // answered by ICMP port unreachable, which Linux keeps for the socket
  char c;
  CHECK_ERRC(errc::connection_refused, a.recv(&c, 1));
  CHECK_OK(a.set_receive_timeout(50ms));
  CHECK_ERRC(errc::timed_out, a.recv(&c, 1));  // reported once
}

TEST(posix_udp, the_descriptor_is_close_on_exec) {
  udp_socket a = open_loopback();
  const int flags = ::fcntl(a.native_handle(), F_GETFD);
  CHECK(flags >= 0);
  CHECK((flags & FD_CLOEXEC) != 0);
}
