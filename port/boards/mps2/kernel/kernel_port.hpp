// SPDX-License-Identifier: MIT
// kernel_port.hpp - what the mps2 kernel's scheduler (kernel.cpp) needs from the processor (port.cpp):
// interrupt masking, the first switch, PendSV, a thread's first stack frame, the fatal stop.
#pragma once

#include <cstdint>

namespace emsock::mps2::kernel_port {

/// Masks interrupts (PRIMASK) and returns the previous mask for restore().
std::uint32_t mask() noexcept;
void restore(std::uint32_t previous) noexcept;
/// Unmasks interrupts: a pending switch happens here.
void unmask() noexcept;
/// True in an interrupt or exception handler (IPSR != 0).
bool in_handler() noexcept;
/// Asks for a context switch: PendSV, taken when no other handler runs and interrupts are unmasked.
void request_switch() noexcept;
/// PendSV at the lowest priority; then runs the thread whose stack emsock_kernel_first_sp() returns.
[[noreturn]] void start() noexcept;
/// Sleeps until an interrupt (the idle thread).
void wait_for_interrupt() noexcept;
/// The initial stack of a thread below top (8-byte aligned): as if it had been switched out just
/// before its first instruction, entry(argument), returning into on_return.
std::uint32_t* initial_frame(std::uint32_t* top, void (*entry)(void*), void* argument, void (*on_return)()) noexcept;
/// Prints "emsock kernel: <what> '<name>'" on the semihosting console and stops the image (status 1).
[[noreturn]] void fatal(const char* what, const char* name) noexcept;

}  // namespace emsock::mps2::kernel_port

extern "C" {
/// Called by PendSV with interrupts masked: saves the outgoing thread's stack pointer, returns the next one's.
std::uint32_t* emsock_kernel_switch(std::uint32_t* sp);
/// Called by the first switch (SVC): the stack pointer of the first thread to run.
std::uint32_t* emsock_kernel_first_sp(void);
}
