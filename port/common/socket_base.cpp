// SPDX-License-Identifier: MIT
// What every backend's sockets do alike: moving and releasing the owned handle (socket_base), and
// send_all over the backend's send(). The backend provides the rest.
#include "emsock/port/socket.hpp"

namespace emsock::detail {

socket_base::socket_base(socket_base&& other) noexcept : handle_(other.handle_), non_blocking_(other.non_blocking_) {
  other.handle_ = invalid_native_handle;
  other.non_blocking_ = false;
}

socket_base& socket_base::operator=(socket_base&& other) noexcept {
  if (this != &other) {
    (void)close();
    handle_ = other.handle_;
    non_blocking_ = other.non_blocking_;
    other.handle_ = invalid_native_handle;
    other.non_blocking_ = false;
  }
  return *this;
}

native_handle_type socket_base::release() noexcept {
  const native_handle_type h = handle_;
  handle_ = invalid_native_handle;
  non_blocking_ = false;
  return h;
}

}  // namespace emsock::detail

namespace emsock {

send_all_result tcp_stream::send_all(const void* data, std::size_t size) noexcept {
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (!valid() || (data == nullptr && size > 0)) return send_all_result(0, errc::invalid_argument);
  std::size_t sent = 0;
  while (sent < size) {
    const auto n = send(bytes + sent, size - sent);
    if (!n) return send_all_result(sent, n.code());
    // A stream never takes 0 of a non-empty buffer without an error: do not spin.
    if (n.value() == 0) return send_all_result(sent, errc::system_error);
    sent += n.value();
  }
  return send_all_result(sent);
}

}  // namespace emsock
