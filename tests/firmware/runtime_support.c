/* SPDX-License-Identifier: MIT */
/* What the board's conformance images need of the C++ runtime beyond newlib-nano (test support):
 * - 64-bit atomics: GCC calls __atomic_load_8 / __atomic_store_8 for std::atomic<std::uint64_t> on
 *   Cortex-M (no 64-bit exclusive load/store), and arm-none-eabi's toolchain has no libatomic. Here with
 *   interrupts masked (PRIMASK saved and restored): on one core that is atomic against every thread and
 *   handler.
 * - __dso_handle: libsupc++'s exception globals register a destructor against it; crtbegin.o, which
 *   defines it, is left out by -nostartfiles (the board's start-up runs no destructors at exit anyway). */
#include <stdint.h>

void* __dso_handle = 0;

static uint32_t mask(void) {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  return primask;
}

static void restore(uint32_t primask) { __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory"); }

uint64_t __atomic_load_8(const volatile void* p, int order) {
  (void)order;
  const uint32_t m = mask();
  const uint64_t v = *(const volatile uint64_t*)p;
  restore(m);
  return v;
}

void __atomic_store_8(volatile void* p, uint64_t v, int order) {
  (void)order;
  const uint32_t m = mask();
  *(volatile uint64_t*)p = v;
  restore(m);
}
