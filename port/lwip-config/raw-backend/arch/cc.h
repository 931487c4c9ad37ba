/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-backend/arch/cc.h - the same compiler and platform as raw-loopback's (gcc or clang,
 * newlib or glibc, the compiler's byte order, LWIP_RAND from the board's emsock_board_rand or the hosted
 * test's). */
#include "../../raw-loopback/arch/cc.h"
