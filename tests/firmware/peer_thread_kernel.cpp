// SPDX-License-Identifier: MIT
// The conformance suite's peer_thread.hpp on the mps2 boards: each peer is a thread of the board's kernel
// (CMSIS-RTOS2) at osPriorityNormal, the suite's own priority, on one of max_peers static stacks; join()
// waits on the peer's semaphore. pause_ms() is osDelay, steady_ms() the kernel's tick (1 kHz).
#include <cstddef>
#include <cstdint>

#include <CppUTest/TestHarness.h>

#include "cmsis_os2.h"
#include "peer_thread.hpp"

namespace conformance {
namespace {

constexpr std::size_t max_peers = 10;  // the most cases run at once: 8 clients and a server
constexpr std::size_t stack_bytes = 8192;

struct peer {
  void (*run)(void*);
  void* callable;
  void (*destroy)(void*);
  osSemaphoreId_t done;
  bool used;
};
alignas(8) std::uint8_t g_stacks[max_peers][stack_bytes];
peer g_peers[max_peers];

void peer_main(void* arg) {
  auto* p = static_cast<peer*>(arg);
  p->run(p->callable);
  p->destroy(p->callable);
  // Interrupts stay masked from the release to the thread's end (osThreadExit unmasks once the kernel
  // has taken it off its table): the joiner, woken by the release, never sees this stack still in use.
  __asm__ volatile("cpsid i" ::: "memory");
  osSemaphoreRelease(p->done);
  osThreadExit();
}

}  // namespace

peer_thread::peer_thread(entry run, void* callable, entry dispose) {
  peer* p = nullptr;
  std::size_t slot = 0;
  for (; slot < max_peers && p == nullptr; ++slot)
    if (!g_peers[slot].used) p = &g_peers[slot];
  CHECK_TEXT(p != nullptr, "more peer threads at once than peer_thread_kernel.cpp's max_peers");
  if (p->done == nullptr) p->done = osSemaphoreNew(1, 0, nullptr);
  CHECK_TEXT(p->done != nullptr, "no semaphore for a peer thread");
  *p = peer{run, callable, dispose, p->done, true};
  osThreadAttr_t attr{};
  attr.name = "peer";
  attr.stack_mem = g_stacks[slot - 1];
  attr.stack_size = stack_bytes;
  attr.priority = osPriorityNormal;
  if (osThreadNew(peer_main, p, &attr) == nullptr) {
    p->used = false;
    dispose(callable);
    FAIL("osThreadNew made no peer thread");
  }
  handle_ = p;
}

void peer_thread::join() noexcept {
  auto* p = static_cast<peer*>(std::exchange(handle_, nullptr));
  if (p == nullptr) return;
  (void)osSemaphoreAcquire(p->done, osWaitForever);
  p->used = false;
}

void pause_ms(int ms) noexcept { (void)osDelay(ms < 1 ? 1u : static_cast<std::uint32_t>(ms)); }

std::int64_t steady_ms() noexcept {
  // The tick count wraps after 49 days; the suite runs for seconds from boot.
  return static_cast<std::int64_t>(osKernelGetTickCount());
}

}  // namespace conformance
