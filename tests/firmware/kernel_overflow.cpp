// SPDX-License-Identifier: MIT
// A thread that overflows its stack: the kernel must report it and stop the image with exit status 1
// (ctest kernel-stack-overflow checks both). The stack sits above a pad inside one object, so what the
// overflow writes below the stack lands in the pad, not in other data.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cmsis_os2.h"

namespace {
struct padded_stack {
  alignas(8) std::uint8_t pad[2048];
  alignas(8) std::uint8_t stack[512];
} g_memory;

volatile std::uint8_t g_sink;

void use_stack(unsigned depth) {
  volatile std::uint8_t frame[128];
  std::memset(const_cast<std::uint8_t*>(frame), static_cast<int>(depth), sizeof frame);
  if (depth > 0) use_stack(depth - 1);
  g_sink = frame[depth % sizeof frame];
}

void overflow(void*) {
  use_stack(8);  // about 1.2 KB on a 512-byte stack
  osDelay(1);    // the switch away checks the guard
  std::puts("kernel_overflow: the overflow was not caught");
  std::exit(0);  // the wrong status: ctest expects 1
}
}  // namespace

int main(int, char**) {
  osKernelInitialize();
  osThreadAttr_t attr{};
  attr.name = "overflow";
  attr.stack_mem = g_memory.stack;
  attr.stack_size = sizeof g_memory.stack;
  attr.priority = osPriorityHigh;
  osThreadNew(overflow, nullptr, &attr);
  osKernelStart();
  return 0;  // not reached
}
