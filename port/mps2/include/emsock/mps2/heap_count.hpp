// SPDX-License-Identifier: MIT
// emsock/mps2/heap_count.hpp - counts every allocation from newlib's heap, for images that prove they
// allocate nothing after init: link emsock::mps2_heap_count, which wraps newlib's _malloc_r at link
// time (-Wl,--wrap=_malloc_r; malloc, calloc, realloc, new and stdio's buffers all go through it).
#pragma once

#include <cstdint>

namespace emsock::mps2 {

/// Allocations from newlib's heap since reset (successful or not). Never fails.
std::uint32_t heap_allocations() noexcept;

}  // namespace emsock::mps2
