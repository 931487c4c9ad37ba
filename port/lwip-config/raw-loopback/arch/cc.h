/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-loopback/arch/cc.h - compiler and platform for lwIP on bare-metal Cortex-M (gcc,
 * newlib-nano, little-endian). */
#ifndef EMSOCK_LWIP_RAW_ARCH_CC_H
#define EMSOCK_LWIP_RAW_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTE_ORDER BIG_ENDIAN /* raw-backend's hosted tests on a big-endian host */
#else
#define BYTE_ORDER LITTLE_ENDIAN
#endif
/* No sockets, so no errno of lwIP's own is needed; newlib's struct timeval is not used either. */
#define LWIP_TIMEVAL_PRIVATE 0

#ifdef __cplusplus
extern "C" {
#endif
/* Random numbers (initial local port, DHCP transaction ids, IPv6 delays): the board's, seeded per
 * board (port/boards/mps2/clock.cpp; a firmware on another board or SDK defines its own). Not newlib's
 * rand(): it allocates. */
uint32_t emsock_board_rand(void);
#ifdef __cplusplus
}
#endif
#define LWIP_RAND() emsock_board_rand()

#define LWIP_PLATFORM_DIAG(x) \
  do {                        \
    printf x;                 \
  } while (0)
/* An assertion ends the image with a failure (exit status = QEMU's). */
#define LWIP_PLATFORM_ASSERT(x)                                                   \
  do {                                                                            \
    printf("lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
    exit(3);                                                                      \
  } while (0)

#endif /* EMSOCK_LWIP_RAW_ARCH_CC_H */
