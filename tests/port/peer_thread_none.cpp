// SPDX-License-Identifier: MIT
// The conformance suite's peer_thread.hpp on a board without a kernel (the lwip-raw image): there is no
// second thread, so the suite's environment says threads_can_wait = false and the peer-thread cases
// skip before they start one; starting one anyway fails the test. pause_ms() sleeps on the board's
// 1 kHz tick, steady_ms() is sys_now() widened (emsock::monotonic_ms).
#include <cstdint>

#include <CppUTest/TestHarness.h>

#include "emsock/mps2/board.hpp"
#include "emsock/port/clock.hpp"
#include "peer_thread.hpp"

namespace conformance {

peer_thread::peer_thread(entry, void* callable, entry dispose) {
  dispose(callable);
  FAIL("a peer thread on a board without a kernel (the case should have skipped: threads_can_wait)");
}

void peer_thread::join() noexcept { handle_ = nullptr; }

void pause_ms(int ms) noexcept {
  const std::uint64_t until = emsock::monotonic_ms() + static_cast<std::uint64_t>(ms < 1 ? 1 : ms);
  while (emsock::monotonic_ms() < until) emsock::mps2::sleep_unless([] { return false; });
}

std::int64_t steady_ms() noexcept { return static_cast<std::int64_t>(emsock::monotonic_ms()); }

}  // namespace conformance
