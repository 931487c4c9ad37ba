// SPDX-License-Identifier: MIT
// The contract-violation handler: one pointer, set by the program, trapping by default. Nothing here
// may pull in abort, printf or the heap (the core-symbols test checks the library).
#include "emsock/contract.hpp"

namespace emsock {
namespace {

contract_violation_handler installed = default_contract_violation_handler;

}  // namespace

void default_contract_violation_handler(const char*, const char*, int) noexcept { __builtin_trap(); }

contract_violation_handler set_contract_violation_handler(contract_violation_handler handler) noexcept {
  const contract_violation_handler previous = installed;
  installed = handler != nullptr ? handler : default_contract_violation_handler;
  return previous;
}

contract_violation_handler get_contract_violation_handler() noexcept { return installed; }

namespace detail {

void contract_violated(const char* what, const char* file, int line) noexcept {
  installed(what, file, line);
  __builtin_trap();  // a handler must not return
}

}  // namespace detail
}  // namespace emsock
