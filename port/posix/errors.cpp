// SPDX-License-Identifier: MIT
// The POSIX backend's native error mappings: errno -> errc and EAI_* -> errc, one function each.
// Symbolic names only (EAGAIN and EWOULDBLOCK may or may not be equal; both are listed, which is
// harmless because the first match wins and equal values map alike).
#include <cerrno>

#include <netdb.h>

#include "emsock/port/native.hpp"

namespace emsock {
namespace {

struct errno_row {
  int native;
  errc code;
};

constexpr errno_row errno_rows[] = {
    {EAGAIN, errc::would_block},
    {EWOULDBLOCK, errc::would_block},
    {EINPROGRESS, errc::in_progress},
    {EINTR, errc::interrupted},
    {ETIMEDOUT, errc::timed_out},
    {ECONNREFUSED, errc::connection_refused},
    {ECONNRESET, errc::connection_reset},
    {ENETRESET, errc::connection_reset},
    {ECONNABORTED, errc::connection_aborted},
    {EPIPE, errc::broken_pipe},
    {ESHUTDOWN, errc::broken_pipe},
    {ENOTCONN, errc::not_connected},
    {EISCONN, errc::already_connected},
    {EALREADY, errc::in_progress},  // a non-blocking connect is already under way
    {EADDRINUSE, errc::address_in_use},
    {EADDRNOTAVAIL, errc::address_not_available},
    {ENETUNREACH, errc::network_unreachable},
    {ENETDOWN, errc::network_unreachable},
    {EHOSTUNREACH, errc::host_unreachable},
    {EHOSTDOWN, errc::host_unreachable},
    {EACCES, errc::permission_denied},
    {EPERM, errc::permission_denied},
    {EMFILE, errc::too_many_open_files},
    {ENFILE, errc::too_many_open_files},
    {ENOBUFS, errc::out_of_memory},
    {ENOMEM, errc::out_of_memory},
    {EINVAL, errc::invalid_argument},
    {EBADF, errc::invalid_argument},
    {ENOTSOCK, errc::invalid_argument},
    {EFAULT, errc::invalid_argument},
    {EDESTADDRREQ, errc::not_connected},  // a datagram socket without a peer: send() on it
    {EAFNOSUPPORT, errc::family_not_supported},
    {EPFNOSUPPORT, errc::family_not_supported},
    {EOPNOTSUPP, errc::operation_not_supported},
    {ENOTSUP, errc::operation_not_supported},
    {ENOPROTOOPT, errc::operation_not_supported},
    {EPROTONOSUPPORT, errc::operation_not_supported},
    {ESOCKTNOSUPPORT, errc::operation_not_supported},
    {EPROTOTYPE, errc::operation_not_supported},
    {EMSGSIZE, errc::message_too_long},
};

}  // namespace

errc errc_from_errno(int native_error) noexcept {
  if (native_error == 0) return errc::system_error;  // a failure that left no code
  for (const errno_row& row : errno_rows)
    if (row.native == native_error) return row.code;
  return errc::system_error;
}

errc errc_from_eai(int eai_code, int saved_errno) noexcept {
  if (eai_code == 0) return errc::system_error;
  if (eai_code == EAI_SYSTEM) return errc_from_errno(saved_errno);
  if (eai_code == EAI_NONAME) return errc::name_not_found;
#ifdef EAI_NODATA  // glibc and musl (GNU extension): the name exists but has no address
  if (eai_code == EAI_NODATA) return errc::name_not_found;
#endif
#ifdef EAI_ADDRFAMILY  // GNU extension: no address in the requested family
  if (eai_code == EAI_ADDRFAMILY) return errc::name_not_found;
#endif
  if (eai_code == EAI_AGAIN) return errc::name_temporary_failure;
  if (eai_code == EAI_FAIL) return errc::name_resolution_failed;
  if (eai_code == EAI_SERVICE) return errc::service_not_found;
  if (eai_code == EAI_FAMILY) return errc::family_not_supported;
  if (eai_code == EAI_SOCKTYPE) return errc::operation_not_supported;
  if (eai_code == EAI_MEMORY) return errc::out_of_memory;
  if (eai_code == EAI_BADFLAGS) return errc::invalid_argument;
  if (eai_code == EAI_OVERFLOW) return errc::buffer_too_small;
  return errc::system_error;
}

}  // namespace emsock
