# SPDX-License-Identifier: MIT
# firmware_skips_check.cmake - runs a bare-metal CppUTest image and passes when it ran to its end with
# no failure and every skip it listed ("skipped: group.test: reason", tests/support/skip.hpp) has a
# reason matching ALLOWED (a regular expression): a skip nobody listed fails the run.
#   cmake "-DRUN=<qemu;args;...;-kernel;image>" "-DALLOWED=<regex>" -P firmware_skips_check.cmake
execute_process(COMMAND ${RUN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(text "${out}${err}")
message("${text}")
if(NOT text MATCHES ": ([0-9]+) passed, 0 failed, ([0-9]+) skipped")
  message(FATAL_ERROR "firmware-conformance: the image did not end with 0 failed (exit status ${status})")
endif()
string(REPLACE ";" "," text "${text}")  # a CMake list separator: reasons may hold one
string(REGEX MATCHALL "skipped: [A-Za-z0-9_]+\\.[A-Za-z0-9_]+: [^\n]*" skips "${text}")
set(unlisted 0)
foreach(line IN LISTS skips)
  if(NOT line MATCHES "${ALLOWED}")
    message("not a listed skip: ${line}")
    math(EXPR unlisted "${unlisted} + 1")
  endif()
endforeach()
if(unlisted GREATER 0)
  message(FATAL_ERROR "firmware-conformance: ${unlisted} skips with a reason nobody listed")
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "firmware-conformance: exit status ${status}")
endif()
