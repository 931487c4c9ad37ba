# EmsockFetchDebianSource.cmake - unpack a Debian source package into a directory, once.
#
#   cmake -DPACKAGE=cpputest -DDEST=<dir> [-DSUITE=bookworm] [-DMIRROR=http://deb.debian.org/debian]
#         -P EmsockFetchDebianSource.cmake
#
# Result: <DEST>/source is the unpacked tree (Debian's patches applied by dpkg-source). A second run
# finds <DEST>/source/.emsock-fetched and does nothing, so the build tree caches it.
#
# `apt-get source` needs a deb-src entry, which Debian machines often lack. Rather than editing the
# machine's apt configuration, give apt a private one for these two commands only: a sources list with
# one deb-src line, and private index and cache directories under <DEST>/apt (so neither the machine's
# package lists nor its lock are touched; no root needed). Needs apt-get and dpkg-source (dpkg-dev).
cmake_minimum_required(VERSION 3.20)
foreach(var PACKAGE DEST)
  if(NOT ${var})
    message(FATAL_ERROR "EmsockFetchDebianSource: ${var} is not set")
  endif()
endforeach()
if(NOT SUITE)
  set(SUITE bookworm)
endif()
if(NOT MIRROR)
  set(MIRROR http://deb.debian.org/debian)
endif()

set(marker "${DEST}/source/.emsock-fetched")
if(EXISTS "${marker}")
  return()
endif()

find_program(APT_GET apt-get)
find_program(DPKG_SOURCE dpkg-source)
if(NOT APT_GET OR NOT DPKG_SOURCE)
  message(FATAL_ERROR "EmsockFetchDebianSource: apt-get and dpkg-source are needed to fetch Debian's "
                      "'${PACKAGE}' source package (install Debian's dpkg-dev)")
endif()

set(apt "${DEST}/apt")
file(REMOVE_RECURSE "${DEST}")
file(MAKE_DIRECTORY "${apt}/lists/partial" "${apt}/cache/archives/partial" "${DEST}/download")
set(keyring /usr/share/keyrings/debian-archive-keyring.gpg)
file(WRITE "${apt}/sources.list" "deb-src [signed-by=${keyring}] ${MIRROR} ${SUITE} main\n")
set(options
    -o "Dir::Etc::SourceList=${apt}/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=${apt}/lists" -o "Dir::Cache=${apt}/cache"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -qq)

message(STATUS "EmsockFetchDebianSource: apt-get source ${PACKAGE} (${SUITE}) into ${DEST}")
execute_process(COMMAND "${APT_GET}" ${options} update
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "EmsockFetchDebianSource: apt-get update (private deb-src list) failed: ${err}")
endif()
execute_process(COMMAND "${APT_GET}" ${options} source "${PACKAGE}"
                WORKING_DIRECTORY "${DEST}/download"
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "EmsockFetchDebianSource: apt-get source ${PACKAGE} failed: ${err}")
endif()

# The unpacked directory is <package>-<upstream version>: the only directory in download/.
file(GLOB unpacked LIST_DIRECTORIES true "${DEST}/download/${PACKAGE}-*")
list(FILTER unpacked EXCLUDE REGEX "\\.(dsc|tar\\..*)$")
list(LENGTH unpacked count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "EmsockFetchDebianSource: expected one unpacked ${PACKAGE}-* directory, found: ${unpacked}")
endif()
file(RENAME "${unpacked}" "${DEST}/source")
file(REMOVE_RECURSE "${apt}")  # the indexes (≈ 10 MB) are not needed any more
file(WRITE "${marker}" "${PACKAGE} from ${MIRROR} ${SUITE}\n")
