// SPDX-License-Identifier: MIT
// A loopback netif on lwIP's tcpip thread, for hosted tests and examples, and the board's conformance
// images: it waits and locks with lwIP's own sys layer (sys_sem, sys_mutex), which every NO_SYS=0 port has.
#include "loopback_stack.hpp"

extern "C" {
#include "lwip/errno.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
}

#if !LWIP_NETIF_LOOPBACK
#error "emsock: the loopback stack needs LWIP_NETIF_LOOPBACK=1 (netif_loop_output)"
#endif

namespace emsock::lwip {
namespace {

sys_mutex_t state_mutex;     // start/stop against each other; made at the first call (state_lock())
bool tcpip_running = false;  // guarded by state_mutex
bool netif_added = false;    // guarded by state_mutex
netif loopback{};
#if LWIP_NETIF_HOSTNAME
char loopback_host_name[] = "emsock-lwip";  // host_name() reads it (LWIP_NETIF_HOSTNAME)
#endif

#if LWIP_IPV4
err_t output_v4(netif* n, pbuf* p, const ip4_addr_t*) { return netif_loop_output(n, p); }
#endif
#if LWIP_IPV6
err_t output_v6(netif* n, pbuf* p, const ip6_addr_t*) { return netif_loop_output(n, p); }
#endif

err_t loopback_init(netif* n) {
  n->name[0] = 'l';
  n->name[1] = 'o';
#if LWIP_IPV4
  n->output = output_v4;
#endif
#if LWIP_IPV6
  n->output_ip6 = output_v6;
#endif
  n->mtu = 1500;  // TCP_MSS 1460 + headers: segments as on Ethernet
#if LWIP_IGMP
  n->flags |= NETIF_FLAG_IGMP;  // ip4_input takes a group's datagrams only on an IGMP netif
#endif
  return ERR_OK;
}

/// Adds and raises the netif. Precondition: in lwIP's core (the tcpip thread, or the core lock held).
bool add_loopback() {
#if LWIP_IPV4
  ip4_addr_t address, mask, gateway;
  IP4_ADDR(&address, 127, 0, 0, 1);
  IP4_ADDR(&mask, 255, 0, 0, 0);
  IP4_ADDR(&gateway, 0, 0, 0, 0);
  if (netif_add(&loopback, &address, &mask, &gateway, nullptr, loopback_init, tcpip_input) == nullptr) return false;
#else
  if (netif_add_noaddr(&loopback, nullptr, loopback_init, tcpip_input) == nullptr) return false;
#endif
#if LWIP_IPV6
  ip6_addr_t v6;
  ip6_addr_set_loopback(&v6);
  netif_ip6_addr_set(&loopback, 0, &v6);
  netif_ip6_addr_set_state(&loopback, 0, IP6_ADDR_PREFERRED);  // no duplicate detection on loopback
#endif
#if LWIP_NETIF_HOSTNAME
  netif_set_hostname(&loopback, loopback_host_name);
#endif
  netif_set_default(&loopback);
  netif_set_link_up(&loopback);
  netif_set_up(&loopback);
  return true;
}

bool added_in_callback = false;  // written by the tcpip thread before it signals

/// state_mutex, made once (under lwIP's critical section, so that two first calls make one); null when
/// the port had no mutex to give.
sys_mutex_t* state_lock() {
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  if (!sys_mutex_valid(&state_mutex) && sys_mutex_new(&state_mutex) != ERR_OK) sys_mutex_set_invalid(&state_mutex);
  SYS_ARCH_UNPROTECT(level);
  return sys_mutex_valid(&state_mutex) ? &state_mutex : nullptr;
}

/// Holds state_mutex for the scope.
class state_guard {
 public:
  explicit state_guard(sys_mutex_t* m) noexcept : m_(m) { sys_mutex_lock(m_); }
  ~state_guard() { sys_mutex_unlock(m_); }
  state_guard(const state_guard&) = delete;
  state_guard& operator=(const state_guard&) = delete;

 private:
  sys_mutex_t* m_;
};

/// The netif's name, "lo" and its number (netif_add numbers the netifs).
void write_name(loopback_info& info) {
  info.name[0] = loopback.name[0];
  info.name[1] = loopback.name[1];
  char digits[4];
  std::size_t n = 0;
  unsigned num = loopback.num;
  do {
    digits[n++] = static_cast<char>('0' + num % 10);
    num /= 10;
  } while (num != 0);
  for (std::size_t i = 0; i < n; ++i) info.name[2 + i] = digits[n - 1 - i];
  info.name[2 + n] = '\0';
}

/// add_loopback() through tcpip_callback_wait (context: the bool it sets).
void add_loopback_in_core(void* added) { *static_cast<bool*>(added) = add_loopback(); }

/// Takes the netif down and removes it; through tcpip_callback_wait.
void remove_loopback_in_core(void*) {
  netif_set_down(&loopback);
  netif_set_link_down(&loopback);
  netif_remove(&loopback);
}

void tcpip_started(void* started) {
  // lwIP calls this on its own thread with the core lock held; start_loopback_stack() holds
  // state_mutex and waits on `started`.
  added_in_callback = add_loopback();
  sys_sem_signal(static_cast<sys_sem_t*>(started));
}

}  // namespace

result<loopback_info> start_loopback_stack() noexcept {
  loopback_info info;
  info.ipv6 = LWIP_IPV6 != 0;
  sys_mutex_t* m = state_lock();
  if (m == nullptr) return errc::out_of_memory;
  state_guard lock(m);
  if (netif_added) {
    write_name(info);
    return info;
  }
  if (!tcpip_running) {
    static sys_sem_t started;  // static: a late callback after a timeout still finds it
    if (!sys_sem_valid(&started) && sys_sem_new(&started, 0) != ERR_OK) return errc::out_of_memory;
    tcpip_init(tcpip_started, &started);
    if (sys_arch_sem_wait(&started, 5000) == SYS_ARCH_TIMEOUT) return errc::timed_out;
    tcpip_running = true;
    netif_added = added_in_callback;
    if (!netif_added) return errc::out_of_memory;
    write_name(info);
    return info;
  }
  // In lwIP's core: under the core lock, or on the tcpip thread without LWIP_TCPIP_CORE_LOCKING.
  bool added = false;
  if (tcpip_callback_wait(add_loopback_in_core, &added) != ERR_OK) return errc::out_of_memory;
  netif_added = added;
  if (!netif_added) return errc::out_of_memory;
  write_name(info);
  return info;
}

void stop_loopback_stack() noexcept {
  sys_mutex_t* m = state_lock();
  if (m == nullptr) return;
  state_guard lock(m);
  if (!netif_added) return;
  if (tcpip_callback_wait(remove_loopback_in_core, nullptr) != ERR_OK) return;  // no semaphore: left up
  netif_added = false;
}

std::size_t open_socket_count() noexcept {
  const int saved = errno;
  std::size_t open = 0;
  for (int fd = LWIP_SOCKET_OFFSET; fd < LWIP_SOCKET_OFFSET + max_probed_sockets; ++fd)
    if (lwip_fcntl(fd, F_GETFL, 0) >= 0) ++open;
  errno = saved;
  return open;
}

}  // namespace emsock::lwip
