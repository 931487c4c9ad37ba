// SPDX-License-Identifier: MIT
// event_set over the backend's poll_set: the registered sockets' records sit at their keys (a free
// key is a record that watches nothing), and wait() lists the ready keys so that the caller visits
// those only. Used by every backend without epoll (lwIP, the fake, POSIX off Linux).
#include "emsock/port/event_set.hpp"

#if !EMSOCK_NATIVE_EPOLL

#include <type_traits>

namespace emsock {

static_assert(std::is_same<native_event_record, native_pollfd>::value,
              "a poll-based event set keeps poll records (native_event_record must be native_pollfd)");

event_set_base::event_set_base(entry* entries, native_event_record* records, std::size_t capacity) noexcept
    : entries_(entries), records_(records), capacity_(capacity), polls_(records, capacity) {}

status event_set_base::open() noexcept {
  native_ = 1;
  return {};
}

void event_set_base::close() noexcept {
  for (std::size_t k = 0; k < capacity_; ++k) entries_[k] = entry{};
  polls_.clear();
  size_ = 0;
  ready_count_ = 0;
  native_ = -1;
}

status event_set_base::add(std::size_t key, native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (!can_add(key, handle)) return errc::invalid_argument;
  (void)polls_.assign(key, handle, want_read, want_write);  // key < capacity: cannot fail
  note(key, handle, want_read, want_write);
  ++size_;
  return {};
}

status event_set_base::modify(std::size_t key, bool want_read, bool want_write) noexcept {
  entry* e = registered(key);
  if (e == nullptr) return errc::invalid_argument;
  if (e->want_read == want_read && e->want_write == want_write) return {};
  (void)polls_.assign(key, e->handle, want_read, want_write);
  note(key, e->handle, want_read, want_write);
  return {};
}

status event_set_base::remove(std::size_t key) noexcept {
  if (registered(key) == nullptr) return errc::invalid_argument;
  (void)polls_.assign(key, invalid_native_handle, false, false);  // never ready again
  const std::uint32_t ready_key = entries_[key].ready_key;
  entries_[key] = entry{};
  entries_[key].ready_key = ready_key;  // the ready list of the last wait lives here too
  --size_;
  return {};
}

result<std::size_t> event_set_base::wait(milliseconds timeout) noexcept {
  if (!is_open()) return errc::invalid_argument;
  ready_count_ = 0;
  const result<std::size_t> n = polls_.wait(timeout);
  if (!n) return n;
  if (n.value() == 0) return std::size_t{0};
  for (std::size_t k = 0; k < polls_.size(); ++k) {
    if (entries_[k].handle == invalid_native_handle || !polls_.events(k).any()) continue;
    entries_[ready_count_++].ready_key = static_cast<std::uint32_t>(k);
  }
  return ready_count_;
}

ready_socket event_set_base::ready(std::size_t i) const noexcept {
  const std::size_t key = entries_[i].ready_key;
  return {key, polls_.events(key)};
}

}  // namespace emsock

#endif  // !EMSOCK_NATIVE_EPOLL
