// SPDX-License-Identifier: MIT
// LWIP_COMPAT_SOCKETS and the user's own names: including emsock's headers changes nothing about
// what close(fd) means in a user's file, in either include order (emsock's headers include no lwIP
// header, so they neither bring lwIP's compat macros nor take them away).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

extern "C" {
#include "lwip/opt.h"
}

#include "conformance.hpp"
#include "loopback_stack.hpp"
#include "lwip_user_file.hpp"

using lwip_test::user_file;

TEST_GROUP_BASE(lwip_user_names, conformance::handle_leak_check){};

TEST(lwip_user_names, close_means_what_the_users_own_includes_make_it_mean) {
  STRCMP_EQUAL(lwip_test::user_file_unistd.close_call(), lwip_test::user_file_unistd_then_emsock.close_call());
  STRCMP_EQUAL(lwip_test::user_file_lwip.close_call(), lwip_test::user_file_lwip_then_emsock.close_call());
  STRCMP_EQUAL(lwip_test::user_file_lwip.close_call(), lwip_test::user_file_emsock_then_lwip.close_call());
  STRCMP_EQUAL("close(fd)", lwip_test::user_file_unistd_then_emsock.close_call());
#if LWIP_COMPAT_SOCKETS == 1 && LWIP_POSIX_SOCKETS_IO_NAMES
  STRCMP_EQUAL("lwip_close(fd)", lwip_test::user_file_lwip.close_call());  // the macro is lwIP's
#endif
}

TEST(lwip_user_names, close_beside_emsocks_headers_closes_an_os_descriptor) {
  int fds[2];
  LONGS_EQUAL(0, pipe(fds));
  LONGS_EQUAL(0, lwip_test::user_file_unistd_then_emsock.call_close(fds[0]));
  errno = 0;
  LONGS_EQUAL(-1, fcntl(fds[0], F_GETFD));
  LONGS_EQUAL(EBADF, errno);
  LONGS_EQUAL(0, close(fds[1]));
}

#if LWIP_COMPAT_SOCKETS == 1 && LWIP_POSIX_SOCKETS_IO_NAMES
TEST(lwip_user_names, close_under_lwips_macro_closes_an_lwip_socket_in_either_include_order) {
  for (const user_file* f : {&lwip_test::user_file_lwip_then_emsock, &lwip_test::user_file_emsock_then_lwip}) {
    // Checked first: the C library's close() must never be handed an lwIP descriptor.
    STRCMP_EQUAL("lwip_close(fd)", f->close_call());
    const std::size_t before = emsock::lwip::open_socket_count();
    auto l = emsock::tcp_listener::listen(conformance::loopback_v4(0));
    CHECK_OK(l);
    const int fd = l->release();
    UNSIGNED_LONGS_EQUAL(before + 1, emsock::lwip::open_socket_count());
    LONGS_EQUAL(0, f->call_close(fd));
    UNSIGNED_LONGS_EQUAL(before, emsock::lwip::open_socket_count());
  }
}
#endif
