/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-ethernet/arch/sys_arch.h - lwIP's OS abstraction types: those of the sys_arch
 * over CMSIS-RTOS2 the firmware links. */
#include "../../socket-cortex-m/arch/sys_arch.h"
