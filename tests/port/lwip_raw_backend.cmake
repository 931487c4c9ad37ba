# SPDX-License-Identifier: MIT
# The conformance suite against the lwip-raw backend (lwIP NO_SYS=1 from the pinned source, in this
# process over its loopback netif, single-threaded): ctest port-lwip-raw, plus the backend's own tests.
add_executable(emsock_port_lwip_raw_tests lwip_raw_main.cpp lwip_raw_loopback.cpp lwip_raw_backend_test.cpp
               lwip_raw_dns_responder.cpp dns_message.cpp
               ${EMSOCK_PORT_CONFORMANCE_SOURCES})
target_include_directories(emsock_port_lwip_raw_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
target_link_libraries(emsock_port_lwip_raw_tests PRIVATE emsock::lwip_raw_backend CppUTest::CppUTest emsock_test_support
                      Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_lwip_raw_tests)
emsock_add_cpputest(NAME port-lwip-raw TARGET emsock_port_lwip_raw_tests TIMEOUT 300)
