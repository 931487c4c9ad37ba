# SPDX-License-Identifier: MIT
# The conformance suite against the lwIP backend on a real lwIP stack in this process (tcpip thread
# and a loopback netif: port/lwip/host), plus the lwIP backend's own tests.
# A user's file that calls close(fd), compiled once per include order (lwip_user_file.hpp), as
# objects of test binary `test` with the includes and options of `backend`.
function(emsock_lwip_user_files test backend)
  foreach(n 1 2 3 4 5)
    add_library(${test}_user_file_${n} OBJECT lwip_user_file.cpp)
    target_compile_definitions(${test}_user_file_${n} PRIVATE EMSOCK_USER_FILE=${n})
    target_link_libraries(${test}_user_file_${n} PRIVATE ${backend})
    emsock_warnings(${test}_user_file_${n})
    target_link_libraries(${test} PRIVATE ${test}_user_file_${n})
  endforeach()
endfunction()

add_executable(emsock_port_lwip_tests lwip_main.cpp lwip_backend_test.cpp lwip_errors_test.cpp lwip_user_file_test.cpp
               ${EMSOCK_PORT_CONFORMANCE_SOURCES})
emsock_lwip_user_files(emsock_port_lwip_tests emsock::lwip)
target_include_directories(emsock_port_lwip_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
# emsock_heap_counter wraps malloc for emsock's and the test's code; lwIP is a shared library (its
# libc malloc is not wrapped), so the no-allocation proof covers the engine, not lwIP.
target_link_libraries(emsock_port_lwip_tests PRIVATE emsock::lwip emsock::lwip_loopback CppUTest::CppUTest emsock_test_support
                      Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_lwip_tests)
emsock_add_cpputest(NAME port-lwip TARGET emsock_port_lwip_tests TIMEOUT 180)

# The backend's lwipopts.h checks (port/lwip/lwip_api.hpp): with LWIP_SOCKET_POLL, LWIP_SOCKET or
# LWIP_TCP off, or NO_SYS on, the header stops with emsock's #error naming the option (a compile of
# the header against this lwIP's lwipopts.h with the option overridden; a control compile must pass).
add_test(NAME port-lwip-options
         COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER} -DSOURCE=${PROJECT_SOURCE_DIR}
                 "-DINCLUDES=$<JOIN:$<TARGET_PROPERTY:emsock_lwip,INTERFACE_INCLUDE_DIRECTORIES>,|>"
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/lwip-options -P ${CMAKE_CURRENT_SOURCE_DIR}/lwip_options_check.cmake)
set_tests_properties(port-lwip-options PROPERTIES TIMEOUT 120)

# The socket backend's clock (port/lwip/clock.cpp) over a sys_now() of the test's own, lwIP not
# linked: one run per first reading of sys_now() (a process reads it first only once).
set(emsock_lwip_clock_first_readings 0 2147483647 2147483648 4294967295)
add_executable(emsock_lwip_clock_tests lwip_clock_test.cpp ${PROJECT_SOURCE_DIR}/port/lwip/clock.cpp)
target_include_directories(emsock_lwip_clock_tests SYSTEM PRIVATE $<TARGET_PROPERTY:emsock_lwip,INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_definitions(emsock_lwip_clock_tests PRIVATE $<TARGET_PROPERTY:emsock_lwip,INTERFACE_COMPILE_DEFINITIONS>)
target_compile_options(emsock_lwip_clock_tests PRIVATE $<TARGET_PROPERTY:emsock_lwip,INTERFACE_COMPILE_OPTIONS>)
target_link_libraries(emsock_lwip_clock_tests PRIVATE emsock::core CppUTest::CppUTest)
emsock_warnings(emsock_lwip_clock_tests)
foreach(first IN LISTS emsock_lwip_clock_first_readings)
  add_test(NAME port-lwip-clock-first-${first} COMMAND emsock_lwip_clock_tests --first-sys-now ${first})
endforeach()

# emsock-lwip-echo (examples/, added after tests/: the target is resolved at generate time).
if(EMSOCK_BUILD_EXAMPLES)
  add_test(NAME example-lwip-echo COMMAND emsock-lwip-echo --clients 8 --bytes 1048576)
  set_tests_properties(example-lwip-echo PROPERTIES TIMEOUT 120
                       PASS_REGULAR_EXPRESSION "8 clients, 1048576 bytes echoed and verified over lwIP")
  # A usage error: its message and exit status 2 (WILL_FAIL passed on any failure, a crash too).
  add_test(NAME example-lwip-echo-usage
           COMMAND sh -c "\"\$@\" --clients 0; echo \"exit status \$?\"" sh
                   ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:emsock-lwip-echo>)
  set_tests_properties(example-lwip-echo-usage PROPERTIES TIMEOUT 30
                       PASS_REGULAR_EXPRESSION "--clients must be 1\\.\\.[0-9]+, not '0'.*\nexit status 2\n")
  # --udp (issue 11): the datagram echo over lwIP sockets, the UDP engine beside TCP in one loop;
  # the line has no " - FAILED" when every byte came back.
  add_test(NAME example-lwip-echo-udp COMMAND emsock-lwip-echo --udp --clients 4 --bytes 300007)
  set_tests_properties(example-lwip-echo-udp PROPERTIES TIMEOUT 120
                       PASS_REGULAR_EXPRESSION "4 clients, 300007 bytes echoed and verified in datagrams over lwIP [^\n]*MB/s\\)\n")
endif()

# The same suite on the firmware configuration (lwIP from Debian's source package with
# port/lwip-config/socket: static pools, DNS, TCP_LISTEN_BACKLOG, LWIP_COMPAT_SOCKETS), plus its own
# tests: names through lwip_getaddrinfo and a DNS responder on the loopback, PCB pool exhaustion.
# Twice: with the core lock (port-lwip-firmware) and without (LWIP_TCPIP_CORE_LOCKING=0,
# port-lwip-firmware-no-core-locking: lwIP's core only on its tcpip thread, checked by sys_arch.c).
if(TARGET emsock_lwip_firmware)
  foreach(variant "" _no_core_locking)
    set(test emsock_port_lwip_firmware${variant}_tests)
    add_executable(${test} lwip_main.cpp lwip_backend_test.cpp lwip_errors_test.cpp lwip_firmware_test.cpp
                   lwip_dns_responder.cpp dns_message.cpp lwip_user_file_test.cpp ${EMSOCK_PORT_CONFORMANCE_SOURCES})
    emsock_lwip_user_files(${test} emsock_lwip_firmware${variant})
    target_include_directories(${test} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
    target_link_libraries(${test} PRIVATE emsock_lwip_firmware${variant} emsock_lwip_firmware${variant}_loopback
                          CppUTest::CppUTest emsock_test_support Threads::Threads emsock_heap_counter)
    emsock_warnings(${test})
    string(REPLACE "_" "-" name "port-lwip-firmware${variant}")
    emsock_add_cpputest(NAME ${name} TARGET ${test} TIMEOUT 180)
  endforeach()
  # The lwipopts.h checks against the firmware configuration (port/lwip-config/socket) too.
  add_test(NAME port-lwip-firmware-options
           COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER} -DSOURCE=${PROJECT_SOURCE_DIR}
                   "-DINCLUDES=$<JOIN:$<TARGET_PROPERTY:emsock_lwip_firmware_stack,INTERFACE_INCLUDE_DIRECTORIES>,|>"
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/lwip-firmware-options
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/lwip_options_check.cmake)
  set_tests_properties(port-lwip-firmware-options PROPERTIES TIMEOUT 120)

  # The raw-API backend's clock (port/lwip-raw/clock.cpp, NO_SYS=1) the same way, over the same
  # lwIP headers with the backend's configuration.
  get_target_property(lwip_stack_includes emsock_lwip_firmware_stack INTERFACE_INCLUDE_DIRECTORIES)
  list(FILTER lwip_stack_includes INCLUDE REGEX "/src/include$")
  add_executable(emsock_lwip_raw_clock_tests lwip_clock_test.cpp ${PROJECT_SOURCE_DIR}/port/lwip-raw/clock.cpp)
  target_compile_definitions(emsock_lwip_raw_clock_tests PRIVATE EMSOCK_CLOCK_LWIP_RAW=1)
  target_include_directories(emsock_lwip_raw_clock_tests PRIVATE ${PROJECT_SOURCE_DIR}/port/include)
  target_include_directories(emsock_lwip_raw_clock_tests SYSTEM PRIVATE
                             ${PROJECT_SOURCE_DIR}/port/lwip-config/raw-backend ${lwip_stack_includes})
  target_link_libraries(emsock_lwip_raw_clock_tests PRIVATE emsock::core CppUTest::CppUTest)
  emsock_warnings(emsock_lwip_raw_clock_tests)
  foreach(first IN LISTS emsock_lwip_clock_first_readings)
    add_test(NAME port-lwip-raw-clock-first-${first} COMMAND emsock_lwip_raw_clock_tests --first-sys-now ${first})
  endforeach()

  # The backend's sources compile with LWIP_COMPAT_SOCKETS 0, 1 and 2 (port/lwip/CMakeLists.txt).
  foreach(compat 0 1 2)
    set(target emsock_lwip_compat_sockets_${compat})
    if(compat EQUAL 1)
      set(target emsock_lwip_firmware)  # the firmware configuration is 1
    endif()
    add_test(NAME port-lwip-compat-sockets-${compat} COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${target})
    set_tests_properties(port-lwip-compat-sockets-${compat} PROPERTIES TIMEOUT 600 RESOURCE_LOCK emsock_build_tree)
  endforeach()
endif()
