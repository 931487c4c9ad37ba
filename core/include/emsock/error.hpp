// SPDX-License-Identifier: MIT
// emsock/error.hpp - the one list of failure reasons, and the result type that carries them.
//
// Every public emsock function that can fail returns a result<T> (or status) holding either a value
// or an error: a specific reason (errc) and, for text input, the offset of the first offending
// character. There is no errno to consult afterwards and nothing is thrown.
#pragma once

#include <cstddef>
#include <cstdint>

namespace emsock {

/// Specific reasons. Stable: new values are appended, never renumbered.
enum class errc : std::uint8_t {
  ok = 0,

  // --- text input (addresses, endpoints) ---------------------------------------------------------
  empty_input,                ///< nothing to parse
  embedded_nul,               ///< a NUL character inside the text
  unexpected_character,       ///< a character that cannot appear at this place
  leading_zero,               ///< strict IPv4 / port: a part with a leading zero ("01")
  part_out_of_range,          ///< IPv4 part above 255, or a legacy last part too large for the bytes left
  too_many_parts,             ///< IPv4 with more than four parts
  too_few_parts,              ///< strict IPv4 with fewer than four parts
  empty_part,                 ///< IPv4 part with no digits ("1..2", "1.2.3.")
  bad_octal_digit,            ///< legacy IPv4: '8' or '9' in a part that starts with 0 (octal)
  empty_hex_number,           ///< legacy IPv4: "0x" without hex digits
  group_too_long,             ///< IPv6 group with more than four hex digits
  too_many_groups,            ///< IPv6 with more than eight groups (or eight and a "::")
  too_few_groups,             ///< IPv6 with fewer than eight groups and no "::"
  more_than_one_double_colon, ///< IPv6 with two "::"
  lone_colon,                 ///< IPv6 starting or ending with a single ':'
  ipv4_tail_misplaced,        ///< embedded IPv4 with no room left (more than six groups before it)
  zone_not_permitted,         ///< '%' zone id given to a parser that takes none
  zone_empty,                 ///< '%' with nothing after it
  zone_too_long,              ///< zone id longer than max_zone_len
  missing_bracket,            ///< endpoint "[v6" without ']', or IPv6 with a port but no brackets
  missing_port,               ///< endpoint without ":port"
  port_out_of_range,          ///< port above 65535
  wrong_family,               ///< text names an address of another family than asked for

  // --- output ------------------------------------------------------------------------------------
  buffer_too_small,           ///< the caller's buffer cannot hold the result; nothing was written

  // --- sockets (port/ backends map their native errors here, each in exactly one function) -------
  would_block,                ///< non-blocking operation cannot proceed now (EAGAIN, EWOULDBLOCK)
  in_progress,                ///< non-blocking connect started or under way (EINPROGRESS, EALREADY)
  interrupted,                ///< interrupted by a signal (EINTR)
  timed_out,                  ///< the deadline passed (ETIMEDOUT, or an emsock timeout)
  connection_refused,         ///< no one listens there (ECONNREFUSED)
  connection_reset,           ///< the peer reset the connection (ECONNRESET)
  connection_aborted,         ///< the connection was aborted locally (ECONNABORTED)
  broken_pipe,                ///< send after the connection was shut down (EPIPE)
  not_connected,              ///< the socket is not connected, or has no peer to send to (ENOTCONN, EDESTADDRREQ)
  already_connected,          ///< the socket is already connected (EISCONN)
  address_in_use,             ///< bind: address and port are taken (EADDRINUSE)
  address_not_available,      ///< bind: the address is not local (EADDRNOTAVAIL)
  network_unreachable,        ///< ENETUNREACH, ENETDOWN
  host_unreachable,           ///< EHOSTUNREACH
  permission_denied,          ///< EACCES, EPERM
  too_many_open_files,        ///< the descriptor table is full (EMFILE, ENFILE)
  out_of_memory,              ///< the stack has no buffers or pools left (ENOBUFS, ENOMEM)
  invalid_argument,           ///< EINVAL, EBADF, ENOTSOCK and other misuse
  family_not_supported,       ///< EAFNOSUPPORT, EPFNOSUPPORT, EAI_FAMILY
  operation_not_supported,    ///< EOPNOTSUPP, ENOPROTOOPT, EPROTONOSUPPORT, EAI_SOCKTYPE
  message_too_long,           ///< EMSGSIZE
  name_not_found,             ///< resolve: the name does not exist (EAI_NONAME, EAI_NODATA)
  name_temporary_failure,     ///< resolve: try again later (EAI_AGAIN)
  name_resolution_failed,     ///< resolve: permanent server failure (EAI_FAIL)
  name_resolution_unavailable,///< resolve: this build has no name resolution (lwIP without LWIP_DNS)
  service_not_found,          ///< resolve: the port/service is not valid for the socket type (EAI_SERVICE)
  system_error,               ///< any other native error; the backend keeps the native code for logs
  datagram_truncated,         ///< a received datagram was longer than the buffer: the rest is discarded
  called_from_callback,       ///< a socket call from inside the network stack (lwip-raw: an lwIP callback or the drive hook)
};

/// Whether `code` ends an operation for good. Not fatal: ok, and the outcomes a caller retries
/// (would_block, interrupted, in_progress), and datagram_truncated (that one datagram was cut; the
/// socket goes on with the next). Every other reason is fatal.
constexpr bool is_fatal(errc code) noexcept {
  return code != errc::ok && code != errc::would_block && code != errc::interrupted && code != errc::in_progress &&
         code != errc::datagram_truncated;
}

/// A short, static, human-readable phrase for `code` ("leading zero not permitted").
/// Never returns null; unknown values give "unknown error".
const char* describe(errc code) noexcept;

/// The identifier of `code` as spelled in the enum ("leading_zero"), for logs and tests.
const char* name(errc code) noexcept;

/// What went wrong and where: `offset` is the index of the first offending character of the text
/// that was parsed (the text's length when it ended too early); 0 for errors without a position.
struct error {
  errc code = errc::ok;
  std::size_t offset = 0;

  constexpr bool operator==(const error& o) const noexcept {
    return code == o.code && offset == o.offset;
  }
  constexpr bool operator!=(const error& o) const noexcept { return !(*this == o); }
};

}  // namespace emsock
