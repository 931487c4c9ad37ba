// SPDX-License-Identifier: MIT
// Tests of the mps2 board's kernel (port/boards/mps2/kernel) through its CMSIS-RTOS2 API, on QEMU: the
// cases run in the CppUTest thread (priority osPriorityNormal, kernel_main.cpp) and start threads of
// their own, which record what they saw in globals; only the CppUTest thread asserts. Each thread gets a
// fresh stack (never reused, so a finished thread that has not left yet cannot be overwritten).
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "cmsis_os2.h"
#include "emsock/mps2/board.hpp"

namespace {

volatile std::uint32_t& reg(std::uintptr_t address) {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}

// Stacks: a fresh one per thread for the whole run.
constexpr std::size_t stack_bytes = 1024;
constexpr std::size_t stack_count = 64;
alignas(8) std::uint8_t g_stacks[stack_count][stack_bytes];
std::size_t g_stacks_used = 0;

osThreadId_t spawn(osThreadFunc_t fn, void* arg, osPriority_t priority, const char* name = "test") {
  if (g_stacks_used == stack_count) return nullptr;
  osThreadAttr_t attr{};
  attr.name = name;
  attr.stack_mem = g_stacks[g_stacks_used++];
  attr.stack_size = stack_bytes;
  attr.priority = priority;
  return osThreadNew(fn, arg, &attr);
}

// What threads did, in order: one letter each.
char g_log[64];
std::size_t g_log_len = 0;
void note(char c) {
  if (g_log_len + 1 < sizeof g_log) g_log[g_log_len++] = c;
  g_log[g_log_len] = '\0';
}

// Threads that end release g_done; join(n) waits for n of them (a bounded wait: a lost thread fails).
osSemaphoreId_t g_done = nullptr;
bool join(unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    if (osSemaphoreAcquire(g_done, 1000) != osOK) return false;
  return true;
}

void note_letter(void* arg) {
  note(static_cast<char>(reinterpret_cast<std::uintptr_t>(arg)));
  osSemaphoreRelease(g_done);
}
void* letter(char c) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(c)); }

// Virtual time in ns: the tick count and SysTick's down-counter (reload 24999 at 25 MHz: 40 ns per count),
// read twice so that a tick between the two reads is seen. Under -icount shift=0 one instruction is 1 ns.
std::uint64_t ns_now() {
  for (;;) {
    std::uint32_t t = emsock::mps2::ticks_ms();
    std::uint32_t cvr = reg(0xE000E018u);
    if (t == emsock::mps2::ticks_ms()) return std::uint64_t{t} * 1000000u + (24999u - cvr) * 40u;
  }
}

std::uint32_t now() { return osKernelGetTickCount(); }
std::uint32_t since(std::uint32_t start) { return osKernelGetTickCount() - start; }

}  // namespace

TEST_GROUP(kernel) {
  void setup() override {
    g_log_len = 0;
    g_log[0] = '\0';
    g_done = osSemaphoreNew(16, 0, nullptr);
    CHECK(g_done != nullptr);
  }
  void teardown() override { LONGS_EQUAL(osOK, osSemaphoreDelete(g_done)); }
};

TEST(kernel, runs_with_a_1khz_tick_in_the_cpputest_thread) {
  LONGS_EQUAL(osKernelRunning, osKernelGetState());
  LONGS_EQUAL(1000, osKernelGetTickFreq());
  CHECK(osThreadGetId() != nullptr);
  LONGS_EQUAL(osError, osKernelStart());  // once only
}

TEST(kernel, a_higher_priority_thread_preempts_its_creator_a_lower_one_waits) {
  CHECK(spawn(note_letter, letter('H'), osPriorityHigh) != nullptr);
  note('R');
  CHECK(spawn(note_letter, letter('L'), osPriorityLow) != nullptr);
  note('R');
  CHECK(join(2));  // the runner blocks: L runs
  STRCMP_EQUAL("HRRL", g_log);
}

TEST(kernel, ready_threads_run_in_priority_order) {
  CHECK(spawn(note_letter, letter('1'), osPriorityLow) != nullptr);
  CHECK(spawn(note_letter, letter('3'), osPriorityBelowNormal) != nullptr);
  CHECK(spawn(note_letter, letter('2'), static_cast<osPriority_t>(osPriorityLow + 1)) != nullptr);
  STRCMP_EQUAL("", g_log);
  CHECK(join(3));
  STRCMP_EQUAL("321", g_log);
}

namespace {
osSemaphoreId_t g_gate = nullptr;
void wait_gate_then_note(void* arg) {
  if (osSemaphoreAcquire(g_gate, osWaitForever) == osOK) note(static_cast<char>(reinterpret_cast<std::uintptr_t>(arg)));
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, a_release_wakes_the_highest_priority_waiter_at_once) {
  g_gate = osSemaphoreNew(4, 0, nullptr);
  CHECK(spawn(wait_gate_then_note, letter('a'), osPriorityAboveNormal) != nullptr);
  CHECK(spawn(wait_gate_then_note, letter('h'), osPriorityHigh) != nullptr);
  CHECK(spawn(wait_gate_then_note, letter('b'), osPriorityAboveNormal) != nullptr);
  STRCMP_EQUAL("", g_log);  // all three wait
  LONGS_EQUAL(osOK, osSemaphoreRelease(g_gate));
  STRCMP_EQUAL("h", g_log);  // ran inside Release
  LONGS_EQUAL(osOK, osSemaphoreRelease(g_gate));
  LONGS_EQUAL(osOK, osSemaphoreRelease(g_gate));
  STRCMP_EQUAL("hab", g_log);  // equals in the order they started waiting
  CHECK(join(3));
  LONGS_EQUAL(0, osSemaphoreGetCount(g_gate));
  LONGS_EQUAL(osOK, osSemaphoreDelete(g_gate));
}

namespace {
void yield_three_times(void* arg) {
  for (int i = 0; i < 3; ++i) {
    note(static_cast<char>(reinterpret_cast<std::uintptr_t>(arg)));
    osThreadYield();
  }
  osSemaphoreRelease(g_done);
}

volatile bool g_stop = false;
volatile std::uint32_t g_spins[2];
void spin(void* arg) {
  auto* counter = static_cast<volatile std::uint32_t*>(arg);
  while (!g_stop) *counter = *counter + 1;
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, yield_passes_to_the_next_thread_of_the_same_priority) {
  CHECK(spawn(yield_three_times, letter('A'), osPriorityNormal) != nullptr);
  CHECK(spawn(yield_three_times, letter('B'), osPriorityNormal) != nullptr);
  STRCMP_EQUAL("", g_log);  // equal to the runner: no preemption
  CHECK(join(2));
  STRCMP_EQUAL("ABABAB", g_log);
}

namespace {
volatile int g_errno_seen = -1;
void set_errno_and_yield(void*) {
  errno = 7;
  osThreadYield();  // back to the runner, which sets its own
  g_errno_seen = errno;
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, each_thread_has_its_own_errno) {
  // lwIP's sockets set errno (to 0 on success too) and emsock reads it after a failed call: a switch
  // between the two must not hand one thread another's value.
  errno = 3;
  CHECK(spawn(set_errno_and_yield, nullptr, osPriorityNormal) != nullptr);  // equal: runs at our yield
  osThreadYield();
  LONGS_EQUAL(3, errno);
  errno = 5;
  CHECK(join(1));
  LONGS_EQUAL(7, g_errno_seen);
  LONGS_EQUAL(5, errno);
}

TEST(kernel, equal_priorities_share_the_processor_at_each_tick) {
  g_stop = false;
  g_spins[0] = g_spins[1] = 0;
  // Two busy threads that never block nor yield, above the runner: only the tick's round-robin lets
  // the second one run at all (and the runner is back only when both have stopped).
  g_gate = osSemaphoreNew(1, 0, nullptr);
  CHECK(spawn(spin, const_cast<std::uint32_t*>(&g_spins[0]), osPriorityLow) != nullptr);
  CHECK(spawn(spin, const_cast<std::uint32_t*>(&g_spins[1]), osPriorityLow) != nullptr);
  LONGS_EQUAL(osErrorTimeout, osSemaphoreAcquire(g_gate, 20));  // 20 ticks for the spinners
  g_stop = true;
  CHECK(join(2));
  CHECK(g_spins[0] > 0);
  CHECK(g_spins[1] > 0);
  LONGS_EQUAL(osOK, osSemaphoreDelete(g_gate));
}

TEST(kernel, delays_and_timeouts_last_their_ticks) {
  std::uint32_t start = now();
  LONGS_EQUAL(osOK, osDelay(1));
  LONGS_EQUAL(1, since(start));
  start = now();
  LONGS_EQUAL(osOK, osDelay(10));
  LONGS_EQUAL(10, since(start));
  osSemaphoreId_t s = osSemaphoreNew(1, 0, nullptr);
  start = now();
  LONGS_EQUAL(osErrorResource, osSemaphoreAcquire(s, 0));
  LONGS_EQUAL(0, since(start));
  start = now();
  LONGS_EQUAL(osErrorTimeout, osSemaphoreAcquire(s, 15));
  LONGS_EQUAL(15, since(start));
  LONGS_EQUAL(osOK, osSemaphoreDelete(s));
  LONGS_EQUAL(osErrorParameter, osDelay(0));
}

namespace {
std::uint32_t g_woke_at[3];
void delay_and_stamp(void* arg) {
  auto i = reinterpret_cast<std::uintptr_t>(arg);
  osDelay(static_cast<std::uint32_t>(5 * (3 - i)));
  g_woke_at[i] = osKernelGetTickCount();
  note(static_cast<char>('0' + i));
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, delayed_threads_wake_at_their_own_tick) {
  std::uint32_t start = now();
  for (std::uintptr_t i = 0; i < 3; ++i) CHECK(spawn(delay_and_stamp, reinterpret_cast<void*>(i), osPriorityHigh) != nullptr);
  CHECK(join(3));
  STRCMP_EQUAL("210", g_log);
  LONGS_EQUAL(15, g_woke_at[0] - start);
  LONGS_EQUAL(10, g_woke_at[1] - start);
  LONGS_EQUAL(5, g_woke_at[2] - start);
}

TEST(kernel, the_tick_count_wraps_at_2_to_the_32) {
  LONGS_EQUAL(osOK, emsock_kernel_set_tick_count(0xFFFFFFF0u));
  std::uint32_t start = now();
  LONGS_EQUAL(osOK, osDelay(32));
  LONGS_EQUAL(0x10u, now());  // wrapped, woke on time
  LONGS_EQUAL(32, since(start));

  LONGS_EQUAL(osOK, emsock_kernel_set_tick_count(0xFFFFFFFAu));
  start = now();
  osSemaphoreId_t s = osSemaphoreNew(1, 0, nullptr);
  LONGS_EQUAL(osErrorTimeout, osSemaphoreAcquire(s, 12));
  LONGS_EQUAL(12, since(start));
  LONGS_EQUAL(osOK, osSemaphoreDelete(s));

  // Three threads asleep across the wrap still wake in order and on their tick.
  LONGS_EQUAL(osOK, emsock_kernel_set_tick_count(0xFFFFFFF8u));
  start = now();
  for (std::uintptr_t i = 0; i < 3; ++i) CHECK(spawn(delay_and_stamp, reinterpret_cast<void*>(i), osPriorityHigh) != nullptr);
  LONGS_EQUAL(osErrorResource, emsock_kernel_set_tick_count(0));  // not while threads wait with a timeout
  CHECK(join(3));
  STRCMP_EQUAL("210", g_log);
  LONGS_EQUAL(15, g_woke_at[0] - start);
  LONGS_EQUAL(5, g_woke_at[2] - start);
}

// Interrupt handlers: the test moves the vector table to RAM (VTOR) and puts its own handler on IRQ 31,
// unused by the boards, then pends that IRQ from a thread through the NVIC's software trigger (STIR).
namespace {
constexpr unsigned test_irq = 31;
constexpr std::uintptr_t nvic_iser0 = 0xE000E100u, nvic_stir = 0xE000EF00u, scb_vtor = 0xE000ED08u;
alignas(256) std::uint32_t g_vectors[16 + 32];

osSemaphoreId_t g_irq_sem = nullptr;
osMessageQueueId_t g_irq_queue = nullptr;
osMutexId_t g_irq_mutex = nullptr;
struct irq_seen {
  osStatus_t release, put, put_full, acquire_blocking, delay, mutex, yield;
  std::uint32_t tick;
  unsigned count;
  std::uint64_t triggered_ns, handler_ns;
} g_irq;

extern "C" void emsock_test_irq_handler(void) {
  g_irq.handler_ns = ns_now();
  g_irq.count++;
  g_irq.tick = osKernelGetTickCount();
  g_irq.release = osSemaphoreRelease(g_irq_sem);
  std::uint32_t v = 0x1234u;
  g_irq.put = osMessageQueuePut(g_irq_queue, &v, 0, 0);
  g_irq.put_full = osMessageQueuePut(g_irq_queue, &v, 0, 0);  // a 1-message queue: full now
  g_irq.acquire_blocking = osSemaphoreAcquire(g_irq_sem, 10);
  g_irq.delay = osDelay(1);
  g_irq.mutex = osMutexAcquire(g_irq_mutex, 0);
  g_irq.yield = osThreadYield();
}

void install_test_irq() {
  const auto* flash = reinterpret_cast<const std::uint32_t*>(reg(scb_vtor));
  for (std::size_t i = 0; i < 16 + 32; ++i) g_vectors[i] = flash[i];
  g_vectors[16 + test_irq] = reinterpret_cast<std::uint32_t>(&emsock_test_irq_handler);
  reg(scb_vtor) = reinterpret_cast<std::uint32_t>(g_vectors);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  reg(nvic_iser0) = 1u << test_irq;
}

void trigger_irq(void*) {
  g_irq.triggered_ns = ns_now();
  reg(nvic_stir) = test_irq;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, an_interrupt_handler_wakes_a_waiting_thread) {
  install_test_irq();
  g_irq = irq_seen{};
  g_irq_sem = osSemaphoreNew(1, 0, nullptr);
  g_irq_queue = osMessageQueueNew(1, sizeof(std::uint32_t), nullptr);
  g_irq_mutex = osMutexNew(nullptr);
  CHECK(g_irq_sem != nullptr && g_irq_queue != nullptr && g_irq_mutex != nullptr);
  // The runner waits; a lower thread runs meanwhile and pends the IRQ; its handler releases the semaphore.
  CHECK(spawn(trigger_irq, nullptr, osPriorityLow) != nullptr);
  std::uint32_t start = now();
  LONGS_EQUAL(osOK, osSemaphoreAcquire(g_irq_sem, 100));
  std::uint64_t woken_ns = ns_now();
  CHECK(since(start) < 100);
  CHECK(g_irq.triggered_ns <= g_irq.handler_ns && g_irq.handler_ns <= woken_ns);
  std::printf("kernel: IRQ pended -> its handler runs: %u ns, -> the thread it woke runs (the handler makes 7 kernel calls): "
              "%u ns (virtual time, 40 ns resolution)\n",
              static_cast<unsigned>(g_irq.handler_ns - g_irq.triggered_ns),
              static_cast<unsigned>(woken_ns - g_irq.triggered_ns));
  LONGS_EQUAL(1, g_irq.count);
  LONGS_EQUAL(osOK, g_irq.release);
  LONGS_EQUAL(osOK, g_irq.put);
  LONGS_EQUAL(osErrorResource, g_irq.put_full);
  LONGS_EQUAL(osErrorParameter, g_irq.acquire_blocking);
  LONGS_EQUAL(osErrorISR, g_irq.delay);
  LONGS_EQUAL(osErrorISR, g_irq.mutex);
  LONGS_EQUAL(osErrorISR, g_irq.yield);
  std::uint32_t v = 0;
  LONGS_EQUAL(osOK, osMessageQueueGet(g_irq_queue, &v, nullptr, 0));
  LONGS_EQUAL(0x1234u, v);
  CHECK(join(1));
  LONGS_EQUAL(osOK, osSemaphoreDelete(g_irq_sem));
  LONGS_EQUAL(osOK, osMessageQueueDelete(g_irq_queue));
  LONGS_EQUAL(osOK, osMutexDelete(g_irq_mutex));
}

namespace {
osMutexId_t g_mutex = nullptr;
osStatus_t g_other_release, g_other_acquire, g_waiter_acquire;
osThreadId_t g_owner_seen;
void not_the_owner(void*) {
  g_other_release = osMutexRelease(g_mutex);
  g_other_acquire = osMutexAcquire(g_mutex, 5);
  osSemaphoreRelease(g_done);
}
void wait_for_mutex(void*) {
  g_waiter_acquire = osMutexAcquire(g_mutex, osWaitForever);
  g_owner_seen = osMutexGetOwner(g_mutex);
  note('w');
  osMutexRelease(g_mutex);
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, only_the_owner_releases_a_mutex) {
  g_mutex = osMutexNew(nullptr);
  CHECK(g_mutex != nullptr);
  LONGS_EQUAL(osErrorResource, osMutexRelease(g_mutex));  // nobody owns it
  LONGS_EQUAL(osOK, osMutexAcquire(g_mutex, 0));
  POINTERS_EQUAL(osThreadGetId(), osMutexGetOwner(g_mutex));
  LONGS_EQUAL(osErrorResource, osMutexAcquire(g_mutex, 0));  // not recursive
  std::uint32_t start = now();
  CHECK(spawn(not_the_owner, nullptr, osPriorityHigh) != nullptr);
  CHECK(join(1));
  LONGS_EQUAL(osErrorResource, g_other_release);
  LONGS_EQUAL(osErrorTimeout, g_other_acquire);
  LONGS_EQUAL(5, since(start));
  POINTERS_EQUAL(osThreadGetId(), osMutexGetOwner(g_mutex));
  LONGS_EQUAL(osErrorResource, osMutexDelete(g_mutex));  // owned

  // A waiter gets it at the owner's release, before the release returns (it is higher).
  osThreadId_t waiter = spawn(wait_for_mutex, nullptr, osPriorityHigh);
  STRCMP_EQUAL("", g_log);
  LONGS_EQUAL(osOK, osMutexRelease(g_mutex));
  STRCMP_EQUAL("w", g_log);
  LONGS_EQUAL(osOK, g_waiter_acquire);
  POINTERS_EQUAL(waiter, g_owner_seen);
  CHECK(join(1));
  POINTERS_EQUAL(nullptr, osMutexGetOwner(g_mutex));
  LONGS_EQUAL(osOK, osMutexDelete(g_mutex));
}

TEST(kernel, a_recursive_mutex_needs_as_many_releases) {
  osMutexAttr_t attr{};
  attr.attr_bits = osMutexRecursive;
  osMutexId_t m = osMutexNew(&attr);
  LONGS_EQUAL(osOK, osMutexAcquire(m, 0));
  LONGS_EQUAL(osOK, osMutexAcquire(m, 0));
  LONGS_EQUAL(osOK, osMutexRelease(m));
  POINTERS_EQUAL(osThreadGetId(), osMutexGetOwner(m));
  LONGS_EQUAL(osOK, osMutexRelease(m));
  POINTERS_EQUAL(nullptr, osMutexGetOwner(m));
  LONGS_EQUAL(osErrorResource, osMutexRelease(m));
  LONGS_EQUAL(osOK, osMutexDelete(m));
}

namespace {
osMessageQueueId_t g_queue = nullptr;
std::uint32_t g_got;
osStatus_t g_put_status, g_get_status;
void put_blocking(void* arg) {
  std::uint32_t v = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(arg));
  g_put_status = osMessageQueuePut(g_queue, &v, 0, osWaitForever);
  note('p');
  osSemaphoreRelease(g_done);
}
void get_blocking(void*) {
  g_get_status = osMessageQueueGet(g_queue, &g_got, nullptr, 50);
  note('g');
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, a_queue_full_or_empty_times_out_and_keeps_fifo_order) {
  alignas(4) std::uint8_t buffer[2 * sizeof(std::uint32_t)];
  osMessageQueueAttr_t attr{};
  attr.mq_mem = buffer;
  attr.mq_size = sizeof buffer;
  g_queue = osMessageQueueNew(2, sizeof(std::uint32_t), &attr);
  CHECK(g_queue != nullptr);
  std::uint32_t v = 1;
  LONGS_EQUAL(osOK, osMessageQueuePut(g_queue, &v, 0, 0));
  v = 2;
  LONGS_EQUAL(osOK, osMessageQueuePut(g_queue, &v, 0, 0));
  LONGS_EQUAL(2, osMessageQueueGetCount(g_queue));
  v = 3;
  LONGS_EQUAL(osErrorResource, osMessageQueuePut(g_queue, &v, 0, 0));
  std::uint32_t start = now();
  LONGS_EQUAL(osErrorTimeout, osMessageQueuePut(g_queue, &v, 0, 7));
  LONGS_EQUAL(7, since(start));

  // A higher thread blocked on a full queue: its message goes in as soon as a slot frees.
  CHECK(spawn(put_blocking, reinterpret_cast<void*>(std::uintptr_t{3}), osPriorityHigh) != nullptr);
  STRCMP_EQUAL("", g_log);
  std::uint8_t prio = 9;
  LONGS_EQUAL(osOK, osMessageQueueGet(g_queue, &v, &prio, 0));
  LONGS_EQUAL(1, v);
  LONGS_EQUAL(0, prio);
  STRCMP_EQUAL("p", g_log);
  LONGS_EQUAL(osOK, g_put_status);
  LONGS_EQUAL(osOK, osMessageQueueGet(g_queue, &v, nullptr, 0));
  LONGS_EQUAL(2, v);
  LONGS_EQUAL(osOK, osMessageQueueGet(g_queue, &v, nullptr, 0));
  LONGS_EQUAL(3, v);
  LONGS_EQUAL(osErrorResource, osMessageQueueGet(g_queue, &v, nullptr, 0));
  start = now();
  LONGS_EQUAL(osErrorTimeout, osMessageQueueGet(g_queue, &v, nullptr, 9));
  LONGS_EQUAL(9, since(start));

  // A higher thread blocked on an empty queue gets the message of the next put directly.
  CHECK(spawn(get_blocking, nullptr, osPriorityHigh) != nullptr);
  v = 44;
  LONGS_EQUAL(osOK, osMessageQueuePut(g_queue, &v, 0, 0));
  STRCMP_EQUAL("pg", g_log);
  LONGS_EQUAL(osOK, g_get_status);
  LONGS_EQUAL(44, g_got);
  LONGS_EQUAL(0, osMessageQueueGetCount(g_queue));
  CHECK(join(2));
  LONGS_EQUAL(osOK, osMessageQueueDelete(g_queue));
}

// lwIP creates and deletes a queue per connection: a buffer the kernel took from its arena goes back with
// the queue's pool entry and the next queue that fits takes it again (the arena alone would run out).
TEST(kernel, a_deleted_queue_gives_its_arena_buffer_to_the_next_that_fits) {
  const std::uint32_t count = EMSOCK_KERNEL_ARENA_SIZE / 4u / 8u;  // an eighth of the arena each time
  for (unsigned i = 0; i < 64; ++i) {
    osMessageQueueId_t q = osMessageQueueNew(count, sizeof(void*), nullptr);
    CHECK_TEXT(q != nullptr, "the arena ran out: a deleted queue's buffer was not reused");
    void* m = &g_log;
    LONGS_EQUAL(osOK, osMessageQueuePut(q, &m, 0, 0));
    osMessageQueueId_t small = osMessageQueueNew(count / 2u, sizeof(void*), nullptr);  // fits the same buffer
    CHECK(small != nullptr);
    LONGS_EQUAL(0, osMessageQueueGetCount(small));
    LONGS_EQUAL(osOK, osMessageQueueDelete(q));
    LONGS_EQUAL(osOK, osMessageQueueDelete(small));
  }
}

// lwIP's sys_arch takes a semaphore per socket: the pools of objects are sized apart from the threads'.
TEST(kernel, object_pools_hold_their_configured_counts) {
  static osSemaphoreId_t sems[EMSOCK_KERNEL_MAX_SEMAPHORES];
  std::size_t n = 0;
  while (n < EMSOCK_KERNEL_MAX_SEMAPHORES && (sems[n] = osSemaphoreNew(1, 0, nullptr)) != nullptr) ++n;
  // g_done holds one entry.
  LONGS_EQUAL(EMSOCK_KERNEL_MAX_SEMAPHORES - 1u, n);
  POINTERS_EQUAL(nullptr, osSemaphoreNew(1, 0, nullptr));
  for (std::size_t i = 0; i < n; ++i) LONGS_EQUAL(osOK, osSemaphoreDelete(sems[i]));
}

TEST(kernel, bad_arguments_fail_cleanly) {
  POINTERS_EQUAL(nullptr, osSemaphoreNew(0, 0, nullptr));
  POINTERS_EQUAL(nullptr, osSemaphoreNew(1, 2, nullptr));
  POINTERS_EQUAL(nullptr, osMessageQueueNew(0, 4, nullptr));
  POINTERS_EQUAL(nullptr, osMessageQueueNew(4, 0, nullptr));
  std::uint8_t small[4];
  osMessageQueueAttr_t qattr{};
  qattr.mq_mem = small;
  qattr.mq_size = sizeof small;
  POINTERS_EQUAL(nullptr, osMessageQueueNew(2, 4, &qattr));  // buffer too small
  POINTERS_EQUAL(nullptr, osThreadNew(nullptr, nullptr, nullptr));
  osThreadAttr_t tattr{};
  tattr.priority = osPriorityISR;
  POINTERS_EQUAL(nullptr, osThreadNew(note_letter, nullptr, &tattr));
  alignas(8) static std::uint8_t tiny_stack[64];
  tattr.priority = osPriorityNormal;
  tattr.stack_mem = tiny_stack;
  tattr.stack_size = sizeof tiny_stack;
  POINTERS_EQUAL(nullptr, osThreadNew(note_letter, nullptr, &tattr));
  LONGS_EQUAL(osErrorParameter, osSemaphoreAcquire(nullptr, 0));
  LONGS_EQUAL(osErrorParameter, osSemaphoreRelease(nullptr));
  LONGS_EQUAL(osErrorParameter, osMutexAcquire(nullptr, 0));
  LONGS_EQUAL(osErrorParameter, osMessageQueuePut(nullptr, &qattr, 0, 0));
  LONGS_EQUAL(osErrorParameter, osMessageQueueGet(g_done, &qattr, nullptr, 0));  // not a queue
  osSemaphoreId_t one = osSemaphoreNew(1, 1, nullptr);
  LONGS_EQUAL(osErrorResource, osSemaphoreRelease(one));  // already at max_count
  LONGS_EQUAL(1, osSemaphoreGetCount(one));
  LONGS_EQUAL(osOK, osSemaphoreDelete(one));
}

// Registers survive switches: values live across osThreadYield sit in callee-saved registers (r4-r11;
// s16-s31 on the M4F, saved by PendSV), and float loops preempted by the tick keep s0-s15 (the hardware's
// lazily stacked FPU frame). Each thread's sums are checked against its integer count.
namespace {
volatile unsigned g_register_errors = 0;
void keep_across_yields(void* arg) {
  float seed = static_cast<float>(reinterpret_cast<std::uintptr_t>(arg));
  float a = seed, b = seed * 2.0f, c = seed * 3.0f, d = seed * 4.0f;
  std::uint32_t n = 0;
  for (int i = 0; i < 200; ++i) {
    osThreadYield();
    a += 1.0f;
    b += 2.0f;
    c += 3.0f;
    d += 4.0f;
    ++n;
  }
  float f = static_cast<float>(n);
  if (a != seed + f || b != seed * 2.0f + 2.0f * f || c != seed * 3.0f + 3.0f * f || d != seed * 4.0f + 4.0f * f)
    g_register_errors = g_register_errors + 1u;
  osSemaphoreRelease(g_done);
}
void float_spin(void* arg) {
  float step = static_cast<float>(reinterpret_cast<std::uintptr_t>(arg));
  float sum = 0.0f;
  std::uint32_t n = 0;
  while (!g_stop) {
    sum += step;
    ++n;
    if (sum != step * static_cast<float>(n)) g_register_errors = g_register_errors + 1u;
    if (n == 1000000u) n = 0, sum = 0.0f;  // stays exact (below 2^24 / step)
  }
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, threads_keep_their_registers_across_switches) {
  g_register_errors = 0;
  CHECK(spawn(keep_across_yields, reinterpret_cast<void*>(std::uintptr_t{3}), osPriorityNormal) != nullptr);
  CHECK(spawn(keep_across_yields, reinterpret_cast<void*>(std::uintptr_t{7}), osPriorityNormal) != nullptr);
  CHECK(join(2));
  g_stop = false;
  CHECK(spawn(float_spin, reinterpret_cast<void*>(std::uintptr_t{1}), osPriorityLow) != nullptr);
  CHECK(spawn(float_spin, reinterpret_cast<void*>(std::uintptr_t{5}), osPriorityLow) != nullptr);
  LONGS_EQUAL(osOK, osDelay(30));  // 30 ticks of round-robin between the two
  g_stop = true;
  CHECK(join(2));
  LONGS_EQUAL(0, g_register_errors);
}

// The cost of a context switch: two threads above the runner hand the processor to each other with
// osThreadYield. Measured with the board's SysTick counter (25 MHz of virtual time); ctest runs this
// image under -icount shift=0 (one instruction = 1 ns), so the figure counts instructions.
namespace {
constexpr std::uint32_t yields = 2000;
void yield_loop(void*) {
  for (std::uint32_t i = 0; i < yields; ++i) osThreadYield();
  osSemaphoreRelease(g_done);
}
}  // namespace

TEST(kernel, context_switch_cost) {
  std::uint64_t start = ns_now();
  CHECK(spawn(yield_loop, nullptr, osPriorityNormal) != nullptr);
  CHECK(spawn(yield_loop, nullptr, osPriorityNormal) != nullptr);
  CHECK(join(2));
  std::uint64_t ns = ns_now() - start;
  // 2 * yields switches between the two threads (plus a few around them).
  unsigned per_switch = static_cast<unsigned>(ns / (2u * yields));
  std::printf("kernel: context switch (osThreadYield to an equal thread): %u ns of virtual time each\n", per_switch);
  CHECK(per_switch > 0);
}
