// port/lwip-raw/clock.cpp - time and randomness for lwIP NO_SYS=1 on Cortex-M: a 1 ms SysTick,
// sys_now() for lwIP's timeouts, and LWIP_RAND (no newlib rand(): it allocates).
#include <cstdint>

#include "emsock/lwip_raw/echo.hpp"

extern "C" {
#include "lwip/sys.h"
}

namespace {
volatile std::uint32_t g_ticks_low = 0;   // milliseconds, low word (the ISR writes both words)
volatile std::uint32_t g_ticks_high = 0;  // carries of the low word
std::uint32_t g_rand_state = 0x9E3779B9u;

constexpr std::uintptr_t syst_csr = 0xE000E010u;
constexpr std::uintptr_t syst_rvr = 0xE000E014u;
constexpr std::uintptr_t syst_cvr = 0xE000E018u;

volatile std::uint32_t& reg(std::uintptr_t address) noexcept {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}
}  // namespace

extern "C" void SysTick_Handler(void) {
  const std::uint32_t low = g_ticks_low + 1u;
  if (low == 0u) g_ticks_high = g_ticks_high + 1u;
  g_ticks_low = low;
}

extern "C" u32_t sys_now(void) { return g_ticks_low; }

extern "C" uint32_t emsock_lwip_raw_rand(void) {
  std::uint32_t x = g_rand_state;  // xorshift32
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  g_rand_state = x;
  return x;
}

namespace emsock::lwip_raw {

void start_clock(std::uint32_t cpu_hz) noexcept {
  reg(syst_rvr) = cpu_hz / 1000u - 1u;
  reg(syst_cvr) = 0u;
  reg(syst_csr) = 7u;  // ENABLE | TICKINT | CLKSOURCE (processor clock)
}

std::uint64_t now_ms() noexcept {
  for (;;) {  // the ISR may run between the two reads: read again until both words agree
    const std::uint32_t high = g_ticks_high;
    const std::uint32_t low = g_ticks_low;
    if (high == g_ticks_high) return (std::uint64_t{high} << 32) | low;
  }
}

}  // namespace emsock::lwip_raw
