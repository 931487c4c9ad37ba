# SPDX-License-Identifier: MIT
# lwip_options_check.cmake - the lwIP backend's configuration checks speak: port/lwip/lwip_api.hpp,
# compiled against a real lwipopts.h with one option turned off, must stop with emsock's #error naming
# that option (not a cryptic compile error or a link error later). A control compile with the
# options untouched must succeed, so that a broken command line cannot pass for a working #error.
#
#   cmake -DCXX=<c++ compiler> -DSOURCE=<emsock root> -DINCLUDES=<dir|dir|...> -DWORK=<scratch>
#         -P lwip_options_check.cmake
# INCLUDES: the lwIP backend's include directories (the one holding lwipopts.h among them).
cmake_minimum_required(VERSION 3.20)
foreach(var CXX SOURCE INCLUDES WORK)
  if(NOT ${var})
    message(FATAL_ERROR "lwip-options: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" includes "${INCLUDES}")
set(real_opts "")
foreach(dir IN LISTS includes)
  if(NOT real_opts AND EXISTS "${dir}/lwipopts.h")
    set(real_opts "${dir}/lwipopts.h")
  endif()
endforeach()
if(NOT real_opts)
  message(FATAL_ERROR "lwip-options: no lwipopts.h in ${includes}")
endif()

file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/tu.cpp" "#include \"lwip_api.hpp\"\nint emsock_lwip_options_check;\n")

# compile_case(<name> <lwipopts.h override lines> <out result> <out text>): compiles tu.cpp with a wrapper
# lwipopts.h (the real one, then the override) found before the real one.
function(compile_case name override out_rc out_text)
  set(dir "${WORK}/${name}")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/lwipopts.h" "#include \"${real_opts}\"\n${override}\n")
  set(flags -std=c++17 -fsyntax-only -I${dir} -I${SOURCE}/port/lwip -I${SOURCE}/core/include
            -I${SOURCE}/port/lwip-common/include)
  foreach(d IN LISTS includes)
    list(APPEND flags -I${d})
  endforeach()
  execute_process(COMMAND "${CXX}" ${flags} "${WORK}/tu.cpp" RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  set(${out_rc} ${rc} PARENT_SCOPE)
  set(${out_text} "${o}${e}" PARENT_SCOPE)
endfunction()

compile_case(control "" rc text)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lwip-options: the control compile (options untouched) failed:\n${text}")
endif()

# option, value that must be refused, the text the #error must contain.
set(cases "LWIP_SOCKET_POLL|0|set LWIP_SOCKET_POLL=1"
          "LWIP_SOCKET|0|set LWIP_SOCKET=1"
          "LWIP_TCP|0|set LWIP_TCP=1"
          "NO_SYS|1|set NO_SYS=0")
set(failures "")
foreach(c IN LISTS cases)
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 option)
  list(GET c 1 value)
  list(GET c 2 expected)
  compile_case(${option} "#undef ${option}\n#define ${option} ${value}" rc text)
  string(FIND "${text}" "emsock: " at_emsock)
  string(FIND "${text}" "${expected}" at_expected)
  if(rc EQUAL 0)
    list(APPEND failures "${option}=${value}: compiled, expected #error \"...${expected}...\"")
  elseif(at_emsock LESS 0 OR at_expected LESS 0)
    list(APPEND failures "${option}=${value}: failed without emsock's message \"${expected}\":\n${text}")
  else()
    message(STATUS "lwip-options: ${option}=${value} stops with \"${expected}\"")
  endif()
endforeach()
if(failures)
  string(REPLACE ";" "\n" failures "${failures}")
  message(FATAL_ERROR "lwip-options:\n${failures}")
endif()
