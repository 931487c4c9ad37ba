/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-ethernet/arch/cc.h - compiler and platform for lwIP's socket API on bare-metal
 * Cortex-M (gcc, newlib-nano, little-endian) under an RTOS. */
#ifndef EMSOCK_LWIP_SOCKET_ETHERNET_ARCH_CC_H
#define EMSOCK_LWIP_SOCKET_ETHERNET_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#define BYTE_ORDER LITTLE_ENDIAN
/* errno and struct timeval (SO_RCVTIMEO/SO_SNDTIMEO) are newlib's. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0

#ifdef __cplusplus
extern "C" {
#endif
/* Random numbers (ports, ISNs, DHCP and DNS ids, IPv6 delays): the board's, seeded per board
 * (port/boards/mps2/clock.cpp). Not newlib's rand(): it allocates. */
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

#endif /* EMSOCK_LWIP_SOCKET_ETHERNET_ARCH_CC_H */
