# SPDX-License-Identifier: MIT
# The port conformance suite on the board, over the lwip-raw backend (no kernel: lwIP NO_SYS=1 on its
# loopback netif, driven through the backend's hook from the test's own thread): ctest
# firmware-conformance-raw, a bare-metal CppUTest image under qemu-system-arm (Cortex-M3, mps2-an385).
# Included from tests/firmware/CMakeLists.txt (the bare-metal suites). The suite's peer threads
# (conformance/peer_thread.hpp) are peer_thread_none.cpp here: no kernel, no second thread, so the
# peer-thread cases skip (threads_can_wait = false) and their single-threaded forms
# (conformance/single_threaded_test.cpp) run. Files that start a std::thread themselves (the hosts'
# peer_thread.cpp) are left out. The skips the image may
# report are listed below with their reasons (firmware_skips_check.cmake): any other skip fails it.
# Built like the socket backend's images (tests/firmware/lwip_socket.cmake, whose heap counter and full
# libsupc++ it reuses): CppUTest with exceptions, so that a case that skips or fails half-way unwinds
# and its sockets close before the descriptor check; RAM in the boards' 16 MiB PSRAM.
if(NOT (TARGET emsock_lwip_raw_backend AND TARGET CppUTest::CppUTestExceptions AND TARGET emsock_board_mps2
        AND TARGET emsock_board_heap_counter))
  return()
endif()
file(GLOB conformance CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/conformance/*.cpp)
set(sources)
foreach(f IN LISTS conformance)
  file(STRINGS ${f} threads REGEX "std::thread")
  if(threads)
    get_filename_component(n ${f} NAME)
    list(APPEND left_out ${n})
  else()
    list(APPEND sources ${f})
  endif()
endforeach()
if(left_out)
  message(STATUS "firmware-conformance-raw: left out (they start a std::thread): ${left_out}")
endif()
add_executable(emsock_firmware_conformance_raw ${CMAKE_CURRENT_LIST_DIR}/lwip_raw_main.cpp
               ${CMAKE_CURRENT_LIST_DIR}/peer_thread_none.cpp ${PROJECT_SOURCE_DIR}/tests/firmware/runtime_support.c
               ${PROJECT_SOURCE_DIR}/tests/support/skip.cpp
               ${CMAKE_CURRENT_LIST_DIR}/lwip_raw_loopback.cpp ${CMAKE_CURRENT_LIST_DIR}/lwip_raw_backend_test.cpp
               ${CMAKE_CURRENT_LIST_DIR}/lwip_raw_dns_responder.cpp ${CMAKE_CURRENT_LIST_DIR}/dns_message.cpp
               ${sources})
target_compile_definitions(emsock_firmware_conformance_raw PRIVATE EMSOCK_LWIP_RAW_ON_BOARD=1)
target_include_directories(emsock_firmware_conformance_raw PRIVATE ${CMAKE_CURRENT_LIST_DIR}/conformance
                           ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/tests/support)
target_link_libraries(emsock_firmware_conformance_raw PRIVATE emsock::lwip_raw_backend emsock::board_mps2
                      CppUTest::CppUTestExceptions emsock_board_heap_counter ${_full_libsupcxx})
target_link_options(emsock_firmware_conformance_raw PRIVATE "LINKER:--defsym=emsock_ram_origin=0x21000000"
                    "LINKER:--defsym=emsock_ram_length=16M")
emsock_warnings(emsock_firmware_conformance_raw)

# The skips the board may report, by reason (regular expressions): the case for backends without a
# resolver, service names (lwIP has no services database), multicast groups (not offered), lwIP 2.1's IPv6 multicast options,
# the peer-thread cases (single-threaded backend) and the socket table that cannot be limited.
set(allowed
  "the backend has a resolver: this case is for backends without one"
  "no services database"
  "the lwip-raw backend offers no multicast groups"
  "lwIP 2.1 has no IPv6 multicast sending options"
  "needs a peer in another thread"
  "the stack's socket table cannot be limited here")
string(REPLACE ";" "|" allowed "${allowed}")
add_test(NAME firmware-conformance-raw
         COMMAND ${CMAKE_COMMAND} "-DRUN=${EMSOCK_QEMU_SYSTEM_ARM};-M;${EMSOCK_QEMU_MACHINE};-nographic;-monitor;none;-serial;none;-semihosting-config;enable=on,target=native;-kernel;$<TARGET_FILE:emsock_firmware_conformance_raw>"
                 "-DALLOWED=${allowed}" -P ${CMAKE_CURRENT_LIST_DIR}/firmware_skips_check.cmake)
set_tests_properties(firmware-conformance-raw PROPERTIES TIMEOUT 300)

# The example firmware on the backend (examples/lwip-raw-socket-firmware): its two clients get their replies.
if(TARGET emsock-lwip-raw-socket-firmware)
  add_test(NAME lwip-raw-socket-firmware
           COMMAND ${EMSOCK_QEMU_SYSTEM_ARM} -M ${EMSOCK_QEMU_MACHINE} -nographic -monitor none -serial none
                   -semihosting-config enable=on,target=native -kernel $<TARGET_FILE:emsock-lwip-raw-socket-firmware>)
  set_tests_properties(lwip-raw-socket-firmware PROPERTIES TIMEOUT 60 PASS_REGULAR_EXPRESSION
    "lwip-raw socket firmware: done, 5 sockets open")  # printed once both replies came; else exit 1
endif()
