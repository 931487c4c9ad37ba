# SPDX-License-Identifier: MIT
# Toolchain file: s390x-linux-gnu (Debian's g++-s390x-linux-gnu), tests under qemu-s390x (Debian's qemu-user).
#   cmake --preset s390x-qemu     or     cmake -DCMAKE_TOOLCHAIN_FILE=toolchains/s390x-linux-gnu.cmake ...
# Multiarch CppUTest and lwIP: dpkg --add-architecture s390x; apt-get install libcpputest-dev:s390x liblwip-dev:s390x
set(EMSOCK_TRIPLET s390x-linux-gnu)
set(EMSOCK_QEMU_ARCH s390x)
set(CMAKE_SYSTEM_PROCESSOR s390x)
include(${CMAKE_CURRENT_LIST_DIR}/linux-qemu-user.cmake)
