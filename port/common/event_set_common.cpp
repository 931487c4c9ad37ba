// SPDX-License-Identifier: MIT
// What every event_set backend shares: the record of what each key holds.
#include "emsock/port/event_set.hpp"

namespace emsock {

void event_set_base::note(std::size_t key, native_handle_type handle, bool want_read, bool want_write) noexcept {
  entries_[key].handle = handle;
  entries_[key].want_read = want_read;
  entries_[key].want_write = want_write;
}

}  // namespace emsock
