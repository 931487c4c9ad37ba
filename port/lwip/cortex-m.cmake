# SPDX-License-Identifier: MIT
# port/lwip/cortex-m.cmake - the lwIP socket backend for Cortex-M (included by port/CMakeLists.txt on
# bare metal). Builds, for emsock's own Cortex-M presets:
#   emsock_lwip   the socket backend (port/lwip/*.cpp + port/common, as Filelists.cmake lists them)
#                 compiled against the pinned lwIP source with a NO_SYS=0 configuration
#                 (port/lwip-config/socket-cortex-m/): a compile check that proves the file lists, and
#                 what the footprint's lwip-socket row measures. Images link the backend through
#                 emsock_lwip_socket_variant() (port/lwip-sys-cmsis-rtos2/), with sys_arch and a kernel.
# It needs an lwIP source tree: on by default only where the tests are built, never for a firmware
# that merely adds emsock (that firmware brings its lwIP: docs/lwip-integration.md).
option(EMSOCK_WITH_LWIP_CORTEX_M
       "Cortex-M: build lwIP's socket API from EMSOCK_LWIP_SOURCE_DIR (the socket backend's compile check, NO_SYS=0 images)"
       ${EMSOCK_BUILD_TESTS})
if(NOT EMSOCK_WITH_LWIP_CORTEX_M)
  return()
endif()
enable_language(C)
include(${PROJECT_SOURCE_DIR}/Filelists.cmake)  # the lists of firmware builds without CMake
include(EmsockSources)
emsock_require_source(lwip "EMSOCK_WITH_LWIP_CORTEX_M (lwIP for Cortex-M)")

# The socket backend for Cortex-M, compile only (NO_SYS=0 configuration in port/lwip-config/socket-cortex-m/).
if(EXISTS ${PROJECT_SOURCE_DIR}/port/lwip/socket.cpp AND EXISTS ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR}/lwipopts.h
   AND NOT TARGET emsock_lwip)
  # The lists of firmware builds without CMake (Filelists.cmake): compiling them here proves them.
  add_library(emsock_lwip STATIC ${EMSOCK_LWIP_SOCKET_SRCS} ${EMSOCK_PORT_COMMON_SRCS})
  target_compile_definitions(emsock_lwip PUBLIC EMSOCK_PORT_LWIP=1)
  target_include_directories(emsock_lwip PUBLIC ${PROJECT_SOURCE_DIR}/port/include ${EMSOCK_LWIP_COMMON_INCLUDE_DIRS})
  target_include_directories(emsock_lwip SYSTEM PUBLIC
    ${EMSOCK_LWIP_CONFIG_SOCKET_CORTEX_M_DIR} ${EMSOCK_LWIP_SYS_CMSIS_RTOS2_INCLUDE_DIRS}
    ${EMSOCK_LWIP_SOURCE_DIR}/src/include)
  target_link_libraries(emsock_lwip PUBLIC emsock::core)
  emsock_warnings(emsock_lwip)
  emsock_freestanding(emsock_lwip)
  emsock_check_symbols(emsock_lwip PORT)
endif()
