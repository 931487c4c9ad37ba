// SPDX-License-Identifier: MIT
// lwIP's error mappings, table-driven: the socket backend's errno -> errc (port/lwip/errors.cpp),
// the project's one err_t -> errc (emsock/lwip/err.hpp, shared with the raw-API glue), and how the
// two agree through lwIP's own err_to_errno (what the socket API turns an err_t into). The expected
// tables are written out here, independently of the code. Symbolic names only: lwIP's errno values
// are the C library's here, but may be lwIP's own (LWIP_PROVIDE_ERRNO) elsewhere.
extern "C" {
#include "lwip/err.h"
#include "lwip/errno.h"
}

#include <CppUTest/TestHarness.h>

#include "emsock/lwip/err.hpp"
#include "emsock/port/native.hpp"
#include "errc_rows.hpp"

using emsock::errc;


TEST_GROUP(lwip_errno){};

TEST(lwip_errno, every_mapped_errno_gives_its_reason) {
  const emsock_test::errc_row rows[] = {
      ERRC_ROW(EAGAIN, would_block),
      ERRC_ROW(EWOULDBLOCK, would_block),
      ERRC_ROW(EINPROGRESS, in_progress),
      ERRC_ROW(EALREADY, in_progress),  // a connect is already under way (ERR_ALREADY)
      ERRC_ROW(EINTR, interrupted),
      ERRC_ROW(ETIMEDOUT, timed_out),
      ERRC_ROW(ECONNREFUSED, connection_refused),
      ERRC_ROW(ECONNRESET, connection_reset),
      ERRC_ROW(ECONNABORTED, connection_aborted),
      ERRC_ROW(EPIPE, broken_pipe),
      ERRC_ROW(ENOTCONN, not_connected),
      ERRC_ROW(EDESTADDRREQ, not_connected),  // as on POSIX: a send with no peer
      ERRC_ROW(EISCONN, already_connected),
      ERRC_ROW(EADDRINUSE, address_in_use),
      ERRC_ROW(EADDRNOTAVAIL, address_not_available),
      ERRC_ROW(ENETUNREACH, network_unreachable),
      ERRC_ROW(EHOSTUNREACH, host_unreachable),
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
      ERRC_ROW(EAFNOSUPPORT, family_not_supported),
      ERRC_ROW(EOPNOTSUPP, operation_not_supported),
      ERRC_ROW(ENOPROTOOPT, operation_not_supported),
      ERRC_ROW(EPROTONOSUPPORT, operation_not_supported),
      ERRC_ROW(ENOSYS, operation_not_supported),
      ERRC_ROW(EPROTOTYPE, operation_not_supported),
      ERRC_ROW(EMSGSIZE, message_too_long),
#ifdef ESHUTDOWN
      ERRC_ROW(ESHUTDOWN, broken_pipe),
#endif
#ifdef ENETRESET
      ERRC_ROW(ENETRESET, connection_reset),
#endif
#ifdef ENETDOWN
      ERRC_ROW(ENETDOWN, network_unreachable),
#endif
#ifdef EHOSTDOWN
      ERRC_ROW(EHOSTDOWN, host_unreachable),
#endif
#ifdef EPFNOSUPPORT
      ERRC_ROW(EPFNOSUPPORT, family_not_supported),
#endif
#ifdef ENOTSUP
      ERRC_ROW(ENOTSUP, operation_not_supported),
#endif
#ifdef ESOCKTNOSUPPORT
      ERRC_ROW(ESOCKTNOSUPPORT, operation_not_supported),
#endif
      // Not socket reasons: the fallback. EIO is what lwIP's err_to_errno gives for ERR_ARG and
      // for values it does not know.
      ERRC_ROW(0, system_error),
      ERRC_ROW(EIO, system_error),
      ERRC_ROW(ENOENT, system_error),
      ERRC_ROW(-1, system_error),
      ERRC_ROW(-12345, system_error),
  };
  emsock_test::check_rows(rows, [](int e) { return emsock::errc_from_errno(e); });
}

TEST_GROUP(lwip_err){};

TEST(lwip_err, every_err_t_gives_its_reason) {
  const emsock_test::errc_row rows[] = {
      ERRC_ROW(ERR_OK, ok),
      ERRC_ROW(ERR_MEM, out_of_memory),
      ERRC_ROW(ERR_BUF, out_of_memory),
      ERRC_ROW(ERR_TIMEOUT, timed_out),
      ERRC_ROW(ERR_RTE, host_unreachable),  // no route: what tcp_connect says (not out_of_memory)
      ERRC_ROW(ERR_INPROGRESS, in_progress),
      ERRC_ROW(ERR_VAL, invalid_argument),
      ERRC_ROW(ERR_WOULDBLOCK, would_block),
      ERRC_ROW(ERR_USE, address_in_use),
      ERRC_ROW(ERR_ALREADY, in_progress),  // "already connecting"
      ERRC_ROW(ERR_ISCONN, already_connected),
      ERRC_ROW(ERR_CONN, not_connected),
      ERRC_ROW(ERR_IF, network_unreachable),
      ERRC_ROW(ERR_ABRT, connection_aborted),
      ERRC_ROW(ERR_RST, connection_reset),
      ERRC_ROW(ERR_CLSD, not_connected),
      ERRC_ROW(ERR_ARG, invalid_argument),
      // Values lwIP does not define.
      ERRC_ROW(1, system_error),
      ERRC_ROW(-17, system_error),
      ERRC_ROW(-128, system_error),
  };
  emsock_test::check_rows(rows, [](int e) { return emsock::lwip::errc_from_err(static_cast<err_t>(e)); });
}

// The same condition gives the same errc whether the raw API hands over the err_t or the socket API
// turns it into an errno first (lwIP's err_to_errno, api/err.c), except where err_to_errno loses the
// reason; those rows are docs/errors-by-backend.md's "lwIP socket API" column.
TEST(lwip_err, the_socket_api_agrees_with_the_raw_api) {
  // Every err_t but ERR_OK (errno 0 means "no code": system_error by design), each with what the
  // socket API's errno must map to: the raw mapping's errc unless err_to_errno loses it.
  struct case_row {
    err_t err;
    const char* err_name;
    bool lost;
    errc through_errno;  // when lost
  };
#define SAME(e) case_row{e, #e, false, errc::ok}
#define LOST(e, code) case_row{e, #e, true, errc::code}
  const case_row rows[] = {
      SAME(ERR_MEM), SAME(ERR_BUF),
      LOST(ERR_TIMEOUT, would_block),  // EWOULDBLOCK: a socket timeout (the backend then says timed_out)
      SAME(ERR_RTE), SAME(ERR_INPROGRESS), SAME(ERR_VAL), SAME(ERR_WOULDBLOCK), SAME(ERR_USE),
      SAME(ERR_ALREADY), SAME(ERR_ISCONN), SAME(ERR_CONN),
      LOST(ERR_IF, system_error),  // -1: no errno at all
      SAME(ERR_ABRT), SAME(ERR_RST), SAME(ERR_CLSD),
      LOST(ERR_ARG, system_error),  // EIO
  };
#undef SAME
#undef LOST
  for (const case_row& r : rows) {
    const errc expected = r.lost ? r.through_errno : emsock::lwip::errc_from_err(r.err);
    STRCMP_EQUAL_TEXT(emsock::name(expected), emsock::name(emsock::errc_from_errno(err_to_errno(r.err))), r.err_name);
  }
}

// Compile time: the mapping is usable in constant expressions (a switch over lwIP's enum).
static_assert(emsock::lwip::errc_from_err(ERR_RTE) == errc::host_unreachable, "ERR_RTE is a routing failure");
static_assert(emsock::lwip::errc_from_err(ERR_ALREADY) == errc::in_progress, "ERR_ALREADY: connect in progress");
