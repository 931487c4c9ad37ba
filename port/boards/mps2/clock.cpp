// SPDX-License-Identifier: MIT
// port/boards/mps2/clock.cpp - the board's 1 ms clock (SysTick, its interrupt handler, lwIP's sys_now()) and
// its random numbers (LWIP_RAND), for the MPS2 boards. See emsock/mps2/board.hpp.
#include <cstddef>
#include <cstdint>

#include "emsock/mps2/board.hpp"

namespace {
volatile std::uint32_t g_ticks = 0;  // milliseconds since start_clock(); only SysTick_Handler writes it
std::uint32_t g_rand_state = 0;      // 0: not drawn from yet (xorshift's state is never 0 once seeded)

constexpr std::uintptr_t syst_csr = 0xE000E010u;  // SysTick control and status
constexpr std::uintptr_t syst_rvr = 0xE000E014u;  // reload value (24 bits)
constexpr std::uintptr_t syst_cvr = 0xE000E018u;  // current value: counts down at the processor clock

volatile std::uint32_t& reg(std::uintptr_t address) noexcept {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}

std::uint32_t mix(std::uint32_t state, std::uint32_t value) noexcept {
  state ^= value + 0x9E3779B9u + (state << 6) + (state >> 2);
  return state != 0 ? state : 0x9E3779B9u;  // xorshift32 stays at 0 forever
}
}  // namespace

// The SysTick handler of images without the kernel (startup.c's vector table names it; weak: the kernel,
// port/boards/mps2/kernel, brings its own, which calls emsock_board_tick() and then ticks itself).
extern "C" __attribute__((weak)) void SysTick_Handler(void) { g_ticks = g_ticks + 1u; }

extern "C" void emsock_board_tick(void) { g_ticks = g_ticks + 1u; }

// Weak: lwIP's sys_arch for an RTOS (port/lwip-sys-cmsis-rtos2) brings its own, from the kernel's tick.
extern "C" __attribute__((weak)) std::uint32_t sys_now(void) { return g_ticks; }

extern "C" std::uint32_t emsock_board_rand(void) { return emsock::mps2::random32(); }

namespace emsock::mps2 {

void set_irq_enabled(unsigned irq, bool on) noexcept {
  if (irq >= 32u) return;
  // The NVIC latches a line's pending state while the line is disabled (a device that held it high
  // during its reset, say): forget it before enabling (NVIC_ICPR0). A level that is still high pends
  // again at once, so nothing real is lost.
  if (on) reg(0xE000E280u) = 1u << irq;
  // NVIC_ISER0 / NVIC_ICER0: write one to set / clear the enable bit of IRQ 0..31.
  reg(on ? 0xE000E100u : 0xE000E180u) = 1u << irq;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

void start_clock(std::uint32_t hz) noexcept {
  std::uint32_t reload = hz / 1000u;
  if (reload < 1u) reload = 1u;
  if (reload > 0x01000000u) reload = 0x01000000u;
  reg(syst_csr) = 0u;
  reg(syst_rvr) = reload - 1u;
  reg(syst_cvr) = 0u;
  reg(syst_csr) = 7u;  // ENABLE | TICKINT | CLKSOURCE (processor clock)
}

std::uint32_t ticks_ms() noexcept { return g_ticks; }

void seed_random(const std::uint8_t* bytes, std::size_t n, std::uint32_t entropy) noexcept {
  std::uint32_t state = 0x9E3779B9u;  // the same start every time: nothing of the old state stays
  for (std::size_t i = 0; bytes != nullptr && i < n; ++i) state = mix(state, bytes[i]);
  g_rand_state = mix(state, entropy);
}

void seed_random(const std::uint8_t* bytes, std::size_t n) noexcept {
  seed_random(bytes, n, mix(reg(syst_cvr), g_ticks));
}

std::uint32_t random32() noexcept {
  if (g_rand_state == 0u) seed_random(nullptr, 0);
  std::uint32_t x = g_rand_state;  // xorshift32
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  g_rand_state = x;
  return x;
}

}  // namespace emsock::mps2
