// SPDX-License-Identifier: MIT
// emsock-ip/line_reader.cpp - see line_reader.hpp.
#include "line_reader.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "cli.hpp"

namespace emsock_ip {

namespace {
constexpr std::size_t read_size = 64 * 1024;
}  // namespace

line_reader::line_reader(int fd) : fd_(fd), buffer_(read_size) { spill_.reserve(max_kept + 1); }

bool line_reader::fill() {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n > 0) {
      pos_ = 0;
      end_ = static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno != EINTR) throw io_error{std::string("cannot read standard input: ") + std::strerror(errno)};
  }
}

void line_reader::append(const char* first, std::size_t count) {
  if (count == 0) return;
  // Keep one byte beyond max_kept: a line of max_kept bytes plus '\r' is not too long.
  const std::size_t room = max_kept + 1 - spill_.size();
  spill_.append(first, count < room ? count : room);
  length_ += count;
  last_ = first[count - 1];
}

bool line_reader::next() {
  spill_.clear();
  length_ = 0;
  last_ = '\0';
  bool started = false;  // a byte or the '\n' of this line has been seen
  bool ended = false;    // its '\n' has been seen
  while (!ended) {
    if (pos_ == end_ && (eof_ || !fill())) break;
    const char* first = buffer_.data() + pos_;
    const std::size_t avail = end_ - pos_;
    const void* nl = std::memchr(first, '\n', avail);
    const std::size_t count = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - first) : avail;
    ended = nl != nullptr;
    pos_ += count + (ended ? 1 : 0);
    if (ended && !started && count <= max_kept + 1) {
      // The whole line is in the read buffer: no copy.
      started = true;
      length_ = count;
      last_ = count > 0 ? first[count - 1] : '\0';
      text_ = std::string_view(first, count);
      break;
    }
    started = true;
    append(first, count);
    text_ = spill_;
  }
  if (!started) return false;
  if (length_ > 0 && last_ == '\r') --length_;
  if (text_.size() > length_) text_ = text_.substr(0, length_);
  if (text_.size() > max_kept) text_ = text_.substr(0, max_kept);
  return true;
}

}  // namespace emsock_ip
