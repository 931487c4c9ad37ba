/* SPDX-License-Identifier: MIT */
/* startup.c - reset handler, vector table and fault handlers for bare-metal Cortex-M images on QEMU's
 * MPS2 boards (mps2-an385, -an386, -an500), with newlib and semihosting (librdimon).
 *
 * Reset: copy .data from flash, zero .bss, enable the FPU when the image is built for one, open the
 * semihosting console (initialise_monitor_handles), run static constructors (__libc_init_array), then
 * exit(main()). exit() reaches QEMU through semihosting SYS_EXIT, so QEMU's exit status is the image's.
 *
 * Every fault and every unexpected interrupt prints its name on the semihosting console and stops the
 * emulator with a failure: a crashing test image ends the run instead of hanging until ctest's
 * timeout. SysTick_Handler and the IRQ handlers are weak: an image that uses them overrides them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* From mps2.ld. */
extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

/* From newlib: librdimon's console set-up, and the constructor walk of libc. */
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

int main(int argc, char** argv);

/* __libc_init_array and __libc_fini_array call _init and _fini, which crti.o/crtn.o would define;
 * -nostartfiles leaves them out and the constructor tables are all we need. */
void _init(void) {}
void _fini(void) {}

/* One semihosting call: r0 = operation, r1 = argument, BKPT 0xAB (the Arm-M semihosting trap). */
static inline uint32_t emsock_semihost(uint32_t op, const void* arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

enum {
  emsock_sys_write0 = 0x04,                     /* print a NUL-terminated string */
  emsock_sys_exit = 0x18,                       /* stop; r1 = reason code */
  emsock_adp_stopped_run_time_error = 0x20023,  /* a reason QEMU reports as exit status 1 */
};

/* Ends the run from a fault: talks to QEMU directly, without newlib (its state may be what broke). */
static void __attribute__((noreturn)) emsock_fatal(const char* what) {
  emsock_semihost(emsock_sys_write0, "\nemsock: ");
  emsock_semihost(emsock_sys_write0, what);
  emsock_semihost(emsock_sys_write0, ": test image stopped\n");
  emsock_semihost(emsock_sys_exit, (const void*)(uintptr_t)emsock_adp_stopped_run_time_error);
  for (;;) {
  }
}

void NMI_Handler(void) { emsock_fatal("NMI"); }
void HardFault_Handler(void) { emsock_fatal("HardFault"); }
void MemManage_Handler(void) { emsock_fatal("MemManage fault"); }
void BusFault_Handler(void) { emsock_fatal("BusFault"); }
void UsageFault_Handler(void) { emsock_fatal("UsageFault"); }
void emsock_default_handler(void) { emsock_fatal("unexpected interrupt"); }

void SVC_Handler(void) __attribute__((weak, alias("emsock_default_handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("emsock_default_handler")));
void PendSV_Handler(void) __attribute__((weak, alias("emsock_default_handler")));
/* clock.cpp's (weak: the board's kernel, port/boards/mps2/kernel, replaces it with one that also ticks). */
void SysTick_Handler(void);
/* IRQ 13 on mps2-an385 / -an386: the LAN9118 (CMSIS's ETHERNET_IRQn). An image that enables it in the
 * NVIC defines this handler (and calls its driver's on_interrupt()). */
void ETHERNET_IRQHandler(void) __attribute__((weak, alias("emsock_default_handler")));

void __attribute__((noreturn)) emsock_reset_handler(void) {
  /* The C run-time does not exist yet: plain loops, no library calls that could touch .data/.bss. */
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t* dst = __bss_start; dst < __bss_end;) *dst++ = 0;

#if defined(__ARM_FP)
  /* Built for the FPU (-mfloat-abi=hard or softfp): grant full access to CP10 and CP11 (CPACR),
   * or the first floating-point instruction faults. */
  volatile uint32_t* const cpacr = (volatile uint32_t*)0xE000ED88u;
  *cpacr |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif

  initialise_monitor_handles();
  __libc_init_array();

  /* No command line through QEMU's emulator prefix: argv holds the program name only. */
  static char program[] = "emsock-image";
  static char* argv[] = {program, NULL};
  exit(main(1, argv));
}

/* Vector table: 16 system entries, then the board's 32 interrupts (all unexpected unless overridden;
 * the Ethernet controller's by name).
 * Placed first in flash by mps2.ld (section .vectors). */
typedef void (*emsock_vector)(void);
#define EMSOCK_IRQ emsock_default_handler
__attribute__((section(".vectors"), used)) static const emsock_vector emsock_vectors[16 + 32] = {
    (emsock_vector)(uintptr_t)__stack_top,  /* initial main stack pointer */
    emsock_reset_handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,  /* reserved */
    SVC_Handler,
    DebugMon_Handler,
    0,  /* reserved */
    PendSV_Handler,
    SysTick_Handler,
    EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ,  /* 0-7 */
    EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, ETHERNET_IRQHandler, EMSOCK_IRQ, EMSOCK_IRQ,
    EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ,  /* 16-23 */
    EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ, EMSOCK_IRQ,
};
