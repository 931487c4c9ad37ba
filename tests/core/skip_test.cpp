// SPDX-License-Identifier: MIT
// The skip accounting of tests/support/skip.hpp, run on tests inside CppUTest's TestTestingFixture:
// a skipped test is counted as skipped (not passed), with its reason; a failure outranks a skip.
// In the core suite so that it also runs on bare metal (a long jump there, an exception on hosts).
#include <string>

#include <CppUTest/TestHarness.h>
#include <CppUTest/TestTestingFixture.h>

#include "skip.hpp"

using emsock_test::skip_accounting;

namespace {

bool after_skip_ran = false;

void body_that_skips() {
  EMSOCK_SKIP("the machine lacks the thing");
  after_skip_ran = true;
}
void body_that_passes() { CHECK(true); }
void body_that_fails() { FAIL("failing on purpose"); }
void teardown_that_fails() { FAIL("teardown failing on purpose"); }
void body_with_a_long_reason() {
  // Static: on bare metal the skip is a long jump, which runs no destructor.
  static char reason[300];
  for (char& c : reason) c = 'r';
  reason[sizeof reason - 1] = '\0';
  EMSOCK_SKIP(reason);
}
void body_without_a_reason() { EMSOCK_SKIP(nullptr); }

/// Runs `body` (and `teardown`, when given) as one test under `accounting`.
void run_one(skip_accounting& accounting, void (*body)(), void (*teardown)() = nullptr) {
  TestTestingFixture fixture;
  fixture.installPlugin(&accounting);
  fixture.setTestFunction(body);
  if (teardown != nullptr) fixture.setTeardown(teardown);
  fixture.runAllTests();
  accounting.finish(fixture.getFailureCount());
}

/// One accounting per test, made before the tests run (CppUTest's leak check would report the
/// plugin's name, allocated in a test and kept), and static (a few kilobytes each).
skip_accounting accountings[6];

void collect(void* context, const char* text) { *static_cast<std::string*>(context) += std::string(text) + "\n"; }

}  // namespace

TEST_GROUP(skip_accounting) {
  void setup() override { after_skip_ran = false; }
};

TEST(skip_accounting, a_skipped_test_counts_as_skipped_not_passed_and_stops_there) {
  skip_accounting& a = accountings[0];
  run_one(a, body_that_skips);
  UNSIGNED_LONGS_EQUAL(1, a.ran());
  UNSIGNED_LONGS_EQUAL(0, a.passed());
  UNSIGNED_LONGS_EQUAL(0, a.failed());
  UNSIGNED_LONGS_EQUAL(1, a.skipped());
  UNSIGNED_LONGS_EQUAL(1, a.listed());
  STRCMP_EQUAL("ExecFunction.ExecFunction", a.entry(0).test);  // TestTestingFixture's test
  STRCMP_EQUAL("the machine lacks the thing", a.entry(0).reason);
  CHECK_FALSE(after_skip_ran);
}

TEST(skip_accounting, passing_and_failing_tests_are_counted_as_such) {
  skip_accounting& a = accountings[1];
  run_one(a, body_that_passes);
  run_one(a, body_that_fails);
  run_one(a, body_that_skips);
  UNSIGNED_LONGS_EQUAL(3, a.ran());
  UNSIGNED_LONGS_EQUAL(1, a.passed());
  UNSIGNED_LONGS_EQUAL(1, a.failed());
  UNSIGNED_LONGS_EQUAL(1, a.skipped());
}

TEST(skip_accounting, a_failure_after_the_skip_makes_the_test_failed) {
  skip_accounting& a = accountings[2];
  run_one(a, body_that_skips, teardown_that_fails);
  UNSIGNED_LONGS_EQUAL(1, a.failed());
  UNSIGNED_LONGS_EQUAL(0, a.skipped());
  UNSIGNED_LONGS_EQUAL(0, a.listed());
  run_one(a, body_that_passes);  // the stale skip does not stick to the next test
  UNSIGNED_LONGS_EQUAL(1, a.passed());
  UNSIGNED_LONGS_EQUAL(0, a.skipped());
}

TEST(skip_accounting, a_long_reason_is_cut_visibly_and_a_missing_one_is_named) {
  skip_accounting& a = accountings[3];
  run_one(a, body_with_a_long_reason);
  run_one(a, body_without_a_reason);
  UNSIGNED_LONGS_EQUAL(2, a.listed());
  const std::string cut = a.entry(0).reason;
  UNSIGNED_LONGS_EQUAL(emsock_test::max_skip_reason_len, cut.size());
  STRCMP_EQUAL("...", cut.substr(cut.size() - 3).c_str());
  STRCMP_EQUAL("no reason given", a.entry(1).reason);
}

TEST(skip_accounting, the_summary_lists_each_skip_and_closes_with_the_counts) {
  skip_accounting& a = accountings[4];
  run_one(a, body_that_passes);
  run_one(a, body_that_skips);
  std::string out;
  a.write_summary("suite", collect, &out);
  STRCMP_EQUAL("skipped: ExecFunction.ExecFunction: the machine lacks the thing\n"
               "suite: 1 passed, 0 failed, 1 skipped\n",
               out.c_str());
}

TEST(skip_accounting, no_summary_when_no_test_ran) {
  skip_accounting& a = accountings[5];
  a.finish(0);
  std::string out;
  a.write_summary("suite", collect, &out);
  STRCMP_EQUAL("", out.c_str());
}
