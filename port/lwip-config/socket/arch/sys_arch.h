/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket/arch/sys_arch.h - lwIP's OS abstraction over POSIX threads (sys_arch.c). A
 * firmware build puts its RTOS here (semaphores, mutexes, mailboxes, threads); the types are
 * pointers to objects sys_arch.c creates, NULL meaning "invalid". */
#ifndef EMSOCK_LWIP_ARCH_SYS_ARCH_H
#define EMSOCK_LWIP_ARCH_SYS_ARCH_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most messages one mailbox holds (lwIP's *_MBOX_SIZE options are capped to it). */
#define SYS_MBOX_CAPACITY 128

struct sys_sem;
struct sys_mutex;
struct sys_mbox;
typedef struct sys_sem* sys_sem_t;
typedef struct sys_mutex* sys_mutex_t;
typedef struct sys_mbox* sys_mbox_t;
typedef pthread_t sys_thread_t;
typedef int sys_prot_t;

#define SYS_SEM_NULL NULL
#define SYS_MBOX_NULL NULL

#define sys_sem_valid(s) ((s) != NULL && *(s) != NULL)
#define sys_sem_set_invalid(s) \
  do {                         \
    if ((s) != NULL) *(s) = NULL; \
  } while (0)
#define sys_mutex_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mutex_set_invalid(m) \
  do {                           \
    if ((m) != NULL) *(m) = NULL; \
  } while (0)
#define sys_mbox_valid(b) ((b) != NULL && *(b) != NULL)
#define sys_mbox_set_invalid(b) \
  do {                          \
    if ((b) != NULL) *(b) = NULL; \
  } while (0)

#ifdef __cplusplus
}
#endif

#endif /* EMSOCK_LWIP_ARCH_SYS_ARCH_H */
