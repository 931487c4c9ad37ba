# SPDX-License-Identifier: MIT
# cmake -DEMSOCK_SOURCE_DIR=.. -DEMSOCK_BUILD_DIR=.. -DWORK_DIR=.. -DMODE=find_package|subdirectory
#       -DCXX=<compiler> [-DCXX_FLAGS=..] [-DLINK_FLAGS=..] -P check.cmake
# Builds and runs tests/downstream against emsock: installed (find_package) or as a subdirectory.
file(REMOVE_RECURSE "${WORK_DIR}")
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

set(args -DEMSOCK_CONSUME=${MODE} -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
         "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
if(MODE STREQUAL "lwip-tree")  # a firmware-like build with its own lwIP tree and lwipopts.h
  run(${CMAKE_COMMAND} -S "${EMSOCK_SOURCE_DIR}/tests/downstream/lwip_tree" -B "${WORK_DIR}/build"
      -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}"
      -DEMSOCK_SOURCE_DIR=${EMSOCK_SOURCE_DIR} -DEMSOCK_LWIP_DIR=${LWIP_TREE}
      -DEMSOCK_LWIP_CONFIG_DIR=${EMSOCK_SOURCE_DIR}/port/lwip-config/socket)
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
  run("${WORK_DIR}/build/firmware_like")
  message(STATUS "downstream (lwip-tree) builds and runs")
  return()
endif()
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} --install "${EMSOCK_BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
  list(APPEND args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
else()
  list(APPEND args "-DEMSOCK_SOURCE_DIR=${EMSOCK_SOURCE_DIR}")
endif()
run(${CMAKE_COMMAND} -S "${EMSOCK_SOURCE_DIR}/tests/downstream" -B "${WORK_DIR}/build" ${args})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/downstream")
if(EXISTS "${WORK_DIR}/build/downstream_fake")  # emsock::fake, where the build has it
  run("${WORK_DIR}/build/downstream_fake")
endif()
message(STATUS "downstream (${MODE}) builds and runs")
