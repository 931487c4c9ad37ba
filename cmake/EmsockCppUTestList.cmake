# SPDX-License-Identifier: MIT
# Run by ctest (TEST_INCLUDE_FILES written by emsock_add_cpputest, cmake/EmsockCppUTest.cmake):
# lists the CppUTest binary's tests with `-ln` and registers one ctest test per CppUTest test, which
# prints the result file the suite's run (the ctest test _name, a fixture) wrote for it.
# In: _name _binary _emulator _cmake _cat (the command that prints a file) _results _list _config
# (the file that set these).
# The list is kept in _list until the binary or _config changes. When it cannot be taken, the test
# _name.tests-not-listed fails with the reason, and nothing is kept, so the next ctest run tries again.

function(_emsock_cpputest_quote out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

set(_use "${_list}")
if(NOT EXISTS "${_binary}" OR NOT EXISTS "${_list}" OR "${_binary}" IS_NEWER_THAN "${_list}"
   OR "${_config}" IS_NEWER_THAN "${_list}")
  set(_status "not built")
  set(_names "")
  if(EXISTS "${_binary}")
    execute_process(COMMAND ${_emulator} "${_binary}" -ln
                    OUTPUT_VARIABLE _names ERROR_VARIABLE _errors RESULT_VARIABLE _status TIMEOUT 120)
    string(STRIP "${_names}" _names)
  endif()
  _emsock_cpputest_quote(_cmake_q "${_cmake}")
  if(NOT _status EQUAL 0 OR _names STREQUAL "")
    file(REMOVE "${_list}")
    set(_use "${_list}.not-listed")
    string(REPLACE "\n" " " _errors "${_errors}")
    _emsock_cpputest_quote(_why "${_binary} -ln gave no list (${_status}): ${_errors}")
    _emsock_cpputest_quote(_id "${_name}.tests-not-listed")
    file(WRITE "${_use}" "add_test(${_id} ${_cmake_q} -E echo ${_why})\n"
                         "set_tests_properties(${_id} PROPERTIES WILL_FAIL TRUE)\n")
  else()
    separate_arguments(_names UNIX_COMMAND "${_names}")
    _emsock_cpputest_quote(_fixture "${_name}")
    _emsock_cpputest_quote(_dir "${_results}")
    set(_cat_q "")
    foreach(_word IN LISTS _cat)
      _emsock_cpputest_quote(_q "${_word}")
      string(APPEND _cat_q " ${_q}")
    endforeach()
    set(_text "# ${_binary} -ln, taken by cmake/EmsockCppUTestList.cmake\n")
    foreach(_full IN LISTS _names)
      # group.name: CppUTest groups and names are C identifiers, so the first dot splits them.
      if(NOT _full MATCHES "^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+$")
        continue()
      endif()
      _emsock_cpputest_quote(_id "${_name}.${_full}")
      _emsock_cpputest_quote(_file "${_results}/${_full}.result")
      string(APPEND _text "add_test(${_id}${_cat_q} ${_file})\n"
                          "set_tests_properties(${_id} PROPERTIES FIXTURES_REQUIRED ${_fixture} WORKING_DIRECTORY ${_dir}"
                          " PASS_REGULAR_EXPRESSION \"^passed: \" SKIP_REGULAR_EXPRESSION \"^skipped: \")\n")
    endforeach()
    file(WRITE "${_list}" "${_text}")
  endif()
endif()
include("${_use}")
