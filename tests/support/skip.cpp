// SPDX-License-Identifier: MIT
// Skip accounting for CppUTest (see skip.hpp). No heap while tests run: fixed tables only, so
// CppUTest's per-test leak check sees nothing of it.
#include "skip.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>
#include <CppUTest/TestFailure.h>
#include <CppUTest/TestOutput.h>
#include <CppUTest/TestRegistry.h>
#include <CppUTest/TestResult.h>

namespace emsock_test {

namespace {

/// The latest skip_current_test(), until the accounting settles its test.
const UtestShell* last_skipped_test = nullptr;
char last_skip_reason[max_skip_reason_len + 1];

/// Copies `from` into `to` (capacity N, N - 1 characters): whole, or cut and ending in "...".
template <std::size_t N>
void copy_cut(char (&to)[N], const char* from) {
  const std::size_t n = std::strlen(from);
  if (n < N) {
    std::memcpy(to, from, n + 1);
    return;
  }
  std::memcpy(to, from, N - 4);
  std::memcpy(to + N - 4, "...", 4);
}

const char* base_name(const char* path) {
  if (path == nullptr || *path == '\0') return "tests";
  const char* slash = std::strrchr(path, '/');
  return slash != nullptr && slash[1] != '\0' ? slash + 1 : path;
}

}  // namespace

void skip_current_test(const char* reason) {
  UtestShell* test = UtestShell::getCurrent();
  last_skipped_test = test;
  copy_cut(last_skip_reason, reason == nullptr || *reason == '\0' ? "no reason given" : reason);
  test->exitTest();
}

skip_accounting::skip_accounting() : TestPlugin("emsock_skip_accounting") {}

void skip_accounting::preTestAction(UtestShell& test, TestResult& result) {
  settle(result.getFailureCount());
  pending_ = &test;
  failures_before_ = result.getFailureCount();
}

void skip_accounting::finish(std::size_t total_failures) { settle(total_failures); }

void skip_accounting::settle(std::size_t failures_now) {
  if (pending_ == nullptr) return;
  const bool skip_recorded = last_skipped_test == pending_;
  // The test's names now: the shell need not outlive the run.
  char name[max_skip_test_len + 1];
  copy_cut(name, (pending_->getGroup() + "." + pending_->getName()).asCharString());
  char line[max_skip_test_len + max_skip_reason_len + 16];
  if (failures_now != failures_before_) {
    ++failed_;  // a failure after the skip (teardown, leak check) outranks it
    std::snprintf(line, sizeof line, "failed: %s", name);
  } else if (skip_recorded) {
    ++skipped_;
    if (listed_ < max_listed) {
      copy_cut(entries_[listed_].test, name);
      copy_cut(entries_[listed_].reason, last_skip_reason);
      ++listed_;
    }
    std::snprintf(line, sizeof line, "skipped: %s: %s", name, last_skip_reason);
  } else {
    ++passed_;
    std::snprintf(line, sizeof line, "passed: %s", name);
  }
  if (results_dir_ != nullptr) write_result(line);
  if (skip_recorded) last_skipped_test = nullptr;
  pending_ = nullptr;
  failure_len_ = 0;
  failure_text_[0] = '\0';
}

void skip_accounting::write_results_to(const char* dir) {
  results_dir_ = dir;
  char path[512];
  for (UtestShell* t = TestRegistry::getCurrentRegistry()->getFirstTest(); t != nullptr; t = t->getNext()) {
    std::snprintf(path, sizeof path, "%s/%s.%s.result", dir, t->getGroup().asCharString(), t->getName().asCharString());
    std::remove(path);
  }
}

void skip_accounting::write_result(const char* line) const {
  char path[512];
  std::snprintf(path, sizeof path, "%s/%s.%s.result", results_dir_, pending_->getGroup().asCharString(),
                pending_->getName().asCharString());
  std::FILE* f = std::fopen(path, "w");
  const bool written = f != nullptr && std::fprintf(f, "%s\n%s", line, failure_text_) >= 0;
  if (f == nullptr || std::fclose(f) != 0 || !written) std::fprintf(stderr, "cannot write %s\n", path);
}

void skip_accounting::note_failure(const char* text) {
  const std::size_t room = sizeof failure_text_ - 1 - failure_len_;
  const std::size_t n = std::strlen(text) < room ? std::strlen(text) : room;
  std::memcpy(failure_text_ + failure_len_, text, n);
  failure_len_ += n;
  failure_text_[failure_len_] = '\0';
}

void skip_accounting::write_summary(const char* suite, void (*line)(void* context, const char* text),
                                    void* context) const {
  if (ran() == 0) return;
  char text[512];
  for (std::size_t i = 0; i < listed_; ++i) {
    std::snprintf(text, sizeof text, "skipped: %s: %s", entries_[i].test, entries_[i].reason);
    line(context, text);
  }
  if (skipped_ > listed_) {
    std::snprintf(text, sizeof text, "skipped: %lu more, not listed", static_cast<unsigned long>(skipped_ - listed_));
    line(context, text);
  }
  std::snprintf(text, sizeof text, "%s: %lu passed, %lu failed, %lu skipped", suite, static_cast<unsigned long>(passed_),
                static_cast<unsigned long>(failed_), static_cast<unsigned long>(skipped_));
  line(context, text);
}

void skip_accounting::print_summary(const char* suite) const {
  write_summary(suite, [](void*, const char* text) { std::printf("%s\n", text); }, nullptr);
  std::fflush(stdout);
}

namespace {

skip_accounting accounting;  // static: its tables stay off a small bare-metal stack

/// CppUTest's console output, also giving each failure report to the accounting (for the result
/// files: a failed test's file says why).
class recording_output : public ConsoleTestOutput {
 public:
  void printFailure(const TestFailure& failure) override {
    char text[640];
    std::snprintf(text, sizeof text, "%s:%lu: %s\n", failure.getFileName().asCharString(),
                  static_cast<unsigned long>(failure.getFailureLineNumber()), failure.getMessage().asCharString());
    accounting.note_failure(text);
    ConsoleTestOutput::printFailure(failure);
  }
};

/// CppUTest's command line runner with recording_output as its console output.
class recording_runner : public CommandLineTestRunner {
 public:
  recording_runner(int argc, const char* const* argv) : CommandLineTestRunner(argc, argv, TestRegistry::getCurrentRegistry()) {}

 protected:
  TestOutput* createConsoleOutput() override { return new recording_output; }
};

/// `dir`/summary: what print_summary prints (the listed skips, then the closing line). Written only
/// once a run reached its end, so a run that crashed leaves none (the previous run's is removed first).
void summary_path(char (&path)[512], const char* dir) { std::snprintf(path, sizeof path, "%s/summary", dir); }

void write_summary_file(const char* dir, const char* suite) {
  char path[512];
  summary_path(path, dir);
  std::FILE* f = std::fopen(path, "w");
  bool written = f != nullptr;
  if (f != nullptr) {
    const auto line = [](void* file, const char* text) { std::fprintf(static_cast<std::FILE*>(file), "%s\n", text); };
    accounting.write_summary(suite, line, f);
    written = std::ferror(f) == 0;
  }
  if (f == nullptr || std::fclose(f) != 0 || !written) std::fprintf(stderr, "cannot write %s\n", path);
}

}  // namespace

int run_all_tests(int argc, char** argv) {
  TestRegistry* registry = TestRegistry::getCurrentRegistry();
  registry->installPlugin(&accounting);
  const char* results = std::getenv("EMSOCK_TEST_RESULTS");
  if (results != nullptr && *results != '\0') {
    char path[512];
    summary_path(path, results);
    std::remove(path);
    accounting.write_results_to(results);
  }
  // What CommandLineTestRunner::RunAllTests does, with recording_runner.
  int failures = 0;
  {
    ConsoleTestOutput output;
    MemoryLeakWarningPlugin leaks(DEF_PLUGIN_MEM_LEAK);
    leaks.destroyGlobalDetectorAndTurnOffMemoryLeakDetectionInDestructor(true);
    registry->installPlugin(&leaks);
    {
      recording_runner runner(argc, argv);
      failures = runner.runAllTestsMain();
    }
    if (failures == 0) output << leaks.FinalReport(0);
    registry->removePluginByName(DEF_PLUGIN_MEM_LEAK);
  }
  registry->removePluginByName(accounting.getName());
  accounting.finish(failures < 0 ? 0 : static_cast<std::size_t>(failures));
  const char* suite = base_name(argc > 0 ? argv[0] : nullptr);
  accounting.print_summary(suite);
  if (results != nullptr && *results != '\0' && accounting.ran() > 0) {
    write_summary_file(results, suite);
    return 0;  // the result files and the summary file tell
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace emsock_test
