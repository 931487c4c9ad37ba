// SPDX-License-Identifier: MIT
// event_set over Linux epoll, level-triggered: a socket is registered once (EPOLL_CTL_ADD), changed
// when its interest changes (EPOLL_CTL_MOD) and removed before it is closed (EPOLL_CTL_DEL); a wait
// hands back the ready sockets only, each with its key in epoll_data.
#include "emsock/port/event_set.hpp"

#if EMSOCK_NATIVE_EPOLL

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>

namespace emsock {
namespace {

/// What a socket is watched for. EPOLLRDHUP (the peer's FIN) only with reading, as poll_set does:
/// it stays raised, so a socket waiting to write only would wake at once. EPOLLERR and EPOLLHUP are
/// always reported.
std::uint32_t interest_bits(bool want_read, bool want_write) noexcept {
  return (want_read ? EPOLLIN | EPOLLRDHUP : 0u) | (want_write ? EPOLLOUT : 0u);
}

}  // namespace

event_set_base::event_set_base(entry* entries, native_event_record* records, std::size_t capacity) noexcept
    : entries_(entries), records_(records), capacity_(capacity), polls_(nullptr, 0) {}

status event_set_base::open() noexcept {
  if (native_ >= 0) return {};
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return errc_from_errno(errno);
  native_ = fd;
  return {};
}

void event_set_base::close() noexcept {
  for (std::size_t k = 0; k < capacity_; ++k) entries_[k] = entry{};
  size_ = 0;
  ready_count_ = 0;
  if (native_ >= 0) (void)::close(native_);  // the registrations go with it
  native_ = -1;
}

status event_set_base::add(std::size_t key, native_handle_type handle, bool want_read, bool want_write) noexcept {
  if (!can_add(key, handle)) return errc::invalid_argument;
  epoll_event ev{};
  ev.events = interest_bits(want_read, want_write);
  ev.data.u64 = key;
  if (::epoll_ctl(native_, EPOLL_CTL_ADD, handle, &ev) != 0) {
    // EBADF, EEXIST (the handle is registered under another key), EPERM (not a socket), ELOOP.
    if (errno == ENOMEM) return errc::out_of_memory;
    if (errno == ENOSPC) return errc::too_many_open_files;  // fs.epoll.max_user_watches reached
    return errc::invalid_argument;
  }
  note(key, handle, want_read, want_write);
  ++size_;
  return {};
}

status event_set_base::modify(std::size_t key, bool want_read, bool want_write) noexcept {
  entry* e = registered(key);
  if (e == nullptr) return errc::invalid_argument;
  if (e->want_read == want_read && e->want_write == want_write) return {};
  epoll_event ev{};
  ev.events = interest_bits(want_read, want_write);
  ev.data.u64 = key;
  if (::epoll_ctl(native_, EPOLL_CTL_MOD, e->handle, &ev) != 0)
    return errno == ENOMEM ? errc::out_of_memory : errc::invalid_argument;
  note(key, e->handle, want_read, want_write);
  return {};
}

status event_set_base::remove(std::size_t key) noexcept {
  if (registered(key) == nullptr) return errc::invalid_argument;
  epoll_event ev{};  // ignored by EPOLL_CTL_DEL, but kernels before 2.6.9 wanted one
  const int r = ::epoll_ctl(native_, EPOLL_CTL_DEL, entries_[key].handle, &ev);
  entries_[key] = entry{};
  --size_;
  return r == 0 ? status{} : status{errc::invalid_argument};
}

result<std::size_t> event_set_base::wait(milliseconds timeout) noexcept {
  if (!is_open()) return errc::invalid_argument;
  ready_count_ = 0;
  const result<int> timeout_ms = detail::int_timeout(timeout);  // -1: no limit
  if (!timeout_ms) return timeout_ms.err();
  const int most = capacity_ > 0x7fffffff ? 0x7fffffff : static_cast<int>(capacity_);
  const int n = ::epoll_wait(native_, records_, most, timeout_ms.value());
  if (n < 0) return errc_from_errno(errno);  // EINTR -> interrupted, deliberately not restarted
  ready_count_ = static_cast<std::size_t>(n);
  return ready_count_;
}

ready_socket event_set_base::ready(std::size_t i) const noexcept {
  const std::uint32_t re = records_[i].events;
  ready_socket r;
  r.key = static_cast<std::size_t>(records_[i].data.u64);
  r.events.readable = (re & EPOLLIN) != 0;
  r.events.writable = (re & EPOLLOUT) != 0;
  r.events.hangup = (re & (EPOLLHUP | EPOLLRDHUP)) != 0;
  r.events.error = (re & EPOLLERR) != 0;
  return r;
}

}  // namespace emsock

#endif  // EMSOCK_NATIVE_EPOLL
