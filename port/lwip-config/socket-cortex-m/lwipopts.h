/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-cortex-m/lwipopts.h - the configuration the lwIP *socket* backend (port/lwip) is
 * compiled with for Cortex-M (compile only: NO_SYS=0 needs an RTOS to link). The options are those of
 * emsock's example firmware configuration, port/lwip-config/socket/lwipopts.h; only arch/ differs (newlib,
 * an RTOS-neutral sys_arch.h). */
#include "../socket/lwipopts.h"
