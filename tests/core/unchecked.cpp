// SPDX-License-Identifier: MIT
// The core with EMSOCK_CHECK_CONTRACTS=0 (what an NDEBUG firmware build gets by default): the
// checks compile to nothing, and a result<T> still never claims a value it does not hold.
// Linked against emsock_core_small, which is built the same way (see proofs.cmake).
#include <csetjmp>

#include <CppUTest/TestHarness.h>

#include "emsock/contract.hpp"
#include "emsock/ipv4_address.hpp"
#include "emsock/result.hpp"

using emsock::errc;
using emsock::result;

static_assert(EMSOCK_CHECK_CONTRACTS == 0, "this suite proves the unchecked build");

namespace {

int calls = 0;
std::jmp_buf* back = nullptr;

void count_and_jump(const char*, const char*, int) {
  ++calls;
  std::longjmp(*back, 1);
}

}  // namespace

TEST_GROUP(unchecked) {
  emsock::contract_violation_handler previous = nullptr;
  void setup() override {
    calls = 0;
    previous = emsock::set_contract_violation_handler(count_and_jump);
  }
  void teardown() override { emsock::set_contract_violation_handler(previous); }
};

TEST(unchecked, an_error_built_from_ok_is_invalid_argument_not_a_success) {
  std::jmp_buf here;
  back = &here;
  if (setjmp(here) == 0) {
    const result<int> r(errc::ok, 5);
    CHECK_FALSE(r.ok());
    CHECK(r.code() == errc::invalid_argument);
    UNSIGNED_LONGS_EQUAL(5, r.offset());
  }
  LONGS_EQUAL(0, calls);
}

TEST(unchecked, the_core_works_without_checks) {
  std::jmp_buf here;
  back = &here;
  if (setjmp(here) == 0) {
    const auto good = emsock::ipv4_address::parse("10.1.2.3");
    CHECK(good.ok());
    UNSIGNED_LONGS_EQUAL(0x0a010203u, good.value().to_uint());
    const auto bad = emsock::ipv4_address::parse("10.1.2");
    CHECK(bad.code() == errc::too_few_parts);
  }
  LONGS_EQUAL(0, calls);
}
