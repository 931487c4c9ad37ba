// SPDX-License-Identifier: MIT
// emsock/port/fake_cpputest.hpp - CppUTest helpers for tests on the fake backend (header only).
//
//   #include "emsock/port/fake_cpputest.hpp"
//
//   TEST_GROUP_BASE(uploader, emsock::fake::test_base) {};   // a fresh fake for every test
//
//   TEST(uploader, sends_one_line) {
//     auto collector = emsock::tcp_listener::listen({emsock::ipv4_address::loopback(), 7000}).value();
//     ... run the code under test ...
//     auto server = collector.accept().value();
//     CHECK_FAKE_RECEIVED(server.stream, "temp=21.5\n");   // what the code sent, consumed
//   }
//
// test_base resets the fake before each test (fake::reset(): empty tables, clock 0) and after it
// fails the test if a blocking call would have waited forever (fake::stalls() != 0). A group that
// needs its own setup()/teardown() must call test_base::setup()/teardown() from them.
//
// The CHECK_FAKE_* macros take a tcp_stream (or anything with native_handle()) or a native handle,
// and name the connection and the bytes (escaped, with the offset of the first difference) when
// they fail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <CppUTest/TestHarness.h>

#include "emsock/port/fake.hpp"

namespace emsock::fake {

/// Base of a test group on the fake: TEST_GROUP_BASE(group, emsock::fake::test_base) {}.
class test_base : public Utest {
 public:
  void setup() override { reset(); }
  void teardown() override {
    const std::size_t n = stalls();
    if (n != 0) {
      reset();  // so that the next test starts clean even though this one failed
      FAIL_TEST(StringFromFormat("%zu blocking call(s) would have waited forever on the fake (a real program "
                                 "would hang there): use timeouts or non-blocking sockets",
                                 n)
                    .asCharString());
    }
  }
};

namespace cpputest_detail {

inline native_handle_type handle_of(native_handle_type h) noexcept { return h; }
template <class Socket>
native_handle_type handle_of(const Socket& s) noexcept {
  return s.native_handle();
}

/// "127.0.0.1:7000"
inline SimpleString text(const endpoint& e) {
  char buffer[endpoint::max_text_len + 1] = {};
  const auto r = e.to_chars(buffer, buffer + endpoint::max_text_len);
  if (r.code() != errc::ok) return "?";
  *r.ptr = '\0';
  return buffer;
}

/// "fake stream 5 (127.0.0.1:7000 <- 127.0.0.1:49152)"
inline SimpleString describe(native_handle_type h) {
  const socket_info i = info(h);
  if (!i.open) return StringFromFormat("fake handle %d (not an open socket)", h);
  return StringFromFormat("fake %s %d (%s <- %s)", i.listener ? "listener" : "stream", h,
                          text(i.local).asCharString(), text(i.peer).asCharString());
}

/// The bytes as a C string literal would show them, at most 160 characters of them.
inline SimpleString escaped(const std::uint8_t* p, std::size_t n) {
  SimpleString out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (shown > 160) {
      out += StringFromFormat("\"... (%zu more bytes)", n - i);
      return out;
    }
    const std::uint8_t c = p[i];
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += StringFromFormat("%c", static_cast<char>(c));
    else out += StringFromFormat("\\x%02x", static_cast<unsigned>(c));
    shown += c >= 0x20 && c < 0x7f ? 1 : 2;
  }
  out += "\"";
  return out;
}

inline void check_received(native_handle_type h, std::string_view expected, const char* file, std::size_t line) {
  UtestShell::getCurrent()->countCheck();
  const socket_info i = info(h);
  if (!i.open || i.listener) {
    FAIL_TEST_LOCATION(StringFromFormat("CHECK_FAKE_RECEIVED: %s is not an open fake stream", describe(h).asCharString())
                           .asCharString(),
                       file, line);
  }
  const const_byte_span got = waiting(h);
  const auto* want = reinterpret_cast<const std::uint8_t*>(expected.data());
  std::size_t same = 0;
  while (same < got.size && same < expected.size() && got.data[same] == want[same]) ++same;
  if (same == expected.size() && got.size == expected.size()) {
    std::uint8_t sink[64];
    while (take(h, sink, sizeof sink) > 0) {
    }
    return;
  }
  const SimpleString message = StringFromFormat(
      "%s received other bytes than expected\n\texpected %s (%zu bytes)\n\tbut was  %s (%zu bytes)\n\tfirst "
      "difference at byte %zu%s",
      describe(h).asCharString(), escaped(want, expected.size()).asCharString(), expected.size(),
      escaped(got.data, got.size).asCharString(), got.size, same,
      i.peer_finished ? " (the peer has sent FIN)" : i.reset ? " (the connection was reset)" : "");
  FAIL_TEST_LOCATION(message.asCharString(), file, line);
}

inline void check_at_end(native_handle_type h, const char* file, std::size_t line) {
  UtestShell::getCurrent()->countCheck();
  const socket_info i = info(h);
  if (i.open && !i.listener && at_end(h)) return;
  const const_byte_span got = waiting(h);
  FAIL_TEST_LOCATION(StringFromFormat("%s is not at end of stream: %s%s", describe(h).asCharString(),
                                      got.size > 0 ? "bytes wait to be read: " : "the peer has not closed",
                                      got.size > 0 ? escaped(got.data, got.size).asCharString() : "")
                         .asCharString(),
                     file, line);
}

}  // namespace cpputest_detail
}  // namespace emsock::fake

/// Checks that exactly `expected` (a string or std::string_view, may hold any bytes) waits to be
/// received on fake stream `stream` - nothing more, nothing less - and consumes it.
#define CHECK_FAKE_RECEIVED(stream, expected)                                                             \
  ::emsock::fake::cpputest_detail::check_received(::emsock::fake::cpputest_detail::handle_of(stream),    \
                                                  std::string_view(expected), __FILE__, __LINE__)

/// Checks that nothing waits to be received on fake stream `stream`.
#define CHECK_FAKE_NOTHING_RECEIVED(stream) CHECK_FAKE_RECEIVED(stream, "")

/// Checks that the peer of fake stream `stream` has closed (FIN or reset) and nothing is left to read.
#define CHECK_FAKE_AT_END(stream) \
  ::emsock::fake::cpputest_detail::check_at_end(::emsock::fake::cpputest_detail::handle_of(stream), __FILE__, __LINE__)

/// Checks that no blocking call would have waited forever so far in this test.
#define CHECK_FAKE_NO_STALLS() UNSIGNED_LONGS_EQUAL_TEXT(0, ::emsock::fake::stalls(), "calls that would have waited forever")
