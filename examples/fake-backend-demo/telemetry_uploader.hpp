// SPDX-License-Identifier: MIT
// telemetry_uploader - a small component of the kind firmware teams write, used by the
// fake-backend-demo to show how such code is unit-tested on the host with emsock::fake.
//
// It sends sensor readings to a collector over TCP, one line each ("temp=21.5\n"), and a line
// counts as delivered when the collector answers "OK\n" (anything else rejects it). One line is in
// flight at a time; a line is sent again after any failure, so delivery is at least once. It is
// written against emsock's port interface only, so the same source builds for lwIP on the device,
// for POSIX on a Linux gateway, and for the fake backend in the tests.
//
// Driving: call run() from the main loop. It never waits, except in connect (bounded by
// options::connect_timeout_ms); failures close the connection and retry after retry_delay_ms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emsock/error.hpp"
#include "emsock/port/socket.hpp"

namespace demo {

class telemetry_uploader {
 public:
  static constexpr std::size_t max_lines = 4;     ///< readings queued at most
  static constexpr std::size_t max_line_len = 47; ///< bytes per reading, without the '\n'

  struct options {
    std::string_view collector;          ///< host name, resolved at every connect; must outlive the uploader
    std::uint16_t port = 7000;
    int connect_timeout_ms = 2000;
    std::uint64_t reply_timeout_ms = 1000;  ///< silence after a whole line is a failure (timed_out)
    std::uint64_t retry_delay_ms = 500;     ///< wait after a failure before connecting again
  };

  explicit telemetry_uploader(const options& o) noexcept : options_(o) {}

  /// Queues one reading (without the '\n'). False, queuing nothing, when the queue is full or the
  /// line is empty, longer than max_line_len or holds a '\n'.
  bool submit(std::string_view line) noexcept;

  /// One step: connects when there is something to send (after the retry delay), sends the oldest
  /// line, reads the answer, fails on silence. Never blocks beyond the connect timeout.
  void run() noexcept;

  std::size_t queued() const noexcept { return count_; }
  bool connected() const noexcept { return stream_.valid(); }
  std::uint32_t delivered() const noexcept { return delivered_; }
  std::uint32_t rejected() const noexcept { return rejected_; }
  std::uint32_t failures() const noexcept { return failures_; }
  /// Why the last connection ended or could not be made: the resolver's or socket's errc,
  /// not_connected when the collector closed, timed_out when it did not answer.
  emsock::errc last_error() const noexcept { return last_error_; }

 private:
  void connect(std::uint64_t now) noexcept;
  void fail(emsock::errc why, std::uint64_t now) noexcept;
  void answer_received(std::string_view answer) noexcept;

  options options_;
  emsock::tcp_stream stream_;
  char lines_[max_lines][max_line_len + 1] = {};  // each with its '\n'
  std::size_t lengths_[max_lines] = {};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t sent_ = 0;  // bytes of the head line sent on this connection
  char answer_[8] = {};
  std::size_t answer_len_ = 0;
  std::uint64_t reply_deadline_ = 0;
  std::uint64_t retry_at_ = 0;
  std::uint32_t delivered_ = 0;
  std::uint32_t rejected_ = 0;
  std::uint32_t failures_ = 0;
  emsock::errc last_error_ = emsock::errc::ok;
};

}  // namespace demo
