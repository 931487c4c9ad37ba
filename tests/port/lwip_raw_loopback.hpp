// SPDX-License-Identifier: MIT
// tests/port/lwip_raw_loopback.hpp - lwIP NO_SYS=1 over its loopback netif for the lwip-raw backend's
// tests, hosted and on the board: lwip_init() and the drive hook (netif_poll_all, sys_check_timeouts).
// sys_now() and LWIP_RAND are the platform's: the board's (port/boards/mps2), or the hosted main's.
#pragma once

#include "emsock/duration.hpp"

namespace lwip_raw_test {

/// Starts lwIP and installs the loopback hook. The loopback netif's name ("lo0") goes to `name`.
void start(char (&name)[8]);

/// The hook itself (drives the loopback netif and lwIP's timers; sleeps through `sleep`, when there
/// was nothing to deliver, at most 1 ms at a time).
void loopback_hook(void* context, emsock::milliseconds may_sleep);

/// How long the platform sleeps when the hook has nothing to do: defined by the hosted main and
/// the board image (a short sleep, or wfi).
void idle(emsock::milliseconds at_most);

}  // namespace lwip_raw_test
