/* SPDX-License-Identifier: MIT */
/* cmsis_os2.h - the subset of Arm's CMSIS-RTOS2 API that emsock's own kernel for the MPS2 boards
 * implements (port/boards/mps2/kernel): what lwIP's sys_arch and emsock's tests and examples use.
 * Names, types and values follow Arm's documented API (CMSIS-RTOS2 reference, version 2.1); the
 * declarations are written from that reference, no header is copied. Firmware on a real RTOS (RTX5,
 * CMSIS-FreeRTOS, Zephyr, ThreadX) includes that RTOS's cmsis_os2.h instead and drops this kernel.
 *
 * The kernel: fixed priorities (1..55, osPriorityIdle..osPriorityRealtime7), preemption, round-robin
 * among equal priorities at each tick (1 kHz: the board's SysTick), up to EMSOCK_KERNEL_MAX_THREADS
 * threads (idle included) and EMSOCK_KERNEL_MAX_SEMAPHORES, _MUTEXES and _QUEUES objects of each kind (as
 * many as threads unless the build says otherwise; compile the kernel and its users with the same values).
 *
 * Memory: nothing is allocated from the heap. Control blocks come from attr->cb_mem (cb_size at least
 * the kernel's block) or from a fixed pool of the kernel; a thread's stack from attr->stack_mem and
 * stack_size (8-byte aligned, at least 256 bytes) or, without stack_mem, from a static arena of
 * EMSOCK_KERNEL_ARENA_SIZE bytes that is never given back (create threads at start-up); a queue's
 * buffer from attr->mq_mem (mq_size >= msg_count * msg_size rounded up to 4 bytes each) or that arena; an
 * arena buffer stays with its queue's pool entry when the queue is deleted, and a later queue that fits
 * in it takes it again (lwIP creates and deletes a queue per connection: the arena is not used up).
 * Out of either: the ...New call returns NULL.
 *
 * Stack overflow: the lowest 32 bytes of every thread stack hold a guard pattern, checked for the thread
 * that leaves the processor at each context switch and for the running thread at each tick. A broken
 * guard (or a stack pointer below it) prints "emsock kernel: stack overflow in thread '<name>'" on the
 * semihosting console and stops the image with exit status 1.
 *
 * errno: each thread has its own (the kernel defines newlib's __errno()); before osKernelStart and in
 * interrupt handlers it is one more, shared value.
 *
 * Not implemented (returns osErrorResource, NULL or 0, never crashes): thread flags, event flags, timers,
 * memory pools, osDelayUntil, osThreadJoin, osThreadSuspend/Resume, osThreadTerminate, osThreadSetPriority,
 * osKernelLock/Unlock/Suspend, message priorities (osMessageQueuePut ignores msg_prio: FIFO order;
 * osMessageQueueGet sets *msg_prio to 0), mutex priority inheritance and robustness (osMutexPrioInherit and
 * osMutexRobust are accepted and ignored: a low-priority owner is not boosted). None of them is declared here. */
#ifndef EMSOCK_CMSIS_OS2_H
#define EMSOCK_CMSIS_OS2_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef EMSOCK_KERNEL_MAX_THREADS
#define EMSOCK_KERNEL_MAX_THREADS 16 /* threads in the kernel's pool, its idle thread included */
#endif
#ifndef EMSOCK_KERNEL_MAX_SEMAPHORES
#define EMSOCK_KERNEL_MAX_SEMAPHORES EMSOCK_KERNEL_MAX_THREADS /* semaphores in the kernel's pool */
#endif
#ifndef EMSOCK_KERNEL_MAX_MUTEXES
#define EMSOCK_KERNEL_MAX_MUTEXES EMSOCK_KERNEL_MAX_THREADS /* mutexes in the kernel's pool */
#endif
#ifndef EMSOCK_KERNEL_MAX_QUEUES
#define EMSOCK_KERNEL_MAX_QUEUES EMSOCK_KERNEL_MAX_THREADS /* message queues in the kernel's pool */
#endif
#ifndef EMSOCK_KERNEL_ARENA_SIZE
#define EMSOCK_KERNEL_ARENA_SIZE 16384 /* bytes for stacks and queue buffers given without memory */
#endif

#define osWaitForever 0xFFFFFFFFu /* timeout: wait until the object is available */
/* Timeouts and delays are in ticks (1 ms), 0 = try only; up to 2^31 - 1 ticks (longer ones end early). */

typedef enum {
  osOK = 0,                /* done */
  osError = -1,            /* unspecified error (a call before osKernelInitialize, say) */
  osErrorTimeout = -2,     /* the timeout expired first */
  osErrorResource = -3,    /* not available (timeout 0), not the owner, full, or not implemented */
  osErrorParameter = -4,   /* a bad argument: NULL or unknown id, a blocking timeout from an ISR */
  osErrorNoMemory = -5,    /* not used by this kernel */
  osErrorISR = -6,         /* not callable from an interrupt handler */
  osStatusReserved = 0x7FFFFFFF
} osStatus_t;

typedef enum {
  osKernelInactive = 0,
  osKernelReady = 1,
  osKernelRunning = 2,
  osKernelLocked = 3,
  osKernelSuspended = 4,
  osKernelError = -1,
  osKernelReserved = 0x7FFFFFFF
} osKernelState_t;

/* Priorities: the documented names; any value between osPriorityIdle and osPriorityRealtime7 works
 * (osPriorityLow + 1 is the documented osPriorityLow1, and so on). */
typedef enum {
  osPriorityNone = 0,
  osPriorityIdle = 1,
  osPriorityLow = 8,
  osPriorityBelowNormal = 16,
  osPriorityNormal = 24,
  osPriorityAboveNormal = 32,
  osPriorityHigh = 40,
  osPriorityRealtime = 48,
  osPriorityRealtime7 = 55,
  osPriorityISR = 56,
  osPriorityError = -1,
  osPriorityReserved = 0x7FFFFFFF
} osPriority_t;

typedef void (*osThreadFunc_t)(void* argument);
typedef void* osThreadId_t;
typedef void* osSemaphoreId_t;
typedef void* osMutexId_t;
typedef void* osMessageQueueId_t;
typedef uint32_t TZ_ModuleId_t;

#define osThreadDetached 0x00000000u /* attr_bits of a thread: the only kind this kernel has */
#define osThreadJoinable 0x00000001u /* accepted; osThreadJoin is not implemented */
#define osMutexRecursive 0x00000001u /* the owner may acquire again; as many releases free it */
#define osMutexPrioInherit 0x00000002u /* accepted, ignored (see above) */
#define osMutexRobust 0x00000008u      /* accepted, ignored */

typedef struct {
  const char* name;   /* for the overflow report; may be NULL */
  uint32_t attr_bits;
  void* cb_mem;       /* control block memory, or NULL for the kernel's pool */
  uint32_t cb_size;
  void* stack_mem;    /* the thread's stack (8-byte aligned), or NULL for the arena */
  uint32_t stack_size; /* bytes; 0 = 1024 */
  osPriority_t priority; /* osPriorityNone = osPriorityNormal */
  TZ_ModuleId_t tz_module;
  uint32_t reserved;
} osThreadAttr_t;

typedef struct {
  const char* name;
  uint32_t attr_bits;
  void* cb_mem;
  uint32_t cb_size;
} osSemaphoreAttr_t;

typedef struct {
  const char* name;
  uint32_t attr_bits; /* osMutexRecursive */
  void* cb_mem;
  uint32_t cb_size;
} osMutexAttr_t;

typedef struct {
  const char* name;
  uint32_t attr_bits;
  void* cb_mem;
  uint32_t cb_size;
  void* mq_mem; /* the messages' buffer, or NULL for the arena */
  uint32_t mq_size;
} osMessageQueueAttr_t;

/* Kernel. Initialize before anything else (from main); Start never returns when it succeeds: it starts
 * the board's SysTick (emsock::mps2::start_clock) and runs the highest-priority thread. Both fail with
 * osErrorISR from an interrupt handler and osError in the wrong state. */
osStatus_t osKernelInitialize(void);
osStatus_t osKernelStart(void);
osKernelState_t osKernelGetState(void);
/* Ticks since osKernelStart, modulo 2^32 (legal from an ISR). Compare ticks as (int32_t)(a - b). */
uint32_t osKernelGetTickCount(void);
/* 1000 (Hz). */
uint32_t osKernelGetTickFreq(void);

/* Threads. osThreadNew: NULL for func NULL, a bad priority, stack or cb_size, a full pool or arena, or from
 * an ISR. A thread whose function returns ends as by osThreadExit. */
osThreadId_t osThreadNew(osThreadFunc_t func, void* argument, const osThreadAttr_t* attr);
osThreadId_t osThreadGetId(void); /* the running thread (legal from an ISR); NULL before osKernelStart */
osStatus_t osThreadYield(void);   /* to the next ready thread of the same priority; osErrorISR from an ISR */
void osThreadExit(void) __attribute__((noreturn)); /* ends the calling thread; its pool slot is freed */
/* Blocks the calling thread for `ticks` ticks (wakes when the count reaches now + ticks). osErrorParameter
 * for 0, osErrorISR from an ISR, osError before osKernelStart. */
osStatus_t osDelay(uint32_t ticks);

/* Semaphores. Acquire: osOK, osErrorResource (timeout 0 and none left), osErrorTimeout, osErrorParameter
 * (bad id, or a non-zero timeout from an ISR). Release (legal from an ISR): wakes the highest-priority
 * waiter (the earliest of equals), osErrorResource when the count is already max_count. */
osSemaphoreId_t osSemaphoreNew(uint32_t max_count, uint32_t initial_count, const osSemaphoreAttr_t* attr);
osStatus_t osSemaphoreAcquire(osSemaphoreId_t semaphore_id, uint32_t timeout);
osStatus_t osSemaphoreRelease(osSemaphoreId_t semaphore_id);
uint32_t osSemaphoreGetCount(osSemaphoreId_t semaphore_id); /* 0 for a bad id */
osStatus_t osSemaphoreDelete(osSemaphoreId_t semaphore_id); /* osErrorResource while a thread waits */

/* Mutexes: not from an ISR (osErrorISR). Release by a thread that does not own it: osErrorResource. */
osMutexId_t osMutexNew(const osMutexAttr_t* attr);
osStatus_t osMutexAcquire(osMutexId_t mutex_id, uint32_t timeout);
osStatus_t osMutexRelease(osMutexId_t mutex_id);
osThreadId_t osMutexGetOwner(osMutexId_t mutex_id);
osStatus_t osMutexDelete(osMutexId_t mutex_id); /* osErrorResource while owned */

/* Message queues of fixed-size messages, FIFO. Put and Get are legal from an ISR with timeout 0 (else
 * osErrorParameter); full (Put) or empty (Get) with timeout 0: osErrorResource; osErrorTimeout when the
 * timeout expires. */
osMessageQueueId_t osMessageQueueNew(uint32_t msg_count, uint32_t msg_size, const osMessageQueueAttr_t* attr);
osStatus_t osMessageQueuePut(osMessageQueueId_t mq_id, const void* msg_ptr, uint8_t msg_prio, uint32_t timeout);
osStatus_t osMessageQueueGet(osMessageQueueId_t mq_id, void* msg_ptr, uint8_t* msg_prio, uint32_t timeout);
uint32_t osMessageQueueGetCount(osMessageQueueId_t mq_id); /* 0 for a bad id */
osStatus_t osMessageQueueDelete(osMessageQueueId_t mq_id); /* osErrorResource while a thread waits */

/* emsock's additions (not CMSIS-RTOS2), for tests. */
/* Sets the tick count (to test the wrap at 2^32). osErrorResource while any thread waits with a timeout,
 * osErrorISR from an ISR. */
osStatus_t emsock_kernel_set_tick_count(uint32_t ticks);
/* One tick: the kernel's SysTick_Handler calls it after the board's emsock_board_tick(). */
void emsock_kernel_tick(void);

#ifdef __cplusplus
}
#endif

#endif /* EMSOCK_CMSIS_OS2_H */
