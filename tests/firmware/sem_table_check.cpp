// SPDX-License-Identifier: MIT
// ctest sys-arch-sem-table-check: with LWIP_NETCONN_SEM_PER_THREAD, sys_arch keeps one semaphore per
// thread in a table of SYS_ARCH_THREAD_SEMS entries (2 in this image). A third thread asking for its
// semaphore must stop the image with sys_arch's line, whatever LWIP_NOASSERT says, rather than use an
// entry outside the table. Reaching the end means it went on (status 0, which the test refuses).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cmsis_os2.h"
extern "C" {
#include "lwip/sys.h"
}

namespace {
alignas(8) std::uint8_t g_stacks[3][2048];

void take_entry(void* done) {
  std::printf("sem-table-check: thread %p takes its semaphore\n", static_cast<void*>(osThreadGetId()));
  if (sys_arch_netconn_sem_get() == nullptr) std::exit(2);
  osSemaphoreRelease(static_cast<osSemaphoreId_t>(done));
  osDelay(osWaitForever);  // keeps its entry
}

void run(void*) {
  osSemaphoreId_t done = osSemaphoreNew(3, 0, nullptr);
  if (done == nullptr) std::exit(3);
  for (int k = 0; k < 2; ++k) {  // the table's two entries
    osThreadAttr_t attr{};
    attr.stack_mem = g_stacks[k + 1];
    attr.stack_size = sizeof g_stacks[k + 1];
    if (osThreadNew(take_entry, done, &attr) == nullptr) std::exit(4);
    if (osSemaphoreAcquire(done, 1000) != osOK) std::exit(5);
  }
  std::puts("sem-table-check: the table is full; a third thread asks");
  (void)sys_arch_netconn_sem_get();  // sys_arch stops the image here
  std::puts("sem-table-check: a third thread got a semaphore from a full table");
  std::exit(0);
}
}  // namespace

int main(int, char**) {
  if (osKernelInitialize() != osOK) return 6;
  osThreadAttr_t attr{};
  attr.name = "sem-table-check";
  attr.stack_mem = g_stacks[0];
  attr.stack_size = sizeof g_stacks[0];
  if (osThreadNew(run, nullptr, &attr) == nullptr) return 7;
  osKernelStart();
  return 8;
}
