// SPDX-License-Identifier: MIT
// emsock/mps2/board.hpp - board support for the Arm MPS2 boards QEMU emulates (mps2-an385 Cortex-M3,
// mps2-an386 Cortex-M4F, mps2-an500 Cortex-M7): the 1 ms clock, the random numbers lwIP draws and the
// command line from the host.
//
// The board owns SysTick and lwIP's sys_now(); emsock's lwip-raw backend (port/lwip-raw) only calls sys_now().
// A firmware on a vendor SDK that owns those already leaves this file out and keeps its own.
#pragma once

#include <cstddef>
#include <cstdint>

namespace emsock::mps2 {

/// Processor clock of QEMU's MPS2 boards (SYSCLK), in Hz.
constexpr std::uint32_t cpu_hz = 25000000u;

/// Where QEMU's MPS2 boards map their LAN9118 Ethernet controller (emsock/drivers/lan9118.hpp).
constexpr std::uintptr_t lan9118_base = 0x40200000u;
/// Its interrupt line (NVIC IRQ 13 on mps2-an385 and -an386): startup.c's vector ETHERNET_IRQHandler,
/// weak, which an image that enables the line defines.
constexpr unsigned lan9118_irq = 13;

/// Enables or disables external interrupt `irq` (0..31) in the NVIC; others are ignored. Enabling
/// first forgets what the line latched while disabled. Enable a line only once its handler is defined
/// and its device configured (an unhandled one stops the image).
void set_irq_enabled(unsigned irq, bool on) noexcept;

/// Sleeps until the next interrupt (SysTick's, at most 1 ms away, or a device's) unless `work()` says
/// there is work now. `work` is called with interrupts masked, so an interrupt that makes work between
/// the check and the sleep still ends the sleep (wfi wakes on a pending interrupt even while masked);
/// its handler runs right after. Never sleeps before start_clock() unless a device interrupt is enabled.
template <class Work>
void sleep_unless(Work&& work) noexcept {
  __asm__ volatile("cpsid i" ::: "memory");
  if (!work()) __asm__ volatile("wfi" ::: "memory");
  __asm__ volatile("cpsie i" ::: "memory");
}

/// Starts SysTick at 1 kHz from the processor clock (hz); sys_now() and ticks_ms() count from then.
/// hz below 1000 or above 2^24 kHz (SysTick's 24-bit reload) is clamped to the nearest valid rate.
void start_clock(std::uint32_t hz = cpu_hz) noexcept;

/// Milliseconds since start_clock(), modulo 2^32 (the same count as sys_now()); 0 before it.
std::uint32_t ticks_ms() noexcept;

/// Sets the state of random32() from `n` bytes (the board's MAC address, say) and `entropy` alone:
/// the same bytes and entropy draw the same sequence whatever was seeded or drawn before, and boards
/// whose bytes differ draw different sequences. bytes == nullptr reads as no bytes. Never fails.
void seed_random(const std::uint8_t* bytes, std::size_t n, std::uint32_t entropy) noexcept;

/// seed_random(bytes, n, entropy) with the free-running SysTick counter and the millisecond count as
/// the entropy, so that two boots of one board draw different sequences too. Never fails.
void seed_random(const std::uint8_t* bytes, std::size_t n) noexcept;

/// The next 32-bit pseudo-random number (xorshift32: not for cryptography). Allocation-free (newlib's
/// rand() would allocate). Before any seed_random() the sequence is fixed except for the counter mixed
/// in at the first draw.
std::uint32_t random32() noexcept;

/// The command line the host gives the image through semihosting, NUL-terminated into out[0..size-1]:
/// QEMU's `-semihosting-config enable=on,arg=A,arg=B` gives "A B" (its arguments joined by spaces; the
/// first is the program's name), without arg= the kernel's file name. Returns its length; 0, with out
/// holding "", when out is null, size is 0, the host gives none, or the line needs more than size - 1
/// characters (never a cut line).
std::size_t command_line(char* out, std::size_t size) noexcept;

}  // namespace emsock::mps2

extern "C" {
/// lwIP's clock (NO_SYS=1): milliseconds since start_clock(), wrapping at 2^32. Weak: an lwIP sys_arch
/// over an RTOS (port/lwip-sys-cmsis-rtos2) replaces it with the RTOS's tick count.
std::uint32_t sys_now(void);
/// One millisecond more for sys_now() and ticks_ms(): what the board's SysTick handler does, for a kernel
/// that brings its own SysTick_Handler (port/boards/mps2/kernel) and calls this first. Never fails.
void emsock_board_tick(void);
/// random32() for C: what LWIP_RAND() expands to in the example lwIP configurations (arch/cc.h).
std::uint32_t emsock_board_rand(void);
}
