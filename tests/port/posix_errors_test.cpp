// SPDX-License-Identifier: MIT
// The POSIX backend's native error mappings: every mapped errno and EAI_* code, and the fallbacks.
// The expected table is written out here, independently of the one in port/posix/errors.cpp.
#include <cerrno>

#include <netdb.h>

#include <CppUTest/TestHarness.h>

#include "emsock/port/native.hpp"

using emsock::errc;

namespace {
struct row {
  int native;
  const char* native_name;
  errc expected;
};
}  // namespace

#define ROW(e, code) {e, #e, errc::code}

TEST_GROUP(posix_errno){};

TEST(posix_errno, every_mapped_errno_gives_its_reason) {
  const row rows[] = {
      ROW(EAGAIN, would_block),
      ROW(EWOULDBLOCK, would_block),
      ROW(EINPROGRESS, in_progress),
      ROW(EINTR, interrupted),
      ROW(ETIMEDOUT, timed_out),
      ROW(ECONNREFUSED, connection_refused),
      ROW(ECONNRESET, connection_reset),
      ROW(ENETRESET, connection_reset),
      ROW(ECONNABORTED, connection_aborted),
      ROW(EPIPE, broken_pipe),
      ROW(ESHUTDOWN, broken_pipe),
      ROW(ENOTCONN, not_connected),
      ROW(EISCONN, already_connected),
      ROW(EALREADY, already_connected),
      ROW(EADDRINUSE, address_in_use),
      ROW(EADDRNOTAVAIL, address_not_available),
      ROW(ENETUNREACH, network_unreachable),
      ROW(ENETDOWN, network_unreachable),
      ROW(EHOSTUNREACH, host_unreachable),
      ROW(EHOSTDOWN, host_unreachable),
      ROW(EACCES, permission_denied),
      ROW(EPERM, permission_denied),
      ROW(EMFILE, too_many_open_files),
      ROW(ENFILE, too_many_open_files),
      ROW(ENOBUFS, out_of_memory),
      ROW(ENOMEM, out_of_memory),
      ROW(EINVAL, invalid_argument),
      ROW(EBADF, invalid_argument),
      ROW(ENOTSOCK, invalid_argument),
      ROW(EFAULT, invalid_argument),
      ROW(EDESTADDRREQ, not_connected),
      ROW(EAFNOSUPPORT, family_not_supported),
      ROW(EPFNOSUPPORT, family_not_supported),
      ROW(EOPNOTSUPP, operation_not_supported),
      ROW(ENOTSUP, operation_not_supported),
      ROW(ENOPROTOOPT, operation_not_supported),
      ROW(EPROTONOSUPPORT, operation_not_supported),
      ROW(ESOCKTNOSUPPORT, operation_not_supported),
      ROW(EPROTOTYPE, operation_not_supported),
      ROW(EMSGSIZE, message_too_long),
      // Not socket reasons: the fallback.
      ROW(0, system_error),
      ROW(ENOENT, system_error),
      ROW(EDOM, system_error),
      ROW(EIO, system_error),
      ROW(-1, system_error),
  };
  for (const row& r : rows)
    STRCMP_EQUAL_TEXT(emsock::name(r.expected), emsock::name(emsock::errc_from_errno(r.native)), r.native_name);
}

TEST(posix_errno, every_mapped_eai_code_gives_its_reason) {
  const row rows[] = {
      ROW(EAI_NONAME, name_not_found),
      ROW(EAI_NODATA, name_not_found),
      ROW(EAI_ADDRFAMILY, name_not_found),
      ROW(EAI_AGAIN, name_temporary_failure),
      ROW(EAI_FAIL, name_resolution_failed),
      ROW(EAI_SERVICE, service_not_found),
      ROW(EAI_FAMILY, family_not_supported),
      ROW(EAI_SOCKTYPE, operation_not_supported),
      ROW(EAI_MEMORY, out_of_memory),
      ROW(EAI_BADFLAGS, invalid_argument),
      ROW(EAI_OVERFLOW, buffer_too_small),
      ROW(0, system_error),
      ROW(EAI_INPROGRESS, system_error),
      ROW(12345, system_error),
  };
  for (const row& r : rows)
    STRCMP_EQUAL_TEXT(emsock::name(r.expected), emsock::name(emsock::errc_from_eai(r.native, 0)), r.native_name);
}

TEST(posix_errno, eai_system_uses_the_saved_errno) {
  STRCMP_EQUAL("connection_refused", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, ECONNREFUSED)));
  STRCMP_EQUAL("too_many_open_files", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, EMFILE)));
  STRCMP_EQUAL("system_error", emsock::name(emsock::errc_from_eai(EAI_SYSTEM, 0)));
  // The saved errno matters only for EAI_SYSTEM.
  STRCMP_EQUAL("name_not_found", emsock::name(emsock::errc_from_eai(EAI_NONAME, ECONNREFUSED)));
}
