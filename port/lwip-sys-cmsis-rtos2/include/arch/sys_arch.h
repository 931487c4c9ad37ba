/* SPDX-License-Identifier: MIT */
/* port/lwip-sys-cmsis-rtos2/include/arch/sys_arch.h - lwIP's OS types for sys_arch.c beside it: lwIP over any
 * RTOS with Arm's CMSIS-RTOS2 API (Keil RTX5, CMSIS-FreeRTOS, Zephyr's and ThreadX's cmsis_os2.h, the mps2
 * boards' own kernel). Each handle is the RTOS's object id (osSemaphoreId_t, osMutexId_t,
 * osMessageQueueId_t, osThreadId_t) behind an opaque pointer type, so that lwIP's headers and the code that
 * includes them need no RTOS header. NULL means "invalid". */
#ifndef EMSOCK_LWIP_SYS_CMSIS_RTOS2_ARCH_SYS_ARCH_H
#define EMSOCK_LWIP_SYS_CMSIS_RTOS2_ARCH_SYS_ARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sys_sem;
struct sys_mutex;
struct sys_mbox;
struct sys_thread;
typedef struct sys_sem* sys_sem_t;
typedef struct sys_mutex* sys_mutex_t;
typedef struct sys_mbox* sys_mbox_t;
typedef struct sys_thread* sys_thread_t;
typedef uint32_t sys_prot_t; /* the PRIMASK saved by sys_arch_protect() */

#define SYS_SEM_NULL NULL
#define SYS_MBOX_NULL NULL
/* Every handle is valid when it is not NULL; invalidating one sets it to NULL (NULL pointers ignored). */
#define sys_arch_handle_valid(h) ((h) != NULL && *(h) != NULL)
#define sys_arch_handle_clear(h) \
  do {                           \
    if ((h) != NULL) *(h) = NULL; \
  } while (0)
#define sys_sem_valid(s) sys_arch_handle_valid(s)
#define sys_sem_set_invalid(s) sys_arch_handle_clear(s)
#define sys_mutex_valid(m) sys_arch_handle_valid(m)
#define sys_mutex_set_invalid(m) sys_arch_handle_clear(m)
#define sys_mbox_valid(b) sys_arch_handle_valid(b)
#define sys_mbox_set_invalid(b) sys_arch_handle_clear(b)

#if LWIP_NETCONN_SEM_PER_THREAD
/* One semaphore per thread for netconn calls (LWIP_NETCONN_FULLDUPLEX needs it), without thread-local
 * storage: a table of SYS_ARCH_THREAD_SEMS entries keyed by osThreadGetId(). GET creates the calling
 * thread's semaphore on first use; lwip_socket_thread_cleanup() (ALLOC/FREE) gives the entry back. A full
 * table stops the firmware (sys_arch.c). A thread that ends without the cleanup leaves its entry to the next thread
 * the RTOS gives the same id (its semaphore is at 0 between calls, so that thread can use it). */
#ifndef SYS_ARCH_THREAD_SEMS
#define SYS_ARCH_THREAD_SEMS 16
#endif
sys_sem_t* sys_arch_netconn_sem_get(void);
void sys_arch_netconn_sem_alloc(void);
void sys_arch_netconn_sem_free(void);
#ifndef LWIP_NETCONN_THREAD_SEM_GET
#define LWIP_NETCONN_THREAD_SEM_GET() sys_arch_netconn_sem_get()
#define LWIP_NETCONN_THREAD_SEM_ALLOC() sys_arch_netconn_sem_alloc()
#define LWIP_NETCONN_THREAD_SEM_FREE() sys_arch_netconn_sem_free()
#endif
#endif

#ifdef __cplusplus
}
#endif

#endif /* EMSOCK_LWIP_SYS_CMSIS_RTOS2_ARCH_SYS_ARCH_H */
