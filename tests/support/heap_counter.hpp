// SPDX-License-Identifier: MIT
// tests/support/heap_counter.hpp - counts heap calls, to prove that code under test allocates nothing.
//
// How it sees the calls: the binary is linked with
//   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
// (the CMake target emsock_heap_counter adds those flags to whatever links it), so every call to
// malloc/calloc/realloc/free from statically linked code - the code under test, the test itself,
// libCppUTest.a - lands in a counting __wrap_ function that forwards to the C library.
//
// operator new: calls from code linked into the binary reach malloc only when operator new itself is
// linked statically. In a CppUTest binary it is (libCppUTest.a defines it and calls malloc), so `new`
// is counted. In a binary without CppUTest, operator new lives in libstdc++.so and its malloc call is
// invisible to --wrap: link emsock_heap_counter_new instead, which also replaces the global operator
// new/delete with versions that call (the wrapped) malloc/free. Never link both variants with CppUTest.
//
// Calls made from inside shared libraries (glibc, libstdc++.so) are not seen; the core is a static
// library, so every call it could make is.
//
// Usage: read allocations() before and after the code under test, with nothing in between that
// allocates on its own (no CppUTest assertion macros: they build strings).
#pragma once

#include <cstddef>

namespace emsock::test {

/// A copy of the counters at one moment. The counts only grow (they wrap after SIZE_MAX calls).
struct heap_calls {
  std::size_t mallocs = 0;   ///< malloc calls (and operator new, see above)
  std::size_t callocs = 0;   ///< calloc calls
  std::size_t reallocs = 0;  ///< realloc calls
  std::size_t frees = 0;     ///< free calls, free(nullptr) included

  /// Calls that can hand out memory: malloc + calloc + realloc.
  constexpr std::size_t allocations() const noexcept { return mallocs + callocs + reallocs; }
  /// Every counted call, frees included.
  constexpr std::size_t total() const noexcept { return allocations() + frees; }
};

/// The calls made since the program started. Thread-safe; never allocates.
heap_calls heap_calls_now() noexcept;

/// Number of allocating calls (malloc, calloc, realloc; operator new where it is counted) since the
/// program started. Thread-safe; never allocates.
std::size_t heap_allocations() noexcept;

/// The calls made between `before` and `after`, counter by counter.
constexpr heap_calls operator-(const heap_calls& after, const heap_calls& before) noexcept {
  return {after.mallocs - before.mallocs, after.callocs - before.callocs, after.reallocs - before.reallocs,
          after.frees - before.frees};
}

/// True when the wrap flags are in effect: a malloc made through a pointer the optimiser cannot see
/// through was counted. Allocates (and frees) once; call it outside any window.
bool heap_counter_active() noexcept;

}  // namespace emsock::test
