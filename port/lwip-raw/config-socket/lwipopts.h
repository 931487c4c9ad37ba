/* SPDX-License-Identifier: MIT */
/* port/lwip-raw/config-socket/lwipopts.h - the configuration the lwIP *socket* backend (port/lwip) is
 * compiled with for Cortex-M (compile only: NO_SYS=0 needs an RTOS to link). The options are those of
 * emsock's example firmware configuration, port/lwip/config/lwipopts.h; only arch/ differs (newlib,
 * an RTOS-neutral sys_arch.h). */
#include "../../lwip/config/lwipopts.h"
