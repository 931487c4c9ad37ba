# SPDX-License-Identifier: MIT
# Filelists.cmake - emsock's sources for a firmware's own CMake build, the way lwIP ships its
# src/Filelists.cmake: include(<emsock>/Filelists.cmake), then make targets of your own from the lists
# (with your compiler flags and your lwipopts.h). Only variables are set; no target is created.
# Filelists.mk holds the same lists for make. emsock's own CMake compiles the lwip-raw, board and driver
# from here; the `filelists` test (cortex-m3-qemu) checks that every list names each source of its
# folder and that this file and Filelists.mk agree.
#
#   EMSOCK_DIR                      emsock's root (the directory of this file)
#   EMSOCK_CORE_SRCS                core/src: addresses, errors, echo sessions (allocation-free, no I/O;
#                                   simd_parse.cpp compiles to nothing in the small build, -Os)
#   EMSOCK_CORE_INCLUDE_DIRS
#   EMSOCK_LWIP_COMMON_INCLUDE_DIRS port/lwip-common/include: emsock/lwip/err.hpp, lwIP's err_t -> errc
#                                   (header only; needs lwIP's err.h alone), used by both lwIP backends
#   EMSOCK_LWIP_CONFIG_RAW_LOOPBACK_DIR  port/lwip-config/raw-loopback: example lwipopts.h + arch/cc.h,
#                                   NO_SYS=1, loopback netif only, IPv4 + TCP + UDP
#   EMSOCK_LWIP_CONFIG_RAW_ETHERNET_DIR  port/lwip-config/raw-ethernet: example lwipopts.h + arch/cc.h,
#                                   NO_SYS=1 on Ethernet: DHCP, AutoIP, IPv6 SLAAC
#   EMSOCK_BOARD_MPS2_SRCS          port/boards/mps2, QEMU's MPS2 boards: vector table and reset handler,
#                                   SysTick with sys_now(), LWIP_RAND (emsock_board_rand), semihosting
#                                   command line
#   EMSOCK_BOARD_MPS2_LINKER_SCRIPT port/boards/mps2/mps2.ld (flash 0x0, RAM 0x20000000)
#   EMSOCK_BOARD_MPS2_INCLUDE_DIRS
#   EMSOCK_MPS2_KERNEL_SRCS         port/boards/mps2/kernel: the boards' small preemptive kernel behind the
#                                   CMSIS-RTOS2 subset of its cmsis_os2.h (for emsock's tests and examples);
#                                   link with -Wl,--wrap=_sbrk (newlib's heap beside thread stacks)
#   EMSOCK_MPS2_KERNEL_INCLUDE_DIRS
#   EMSOCK_LAN9118_SRCS             port/drivers/lan9118: the LAN9118 lwIP netif driver, any board with the
#                                   chip (compile against your lwipopts.h), and its driver thread for
#                                   lwIP's tcpip thread (NO_SYS=0; empty under NO_SYS=1)
#   EMSOCK_LAN9118_INCLUDE_DIRS
#   EMSOCK_NEWLIB_HEAP_COUNT_SRCS   tests/support/firmware: test instrumentation, counts newlib's
#                                   allocations; link with -Wl,--wrap=_malloc_r
#   EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS
#   EMSOCK_PORT_INCLUDE_DIRS        port/include: the one socket interface (emsock/port/*.hpp)
#   EMSOCK_PORT_COMMON_SRCS         port/common: what every socket backend compiles in (the TCP and UDP
#                                   echo engines, the event set over poll, poll(), names, send_all)
#   EMSOCK_LWIP_SOCKET_SRCS         port/lwip: the lwIP *socket* backend (NO_SYS=0, LWIP_SOCKET=1: an RTOS
#                                   and lwIP's sys_arch). Compile it with EMSOCK_PORT_COMMON_SRCS, defining
#                                   EMSOCK_PORT_LWIP=1, against your lwipopts.h, with
#                                   EMSOCK_PORT_INCLUDE_DIRS and EMSOCK_LWIP_COMMON_INCLUDE_DIRS; needs lwIP
#                                   and the core.
#   EMSOCK_LWIP_RAW_BACKEND_SRCS    port/lwip-raw: the socket interface over lwIP's *raw* API
#                                   (EMSOCK_PORT=lwip-raw; NO_SYS=1, no RTOS, a main loop). Compile it with
#                                   EMSOCK_PORT_COMMON_SRCS, defining EMSOCK_PORT_LWIP_RAW=1, against your
#                                   lwipopts.h, with EMSOCK_PORT_INCLUDE_DIRS and EMSOCK_LWIP_COMMON_INCLUDE_DIRS;
#                                   needs lwIP and the core. Your main loop or board supplies the drive hook
#                                   and sys_now() (emsock/port/native_lwip_raw.hpp).
#   EMSOCK_LWIP_CONFIG_RAW_BACKEND_DIR  port/lwip-config/raw-backend: example lwipopts.h + arch/ for it
#                                   (loopback netif, IPv4 + IPv6; the conformance suite's configuration)
#   EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR  port/lwip-config/socket-cortex-m: example lwipopts.h + arch/cc.h
#                                   for it (NO_SYS=0; the board's conformance images)
#   EMSOCK_LWIP_CONFIG_SOCKET_ETHERNET_DIR  port/lwip-config/socket-ethernet: example lwipopts.h + arch/cc.h
#                                   for a board on Ethernet with an RTOS (NO_SYS=0: the socket firmware)
#   EMSOCK_LWIP_SYS_CMSIS_RTOS2_SRCS  port/lwip-sys-cmsis-rtos2: lwIP's sys_arch.c (NO_SYS=0) over the
#                                   CMSIS-RTOS2 API alone (any RTOS's cmsis_os2.h; Cortex-M). Compile it
#                                   with lwIP's sources against your lwipopts.h; see its README.md.
#   EMSOCK_LWIP_SYS_CMSIS_RTOS2_INCLUDE_DIRS  its arch/sys_arch.h (put it on lwIP's include path)
#   EMSOCK_INCLUDE_DIRS             all the include directories above (not the example configurations)
#
# C++17, -fno-exceptions -fno-rtti is enough for every list; lwIP's own lists are in lwIP's
# src/Filelists.cmake.
set(EMSOCK_DIR "${CMAKE_CURRENT_LIST_DIR}")

set(EMSOCK_CORE_SRCS
    ${EMSOCK_DIR}/core/src/contract.cpp
    ${EMSOCK_DIR}/core/src/datagram_echo.cpp
    ${EMSOCK_DIR}/core/src/echo_client_session.cpp
    ${EMSOCK_DIR}/core/src/echo_session.cpp
    ${EMSOCK_DIR}/core/src/error.cpp
    ${EMSOCK_DIR}/core/src/ip_address.cpp
    ${EMSOCK_DIR}/core/src/ipv4_address.cpp
    ${EMSOCK_DIR}/core/src/ipv6_address.cpp
    ${EMSOCK_DIR}/core/src/simd_parse.cpp)
set(EMSOCK_CORE_INCLUDE_DIRS ${EMSOCK_DIR}/core/include)

set(EMSOCK_LWIP_COMMON_INCLUDE_DIRS ${EMSOCK_DIR}/port/lwip-common/include)
set(EMSOCK_LWIP_CONFIG_RAW_LOOPBACK_DIR ${EMSOCK_DIR}/port/lwip-config/raw-loopback)
set(EMSOCK_LWIP_CONFIG_RAW_ETHERNET_DIR ${EMSOCK_DIR}/port/lwip-config/raw-ethernet)

set(EMSOCK_BOARD_MPS2_SRCS
    ${EMSOCK_DIR}/port/boards/mps2/startup.c
    ${EMSOCK_DIR}/port/boards/mps2/clock.cpp
    ${EMSOCK_DIR}/port/boards/mps2/command_line.cpp)
set(EMSOCK_BOARD_MPS2_LINKER_SCRIPT ${EMSOCK_DIR}/port/boards/mps2/mps2.ld)
set(EMSOCK_BOARD_MPS2_INCLUDE_DIRS ${EMSOCK_DIR}/port/boards/mps2/include)
set(EMSOCK_MPS2_KERNEL_SRCS
    ${EMSOCK_DIR}/port/boards/mps2/kernel/kernel.cpp
    ${EMSOCK_DIR}/port/boards/mps2/kernel/port.cpp)
set(EMSOCK_MPS2_KERNEL_INCLUDE_DIRS ${EMSOCK_DIR}/port/boards/mps2/kernel/include)
set(EMSOCK_LAN9118_SRCS ${EMSOCK_DIR}/port/drivers/lan9118/lan9118.cpp ${EMSOCK_DIR}/port/drivers/lan9118/lan9118_tcpip.cpp)
set(EMSOCK_LAN9118_INCLUDE_DIRS ${EMSOCK_DIR}/port/drivers/lan9118/include)
set(EMSOCK_NEWLIB_HEAP_COUNT_SRCS ${EMSOCK_DIR}/tests/support/firmware/newlib_heap_count.cpp)
set(EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS ${EMSOCK_DIR}/tests/support/firmware)

set(EMSOCK_PORT_INCLUDE_DIRS ${EMSOCK_DIR}/port/include)
set(EMSOCK_PORT_COMMON_SRCS
    ${EMSOCK_DIR}/port/common/echo_server.cpp
    ${EMSOCK_DIR}/port/common/event_set_common.cpp
    ${EMSOCK_DIR}/port/common/event_set_poll.cpp
    ${EMSOCK_DIR}/port/common/names.cpp
    ${EMSOCK_DIR}/port/common/poll.cpp
    ${EMSOCK_DIR}/port/common/poll_set_assign.cpp
    ${EMSOCK_DIR}/port/common/poll_set_seen.cpp
    ${EMSOCK_DIR}/port/common/socket_base.cpp
    ${EMSOCK_DIR}/port/common/udp_echo_server.cpp)
set(EMSOCK_LWIP_SOCKET_SRCS
    ${EMSOCK_DIR}/port/lwip/clock.cpp
    ${EMSOCK_DIR}/port/lwip/errors.cpp
    ${EMSOCK_DIR}/port/lwip/names.cpp
    ${EMSOCK_DIR}/port/lwip/poll_set.cpp
    ${EMSOCK_DIR}/port/lwip/sockaddr.cpp
    ${EMSOCK_DIR}/port/lwip/socket.cpp
    ${EMSOCK_DIR}/port/lwip/udp.cpp)
set(EMSOCK_LWIP_RAW_BACKEND_SRCS
    ${EMSOCK_DIR}/port/lwip-raw/clock.cpp
    ${EMSOCK_DIR}/port/lwip-raw/names.cpp
    ${EMSOCK_DIR}/port/lwip-raw/poll_set.cpp
    ${EMSOCK_DIR}/port/lwip-raw/socket.cpp
    ${EMSOCK_DIR}/port/lwip-raw/state.cpp
    ${EMSOCK_DIR}/port/lwip-raw/udp.cpp)
set(EMSOCK_LWIP_CONFIG_RAW_BACKEND_DIR ${EMSOCK_DIR}/port/lwip-config/raw-backend)
set(EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR ${EMSOCK_DIR}/port/lwip-config/socket-cortex-m)
set(EMSOCK_LWIP_CONFIG_SOCKET_ETHERNET_DIR ${EMSOCK_DIR}/port/lwip-config/socket-ethernet)
set(EMSOCK_LWIP_SYS_CMSIS_RTOS2_SRCS ${EMSOCK_DIR}/port/lwip-sys-cmsis-rtos2/sys_arch.c)
set(EMSOCK_LWIP_SYS_CMSIS_RTOS2_INCLUDE_DIRS ${EMSOCK_DIR}/port/lwip-sys-cmsis-rtos2/include)

set(EMSOCK_INCLUDE_DIRS ${EMSOCK_CORE_INCLUDE_DIRS} ${EMSOCK_LWIP_COMMON_INCLUDE_DIRS} ${EMSOCK_BOARD_MPS2_INCLUDE_DIRS}
    ${EMSOCK_LAN9118_INCLUDE_DIRS} ${EMSOCK_NEWLIB_HEAP_COUNT_INCLUDE_DIRS} ${EMSOCK_PORT_INCLUDE_DIRS})
