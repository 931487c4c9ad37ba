// SPDX-License-Identifier: MIT
// The kernel suite's main: CppUTest runs in a thread of the board's kernel (priority osPriorityNormal,
// 16 KB stack), verbose (each case's name in the log), and its result ends the image (exit status 0 / 1,
// as tests/core/main.cpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cmsis_os2.h"
#include "skip.hpp"

namespace {
alignas(8) std::uint8_t g_runner_stack[16384];

void run_tests(void*) {
  static char program[] = "emsock_kernel_tests";
  static char verbose[] = "-v";
  static char* argv[] = {program, verbose, nullptr};
  std::exit(emsock_test::run_all_tests(2, argv));
}
}  // namespace

int main(int, char**) {
  if (osKernelInitialize() != osOK) return 1;
  osThreadAttr_t attr{};
  attr.name = "cpputest";
  attr.stack_mem = g_runner_stack;
  attr.stack_size = sizeof g_runner_stack;
  attr.priority = osPriorityNormal;
  if (osThreadNew(run_tests, nullptr, &attr) == nullptr) return 1;
  osKernelStart();
  std::puts("emsock_kernel_tests: osKernelStart returned");
  return 1;
}
