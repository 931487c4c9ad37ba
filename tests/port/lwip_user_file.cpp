// SPDX-License-Identifier: MIT
// A user's file: see lwip_user_file.hpp. EMSOCK_USER_FILE chooses the includes and the name.
// Every variant is a hosted file that has close() from <unistd.h>; lwIP's sockets.h may then make
// close(s) a macro (LWIP_COMPAT_SOCKETS 1 with LWIP_POSIX_SOCKETS_IO_NAMES).
#include <unistd.h>

#if EMSOCK_USER_FILE == 2 || EMSOCK_USER_FILE == 5
#include "emsock/port/port.hpp"
#endif
#if EMSOCK_USER_FILE >= 3
extern "C" {
#include "lwip/sockets.h"
}
#endif
#if EMSOCK_USER_FILE == 4
#include "emsock/port/port.hpp"
#endif

#include "lwip_user_file.hpp"

#define EMSOCK_TEXT(...) #__VA_ARGS__
#define EMSOCK_EXPANDED_TEXT(...) EMSOCK_TEXT(__VA_ARGS__)

namespace {
const char* close_call() { return EMSOCK_EXPANDED_TEXT(close(fd)); }
int call_close(int fd) { return close(fd); }
}  // namespace

namespace lwip_test {
#if EMSOCK_USER_FILE == 1
const user_file user_file_unistd{close_call, call_close};
#elif EMSOCK_USER_FILE == 2
const user_file user_file_unistd_then_emsock{close_call, call_close};
#elif EMSOCK_USER_FILE == 3
const user_file user_file_lwip{close_call, call_close};
#elif EMSOCK_USER_FILE == 4
const user_file user_file_lwip_then_emsock{close_call, call_close};
#elif EMSOCK_USER_FILE == 5
const user_file user_file_emsock_then_lwip{close_call, call_close};
#endif
}  // namespace lwip_test
