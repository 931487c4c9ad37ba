// SPDX-License-Identifier: MIT
// The lwIP backend's own tests (its error mappings: lwip_errors_test.cpp): names without DNS, the host name, the clock,
// and threads (what reads the stack's state does it in lwIP's core).
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>

extern "C" {
#include "lwip/errno.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
}

#include "conformance.hpp"
#include "emsock/port/clock.hpp"
#include "loopback_stack.hpp"

using emsock::errc;

TEST_GROUP_BASE(lwip_names, conformance::handle_leak_check){};

TEST(lwip_names, numeric_hosts_resolve_without_dns) {
  emsock::resolved out[4];
  emsock::resolve_hints h;
  h.type = emsock::socket_type::stream;
  const auto v4 = emsock::resolve("127.0.0.1", "8080", h, out);
  CHECK_OK(v4);
  UNSIGNED_LONGS_EQUAL(1, v4->stored);
  CHECK(out[0].where == conformance::loopback_v4(8080));
  CHECK(out[0].protocol == emsock::ip_protocol::tcp);
  const auto v6 = emsock::resolve("::1", "443", h, out);
  CHECK_OK(v6);
  CHECK(out[0].where == conformance::loopback_v6(443));
  emsock::resolve_hints any;
  const auto both = emsock::resolve("127.0.0.1", "7", any, out);  // one entry per socket type
  CHECK_OK(both);
  UNSIGNED_LONGS_EQUAL(2, both->found);
  const auto ip = emsock::resolve_ipv4("127.0.0.2");
  CHECK_OK(ip);
  CHECK(ip.value() == emsock::ipv4_address(127, 0, 0, 2));
}

TEST(lwip_names, names_without_dns_are_unavailable_and_services_are_numbers) {
  emsock::resolved out[2];
  if (!emsock::lwip_has_dns) {
    CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve("localhost", "80", {}, out));
    CHECK_ERRC(errc::name_resolution_unavailable, emsock::resolve_ipv4("example.com"));
  }
  CHECK_ERRC(errc::name_not_found, emsock::resolve("host.invalid", "80", {}, out));  // RFC 6761, no lookup
  CHECK_ERRC(errc::service_not_found, emsock::resolve("127.0.0.1", "http", {}, out));  // no services database
  CHECK_ERRC(errc::service_not_found, emsock::resolve("127.0.0.1", "65536", {}, out));
  emsock::resolve_hints numeric;
  numeric.numeric_host = true;
  CHECK_ERRC(errc::name_not_found, emsock::resolve("localhost", "80", numeric, out));
  emsock::resolve_hints v6_only;
  v6_only.family = emsock::resolve_family::inet6;
  CHECK_ERRC(errc::name_not_found, emsock::resolve("127.0.0.1", "80", v6_only, out));
}

TEST(lwip_names, the_configured_host_name_wins) {
  char before[emsock::max_host_name_len + 1];
  CHECK_OK(emsock::host_name(before));
  CHECK_OK(emsock::lwip::set_host_name("board-7"));
  char name[16];
  const auto n = emsock::host_name(name);
  CHECK_OK(n);
  STRCMP_EQUAL("board-7", name);
  CHECK_ERRC(errc::invalid_argument, emsock::lwip::set_host_name(std::string_view("a\0b", 3)));
  CHECK_ERRC(errc::invalid_argument, emsock::lwip::set_host_name(std::string(64, 'x')));
  CHECK_OK(emsock::lwip::set_host_name(before));
}

TEST_GROUP(lwip_clock){};

TEST(lwip_clock, monotonic_ms_follows_sys_now) {
  const std::uint64_t a = emsock::monotonic_ms();
  const std::int64_t start = conformance::now_ms();
  while (conformance::now_ms() - start < 30) {
  }
  const std::uint64_t b = emsock::monotonic_ms();
  CHECK(b >= a + 20);
  CHECK(b <= a + 1000);
}

TEST_GROUP_BASE(lwip_sockets, conformance::handle_leak_check){};

TEST(lwip_sockets, descriptors_are_lwip_descriptors_counted_by_the_fixture) {
  const std::size_t before = emsock::lwip::open_socket_count();
  auto l = emsock::tcp_listener::listen(conformance::loopback_v4(0));
  CHECK_OK(l);
  CHECK(l->native_handle() >= LWIP_SOCKET_OFFSET);
  UNSIGNED_LONGS_EQUAL(before + 1, emsock::lwip::open_socket_count());
}

// --- Threads: what reads lwIP's stack state does it in lwIP's core --------------------------------
//
// A test holds lwIP's tcpip thread inside a callback (so the core is busy, as when the stack is
// working), changes the stack's state there when it lets go, and meanwhile asks emsock from another
// thread. An answer read in lwIP's core (under the core lock, or on the tcpip thread without
// LWIP_TCPIP_CORE_LOCKING) comes after the change; one read outside it would see the old state.

namespace {

/// Holds lwIP's tcpip thread in a callback from start() until release(); `change` runs there, in
/// lwIP's core, just before the thread goes on.
class core_hold {
 public:
  core_hold(void (*change)(void*), void* context) : change_(change), context_(context) {}
  core_hold(const core_hold&) = delete;
  core_hold& operator=(const core_hold&) = delete;
  ~core_hold() { release(); }

  /// True once the tcpip thread is inside the callback.
  bool start() {
    if (tcpip_callback(held, this) != ERR_OK) return false;
    posted_ = true;
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [this] { return entered_; });
  }
  /// Lets the tcpip thread make the change and go on; returns once it has left the callback.
  void release() {
    if (!posted_) return;
    std::unique_lock<std::mutex> lock(mutex_);
    released_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return left_; });
    posted_ = false;
  }

 private:
  static void held(void* self) {
    auto* h = static_cast<core_hold*>(self);
    std::unique_lock<std::mutex> lock(h->mutex_);
    h->entered_ = true;
    h->changed_.notify_all();
    h->changed_.wait(lock, [h] { return h->released_; });
    h->change_(h->context_);
    h->left_ = true;
    h->changed_.notify_all();
  }

  void (*change_)(void*);
  void* context_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool posted_ = false;
  bool entered_ = false;
  bool released_ = false;
  bool left_ = false;
};

/// Runs `ask` in a thread while `hold` keeps the core busy: waits 300 ms for it and checks that it
/// has not answered by then (an answer taken in lwIP's core cannot come before the release), then
/// releases the core and joins.
template <class Ask>
void ask_while_the_core_is_held(core_hold& hold, Ask ask) {
  std::promise<void> answered;
  std::future<void> done = answered.get_future();
  std::thread asker([&] {
    ask();
    answered.set_value();
  });
  const bool early = done.wait_for(std::chrono::milliseconds(300)) != std::future_status::timeout;
  hold.release();
  asker.join();
  CHECK_TEXT(!early, "answered while lwIP's core was held: the answer was not taken in the core");
}

#if LWIP_IPV6
const emsock::ipv6_address extra_v6 = emsock::ipv6_address::parse("fd00::7").value();

void add_extra_v6(void*) {  // slot 1 of the loopback netif (::1 is slot 0)
  ip6_addr_t a;
  std::memcpy(a.addr, extra_v6.bytes().data(), 16);
  ip6_addr_clear_zone(&a);
  netif_ip6_addr_set(netif_default, 1, &a);
  netif_ip6_addr_set_state(netif_default, 1, IP6_ADDR_PREFERRED);
}
void remove_extra_v6(void*) { netif_ip6_addr_set_state(netif_default, 1, IP6_ADDR_INVALID); }
#endif

#if LWIP_NETIF_HOSTNAME
const char changed_host_name[] = "changed-in-the-core";
const char* saved_host_name = nullptr;
void change_host_name(void*) {
  saved_host_name = netif_default->hostname;
  netif_default->hostname = changed_host_name;
}
void restore_host_name(void*) { netif_default->hostname = saved_host_name; }
#endif

}  // namespace

TEST_GROUP_BASE(lwip_threads, conformance::handle_leak_check){};

#if LWIP_IPV6
TEST(lwip_threads, listen_checks_its_address_in_lwips_core) {
  conformance::require_ipv6();  // (the loopback netif has ::1 when it has IPv6)
  core_hold hold(add_extra_v6, nullptr);
  CHECK(hold.start());
  emsock::result<emsock::tcp_listener> listening = errc::system_error;
  ask_while_the_core_is_held(hold, [&] { listening = emsock::tcp_listener::listen({extra_v6, 0}); });
  CHECK_OK(listening);  // the address was on the netif by the time the core answered
  listening = errc::system_error;  // closed
  LONGS_EQUAL(ERR_OK, tcpip_callback_wait(remove_extra_v6, nullptr));
  CHECK_ERRC(errc::address_not_available, emsock::tcp_listener::listen({extra_v6, 0}));
}
#endif

#if LWIP_NETIF_HOSTNAME
TEST(lwip_threads, host_name_reads_the_netifs_name_in_lwips_core) {
  CHECK_OK(emsock::lwip::set_host_name(""));  // no configured name: the default netif's
  core_hold hold(change_host_name, nullptr);
  CHECK(hold.start());
  char name[64] = {};
  emsock::result<std::size_t> n = errc::system_error;
  ask_while_the_core_is_held(hold, [&] { n = emsock::host_name(name); });
  LONGS_EQUAL(ERR_OK, tcpip_callback_wait(restore_host_name, nullptr));
  CHECK_OK(n);
  STRCMP_EQUAL(changed_host_name, name);
}
#endif
