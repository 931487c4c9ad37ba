# SPDX-License-Identifier: MIT
# Toolchain file: arm-linux-gnueabihf (Debian's g++-arm-linux-gnueabihf), tests under qemu-arm (Debian's qemu-user).
#   cmake --preset armhf-qemu     or     cmake -DCMAKE_TOOLCHAIN_FILE=toolchains/arm-linux-gnueabihf.cmake ...
# Multiarch CppUTest and lwIP: dpkg --add-architecture armhf; apt-get install libcpputest-dev:armhf liblwip-dev:armhf
set(EMSOCK_TRIPLET arm-linux-gnueabihf)
set(EMSOCK_QEMU_ARCH arm)
set(CMAKE_SYSTEM_PROCESSOR arm)
include(${CMAKE_CURRENT_LIST_DIR}/linux-qemu-user.cmake)
