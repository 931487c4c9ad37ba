# SPDX-License-Identifier: MIT
# Tests of examples/emsock-echo-load; tests/examples/CMakeLists.txt includes this file:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/load.cmake)
# load_smoke.sh runs the load tool against emsock-echo-server (127.0.0.1 and ::1), the epoll
# reference server and a byte-flipping server (load_corrupting_server.py), every step bounded and
# every server killed. Native builds only (the servers run in the background of a bash script).
#
# tests/ is configured before examples/ (and before tests/bench/reference), so the targets are not
# defined yet here: $<TARGET_FILE:...> is resolved at generation time, when they are.
if(NOT TARGET emsock::posix OR CMAKE_CROSSCOMPILING OR NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()
endif()
find_program(EMSOCK_BASH bash)
find_program(EMSOCK_TIMEOUT timeout)
find_program(EMSOCK_PYTHON3 python3)
if(NOT EMSOCK_BASH OR NOT EMSOCK_TIMEOUT OR NOT EMSOCK_PYTHON3)
  message(STATUS "emsock: bash, timeout or python3 not found, examples.echo-load.* is not registered")
  return()
endif()
add_test(NAME examples.echo-load.verify
         COMMAND ${EMSOCK_BASH} ${CMAKE_CURRENT_LIST_DIR}/load_smoke.sh
                 $<TARGET_FILE:emsock-echo-load> $<TARGET_FILE:emsock-echo-server> $<TARGET_FILE:epoll_echo_server>)
set_tests_properties(examples.echo-load.verify PROPERTIES LABELS "examples;live" TIMEOUT 120)
add_test(NAME examples.echo-load.verify-ipv6
         COMMAND ${EMSOCK_BASH} ${CMAKE_CURRENT_LIST_DIR}/load_smoke.sh --ipv6
                 $<TARGET_FILE:emsock-echo-load> $<TARGET_FILE:emsock-echo-server>)
set_tests_properties(examples.echo-load.verify-ipv6 PROPERTIES LABELS "examples;live" TIMEOUT 60 SKIP_RETURN_CODE 77)
