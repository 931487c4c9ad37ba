# SPDX-License-Identifier: MIT
# Filelists.mk - emsock's sources for a firmware built with make, the way lwIP ships its
# src/Filelists.mk. In your Makefile:
#
#   include path/to/emsock/Filelists.mk       # sets EMSOCK_DIR to its own directory unless you did
#   SRCS += $(EMSOCK_CORE_SRCS) $(EMSOCK_LWIP_RAW_BACKEND_SRCS) $(EMSOCK_PORT_COMMON_SRCS) $(EMSOCK_BOARD_MPS2_SRCS) ...
#   CPPFLAGS += $(addprefix -I,$(EMSOCK_INCLUDE_DIRS))
#
# The same lists as Filelists.cmake (see there for what each one is); the `filelists` test checks that
# both agree and that every list names each source of its folder. examples/make-firmware/Makefile
# builds three firmware images from them and lwIP's src/Filelists.mk.
#
#   EMSOCK_CORE_SRCS  EMSOCK_CORE_INCLUDE_DIRS              core/src, allocation-free
#   EMSOCK_LWIP_COMMON_INCLUDE_DIRS                         emsock/lwip/err.hpp (both lwIP backends)
#   EMSOCK_LWIP_CONFIG_RAW_LOOPBACK_DIR  EMSOCK_LWIP_CONFIG_RAW_ETHERNET_DIR   example lwIP configurations
#   EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR  EMSOCK_LWIP_CONFIG_SOCKET_ETHERNET_DIR  EMSOCK_LWIP_CONFIG_RAW_BACKEND_DIR
#                                                           (port/lwip-config/, one folder each)
#   EMSOCK_LWIP_RAW_BACKEND_SRCS                            the socket interface over lwIP's raw API (NO_SYS=1;
#                                                           with EMSOCK_PORT_COMMON_SRCS, -DEMSOCK_PORT_LWIP_RAW=1)
#   EMSOCK_LWIP_SYS_CMSIS_RTOS2_SRCS  EMSOCK_LWIP_SYS_CMSIS_RTOS2_INCLUDE_DIRS
#                                                           lwIP's sys_arch over CMSIS-RTOS2 (NO_SYS=0)
#   EMSOCK_BOARD_MPS2_SRCS  EMSOCK_BOARD_MPS2_LINKER_SCRIPT  EMSOCK_BOARD_MPS2_INCLUDE_DIRS
#                                                           QEMU's MPS2 boards: start-up, SysTick, LWIP_RAND
#   EMSOCK_MPS2_KERNEL_SRCS  EMSOCK_MPS2_KERNEL_INCLUDE_DIRS  their kernel (CMSIS-RTOS2 subset, cmsis_os2.h):
#                                                           link with -Wl,--wrap=_sbrk
#   EMSOCK_LAN9118_SRCS  EMSOCK_LAN9118_INCLUDE_DIRS        the LAN9118 netif driver (your lwipopts.h);
#                                                           its NO_SYS=0 driver thread (empty under NO_SYS=1)
#   EMSOCK_NEWLIB_HEAP_COUNT_SRCS  EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS
#                                                           heap counter: link with -Wl,--wrap=_malloc_r
#   EMSOCK_INCLUDE_DIRS
ifeq ($(origin EMSOCK_DIR),undefined)
EMSOCK_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
endif

EMSOCK_CORE_SRCS = \
	$(EMSOCK_DIR)/core/src/contract.cpp \
	$(EMSOCK_DIR)/core/src/datagram_echo.cpp \
	$(EMSOCK_DIR)/core/src/echo_client_session.cpp \
	$(EMSOCK_DIR)/core/src/echo_session.cpp \
	$(EMSOCK_DIR)/core/src/error.cpp \
	$(EMSOCK_DIR)/core/src/ip_address.cpp \
	$(EMSOCK_DIR)/core/src/ipv4_address.cpp \
	$(EMSOCK_DIR)/core/src/ipv6_address.cpp \
	$(EMSOCK_DIR)/core/src/simd_parse.cpp
EMSOCK_CORE_INCLUDE_DIRS = $(EMSOCK_DIR)/core/include

EMSOCK_LWIP_COMMON_INCLUDE_DIRS = $(EMSOCK_DIR)/port/lwip-common/include
EMSOCK_LWIP_CONFIG_RAW_LOOPBACK_DIR = $(EMSOCK_DIR)/port/lwip-config/raw-loopback
EMSOCK_LWIP_CONFIG_RAW_ETHERNET_DIR = $(EMSOCK_DIR)/port/lwip-config/raw-ethernet

EMSOCK_BOARD_MPS2_SRCS = \
	$(EMSOCK_DIR)/port/boards/mps2/startup.c \
	$(EMSOCK_DIR)/port/boards/mps2/clock.cpp \
	$(EMSOCK_DIR)/port/boards/mps2/command_line.cpp
EMSOCK_BOARD_MPS2_LINKER_SCRIPT = $(EMSOCK_DIR)/port/boards/mps2/mps2.ld
EMSOCK_BOARD_MPS2_INCLUDE_DIRS = $(EMSOCK_DIR)/port/boards/mps2/include
EMSOCK_MPS2_KERNEL_SRCS = \
	$(EMSOCK_DIR)/port/boards/mps2/kernel/kernel.cpp \
	$(EMSOCK_DIR)/port/boards/mps2/kernel/port.cpp
EMSOCK_MPS2_KERNEL_INCLUDE_DIRS = $(EMSOCK_DIR)/port/boards/mps2/kernel/include
EMSOCK_LAN9118_SRCS = $(EMSOCK_DIR)/port/drivers/lan9118/lan9118.cpp $(EMSOCK_DIR)/port/drivers/lan9118/lan9118_tcpip.cpp
EMSOCK_LAN9118_INCLUDE_DIRS = $(EMSOCK_DIR)/port/drivers/lan9118/include
EMSOCK_NEWLIB_HEAP_COUNT_SRCS = $(EMSOCK_DIR)/tests/support/firmware/newlib_heap_count.cpp
EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS = $(EMSOCK_DIR)/tests/support/firmware

EMSOCK_PORT_INCLUDE_DIRS = $(EMSOCK_DIR)/port/include
EMSOCK_PORT_COMMON_SRCS = \
	$(EMSOCK_DIR)/port/common/echo_server.cpp \
	$(EMSOCK_DIR)/port/common/event_set_common.cpp \
	$(EMSOCK_DIR)/port/common/event_set_poll.cpp \
	$(EMSOCK_DIR)/port/common/names.cpp \
	$(EMSOCK_DIR)/port/common/poll.cpp \
	$(EMSOCK_DIR)/port/common/poll_set_assign.cpp \
	$(EMSOCK_DIR)/port/common/poll_set_seen.cpp \
	$(EMSOCK_DIR)/port/common/socket_base.cpp \
	$(EMSOCK_DIR)/port/common/udp_echo_server.cpp
EMSOCK_LWIP_SOCKET_SRCS = \
	$(EMSOCK_DIR)/port/lwip/clock.cpp \
	$(EMSOCK_DIR)/port/lwip/errors.cpp \
	$(EMSOCK_DIR)/port/lwip/names.cpp \
	$(EMSOCK_DIR)/port/lwip/poll_set.cpp \
	$(EMSOCK_DIR)/port/lwip/sockaddr.cpp \
	$(EMSOCK_DIR)/port/lwip/socket.cpp \
	$(EMSOCK_DIR)/port/lwip/udp.cpp
EMSOCK_LWIP_RAW_BACKEND_SRCS = \
	$(EMSOCK_DIR)/port/lwip-raw/clock.cpp \
	$(EMSOCK_DIR)/port/lwip-raw/names.cpp \
	$(EMSOCK_DIR)/port/lwip-raw/poll_set.cpp \
	$(EMSOCK_DIR)/port/lwip-raw/socket.cpp \
	$(EMSOCK_DIR)/port/lwip-raw/state.cpp \
	$(EMSOCK_DIR)/port/lwip-raw/udp.cpp
EMSOCK_LWIP_CONFIG_RAW_BACKEND_DIR = $(EMSOCK_DIR)/port/lwip-config/raw-backend
EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR = $(EMSOCK_DIR)/port/lwip-config/socket-cortex-m
EMSOCK_LWIP_CONFIG_SOCKET_ETHERNET_DIR = $(EMSOCK_DIR)/port/lwip-config/socket-ethernet
EMSOCK_LWIP_SYS_CMSIS_RTOS2_SRCS = $(EMSOCK_DIR)/port/lwip-sys-cmsis-rtos2/sys_arch.c
EMSOCK_LWIP_SYS_CMSIS_RTOS2_INCLUDE_DIRS = $(EMSOCK_DIR)/port/lwip-sys-cmsis-rtos2/include

EMSOCK_INCLUDE_DIRS = $(EMSOCK_CORE_INCLUDE_DIRS) $(EMSOCK_LWIP_COMMON_INCLUDE_DIRS) $(EMSOCK_BOARD_MPS2_INCLUDE_DIRS) \
	$(EMSOCK_LAN9118_INCLUDE_DIRS) $(EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS) $(EMSOCK_PORT_INCLUDE_DIRS)
