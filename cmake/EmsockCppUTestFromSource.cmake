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

set(EMSOCK_CPPUTEST_DIR ${CMAKE_BINARY_DIR}/_deps/cpputest)
set(EMSOCK_CPPUTEST_INSTALL ${EMSOCK_CPPUTEST_DIR}/install)
set(EMSOCK_CPPUTEST_LIBRARY ${EMSOCK_CPPUTEST_INSTALL}/lib/${CMAKE_STATIC_LIBRARY_PREFIX}CppUTest${CMAKE_STATIC_LIBRARY_SUFFIX})

ExternalProject_Add(emsock_cpputest_build
  PREFIX            ${EMSOCK_CPPUTEST_DIR}
  SOURCE_DIR        ${EMSOCK_CPPUTEST_SOURCE_DIR}
  INSTALL_DIR       ${EMSOCK_CPPUTEST_INSTALL}
  # A local source tree only: no URL, no repository, nothing is downloaded or updated (the tree comes
  # from ./scripts/fetch-sources or the user, and emsock_require_source checked it at configure time).
  CMAKE_ARGS        -G ${CMAKE_GENERATOR}
                    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}
                    -DEMSOCK_CORTEX_M=${EMSOCK_CORTEX_M}
                    -DCMAKE_BUILD_TYPE=MinSizeRel
                    -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
                    -DCMAKE_INSTALL_LIBDIR=lib
                    -DSTD_CPP=OFF -DSTD_C=ON -DMEMORY_LEAK_DETECTION=ON -DEXTENSIONS=OFF
                    -DTESTS=OFF -DTESTS_BUILD_DISCOVER=OFF -DVERBOSE_CONFIG=OFF
                    -DHAVE_FORK=0 -DHAVE_PTHREAD_MUTEX_LOCK=0 -DHAVE_GETTIMEOFDAY=1 -DHAVE_STRDUP=1
  BUILD_BYPRODUCTS  ${EMSOCK_CPPUTEST_LIBRARY}
  LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)

# The include directory of an imported target must exist when CMake generates the build.
file(MAKE_DIRECTORY ${EMSOCK_CPPUTEST_INSTALL}/include)
add_library(CppUTest::CppUTest STATIC IMPORTED GLOBAL)
set_target_properties(CppUTest::CppUTest PROPERTIES
  IMPORTED_LOCATION ${EMSOCK_CPPUTEST_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${EMSOCK_CPPUTEST_INSTALL}/include)
add_dependencies(CppUTest::CppUTest emsock_cpputest_build)
set(CppUTest_FOUND TRUE)
