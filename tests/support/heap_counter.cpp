// SPDX-License-Identifier: MIT
// tests/support/heap_counter.cpp - the counting __wrap_ functions behind heap_counter.hpp.
#include "heap_counter.hpp"

#include <atomic>
#include <cstdlib>

#if defined(EMSOCK_HEAP_COUNTER_REPLACE_NEW) && EMSOCK_HEAP_COUNTER_REPLACE_NEW
#include <new>
#endif

// The C library's functions, reached through the linker's --wrap: __real_malloc is malloc.
extern "C" {
void* __real_malloc(std::size_t size);
void* __real_calloc(std::size_t count, std::size_t size);
void* __real_realloc(void* p, std::size_t size);
void __real_free(void* p);

void* __wrap_malloc(std::size_t size);
void* __wrap_calloc(std::size_t count, std::size_t size);
void* __wrap_realloc(void* p, std::size_t size);
void __wrap_free(void* p);
}

namespace {

// Constant-initialised, so they count correctly even for allocations made before main().
std::atomic<std::size_t> mallocs{0};
std::atomic<std::size_t> callocs{0};
std::atomic<std::size_t> reallocs{0};
std::atomic<std::size_t> frees{0};

}  // namespace

extern "C" void* __wrap_malloc(std::size_t size) {
  mallocs.fetch_add(1, std::memory_order_relaxed);
  return __real_malloc(size);
}

extern "C" void* __wrap_calloc(std::size_t count, std::size_t size) {
  callocs.fetch_add(1, std::memory_order_relaxed);
  return __real_calloc(count, size);
}

extern "C" void* __wrap_realloc(void* p, std::size_t size) {
  reallocs.fetch_add(1, std::memory_order_relaxed);
  return __real_realloc(p, size);
}

extern "C" void __wrap_free(void* p) {
  frees.fetch_add(1, std::memory_order_relaxed);
  __real_free(p);
}

namespace emsock::test {

heap_calls heap_calls_now() noexcept {
  heap_calls c;
  c.mallocs = mallocs.load(std::memory_order_relaxed);
  c.callocs = callocs.load(std::memory_order_relaxed);
  c.reallocs = reallocs.load(std::memory_order_relaxed);
  c.frees = frees.load(std::memory_order_relaxed);
  return c;
}

std::size_t heap_allocations() noexcept { return heap_calls_now().allocations(); }

bool heap_counter_active() noexcept {
  // Through a volatile function pointer, so the compiler can neither elide the pair nor call
  // __real_malloc directly.
  void* (*volatile allocate)(std::size_t) = &std::malloc;
  const std::size_t before = mallocs.load(std::memory_order_relaxed);
  void* p = allocate(16);
  const std::size_t after = mallocs.load(std::memory_order_relaxed);
  std::free(p);
  return after != before;
}

}  // namespace emsock::test

#if defined(EMSOCK_HEAP_COUNTER_REPLACE_NEW) && EMSOCK_HEAP_COUNTER_REPLACE_NEW
// Replacements of the global allocation functions for binaries whose operator new would otherwise
// come from libstdc++.so (invisible to --wrap). They call malloc/free, which --wrap counts.
// Aligned variants are left to the library: the code under test has no over-aligned types.
void* operator new(std::size_t size) {
  if (size == 0) size = 1;
  void* p = std::malloc(size);
  if (p == nullptr) std::abort();  // tests do not handle exhaustion
  return p;
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size == 0 ? 1 : size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif
