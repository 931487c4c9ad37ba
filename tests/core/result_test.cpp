// SPDX-License-Identifier: MIT
// result<T>, status and to_chars_result: what they hold, what they destroy, and that misuse reaches
// the contract-violation handler instead of passing silently.
//
// The tests observe a violation with a handler that records it and longjmps back to the setjmp in
// violates(). That is defined behaviour as long as no frame it leaves holds an object with a
// non-trivial destructor (a throw there would run none): the objects under test live in the test
// body, outside the lambda, and emsock's checking code holds none.
#include <csetjmp>
#include <type_traits>
#include <utility>

#include <CppUTest/TestHarness.h>

#include "emsock/contract.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/result.hpp"

using emsock::errc;
using emsock::result;

namespace {

struct seen_violation {
  int count = 0;
  const char* what = nullptr;
  const char* file = nullptr;
  int line = 0;
};
seen_violation seen;
std::jmp_buf* back = nullptr;

void record_and_jump(const char* what, const char* file, int line) {
  seen.count += 1;
  seen.what = what;
  seen.file = file;
  seen.line = line;
  std::longjmp(*back, 1);
}

/// Runs f() with record_and_jump installed; true when f reached the handler (f is left there).
template <class F>
bool violates(F&& f) {
  std::jmp_buf here;
  back = &here;
  const int before = seen.count;
  if (setjmp(here) == 0) {
    f();
    return false;
  }
  return seen.count == before + 1;
}

/// Counts constructions and destructions, so that a test can see what result<T> creates.
struct counted {
  static int alive;
  static int constructed;
  static int destroyed;
  int v;
  explicit counted(int value) noexcept : v(value) { ++alive, ++constructed; }
  counted(const counted& o) noexcept : v(o.v) { ++alive, ++constructed; }
  counted(counted&& o) noexcept : v(o.v) {
    o.v = -1;
    ++alive, ++constructed;
  }
  counted& operator=(const counted& o) noexcept = default;
  counted& operator=(counted&& o) noexcept {
    v = o.v;
    o.v = -1;
    return *this;
  }
  ~counted() { --alive, ++destroyed; }
  static void reset() { alive = constructed = destroyed = 0; }
};
int counted::alive = 0;
int counted::constructed = 0;
int counted::destroyed = 0;

/// No default constructor: result<T> used to need one.
struct no_default {
  explicit constexpr no_default(int value) noexcept : v(value) {}
  int v;
};

/// Move-only.
struct move_only {
  explicit move_only(int value) noexcept : v(value) {}
  move_only(move_only&& o) noexcept : v(o.v) { o.v = 0; }
  move_only& operator=(move_only&& o) noexcept {
    v = o.v;
    o.v = 0;
    return *this;
  }
  move_only(const move_only&) = delete;
  move_only& operator=(const move_only&) = delete;
  int v;
};

}  // namespace

// --- the shapes --------------------------------------------------------------------------------

static_assert(!std::is_default_constructible_v<no_default>);
static_assert(std::is_constructible_v<result<no_default>, no_default>);
static_assert(std::is_constructible_v<result<no_default>, errc>);
static_assert(!std::is_default_constructible_v<result<int>>, "a result is a value or an error, never neither");
// Trivial T keep result<T> trivial: copied as bytes, usable in constant expressions.
static_assert(std::is_trivially_copyable_v<result<int>>);
static_assert(std::is_trivially_destructible_v<result<emsock::ipv4_address>>);
static_assert(!std::is_trivially_destructible_v<result<counted>>);
// Copy and move follow T.
static_assert(!std::is_copy_constructible_v<result<move_only>>);
static_assert(!std::is_copy_assignable_v<result<move_only>>);
static_assert(std::is_move_constructible_v<result<move_only>>);
static_assert(std::is_move_assignable_v<result<move_only>>);
static_assert(std::is_copy_constructible_v<result<counted>> && std::is_copy_assignable_v<result<counted>>);

static_assert(result<no_default>(no_default(3)).value().v == 3);
static_assert(result<no_default>(errc::timed_out).code() == errc::timed_out);
static_assert(result<int>(7).code() == errc::ok);
static_assert(emsock::to_chars_result{nullptr, errc::buffer_too_small}.code() == errc::buffer_too_small);
static_assert(emsock::to_chars_result{nullptr}.ok());
static_assert(!emsock::status(errc::would_block).ok());

TEST_GROUP(result_storage) {
  void setup() override { counted::reset(); }
};

TEST(result_storage, an_error_constructs_no_value_and_destroys_none) {
  {
    const result<counted> r(errc::connection_reset, 4);
    CHECK_FALSE(r.ok());
    CHECK(r.code() == errc::connection_reset);
    UNSIGNED_LONGS_EQUAL(4, r.offset());
    LONGS_EQUAL(0, counted::constructed);
  }
  LONGS_EQUAL(0, counted::destroyed);
}

TEST(result_storage, a_value_is_destroyed_exactly_once) {
  {
    const result<counted> r(counted(5));
    CHECK(r.ok());
    LONGS_EQUAL(5, r.value().v);
    LONGS_EQUAL(1, counted::alive);  // the temporary is gone, the stored one lives
  }
  LONGS_EQUAL(0, counted::alive);
  LONGS_EQUAL(counted::constructed, counted::destroyed);
}

TEST(result_storage, copy_and_move_copy_and_move_the_value) {
  {
    result<counted> a(counted(8));
    const result<counted> copy(a);
    LONGS_EQUAL(8, copy.value().v);
    const result<counted> moved(std::move(a));
    LONGS_EQUAL(8, moved.value().v);
    LONGS_EQUAL(-1, a.value().v);  // NOLINT: a moved-from result still holds its moved-from value
    LONGS_EQUAL(3, counted::alive);
    const result<counted> failed(errc::timed_out);
    const result<counted> error_copy(failed);
    CHECK(error_copy.code() == errc::timed_out);
    LONGS_EQUAL(3, counted::alive);
  }
  LONGS_EQUAL(0, counted::alive);
}

TEST(result_storage, assignment_between_value_and_error_creates_and_destroys) {
  {
    result<counted> r(errc::would_block);
    r = result<counted>(counted(1));  // error -> value: constructs
    CHECK(r.ok());
    LONGS_EQUAL(1, r.value().v);
    LONGS_EQUAL(1, counted::alive);
    r = result<counted>(counted(2));  // value -> value: assigns
    LONGS_EQUAL(2, r.value().v);
    LONGS_EQUAL(1, counted::alive);
    const result<counted> failed(errc::timed_out, 9);
    r = failed;  // value -> error: destroys
    CHECK(r.code() == errc::timed_out);
    UNSIGNED_LONGS_EQUAL(9, r.offset());
    LONGS_EQUAL(0, counted::alive);
    r = failed;  // error -> error
    CHECK(r.code() == errc::timed_out);
    const result<counted> good(counted(3));
    r = good;  // copy: error -> value
    LONGS_EQUAL(3, r.value().v);
    LONGS_EQUAL(2, counted::alive);
    const result<counted>& same = r;
    r = same;  // self-assignment keeps the value
    LONGS_EQUAL(3, r.value().v);
  }
  LONGS_EQUAL(0, counted::alive);
  LONGS_EQUAL(counted::constructed, counted::destroyed);
}

TEST(result_storage, move_only_and_non_default_constructible_values) {
  result<move_only> r(move_only(4));
  result<move_only> s(std::move(r));
  LONGS_EQUAL(4, s.value().v);
  move_only taken = std::move(s).value();
  LONGS_EQUAL(4, taken.v);
  s = result<move_only>(errc::not_connected);
  CHECK(s.code() == errc::not_connected);

  const result<no_default> n(no_default(6));
  LONGS_EQUAL(6, n->v);
  LONGS_EQUAL(6, (*n).v);
  LONGS_EQUAL(9, result<no_default>(errc::empty_input).value_or(no_default(9)).v);
}

// --- misuse reaches the handler -----------------------------------------------------------------

TEST_GROUP(contract) {
  emsock::contract_violation_handler previous = nullptr;
  void setup() override { previous = emsock::set_contract_violation_handler(record_and_jump); }
  void teardown() override { emsock::set_contract_violation_handler(previous); }
};

TEST(contract, checks_are_on_in_the_test_builds) { LONGS_EQUAL(1, EMSOCK_CHECK_CONTRACTS); }

TEST(contract, value_of_an_error_calls_the_handler) {
  const result<int> bad(errc::timed_out);
  CHECK(violates([&] { (void)bad.value(); }));
  STRCMP_CONTAINS("value()", seen.what);
  STRCMP_CONTAINS("result.hpp", seen.file);
  CHECK(seen.line > 0);
}

TEST(contract, every_accessor_of_an_error_calls_the_handler) {
  result<no_default> bad(errc::would_block);
  const result<no_default>& cbad = bad;
  CHECK(violates([&] { (void)bad.value(); }));
  CHECK(violates([&] { (void)cbad.value(); }));
  CHECK(violates([&] { (void)std::move(bad).value(); }));
  CHECK(violates([&] { (void)*cbad; }));
  CHECK(violates([&] { (void)bad->v; }));
  CHECK(violates([&] { (void)cbad->v; }));
}

TEST(contract, an_error_that_is_ok_calls_the_handler) {
  CHECK(violates([] { (void)result<int>(errc::ok); }));
  STRCMP_CONTAINS("errc::ok", seen.what);
  CHECK(violates([] { (void)result<int>(emsock::error{errc::ok, 3}); }));
}

TEST(contract, correct_use_never_calls_the_handler) {
  const int before = seen.count;
  CHECK_FALSE(violates([] {
    const result<int> good(1);
    const result<int> bad(errc::timed_out);
    (void)good.value();
    (void)bad.value_or(2);
    (void)bad.code();
    (void)emsock::status(errc::ok);  // a status needs no value: ok is a success
  }));
  LONGS_EQUAL(before, seen.count);
}

TEST(contract, the_setter_returns_the_previous_handler_and_null_restores_the_default) {
  CHECK(emsock::set_contract_violation_handler(nullptr) == record_and_jump);
  CHECK(emsock::get_contract_violation_handler() == emsock::default_contract_violation_handler);
  CHECK(emsock::set_contract_violation_handler(record_and_jump) == emsock::default_contract_violation_handler);
}

// --- one vocabulary: ok(), code(), explicit bool -------------------------------------------------

TEST_GROUP(result_vocabulary){};

TEST(result_vocabulary, to_chars_result_says_ok_and_code) {
  char buf[emsock::ipv4_address::max_text_len];
  const emsock::to_chars_result fits = emsock::ipv4_address(10, 0, 0, 1).to_chars(buf, buf + sizeof buf);
  CHECK(fits.ok());
  CHECK(static_cast<bool>(fits));
  CHECK(fits.code() == errc::ok);
  const emsock::to_chars_result short_buffer = emsock::ipv4_address(10, 0, 0, 1).to_chars(buf, buf + 3);
  CHECK_FALSE(short_buffer.ok());
  CHECK_FALSE(static_cast<bool>(short_buffer));
  CHECK(short_buffer.code() == errc::buffer_too_small);
  POINTERS_EQUAL(buf + 3, short_buffer.ptr);
}
