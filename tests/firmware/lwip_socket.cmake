# SPDX-License-Identifier: MIT
# lwIP's socket API on the board (NO_SYS=0 over port/lwip-sys-cmsis-rtos2 and the mps2 kernel), included
# from tests/firmware/CMakeLists.txt:
#   emsock_mps2_kernel_sockets  the kernel with pools for lwIP's objects at the conformance suite's scale
#                               (a semaphore and a mailbox per socket: 64 sockets)
#   emsock_lwip_board           lwIP + sys_arch + emsock's socket backend with port/lwip-config/socket-cortex-m
#   emsock_lwip_board_no_core_locking  the same with LWIP_TCPIP_CORE_LOCKING=0 (lwIP's core on its thread only)
#   ctest sys-arch              sys_arch's own suite (tests/firmware/sys_arch_test.cpp), on emsock_lwip_board
include(${PROJECT_SOURCE_DIR}/Filelists.cmake)
add_library(emsock_mps2_kernel_sockets OBJECT ${EMSOCK_MPS2_KERNEL_SRCS})
target_include_directories(emsock_mps2_kernel_sockets PUBLIC ${EMSOCK_MPS2_KERNEL_INCLUDE_DIRS}
                           PRIVATE ${EMSOCK_BOARD_MPS2_INCLUDE_DIRS})
target_compile_definitions(emsock_mps2_kernel_sockets PUBLIC EMSOCK_KERNEL_MAX_THREADS=16
                           EMSOCK_KERNEL_MAX_SEMAPHORES=96 EMSOCK_KERNEL_MAX_MUTEXES=8 EMSOCK_KERNEL_MAX_QUEUES=96
                           EMSOCK_KERNEL_ARENA_SIZE=65536)
target_compile_features(emsock_mps2_kernel_sockets PUBLIC cxx_std_17)
target_link_options(emsock_mps2_kernel_sockets INTERFACE "LINKER:--wrap=_sbrk")
target_compile_options(emsock_mps2_kernel_sockets PRIVATE -Wall -Wextra $<$<BOOL:${EMSOCK_WERROR}>:-Werror>)

emsock_lwip_socket_variant(emsock_lwip_board CONFIG ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR}
                           KERNEL emsock_mps2_kernel_sockets)
emsock_lwip_socket_variant(emsock_lwip_board_no_core_locking CONFIG ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR}
                           KERNEL emsock_mps2_kernel_sockets DEFINITIONS LWIP_TCPIP_CORE_LOCKING=0 LWIP_TCP_KEEPALIVE=0)

set(_sys_arch_test sys-arch)
if(NOT EMSOCK_CORTEX_M STREQUAL "m3")
  set(_sys_arch_test sys-arch-${EMSOCK_CORTEX_M})
endif()
add_executable(emsock_sys_arch_tests kernel_main.cpp sys_arch_test.cpp)
target_link_libraries(emsock_sys_arch_tests PRIVATE emsock_lwip_board_stack emsock::board_mps2 CppUTest::CppUTest
                      emsock_test_support)
emsock_warnings(emsock_sys_arch_tests)
add_test(NAME ${_sys_arch_test} COMMAND ${_kernel_qemu} $<TARGET_FILE:emsock_sys_arch_tests>)
set_tests_properties(${_sys_arch_test} PROPERTIES TIMEOUT 60 FAIL_REGULAR_EXPRESSION "${EMSOCK_CPPUTEST_SKIP_LINE}")
