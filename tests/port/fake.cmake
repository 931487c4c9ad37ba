# SPDX-License-Identifier: MIT
# The conformance suite against the in-memory fake backend (port-fake), and the fake's own tests:
# its fault injection, the echo server engine and echo client under every fault, the CppUTest
# helpers (port-fake-faults).
add_executable(emsock_port_fake_tests fake_main.cpp ${EMSOCK_PORT_CONFORMANCE_SOURCES})
target_include_directories(emsock_port_fake_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
# emsock_heap_counter (tests/core/proofs.cmake) wraps malloc & co. for the no-allocation test.
target_link_libraries(emsock_port_fake_tests PRIVATE emsock::fake CppUTest::CppUTest emsock_test_support Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_fake_tests)
emsock_add_cpputest(NAME port-fake TARGET emsock_port_fake_tests TIMEOUT 120)

add_executable(emsock_fake_tests fake_test_main.cpp fake_backend_test.cpp fake_echo_test.cpp fake_udp_test.cpp)
target_link_libraries(emsock_fake_tests PRIVATE emsock::fake CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_fake_tests)
emsock_add_cpputest(NAME port-fake-faults TARGET emsock_fake_tests TIMEOUT 120)

# CppUTest's header refuses its own leak detector under clang's ASan (duplicate operator new).
