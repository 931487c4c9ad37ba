// SPDX-License-Identifier: MIT
// The conformance suite's peer threads and the real-time clock their cases wait with: std::thread and
// std::chrono::steady_clock on hosts (peer_thread.cpp), a kernel thread and the kernel's tick on the
// boards, whose libstdc++ has neither std::thread nor std::this_thread (tests/firmware/peer_thread_kernel.cpp
// replaces peer_thread.cpp there). The cases only see this header.
#pragma once

#include <cstdint>
#include <utility>

namespace conformance {

/// A peer running a callable in another thread from construction until join(). Move-only; the
/// destructor joins a peer not joined yet (a case that fails half-way never leaves one running).
class peer_thread {
 public:
  peer_thread() noexcept = default;
  /// Starts `f()` in a new thread. A peer that cannot be started fails the running test (CHECK) and
  /// is not joinable.
  template <class F>
  explicit peer_thread(F f) : peer_thread(&call<F>, new F(std::move(f)), &destroy<F>) {}
  peer_thread(peer_thread&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  peer_thread& operator=(peer_thread&& other) noexcept {
    if (this != &other) {
      join();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  peer_thread(const peer_thread&) = delete;
  peer_thread& operator=(const peer_thread&) = delete;
  ~peer_thread() { join(); }

  bool joinable() const noexcept { return handle_ != nullptr; }
  /// Waits until the callable has returned (and its thread has ended); nothing when not joinable.
  void join() noexcept;

 private:
  using entry = void (*)(void*);
  peer_thread(entry run, void* callable, entry dispose);  // the platform's (peer_thread.cpp)
  template <class F>
  static void call(void* f) {
    (*static_cast<F*>(f))();
  }
  template <class F>
  static void destroy(void* f) {
    delete static_cast<F*>(f);
  }
  void* handle_ = nullptr;
};

/// Lets the calling thread sleep for `ms` milliseconds of real time (at least 1).
void pause_ms(int ms) noexcept;

/// Milliseconds of real time from a steady clock (the host's steady_clock, the board's kernel tick).
std::int64_t steady_ms() noexcept;

}  // namespace conformance
