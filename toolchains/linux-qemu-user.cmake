# SPDX-License-Identifier: MIT
# linux-qemu-user.cmake - shared by the Debian cross toolchain files for Linux targets.
#
# The including file sets EMSOCK_TRIPLET (GNU triplet, e.g. arm-linux-gnueabihf), EMSOCK_QEMU_ARCH
# (the qemu-user binary suffix: arm, aarch64, s390x) and CMAKE_SYSTEM_PROCESSOR, then includes this.
#
# What it gives:
#   - the Debian cross compilers <triplet>-gcc/g++ (packages gcc-<triplet>, g++-<triplet>);
#   - CMAKE_CROSSCOMPILING_EMULATOR, so ctest runs every test binary through qemu-user (package
#     qemu-user), pinned to the cross libc (see below);
#   - headers, libraries, packages and pkg-config files of the target only: the cross sysroot
#     /usr/<triplet> and Debian's multiarch directories (/usr/lib/<triplet>, e.g. libcpputest-dev:armhf).
#
# Toolchain files are read more than once (every try_compile reads it again): keep this idempotent.
set(CMAKE_SYSTEM_NAME Linux)

# Stop early with the package to install, rather than letting CMake fail on a missing compiler.
# The lookups are cached (per build tree), so try_compile's re-reads are cheap.
find_program(EMSOCK_CROSS_GXX NAMES ${EMSOCK_TRIPLET}-g++)
find_program(EMSOCK_CROSS_GCC NAMES ${EMSOCK_TRIPLET}-gcc)
if(NOT EMSOCK_CROSS_GXX OR NOT EMSOCK_CROSS_GCC)
  message(FATAL_ERROR "emsock: ${EMSOCK_TRIPLET}-g++/gcc not found. "
                      "Install Debian's g++-${EMSOCK_TRIPLET} (apt-get install g++-${EMSOCK_TRIPLET}), "
                      "or run ./scripts/test, which installs it.")
endif()
find_program(EMSOCK_QEMU_USER NAMES qemu-${EMSOCK_QEMU_ARCH})
if(NOT EMSOCK_QEMU_USER)
  message(FATAL_ERROR "emsock: qemu-${EMSOCK_QEMU_ARCH} not found: tests of this target run under it. "
                      "Install Debian's qemu-user (apt-get install qemu-user).")
endif()

set(CMAKE_C_COMPILER   ${EMSOCK_CROSS_GCC})
set(CMAKE_CXX_COMPILER ${EMSOCK_CROSS_GXX})

# qemu-user with only `-L /usr/<triplet>` lets the dynamic loader of the cross sysroot pick up the
# multiarch libc in /usr/lib/<triplet> (pulled in by libcpputest-dev:<arch>) for some libraries and
# the sysroot's for others; on s390x every dynamic program then dies with "stack smashing detected".
# Pin the loader to the cross libc with LD_LIBRARY_PATH (set inside the guest only, by -E). Libraries
# that exist only in multiarch form (liblwip.so.0) are still found in /usr/lib/<triplet> by the
# loader's default search path.
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${EMSOCK_QEMU_USER} -L /usr/${EMSOCK_TRIPLET} -E LD_LIBRARY_PATH=/usr/${EMSOCK_TRIPLET}/lib)

# Search the target's trees only: the cross sysroot, and / for Debian's multiarch layout
# (/usr/lib/<triplet>, found because CMAKE_LIBRARY_ARCHITECTURE is the triplet). Programs (nm, python3,
# the host's cmake) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${EMSOCK_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE ${EMSOCK_TRIPLET})

# pkg-config (FindCppUTest, lwIP) reads the target's .pc files only, never the host's /usr/lib/pkgconfig.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${EMSOCK_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
