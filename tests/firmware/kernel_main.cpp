// SPDX-License-Identifier: MIT
// The main of the board's suites that run under its kernel: CppUTest runs in a kernel thread (priority
// osPriorityNormal, EMSOCK_SUITE_STACK_SIZE bytes of stack, default 16 KB), verbose (each case's name in the
// log), and its result ends the image (exit status 0 / 1, as tests/core/main.cpp). The kernel's and
// sys_arch's suites run emsock_test::run_all_tests; the conformance images give EMSOCK_SUITE_ENTRY, the
// lwIP backend's test main (tests/port/lwip_main.cpp, its main() renamed), which starts lwIP first.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cmsis_os2.h"
#include "skip.hpp"

#ifdef EMSOCK_SUITE_ENTRY
int EMSOCK_SUITE_ENTRY(int argc, char** argv);
#else
#define EMSOCK_SUITE_ENTRY emsock_test::run_all_tests
#endif
#ifndef EMSOCK_SUITE_STACK_SIZE
#define EMSOCK_SUITE_STACK_SIZE 16384
#endif

namespace {
alignas(8) std::uint8_t g_runner_stack[EMSOCK_SUITE_STACK_SIZE];

void run_tests(void*) {
  static char program[] = "emsock_board_tests";
  static char verbose[] = "-v";
  static char* argv[] = {program, verbose, nullptr};
  std::exit(EMSOCK_SUITE_ENTRY(2, argv));
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
  std::puts("emsock_board_tests: osKernelStart returned");
  return 1;
}
