// SPDX-License-Identifier: MIT
// poll_set_base::assign over the backend's add(): records are written where add() writes them.
#include "emsock/port/poll_set.hpp"

namespace emsock {

status poll_set_base::assign(std::size_t index, native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (index >= capacity_) return errc::buffer_too_small;
  const std::size_t keep = size_ > index ? size_ : index + 1;
  while (size_ < index) (void)add(invalid_native_handle, false, false);  // the gap watches nothing
  size_ = index;
  (void)add(handle, want_read, want_write);
  size_ = keep;
  return {};
}

}  // namespace emsock
