/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-cortex-m/arch/cc.h - lwIP's compiler and platform header for the socket backend
 * compiled for bare-metal Cortex-M (gcc, newlib-nano). */
#ifndef EMSOCK_LWIP_SOCKET_CM_ARCH_CC_H
#define EMSOCK_LWIP_SOCKET_CM_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#define BYTE_ORDER LITTLE_ENDIAN
/* errno and struct timeval are newlib's. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0

#ifdef __cplusplus
extern "C" {
#endif
/* The board's random numbers (port/boards/mps2/clock.cpp; not newlib's rand(), which allocates). */
uint32_t emsock_board_rand(void);
#ifdef __cplusplus
}
#endif
#define LWIP_RAND() emsock_board_rand()

#define LWIP_PLATFORM_DIAG(x) \
  do {                        \
    printf x;                 \
  } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                   \
  do {                                                                            \
    printf("lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
    abort();                                                                      \
  } while (0)

#endif /* EMSOCK_LWIP_SOCKET_CM_ARCH_CC_H */
