/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket/arch/cc.h - compiler and platform of emsock's example lwIP configuration (the
 * host build of the firmware configuration: gcc/clang, glibc headers for errno and timeval only). */
#ifndef EMSOCK_LWIP_ARCH_CC_H
#define EMSOCK_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

/* errno is the C library's (thread-local): lwIP's sockets report through it. */
#define LWIP_ERRNO_STDINCLUDE 1
/* struct timeval (SO_RCVTIMEO/SO_SNDTIMEO) is the C library's. */
#define LWIP_TIMEVAL_PRIVATE 0

/* Random numbers for ports, ISNs and DNS ids: a small generator of our own (no libc rand(), which
 * allocates in newlib). sys_arch.c. */
unsigned int emsock_lwip_rand(void);
#define LWIP_RAND() ((u32_t)emsock_lwip_rand())

#define LWIP_PLATFORM_DIAG(x) \
  do {                        \
    printf x;                 \
  } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                       \
  do {                                                                                \
    fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
    abort();                                                                          \
  } while (0)

#endif /* EMSOCK_LWIP_ARCH_CC_H */
