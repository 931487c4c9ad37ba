// SPDX-License-Identifier: MIT
// peer_thread.hpp on hosts: std::thread, std::this_thread::sleep_for and std::chrono::steady_clock.
#include "peer_thread.hpp"

#include <chrono>
#include <thread>


namespace conformance {

namespace {
struct started {
  std::thread thread;
};
}  // namespace

peer_thread::peer_thread(entry run, void* callable, entry dispose) {
  auto* s = new started{std::thread([run, callable, dispose] {
    run(callable);
    dispose(callable);
  })};
  handle_ = s;
}

void peer_thread::join() noexcept {
  auto* s = static_cast<started*>(std::exchange(handle_, nullptr));
  if (s == nullptr) return;
  s->thread.join();
  delete s;
}

void pause_ms(int ms) noexcept { std::this_thread::sleep_for(std::chrono::milliseconds(ms < 1 ? 1 : ms)); }

std::int64_t steady_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace conformance
