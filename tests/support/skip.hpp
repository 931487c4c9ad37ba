// SPDX-License-Identifier: MIT
// Skips that show. EMSOCK_SKIP("reason") records the running CppUTest test as skipped, with its
// reason, and leaves it; run_all_tests() counts it as skipped (not passed), lists it and closes
// with "<suite>: N passed, N failed, N skipped". Under ctest each CppUTest test is also a ctest test
// of its own (cmake/EmsockCppUTest.cmake) that reports the result the suite's run wrote for it
// (EMSOCK_TEST_RESULTS): a skip is a ctest skip, in ctest's output and in `ctest --output-junit`.
//
// Plain CppUTest 4.0 (no extensions, no heap during a test): usable by the hosted suites and the
// bare-metal core image alike.
#pragma once

#include <cstddef>

#include <CppUTest/TestHarness.h>
#include <CppUTest/TestPlugin.h>

namespace emsock_test {

/// Longest reason kept; a longer one is cut and ends in "...".
inline constexpr std::size_t max_skip_reason_len = 159;
/// Longest "group.test" kept (cut the same way).
inline constexpr std::size_t max_skip_test_len = 159;

/// Records the running test as skipped for `reason` (copied; null reads as "no reason given") and
/// leaves it through CppUTest's exitTest(): a C++ exception on hosted builds (destructors run), a
/// long jump on bare metal. The test's teardown still runs; a failure there makes the test failed,
/// not skipped. Called outside a running test it records nothing and returns.
void skip_current_test(const char* reason);

/// One skipped test: which ("group.test"), and why.
struct skip_entry {
  char test[max_skip_test_len + 1] = {};
  char reason[max_skip_reason_len + 1] = {};
};

/// The plugin that sorts every test that ran into passed, failed or skipped. A test's own
/// failures, its teardown's and those of plugins that check after it (CppUTest's leak check) are
/// only all known once the next test starts, so each test is settled when the next one starts and
/// the last by finish(). Keeps at most max_listed skip entries (all are counted). Counts one run:
/// with CppUTest's -r (repeat) only the last repetition is exact.
class skip_accounting : public TestPlugin {
 public:
  static constexpr std::size_t max_listed = 64;

  skip_accounting();
  void preTestAction(UtestShell& test, TestResult& result) override;
  /// Settles the last test; `total_failures` is the run's failure count (what RunAllTests returns).
  void finish(std::size_t total_failures);
  /// From now on each settled test's result is also written to `dir`/<group>.<test>.result: one
  /// line "passed: group.test", "skipped: group.test: reason" or "failed: group.test", the last
  /// followed by CppUTest's failure reports (note_failure). Existing result files of every test in
  /// the registry are removed first, so a test the run never reached has none. `dir` must exist and
  /// outlive the run; a file that cannot be written is said on stderr.
  void write_results_to(const char* dir);
  /// Adds one of CppUTest's failure reports to the running test's (kept up to 1023 characters).
  void note_failure(const char* text);

  std::size_t ran() const { return passed_ + failed_ + skipped_; }
  std::size_t passed() const { return passed_; }
  std::size_t failed() const { return failed_; }
  std::size_t skipped() const { return skipped_; }
  /// The first min(skipped(), max_listed) skips, in the order they happened.
  std::size_t listed() const { return listed_; }
  const skip_entry& entry(std::size_t i) const { return entries_[i]; }
  /// Gives `line` one "skipped: group.test: reason" line per listed skip, then the closing line
  /// "<suite>: N passed, N failed, N skipped" (without newlines; a line longer than 511 characters
  /// is cut). Gives nothing when no test ran (a query such as -ln, whose output must stay a list).
  void write_summary(const char* suite, void (*line)(void* context, const char* text), void* context) const;
  /// write_summary to stdout, one line each.
  void print_summary(const char* suite) const;

 private:
  void settle(std::size_t failures_now);

  void write_result(const char* line) const;

  UtestShell* pending_ = nullptr;
  const char* results_dir_ = nullptr;
  char failure_text_[1024] = {};
  std::size_t failure_len_ = 0;
  std::size_t failures_before_ = 0;
  std::size_t passed_ = 0;
  std::size_t failed_ = 0;
  std::size_t skipped_ = 0;
  std::size_t listed_ = 0;
  skip_entry entries_[max_listed];
};

/// CppUTest's command line runner with skip accounting: runs the tests (every CppUTest option
/// works), prints the summary of skip_accounting::print_summary with the program's base name as
/// the suite, and returns 0 when no test failed, else 1 (CppUTest's own status is a failure count).
/// With the environment variable EMSOCK_TEST_RESULTS set to a directory, each test's result is
/// written there too (skip_accounting::write_results_to), the summary goes to `dir`/summary as well
/// (only once the run reached its end; a stale one is removed at the start), and the status is 0
/// once the run reached its end, failed tests or not: the result files and the summary carry them
/// (ctest's per-test tests read the first, the suite's own test the second).
int run_all_tests(int argc, char** argv);

}  // namespace emsock_test

/// Leaves the running test as skipped, with `reason` in the suite's summary (see skip_current_test).
#define EMSOCK_SKIP(reason) ::emsock_test::skip_current_test(reason)
