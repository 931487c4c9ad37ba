// SPDX-License-Identifier: MIT
// Unit tests of telemetry_uploader on emsock's fake backend: how to test your own networking code on
// the host, deterministically, including what real networks do to it.
//
// The recipe:
//   1. Base the group on emsock::fake::test_base: every test starts with a fresh fake (no sockets,
//      clock at 0, only "localhost" in the host table) and fails if a blocking call would have hung.
//   2. Build the world the code expects with ordinary emsock calls and the fake's table: here a
//      collector host name (fake::add_host) and a listener playing the collector.
//   3. Drive the code under test and the peer alternately in the test's own thread. Nothing happens
//      behind your back: bytes arrive when sent, time passes only when you call fake::advance().
//   4. Check what went over the wire with CHECK_FAKE_RECEIVED, and answer as the peer would.
//   5. Script the faults (fake::set_default_faults, fail_connect, fail_resolve, ...) and check that
//      the code reports them with the errc the real backends give and recovers.
#include "emsock/port/fake_cpputest.hpp"

#include <CppUTest/CommandLineTestRunner.h>

#include <cstring>

#include "emsock/port/socket.hpp"
#include "telemetry_uploader.hpp"

namespace fake = emsock::fake;
using emsock::errc;
using namespace std::chrono_literals;

TEST_GROUP_BASE(telemetry_uploader, fake::test_base) {
  // The collector: a host name the uploader resolves, and a listener on it.
  const emsock::ipv4_address collector_address{10, 0, 0, 2};
  emsock::tcp_listener collector;
  emsock::tcp_stream from_uploader;  // the collector's end of the uploader's connection

  demo::telemetry_uploader::options options() {
    demo::telemetry_uploader::options o;
    o.collector = "collector.lan";
    o.port = 7000;
    o.reply_timeout_ms = 1000;
    o.retry_delay_ms = 500;
    return o;
  }

  void setup() override {
    fake::test_base::setup();  // a fresh fake first
    CHECK(fake::add_host("collector.lan", collector_address).ok());
    CHECK(fake::add_local_address(collector_address).ok());
    auto l = emsock::tcp_listener::listen({collector_address, 7000});
    CHECK(l.ok());
    collector = std::move(l).value();
    CHECK(collector.set_non_blocking(true).ok());
  }

  /// The collector takes the uploader's (next) connection.
  void accept_uploader() {
    auto a = collector.accept();
    STRCMP_EQUAL("ok", emsock::name(a.code()));
    from_uploader = std::move(a->stream);
  }

  /// The collector answers.
  void answer(const char* text) {
    CHECK(from_uploader.send_all(text, std::strlen(text)).ok());
  }
};

TEST(telemetry_uploader, sends_a_reading_and_counts_it_delivered_after_the_ok) {
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));

  up.run();  // connects and sends the line
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
  UNSIGNED_LONGS_EQUAL(0, up.delivered());  // not before the collector says so

  answer("OK\n");
  up.run();
  UNSIGNED_LONGS_EQUAL(1, up.delivered());
  UNSIGNED_LONGS_EQUAL(0, up.queued());
}

TEST(telemetry_uploader, sends_the_next_line_only_after_the_answer_to_the_previous_one) {
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  CHECK(up.submit("rh=40"));
  up.run();
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
  up.run();
  CHECK_FAKE_NOTHING_RECEIVED(from_uploader);  // still waiting for the first answer
  answer("ERR full\n");                        // a rejection is an answer too
  up.run();
  up.run();
  CHECK_FAKE_RECEIVED(from_uploader, "rh=40\n");
  UNSIGNED_LONGS_EQUAL(1, up.rejected());
}

TEST(telemetry_uploader, copes_with_partial_sends) {
  fake::stream_faults three_bytes;
  three_bytes.max_send = 3;  // every send of every new connection takes at most 3 bytes
  fake::set_default_faults(three_bytes);
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  for (int i = 0; i < 4; ++i) up.run();  // 10 bytes, 3 at a time
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
}

TEST(telemetry_uploader, retries_after_the_retry_delay_when_the_connection_is_refused) {
  CHECK(fake::fail_connect({collector_address, 7000}, errc::connection_refused, 1).ok());
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  STRCMP_EQUAL("connection_refused", emsock::name(up.last_error()));
  CHECK_FALSE(up.connected());

  fake::advance(499ms);
  up.run();  // too early to try again
  CHECK_FALSE(up.connected());
  fake::advance(1ms);
  up.run();
  CHECK(up.connected());
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
}

TEST(telemetry_uploader, a_connect_timeout_costs_the_connect_timeout) {
  CHECK(fake::fail_connect({collector_address, 7000}, errc::timed_out, 1).ok());
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  STRCMP_EQUAL("timed_out", emsock::name(up.last_error()));
  UNSIGNED_LONGS_EQUAL(2000, fake::now_ms());  // options::connect_timeout_ms, on the fake clock
}

TEST(telemetry_uploader, resends_the_line_after_a_reset_in_the_middle_of_it) {
  fake::stream_faults f;
  f.reset_after_bytes = 5;  // the first connection dies after "temp="
  fake::set_default_faults(f);
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=");
  up.run();
  STRCMP_EQUAL("connection_reset", emsock::name(up.last_error()));

  fake::set_default_faults({});  // the next connection is healthy
  fake::advance(500ms);
  up.run();
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");  // at least once: the whole line again
}

TEST(telemetry_uploader, gives_up_on_a_silent_collector_and_sends_again) {
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
  fake::advance(1000ms);  // no answer within reply_timeout_ms
  up.run();
  STRCMP_EQUAL("timed_out", emsock::name(up.last_error()));
  CHECK_FAKE_AT_END(from_uploader);  // the uploader closed its side
  fake::advance(500ms);
  up.run();
  accept_uploader();
  CHECK_FAKE_RECEIVED(from_uploader, "temp=21.5\n");
}

TEST(telemetry_uploader, notices_the_collector_closing) {
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  accept_uploader();
  CHECK(from_uploader.shutdown(emsock::shutdown_how::write).ok());  // the collector sends FIN
  up.run();
  STRCMP_EQUAL("not_connected", emsock::name(up.last_error()));
  CHECK_FALSE(up.connected());
}

TEST(telemetry_uploader, a_name_that_does_not_resolve_now_is_tried_again) {
  CHECK(fake::fail_resolve("collector.lan", errc::name_temporary_failure, 1).ok());
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  STRCMP_EQUAL("name_temporary_failure", emsock::name(up.last_error()));
  fake::advance(500ms);
  up.run();
  CHECK(up.connected());
}

TEST(telemetry_uploader, no_descriptor_left_is_reported_and_retried) {
  fake::set_descriptor_limit(fake::open_handles());  // the collector's listener took the last one
  demo::telemetry_uploader up(options());
  CHECK(up.submit("temp=21.5"));
  up.run();
  STRCMP_EQUAL("too_many_open_files", emsock::name(up.last_error()));
  fake::set_descriptor_limit(fake::max_sockets);
  fake::advance(500ms);
  up.run();
  CHECK(up.connected());
}

TEST(telemetry_uploader, refuses_what_does_not_fit) {
  demo::telemetry_uploader up(options());
  CHECK_FALSE(up.submit(""));
  CHECK_FALSE(up.submit("a\nb"));
  CHECK_FALSE(up.submit(std::string_view("0123456789012345678901234567890123456789012345678")));
  for (std::size_t i = 0; i < demo::telemetry_uploader::max_lines; ++i) CHECK(up.submit("x=1"));
  CHECK_FALSE(up.submit("x=1"));
  up.run();  // nothing blocks although nobody accepts or answers
  CHECK(up.connected());
}

int main(int argc, char** argv) { return CommandLineTestRunner::RunAllTests(argc, argv) == 0 ? 0 : 1; }
