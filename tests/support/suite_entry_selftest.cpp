// SPDX-License-Identifier: MIT
// A suite with one case that passes, one that fails and one that skips, registered with
// emsock_add_cpputest as cpputest-selftest (tests/CMakeLists.txt): its suite entry must fail because
// a case failed (the entry is WILL_FAIL there), the failing case's entry must fail, the skipping
// case's must be a ctest skip, and the summary must count 1 passed, 1 failed, 1 skipped.
#include <CppUTest/TestHarness.h>

#include "skip.hpp"

namespace {
int twice(int x) { return 2 * x; }
}  // namespace

TEST_GROUP(cpputest_selftest) {};

TEST(cpputest_selftest, a_case_that_passes) { LONGS_EQUAL(4, twice(2)); }

TEST(cpputest_selftest, a_case_that_fails) { LONGS_EQUAL(5, twice(2)); }

TEST(cpputest_selftest, a_case_that_skips) { EMSOCK_SKIP("skipped on purpose: the suite entry's self-test"); }
