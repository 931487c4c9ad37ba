// SPDX-License-Identifier: MIT
// emsock/contract.hpp - what happens when a caller breaks a precondition that emsock checks.
//
// A broken precondition is a programming error, not a runtime failure (those come back as an errc):
// reading value() of a failed result<T>, building a result<T> from errc::ok (a success without a
// value). With EMSOCK_CHECK_CONTRACTS set to 1 such misuse calls the contract-violation handler;
// with 0 the checks compile to nothing.
//
// EMSOCK_CHECK_CONTRACTS: defaults to 1 unless NDEBUG is defined (debug builds check, release builds
// do not). The CMake cache variable of the same name (AUTO, ON, OFF) sets it for emsock and for every
// target that links it; emsock's own test builds turn it on even in their RelWithDebInfo (host) and
// MinSizeRel (Cortex-M) configurations, which define NDEBUG. Give every translation unit of a program
// the same value (the checks sit in inline functions).
#pragma once

#ifndef EMSOCK_CHECK_CONTRACTS
#ifdef NDEBUG
#define EMSOCK_CHECK_CONTRACTS 0
#else
#define EMSOCK_CHECK_CONTRACTS 1
#endif
#endif

namespace emsock {

/// Receives a broken precondition: `what` names the rule ("result<T>::value() on an error"), `file`
/// and `line` where it is checked; all static. It must not return: it may stop the program (log,
/// then reset or halt), or leave by longjmp to a point that no frame with a non-trivial destructor
/// lies before (what a test does). When it returns anyway, emsock executes __builtin_trap().
using contract_violation_handler = void (*)(const char* what, const char* file, int line);

/// Installs `handler` (null: the default) and returns the previous one, never null. Not
/// synchronised: install it at start-up, before other threads use emsock. Never fails.
contract_violation_handler set_contract_violation_handler(contract_violation_handler handler) noexcept;

/// The handler installed now (default_contract_violation_handler unless one was set).
contract_violation_handler get_contract_violation_handler() noexcept;

/// The default handler: __builtin_trap(), an undefined-instruction fault (HardFault on Cortex-M,
/// SIGILL on Linux), so a debugger stops at the misuse. Calls neither abort nor printf.
[[noreturn]] void default_contract_violation_handler(const char* what, const char* file, int line) noexcept;

namespace detail {
/// Calls the installed handler, then traps if it returned.
[[noreturn]] void contract_violated(const char* what, const char* file, int line) noexcept;
}  // namespace detail

}  // namespace emsock

/// A function that reports one violation (a [[noreturn]] function without arguments calling
/// contract_violated): cold and out of line, so that a check costs a compare and a branch where it
/// stands, and nothing where the compiler can tell the outcome.
#if defined(__GNUC__) || defined(__clang__)
#define EMSOCK_COLD __attribute__((cold, noinline))
#else
#define EMSOCK_COLD
#endif

/// Checks a precondition: calls the handler with `what` (a string literal) when `condition` is false.
/// EMSOCK_EXPECTS_OR calls `violated()` (see EMSOCK_COLD) instead: for checks that stand in inline
/// code everywhere. Usable in constexpr functions: a violation during constant evaluation does not
/// compile.
#if EMSOCK_CHECK_CONTRACTS
#define EMSOCK_EXPECTS(condition, what) \
  (static_cast<bool>(condition) ? static_cast<void>(0) : ::emsock::detail::contract_violated(what, __FILE__, __LINE__))
#define EMSOCK_EXPECTS_OR(condition, violated) (static_cast<bool>(condition) ? static_cast<void>(0) : violated())
#else
#define EMSOCK_EXPECTS(condition, what) static_cast<void>(0)
#define EMSOCK_EXPECTS_OR(condition, violated) static_cast<void>(0)
#endif
