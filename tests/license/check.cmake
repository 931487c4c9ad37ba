# SPDX-License-Identifier: MIT
# cmake -DSOURCE_DIR=<emsock> -P check.cmake: every source, script and CMake file of the project carries
# an SPDX-License-Identifier line among its first three lines, naming the license in LICENSE (MIT), and
# LICENSE is there. Fails with the list of files that lack it. Build trees, the fuzz corpus (data) and
# files that cannot hold a comment (JSON, Markdown) are not sources.
if(NOT EXISTS "${SOURCE_DIR}/LICENSE")
  message(FATAL_ERROR "license: ${SOURCE_DIR}/LICENSE is missing")
endif()
file(READ "${SOURCE_DIR}/LICENSE" license_text LIMIT 64)
if(NOT license_text MATCHES "^MIT License")
  message(FATAL_ERROR "license: LICENSE is not the MIT license the SPDX lines name")
endif()
file(GLOB_RECURSE candidates RELATIVE "${SOURCE_DIR}" LIST_DIRECTORIES false
     "${SOURCE_DIR}/*.cpp" "${SOURCE_DIR}/*.hpp" "${SOURCE_DIR}/*.c" "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.ld"
     "${SOURCE_DIR}/*.cmake" "${SOURCE_DIR}/*CMakeLists.txt" "${SOURCE_DIR}/*.cmake.in" "${SOURCE_DIR}/*.py"
     "${SOURCE_DIR}/*.sh" "${SOURCE_DIR}/*.mk" "${SOURCE_DIR}/*Makefile" "${SOURCE_DIR}/scripts/*"
     "${SOURCE_DIR}/.ci/*")
set(missing "")
set(checked 0)
foreach(f IN LISTS candidates)
  if(f MATCHES "^build/|/build/|^\\.git/|^tests/fuzz/corpus/")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${f}" head LIMIT_COUNT 3)
  math(EXPR checked "${checked} + 1")
  if(NOT head MATCHES "SPDX-License-Identifier: MIT")
    list(APPEND missing "${f}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "license: no 'SPDX-License-Identifier: MIT' in the first three lines of:\n  ${text}")
endif()
message(STATUS "license: ${checked} files carry SPDX-License-Identifier: MIT")
