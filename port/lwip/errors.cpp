// SPDX-License-Identifier: MIT
// The lwIP backend's errno mapping: lwIP errno -> errc (its err_t mapping, shared with the raw-API backend,
// is emsock/lwip/err.hpp; docs/errors-by-backend.md compares them all). Symbolic names only, as lwIP's
// errno header defines them (the C library's with LWIP_ERRNO_STDINCLUDE, lwIP's own values with
// LWIP_PROVIDE_ERRNO). Names a configuration may lack are guarded; equal values map alike.
#include "emsock/port/native.hpp"
#include "lwip_api.hpp"

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
    {ECONNABORTED, errc::connection_aborted},  // lwIP: ERR_ABRT, the connection was aborted locally
    {EPIPE, errc::broken_pipe},
    {ENOTCONN, errc::not_connected},  // lwIP: ERR_CLSD / ERR_CONN
    {EISCONN, errc::already_connected},
    {EALREADY, errc::in_progress},  // lwIP: ERR_ALREADY, a connect is already under way
    {EADDRINUSE, errc::address_in_use},
    {EADDRNOTAVAIL, errc::address_not_available},
    {ENETUNREACH, errc::network_unreachable},
    {EHOSTUNREACH, errc::host_unreachable},
    {EACCES, errc::permission_denied},
    {EPERM, errc::permission_denied},
    {EMFILE, errc::too_many_open_files},  // lwIP: the socket table is full
    {ENFILE, errc::too_many_open_files},
    {ENOBUFS, errc::out_of_memory},  // lwIP: a pool or the heap is exhausted (ERR_MEM, ERR_BUF)
    {ENOMEM, errc::out_of_memory},
    {EINVAL, errc::invalid_argument},
    {EBADF, errc::invalid_argument},
    {ENOTSOCK, errc::invalid_argument},
    {EFAULT, errc::invalid_argument},
    {EDESTADDRREQ, errc::not_connected},  // as POSIX: a send on a datagram socket without a peer
    {EAFNOSUPPORT, errc::family_not_supported},
    {EOPNOTSUPP, errc::operation_not_supported},
    {ENOPROTOOPT, errc::operation_not_supported},
    {EPROTONOSUPPORT, errc::operation_not_supported},
    {ENOSYS, errc::operation_not_supported},  // lwIP: fcntl/ioctl commands it does not implement
    {EPROTOTYPE, errc::operation_not_supported},
    {EMSGSIZE, errc::message_too_long},
#ifdef ESHUTDOWN
    {ESHUTDOWN, errc::broken_pipe},
#endif
#ifdef ENETRESET
    {ENETRESET, errc::connection_reset},
#endif
#ifdef ENETDOWN
    {ENETDOWN, errc::network_unreachable},
#endif
#ifdef EHOSTDOWN
    {EHOSTDOWN, errc::host_unreachable},
#endif
#ifdef EPFNOSUPPORT
    {EPFNOSUPPORT, errc::family_not_supported},
#endif
#ifdef ENOTSUP
    {ENOTSUP, errc::operation_not_supported},
#endif
#ifdef ESOCKTNOSUPPORT
    {ESOCKTNOSUPPORT, errc::operation_not_supported},
#endif
};

}  // namespace

errc errc_from_errno(int native_error) noexcept {
  if (native_error == 0) return errc::system_error;  // a failure that left no code
  for (const errno_row& row : errno_rows)
    if (row.native == native_error) return row.code;
  return errc::system_error;
}

}  // namespace emsock
