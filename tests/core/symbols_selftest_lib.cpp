// SPDX-License-Identifier: MIT
// tests/core/symbols_selftest_lib.cpp - a library that does everything the core must not: heap and
// exceptions. core-symbols-selftest requires cmake/check_core_symbols.cmake to reject it, so the
// symbol check is known to be able to fail.
#include <cstdlib>
#include <new>

namespace emsock_selftest {

void* allocate_c(std::size_t n) { return std::malloc(n); }
void release_c(void* p) { std::free(p); }
int* allocate_cpp() { return new int(1); }
void release_cpp(int* p) { delete p; }
void fail() { throw std::bad_alloc(); }

}  // namespace emsock_selftest
