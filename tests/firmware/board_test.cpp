// SPDX-License-Identifier: MIT
// Tests of the MPS2 board support that need QEMU: the semihosting command line. They run in the
// LAN9118 driver's image (ctest lan9118-driver), whose QEMU command gives no arg=, so the host's
// line is the kernel's file name.
#include <cstddef>
#include <cstring>

#include <CppUTest/TestHarness.h>

#include "emsock/mps2/board.hpp"

namespace {
constexpr const char* image_name = "emsock_lan9118_tests";
char g_line[512];
}  // namespace

TEST_GROUP(board_command_line) {};

TEST(board_command_line, without_arguments_the_host_gives_the_kernel_file_name) {
  const std::size_t n = emsock::mps2::command_line(g_line, sizeof g_line);
  CHECK(n > std::strlen(image_name));
  LONGS_EQUAL(n, std::strlen(g_line));
  STRCMP_EQUAL(image_name, g_line + n - std::strlen(image_name));
}

TEST(board_command_line, a_buffer_that_just_fits_gets_the_whole_line) {
  const std::size_t n = emsock::mps2::command_line(g_line, sizeof g_line);
  char exact[sizeof g_line];
  std::memset(exact, 'x', sizeof exact);
  LONGS_EQUAL(n, emsock::mps2::command_line(exact, n + 1));
  STRCMP_EQUAL(g_line, exact);
}

TEST(board_command_line, a_buffer_one_short_gets_nothing_rather_than_a_cut_line) {
  const std::size_t n = emsock::mps2::command_line(g_line, sizeof g_line);
  char shorter[sizeof g_line];
  std::memset(shorter, 'x', sizeof shorter);
  LONGS_EQUAL(0, emsock::mps2::command_line(shorter, n));
  LONGS_EQUAL('\0', shorter[0]);
}

TEST(board_command_line, no_buffer_gets_nothing) {
  char one = 'x';
  LONGS_EQUAL(0, emsock::mps2::command_line(nullptr, 16));
  LONGS_EQUAL(0, emsock::mps2::command_line(&one, 0));
  LONGS_EQUAL('x', one);
  LONGS_EQUAL(0, emsock::mps2::command_line(&one, 1));  // room for the NUL only
  LONGS_EQUAL('\0', one);
}
