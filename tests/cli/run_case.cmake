# SPDX-License-Identifier: MIT
# run_case.cmake - runs a tool (emsock-ip, emsock-echo-client) once and checks its exit status,
# standard output and standard error.
#
# cmake -DEXE=<program> -DCASE=<case file> -P run_case.cmake
#
# The case file (written by emsock_cli_case() in CMakeLists.txt) sets:
#   CASE_EMULATOR_COUNT, CASE_EMULATOR_<i>  the cross-compiling emulator command, if any
#   CASE_ARGC, CASE_ARG_<i>                 the arguments (empty ones included)
#   CASE_STDIN                              file given as standard input (an empty file by default)
#   CASE_STDOUT_FILE | CASE_STDOUT_REGEX    exact expected standard output, or a regex it must match
#   CASE_STDOUT_SINK                        file standard output is written to instead (/dev/full)
#   CASE_STDERR_REGEX                       regex standard error must match; unset: it must be empty
#   CASE_EXIT                               expected exit status
#   CASE_LIBC_REQUIRE                       arguments of the C-library helper (-DLIBC=<libc_answer>)
#                                           that must find an answer, else the case is skipped
#   CASE_LIBC_STDOUT                        arguments of the helper whose output is the exact
#                                           expected standard output (skipped without an answer)
# A skipped case prints "emsock-cli: skipped: <why>" (the tests' SKIP_REGULAR_EXPRESSION): the
# machine's resolver has no answer to compare with (no localhost in /etc/hosts, no /etc/services).
cmake_minimum_required(VERSION 3.20)

if(NOT EXISTS "${EXE}")
  message(FATAL_ERROR "program not found: '${EXE}'")
endif()
include("${CASE}")

# The emulator command as a list; then what the C library answers on this machine
# (tests/cli/libc_answer.cpp, through the emulator).
set(emulator "")
if(CASE_EMULATOR_COUNT GREATER 0)
  math(EXPR last "${CASE_EMULATOR_COUNT} - 1")
  foreach(i RANGE ${last})
    list(APPEND emulator "${CASE_EMULATOR_${i}}")
  endforeach()
endif()
foreach(kind REQUIRE STDOUT)
  if(NOT DEFINED CASE_LIBC_${kind})
    continue()
  endif()
  if(NOT EXISTS "${LIBC}")
    message(FATAL_ERROR "the C-library helper was not found: '${LIBC}'")
  endif()
  execute_process(COMMAND ${emulator} "${LIBC}" ${CASE_LIBC_${kind}} OUTPUT_VARIABLE answer ERROR_VARIABLE answer_err
                  RESULT_VARIABLE answer_rc TIMEOUT 60)
  if(answer_rc STREQUAL "77")
    string(STRIP "${answer}" answer)
    message("emsock-cli: skipped: ${answer}")
    return()
  elseif(NOT answer_rc STREQUAL "0")
    message(FATAL_ERROR "libc_answer ${CASE_LIBC_${kind}}: exit status '${answer_rc}'\n${answer}${answer_err}")
  endif()
  if(kind STREQUAL "STDOUT")
    set(libc_stdout "${answer}")
  endif()
endforeach()

# Each argument is quoted in generated code so that empty arguments and special characters survive.
set(code "execute_process(COMMAND \${emulator} \"\${EXE}\"")
if(CASE_ARGC GREATER 0)
  math(EXPR last "${CASE_ARGC} - 1")
  foreach(i RANGE ${last})
    string(APPEND code " \"\${CASE_ARG_${i}}\"")
  endforeach()
endif()
if(DEFINED CASE_STDOUT_SINK)
  set(out "")
  string(APPEND code " OUTPUT_FILE \"\${CASE_STDOUT_SINK}\"")
else()
  string(APPEND code " OUTPUT_VARIABLE out")
endif()
# Bounded: a tool that unexpectedly goes on (a server that should have stopped at a usage error)
# fails the case instead of hanging it.
string(APPEND code " INPUT_FILE \"\${CASE_STDIN}\" ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 120)")
cmake_language(EVAL CODE "${code}")

set(failures "")
if(NOT rc STREQUAL CASE_EXIT)
  string(APPEND failures "exit status: expected ${CASE_EXIT}, got '${rc}'\n")
endif()
if(DEFINED CASE_STDOUT_FILE OR DEFINED libc_stdout)
  if(DEFINED libc_stdout)
    set(expected "${libc_stdout}")
  else()
    file(READ "${CASE_STDOUT_FILE}" expected)
  endif()
  if(NOT out STREQUAL expected)
    string(APPEND failures "standard output differs\n--- expected:\n${expected}--- got:\n${out}---\n")
  endif()
elseif(DEFINED CASE_STDOUT_REGEX)
  if(NOT out MATCHES "${CASE_STDOUT_REGEX}")
    string(APPEND failures "standard output does not match '${CASE_STDOUT_REGEX}'\n--- got:\n${out}---\n")
  endif()
endif()
if(DEFINED CASE_STDERR_REGEX)
  if(NOT err MATCHES "${CASE_STDERR_REGEX}")
    string(APPEND failures "standard error does not match '${CASE_STDERR_REGEX}'\n--- got:\n${err}---\n")
  endif()
elseif(NOT err STREQUAL "")
  string(APPEND failures "standard error should be empty\n--- got:\n${err}---\n")
endif()

if(NOT failures STREQUAL "")
  message(FATAL_ERROR "${failures}")
endif()
