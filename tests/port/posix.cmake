# SPDX-License-Identifier: MIT
# The conformance suite against the POSIX backend, plus its own native-error tests.
add_executable(emsock_port_tests posix_main.cpp posix_errors_test.cpp posix_libc_names.cpp posix_udp_test.cpp
               ${EMSOCK_PORT_CONFORMANCE_SOURCES})
target_include_directories(emsock_port_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
# emsock_heap_counter (tests/core/proofs.cmake) wraps malloc & co. for the no-allocation test.
target_link_libraries(emsock_port_tests PRIVATE emsock::posix CppUTest::CppUTest emsock_test_support Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_tests)
# CppUTest's header refuses its own leak detector under clang's ASan (duplicate operator new);
# ASan's leak checker takes over.
emsock_add_cpputest(NAME port-posix TARGET emsock_port_tests TIMEOUT 120)
