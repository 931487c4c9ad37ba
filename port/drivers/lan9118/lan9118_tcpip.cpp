// SPDX-License-Identifier: MIT
// port/drivers/lan9118/lan9118_tcpip.cpp - the LAN9118 under lwIP's tcpip thread (see
// emsock/drivers/lan9118_tcpip.hpp). Part of the driver's source list: in an image without lwIP's tcpip
// thread (NO_SYS=1) or without its core lock it compiles to nothing.
extern "C" {
#include "lwip/opt.h"
}
#if !NO_SYS && LWIP_TCPIP_CORE_LOCKING
#include "emsock/drivers/lan9118_tcpip.hpp"

extern "C" {
#include "lwip/tcpip.h"
}

namespace emsock::drivers {

err_t lan9118_tcpip::start(netif& nif, int stack_size, int prio) noexcept {
  if (started_) return ERR_ALREADY;
  if (nif.state != &chip_ || nif.linkoutput == nullptr) return ERR_IF;
  if (sys_sem_new(&wake_, 0) != ERR_OK) return ERR_MEM;
  if (sys_sem_new(&pause_, 0) != ERR_OK) {
    sys_sem_free(&wake_);
    return ERR_MEM;
  }
  nif_ = &nif;
  if (sys_thread_new("lan9118", &lan9118_tcpip::thread, this, stack_size, prio) == nullptr) {
    sys_sem_free(&pause_);
    sys_sem_free(&wake_);
    return ERR_MEM;
  }
  LOCK_TCPIP_CORE();
  chip_.enable_receive_interrupt();
  UNLOCK_TCPIP_CORE();
  started_ = true;
  return ERR_OK;
}

void lan9118_tcpip::on_interrupt() noexcept {
  chip_.on_interrupt();
  if (started_) sys_sem_signal(&wake_);
}

void lan9118_tcpip::thread(void* self) noexcept { static_cast<lan9118_tcpip*>(self)->serve(); }

void lan9118_tcpip::serve() noexcept {
  for (;;) {
    // A frame that came while the chip was being read leaves the semaphore released: no wake-up is lost.
    const bool woken = sys_arch_sem_wait(&wake_, idle_wake_ms) != SYS_ARCH_TIMEOUT;
    // The frames, without the core lock (lan9118::receive touches the RX side only), so that a
    // thread holding the lock - the tcpip thread at work, an application thread sending - never
    // keeps the chip's RX FIFO from being emptied; they go to the tcpip thread's mailbox (nif->input
    // is tcpip_input), and a full mailbox drops the frame, counted in the chip's rx_dropped. A batch at
    // a time, then 1 ms of sleep while frames still wait: this thread runs above the tcpip thread, and
    // a flood must not keep that one from the frames already handed to it.
    for (;;) {
      static_cast<void>(chip_.receive(*nif_, frames_per_turn));
      turns_ = turns_ + 1;
      if (!chip_.frames_waiting()) break;
      static_cast<void>(sys_arch_sem_wait(&pause_, 1));  // never released: a 1 ms sleep
    }
    if (!woken) {
      // Quiet for idle_wake_ms: the TX status words and the link, which share the chip with
      // transmissions, under the core lock.
      LOCK_TCPIP_CORE();
      static_cast<void>(chip_.poll(*nif_, 0));
      UNLOCK_TCPIP_CORE();
    }
  }
}

}  // namespace emsock::drivers

#endif  // !NO_SYS && LWIP_TCPIP_CORE_LOCKING
