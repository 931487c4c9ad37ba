// SPDX-License-Identifier: MIT
// emsock/result.hpp - value-or-error, without exceptions or heap.
//
// Three shapes, one vocabulary: result<T> (a value or an error), status (no value), and the two
// "how far and why" results, to_chars_result (here) and send_all_result (emsock/port/socket.hpp).
// Each says ok(), code() and converts explicitly to bool. Misuse (value() of an error, a result<T>
// built from errc::ok) is a contract violation: see emsock/contract.hpp.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "emsock/contract.hpp"
#include "emsock/error.hpp"

// Placement new below (and <new> for it): a test framework's leak detector may have defined `new`
// as a macro by now (CppUTest's MemoryLeakDetectorNewMacros.h does); it is restored further down.
#pragma push_macro("new")
#undef new
#include <new>

namespace emsock {

namespace detail {

/// The violations result<T> checks (see EMSOCK_EXPECTS_OR). The file is named without the build's
/// path: shorter in flash, and the same in every build.
[[noreturn]] EMSOCK_COLD inline void result_from_ok() noexcept {
  contract_violated("result<T> from errc::ok", "emsock/result.hpp", __LINE__);
}
[[noreturn]] EMSOCK_COLD inline void value_of_an_error() noexcept {
  contract_violated("result<T>::value() of an error", "emsock/result.hpp", __LINE__);
}

/// `e` for a failure; errc::ok is a contract violation (a success needs a value). With the checks
/// off it becomes invalid_argument, so that a result never claims a value it does not hold.
constexpr error failure(error e) noexcept {
  EMSOCK_EXPECTS_OR(e.code != errc::ok, result_from_ok);
  return e.code == errc::ok ? error{errc::invalid_argument, e.offset} : e;
}

/// The value and the error of a result<T>, sharing storage: T exists exactly while the code is ok.
/// Trivially destructible T keep a trivial destructor, so result<T> stays a literal type.
template <class T, bool = std::is_trivially_destructible_v<T>>
struct result_storage {
  union {
    char none_;
    T value_;
  };
  error error_;

  constexpr explicit result_storage(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>)
      : value_(std::move(v)), error_{} {}
  constexpr explicit result_storage(error e) noexcept : none_{}, error_(e) {}
  constexpr bool has_value() const noexcept { return error_.code == errc::ok; }
};

template <class T>
struct result_storage<T, false> {
  union {
    char none_;
    T value_;
  };
  error error_;

  constexpr explicit result_storage(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>)
      : value_(std::move(v)), error_{} {}
  constexpr explicit result_storage(error e) noexcept : none_{}, error_(e) {}
  result_storage(const result_storage&) = delete;  // result_ops<T, false> copies and moves
  result_storage& operator=(const result_storage&) = delete;
  ~result_storage() {
    if (has_value()) value_.~T();
  }
  constexpr bool has_value() const noexcept { return error_.code == errc::ok; }
};

/// Copy and move. Trivially copyable T: the storage's own (trivial) ones. Otherwise written out,
/// constructing or destroying the value as the states of the two sides require. Whether result<T>
/// may use them at all is decided by result_gate below, after T.
template <class T, bool = std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>>
struct result_ops : result_storage<T> {
  using result_storage<T>::result_storage;
};

template <class T>
struct result_ops<T, false> : result_storage<T> {
  using base = result_storage<T>;
  using base::base;

  result_ops(const result_ops& o) noexcept(std::is_nothrow_copy_constructible_v<T>) : base(o.error_) {
    if (o.has_value()) ::new (static_cast<void*>(&this->value_)) T(o.value_);
  }
  result_ops(result_ops&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : base(o.error_) {
    if (o.has_value()) ::new (static_cast<void*>(&this->value_)) T(std::move(o.value_));
  }
  result_ops& operator=(const result_ops& o) noexcept(std::is_nothrow_copy_constructible_v<T> &&
                                                      std::is_nothrow_copy_assignable_v<T>) {
    assign(o, o.value_);
    return *this;
  }
  result_ops& operator=(result_ops&& o) noexcept(std::is_nothrow_move_constructible_v<T> &&
                                                 std::is_nothrow_move_assignable_v<T>) {
    assign(o, std::move(o.value_));
    return *this;
  }
  ~result_ops() = default;

 private:
  /// `from` is o.value_ as const& or &&; it is only touched when o holds a value.
  template <class From>
  void assign(const result_ops& o, From&& from) {
    if (this->has_value() && o.has_value()) {
      this->value_ = std::forward<From>(from);
    } else if (o.has_value()) {
      ::new (static_cast<void*>(&this->value_)) T(std::forward<From>(from));
    } else if (this->has_value()) {
      this->value_.~T();
    }
    this->error_ = o.error_;
  }
};

#pragma pop_macro("new")

/// Empty bases that delete what T cannot do, so that result<T> copies and moves exactly as T does.
template <bool Copy, bool Move>
struct construct_gate {};
template <>
struct construct_gate<false, true> {
  construct_gate() = default;
  construct_gate(const construct_gate&) = delete;
  construct_gate(construct_gate&&) = default;
  construct_gate& operator=(const construct_gate&) = default;
  construct_gate& operator=(construct_gate&&) = default;
};
template <>
struct construct_gate<false, false> {
  construct_gate() = default;
  construct_gate(const construct_gate&) = delete;
  construct_gate(construct_gate&&) = delete;
  construct_gate& operator=(const construct_gate&) = default;
  construct_gate& operator=(construct_gate&&) = default;
};
template <>
struct construct_gate<true, false> {
  construct_gate() = default;
  construct_gate(const construct_gate&) = default;
  construct_gate(construct_gate&&) = delete;
  construct_gate& operator=(const construct_gate&) = default;
  construct_gate& operator=(construct_gate&&) = default;
};
template <bool Copy, bool Move>
struct assign_gate {};
template <>
struct assign_gate<false, true> {
  assign_gate() = default;
  assign_gate(const assign_gate&) = default;
  assign_gate(assign_gate&&) = default;
  assign_gate& operator=(const assign_gate&) = delete;
  assign_gate& operator=(assign_gate&&) = default;
};
template <>
struct assign_gate<false, false> {
  assign_gate() = default;
  assign_gate(const assign_gate&) = default;
  assign_gate(assign_gate&&) = default;
  assign_gate& operator=(const assign_gate&) = delete;
  assign_gate& operator=(assign_gate&&) = delete;
};
template <>
struct assign_gate<true, false> {
  assign_gate() = default;
  assign_gate(const assign_gate&) = default;
  assign_gate(assign_gate&&) = default;
  assign_gate& operator=(const assign_gate&) = default;
  assign_gate& operator=(assign_gate&&) = delete;
};

template <class T>
using result_construct_gate = construct_gate<std::is_copy_constructible_v<T>, std::is_move_constructible_v<T>>;
template <class T>
using result_assign_gate =
    assign_gate<std::is_copy_constructible_v<T> && std::is_copy_assignable_v<T>,
                std::is_move_constructible_v<T> && std::is_move_assignable_v<T>>;

}  // namespace detail

/// Holds a T or an error, never both and never neither. The T is constructed only when there is one
/// (T needs no default constructor; its destructor runs once, for a stored value); copy and move
/// follow T's. For trivially copyable T the result is trivially copyable and usable in constant
/// expressions.
/// Preconditions (contract violations, see contract.hpp): value(), *, -> only when ok(); the error
/// constructors never get errc::ok (return the value for a success).
template <class T>
class [[nodiscard]] result : private detail::result_ops<T>,
                             private detail::result_construct_gate<T>,
                             private detail::result_assign_gate<T> {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported: hold a pointer");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, error> && !std::is_same_v<std::remove_cv_t<T>, errc>,
                "result<error> and result<errc> would be ambiguous: use status");

 public:
  using value_type = T;

  constexpr result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
      : detail::result_ops<T>(std::move(value)) {}
  /// A failure. Precondition: e.code != errc::ok.
  constexpr result(error e) noexcept : detail::result_ops<T>(detail::failure(e)) {}  // NOLINT: implicit
  /// A failure. Precondition: code != errc::ok.
  constexpr result(errc code, std::size_t offset = 0) noexcept  // NOLINT: implicit by design
      : detail::result_ops<T>(detail::failure(error{code, offset})) {}

  constexpr bool ok() const noexcept { return this->has_value(); }
  constexpr explicit operator bool() const noexcept { return ok(); }

  /// Precondition: ok().
  constexpr const T& value() const& noexcept {
    EMSOCK_EXPECTS_OR(ok(), detail::value_of_an_error);
    return this->value_;
  }
  constexpr T& value() & noexcept {
    EMSOCK_EXPECTS_OR(ok(), detail::value_of_an_error);
    return this->value_;
  }
  constexpr T&& value() && noexcept {
    EMSOCK_EXPECTS_OR(ok(), detail::value_of_an_error);
    return std::move(this->value_);
  }
  constexpr const T& operator*() const& noexcept { return value(); }
  constexpr T& operator*() & noexcept { return value(); }
  constexpr const T* operator->() const noexcept { return &value(); }
  constexpr T* operator->() noexcept { return &value(); }

  /// The value, or `fallback` on an error (never a contract violation).
  constexpr T value_or(T fallback) const& noexcept {
    return ok() ? this->value_ : std::move(fallback);
  }

  /// The error; {errc::ok, 0} on success.
  constexpr error err() const noexcept { return this->error_; }
  constexpr errc code() const noexcept { return this->error_.code; }
  constexpr std::size_t offset() const noexcept { return this->error_.offset; }
};

/// The outcome of an operation that yields no value. Default-constructed, or built from errc::ok,
/// it is a success (there is no value to be missing).
class [[nodiscard]] status {
 public:
  constexpr status() noexcept = default;
  constexpr status(error e) noexcept : error_(e) {}  // NOLINT: implicit by design
  constexpr status(errc code, std::size_t offset = 0) noexcept : error_{code, offset} {}  // NOLINT

  constexpr bool ok() const noexcept { return error_.code == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  constexpr error err() const noexcept { return error_; }
  constexpr errc code() const noexcept { return error_.code; }
  constexpr std::size_t offset() const noexcept { return error_.offset; }

 private:
  error error_{};
};

/// Result of writing text into a caller's buffer, like std::to_chars_result: on success `ptr` is one
/// past the last character written (no NUL is written); on failure code() is errc::buffer_too_small,
/// `ptr` equals the buffer's end and nothing was written.
class [[nodiscard]] to_chars_result {
 public:
  constexpr to_chars_result(char* end, errc code = errc::ok) noexcept : ptr(end), code_(code) {}  // NOLINT

  char* ptr;  ///< one past the last character written; the buffer's end on failure

  constexpr bool ok() const noexcept { return code_ == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  constexpr errc code() const noexcept { return code_; }

 private:
  errc code_;
};

}  // namespace emsock
