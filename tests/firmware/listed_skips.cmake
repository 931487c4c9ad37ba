# SPDX-License-Identifier: MIT
# listed_skips.cmake - runs a bare-metal CppUTest image (COMMAND, a ;-list: the emulator and the image) and
# passes when it exits 0, its summary says "0 failed", and every case it skipped is in SKIPS (a ;-list of
# group.test): each skip line "skipped: group.test: reason" is the image's own summary, with the reason. A
# skip not listed fails the run, as a skip does in every other bare-metal suite; a listed case that passes
# is fine (a backend may learn to run it).
#
#   cmake "-DCOMMAND=<emulator>;<args>;<image>" "-DSKIPS=<group.test>;..." -P listed_skips.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT COMMAND)
  message(FATAL_ERROR "listed_skips: COMMAND is not set")
endif()
execute_process(COMMAND ${COMMAND} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
set(problems "")
if(NOT rc EQUAL 0)
  list(APPEND problems "the image exited with ${rc}")
endif()
if(NOT out MATCHES ": [0-9]+ passed, 0 failed, [0-9]+ skipped")
  list(APPEND problems "no summary with 0 failed")
endif()
string(REGEX MATCHALL "skipped: [A-Za-z0-9_]+\\.[A-Za-z0-9_]+: " lines "${out}")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^skipped: ([^:]+): $" "\\1" name "${line}")
  if(NOT name IN_LIST SKIPS)
    list(APPEND problems "${name} was skipped but is not a listed skip")
  endif()
endforeach()
if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "listed_skips:\n  ${text}")
endif()
list(LENGTH lines count)
message(STATUS "listed_skips: every skip (${count}) is a listed one")
