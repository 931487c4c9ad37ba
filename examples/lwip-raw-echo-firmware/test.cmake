# SPDX-License-Identifier: MIT
# Included by tests/CMakeLists.txt: ctest runs the lwIP raw-API echo self-test images (port/common's TCP and UDP
# echo engines on the lwip-raw backend against their own clients) under qemu-system-arm (CMAKE_CROSSCOMPILING_EMULATOR);
# its exit status is the verdict.
if(TARGET emsock_lwip_raw_echo_firmware)
  add_test(NAME lwip-raw-echo COMMAND emsock_lwip_raw_echo_firmware)
  set_tests_properties(lwip-raw-echo PROPERTIES TIMEOUT 120)
endif()
if(TARGET emsock_lwip_raw_udp_echo_firmware)
  add_test(NAME lwip-raw-udp-echo COMMAND emsock_lwip_raw_udp_echo_firmware)
  set_tests_properties(lwip-raw-udp-echo PROPERTIES TIMEOUT 120)
endif()
