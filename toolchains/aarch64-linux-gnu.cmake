# SPDX-License-Identifier: MIT
# Toolchain file: aarch64-linux-gnu (Debian's g++-aarch64-linux-gnu), tests under qemu-aarch64 (Debian's qemu-user).
#   cmake --preset aarch64-qemu     or     cmake -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake ...
# Multiarch CppUTest and lwIP: dpkg --add-architecture arm64; apt-get install libcpputest-dev:arm64 liblwip-dev:arm64
set(EMSOCK_TRIPLET aarch64-linux-gnu)
set(EMSOCK_QEMU_ARCH aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-qemu-user.cmake)
