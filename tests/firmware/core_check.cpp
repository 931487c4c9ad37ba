// SPDX-License-Identifier: MIT
// ctest sys-arch-core-check: with LWIP_TCPIP_CORE_LOCKING=0, lwIP's core belongs to its tcpip thread, and
// the CMSIS-RTOS2 sys_arch checks it (emsock_sys_assert_tcpip_thread, lwIP's LWIP_ASSERT_CORE_LOCKED). This
// image starts lwIP, then enters the core (sys_timeout) from another thread: the check must print its line
// and stop the image with a non-zero status. Reaching the end means the check let it through (status 0,
// which the test refuses).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cmsis_os2.h"
extern "C" {
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip/timeouts.h"
}

namespace {
alignas(8) std::uint8_t g_stack[8192];

void started(void* done) { sys_sem_signal(static_cast<sys_sem_t*>(done)); }
void never(void*) {}

void run(void*) {
  sys_sem_t done;
  if (sys_sem_new(&done, 0) != ERR_OK) std::exit(2);
  tcpip_init(started, &done);
  if (sys_arch_sem_wait(&done, 1000) == SYS_ARCH_TIMEOUT) std::exit(3);
  std::puts("core-check: lwIP runs; entering its core from another thread");
  sys_timeout(10, never, nullptr);  // not the tcpip thread: the check stops the image here
  std::puts("core-check: the core was entered outside the tcpip thread unnoticed");
  std::exit(0);
}
}  // namespace

int main(int, char**) {
  if (osKernelInitialize() != osOK) return 4;
  osThreadAttr_t attr{};
  attr.name = "core-check";
  attr.stack_mem = g_stack;
  attr.stack_size = sizeof g_stack;
  if (osThreadNew(run, nullptr, &attr) == nullptr) return 5;
  osKernelStart();
  return 6;
}
