// SPDX-License-Identifier: MIT
// examples/emsock-echo-load/load_common.hpp - what the TCP and the UDP (--udp) load share: the
// clock, the data streams (byte k of stream `key` is a pure function, so nothing sent is stored)
// and the latency histogram.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace emsock_examples {

/// Microseconds from the steady clock (arbitrary epoch).
inline std::uint64_t now_us() noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

/// splitmix64: seeds and keys from the user's seed.
inline std::uint64_t splitmix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

/// Word `index` of the stream with `key`: cheap (one multiply) because the client shares the CPU
/// with the server under test; distinct per index, and streams of different keys differ.
inline std::uint64_t stream_word(std::uint64_t key, std::uint64_t index) noexcept {
  const std::uint64_t w = (index ^ key) * 0x9e3779b97f4a7c15u;
  return w ^ (w >> 32);
}

/// Bytes [offset, offset + n) of the stream with `key` (in the words' native byte order: the same
/// process generates and verifies, so the order only has to be consistent).
inline void fill_stream(std::uint64_t key, std::uint64_t offset, std::uint8_t* out, std::size_t n) noexcept {
  while (n > 0 && (offset & 7) != 0) {  // head, up to the next word boundary
    const std::uint64_t w = stream_word(key, offset >> 3);
    std::uint8_t bytes[8];
    std::memcpy(bytes, &w, 8);
    *out++ = bytes[offset & 7];
    ++offset;
    --n;
  }
  for (; n >= 8; n -= 8, offset += 8, out += 8) {
    const std::uint64_t w = stream_word(key, offset >> 3);
    std::memcpy(out, &w, 8);
  }
  if (n > 0) {
    const std::uint64_t w = stream_word(key, offset >> 3);
    std::memcpy(out, &w, n);
  }
}

/// Compares `data` with bytes [offset, offset + n) of the stream: returns n when all match, else the
/// index of the first byte that differs.
inline std::size_t verify_stream(std::uint64_t key, std::uint64_t offset, const std::uint8_t* data, std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n && ((offset + i) & 7) != 0) {
    const std::uint64_t w = stream_word(key, (offset + i) >> 3);
    std::uint8_t bytes[8];
    std::memcpy(bytes, &w, 8);
    if (data[i] != bytes[(offset + i) & 7]) return i;
    ++i;
  }
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t w = stream_word(key, (offset + i) >> 3);
    std::uint64_t got;
    std::memcpy(&got, data + i, 8);
    if (got != w) break;  // find the byte below
  }
  if (i < n) {
    std::uint8_t expected[8];
    const std::size_t rest = std::min<std::size_t>(8, n - i);
    fill_stream(key, offset + i, expected, rest);
    for (std::size_t j = 0; j < rest; ++j)
      if (data[i + j] != expected[j]) return i + j;
    return n;  // only reached when the tail matched
  }
  return n;
}

/// A log-linear histogram of microseconds: exact below 64, then 32 buckets per power of two.
class latency_histogram {
 public:
  void add(std::uint64_t us) noexcept {
    ++counts_[index(us)];
    ++total_;
    max_ = std::max(max_, us);
  }
  std::uint64_t total() const noexcept { return total_; }
  std::uint64_t max() const noexcept { return max_; }

  /// Nearest-rank percentile p (0 < p <= 100): the upper bound of the bucket holding the rank,
  /// capped at the exact maximum. 0 when empty.
  std::uint64_t percentile(double p) const noexcept {
    if (total_ == 0) return 0;
    std::uint64_t rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total_) + 0.999999);
    rank = std::clamp<std::uint64_t>(rank, 1, total_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_bound(i), max_);
    }
    return max_;
  }

 private:
  static constexpr std::size_t sub_bits = 5;
  static constexpr std::size_t linear = 64;
  static constexpr std::size_t buckets = linear + (64 - 6) * (std::size_t{1} << sub_bits);

  static std::size_t index(std::uint64_t v) noexcept {
    if (v < linear) return static_cast<std::size_t>(v);
    const unsigned e = 63u - static_cast<unsigned>(__builtin_clzll(v));  // >= 6
    const std::size_t m = static_cast<std::size_t>((v >> (e - sub_bits)) & ((1u << sub_bits) - 1));
    return linear + (e - 6) * (std::size_t{1} << sub_bits) + m;
  }
  static std::uint64_t upper_bound(std::size_t i) noexcept {
    if (i < linear) return i;
    const std::size_t e = (i - linear) / (std::size_t{1} << sub_bits) + 6;
    const std::uint64_t m = (i - linear) % (std::size_t{1} << sub_bits);
    const std::uint64_t base = (std::uint64_t{1} << e) | (m << (e - sub_bits));
    return base + (std::uint64_t{1} << (e - sub_bits)) - 1;
  }

  std::uint64_t counts_[buckets] = {};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace emsock_examples
