// SPDX-License-Identifier: MIT
// Named IPv6 zones and UDP multicast (emsock/port/udp.hpp): interface_index, a zone given as the
// loopback interface's name, binding a group or broadcast address, joining and leaving an IPv4 and
// an IPv6 group on the loopback interface, a datagram sent to the group received there, and the
// errors of each call. Nothing leaves the loopback: every membership names its interface.
#include <cstring>

#include "conformance.hpp"

using namespace conformance;
using emsock::errc;
using emsock::ip_address;
using emsock::ipv4_address;
using emsock::multicast_interface;
using emsock::udp_options;
using emsock::udp_recv_result;
using emsock::udp_socket;
using namespace std::chrono_literals;

namespace {

/// Administratively scoped test groups (RFC 2365), a link-local IPv6 one, and mDNS's.
const ipv4_address group_v4 = ipv4_address::parse("239.255.77.1").value();
const ipv4_address other_group_v4 = ipv4_address::parse("239.255.77.2").value();
const ipv4_address mdns_v4 = ipv4_address::parse("224.0.0.251").value();
const ipv4_address loopback_address = ipv4_address::parse("127.0.0.1").value();

/// The loopback interface's name, or a skip when the backend has no interface names.
const char* loopback_name() {
  if (env().loopback_interface == nullptr) note_skip("", "the backend has no interface names");
  return env().loopback_interface;
}

/// `text`, parsed (a test's own constant: CHECKed).
ip_address address(const char* text) {
  const auto a = ip_address::parse(text);
  CHECK_OK(a);
  return a.value();
}

/// "<address>%<zone>" parsed.
ip_address zoned(const char* address_text, const char* zone) {
  char text[96] = {};
  const std::size_t a = std::strlen(address_text);
  const std::size_t z = std::strlen(zone);
  CHECK(a + 1 + z < sizeof text);
  std::memcpy(text, address_text, a);
  text[a] = '%';
  std::memcpy(text + a + 1, zone, z);
  return address(text);
}

/// The loopback interface's index as decimal text in `out`.
const char* index_text(std::uint32_t index, char (&out)[12]) {
  char reversed[12];
  std::size_t n = 0;
  do {
    reversed[n++] = static_cast<char>('0' + index % 10);
    index /= 10;
  } while (index != 0);
  for (std::size_t i = 0; i < n; ++i) out[i] = reversed[n - 1 - i];
  out[n] = '\0';
  return out;
}

/// Skips (after checking the answer) when the backend says groups of `group`'s family are not built in.
void require_groups(udp_socket& s, const ip_address& group, const multicast_interface& on) {
  const char* why = group.is_v4() ? env().why_no_ipv4_groups : env().why_no_ipv6_groups;
  if (why == nullptr) return;
  CHECK_ERRC(errc::operation_not_supported, s.join_group(group, on));
  note_skip("", why);
}

/// Sets `s`'s multicast sending interface, or skips (after checking the answer) where the system
/// under the tests refuses the option.
void send_through(udp_socket& s, const multicast_interface& on) {
  if (env().why_no_multicast_interface_option != nullptr) {
    CHECK_ERRC(errc::operation_not_supported, s.set_multicast_interface(on));
    note_skip("", env().why_no_multicast_interface_option);
  }
  CHECK_OK(s.set_multicast_interface(on));
}

/// `sender` sends `text` to `to`; `receiver` gets it whole, from the sender.
void check_delivery(udp_socket& sender, udp_socket& receiver, const emsock::endpoint& to, const char* text) {
  const std::size_t size = std::strlen(text);
  CHECK_OK(sender.send_to(text, size, to));
  char in[64] = {};
  const udp_recv_result got = receiver.recv_from(in, sizeof in);
  CHECK_OK(got);
  UNSIGNED_LONGS_EQUAL(size, got.size);
  MEMCMP_EQUAL(text, in, size);
  CHECK(got.from.port == bound(sender).port);
}

/// Nothing arrives at `receiver` within a short wait.
void check_nothing_arrives(udp_socket& receiver) {
  CHECK_OK(receiver.set_receive_timeout(300ms));
  char in[64];
  const udp_recv_result got = receiver.recv_from(in, sizeof in);
  CHECK_ERRC(errc::timed_out, got);
}

}  // namespace

// --- interface names and named zones ---------------------------------------------------------------

TEST_GROUP_BASE(zones, handle_leak_check) {};

TEST(zones, interface_index_of_the_loopback_name) {
  const char* name = loopback_name();
  const auto index = emsock::interface_index(name);
  CHECK_OK(index);
  CHECK(index.value() > 0);
}

TEST(zones, interface_index_errors) {
  CHECK_ERRC(errc::address_not_available, emsock::interface_index("zz9"));  // short enough for lwIP (5)
  CHECK_ERRC(errc::invalid_argument, emsock::interface_index(""));
  CHECK_ERRC(errc::invalid_argument, emsock::interface_index("a-name-longer-than-any-platform-takes"));
}

TEST(zones, a_named_zone_addresses_the_loopback) {
  require_ipv6();
  const char* name = loopback_name();
  udp_socket receiver = open_udp({zoned("::1", name), 0});
  udp_socket sender = open_udp(loopback_v6());
  check_delivery(sender, receiver, {zoned("::1", name), bound(receiver).port}, "named zone");
}

TEST(zones, a_numeric_zone_is_the_same_interface) {
  require_ipv6();
  const auto index = emsock::interface_index(loopback_name());
  CHECK_OK(index);
  char digits[12];
  udp_socket receiver = open_udp({zoned("::1", index_text(index.value(), digits)), 0});
  udp_socket sender = open_udp(loopback_v6());
  check_delivery(sender, receiver, {zoned("::1", digits), bound(receiver).port}, "numeric zone");
}

TEST(zones, an_unknown_zone_name_is_address_not_available) {
  require_ipv6();
  CHECK_ERRC(errc::address_not_available, udp_socket::open({zoned("::1", "nosuch9"), 0}));
  udp_socket sender = open_udp(loopback_v6());
  CHECK_ERRC(errc::address_not_available, sender.send_to("x", 1, {zoned("::1", "nosuch9"), 9}));
}

// --- binding group and broadcast addresses ------------------------------------------------------------

TEST_GROUP_BASE(multicast, handle_leak_check) {};

TEST(multicast, a_group_address_can_be_bound) {
  udp_socket s = open_udp({mdns_v4, 0});
  CHECK(bound(s).address == ip_address(mdns_v4));
}

TEST(multicast, the_broadcast_address_can_be_bound) {
  udp_socket s = open_udp({ipv4_address::parse("255.255.255.255").value(), 0});
  CHECK(bound(s).address.v4().is_broadcast());
}

TEST(multicast, an_ipv6_group_with_its_zone_can_be_bound) {
  require_ipv6();
  const char* name = loopback_name();
  udp_socket s = open_udp({zoned("ff02::114", name), 0});
  CHECK(bound(s).address.v6() == address("ff02::114").v6());
}

TEST(multicast, an_ipv6_link_local_group_without_zone_is_invalid_argument) {
  require_ipv6();
  CHECK_ERRC(errc::invalid_argument, udp_socket::open({address("ff02::114"), 0}));
}

// --- IPv4 groups ---------------------------------------------------------------------------------------

TEST(multicast, ipv4_join_receive_leave) {
  const multicast_interface lo = multicast_interface::by_address(loopback_address);
  udp_socket receiver = open_udp({group_v4, 0});
  require_groups(receiver, group_v4, lo);
  CHECK_OK(receiver.join_group(group_v4, lo));
  udp_socket sender = open_udp(loopback_v4());
  send_through(sender, lo);
  const emsock::endpoint to{group_v4, bound(receiver).port};
  check_delivery(sender, receiver, to, "to the group");
  CHECK_OK(receiver.leave_group(group_v4, lo));
  CHECK_OK(sender.send_to("after leaving", 13, to));
  check_nothing_arrives(receiver);
}

TEST(multicast, ipv4_join_by_interface_index) {
  const auto index = emsock::interface_index(loopback_name());
  CHECK_OK(index);
  const multicast_interface lo = multicast_interface::by_index(index.value());
  udp_socket receiver = open_udp({ipv4_address(), 0});
  require_groups(receiver, group_v4, lo);
  if (env().why_no_ipv4_join_by_index != nullptr) {
    CHECK(!receiver.join_group(group_v4, lo).ok());
    note_skip("", env().why_no_ipv4_join_by_index);
  }
  CHECK_OK(receiver.join_group(group_v4, lo));
  udp_socket sender = open_udp(loopback_v4());
  send_through(sender, lo);
  check_delivery(sender, receiver, {group_v4, bound(receiver).port}, "by index");
  CHECK_OK(receiver.leave_group(group_v4, lo));
}

TEST(multicast, a_socket_bound_to_another_group_does_not_receive) {
  const multicast_interface lo = multicast_interface::by_address(loopback_address);
  udp_socket member = open_udp({group_v4, 0});
  require_groups(member, group_v4, lo);
  CHECK_OK(member.join_group(group_v4, lo));
  udp_socket elsewhere = open_udp({other_group_v4, bound(member).port});
  udp_socket sender = open_udp(loopback_v4());
  send_through(sender, lo);
  check_delivery(sender, member, {group_v4, bound(member).port}, "members only");
  check_nothing_arrives(elsewhere);
  CHECK_OK(member.leave_group(group_v4, lo));
}

TEST(multicast, ipv4_leaving_a_group_not_joined_is_address_not_available) {
  const multicast_interface lo = multicast_interface::by_address(loopback_address);
  udp_socket s = open_udp(loopback_v4());
  require_groups(s, group_v4, lo);
  CHECK_ERRC(errc::address_not_available, s.leave_group(group_v4, lo));
  CHECK_OK(s.join_group(group_v4, lo));
  CHECK_OK(s.leave_group(group_v4, lo));
  CHECK_ERRC(errc::address_not_available, s.leave_group(group_v4, lo));
}

TEST(multicast, ipv4_group_errors) {
  const multicast_interface lo = multicast_interface::by_address(loopback_address);
  udp_socket s = open_udp(loopback_v4());
  require_groups(s, group_v4, lo);
  CHECK_ERRC(errc::invalid_argument, s.join_group(loopback_address, lo));            // not a group
  CHECK_ERRC(errc::invalid_argument, s.leave_group(ipv4_address(), lo));             // not a group
  CHECK_ERRC(errc::invalid_argument, s.join_group(group_v4, multicast_interface{1, loopback_address}));
  CHECK_ERRC(errc::address_not_available,                                            // no such interface
             s.join_group(group_v4, multicast_interface::by_address(ipv4_address::parse("192.0.2.77").value())));
  CHECK_ERRC(errc::address_not_available, s.join_group(group_v4, multicast_interface::by_index(250)));
  CHECK_ERRC(errc::family_not_supported, s.join_group(address("ff02::114"), lo));
  udp_socket closed;
  CHECK_ERRC(errc::invalid_argument, closed.join_group(group_v4, lo));
  CHECK_ERRC(errc::invalid_argument, closed.leave_group(group_v4, lo));
}

TEST(multicast, ipv4_sending_options) {
  udp_socket s = open_udp(loopback_v4());
  CHECK_OK(s.set_multicast_hops(0));
  CHECK_OK(s.set_multicast_hops(255));
  CHECK_ERRC(errc::invalid_argument, s.set_multicast_hops(256));
  CHECK_ERRC(errc::invalid_argument, s.set_multicast_interface(multicast_interface{1, loopback_address}));
  udp_socket closed;
  CHECK_ERRC(errc::invalid_argument, closed.set_multicast_hops(1));
  CHECK_ERRC(errc::invalid_argument, closed.set_multicast_interface({}));
  send_through(s, multicast_interface::by_address(loopback_address));
  CHECK_ERRC(errc::address_not_available,
             s.set_multicast_interface(multicast_interface::by_address(ipv4_address::parse("192.0.2.77").value())));
  CHECK_OK(s.set_multicast_interface({}));  // back to the stack's choice
}

// --- IPv6 groups ---------------------------------------------------------------------------------------

TEST(multicast, ipv6_join_and_leave_by_zone_name) {
  require_ipv6();
  const char* name = loopback_name();
  const ip_address group = zoned("ff02::114", name);
  udp_socket s = open_udp(loopback_v6());
  require_groups(s, group, {});
  CHECK_OK(s.join_group(group));  // the zone names the interface
  CHECK_OK(s.leave_group(group));
  CHECK_ERRC(errc::address_not_available, s.leave_group(group));
}

TEST(multicast, ipv6_group_errors) {
  require_ipv6();
  const auto index = emsock::interface_index(loopback_name());
  CHECK_OK(index);
  const multicast_interface lo = multicast_interface::by_index(index.value());
  udp_socket s = open_udp(loopback_v6());
  require_groups(s, address("ff02::114"), lo);
  CHECK_ERRC(errc::invalid_argument, s.join_group(address("::1"), lo));  // not a group
  CHECK_ERRC(errc::invalid_argument, s.join_group(address("ff02::114"), multicast_interface::by_address(loopback_address)));
  CHECK_ERRC(errc::invalid_argument, s.join_group(zoned("ff02::114", "nosuch9"), lo));  // zone and interface disagree
  CHECK_ERRC(errc::address_not_available, s.join_group(address("ff02::114"), multicast_interface::by_index(250)));
  CHECK_ERRC(errc::address_not_available, s.leave_group(address("ff02::114"), lo));
  CHECK_ERRC(errc::family_not_supported, s.join_group(group_v4, lo));
}

TEST(multicast, ipv6_group_datagram_over_the_loopback) {
  require_ipv6();
  const char* name = loopback_name();
  const ip_address group = zoned("ff02::114", name);
  udp_socket receiver = open_udp({group, 0});
  require_groups(receiver, group, {});
  CHECK_OK(receiver.join_group(group));
  if (env().why_no_ipv6_multicast_loopback != nullptr) {
    CHECK_OK(receiver.leave_group(group));
    note_skip("", env().why_no_ipv6_multicast_loopback);
  }
  udp_socket sender = open_udp(loopback_v6());
  const emsock::endpoint to{group, bound(receiver).port};
  check_delivery(sender, receiver, to, "to the IPv6 group");
  CHECK_OK(receiver.leave_group(group));
  CHECK_OK(sender.send_to("after leaving", 13, to));
  check_nothing_arrives(receiver);
}

TEST(multicast, ipv6_sending_options) {
  require_ipv6();
  const auto index = emsock::interface_index(loopback_name());
  CHECK_OK(index);
  udp_socket s = open_udp(loopback_v6());
  CHECK_ERRC(errc::invalid_argument, s.set_multicast_hops(256));
  CHECK_ERRC(errc::invalid_argument, s.set_multicast_interface(multicast_interface::by_address(loopback_address)));
  if (!env().has_ipv6_multicast_options) {
    CHECK_ERRC(errc::operation_not_supported, s.set_multicast_hops(1));
    CHECK_ERRC(errc::operation_not_supported, s.set_multicast_interface(multicast_interface::by_index(index.value())));
    note_skip("", "lwIP 2.1 has no IPv6 multicast sending options (a zone on the destination picks the interface)");
  }
  CHECK_OK(s.set_multicast_hops(1));
  send_through(s, multicast_interface::by_index(index.value()));
  CHECK_ERRC(errc::address_not_available, s.set_multicast_interface(multicast_interface::by_index(250)));
}
