// emsock/result.hpp - value-or-error, without exceptions or heap.
#pragma once

#include <type_traits>
#include <utility>

#include "emsock/error.hpp"

namespace emsock {

/// Holds a T or an error. T must be default-constructible (the failed state keeps a default T) and
/// movable. Reading value() of a failed result is a precondition violation: check ok() first.
template <class T>
class [[nodiscard]] result {
 public:
  constexpr result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
      : value_(std::move(value)) {}
  constexpr result(error e) noexcept : error_(e) {}  // NOLINT: implicit by design
  constexpr result(errc code, std::size_t offset = 0) noexcept : error_{code, offset} {}

  constexpr bool ok() const noexcept { return error_.code == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }

  /// Precondition: ok().
  constexpr const T& value() const& noexcept { return value_; }
  constexpr T& value() & noexcept { return value_; }
  constexpr T&& value() && noexcept { return std::move(value_); }
  constexpr const T& operator*() const& noexcept { return value_; }
  constexpr const T* operator->() const noexcept { return &value_; }
  constexpr T* operator->() noexcept { return &value_; }

  constexpr T value_or(T fallback) const noexcept { return ok() ? value_ : fallback; }

  constexpr error err() const noexcept { return error_; }
  constexpr errc code() const noexcept { return error_.code; }
  constexpr std::size_t offset() const noexcept { return error_.offset; }

 private:
  T value_{};
  error error_{};
};

/// The outcome of an operation that yields no value.
class [[nodiscard]] status {
 public:
  constexpr status() noexcept = default;
  constexpr status(error e) noexcept : error_(e) {}  // NOLINT: implicit by design
  constexpr status(errc code, std::size_t offset = 0) noexcept : error_{code, offset} {}

  constexpr bool ok() const noexcept { return error_.code == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  constexpr error err() const noexcept { return error_; }
  constexpr errc code() const noexcept { return error_.code; }
  constexpr std::size_t offset() const noexcept { return error_.offset; }

 private:
  error error_{};
};

/// Result of writing text into a caller's buffer, like std::to_chars_result: on success `ptr` is one
/// past the last character written (no NUL is written); on failure `ec` is errc::buffer_too_small,
/// `ptr` equals the buffer's end and nothing was written.
struct to_chars_result {
  char* ptr;
  errc ec;
};

}  // namespace emsock
