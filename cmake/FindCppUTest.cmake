# SPDX-License-Identifier: MIT
# FindCppUTest: CppUTest through pkg-config.
#
# Debian's libcpputest-dev ships a CMake package config that points at /usr/lib/include, so
# find_package(CppUTest CONFIG) is broken there. pkg-config works natively and, with
# PKG_CONFIG_LIBDIR=/usr/lib/<triplet>/pkgconfig set by our toolchain files, when cross-compiling.
#
# Result: imported target CppUTest::CppUTest (CppUTest + CppUTestExt), CppUTest_FOUND.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_CPPUTEST QUIET IMPORTED_TARGET cpputest)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CppUTest
  REQUIRED_VARS PC_CPPUTEST_FOUND
  VERSION_VAR PC_CPPUTEST_VERSION
  REASON_FAILURE_MESSAGE "install Debian's libcpputest-dev (pkg-config module 'cpputest')")

if(CppUTest_FOUND AND NOT TARGET CppUTest::CppUTest)
  add_library(CppUTest::CppUTest INTERFACE IMPORTED)
  target_link_libraries(CppUTest::CppUTest INTERFACE PkgConfig::PC_CPPUTEST)
endif()
