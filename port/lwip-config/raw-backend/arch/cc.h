/* SPDX-License-Identifier: MIT */
/* port/lwip-config/raw-backend/arch/cc.h - the same compiler and platform as raw-loopback's (gcc, newlib or
 * glibc, little-endian, LWIP_RAND from the board's emsock_board_rand). */
#include "../../raw-loopback/arch/cc.h"
