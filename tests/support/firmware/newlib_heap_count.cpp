// SPDX-License-Identifier: MIT
// tests/support/firmware/newlib_heap_count.cpp - newlib's allocator entry point, wrapped at link time
// and counted (see newlib_heap_count.hpp).
#include "newlib_heap_count.hpp"

#include <cstddef>
#include <cstdint>

struct _reent;
extern "C" void* __real__malloc_r(struct _reent* r, std::size_t n);

namespace {
volatile std::uint32_t g_heap_allocations = 0;
}

extern "C" void* __wrap__malloc_r(struct _reent* r, std::size_t n) {
  g_heap_allocations = g_heap_allocations + 1u;
  return __real__malloc_r(r, n);
}

namespace emsock::test {
std::uint32_t heap_allocations() noexcept { return g_heap_allocations; }
}  // namespace emsock::test
