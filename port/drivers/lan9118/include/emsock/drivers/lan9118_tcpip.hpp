// SPDX-License-Identifier: MIT
// emsock/drivers/lan9118_tcpip.hpp - the LAN9118 under lwIP's tcpip thread (NO_SYS=0, the socket API):
// a driver thread reads the received frames out of the chip and hands them to the tcpip thread
// (the netif's input is tcpip_input), woken by the chip's receive interrupt through a semaphore.
//
// The driver owns no vector: the board's handler for the chip's line (mps2: ETHERNET_IRQHandler, IRQ
// 13) calls on_interrupt(), which acknowledges the chip and releases the semaphore. That needs a
// sys_arch whose sys_sem_signal() may be called from an interrupt handler (the CMSIS-RTOS2 one: an
// osSemaphoreRelease). The thread reads the frames without lwIP's core lock (lan9118::receive: the RX
// side of the chip only, which transmissions never touch), and every 100 ms without a frame it
// collects the TX status words and follows the link (lan9118::poll) under the core lock
// (LOCK_TCPIP_CORE), where the tcpip thread's transmissions and link changes cannot meet it: it needs
// LWIP_TCPIP_CORE_LOCKING=1.
//
//   static emsock::drivers::lan9118 chip{emsock::mps2::lan9118_base};
//   static emsock::drivers::lan9118_tcpip nic{chip};
//   extern "C" void ETHERNET_IRQHandler(void) { nic.on_interrupt(); }
//   // after tcpip_init(), in any thread:
//   LOCK_TCPIP_CORE(); netif_add(&nif, ..., &chip, &lan9118::netif_init, tcpip_input); ...; UNLOCK_TCPIP_CORE();
//   nic.start(nif, 1024, osPriorityRealtime);  // above the tcpip thread; then enable the chip's line:
//   emsock::mps2::set_irq_enabled(emsock::mps2::lan9118_irq, true);
#pragma once

#include <cstddef>

#include "emsock/drivers/lan9118.hpp"

extern "C" {
#include "lwip/opt.h"
#include "lwip/sys.h"
}

#if NO_SYS || !LWIP_TCPIP_CORE_LOCKING
#error "emsock::drivers::lan9118_tcpip needs NO_SYS=0 and LWIP_TCPIP_CORE_LOCKING=1 (a NO_SYS=1 loop polls lan9118 itself)"
#endif

namespace emsock::drivers {

class lan9118_tcpip {
 public:
  /// Frames read per turn of the driver thread; while more wait it sleeps 1 ms between turns, so that
  /// the threads below it (the tcpip thread) run under a flood.
  static constexpr std::size_t frames_per_turn = 8;
  /// How long the driver thread sleeps without an interrupt (ms): the link is followed at this pace.
  static constexpr u32_t idle_wake_ms = 100;

  explicit lan9118_tcpip(lan9118& chip) noexcept : chip_(chip) {}
  lan9118_tcpip(const lan9118_tcpip&) = delete;
  lan9118_tcpip& operator=(const lan9118_tcpip&) = delete;

  /// After the netif `nif` was added with lan9118::netif_init and tcpip_input: creates two semaphores
  /// (the wake-up and a never-released one for 1 ms sleeps) and the driver thread (sys_thread_new:
  /// name "lan9118", stack_size bytes, priority prio as the sys_arch reads it), and enables the chip's
  /// receive interrupt. Give the thread a priority above the tcpip thread's: then the chip's RX FIFO
  /// is emptied into the tcpip thread's mailbox while that thread works (a full mailbox drops a frame
  /// and counts it; a full FIFO drops frames the driver never sees). The board then enables the
  /// chip's interrupt line. Returns ERR_MEM when a semaphore or the thread cannot be made (nothing
  /// started then; where lwIP's assertions are on, sys_thread_new stops the image first), ERR_ALREADY
  /// when started before, ERR_IF when the chip did not come up (netif_init failed).
  err_t start(netif& nif, int stack_size, int prio) noexcept;

  /// From the board's interrupt handler for the chip's line: acknowledges the chip's receive
  /// interrupt and wakes the driver thread. Does nothing before start().
  void on_interrupt() noexcept;

  /// Turns of the driver thread so far (each reads up to frames_per_turn frames).
  std::uint32_t turns() const noexcept { return turns_; }

 private:
  static void thread(void* self) noexcept;
  void serve() noexcept;

  lan9118& chip_;
  netif* nif_ = nullptr;
  sys_sem_t wake_{};
  sys_sem_t pause_{};  // never released: the driver thread's 1 ms sleeps
  volatile bool started_ = false;
  volatile std::uint32_t turns_ = 0;
};

}  // namespace emsock::drivers
