// SPDX-License-Identifier: MIT
// The POSIX backend's native error mappings: every mapped errno and EAI_* code, and the fallbacks.
// The expected table is written out here, independently of the one in port/posix/errors.cpp.
#include <cerrno>

#include <netdb.h>

#include <CppUTest/TestHarness.h>

#include "emsock/port/native.hpp"
#include "errc_rows.hpp"

using emsock::errc;


TEST_GROUP(posix_errno){};

TEST(posix_errno, every_mapped_errno_gives_its_reason) {
  const emsock_test::errc_row rows[] = {
      ERRC_ROW(EAGAIN, would_block),
      ERRC_ROW(EWOULDBLOCK, would_block),
      ERRC_ROW(EINPROGRESS, in_progress),
      ERRC_ROW(EINTR, interrupted),
      ERRC_ROW(ETIMEDOUT, timed_out),
      ERRC_ROW(ECONNREFUSED, connection_refused),
      ERRC_ROW(ECONNRESET, connection_reset),
      ERRC_ROW(ENETRESET, connection_reset),
      ERRC_ROW(ECONNABORTED, connection_aborted),
      ERRC_ROW(EPIPE, broken_pipe),
      ERRC_ROW(ESHUTDOWN, broken_pipe),
      ERRC_ROW(ENOTCONN, not_connected),
      ERRC_ROW(EISCONN, already_connected),
      ERRC_ROW(EALREADY, in_progress),
      ERRC_ROW(EADDRINUSE, address_in_use),
      ERRC_ROW(EADDRNOTAVAIL, address_not_available),
      ERRC_ROW(ENETUNREACH, network_unreachable),
      ERRC_ROW(ENETDOWN, network_unreachable),
      ERRC_ROW(EHOSTUNREACH, host_unreachable),
      ERRC_ROW(EHOSTDOWN, host_unreachable),
      ERRC_ROW(EACCES, permission_denied),
      ERRC_ROW(EPERM, permission_denied),
      ERRC_ROW(EMFILE, too_many_open_files),
      ERRC_ROW(ENFILE, too_many_open_files),
      ERRC_ROW(ENOBUFS, out_of_memory),
      ERRC_ROW(ENOMEM, out_of_memory),
      ERRC_ROW(EINVAL, invalid_argument),
      ERRC_ROW(EBADF, invalid_argument),
      ERRC_ROW(ENOTSOCK, invalid_argument),
      ERRC_ROW(EFAULT, invalid_argument),
      ERRC_ROW(EDESTADDRREQ, not_connected),
      ERRC_ROW(EAFNOSUPPORT, family_not_supported),
      ERRC_ROW(EPFNOSUPPORT, family_not_supported),
      ERRC_ROW(EOPNOTSUPP, operation_not_supported),
      ERRC_ROW(ENOTSUP, operation_not_supported),
      ERRC_ROW(ENOPROTOOPT, operation_not_supported),
      ERRC_ROW(EPROTONOSUPPORT, operation_not_supported),
      ERRC_ROW(ESOCKTNOSUPPORT, operation_not_supported),
      ERRC_ROW(EPROTOTYPE, operation_not_supported),
      ERRC_ROW(EMSGSIZE, message_too_long),
      // Not socket reasons: the fallback.
      ERRC_ROW(0, system_error),
      ERRC_ROW(ENOENT, system_error),
      ERRC_ROW(EDOM, system_error),
      ERRC_ROW(EIO, system_error),
      ERRC_ROW(-1, system_error),
  };
  emsock_test::check_rows(rows, [](int e) { return emsock::errc_from_errno(e); });
}

TEST(posix_errno, every_mapped_eai_code_gives_its_reason) {
  const emsock_test::errc_row rows[] = {
      ERRC_ROW(EAI_NONAME, name_not_found),
      ERRC_ROW(EAI_NODATA, name_not_found),
      ERRC_ROW(EAI_ADDRFAMILY, name_not_found),
      ERRC_ROW(EAI_AGAIN, name_temporary_failure),
      ERRC_ROW(EAI_FAIL, name_resolution_failed),
      ERRC_ROW(EAI_SERVICE, service_not_found),
      ERRC_ROW(EAI_FAMILY, family_not_supported),
      ERRC_ROW(EAI_SOCKTYPE, operation_not_supported),
      ERRC_ROW(EAI_MEMORY, out_of_memory),
      ERRC_ROW(EAI_BADFLAGS, invalid_argument),
      ERRC_ROW(EAI_OVERFLOW, buffer_too_small),
      ERRC_ROW(0, system_error),
      ERRC_ROW(EAI_INPROGRESS, system_error),
      ERRC_ROW(12345, system_error),
  };
  emsock_test::check_rows(rows, [](int e) { return emsock::errc_from_eai(e, 0); });
}

TEST(posix_errno, eai_system_uses_the_saved_errno) {
  STRCMP_EQUAL("connection_refused", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, ECONNREFUSED)));
  STRCMP_EQUAL("too_many_open_files", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, EMFILE)));
  STRCMP_EQUAL("system_error", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, 0)));
  // The saved errno matters only for EAI_SYSTEM.
  STRCMP_EQUAL("name_not_found", emsock::name(emsock::errc_from_eai(EAI_NONAME, ECONNREFUSED)));
}
