# The conformance suite against the in-memory fake backend (port-fake), and the fake's own tests:
# its fault injection, the echo server engine and echo client under every fault, the CppUTest
# helpers (port-fake-faults).
add_executable(emsock_port_fake_tests fake_main.cpp ${EMSOCK_PORT_CONFORMANCE_SOURCES})
target_include_directories(emsock_port_fake_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
# emsock_heap_counter (tests/core/proofs.cmake) wraps malloc & co. for the no-allocation test.
target_link_libraries(emsock_port_fake_tests PRIVATE emsock::fake CppUTest::CppUTest Threads::Threads emsock_heap_counter)
emsock_warnings(emsock_port_fake_tests)
add_test(NAME port-fake COMMAND emsock_port_fake_tests)
set_tests_properties(port-fake PROPERTIES TIMEOUT 120)

add_executable(emsock_fake_tests fake_test_main.cpp fake_backend_test.cpp fake_echo_test.cpp)
target_link_libraries(emsock_fake_tests PRIVATE emsock::fake CppUTest::CppUTest)
emsock_warnings(emsock_fake_tests)
add_test(NAME port-fake-faults COMMAND emsock_fake_tests)
set_tests_properties(port-fake-faults PROPERTIES TIMEOUT 120)

# CppUTest's header refuses its own leak detector under clang's ASan (duplicate operator new).
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  target_compile_definitions(emsock_port_fake_tests PRIVATE CPPUTEST_MEM_LEAK_DETECTION_DISABLED)
  target_compile_definitions(emsock_fake_tests PRIVATE CPPUTEST_MEM_LEAK_DETECTION_DISABLED)
endif()
