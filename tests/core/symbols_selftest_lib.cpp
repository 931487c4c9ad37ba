// SPDX-License-Identifier: MIT
// tests/core/symbols_selftest_lib.cpp - a library that does everything the core must not: heap and
// exceptions. core-symbols-selftest and port-symbols-selftest require cmake/check_core_symbols.cmake
// to reject it (core rules: heap and exceptions; port rules: exceptions only), so the symbol check
// is known to be able to fail.
#include <cstdlib>
#include <new>
#include <string_view>

namespace emsock_selftest {

void* allocate_c(std::size_t n) { return std::malloc(n); }
void release_c(void* p) { std::free(p); }
int* allocate_cpp() { return new int(1); }
void release_cpp(int* p) { delete p; }
void fail() { throw std::bad_alloc(); }
// What port/common/names.cpp did: substr with a position it cannot prove in range references
// std::__throw_out_of_range_fmt, in every build type.
std::string_view tail(std::string_view s, std::size_t from) { return s.substr(from); }

}  // namespace emsock_selftest
