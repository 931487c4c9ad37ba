# SPDX-License-Identifier: MIT
# EmsockSources.cmake - where emsock's own firmware configurations find the source trees they compile.
#
# lwIP (the host's firmware configuration and the Cortex-M stacks) and CppUTest (bare metal) are
# compiled from source trees given as cache variables, so a firmware team can point them at its own:
#   EMSOCK_LWIP_SOURCE_DIR      an lwIP 2.1 tree (src/core/init.c, src/include/lwip/)
#   EMSOCK_CPPUTEST_SOURCE_DIR  a CppUTest 4.0 tree (CMakeLists.txt, include/CppUTest/)
# Their defaults are Debian's source packages at the versions in cmake/debian-sources.lock, in
# EMSOCK_CACHE_DIR (default: $ENV{EMSOCK_CACHE_DIR}, else ~/.cache/emsock), where
# ./scripts/fetch-sources puts them. Configure, build and test never fetch anything: a tree that is
# missing stops configure with a message that names the command that fetches it.
include_guard(GLOBAL)

if(DEFINED ENV{EMSOCK_CACHE_DIR} AND NOT "$ENV{EMSOCK_CACHE_DIR}" STREQUAL "")
  set(emsock_default_cache "$ENV{EMSOCK_CACHE_DIR}")
else()
  set(emsock_default_cache "$ENV{HOME}/.cache/emsock")
endif()
set(EMSOCK_CACHE_DIR "${emsock_default_cache}" CACHE PATH
    "Where ./scripts/fetch-sources unpacks Debian's source packages (lwip, cpputest)")

file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/debian-sources.lock" emsock_lock_lines REGEX "^[a-z]")
foreach(line IN LISTS emsock_lock_lines)
  string(REPLACE " " ";" fields "${line}")
  list(GET fields 0 package)
  list(GET fields 1 version)
  string(TOUPPER "${package}" upper)
  set(EMSOCK_${upper}_DEBIAN_VERSION "${version}")
endforeach()

set(EMSOCK_LWIP_SOURCE_DIR "${EMSOCK_CACHE_DIR}/lwip-${EMSOCK_LWIP_DEBIAN_VERSION}" CACHE PATH
    "lwIP source tree for emsock's firmware configurations (default: Debian's lwip ${EMSOCK_LWIP_DEBIAN_VERSION}, fetched by ./scripts/fetch-sources)")
set(EMSOCK_CPPUTEST_SOURCE_DIR "${EMSOCK_CACHE_DIR}/cpputest-${EMSOCK_CPPUTEST_DEBIAN_VERSION}" CACHE PATH
    "CppUTest source tree for bare-metal tests (default: Debian's cpputest ${EMSOCK_CPPUTEST_DEBIAN_VERSION}, fetched by ./scripts/fetch-sources)")

# emsock_require_source(<package> <what needs it>): stop configure when the package's tree is missing.
function(emsock_require_source package why)
  string(TOUPPER "${package}" upper)
  set(dir "${EMSOCK_${upper}_SOURCE_DIR}")
  if(package STREQUAL "lwip")
    set(probe "src/core/init.c")
  else()
    set(probe "include/CppUTest/TestHarness.h")
  endif()
  if(NOT EXISTS "${dir}/${probe}")
    message(FATAL_ERROR
      "emsock: ${why} needs the ${package} source tree, and EMSOCK_${upper}_SOURCE_DIR='${dir}' has no ${probe}.\n"
      "Fetch Debian's pinned source package (once; it lands in EMSOCK_CACHE_DIR='${EMSOCK_CACHE_DIR}'):\n"
      "    ./scripts/fetch-sources ${package}\n"
      "or point -DEMSOCK_${upper}_SOURCE_DIR at your own ${package} tree.")
  endif()
endfunction()

# emsock_lwip_tcp_in(<out-var>): the tcp_in.c to compile. emsock applies one fix to lwIP 2.1.3
# (the README's "lwIP fix"): with a zero receive window lwIP answers every segment with an ACK, pure
# ACKs at rcv_nxt included, so two connections with zero windows ACK each other for ever (on a
# loopback netif inside one netif_poll call, which never returns). The fixed copy lives in the build
# tree; the source tree is never modified. A tree without the expected line (another lwIP version,
# or already fixed) is compiled as it is, with a warning.
function(emsock_lwip_tcp_in out_var)
  set(original "${EMSOCK_LWIP_SOURCE_DIR}/src/core/tcp_in.c")
  set(fixed "${CMAKE_BINARY_DIR}/emsock-lwip-fix/tcp_in.c")
  set(${out_var} "${original}" PARENT_SCOPE)
  file(READ "${original}" text)
  set(old "    if (!TCP_SEQ_BETWEEN(seqno, pcb->rcv_nxt, pcb->rcv_nxt + pcb->rcv_wnd - 1)) {")
  set(new "    if (!TCP_SEQ_BETWEEN(seqno, pcb->rcv_nxt, pcb->rcv_nxt + pcb->rcv_wnd - 1) && !(tcplen == 0 && seqno == pcb->rcv_nxt)) { /* emsock: no zero-window ACK storm */")
  string(FIND "${text}" "${old}" at)
  if(at EQUAL -1)
    if(NOT text MATCHES "emsock: no zero-window ACK storm")
      message(WARNING "emsock: ${original} is not the lwIP 2.1.3 emsock was tested with; compiling it without "
                      "emsock's zero-window ACK fix (see README, 'lwIP fix')")
    endif()
    return()
  endif()
  string(REPLACE "${old}" "${new}" text "${text}")
  set(current "")
  if(EXISTS "${fixed}")
    file(READ "${fixed}" current)
  endif()
  if(NOT current STREQUAL text)  # rewrite only on change, so a re-configure rebuilds nothing
    file(WRITE "${fixed}" "${text}")
  endif()
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${original}")
  # The copy includes lwIP's headers by their "lwip/..." names only, so it compiles from anywhere.
  set(${out_var} "${fixed}" PARENT_SCOPE)
endfunction()

# emsock_lwip_socket_files(<out-var>): lwIP's sources for NO_SYS=0 with the socket API (core, IPv4,
# IPv6, sequential and socket API; lwIP 2.1's src/Filelists.cmake lists them), tcp_in.c as
# emsock_lwip_tcp_in gives it. Without netif/ (Ethernet, ARP) and without a sys_arch: the caller adds them.
function(emsock_lwip_socket_files out_var)
  set(files
    core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c core/netif.c
    core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_out.c
    core/timeouts.c core/udp.c
    core/ipv4/icmp.c core/ipv4/igmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c
    core/ipv6/icmp6.c core/ipv6/inet6.c core/ipv6/ip6.c core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c
    core/ipv6/mld6.c core/ipv6/nd6.c
    api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c api/netdb.c api/sockets.c api/tcpip.c)
  list(TRANSFORM files PREPEND ${EMSOCK_LWIP_SOURCE_DIR}/src/)
  emsock_lwip_tcp_in(tcp_in)
  list(APPEND files ${tcp_in})
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()
