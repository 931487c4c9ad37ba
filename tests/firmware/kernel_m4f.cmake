# SPDX-License-Identifier: MIT
# kernel_m4f.cmake - ctest kernel-m4f of the Cortex-M3 tree: the kernel's suite needs images built for the
# Cortex-M4F (hard-float: a CppUTest and newlib of their own), so it configures a build tree of the same
# preset with EMSOCK_CORTEX_M=m4f inside this one, builds the kernel's two images there and runs that
# tree's kernel-m4f tests (the suite and the stack overflow image, on mps2-an386).
#
#   cmake -DSOURCE_DIR=<emsock> -DBINARY_DIR=<scratch build tree> [-DTARGETS=<t;...> -DTESTS=<regex>] -P kernel_m4f.cmake
#
# TARGETS and TESTS (default: the kernel's two images, ^kernel-m4f) let other suites use the same tree:
# firmware-conformance-m4f builds the lwIP conformance image there and runs ^firmware-conformance-m4f$.
cmake_minimum_required(VERSION 3.25)
foreach(var SOURCE_DIR BINARY_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "kernel-m4f: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kernel-m4f: ${what} failed (${rc})")
  endif()
endfunction()

run("configuring the Cortex-M4F tree" ${CMAKE_COMMAND} --preset cortex-m3-qemu -B "${BINARY_DIR}" -DEMSOCK_CORTEX_M=m4f
    --log-level=WARNING)
if(NOT TARGETS)
  set(TARGETS emsock_kernel_tests emsock_kernel_overflow)
endif()
if(NOT TESTS)
  set(TESTS "^kernel-m4f")
endif()
run("building ${TARGETS}" ${CMAKE_COMMAND} --build "${BINARY_DIR}" --target ${TARGETS})
run("the Cortex-M4F tests ${TESTS}" ${CMAKE_CTEST_COMMAND} --test-dir "${BINARY_DIR}" -R "${TESTS}" --output-on-failure
    --no-tests=error)
