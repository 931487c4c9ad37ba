// SPDX-License-Identifier: MIT
// telemetry_uploader over emsock's port interface (see telemetry_uploader.hpp).
#include "telemetry_uploader.hpp"

#include <cstring>

#include "emsock/port/clock.hpp"
#include "emsock/port/names.hpp"

namespace demo {

using emsock::errc;

bool telemetry_uploader::submit(std::string_view line) noexcept {
  if (count_ == max_lines || line.empty() || line.size() > max_line_len || line.find('\n') != std::string_view::npos)
    return false;
  const std::size_t slot = (head_ + count_) % max_lines;
  std::memcpy(lines_[slot], line.data(), line.size());
  lines_[slot][line.size()] = '\n';
  lengths_[slot] = line.size() + 1;
  ++count_;
  return true;
}

void telemetry_uploader::connect(std::uint64_t now) noexcept {
  const emsock::result<emsock::ipv4_address> address = emsock::resolve_ipv4(options_.collector);
  if (!address) return fail(address.code(), now);
  emsock::result<emsock::tcp_stream> s = emsock::tcp_stream::connect({*address, options_.port}, emsock::milliseconds{options_.connect_timeout_ms});
  if (!s) return fail(s.code(), now);
  if (const emsock::status nb = s->set_non_blocking(true); !nb) return fail(nb.code(), now);
  stream_ = std::move(s.value());
  sent_ = 0;
  answer_len_ = 0;
}

void telemetry_uploader::fail(errc why, std::uint64_t now) noexcept {
  last_error_ = why;
  ++failures_;
  if (stream_.valid()) (void)stream_.close();
  retry_at_ = now + options_.retry_delay_ms;
}

void telemetry_uploader::answer_received(std::string_view answer) noexcept {
  if (answer == "OK") ++delivered_;
  else ++rejected_;
  head_ = (head_ + 1) % max_lines;
  --count_;
  sent_ = 0;
}

void telemetry_uploader::run() noexcept {
  std::uint64_t now = emsock::monotonic_ms();
  if (!stream_.valid()) {
    if (count_ == 0 || now < retry_at_) return;
    connect(now);
    if (!stream_.valid()) return;
    now = emsock::monotonic_ms();  // a connect may take time
  }
  // Send the rest of the oldest line.
  if (count_ > 0 && sent_ < lengths_[head_]) {
    const emsock::result<std::size_t> n = stream_.send(lines_[head_] + sent_, lengths_[head_] - sent_);
    if (!n && n.code() != errc::would_block) return fail(n.code(), now);
    sent_ += n.value_or(0);
    if (sent_ == lengths_[head_]) reply_deadline_ = now + options_.reply_timeout_ms;
  }
  // Read the answer, one byte at a time up to its '\n' (answers are short).
  for (;;) {
    char c;
    const emsock::result<std::size_t> n = stream_.recv(&c, 1);
    if (!n && n.code() == errc::would_block) break;
    if (!n) return fail(n.code(), now);
    if (*n == 0) return fail(errc::not_connected, now);  // the collector closed
    if (c == '\n') {
      if (count_ > 0 && sent_ == lengths_[head_]) answer_received({answer_, answer_len_});
      answer_len_ = 0;
    } else if (answer_len_ < sizeof answer_) {
      answer_[answer_len_++] = c;
    }
  }
  if (count_ > 0 && sent_ == lengths_[head_] && now >= reply_deadline_) fail(errc::timed_out, now);
}

}  // namespace demo
