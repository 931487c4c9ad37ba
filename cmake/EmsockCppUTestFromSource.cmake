# SPDX-License-Identifier: MIT
# EmsockCppUTestFromSource.cmake - CppUTest for a bare-metal target, built from Debian's source package.
#
# Debian ships CppUTest for Linux architectures only. For arm-none-eabi the build compiles
# libCppUTest.a from EMSOCK_CPPUTEST_SOURCE_DIR (default: Debian's pinned `cpputest` source package in
# the cache, fetched by ./scripts/fetch-sources; cmake/EmsockSources.cmake) with the same toolchain
# file as the project. Nothing is downloaded here.
#
# Result: imported target CppUTest::CppUTest (include directory and libCppUTest.a), CppUTest_FOUND.
#
# Options (the proven set, see DESIGN.md): CppUTest's configure-time feature checks only compile,
# with no linker script they cannot link, so they are given: no fork, no pthread, gettimeofday and
# strdup from newlib (gettimeofday through semihosting). STD_CPP=OFF: its <new>/<string> path needs
# exceptions. EXTENSIONS=OFF: CppUTestExt does not build against newlib's fenv.h (no FE_* macros) and
# the core suite does not use it. Memory-leak detection stays on, as on the host.
include(ExternalProject)
include(EmsockSources)
emsock_require_source(cpputest "The bare-metal test images (CppUTest built for ${CMAKE_SYSTEM_PROCESSOR})")

# emsock_cpputest_from_source(<imported target> <folder under _deps> <CppUTest's STD_CPP> [<CMake args>...]):
# libCppUTest.a built from the source tree into <folder>/install, as the imported target.
function(emsock_cpputest_from_source target folder std_cpp)
  set(dir ${CMAKE_BINARY_DIR}/_deps/${folder})
  set(install ${dir}/install)
  set(library ${install}/lib/${CMAKE_STATIC_LIBRARY_PREFIX}CppUTest${CMAKE_STATIC_LIBRARY_SUFFIX})
  string(MAKE_C_IDENTIFIER "emsock_${folder}_build" build)
  ExternalProject_Add(${build}
    PREFIX            ${dir}
    SOURCE_DIR        ${EMSOCK_CPPUTEST_SOURCE_DIR}
    INSTALL_DIR       ${install}
    # A local source tree only: no URL, no repository, nothing is downloaded or updated (the tree comes
    # from ./scripts/fetch-sources or the user, and emsock_require_source checked it at configure time).
    CMAKE_ARGS        -G ${CMAKE_GENERATOR}
                      -DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}
                      -DEMSOCK_CORTEX_M=${EMSOCK_CORTEX_M}
                      -DCMAKE_BUILD_TYPE=MinSizeRel
                      -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
                      -DCMAKE_INSTALL_LIBDIR=lib
                      -DSTD_CPP=${std_cpp} -DSTD_C=ON -DMEMORY_LEAK_DETECTION=ON -DEXTENSIONS=OFF -DLONGLONG=ON
                      -DTESTS=OFF -DTESTS_BUILD_DISCOVER=OFF -DVERBOSE_CONFIG=OFF
                      -DHAVE_FORK=0 -DHAVE_PTHREAD_MUTEX_LOCK=0 -DHAVE_GETTIMEOFDAY=1 -DHAVE_STRDUP=1 ${ARGN}
    BUILD_BYPRODUCTS  ${library}
    LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
  # The include directory of an imported target must exist when CMake generates the build.
  file(MAKE_DIRECTORY ${install}/include)
  add_library(${target} STATIC IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${library} INTERFACE_INCLUDE_DIRECTORIES ${install}/include)
  add_dependencies(${target} ${build})
endfunction()

emsock_cpputest_from_source(CppUTest::CppUTest cpputest OFF)
set(CppUTest_FOUND TRUE)

# CppUTest::CppUTestExceptions: the same CppUTest built with C++ exceptions (STD_CPP=ON, -fexceptions), so
# that a test that fails or skips (EMSOCK_SKIP) leaves through an exception and its objects' destructors
# run, as on the hosts; with longjmp a skipped case's sockets would stay open. For images whose test code
# is compiled with -fexceptions too and linked with the full libsupc++ (newlib-nano's cannot throw): the
# board's conformance suite, tests/firmware/lwip_socket.cmake.
emsock_cpputest_from_source(CppUTest::CppUTestExceptions cpputest-exceptions ON
                            "-DCMAKE_CXX_FLAGS_MINSIZEREL=-Os -DNDEBUG -fexceptions")
set_target_properties(CppUTest::CppUTestExceptions PROPERTIES INTERFACE_COMPILE_OPTIONS -fexceptions)
