// SPDX-License-Identifier: MIT
// Tests of lwIP's sys_arch over CMSIS-RTOS2 (port/lwip-sys-cmsis-rtos2) on the mps2 kernel, through lwIP's
// own sys.h: timeouts return SYS_ARCH_TIMEOUT after their time, waits that succeed return the time waited,
// a full mailbox refuses a try-post and blocks a post until a fetch, the mutex excludes, sys_thread_new runs
// its function, and sys_now() is the kernel's tick in milliseconds. The cases run in the CppUTest thread
// (osPriorityNormal); helper threads run above it, so that what they do happens at the point they block.
#include <cstdint>

#include <CppUTest/TestHarness.h>

#include "cmsis_os2.h"
extern "C" {
#include "lwip/sys.h"
#include "lwip/tcpip.h"
}

namespace {
std::uint32_t ticks() { return osKernelGetTickCount(); }

sys_sem_t g_sem;
sys_mbox_t g_mbox;
sys_mutex_t g_mutex;
volatile int g_step = 0;
volatile std::uint32_t g_waited = 0;

void signal_after_5(void*) {
  osDelay(5);
  sys_sem_signal(&g_sem);
}

void fetch_one(void*) {
  void* msg = nullptr;
  g_waited = sys_arch_mbox_fetch(&g_mbox, &msg, 0);
  g_step = static_cast<int>(reinterpret_cast<std::uintptr_t>(msg));
}

void lock_and_note(void*) {
  sys_mutex_lock(&g_mutex);
  g_step = 2;
  sys_mutex_unlock(&g_mutex);
}

void run_once(void* arg) { g_step = static_cast<int>(reinterpret_cast<std::uintptr_t>(arg)); }

void* as_msg(std::uintptr_t v) { return reinterpret_cast<void*>(v); }

osThreadId_t g_callback_thread = nullptr;
void tcpip_started(void* done) {
  g_callback_thread = osThreadGetId();
  sys_sem_signal(static_cast<sys_sem_t*>(done));
}
}  // namespace

TEST_GROUP(sys_arch) {
  void setup() override {
    g_step = 0;
    g_waited = 0;
  }
};

TEST(sys_arch, sys_now_is_the_kernel_tick_in_milliseconds) {
  LONGS_EQUAL(1000, osKernelGetTickFreq());
  const u32_t before = sys_now();
  osDelay(12);
  LONGS_EQUAL(12, sys_now() - before);
}

TEST(sys_arch, a_semaphore_wait_times_out_after_its_time_and_reports_the_time_waited_otherwise) {
  LONGS_EQUAL(ERR_OK, sys_sem_new(&g_sem, 0));
  CHECK(sys_sem_valid(&g_sem));
  std::uint32_t start = ticks();
  LONGS_EQUAL(SYS_ARCH_TIMEOUT, sys_arch_sem_wait(&g_sem, 20));
  LONGS_EQUAL(20, ticks() - start);

  sys_sem_signal(&g_sem);
  LONGS_EQUAL(0, sys_arch_sem_wait(&g_sem, 20));  // available: no wait

  CHECK(sys_thread_new("signal", signal_after_5, nullptr, 1024, osPriorityHigh) != nullptr);
  start = ticks();
  const u32_t waited = sys_arch_sem_wait(&g_sem, 0);  // 0: for ever
  LONGS_EQUAL(5, waited);
  LONGS_EQUAL(5, ticks() - start);
  sys_sem_free(&g_sem);
  CHECK(!sys_sem_valid(&g_sem));
}

TEST(sys_arch, a_full_mailbox_refuses_a_trypost_and_a_fetch_times_out_when_empty) {
  LONGS_EQUAL(ERR_OK, sys_mbox_new(&g_mbox, 2));
  LONGS_EQUAL(ERR_OK, sys_mbox_trypost(&g_mbox, as_msg(1)));
  LONGS_EQUAL(ERR_OK, sys_mbox_trypost_fromisr(&g_mbox, as_msg(2)));
  LONGS_EQUAL(ERR_MEM, sys_mbox_trypost(&g_mbox, as_msg(3)));
  void* msg = nullptr;
  LONGS_EQUAL(0, sys_arch_mbox_tryfetch(&g_mbox, &msg));
  POINTERS_EQUAL(as_msg(1), msg);
  LONGS_EQUAL(0, sys_arch_mbox_fetch(&g_mbox, &msg, 10));
  POINTERS_EQUAL(as_msg(2), msg);
  LONGS_EQUAL(SYS_MBOX_EMPTY, sys_arch_mbox_tryfetch(&g_mbox, &msg));
  const std::uint32_t start = ticks();
  LONGS_EQUAL(SYS_ARCH_TIMEOUT, sys_arch_mbox_fetch(&g_mbox, &msg, 15));
  LONGS_EQUAL(15, ticks() - start);
  LONGS_EQUAL(ERR_OK, sys_mbox_trypost(&g_mbox, as_msg(6)));
  LONGS_EQUAL(0, sys_arch_mbox_fetch(&g_mbox, nullptr, 1));  // a NULL msg: the message is dropped
  LONGS_EQUAL(SYS_MBOX_EMPTY, sys_arch_mbox_tryfetch(&g_mbox, nullptr));

  // A post to a full mailbox waits until a fetch makes room.
  LONGS_EQUAL(ERR_OK, sys_mbox_trypost(&g_mbox, as_msg(7)));
  LONGS_EQUAL(ERR_OK, sys_mbox_trypost(&g_mbox, as_msg(8)));
  CHECK(sys_thread_new("fetch", fetch_one, nullptr, 1024, osPriorityHigh) != nullptr);  // takes 7 at once
  LONGS_EQUAL(7, g_step);
  sys_mbox_post(&g_mbox, as_msg(9));  // room again: no wait
  LONGS_EQUAL(0, sys_arch_mbox_tryfetch(&g_mbox, &msg));
  POINTERS_EQUAL(as_msg(8), msg);
  LONGS_EQUAL(0, sys_arch_mbox_tryfetch(&g_mbox, &msg));
  POINTERS_EQUAL(as_msg(9), msg);
  sys_mbox_free(&g_mbox);
  CHECK(!sys_mbox_valid(&g_mbox));
}

TEST(sys_arch, a_fetch_waiting_for_ever_gets_the_next_post_and_its_wait) {
  LONGS_EQUAL(ERR_OK, sys_mbox_new(&g_mbox, 4));
  CHECK(sys_thread_new("fetch", fetch_one, nullptr, 1024, osPriorityHigh) != nullptr);  // blocks
  LONGS_EQUAL(0, g_step);
  osDelay(6);
  sys_mbox_post(&g_mbox, as_msg(5));
  LONGS_EQUAL(5, g_step);
  LONGS_EQUAL(6, g_waited);
  sys_mbox_free(&g_mbox);
}

TEST(sys_arch, a_mailbox_of_no_size_is_a_clear_error) {
  sys_mbox_t box;
  LONGS_EQUAL(ERR_VAL, sys_mbox_new(&box, 0));
  CHECK(!sys_mbox_valid(&box));
}

TEST(sys_arch, the_mutex_excludes_another_thread_until_unlocked) {
  LONGS_EQUAL(ERR_OK, sys_mutex_new(&g_mutex));
  sys_mutex_lock(&g_mutex);
  CHECK(sys_thread_new("lock", lock_and_note, nullptr, 1024, osPriorityHigh) != nullptr);
  LONGS_EQUAL(0, g_step);  // it waits for the mutex
  sys_mutex_unlock(&g_mutex);
  LONGS_EQUAL(2, g_step);  // it ran as soon as the mutex was free
  sys_mutex_free(&g_mutex);
  CHECK(!sys_mutex_valid(&g_mutex));
}

TEST(sys_arch, sys_thread_new_runs_its_function_at_its_priority) {
  CHECK(sys_thread_new("once", run_once, as_msg(3), 1024, osPriorityHigh) != nullptr);
  LONGS_EQUAL(3, g_step);  // higher than this thread: ran before the call returned
  CHECK(sys_thread_new("later", run_once, as_msg(4), 1024, osPriorityLow) != nullptr);
  LONGS_EQUAL(3, g_step);  // lower: only once this thread blocks
  osDelay(1);
  LONGS_EQUAL(4, g_step);
}

TEST(sys_arch, protect_masks_interrupts_and_nests) {
  const sys_prot_t outer = sys_arch_protect();
  const sys_prot_t inner = sys_arch_protect();
  const std::uint32_t start = ticks();
  for (volatile int i = 0; i < 400000; i = i + 1) {
  }
  LONGS_EQUAL(start, ticks());  // no tick while masked
  sys_arch_unprotect(inner);
  LONGS_EQUAL(start, ticks());  // still masked: the outer section
  sys_arch_unprotect(outer);
  osDelay(1);
  CHECK(ticks() != start);
}

// The whole stack over sys_arch: tcpip_init() starts lwIP's thread (sys_thread_new), which calls back.
TEST(sys_arch, tcpip_init_starts_lwips_thread_which_calls_back) {
  sys_sem_t done;
  LONGS_EQUAL(ERR_OK, sys_sem_new(&done, 0));
  tcpip_init(tcpip_started, &done);
  CHECK(sys_arch_sem_wait(&done, 1000) != SYS_ARCH_TIMEOUT);
  CHECK(g_callback_thread != nullptr);
  CHECK(g_callback_thread != osThreadGetId());
  sys_sem_free(&done);
}

#if LWIP_NETCONN_SEM_PER_THREAD
namespace {
sys_sem_t* g_peer_sem = nullptr;
void take_thread_sem(void*) {
  g_peer_sem = LWIP_NETCONN_THREAD_SEM_GET();
  LWIP_NETCONN_THREAD_SEM_FREE();
}
}  // namespace

// LWIP_NETCONN_SEM_PER_THREAD: a semaphore per thread from a table keyed by osThreadGetId, made at first use.
TEST(sys_arch, each_thread_has_its_own_netconn_semaphore_until_it_frees_it) {
  sys_sem_t* mine = LWIP_NETCONN_THREAD_SEM_GET();
  CHECK(mine != nullptr);
  CHECK(sys_sem_valid(mine));
  POINTERS_EQUAL(mine, LWIP_NETCONN_THREAD_SEM_GET());  // the same one again
  LWIP_NETCONN_THREAD_SEM_ALLOC();
  POINTERS_EQUAL(mine, LWIP_NETCONN_THREAD_SEM_GET());  // ALLOC keeps it
  CHECK(sys_thread_new("peer", take_thread_sem, nullptr, 1024, osPriorityHigh) != nullptr);
  CHECK(g_peer_sem != nullptr);
  CHECK(g_peer_sem != mine);  // another thread, another semaphore
  CHECK(!sys_sem_valid(g_peer_sem));  // freed by its thread: the entry is free again
  LWIP_NETCONN_THREAD_SEM_FREE();
  CHECK(!sys_sem_valid(mine));
}
#endif
