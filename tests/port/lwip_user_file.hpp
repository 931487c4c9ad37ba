// SPDX-License-Identifier: MIT
// A user's file that calls close(fd), compiled five times with different includes
// (lwip_user_file.cpp, EMSOCK_USER_FILE = 1..5), so that a test can compare what close(fd) means
// in each: emsock's headers must change nothing, whatever LWIP_COMPAT_SOCKETS is.
#pragma once

namespace lwip_test {

struct user_file {
  /// The tokens `close(fd)` after the preprocessor, as text ("lwip_close(fd)" under a macro).
  const char* (*close_call)();
  /// Calls close(fd) as written in that file.
  int (*call_close)(int fd);
};

// Each includes <unistd.h> first, then:
extern const user_file user_file_unistd;               ///< nothing else
extern const user_file user_file_unistd_then_emsock;   ///< emsock's headers
extern const user_file user_file_lwip;                 ///< lwIP's sockets.h
extern const user_file user_file_lwip_then_emsock;     ///< lwIP's sockets.h, then emsock's headers
extern const user_file user_file_emsock_then_lwip;     ///< emsock's headers, then lwIP's sockets.h

}  // namespace lwip_test
