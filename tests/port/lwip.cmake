# The conformance suite against the lwIP backend on a real lwIP stack in this process (tcpip thread
# and a loopback netif: port/lwip/host), plus the lwIP backend's own tests.
add_executable(emsock_port_lwip_tests lwip_main.cpp lwip_backend_test.cpp ${EMSOCK_PORT_CONFORMANCE_SOURCES})
target_include_directories(emsock_port_lwip_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
# emsock_heap_counter wraps malloc for emsock's and the test's code; lwIP is a shared library (its
# libc malloc is not wrapped), so the no-allocation proof covers the engine, not lwIP.
target_link_libraries(emsock_port_lwip_tests PRIVATE emsock::lwip emsock::lwip_loopback CppUTest::CppUTest
                      Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_lwip_tests)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  target_compile_definitions(emsock_port_lwip_tests PRIVATE CPPUTEST_MEM_LEAK_DETECTION_DISABLED)
endif()
add_test(NAME port-lwip COMMAND emsock_port_lwip_tests)
set_tests_properties(port-lwip PROPERTIES TIMEOUT 180)

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
  add_test(NAME example-lwip-echo-usage COMMAND emsock-lwip-echo --clients 0)
  set_tests_properties(example-lwip-echo-usage PROPERTIES WILL_FAIL TRUE TIMEOUT 30)
endif()

# The same suite on the firmware configuration (lwIP from Debian's source package with
# port/lwip/config: static pools, DNS, TCP_LISTEN_BACKLOG, LWIP_COMPAT_SOCKETS), plus its own
# tests: names through lwip_getaddrinfo and a DNS responder on the loopback, PCB pool exhaustion.
if(TARGET emsock_lwip_firmware)
  add_executable(emsock_port_lwip_firmware_tests lwip_main.cpp lwip_backend_test.cpp lwip_firmware_test.cpp
                 lwip_dns_responder.cpp ${EMSOCK_PORT_CONFORMANCE_SOURCES})
  target_include_directories(emsock_port_lwip_firmware_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
  target_link_libraries(emsock_port_lwip_firmware_tests PRIVATE emsock_lwip_firmware emsock_lwip_firmware_loopback
                        CppUTest::CppUTest Threads::Threads emsock_heap_counter)
  emsock_warnings(emsock_port_lwip_firmware_tests)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
    target_compile_definitions(emsock_port_lwip_firmware_tests PRIVATE CPPUTEST_MEM_LEAK_DETECTION_DISABLED)
  endif()
  add_test(NAME port-lwip-firmware COMMAND emsock_port_lwip_firmware_tests)
  set_tests_properties(port-lwip-firmware PROPERTIES TIMEOUT 180)
endif()
