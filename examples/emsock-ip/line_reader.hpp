// SPDX-License-Identifier: MIT
// emsock-ip/line_reader.hpp - lines of a file descriptor, in bounded memory, never split.
//
// A line is everything up to a '\n' (or the end of input), without the '\n' and without one
// trailing '\r' (CRLF files). Every byte is part of the line, NUL included; an empty line is a
// line; the last line need not end with '\n'. A line longer than max_kept bytes is still one line:
// its first max_kept bytes are kept, the rest is counted and skipped, and too_long() says so.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emsock_ip {

class line_reader {
 public:
  /// Bytes of one line kept in memory: far above any address text (the longest canonical one is
  /// 61 characters), so only junk is cut.
  static constexpr std::size_t max_kept = 65536;

  /// Reads from `fd` (not owned). read(2) is used directly, so an interactive terminal gets an
  /// answer per line rather than per 64 KiB.
  explicit line_reader(int fd);

  /// Advances to the next line; false at the end of input. Throws io_error when read(2) fails.
  bool next();

  /// The current line (valid until the next call to next()). When too_long(), only its first
  /// max_kept bytes.
  std::string_view text() const noexcept { return text_; }
  /// The full length of the current line, even when too_long().
  std::size_t length() const noexcept { return length_; }
  /// The current line is longer than max_kept: text() is only its beginning.
  bool too_long() const noexcept { return length_ > max_kept; }

 private:
  bool fill();
  void append(const char* first, std::size_t count);

  int fd_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::string spill_;  ///< a line that spans reads is gathered here (at most max_kept + 1 bytes)
  std::string_view text_;
  std::size_t length_ = 0;
  char last_ = '\0';  ///< last byte of the current line, kept or not (for the '\r' rule)
};

}  // namespace emsock_ip
