# SPDX-License-Identifier: MIT
# emsock_warnings(<target>): the warning set every emsock target builds with.
# EMSOCK_WERROR (on in the CI presets) turns them into errors.
function(emsock_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
      -Wcast-align -Wnon-virtual-dtor -Wold-style-cast -Wundef)
    if(EMSOCK_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# emsock_freestanding(<target>): what the core promises: no exceptions, no RTTI.
function(emsock_freestanding target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
  endif()
endfunction()
