// SPDX-License-Identifier: MIT
// lwIP NO_SYS=1 over its loopback netif, driven through the lwip-raw backend's one hook.
#include "lwip_raw_loopback.hpp"

#include <cstring>

#include "emsock/port/native.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

namespace lwip_raw_test {

void loopback_hook(void*, emsock::milliseconds may_sleep) {
  bool work = false;
  for (netif* n = netif_list; n != nullptr; n = n->next)
    if (n->loop_first != nullptr) work = true;
  netif_poll_all();
  sys_check_timeouts();
  if (!work && may_sleep.count() > 0) idle(may_sleep);
}

void start(char (&name)[8]) {
  lwip_init();
  emsock::lwip_raw::set_drive_hook(loopback_hook, nullptr);
  std::memset(name, 0, sizeof name);
  for (netif* n = netif_list; n != nullptr; n = n->next) {
    if (n->name[0] == 'l' && n->name[1] == 'o') {
      name[0] = 'l';
      name[1] = 'o';
      name[2] = static_cast<char>('0' + n->num % 10);
    }
  }
}

}  // namespace lwip_raw_test
