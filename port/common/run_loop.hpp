// SPDX-License-Identifier: MIT
// port/common/run_loop.hpp - the run() loop the engines share (internal to port/common).
#pragma once

#include <csignal>

#include "emsock/duration.hpp"
#include "emsock/result.hpp"

namespace emsock {
namespace detail {

/// The longest single wait of a run(): the stop flag is looked at least this often.
inline constexpr milliseconds run_wait{250};

/// Calls round(run_wait) while `stop` is zero and live() holds; a round's interrupted goes on, any
/// other error ends the loop and is returned.
template <class Round, class Live>
status run_until(const volatile std::sig_atomic_t& stop, Round round, Live live) noexcept {
  while (stop == 0 && live()) {
    const status s = round(run_wait);
    if (!s && s.code() != errc::interrupted) return s;
  }
  return {};
}

}  // namespace detail
}  // namespace emsock
