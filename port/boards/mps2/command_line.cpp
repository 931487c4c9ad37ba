// SPDX-License-Identifier: MIT
// port/boards/mps2/command_line.cpp - the image's command line, asked of the host through semihosting
// (SYS_GET_CMDLINE). See emsock/mps2/board.hpp.
#include <cstddef>
#include <cstdint>

#include "emsock/mps2/board.hpp"

namespace {
constexpr std::uint32_t sys_get_cmdline = 0x15;

/// One semihosting call: r0 = operation, r1 = argument block, BKPT 0xAB; the host's answer in r0.
std::uint32_t semihost(std::uint32_t op, void* block) noexcept {
  register std::uint32_t r0 __asm__("r0") = op;
  register void* r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
}  // namespace

namespace emsock::mps2 {

std::size_t command_line(char* out, std::size_t size) noexcept {
  if (out == nullptr || size == 0) return 0;
  out[0] = '\0';
  // The block: the buffer and its size in; the length of the line (without the NUL) out.
  std::uint32_t block[2] = {static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(out)),
                            static_cast<std::uint32_t>(size)};
  if (semihost(sys_get_cmdline, block) != 0u) {  // no line, or longer than size - 1
    out[0] = '\0';
    return 0;
  }
  const std::size_t length = block[1];
  if (length >= size) {  // a host that says more than it may write: refuse it
    out[0] = '\0';
    return 0;
  }
  out[length] = '\0';
  return length;
}

}  // namespace emsock::mps2
