# SPDX-License-Identifier: MIT
# footprint.cmake - code size per component and the largest stack frame (run by the `footprint`
# target, cmake/EmsockFootprint.cmake).
#
#   cmake -DNM=<nm> -DLD=<ld> -DSIZE=<size> -DCORE=<libemsock_core.a> -DCORE_OBJECTS=<obj>|<obj>...
#         [-DARCHIVE_lwip-socket=<lib.a>] [-DARCHIVE_lwip-raw-backend=<lib.a>]
#         [-DIMAGE_echo-firmware=<elf>] [-DIMAGE_echo-firmware-udp=<elf>] [-DIMAGE_socket-firmware=<elf>]
#         [-DOBJECTS_<component>=<obj>|<obj>...] [-DKERNEL_OBJECTS=<obj>|...]
#         [-DCPU=m3] [-DOUTPUT=<file>]
#         -P footprint.cmake
#
# Method: what the linker would keep. For each component we name its entry points (root symbols) and
# let the linker's own garbage collection compute their closure: `ld -r --gc-sections -u <root>...
# <archive>` keeps exactly the sections reachable from the roots through relocations (each function
# and object is its own section: -ffunction-sections -fdata-sections), including private helpers,
# constant tables and string literals, and nothing else. `size` of that object gives text (code and
# constants), data and bss. Functions of the C library (memcpy, memset, memchr, memmove) stay
# undefined and are not counted, as in the size of lwIP's functions this is compared with.
# Rows whose closures share a helper each count it (extra rows are "standalone" sizes).
#
# Stack: the largest frames in the -fstack-usage files of the core and of the port layer (<object>.su).
# Every frame of the core and of each port library must be at most 256 bytes (an RTOS thread often
# has 1-2 KB): after printing the table, the script fails naming each frame above that, and each
# unbounded (variable-length) frame.
cmake_minimum_required(VERSION 3.20)
foreach(var NM LD SIZE CORE)
  if(NOT ${var})
    message(FATAL_ERROR "footprint: ${var} is not set")
  endif()
endforeach()
if(NOT CPU)
  set(CPU "?")
endif()
get_filename_component(work "${CORE}" DIRECTORY)
set(work "${work}/footprint")
file(MAKE_DIRECTORY "${work}")

# The core's global symbols, by member: "<archive>[<member>]: <name> <type> ...".
execute_process(COMMAND "${NM}" -A -P -g --defined-only "${CORE}"
                OUTPUT_VARIABLE core_symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "footprint: ${NM} failed on ${CORE}")
endif()
string(REPLACE "\n" ";" core_symbols "${core_symbols}")

# roots_of(<out> <name regex> <member regex>): the core's global symbols whose (mangled) name and
# member match. Mangled names are matched so that no demangler is needed: _ZN6emsock12ipv4_address5parse
# is emsock::ipv4_address::parse (any overload).
function(roots_of out name_regex member_regex)
  set(roots "")
  foreach(line IN LISTS core_symbols)
    # (Each MATCHES replaces CMAKE_MATCH_<n>: copy the groups first.)
    if(line MATCHES "\\[([a-zA-Z0-9_.+-]+)\\]: ([^ ]+) [A-Za-z]")
      set(member "${CMAKE_MATCH_1}")
      set(name "${CMAKE_MATCH_2}")
      if(member MATCHES "${member_regex}" AND name MATCHES "${name_regex}")
        list(APPEND roots "${name}")
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES roots)
  set(${out} "${roots}" PARENT_SCOPE)
endfunction()

# measure(<out> <row> <archive> <roots...>): "text;data;bss" of the closure of the roots (<archive>: an
# archive or a list of objects).
function(measure out row archive)
  set(roots ${ARGN})
  if(NOT roots)
    message(FATAL_ERROR "footprint: no root symbols for row '${row}' in ${archive} (renamed functions?)")
  endif()
  set(args "")
  foreach(root IN LISTS roots)
    list(APPEND args -u "${root}")
  endforeach()
  set(object "${work}/${row}.o")
  execute_process(COMMAND "${LD}" -r --gc-sections ${args} ${archive} -o "${object}"  # an archive, or objects
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "footprint: ${LD} -r --gc-sections failed for '${row}': ${err}")
  endif()
  size_of(size "${object}")
  set(${out} "${size}" PARENT_SCOPE)
endfunction()

# size_of(<out> <file>): "text;data;bss" of an object or a linked image.
function(size_of out file)
  # Berkeley format: "   text    data     bss     dec     hex filename" then the numbers.
  execute_process(COMMAND "${SIZE}" -B "${file}" OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT text MATCHES "\n *([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)")
    message(FATAL_ERROR "footprint: cannot read '${SIZE} -B ${file}': ${text}")
  endif()
  set(${out} "${CMAKE_MATCH_1};${CMAKE_MATCH_2};${CMAKE_MATCH_3}" PARENT_SCOPE)
endfunction()

# pad(<out> <text> <width> [LEFT]): right-aligned (numbers) or left-aligned (names) in <width>.
function(pad out text width)
  string(LENGTH "${text}" n)
  set(result "${text}")
  while(n LESS width)
    if(ARGN STREQUAL "LEFT")
      string(APPEND result " ")
    else()
      string(PREPEND result " ")
    endif()
    math(EXPR n "${n} + 1")
  endwhile()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

set(table "")
function(row name text data bss note)
  pad(c1 "${name}" 20 LEFT)
  pad(c2 "${text}" 7)
  pad(c3 "${data}" 6)
  pad(c4 "${bss}" 7)
  set(line "${c1}${c2}${c3}${c4}")
  if(note)
    string(APPEND line "  ${note}")
  endif()
  set(table "${table}${line}\n" PARENT_SCOPE)
endfunction()

row("name" "text" "data" "bss" "")

# ip: parse and format, IPv4 and IPv6 (strict IPv4 parse, IPv6 parse, both formatters, their helpers).
# The goal is lwIP's ip4addr_aton + ip4addr_ntoa_r + ip6addr_aton + ip6addr_ntoa_r: 1176 bytes.
roots_of(ip_roots "^_ZN(K)?6emsock12ipv[46]_address(5parse|8to_chars)E" ".")
measure(ip ip "${CORE}" ${ip_roots})
list(GET ip 0 ip_text)
if(ip_text GREATER 1176)
  set(note "goal <= 1176 (lwIP's four functions): over by")
  math(EXPR over "${ip_text} - 1176")
  string(APPEND note " ${over}")
else()
  set(note "goal <= 1176 (lwIP's four functions): met")
endif()
row(ip ${ip} "${note}")

# echo: the echo session and the echo client session (every global function of their two files).
roots_of(echo_roots "." "^echo(_client)?_session\\.cpp\\.(o|obj)$")
measure(echo echo "${CORE}" ${echo_roots})
row(echo ${echo} "")

# datagram-echo: the datagram queue, the UDP echo server session and client (every global function of
# datagram_echo.cpp).
roots_of(datagram_echo_roots "." "^datagram_echo\\.cpp\\.(o|obj)$")
measure(datagram_echo datagram-echo "${CORE}" ${datagram_echo_roots})
row(datagram-echo ${datagram_echo} "")

# lwip-socket: the lwIP socket backend.
if(ARCHIVE_lwip-socket)
  execute_process(COMMAND "${NM}" -A -P -g --defined-only "${ARCHIVE_lwip-socket}" OUTPUT_VARIABLE syms)
  string(REPLACE "\n" ";" syms "${syms}")
  set(roots "")
  foreach(line IN LISTS syms)  # "<archive>[<member>]: <name> <type> ..."
    if(line MATCHES "\\[([a-zA-Z0-9_.+-]+)\\]: ([^ ]+) [TWDRBV]")
      list(APPEND roots "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  measure(size lwip-socket "${ARCHIVE_lwip-socket}" ${roots})
  row(lwip-socket ${size} "the socket backend only (lwIP itself not counted)")
else()
  row(lwip-socket "-" "-" "-" "not built")
endif()

# lwip-raw-backend: the socket interface over lwIP's raw API (port/lwip-raw with port/common's
# poll, event set, names and send_all; not the echo engines, not lwIP). Its bss is the socket table.
if(ARCHIVE_lwip-raw-backend)
  execute_process(COMMAND "${NM}" -A -P -g --defined-only "${ARCHIVE_lwip-raw-backend}" OUTPUT_VARIABLE syms)
  string(REPLACE "\n" ";" syms "${syms}")
  set(roots "")
  foreach(line IN LISTS syms)
    if(line MATCHES "\\[([a-zA-Z0-9_.+-]+)\\]: ([^ ]+) [TWDRBV]")
      set(name "${CMAKE_MATCH_2}")
      if(NOT CMAKE_MATCH_1 MATCHES "echo_server\\.cpp")  # the echo engines are rows of their own elsewhere
        list(APPEND roots "${name}")
      endif()
    endif()
  endforeach()
  measure(size lwip-raw-backend "${ARCHIVE_lwip-raw-backend}" ${roots})
  row(lwip-raw-backend ${size} "the socket interface, lwIP not counted; bss: the socket table (EMSOCK_LWIP_RAW_*)")
else()
  row(lwip-raw-backend "-" "-" "-" "not built")
endif()

# echo-firmware: the whole network echo image (examples/emsock-echo-firmware), not only emsock's part:
# lwIP with TCP, UDP, DHCP, AutoIP, ARP, IPv6, ND and MLD, the LAN9118 driver, emsock's socket interface
# and echo engine, newlib-nano's printf and the semihosting console; `size` of the linked ELF. Goals (issue 10):
# flash (text + data) <= 64 KiB, under half of the 140 KB of Zephyr's echo_server on the same board;
# RAM <= 48 KiB (data + bss here: lwIP's heap and pools, the sessions; the main stack comes on top, its
# high-water mark is printed by the firmware).
# echo-firmware-udp: the same image with UDP echo on the same port (EMSOCK_FIRMWARE_UDP), against the
# same goals (issue 18: TCP and UDP within them).
# socket-firmware: the whole socket image (examples/emsock-socket-firmware): port/common's TCP and UDP
# echo engines over lwIP's socket API (NO_SYS=0: tcpip thread, netconn, sockets, DNS) under the board's
# kernel, with DHCP, AutoIP and IPv6. Goals (issue 17): flash <= 96 KiB, RAM <= 64 KiB; its RAM is
# data + bss with every thread's stack (static, or the kernel's arena: both in bss); the interrupt
# handlers' stack (the main stack) comes on top.
# echo-firmware and echo-firmware-udp are port/common's engines over the lwip-raw backend (issue 18), built
# as release images: lwIP's asserts off (LWIP_NOASSERT), link-time optimisation, 6 pool pbufs,
# 1,024-byte session buffers (the TCP_WND bytes wait in the socket), a 1,472-byte UDP queue.
set(goals_echo-firmware 65536 49152)
set(goals_echo-firmware-udp 65536 49152)
set(goals_socket-firmware 98304 65536)
foreach(image_row echo-firmware echo-firmware-udp socket-firmware)
if(IMAGE_${image_row})
  size_of(image "${IMAGE_${image_row}}")
  list(GET image 0 image_text)
  list(GET image 1 image_data)
  list(GET image 2 image_bss)
  math(EXPR flash "${image_text} + ${image_data}")
  math(EXPR ram "${image_data} + ${image_bss}")
  set(note "whole image: flash ${flash}")
  list(GET goals_${image_row} 0 flash_goal)
  list(GET goals_${image_row} 1 ram_goal)
  foreach(pair "flash;${flash};${flash_goal}" "ram;${ram};${ram_goal}")
    list(GET pair 1 bytes)
    list(GET pair 2 goal)
    if(bytes GREATER goal)
      math(EXPR over "${bytes} - ${goal}")
      set(verdict "over by ${over}")
    else()
      set(verdict "met")
    endif()
    if(pair MATCHES "^flash")
      string(APPEND note " (goal <= ${goal}: ${verdict}), RAM data+bss ${ram}")
    else()
      if(image_row STREQUAL "socket-firmware")
        string(APPEND note " with the thread stacks, + interrupt stack (goal <= ${goal}: ${verdict}); "
                           "lwIP's asserts off (LWIP_NOASSERT)")
      elseif(image_row MATCHES "^echo-firmware")
        string(APPEND note " + stack (goal <= ${goal}: ${verdict}); lwIP's asserts off (LWIP_NOASSERT), LTO")
      else()
        string(APPEND note " + stack (goal <= ${goal}: ${verdict})")
      endif()
    endif()
  endforeach()
  row(${image_row} ${image} "${note}")
else()
  row(${image_row} "-" "-" "-" "not built")
endif()
endforeach()

# kernel: the mps2 boards' kernel alone (port/boards/mps2/kernel: scheduler, objects, PendSV/SVC, the
# _sbrk wrapper), every global symbol of its objects kept; bss counts its pools, idle stack and arena.
if(KERNEL_OBJECTS)
  string(REPLACE "|" ";" kernel_objects "${KERNEL_OBJECTS}")
  execute_process(COMMAND "${NM}" -P -g --defined-only ${kernel_objects} OUTPUT_VARIABLE syms)
  string(REPLACE "\n" ";" syms "${syms}")
  set(kernel_roots "")
  foreach(line IN LISTS syms)
    if(line MATCHES "^([^ ]+) [TWDRBV] ")
      list(APPEND kernel_roots "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  measure(kernel kernel "${kernel_objects}" ${kernel_roots})
  row(kernel ${kernel} "16-entry pools, 16 KiB arena for stacks/queues given without memory (in bss)")
else()
  row(kernel "-" "-" "-" "not built")
endif()

# Extra rows, standalone (they share helpers with ip).
roots_of(legacy_roots "^_ZN6emsock12ipv4_address12parse_legacyE" ".")
measure(legacy ip-legacy "${CORE}" ${legacy_roots})
row(ip-legacy ${legacy} "extra: inet_aton-style IPv4 parse, standalone")
roots_of(ep_roots "^_ZN(K)?6emsock(8endpoint|10ip_address|19scoped_ipv6_address|7zone_id)(5parse|8to_chars)E" ".")
measure(ep ip-zones-endpoints "${CORE}" ${ep_roots})
row(ip-zones-endpoints ${ep} "extra: ip_address, zones, endpoints, standalone")
roots_of(error_roots "^_ZN6emsock(8describe|4name)ENS_4errcE" ".")
measure(error error-texts "${CORE}" ${error_roots})
row(error-texts ${error} "extra: name() and describe() of errc")

# Stack frames, from the -fstack-usage files beside the objects (<object>.su):
# "<file>:<line>:<col>:<function>\t<bytes>\t<qualifier>". frames(<objects> <label> <goal> <top>) appends
# the largest frame of a component (with its goal when <goal> is not 0), the <top> largest ones, and
# any frame that is not static or dynamic,bounded (a variable-length array or alloca: unbounded).
# Frames above <goal> and unbounded ones are added to frame_failures (the script fails at the end).
set(frame_failures "")
function(frames objects label goal top)
  string(REPLACE "|" ";" objects "${objects}")
  set(entries "")
  set(unbounded "")
  set(found OFF)
  foreach(object IN LISTS objects)
    string(REGEX REPLACE "\\.(o|obj)$" ".su" su "${object}")
    if(NOT EXISTS "${su}")
      continue()
    endif()
    set(found ON)
    file(STRINGS "${su}" lines)
    foreach(line IN LISTS lines)
      if(line MATCHES "^(.*)\t([0-9]+)\t([a-z,]+)$")
        set(function "${CMAKE_MATCH_1}")
        set(bytes "${CMAKE_MATCH_2}")
        if(NOT CMAKE_MATCH_3 MATCHES "^(static|dynamic,bounded)$")
          list(APPEND unbounded "${function}")
        endif()
        string(REGEX REPLACE "^.*/" "" function "${function}")
        string(REGEX REPLACE "^[^:]*:[0-9]+:[0-9]+:" "" function "${function}")
        string(REGEX REPLACE "[;]" "," function "${function}")
        if(goal GREATER 0 AND bytes GREATER goal)
          list(APPEND frame_failures "${label}: ${bytes} bytes in ${function}")
        endif()
        # Sortable: bytes zero-padded first.
        pad(key "${bytes}" 8)
        string(REPLACE " " "0" key "${key}")
        list(APPEND entries "${key}\t${bytes}\t${function}")
      endif()
    endforeach()
  endforeach()
  if(NOT found)
    string(APPEND table "largest stack frame in ${label}: unknown (no -fstack-usage files next to the objects)\n")
    set(table "${table}" PARENT_SCOPE)
    return()
  endif()
  list(SORT entries ORDER DESCENDING)
  list(GET entries 0 first)
  string(REPLACE "\t" ";" first "${first}")
  list(GET first 1 max_bytes)
  list(GET first 2 max_function)
  set(note "")
  if(goal GREATER 0)
    if(max_bytes GREATER goal)
      set(note "; goal <= ${goal}: over")
    else()
      set(note "; goal <= ${goal}: met")
    endif()
  endif()
  string(APPEND table "largest stack frame in ${label}: ${max_bytes} bytes (${max_function}${note})\n")
  if(top GREATER 1)
    list(SUBLIST entries 0 ${top} largest)
    foreach(e IN LISTS largest)
      string(REPLACE "\t" ";" e "${e}")
      list(GET e 1 bytes)
      list(GET e 2 function)
      pad(b "${bytes}" 6)
      string(APPEND table "  ${b}  ${function}\n")
    endforeach()
  endif()
  if(unbounded)
    string(APPEND table "unbounded (dynamic) frames in ${label}: ${unbounded}\n")
    foreach(function IN LISTS unbounded)
      list(APPEND frame_failures "${label}: unbounded frame in ${function}")
    endforeach()
  endif()
  set(table "${table}" PARENT_SCOPE)
  set(frame_failures "${frame_failures}" PARENT_SCOPE)
endfunction()

string(APPEND table "\n")
frames("${CORE_OBJECTS}" core 256 1)
# The port layer as compiled for Cortex-M: one frame per call, not a call chain; a caller's stack
# needs the frames of the deepest chain it makes (the largest ones are listed for that sum).
if(OBJECTS_lwip-socket)
  frames("${OBJECTS_lwip-socket}" "port (lwip-socket)" 256 5)
endif()
if(OBJECTS_lwip-raw-backend)
  frames("${OBJECTS_lwip-raw-backend}" "port (lwip-raw-backend)" 256 5)
endif()

string(TOUPPER "${CPU}" CPU)
set(header "emsock footprint, Cortex-${CPU}, -Os (bytes; text = code + constants)\n")
message("${header}${table}")
if(OUTPUT)
  file(WRITE "${OUTPUT}" "${header}${table}")
endif()
if(frame_failures)
  list(JOIN frame_failures "\n  " text)
  message(FATAL_ERROR "footprint: stack frames above 256 bytes (or unbounded):\n  ${text}")
endif()
