# SPDX-License-Identifier: MIT
# lwIP's socket API on the board (NO_SYS=0 over port/lwip-sys-cmsis-rtos2 and the mps2 kernel), included
# from tests/firmware/CMakeLists.txt:
#   emsock_mps2_kernel_sockets  the kernel with pools for lwIP's objects at the conformance suite's scale
#                               (a semaphore and a mailbox per socket: 64 sockets)
#   emsock_lwip_board           lwIP + sys_arch + emsock's socket backend with port/lwip-config/socket-cortex-m
#   emsock_lwip_board_no_core_locking  the same with LWIP_TCPIP_CORE_LOCKING=0 (lwIP's core on its thread only)
#   emsock_lwip_board_fullduplex  the same with LWIP_NETCONN_SEM_PER_THREAD=1 and LWIP_NETCONN_FULLDUPLEX=1
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
# One semaphore per thread (sys_arch's table keyed by osThreadGetId) and full-duplex sockets, the options a
# socket shared by a sender and a receiver thread needs.
emsock_lwip_socket_variant(emsock_lwip_board_fullduplex CONFIG ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR}
                           KERNEL emsock_mps2_kernel_sockets
                           DEFINITIONS LWIP_NETCONN_SEM_PER_THREAD=1 LWIP_NETCONN_FULLDUPLEX=1)

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
# The same suite with LWIP_NETCONN_SEM_PER_THREAD (its per-thread table's cases too). Not the conformance
# suite: with LWIP_NETCONN_FULLDUPLEX, lwIP 2.1.3 asserts "netconn marked closed" (netconn_drain) when a
# listener closes with connections it never accepted (stream.connect_times_out_when_the_listen_queue_is_full).
add_executable(emsock_sys_arch_sem_per_thread_tests kernel_main.cpp sys_arch_test.cpp)
target_link_libraries(emsock_sys_arch_sem_per_thread_tests PRIVATE emsock_lwip_board_fullduplex_stack
                      emsock::board_mps2 CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_sys_arch_sem_per_thread_tests)
add_test(NAME ${_sys_arch_test}-sem-per-thread COMMAND ${_kernel_qemu} $<TARGET_FILE:emsock_sys_arch_sem_per_thread_tests>)
set_tests_properties(${_sys_arch_test}-sem-per-thread PROPERTIES TIMEOUT 60
                     FAIL_REGULAR_EXPRESSION "${EMSOCK_CPPUTEST_SKIP_LINE}")

# sys-arch-core-check: without the core lock, lwIP's core entered from another thread than the tcpip
# thread stops the image with sys_arch's line (core_check.cpp), exit status non-zero.
add_executable(emsock_sys_arch_core_check core_check.cpp)
target_link_libraries(emsock_sys_arch_core_check PRIVATE emsock_lwip_board_no_core_locking_stack emsock::board_mps2)
emsock_warnings(emsock_sys_arch_core_check)
add_test(NAME ${_sys_arch_test}-core-check
         COMMAND sh -c "\"$@\" > \"$0\" 2>&1; rc=$?; cat \"$0\"; [ $rc -ne 0 ] && grep -q \"lwIP's core entered outside the tcpip thread\" \"$0\""
                 ${CMAKE_CURRENT_BINARY_DIR}/sys-arch-core-check.out ${_kernel_qemu} $<TARGET_FILE:emsock_sys_arch_core_check>)
set_tests_properties(${_sys_arch_test}-core-check PROPERTIES TIMEOUT 60)

# sys-arch-sem-table-check: a thread beyond SYS_ARCH_THREAD_SEMS (2 here) asking for its netconn semaphore
# stops the image with sys_arch's line (sem_table_check.cpp), asserts on or off (LWIP_NOASSERT in this one).
emsock_lwip_socket_variant(emsock_lwip_board_two_thread_sems CONFIG ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR}
                           KERNEL emsock_mps2_kernel_sockets
                           DEFINITIONS LWIP_NETCONN_SEM_PER_THREAD=1 SYS_ARCH_THREAD_SEMS=2 LWIP_NOASSERT=1)
add_executable(emsock_sys_arch_sem_table_check sem_table_check.cpp)
target_link_libraries(emsock_sys_arch_sem_table_check PRIVATE emsock_lwip_board_two_thread_sems_stack emsock::board_mps2)
emsock_warnings(emsock_sys_arch_sem_table_check)
add_test(NAME ${_sys_arch_test}-sem-table-check
         COMMAND sh -c "\"$@\" > \"$0\" 2>&1; rc=$?; cat \"$0\"; [ $rc -ne 0 ] && grep -q \"sys_arch stops: more threads use netconns than SYS_ARCH_THREAD_SEMS\" \"$0\""
                 ${CMAKE_CURRENT_BINARY_DIR}/sys-arch-sem-table-check.out ${_kernel_qemu} $<TARGET_FILE:emsock_sys_arch_sem_table_check>)
set_tests_properties(${_sys_arch_test}-sem-table-check PROPERTIES TIMEOUT 60)

# The port conformance suite on the board (tests/port/conformance, the files the hosts run) over lwIP
# sockets under the kernel, through the lwIP backend's test main (tests/port/lwip_main.cpp, its main()
# renamed: kernel_main.cpp starts the kernel and runs it in a thread) with the loopback netif
# (port/lwip/host/loopback_stack.cpp) and the DNS responder (tests/port/lwip_dns_responder.cpp). Peer
# threads are kernel threads (peer_thread_kernel.cpp in place of conformance/peer_thread.cpp).
file(GLOB _conformance_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/port/conformance/*.cpp)
list(FILTER _conformance_sources EXCLUDE REGEX "/peer_thread\\.cpp$")
set(_lwip_suite_main ${PROJECT_SOURCE_DIR}/tests/port/lwip_main.cpp)
set_source_files_properties(${_lwip_suite_main} PROPERTIES COMPILE_DEFINITIONS main=emsock_lwip_suite_main)
# The heap counter of the suite's no-allocation cases (tests/support/heap_counter.hpp), as on the hosts.
add_library(emsock_board_heap_counter OBJECT ${PROJECT_SOURCE_DIR}/tests/support/heap_counter.cpp)
target_include_directories(emsock_board_heap_counter PUBLIC ${PROJECT_SOURCE_DIR}/tests/support)
target_link_options(emsock_board_heap_counter INTERFACE
                    "LINKER:--wrap=malloc" "LINKER:--wrap=calloc" "LINKER:--wrap=realloc" "LINKER:--wrap=free")
emsock_warnings(emsock_board_heap_counter)

# newlib-nano's libsupc++ (nano.specs) cannot throw: such an image stops at the first throw. The full
# libsupc++ of the same multilib, named by its path (nano.specs renames only -lsupc++), unwinds.
separate_arguments(_cpu_flags UNIX_COMMAND "${EMSOCK_CPU_FLAGS}")
execute_process(COMMAND ${CMAKE_CXX_COMPILER} ${_cpu_flags} -print-file-name=libsupc++.a
                OUTPUT_VARIABLE _full_libsupcxx OUTPUT_STRIP_TRAILING_WHITESPACE)

# The cases the board skips, each for the reason its summary prints (listed_skips.cmake fails on any
# other skip): lwIP has no services database, has a resolver, has no IPv6 multicast sending options, and
# its socket table cannot be limited (a queued connection already holds its netconn).
set(_board_skips names.service_names_come_from_the_services_database
                 names.without_a_resolver_the_answer_is_unavailable multicast.ipv6_sending_options
                 echo_server_descriptors.a_connection_ending_frees_a_descriptor_and_ends_the_pause_at_once
                 echo_server_descriptors.accept_without_descriptors_pauses_then_serves_the_waiting_clients)
# Without LWIP_TCP_KEEPALIVE (the no-core-locking image, as on the host): keepalive is operation_not_supported.
set(_keepalive_skips keepalive.out_of_range_values_are_invalid_argument_and_change_nothing
                     keepalive.what_is_set_reads_back_including_the_ends_of_each_range
                     keepalive.a_new_stream_has_it_off_on_both_ends)

# emsock_board_conformance(<test name> <lwIP variant> <listed skips>...)
function(emsock_board_conformance test backend)
  set(image ${backend}_conformance)
  add_executable(${image} kernel_main.cpp peer_thread_kernel.cpp runtime_support.c ${_lwip_suite_main}
                 ${PROJECT_SOURCE_DIR}/tests/support/skip.cpp ${PROJECT_SOURCE_DIR}/tests/port/lwip_dns_responder.cpp
                 ${PROJECT_SOURCE_DIR}/tests/port/dns_message.cpp
                 ${PROJECT_SOURCE_DIR}/port/lwip/host/loopback_stack.cpp ${_conformance_sources})
  # lwip_main.cpp's main() is the suite's entry, run in a kernel thread with 64 KB of stack (the cases keep
  # echo servers, 8 sessions of 1 KB, on it).
  target_compile_definitions(${image} PRIVATE EMSOCK_SUITE_ENTRY=emsock_lwip_suite_main EMSOCK_SUITE_STACK_SIZE=65536)
  target_include_directories(${image} PRIVATE ${PROJECT_SOURCE_DIR}/tests/port/conformance
                             ${PROJECT_SOURCE_DIR}/tests/port ${PROJECT_SOURCE_DIR}/port/lwip/host)
  # CppUTest with exceptions, and the image's test code (skip.cpp too) compiled with them: a case that
  # fails or skips half-way unwinds, its sockets close, and the descriptor check after it holds.
  target_link_libraries(${image} PRIVATE ${backend} emsock::board_mps2 CppUTest::CppUTestExceptions
                        emsock_board_heap_counter ${_full_libsupcxx})
  target_include_directories(${image} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  # RAM in the boards' 16 MiB PSRAM (port/boards/mps2/mps2.ld): stream_test.cpp sends a 4 MB buffer.
  target_link_options(${image} PRIVATE "LINKER:--defsym=emsock_ram_origin=0x21000000"
                      "LINKER:--defsym=emsock_ram_length=16M")
  emsock_warnings(${image})
  add_test(NAME ${test} COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${_kernel_qemu};$<TARGET_FILE:${image}>"
                                 "-DSKIPS=${ARGN}" -P ${CMAKE_CURRENT_SOURCE_DIR}/listed_skips.cmake)
  set_tests_properties(${test} PROPERTIES TIMEOUT 120)
endfunction()

set(_suffix "")
if(NOT EMSOCK_CORTEX_M STREQUAL "m3")
  set(_suffix -${EMSOCK_CORTEX_M})
endif()
emsock_board_conformance(firmware-conformance${_suffix} emsock_lwip_board ${_board_skips})
emsock_board_conformance(firmware-conformance-no-core-locking${_suffix} emsock_lwip_board_no_core_locking
                         ${_board_skips} ${_keepalive_skips})

# firmware-conformance-m4f (Cortex-M3 tree): the same suite built for the Cortex-M4F and run on mps2-an386,
# in the nested M4F tree kernel-m4f configures (kernel_m4f.cmake; one tree, so one at a time).
if(EMSOCK_CORTEX_M STREQUAL "m3")
  add_test(NAME firmware-conformance-m4f
           COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DBINARY_DIR=${CMAKE_BINARY_DIR}/_kernel-m4f
                   -DCMAKE_CTEST_COMMAND=${CMAKE_CTEST_COMMAND} -DTARGETS=emsock_lwip_board_conformance
                   "-DTESTS=^firmware-conformance-m4f$" -P ${CMAKE_CURRENT_SOURCE_DIR}/kernel_m4f.cmake)
  set_tests_properties(firmware-conformance-m4f PROPERTIES TIMEOUT 900 RESOURCE_LOCK emsock_m4f_tree)
endif()
