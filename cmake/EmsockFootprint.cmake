# SPDX-License-Identifier: MIT
# EmsockFootprint.cmake - the `footprint` target of the Cortex-M builds (included by port/CMakeLists.txt).
#
#   cmake --build build/cortex-m3-qemu --target footprint
#
# Prints one row per component, `name text data bss` in bytes, from this build's -Os objects (the
# Cortex-M presets are MinSizeRel, and -Os selects EMSOCK_SMALL_CODE), and the largest stack frames of
# the core and of each port library built here (-fstack-usage); fails when one of those frames is
# above 256 bytes. The rows are computed by cmake/footprint.cmake; see there for the method.
# The table is also written to <build>/footprint.txt.
#
# Components: the core's own, plus lwip-socket (emsock_lwip) and lwip-raw-backend
# (emsock_lwip_raw_backend, the socket interface over the raw API) when those backends are part of this
# build, else marked "not built"; and the whole echo-firmware image
# (and echo-firmware-udp, the image with UDP echo too, when EMSOCK_FIRMWARE_UDP builds it); the whole
# socket image (socket-firmware: examples/emsock-socket-firmware, lwIP sockets under the kernel); the
# mps2 boards' kernel alone (kernel).
target_compile_options(emsock_core PRIVATE -fstack-usage)

get_filename_component(_emsock_tool_dir "${CMAKE_NM}" DIRECTORY)
get_filename_component(_emsock_nm_name "${CMAKE_NM}" NAME)
string(REGEX REPLACE "nm$" "size" _emsock_size_name "${_emsock_nm_name}")
find_program(EMSOCK_SIZE NAMES ${_emsock_size_name} HINTS ${_emsock_tool_dir} NO_CMAKE_FIND_ROOT_PATH)
if(NOT EMSOCK_SIZE)
  message(WARNING "emsock: ${_emsock_size_name} not found; the footprint target is not available")
  return()
endif()

set(_emsock_footprint_args "-DCORE=$<TARGET_FILE:emsock_core>"
                           "-DCORE_OBJECTS=$<JOIN:$<TARGET_OBJECTS:emsock_core>,|>")
set(_emsock_footprint_depends emsock_core)
# port/CMakeLists.txt adds the backends before including this file, so they exist now if they are built.
foreach(pair IN ITEMS "lwip-socket=emsock_lwip" "lwip-raw-backend=emsock_lwip_raw_backend")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 row)
  list(GET pair 1 target)
  if(TARGET ${target})
    target_compile_options(${target} PRIVATE -fstack-usage)  # the port layer's frames, beside the core's
    list(APPEND _emsock_footprint_args "-DARCHIVE_${row}=$<TARGET_FILE:${target}>")
    list(APPEND _emsock_footprint_args "-DOBJECTS_${row}=$<JOIN:$<TARGET_OBJECTS:${target}>,|>")
    list(APPEND _emsock_footprint_depends ${target})
  endif()
endforeach()

# The whole network echo image (port/CMakeLists.txt adds it before including this file).
if(TARGET emsock-echo-firmware)
  list(APPEND _emsock_footprint_args "-DIMAGE_echo-firmware=$<TARGET_FILE:emsock-echo-firmware>")
  list(APPEND _emsock_footprint_depends emsock-echo-firmware)
endif()
if(TARGET emsock-echo-firmware-udp)  # EMSOCK_FIRMWARE_UDP: the same image with UDP echo too
  list(APPEND _emsock_footprint_args "-DIMAGE_echo-firmware-udp=$<TARGET_FILE:emsock-echo-firmware-udp>")
  list(APPEND _emsock_footprint_depends emsock-echo-firmware-udp)
endif()
if(TARGET emsock-socket-firmware)  # the socket image: port/common's engines over lwIP sockets, the kernel
  list(APPEND _emsock_footprint_args "-DIMAGE_socket-firmware=$<TARGET_FILE:emsock-socket-firmware>")
  list(APPEND _emsock_footprint_depends emsock-socket-firmware)
endif()


# The mps2 boards' kernel alone (port/boards/mps2/kernel), an object library.
if(TARGET emsock_mps2_kernel)
  list(APPEND _emsock_footprint_args "-DKERNEL_OBJECTS=$<JOIN:$<TARGET_OBJECTS:emsock_mps2_kernel>,|>")
  list(APPEND _emsock_footprint_depends emsock_mps2_kernel)
endif()

string(TOUPPER "${EMSOCK_CORTEX_M}" _emsock_cpu)
add_custom_target(footprint
  COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DLD=${CMAKE_LINKER} -DSIZE=${EMSOCK_SIZE}
          "-DCPU=${EMSOCK_CORTEX_M}" ${_emsock_footprint_args}
          -DOUTPUT=${CMAKE_BINARY_DIR}/footprint.txt
          -P ${CMAKE_CURRENT_LIST_DIR}/footprint.cmake
  DEPENDS ${_emsock_footprint_depends}
  COMMENT "Footprint of emsock's components (-Os, Cortex-${_emsock_cpu})"
  VERBATIM USES_TERMINAL)
