/* SPDX-License-Identifier: MIT */
/* port/lwip-config/socket-cortex-m/lwipopts.h - the configuration the lwIP *socket* backend (port/lwip) runs
 * with on the Cortex-M boards (the conformance images, over port/lwip-sys-cmsis-rtos2 and the mps2 kernel).
 * The options are those of emsock's example firmware configuration, port/lwip-config/socket/lwipopts.h
 * (sized for the conformance suite: a device divides the pools by 4 or more); arch/cc.h differs (newlib),
 * and the threads below are in CMSIS-RTOS2's units. */
#include "../socket/lwipopts.h"

/* The tcpip thread: bytes of stack and an osPriority_t (osPriorityAboveNormal = 32), above the
 * application's threads (osPriorityNormal) so that a thread that keeps sending never starves the stack. */
#undef TCPIP_THREAD_STACKSIZE
#define TCPIP_THREAD_STACKSIZE          4096
#undef TCPIP_THREAD_PRIO
#define TCPIP_THREAD_PRIO               32
#undef DEFAULT_THREAD_STACKSIZE
#define DEFAULT_THREAD_STACKSIZE        2048
