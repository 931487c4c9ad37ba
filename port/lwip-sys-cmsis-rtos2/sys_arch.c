/* SPDX-License-Identifier: MIT */
/* port/lwip-sys-cmsis-rtos2/sys_arch.c - lwIP's OS layer (NO_SYS=0: the tcpip thread, the socket and netconn
 * APIs) over Arm's CMSIS-RTOS2 API alone, so that one file serves Keil RTX5, CMSIS-FreeRTOS (what STM32CubeMX
 * generates), Zephyr's and ThreadX's CMSIS-RTOS2 layers and the mps2 boards' kernel. Written for emsock from
 * lwIP's contract (src/include/lwip/sys.h, doc/sys_arch.txt) and Arm's API reference; see README.md.
 *
 * Mapping: a semaphore is an osSemaphore (max count 0xFFFF), a mutex an osMutex (osMutexPrioInherit), a
 * mailbox an osMessageQueue of void* items, a thread osThreadNew (lwIP's stacksize in bytes, 0 = the RTOS's
 * default; prio an osPriority_t, 0 = osPriorityNormal), sys_now() the kernel tick in milliseconds. Every
 * object comes from the RTOS (attributes without cb_mem or mq_mem: control block sizes differ between
 * RTOSes); when the RTOS has none left the ..._new call is ERR_MEM, which lwIP reports as ENOBUFS/ENOMEM.
 *
 * sys_arch_protect() masks interrupts (PRIMASK saved and restored, so it nests): lwIP takes it around its
 * pools (memp, pbuf free) and those may be entered from an interrupt handler (a driver freeing a pbuf, or
 * sys_mbox_trypost_fromisr), which a scheduler lock (osKernelLock) neither allows nor excludes. The
 * sections are a few dozen instructions. Cortex-M only (ARMv6-M, v7-M, v8-M): elsewhere the build stops. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmsis_os2.h"
#include "lwip/err.h"
#include "lwip/opt.h"
#include "lwip/sys.h"

#if NO_SYS
#error "lwip-sys-cmsis-rtos2: sys_arch.c is lwIP's OS layer for NO_SYS=0; a NO_SYS=1 build needs none"
#endif
#if !defined(__ARM_ARCH_6M__) && !defined(__ARM_ARCH_7M__) && !defined(__ARM_ARCH_7EM__) && \
    !defined(__ARM_ARCH_8M_BASE__) && !defined(__ARM_ARCH_8M_MAIN__) && !defined(__ARM_ARCH_8_1M_MAIN__)
#error "lwip-sys-cmsis-rtos2: sys_arch_protect() masks PRIMASK, a Cortex-M register: write your own for this core"
#endif

/* --- time ---------------------------------------------------------------------------------------- */

/* Milliseconds as kernel ticks, rounded up (a wait never ends early), at least 1, at most 2^31 - 1 ticks
 * (longer waits end early: lwIP takes SYS_ARCH_TIMEOUT for "try again"). */
static uint32_t ticks_for(u32_t ms) {
  const uint32_t hz = osKernelGetTickFreq();
  const uint64_t ticks = ((uint64_t)ms * hz + 999u) / 1000u;
  if (ticks == 0u) return 1u;
  return ticks > 0x7FFFFFFFu ? 0x7FFFFFFFu : (uint32_t)ticks;
}

/* Milliseconds of `ticks` kernel ticks, below SYS_ARCH_TIMEOUT. */
static u32_t ms_of(uint32_t ticks) {
  const uint32_t hz = osKernelGetTickFreq();
  const uint64_t ms = hz == 1000u ? ticks : (uint64_t)ticks * 1000u / (hz != 0u ? hz : 1000u);
  return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1u : (u32_t)ms;
}

/* lwIP's clock: the kernel's tick count in milliseconds. At 1 kHz (RTX5's and FreeRTOS's usual rate) it
 * wraps at 2^32 as lwIP expects; at another rate it wraps when the tick count does. */
u32_t sys_now(void) {
  const uint32_t hz = osKernelGetTickFreq();
  const uint32_t ticks = osKernelGetTickCount();
  return hz == 1000u || hz == 0u ? ticks : (u32_t)((uint64_t)ticks * 1000u / hz);
}

u32_t sys_jiffies(void) { return osKernelGetTickCount(); }

void sys_init(void) {}

/* --- critical sections ---------------------------------------------------------------------------- */

sys_prot_t sys_arch_protect(void) {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  return primask;
}

void sys_arch_unprotect(sys_prot_t level) { __asm__ volatile("msr primask, %0" ::"r"(level) : "memory"); }

/* --- the tcpip thread's check (LWIP_TCPIP_CORE_LOCKING=0) ----------------------------------------- */

/* Stops the firmware with `why` on the console: what lwIP cannot be told (a wait for ever that the RTOS
 * refused, no thread, no per-thread semaphore). Not LWIP_ASSERT: a release build's LWIP_NOASSERT would
 * let lwIP go on with a call that did not happen (its caller's api_msg still in use on the stack). */
static void stop(const char* why) {
  printf("lwIP's sys_arch stops: %s\n", why);
  abort();
}

#if !LWIP_TCPIP_CORE_LOCKING
/* Without the core lock only the tcpip thread may enter lwIP's core. An lwipopts.h that defines
 * LWIP_MARK_TCPIP_THREAD() as emsock_sys_mark_tcpip_thread() and LWIP_ASSERT_CORE_LOCKED() as
 * emsock_sys_assert_tcpip_thread() gets the check: another thread in the core prints a line and aborts. */
static osThreadId_t tcpip_thread = NULL; /* written once, by the tcpip thread itself */

void emsock_sys_mark_tcpip_thread(void) { tcpip_thread = osThreadGetId(); }

void emsock_sys_assert_tcpip_thread(void) {
  /* Before the thread runs, tcpip_init() itself sets lwIP up on the caller's thread. */
  if (tcpip_thread == NULL || osThreadGetId() == tcpip_thread) return;
  stop("lwIP's core entered outside the tcpip thread (LWIP_TCPIP_CORE_LOCKING=0)");
}
#endif

/* --- semaphores ----------------------------------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t* sem, u8_t count) {
  const osSemaphoreAttr_t attr = {.name = "lwip"};
  osSemaphoreId_t id = osSemaphoreNew(0xFFFFu, count, &attr);
  *sem = (sys_sem_t)id;
  return id != NULL ? ERR_OK : ERR_MEM;
}

void sys_sem_signal(sys_sem_t* sem) { (void)osSemaphoreRelease((osSemaphoreId_t)*sem); }

u32_t sys_arch_sem_wait(sys_sem_t* sem, u32_t timeout) {
  const uint32_t start = osKernelGetTickCount();
  const osStatus_t status = osSemaphoreAcquire((osSemaphoreId_t)*sem, timeout == 0u ? osWaitForever : ticks_for(timeout));
  if (status != osOK) {
    if (timeout == 0u) stop("a semaphore wait for ever failed (not a semaphore of the RTOS)");
    return SYS_ARCH_TIMEOUT;
  }
  return ms_of(osKernelGetTickCount() - start);
}

void sys_sem_free(sys_sem_t* sem) {
  if (*sem == NULL) return;
  (void)osSemaphoreDelete((osSemaphoreId_t)*sem);
  *sem = NULL;
}

/* --- mutexes -------------------------------------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t* mutex) {
  const osMutexAttr_t attr = {.name = "lwip", .attr_bits = osMutexPrioInherit};
  osMutexId_t id = osMutexNew(&attr);
  *mutex = (sys_mutex_t)id;
  return id != NULL ? ERR_OK : ERR_MEM;
}

/* Before the kernel runs there is one thread and nothing to exclude: an RTOS may refuse the lock then
 * (the mps2 kernel does), and lwIP goes on as before. Once it runs, a refused lock stops. */
void sys_mutex_lock(sys_mutex_t* mutex) {
  if (osMutexAcquire((osMutexId_t)*mutex, osWaitForever) != osOK && osKernelGetState() == osKernelRunning)
    stop("a mutex lock failed (not a mutex of the RTOS)");
}

void sys_mutex_unlock(sys_mutex_t* mutex) { (void)osMutexRelease((osMutexId_t)*mutex); }

void sys_mutex_free(sys_mutex_t* mutex) {
  if (*mutex == NULL) return;
  (void)osMutexDelete((osMutexId_t)*mutex);
  *mutex = NULL;
}

/* --- mailboxes: queues of pointers ------------------------------------------------------------------ */

/* size: lwIP's *_MBOX_SIZE option of this mailbox; 0 or less is ERR_VAL (set it in lwipopts.h). */
err_t sys_mbox_new(sys_mbox_t* mbox, int size) {
  *mbox = NULL;
  if (size <= 0) return ERR_VAL;
  const osMessageQueueAttr_t attr = {.name = "lwip"};
  osMessageQueueId_t id = osMessageQueueNew((uint32_t)size, sizeof(void*), &attr);
  *mbox = (sys_mbox_t)id;
  return id != NULL ? ERR_OK : ERR_MEM;
}

void sys_mbox_post(sys_mbox_t* mbox, void* msg) {
  if (osMessageQueuePut((osMessageQueueId_t)*mbox, &msg, 0u, osWaitForever) != osOK)
    stop("a mailbox post failed (not a queue of the RTOS)");
}

err_t sys_mbox_trypost(sys_mbox_t* mbox, void* msg) {
  return osMessageQueuePut((osMessageQueueId_t)*mbox, &msg, 0u, 0u) == osOK ? ERR_OK : ERR_MEM;
}

/* From an interrupt handler: a put with timeout 0 is legal there in CMSIS-RTOS2. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t* mbox, void* msg) { return sys_mbox_trypost(mbox, msg); }

u32_t sys_arch_mbox_fetch(sys_mbox_t* mbox, void** msg, u32_t timeout) {
  void* got = NULL;
  const uint32_t start = osKernelGetTickCount();
  const osStatus_t status =
      osMessageQueueGet((osMessageQueueId_t)*mbox, &got, NULL, timeout == 0u ? osWaitForever : ticks_for(timeout));
  if (status != osOK) {
    if (timeout == 0u) stop("a mailbox fetch for ever failed (not a queue of the RTOS)");
    return SYS_ARCH_TIMEOUT;
  }
  if (msg != NULL) *msg = got;
  return ms_of(osKernelGetTickCount() - start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t* mbox, void** msg) {
  void* got = NULL;
  if (osMessageQueueGet((osMessageQueueId_t)*mbox, &got, NULL, 0u) != osOK) return SYS_MBOX_EMPTY;
  if (msg != NULL) *msg = got;
  return 0;
}

void sys_mbox_free(sys_mbox_t* mbox) {
  if (*mbox == NULL) return;
  (void)osMessageQueueDelete((osMessageQueueId_t)*mbox);
  *mbox = NULL;
}

/* --- threads -------------------------------------------------------------------------------------- */

/* A thread of the RTOS running thread(arg); lwIP's thread functions match osThreadFunc_t. stacksize in
 * bytes (0: the RTOS's default), prio an osPriority_t (0: osPriorityNormal). No thread: stop(). */
sys_thread_t sys_thread_new(const char* name, lwip_thread_fn thread, void* arg, int stacksize, int prio) {
  osThreadAttr_t attr = {0};
  attr.name = name;
  attr.stack_size = stacksize > 0 ? (uint32_t)stacksize : 0u;
  attr.priority = prio > 0 ? (osPriority_t)prio : osPriorityNormal;
  osThreadId_t id = osThreadNew(thread, arg, &attr);
  if (id == NULL) stop("sys_thread_new: the RTOS made no thread (its thread pool or memory is full)");
  return (sys_thread_t)id;
}

/* --- one semaphore per thread (LWIP_NETCONN_SEM_PER_THREAD) --------------------------------------- */

#if LWIP_NETCONN_SEM_PER_THREAD
static struct {
  osThreadId_t thread;
  sys_sem_t sem;
} thread_sems[SYS_ARCH_THREAD_SEMS];

/* The calling thread's entry, or NULL (under sys_arch_protect). */
static int find_thread_sem(osThreadId_t self) {
  for (int i = 0; i < SYS_ARCH_THREAD_SEMS; ++i)
    if (thread_sems[i].thread == self) return i;
  return -1;
}

sys_sem_t* sys_arch_netconn_sem_get(void) {
  const osThreadId_t self = osThreadGetId();
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  int i = find_thread_sem(self);
  if (i < 0 && (i = find_thread_sem(NULL)) >= 0) thread_sems[i].thread = self; /* reserved; sem made below */
  SYS_ARCH_UNPROTECT(level);
  if (i < 0) stop("more threads use netconns than SYS_ARCH_THREAD_SEMS");
  if (thread_sems[i].sem == NULL && sys_sem_new(&thread_sems[i].sem, 0) != ERR_OK)
    stop("no semaphore for this thread's netconn calls (the RTOS has none left)");
  return &thread_sems[i].sem;
}

void sys_arch_netconn_sem_alloc(void) { (void)sys_arch_netconn_sem_get(); }

void sys_arch_netconn_sem_free(void) {
  const osThreadId_t self = osThreadGetId();
  SYS_ARCH_DECL_PROTECT(level);
  SYS_ARCH_PROTECT(level);
  const int i = find_thread_sem(self);
  sys_sem_t sem = NULL;
  if (i >= 0) {
    sem = thread_sems[i].sem;
    thread_sems[i].sem = NULL;
    thread_sems[i].thread = NULL;
  }
  SYS_ARCH_UNPROTECT(level);
  sys_sem_free(&sem);
}
#endif
