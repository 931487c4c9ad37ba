# SPDX-License-Identifier: MIT
# component_symbols.cmake - the lwip-raw backend is a component, not a program: its archive defines no
# interrupt vector (SysTick_Handler or any *_Handler), no sys_now() and no LWIP_RAND generator, so it
# links beside a vendor SDK that owns those. Run: cmake -DNM=<nm> -DARCHIVE=<lib.a> -P component_symbols.cmake
execute_process(COMMAND ${NM} -g --defined-only ${ARCHIVE} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "component-symbols: ${NM} failed on ${ARCHIVE}")
endif()
string(REGEX MATCHALL "[ \t][A-Za-z][ \t]+[A-Za-z_][A-Za-z0-9_]*" defined "${out}")
set(bad "")
foreach(entry IN LISTS defined)
  string(REGEX REPLACE "^[ \t][A-Za-z][ \t]+" "" symbol "${entry}")
  if(symbol MATCHES "_Handler$|^sys_now$|^emsock_board_rand$|rand$|^SystemInit$|^main$")
    list(APPEND bad ${symbol})
  endif()
endforeach()
list(LENGTH defined count)
if(count EQUAL 0)
  message(FATAL_ERROR "component-symbols: no symbols read from ${ARCHIVE} (wrong file?)")
endif()
if(bad)
  message(FATAL_ERROR "component-symbols: ${ARCHIVE} defines what the board or SDK owns: ${bad}")
endif()
message(STATUS "component-symbols: ${count} symbols, none owned by the board")
