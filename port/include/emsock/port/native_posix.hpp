// SPDX-License-Identifier: MIT
// emsock/port/native_posix.hpp - what the POSIX backend shows through the interface.
// Included by emsock/port/native.hpp only (EMSOCK_PORT_POSIX); do not include it directly.
// The "posix" backend is Linux's: it uses accept4, SOCK_CLOEXEC/SOCK_NONBLOCK, MSG_NOSIGNAL,
// POLLRDHUP and epoll (event_set), which other POSIX systems (the BSDs, macOS) lack or spell
// otherwise. It builds and is tested on Linux only (glibc; x86-64, armhf, aarch64, s390x).
#pragma once

#include <poll.h>
#if defined(__linux__)
#include <sys/epoll.h>
#endif

#include "emsock/error.hpp"

namespace emsock {

/// The record poll() takes for one descriptor (poll_set<N> stores N of them).
using native_pollfd = ::pollfd;

#if defined(__linux__)
/// event_set<N> runs on epoll: its records are what epoll_wait fills in.
#define EMSOCK_NATIVE_EPOLL 1
using native_event_record = ::epoll_event;
#else
#define EMSOCK_NATIVE_EPOLL 0
using native_event_record = native_pollfd;  ///< event_set<N> runs on poll()
#endif

/// A POSIX file descriptor.
using native_handle_type = int;
/// The value of a handle that owns nothing.
inline constexpr native_handle_type invalid_native_handle = -1;
/// The backend's name, for logs and test reports.
inline constexpr const char* port_name = "posix";

/// The one errno -> errc mapping of this backend (port/posix/errors.cpp). Compares symbolic names
/// (EAGAIN, EWOULDBLOCK, ...), never numbers. Unknown values, and 0 (a failure without a code), give
/// errc::system_error. emsock does not keep the native code: results carry the errc only, so a
/// caller that needs the raw errno for a log must make the native call itself.
errc errc_from_errno(int native_error) noexcept;

/// The one getaddrinfo EAI_* -> errc mapping. `saved_errno` is errno as it was right after the
/// failing call; it is used only for EAI_SYSTEM (through errc_from_errno). Unknown codes, and 0,
/// give errc::system_error.
errc errc_from_eai(int eai_code, int saved_errno) noexcept;

}  // namespace emsock
