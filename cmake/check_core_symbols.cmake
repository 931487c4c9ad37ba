# SPDX-License-Identifier: MIT
# check_core_symbols.cmake - fails when a static library references the heap or C++ exceptions.
#
#   cmake -DNM=<nm> -DARCHIVE=<lib.a>[;<lib.a>...] [-DRULES=core|port] [-DEXPECT_REJECT=ON]
#         -P check_core_symbols.cmake
#
# Lists the undefined symbols of every member (`nm -A -P -u`, raw names, so any mangling is matched:
# _Znwm on LP64, _Znwj on ILP32, nothrow/aligned/sized variants) and fails, naming the member and the
# symbol (demangled with `nm -C` when available), if one of them is forbidden. RULES=port (every
# emsock library: the port layer's backends and glue) forbids C++ exceptions:
#   __cxa_throw __cxa_allocate_exception __cxa_begin_catch
#   std::__throw_* (libstdc++'s throwing helpers, e.g. from string_view::substr)
# RULES=core (the default: emsock_core) forbids those and the heap and abort too:
#   malloc calloc realloc free aligned_alloc posix_memalign memalign valloc strdup strndup
#   operator new/new[]/delete/delete[] (_Znw* _Zna* _Zdl* _Zda*) and abort
# NM is ${CMAKE_NM}, so it works with cross toolchains (GNU nm or llvm-nm). Every emsock library runs
# it after each build (cmake/EmsockSymbols.cmake), so every build type of every preset is checked.
#
# EXPECT_REJECT=ON turns it into its own self-test: it then fails unless the archives are rejected
# and the forbidden symbols found include, with RULES=core, malloc, free, operator new, operator
# delete and __cxa_throw; with RULES=port, __cxa_throw and a std::__throw_* helper, and no heap
# symbol (the port rules allow it). The selftest library in tests/core references all of them.
cmake_minimum_required(VERSION 3.20)

if(NOT NM)
  message(FATAL_ERROR "check_core_symbols: NM is not set (configure did not find nm: CMAKE_NM is empty)")
endif()
if(NOT ARCHIVE)
  message(FATAL_ERROR "check_core_symbols: ARCHIVE is not set")
endif()

if(NOT RULES)
  set(RULES core)
endif()
set(exceptions "__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|_ZSt[0-9]+__throw_.+")
if(RULES STREQUAL "core")
  set(forbidden_regex
      "^(malloc|calloc|realloc|free|aligned_alloc|posix_memalign|memalign|valloc|strdup|strndup|_Znw.+|_Zna.+|_Zdl.+|_Zda.+|abort|${exceptions})$")
  set(required_rejects "^malloc$" "^free$" "^_Znw" "^_Zdl" "^__cxa_throw$")
  set(what "the heap or C++ exceptions")
  set(clean "no heap, no exceptions")
elseif(RULES STREQUAL "port")
  set(forbidden_regex "^(${exceptions})$")
  set(required_rejects "^__cxa_throw$" "^_ZSt[0-9]+__throw_")
  set(what "C++ exceptions")
  set(clean "no exceptions")
else()
  message(FATAL_ERROR "check_core_symbols: unknown RULES '${RULES}' (expected core or port)")
endif()

set(offending "")       # "member: mangled" lines
set(offending_names "") # mangled names only
foreach(archive IN LISTS ARCHIVE)
  if(NOT EXISTS "${archive}")
    message(FATAL_ERROR "check_core_symbols: ${archive} does not exist")
  endif()
  execute_process(COMMAND "${NM}" -A -P -u "${archive}"
                  OUTPUT_VARIABLE raw ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_core_symbols: '${NM} -A -P -u ${archive}' failed (${rc}): ${err}")
  endif()
  execute_process(COMMAND "${NM}" -A -P -u -C "${archive}"
                  OUTPUT_VARIABLE demangled ERROR_VARIABLE err RESULT_VARIABLE rc_demangled)

  # POSIX format, one symbol per line: "<archive>[<member>]: <name> <type> ..." (GNU nm), or
  # "<archive>:<member>: <name> <type>" (llvm-nm). The name is the first word after ": ".
  string(REPLACE ";" "\\;" raw "${raw}")
  string(REPLACE "\n" ";" raw_lines "${raw}")
  string(REPLACE ";" "\\;" demangled "${demangled}")
  string(REPLACE "\n" ";" demangled_lines "${demangled}")
  list(LENGTH raw_lines raw_count)
  list(LENGTH demangled_lines demangled_count)
  set(index 0)
  foreach(line IN LISTS raw_lines)
    if(line MATCHES "^(.*): ([^ ]+) [A-Za-z]( .*)?$")
      set(member "${CMAKE_MATCH_1}")
      set(symbol "${CMAKE_MATCH_2}")
      if(symbol MATCHES "${forbidden_regex}")
        set(shown "${symbol}")
        # Same archive, same order: the demangled line at the same index names the same symbol.
        if(rc_demangled EQUAL 0 AND raw_count EQUAL demangled_count)
          list(GET demangled_lines ${index} dline)
          if(dline MATCHES "^.*\\]?: (.+) [A-Za-z]( [0-9a-fA-F]*)*$" AND NOT CMAKE_MATCH_1 STREQUAL symbol)
            set(shown "${symbol} (${CMAKE_MATCH_1})")
          endif()
        endif()
        list(APPEND offending "  ${member}: ${shown}")
        list(APPEND offending_names "${symbol}")
      endif()
    endif()
    math(EXPR index "${index} + 1")
  endforeach()
endforeach()

list(LENGTH offending offending_count)
if(EXPECT_REJECT)
  set(missing "")
  foreach(required IN LISTS required_rejects)
    set(found OFF)
    foreach(name IN LISTS offending_names)
      if(name MATCHES "${required}")
        set(found ON)
      endif()
    endforeach()
    if(NOT found)
      list(APPEND missing "${required}")
    endif()
  endforeach()
  list(JOIN offending "\n" text)
  if(offending_count EQUAL 0 OR missing)
    message(FATAL_ERROR "check_core_symbols self-test (${RULES}): expected ${ARCHIVE} to be rejected for "
                        "${required_rejects}; not detected: ${missing}\nfound:\n${text}")
  endif()
  # The port rules allow the heap: a heap symbol flagged would be the wrong rule set.
  if(RULES STREQUAL "port" AND offending_names MATCHES "(^|;)(malloc|free|_Znw[^;]*|_Zdl[^;]*)(;|$)")
    message(FATAL_ERROR "check_core_symbols self-test (port): heap symbols were flagged:\n${text}")
  endif()
  message(STATUS "check_core_symbols self-test (${RULES}): rejected as expected (${offending_count} symbols):\n${text}")
  return()
endif()

if(offending_count GREATER 0)
  list(JOIN offending "\n" text)
  message(FATAL_ERROR "check_core_symbols: ${ARCHIVE} references ${what} "
                      "(${offending_count} symbols):\n${text}")
endif()
message(STATUS "check_core_symbols: ${ARCHIVE}: ${clean} (${RULES} rules)")
