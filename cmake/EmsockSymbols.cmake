# SPDX-License-Identifier: MIT
# EmsockSymbols.cmake - emsock_check_symbols(<target> CORE|PORT): after every build of the static
# library <target>, cmake/check_core_symbols.cmake lists its undefined symbols and fails the build
# when it references C++ exceptions (PORT: every emsock library) or also the heap and abort (CORE:
# emsock_core). A build step rather than a test, so that every build type of every preset is checked
# (the bench preset builds no tests; Debug keeps throw paths that -O2 proves dead). Off with
# EMSOCK_CHECK_SYMBOLS=OFF (a toolchain without nm).
option(EMSOCK_CHECK_SYMBOLS "Check every emsock library for exception (and, in the core, heap) symbols after it is built" ON)
set(EMSOCK_CHECK_SYMBOLS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/check_core_symbols.cmake)

function(emsock_check_symbols target rules)
  if(NOT EMSOCK_CHECK_SYMBOLS OR NOT CMAKE_NM)
    return()
  endif()
  string(TOLOWER "${rules}" rules)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DARCHIVE=$<TARGET_FILE:${target}> -DRULES=${rules}
            -P ${EMSOCK_CHECK_SYMBOLS_SCRIPT}
    COMMENT "Checking ${target} for ${rules}-forbidden symbols"
    VERBATIM)
endfunction()
