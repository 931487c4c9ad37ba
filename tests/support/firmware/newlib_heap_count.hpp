// SPDX-License-Identifier: MIT
// tests/support/firmware/newlib_heap_count.hpp - counts every allocation from newlib's heap, for
// bare-metal images that prove they allocate nothing after init (the firmware's counterpart of
// heap_counter.hpp): link emsock_newlib_heap_count, which wraps newlib's _malloc_r at link time
// (-Wl,--wrap=_malloc_r; malloc, calloc, realloc, new and stdio's buffers all go through it). Any
// board with newlib; not part of the library.
#pragma once

#include <cstdint>

namespace emsock::test {

/// Allocations from newlib's heap since reset (successful or not). Never fails.
std::uint32_t heap_allocations() noexcept;

}  // namespace emsock::test
