// SPDX-License-Identifier: MIT
// The lwIP clocks over a sys_now() of this test's own: the clock's real source file is linked, lwIP
// is not. Built once per clock - port/lwip/clock.cpp's monotonic_ms() (the socket backend) and
// port/lwip-raw/clock.cpp's (the raw-API backend) - and run once per first reading
// (--first-sys-now N: 0, 2^31 - 1, 2^31, 2^32 - 1), because the first reading a process takes is
// what a clock that starts its count at 0 gets wrong (a host up 24.8 to 49.7 days).
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/TestHarness.h>

extern "C" {
#include "lwip/sys.h"
}

#include "emsock/port/clock.hpp"

namespace {

std::uint32_t fake_now = 0;  // what sys_now() answers
std::uint32_t first_reading = 0;

std::uint64_t clock_under_test() { return emsock::monotonic_ms(); }

}  // namespace

extern "C" u32_t sys_now(void) { return fake_now; }

#if !defined(EMSOCK_CLOCK_LWIP_RAW) && SYS_LIGHTWEIGHT_PROT
// The socket backend's clock widens under SYS_ARCH_PROTECT; one thread here.
namespace {
int protect_depth = 0;
}  // namespace
extern "C" sys_prot_t sys_arch_protect(void) {
  ++protect_depth;
  return 0;
}
extern "C" void sys_arch_unprotect(sys_prot_t) { --protect_depth; }
#endif

TEST_GROUP(lwip_clock_widening){};

TEST(lwip_clock_widening, every_millisecond_counts_from_any_first_reading_across_wraps_and_long_gaps) {
  // Readings after the first: the edges 0, 2^31 - 1, 2^31, 2^32 - 1 twice round, the same reading
  // again, and gaps of 2^31 and 2^32 - 1 ms between two calls.
  const std::uint32_t readings[] = {first_reading,
                                    static_cast<std::uint32_t>(first_reading + 1u),
                                    0xffffffffu,
                                    0u,
                                    0x7fffffffu,
                                    0x80000000u,
                                    0xffffffffu,
                                    0u,
                                    0x80000000u,                      // a gap of 2^31
                                    0x7fffffffu,                      // a gap of 2^32 - 1
                                    0x7fffffffu};
  fake_now = first_reading;
  std::uint64_t before = clock_under_test();
  std::uint32_t now = first_reading;
  std::uint64_t total = 0;
  for (const std::uint32_t next : readings) {
    const std::uint32_t step = static_cast<std::uint32_t>(next - now);
    now = next;
    fake_now = next;
    const std::uint64_t after = clock_under_test();
    CHECK_EQUAL(std::uint64_t{step}, after - before);
    before = after;
    total += step;
  }
  CHECK(total > 3 * 0xffffffffull);  // the walk went round more than three times
#if !defined(EMSOCK_CLOCK_LWIP_RAW) && SYS_LIGHTWEIGHT_PROT
  LONGS_EQUAL(0, protect_depth);
#endif
}

int main(int argc, char** argv) {
  // --first-sys-now N (this runner's own option), then CppUTest's options.
  int rest = 1;
  if (argc > 2 && std::strcmp(argv[1], "--first-sys-now") == 0) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || v > 0xffffffffull) return 2;
    first_reading = static_cast<std::uint32_t>(v);
    rest = 3;
  }
  argv[rest - 1] = argv[0];
  const int failures = CommandLineTestRunner::RunAllTests(argc - rest + 1, argv + rest - 1);
  return failures == 0 ? 0 : 1;
}
