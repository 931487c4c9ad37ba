# SPDX-License-Identifier: MIT
# Toolchain file: bare-metal Arm Cortex-M (Debian's gcc-arm-none-eabi with newlib), tests under
# qemu-system-arm (Debian's qemu-system-arm) on an MPS2 board, output and exit status by semihosting.
#
#   cmake --preset cortex-m3-qemu                          Cortex-M3,  mps2-an385 (the default)
#   cmake --preset cortex-m3-qemu -B build/cortex-m4f -DEMSOCK_CORTEX_M=m4f   Cortex-M4F, mps2-an386
#   -DEMSOCK_CORTEX_M=m7                                   Cortex-M7 (double-precision FPU), mps2-an500
#
# The start-up code, the linker script (flash 0x0, RAM 0x20000000, 4 MiB each) and the semihosting
# glue are in port/boards/mps2/ (target emsock::board_mps2); CppUTest for the target is built from
# Debian's source package by cmake/EmsockCppUTestFromSource.cmake.
#
# Toolchain files are read again by every try_compile: keep this idempotent.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(EMSOCK_CORTEX_M m3 CACHE STRING "Cortex-M variant: m3, m4f or m7")
set_property(CACHE EMSOCK_CORTEX_M PROPERTY STRINGS m3 m4f m7)
# try_compile projects do not see the cache of the main project, only variables listed here.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EMSOCK_CORTEX_M)

if(EMSOCK_CORTEX_M STREQUAL "m3")
  set(EMSOCK_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
  set(EMSOCK_QEMU_MACHINE mps2-an385)
elseif(EMSOCK_CORTEX_M STREQUAL "m4f")
  set(EMSOCK_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
  set(EMSOCK_QEMU_MACHINE mps2-an386)
elseif(EMSOCK_CORTEX_M STREQUAL "m7")
  set(EMSOCK_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16")
  set(EMSOCK_QEMU_MACHINE mps2-an500)
else()
  message(FATAL_ERROR "emsock: unknown EMSOCK_CORTEX_M '${EMSOCK_CORTEX_M}' (expected m3, m4f or m7)")
endif()

find_program(EMSOCK_ARM_NONE_EABI_GCC NAMES arm-none-eabi-gcc)
find_program(EMSOCK_ARM_NONE_EABI_GXX NAMES arm-none-eabi-g++)
if(NOT EMSOCK_ARM_NONE_EABI_GCC OR NOT EMSOCK_ARM_NONE_EABI_GXX)
  message(FATAL_ERROR "emsock: arm-none-eabi-gcc/g++ not found. Install Debian's gcc-arm-none-eabi, "
                      "libnewlib-arm-none-eabi and libstdc++-arm-none-eabi-newlib (apt-get install ...), "
                      "or run ./scripts/test, which installs them.")
endif()
find_program(EMSOCK_QEMU_SYSTEM_ARM NAMES qemu-system-arm)
if(NOT EMSOCK_QEMU_SYSTEM_ARM)
  message(FATAL_ERROR "emsock: qemu-system-arm not found: tests of this target run under it. "
                      "Install Debian's qemu-system-arm (apt-get install qemu-system-arm).")
endif()

set(CMAKE_C_COMPILER   ${EMSOCK_ARM_NONE_EABI_GCC})
set(CMAKE_CXX_COMPILER ${EMSOCK_ARM_NONE_EABI_GXX})
set(CMAKE_ASM_COMPILER ${EMSOCK_ARM_NONE_EABI_GCC})

# The compiler checks link a test program; without our start-up code and linker script that cannot
# work, so they build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Each function and object in its own section, so --gc-sections drops what an image does not use
# (and the footprint target can size each function). C++ without exceptions, RTTI, thread-safe
# statics (no threads, no guard functions) or __cxa_atexit (an image never returns from main to
# destroy statics: exit() ends the emulator).
set(CMAKE_C_FLAGS_INIT   "${EMSOCK_CPU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${EMSOCK_CPU_FLAGS} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${EMSOCK_CPU_FLAGS}")
# newlib-nano, semihosting system calls from librdimon (console and exit status through QEMU), our own
# start-up code (port/boards/mps2) instead of the C library's crt0.
set(CMAKE_EXE_LINKER_FLAGS_INIT "${EMSOCK_CPU_FLAGS} --specs=nano.specs --specs=rdimon.specs -nostartfiles -Wl,--gc-sections")

# ctest runs each test image as the kernel of an MPS2 board; QEMU's exit status is the image's
# (semihosting SYS_EXIT). The image path is appended last, after -kernel. Arguments cannot be passed.
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${EMSOCK_QEMU_SYSTEM_ARM} -M ${EMSOCK_QEMU_MACHINE} -nographic -monitor none -serial none
    -semihosting-config enable=on,target=native -kernel)

# Nothing of the host: libraries, headers and packages from the toolchain's own sysroot only.
set(CMAKE_FIND_ROOT_PATH /usr/lib/arm-none-eabi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# No pkg-config for bare metal: an empty search path, so no host .pc file leaks in.
set(ENV{PKG_CONFIG_LIBDIR} "/nonexistent")
set(ENV{PKG_CONFIG_PATH} "")
