/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-cortex-m/arch/sys_arch.h - lwIP's OS abstraction types for the socket backend
 * compiled for Cortex-M: opaque handles of an RTOS (the firmware's sys_arch.c defines them; none is
 * linked here). NULL means "invalid". */
#ifndef EMSOCK_LWIP_SOCKET_CM_ARCH_SYS_ARCH_H
#define EMSOCK_LWIP_SOCKET_CM_ARCH_SYS_ARCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYS_MBOX_CAPACITY 128

struct sys_sem;
struct sys_mutex;
struct sys_mbox;
struct sys_thread;
typedef struct sys_sem* sys_sem_t;
typedef struct sys_mutex* sys_mutex_t;
typedef struct sys_mbox* sys_mbox_t;
typedef struct sys_thread* sys_thread_t;
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

#endif /* EMSOCK_LWIP_SOCKET_CM_ARCH_SYS_ARCH_H */
