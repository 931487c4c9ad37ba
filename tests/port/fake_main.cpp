// SPDX-License-Identifier: MIT
// The fake backend's environment for the port conformance suite, and the test runner.
// The fake is single-threaded (threads_can_wait = false: the cases with a peer thread are skipped
// with a note) and its timeouts run on the fake clock (clock_ms), so the timeout cases measure fake
// milliseconds and take no real time.
#include <cstdio>

#include "conformance.hpp"
#include "emsock/port/fake.hpp"
#include "skip.hpp"

namespace {

std::int64_t fake_clock_ms() { return static_cast<std::int64_t>(emsock::fake::now_ms()); }
void limit_descriptors(std::size_t more) { emsock::fake::set_descriptor_limit(emsock::fake::open_handles() + more); }
void unlimit_descriptors() { emsock::fake::set_descriptor_limit(emsock::fake::max_sockets); }

conformance::environment make_environment() {
  conformance::environment e;
  e.backend = emsock::port_name;
  e.has_ipv6 = true;      // ::1 is as local as 127.0.0.1 in the fake
  e.has_resolver = true;  // from the fake's host table ("localhost") and its services table
  e.open_handles = emsock::fake::open_handles;
  e.threads_can_wait = false;
  e.clock_ms = fake_clock_ms;
  e.limit_descriptors = limit_descriptors;
  e.unlimit_descriptors = unlimit_descriptors;
  e.max_loopback_datagram = emsock::fake::max_datagram;  // what one receive buffer holds
  e.loopback_interface = "lo";                             // the fake's one interface
  return e;
}

}  // namespace

namespace conformance {

const environment& env() {
  static const environment e = make_environment();
  return e;
}

}  // namespace conformance

int main(int argc, char** argv) {
  emsock::fake::reset();
  const conformance::environment& e = conformance::env();
  std::fprintf(stderr, "port conformance: backend %s (in memory, fake clock, single-threaded), %zu descriptors open\n",
               e.backend, e.open_handles());
  const int outcome = emsock_test::run_all_tests(argc, argv);  // 0 / 1, after "N passed, N failed, N skipped"
  if (emsock::fake::stalls() != 0)  // a blocking call that would have hung: the suite must not make one
    std::fprintf(stderr, "fake: %zu calls would have waited forever\n", emsock::fake::stalls());
  return outcome == 0 && emsock::fake::stalls() == 0 ? 0 : 1;
}
