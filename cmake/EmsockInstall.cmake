# SPDX-License-Identifier: MIT
# Install and export: a downstream project's find_package(emsock) gives emsock::core
# (and emsock::posix / emsock::lwip once those backends are built).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(EMSOCK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/emsock")

install(EXPORT emsock-targets
        NAMESPACE emsock::
        FILE emsock-targets.cmake
        DESTINATION "${EMSOCK_CMAKE_DIR}")

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/emsock-config.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/emsock-config.cmake"
  INSTALL_DESTINATION "${EMSOCK_CMAKE_DIR}")
write_basic_package_version_file(
  "${CMAKE_CURRENT_BINARY_DIR}/emsock-config-version.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)

install(FILES
          "${CMAKE_CURRENT_BINARY_DIR}/emsock-config.cmake"
          "${CMAKE_CURRENT_BINARY_DIR}/emsock-config-version.cmake"
        DESTINATION "${EMSOCK_CMAKE_DIR}")

# The license goes with the package (a firmware vendor's legal review looks for it there).
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/emsock")
