// SPDX-License-Identifier: MIT
// port.cpp - the processor half of the mps2 kernel (Cortex-M3, and Cortex-M4F with lazy FPU stacking):
// PendSV's context switch, SVC's start of the first thread, interrupt masking. The only assembly.
//
// A switched-out thread's stack, from its stack pointer up: r4-r11 and its EXC_RETURN, then s16-s31 when
// EXC_RETURN bit 4 is 0 (the thread used the FPU: the hardware stacked an extended frame, s0-s15 and
// FPSCR, lazily), then the hardware's frame (r0-r3, r12, lr, pc, xPSR).
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "kernel_port.hpp"

namespace emsock::mps2::kernel_port {
namespace {
volatile std::uint32_t& reg(std::uintptr_t address) noexcept {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}
constexpr std::uintptr_t scb_icsr = 0xE000ED04u;   // bit 28: PENDSVSET
constexpr std::uintptr_t scb_shpr3 = 0xE000ED20u;  // bits 23:16 PendSV's priority
constexpr std::uint32_t exc_return_thread_psp = 0xFFFFFFFDu;  // thread mode, process stack, no FPU frame
constexpr std::uint32_t xpsr_thumb = 0x01000000u;

std::uint32_t semihost(std::uint32_t op, const void* arg) noexcept {
  register std::uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
}  // namespace

std::uint32_t mask() noexcept {
  std::uint32_t previous;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(previous)::"memory");
  return previous;
}

void restore(std::uint32_t previous) noexcept { __asm__ volatile("msr primask, %0\n\tisb" ::"r"(previous) : "memory"); }

void unmask() noexcept { __asm__ volatile("cpsie i\n\tisb" ::: "memory"); }

bool in_handler() noexcept {
  std::uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  return ipsr != 0u;
}

void request_switch() noexcept {
  reg(scb_icsr) = 1u << 28;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

void start() noexcept {
  reg(scb_shpr3) = reg(scb_shpr3) | (0xFFu << 16);  // PendSV below every interrupt
  __asm__ volatile("cpsie i\n\tsvc 0" ::: "memory");
  for (;;) {
  }
}

void wait_for_interrupt() noexcept { __asm__ volatile("wfi"); }

std::uint32_t* initial_frame(std::uint32_t* top, void (*entry)(void*), void* argument, void (*on_return)()) noexcept {
  std::uint32_t* sp = top - 8;  // the hardware's frame
  sp[0] = reinterpret_cast<std::uint32_t>(argument);  // r0
  sp[1] = sp[2] = sp[3] = sp[4] = 0u;                 // r1-r3, r12
  sp[5] = reinterpret_cast<std::uint32_t>(on_return);  // lr
  sp[6] = reinterpret_cast<std::uint32_t>(entry) & ~1u;  // pc (the Thumb bit lives in xPSR)
  sp[7] = xpsr_thumb;
  sp -= 9;  // r4-r11 and EXC_RETURN
  for (int i = 0; i < 8; ++i) sp[i] = 0u;
  sp[8] = exc_return_thread_psp;
  return sp;
}

void fatal(const char* what, const char* name) noexcept {
  semihost(0x04, "\nemsock kernel: ");  // SYS_WRITE0
  semihost(0x04, what);
  semihost(0x04, " '");
  semihost(0x04, name != nullptr ? name : "?");
  semihost(0x04, "': image stopped\n");
  semihost(0x18, reinterpret_cast<const void*>(std::uintptr_t{0x20023u}));  // SYS_EXIT, run-time error: status 1
  for (;;) {
  }
}

}  // namespace emsock::mps2::kernel_port

// Overrides of startup.c's weak handlers.
extern "C" __attribute__((naked)) void SVC_Handler(void) {
  __asm__ volatile(
      "bl emsock_kernel_first_sp\n\t"
      "ldmia r0!, {r4-r11, lr}\n\t"
      "msr psp, r0\n\t"
      "isb\n\t"
      "bx lr\n\t");
}

extern "C" __attribute__((naked)) void PendSV_Handler(void) {
  __asm__ volatile(
      "mrs r0, psp\n\t"
      "isb\n\t"
#if defined(__ARM_FP)
      "tst lr, #0x10\n\t"
      "it eq\n\t"
      "vstmdbeq r0!, {s16-s31}\n\t"
#endif
      "stmdb r0!, {r4-r11, lr}\n\t"
      "cpsid i\n\t"
      "bl emsock_kernel_switch\n\t"
      "cpsie i\n\t"
      "ldmia r0!, {r4-r11, lr}\n\t"
#if defined(__ARM_FP)
      "tst lr, #0x10\n\t"
      "it eq\n\t"
      "vldmiaeq r0!, {s16-s31}\n\t"
#endif
      "msr psp, r0\n\t"
      "isb\n\t"
      "bx lr\n\t");
}

// newlib's heap under threads. librdimon's _sbrk refuses to grow the heap past the stack pointer, and a
// thread's stack is static, below the heap: the kernel's images link with --wrap=_sbrk (emsock_mps2_kernel's
// link option) and grow the heap from `end` to the main stack's reserve (mps2.ld: __stack_size below
// __stack_top), whichever stack runs. malloc's lock masks interrupts (nested), so threads may allocate.
extern "C" {
extern char end[], __stack_top[], __stack_size[];
struct _reent;

void* __wrap__sbrk(std::ptrdiff_t increment) {
  static char* heap_end = end;
  std::uint32_t previous = emsock::mps2::kernel_port::mask();
  char* limit = __stack_top - reinterpret_cast<std::uintptr_t>(__stack_size);
  char* old = heap_end;
  bool fits = increment >= 0 ? limit - heap_end >= increment : heap_end - end >= -increment;
  if (fits) heap_end += increment;
  emsock::mps2::kernel_port::restore(previous);
  if (!fits) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  return old;
}

namespace {
std::uint32_t g_malloc_depth = 0, g_malloc_previous = 0;
}
void __malloc_lock(struct _reent*) {
  std::uint32_t previous = emsock::mps2::kernel_port::mask();
  if (g_malloc_depth++ == 0) g_malloc_previous = previous;
}
void __malloc_unlock(struct _reent*) {
  if (--g_malloc_depth == 0) emsock::mps2::kernel_port::restore(g_malloc_previous);
}
}
