# SPDX-License-Identifier: MIT
# Proofs for the IP core on Linux hosts and Linux cross targets (included by tests/core/CMakeLists.txt):
#   core-differential      emsock vs the host C library (inet_pton/inet_aton/inet_ntop) on > 1e6 strings
#   core-no-heap           every public core function called with the heap counted: zero calls
#   core-unchecked         the core with EMSOCK_CHECK_CONTRACTS=0: no check runs, results stay honest
#   core-symbols           libemsock_core.a references no heap and no C++ exception functions
#   core-symbols-selftest  the symbol check rejects a library that does (so it can fail)
#   port-symbols-selftest  the port rules reject its exceptions (substr's throw included), not its heap
# (Every emsock library is also checked after each build, in every build type: cmake/EmsockSymbols.cmake.)
# Cross targets run the executables through CMAKE_CROSSCOMPILING_EMULATOR (ctest adds it).

# The heap counter (tests/support/heap_counter.hpp): an object library whose users are linked with
# --wrap for malloc/calloc/realloc/free. emsock_heap_counter_new also replaces operator new/delete,
# for binaries that do not link libCppUTest.a (whose operator new already calls the wrapped malloc).
set(EMSOCK_HEAP_COUNTER_WRAP
    "LINKER:--wrap=malloc" "LINKER:--wrap=calloc" "LINKER:--wrap=realloc" "LINKER:--wrap=free")
foreach(variant IN ITEMS emsock_heap_counter emsock_heap_counter_new)
  add_library(${variant} OBJECT ${PROJECT_SOURCE_DIR}/tests/support/heap_counter.cpp)
  target_include_directories(${variant} PUBLIC ${PROJECT_SOURCE_DIR}/tests/support)
  target_link_options(${variant} INTERFACE ${EMSOCK_HEAP_COUNTER_WRAP})
  emsock_warnings(${variant})
endforeach()
target_compile_definitions(emsock_heap_counter_new PRIVATE EMSOCK_HEAP_COUNTER_REPLACE_NEW=1)

# The oracle shared with the fuzz targets: emsock compared with the C library.
add_library(emsock_c_library_oracle STATIC c_library_oracle.cpp)
target_include_directories(emsock_c_library_oracle PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# The code paths of the parsers (core/src/simd_parse.hpp), each checked against the scalar one.
target_include_directories(emsock_c_library_oracle PRIVATE ${PROJECT_SOURCE_DIR}/core/src)
target_link_libraries(emsock_c_library_oracle PUBLIC emsock::core)
emsock_warnings(emsock_c_library_oracle)

# The core again with EMSOCK_SMALL_CODE=1 (the compact code -Os firmware builds get: no tables, no
# unrolling), so that the differential test also proves that variant on the host.
get_target_property(EMSOCK_CORE_SOURCES emsock_core SOURCES)
add_library(emsock_core_small STATIC ${EMSOCK_CORE_SOURCES})
target_include_directories(emsock_core_small PUBLIC ${PROJECT_SOURCE_DIR}/core/include)
# PUBLIC: what links it sees the same variant in core/src/simd_parse.hpp (scalar paths only).
target_compile_definitions(emsock_core_small PUBLIC EMSOCK_SMALL_CODE=1)
# ... and without contract checks, as an NDEBUG firmware build has it (core-unchecked proves that mode).
target_compile_definitions(emsock_core_small PUBLIC EMSOCK_CHECK_CONTRACTS=0)
emsock_warnings(emsock_core_small)
emsock_freestanding(emsock_core_small)
emsock_check_symbols(emsock_core_small CORE)
add_library(emsock_c_library_oracle_small STATIC c_library_oracle.cpp)
target_include_directories(emsock_c_library_oracle_small PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_include_directories(emsock_c_library_oracle_small PRIVATE ${PROJECT_SOURCE_DIR}/core/src)
target_link_libraries(emsock_c_library_oracle_small PUBLIC emsock_core_small)
emsock_warnings(emsock_c_library_oracle_small)

# CppUTest's memory-leak detection is not wanted here (the no-heap proof counts allocations itself),
# and clang + ASan makes CppUTestConfig.h warn about it (an error under EMSOCK_WERROR) unless disabled.
set(EMSOCK_PROOF_CPPUTEST_DEFINITIONS CPPUTEST_MEM_LEAK_DETECTION_DISABLED)

add_executable(emsock_differential_tests main.cpp differential.cpp)
target_compile_definitions(emsock_differential_tests PRIVATE ${EMSOCK_PROOF_CPPUTEST_DEFINITIONS})
target_include_directories(emsock_differential_tests PRIVATE ${PROJECT_SOURCE_DIR}/core/src)
target_link_libraries(emsock_differential_tests PRIVATE emsock_c_library_oracle CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_differential_tests)
emsock_add_cpputest(NAME core-differential TARGET emsock_differential_tests)

add_executable(emsock_differential_small_tests main.cpp differential.cpp)
target_compile_definitions(emsock_differential_small_tests PRIVATE ${EMSOCK_PROOF_CPPUTEST_DEFINITIONS})
target_include_directories(emsock_differential_small_tests PRIVATE ${PROJECT_SOURCE_DIR}/core/src)
target_link_libraries(emsock_differential_small_tests PRIVATE emsock_c_library_oracle_small CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_differential_small_tests)
emsock_add_cpputest(NAME core-differential-small-code TARGET emsock_differential_small_tests)

add_executable(emsock_unchecked_tests main.cpp unchecked.cpp)
target_compile_definitions(emsock_unchecked_tests PRIVATE ${EMSOCK_PROOF_CPPUTEST_DEFINITIONS})
target_link_libraries(emsock_unchecked_tests PRIVATE emsock_core_small CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_unchecked_tests)
emsock_add_cpputest(NAME core-unchecked TARGET emsock_unchecked_tests)

add_executable(emsock_no_heap_tests main.cpp no_heap.cpp)
target_compile_definitions(emsock_no_heap_tests PRIVATE ${EMSOCK_PROOF_CPPUTEST_DEFINITIONS})
target_link_libraries(emsock_no_heap_tests PRIVATE emsock::core emsock_heap_counter CppUTest::CppUTest emsock_test_support)
emsock_warnings(emsock_no_heap_tests)
emsock_add_cpputest(NAME core-no-heap TARGET emsock_no_heap_tests)

set(EMSOCK_CHECK_SYMBOLS ${PROJECT_SOURCE_DIR}/cmake/check_core_symbols.cmake)
add_test(NAME core-symbols
         COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DARCHIVE=$<TARGET_FILE:emsock_core> -P ${EMSOCK_CHECK_SYMBOLS})

# A library with malloc, new, delete and throw: the check must reject it (EXPECT_REJECT verifies that
# each of those was detected, and fails otherwise).
add_library(emsock_symbols_selftest STATIC symbols_selftest_lib.cpp)
emsock_warnings(emsock_symbols_selftest)
add_test(NAME core-symbols-selftest
         COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} "-DARCHIVE=$<TARGET_FILE:emsock_core>$<SEMICOLON>$<TARGET_FILE:emsock_symbols_selftest>"
                 -DEXPECT_REJECT=ON -P ${EMSOCK_CHECK_SYMBOLS})
add_test(NAME port-symbols-selftest
         COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} "-DARCHIVE=$<TARGET_FILE:emsock_symbols_selftest>" -DRULES=port
                 -DEXPECT_REJECT=ON -P ${EMSOCK_CHECK_SYMBOLS})
