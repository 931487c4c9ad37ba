// SPDX-License-Identifier: MIT
// Fuzz target: emsock::echo_session_base driven by a sequence of events decoded from the input,
// checked against a small independent model after every event. Aborts on the first violation.
//
// Input: byte 0 -> capacity 1..32 (caller storage), byte 1 -> idle timeout (0 = none, else 1..255 ms),
// then pairs (op, arg):
//   op % 8 == 0  receive arg % (lent + 1) bytes (contents from the following input bytes)
//   op % 8 == 1  send arg % (pending + 1) bytes (checked against the model's FIFO)
//   op % 8 == 2  tick: now += arg, on_tick(now)
//   op % 8 == 3  peer FIN
//   op % 8 == 4  reset
//   op % 8 == 5  transport error with errc(arg)
//   op % 8 == 6  misuse: receive (arg even) or send (arg odd) more than lent / pending
//   op % 8 == 7  arg odd: restart(now); arg even: the clock goes back by arg ms
// Invariants: bytes out == bytes in, in order; held <= capacity; close is asked for only when drained
// after FIN, on idle timeout, reset or error; refused calls return invalid_argument and change nothing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "emsock/echo_session.hpp"
#include "../support/echo_session_snapshot.hpp"
#include "fuzz_events.hpp"

namespace {

using emsock_test::reader;

using emsock::byte_span;
using emsock::const_byte_span;
using emsock::echo_interest;
using emsock::echo_session_base;
using emsock::echo_state;
using emsock::errc;

constexpr std::size_t max_capacity = 32;

/// The expected behaviour, written independently of the session: a FIFO and the rules of the header.
struct model {
  std::size_t capacity = 0;
  std::uint64_t timeout = 0;
  std::uint8_t fifo[max_capacity] = {};
  std::size_t head = 0;
  std::size_t count = 0;
  std::uint64_t last = 0;
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
  echo_state state = echo_state::open;

  bool live() const { return state == echo_state::open || state == echo_state::draining; }
  void push(std::uint8_t b) {
    fifo[(head + count) % capacity] = b;
    ++count;
    ++received;
  }
  std::uint8_t at(std::size_t i) const { return fifo[(head + i) % capacity]; }
  void pop(std::size_t n) {
    head = (head + n) % capacity;
    count -= n;
    sent += n;
    if (count == 0) head = 0;  // documented: an empty ring stores the next byte at index 0
  }
  void activity(std::uint64_t now) {
    if (now > last) last = now;
  }
  void restart(std::uint64_t now) {
    head = count = 0;
    received = sent = 0;
    last = now;
    state = echo_state::open;
  }
};

using emsock_test::snapshot;

void check_against_model(const echo_session_base& s, const model& m, const std::uint8_t* storage) {
  FUZZ_CHECK(s.state() == m.state);
  FUZZ_CHECK(s.held() <= s.capacity());
  FUZZ_CHECK(s.capacity() == m.capacity);
  FUZZ_CHECK(s.held() == m.count);
  FUZZ_CHECK(s.total_received() == m.received);
  FUZZ_CHECK(s.total_sent() == m.sent);
  FUZZ_CHECK(s.total_received() - s.total_sent() == s.held());
  FUZZ_CHECK(s.last_activity_ms() == m.last);

  // What to send next: a prefix of the model's FIFO, inside the storage, never empty while bytes are held.
  const const_byte_span p = s.pending_send();
  if (m.live()) {
    FUZZ_CHECK(p.size <= m.count);
    FUZZ_CHECK((p.size == 0) == (m.count == 0));
    for (std::size_t i = 0; i < p.size; ++i) FUZZ_CHECK(p.data[i] == m.at(i));
  } else {
    FUZZ_CHECK(p.size == 0);
  }
  if (p.size != 0) {
    FUZZ_CHECK(p.data == storage + m.head);
    // Contiguous: everything held, or up to the storage's end when the held bytes wrap.
    FUZZ_CHECK(p.size == (m.head + m.count <= m.capacity ? m.count : m.capacity - m.head));
  }

  // Where to receive: only while open and not full; inside the storage; never over a held byte.
  const byte_span sp = s.receive_space();
  FUZZ_CHECK(sp.size <= m.capacity - m.count);
  FUZZ_CHECK((sp.size != 0) == (m.state == echo_state::open && m.count < m.capacity));
  if (sp.size != 0) {
    FUZZ_CHECK(sp.data >= storage && sp.data + sp.size <= storage + m.capacity);
    const std::size_t first = static_cast<std::size_t>(sp.data - storage);
    FUZZ_CHECK(first == (m.head + m.count) % m.capacity);
    // Contiguous up to the storage's end or the oldest held byte, whichever comes first.
    const std::size_t limit = m.head + m.count < m.capacity ? m.capacity : m.head;
    FUZZ_CHECK(sp.size == limit - first);
  }

  // Interest and close: close only in the end states, and those are reached only by the model's rules.
  const echo_interest i = s.interest();
  FUZZ_CHECK(i.close == !m.live());
  FUZZ_CHECK(i.read == (sp.size != 0));
  FUZZ_CHECK(i.write == (p.size != 0));
  FUZZ_CHECK(!i.shutdown_write);
  if (m.state == echo_state::finished) FUZZ_CHECK(m.count == 0);

  // poll_at: last activity + timeout while live with a timeout.
  const std::uint64_t expected = (m.live() && m.timeout != 0) ? m.last + m.timeout : echo_session_base::no_deadline;
  FUZZ_CHECK(s.poll_at() == expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in{data, size};
  if (size < 2) return 0;
  std::uint8_t storage[max_capacity];
  model m;
  m.capacity = 1 + in.next() % max_capacity;
  m.timeout = in.next();
  std::uint64_t now = 1000;  // room for the clock to go back
  m.last = now;
  echo_session_base s{storage, m.capacity, emsock::milliseconds{static_cast<emsock::milliseconds::rep>(m.timeout)}, now};
  check_against_model(s, m, storage);

  while (in.more()) {
    const std::uint8_t op = in.next();
    const std::uint8_t arg = in.next();
    switch (op % 8) {
      case 0: {  // receive
        const byte_span sp = s.receive_space();
        const std::size_t k = arg % (sp.size + 1);
        for (std::size_t i = 0; i < k; ++i) sp.data[i] = in.next();
        FUZZ_CHECK(s.on_received(k, now).ok());
        for (std::size_t i = 0; i < k; ++i) m.push(sp.data[i]);
        if (k != 0) m.activity(now);
        break;
      }
      case 1: {  // send (the bytes were checked against the FIFO by check_against_model)
        const const_byte_span p = s.pending_send();
        const std::size_t k = arg % (p.size + 1);
        FUZZ_CHECK(s.on_sent(k, now).ok());
        m.pop(k);
        if (k != 0) m.activity(now);
        if (m.state == echo_state::draining && m.count == 0) m.state = echo_state::finished;
        break;
      }
      case 2: {  // tick
        now += arg;
        s.on_tick(now);
        if (m.live() && m.timeout != 0 && now >= m.last && now - m.last >= m.timeout) m.state = echo_state::timed_out;
        break;
      }
      case 3: {  // peer FIN
        const snapshot before{s};
        const bool accepted = s.on_peer_closed(now).ok();
        FUZZ_CHECK(accepted == (m.state == echo_state::open));
        if (accepted) {
          m.activity(now);
          m.state = m.count == 0 ? echo_state::finished : echo_state::draining;
        } else {
          FUZZ_CHECK(snapshot{s} == before);
        }
        break;
      }
      case 4: {  // reset
        const snapshot before{s};
        const bool accepted = s.on_reset().ok();
        FUZZ_CHECK(accepted == m.live());
        if (accepted) {
          m.state = echo_state::reset;
          FUZZ_CHECK(s.error() == errc::connection_reset);
        } else {
          FUZZ_CHECK(snapshot{s} == before);
        }
        break;
      }
      case 5: {  // transport error
        const errc code = static_cast<errc>(arg % (static_cast<unsigned>(errc::system_error) + 1));
        const bool transient = code == errc::ok || code == errc::would_block || code == errc::interrupted ||
                               code == errc::in_progress;
        const snapshot before{s};
        const emsock::status st = s.on_error(code);
        FUZZ_CHECK(st.ok() == (m.live() && !transient));
        if (st.ok()) {
          m.state = code == errc::connection_reset ? echo_state::reset : echo_state::failed;
          FUZZ_CHECK(s.error() == code);
        } else {
          FUZZ_CHECK(st.code() == errc::invalid_argument);
          FUZZ_CHECK(snapshot{s} == before);
        }
        break;
      }
      case 6: {  // misuse: more than lent or pending
        const snapshot before{s};
        const std::size_t extra = 1 + static_cast<std::size_t>(arg >> 1);
        const emsock::status st = (arg & 1) == 0 ? s.on_received(s.receive_space().size + extra, now + 1)
                                                 : s.on_sent(s.pending_send().size + extra, now + 1);
        FUZZ_CHECK(st.code() == errc::invalid_argument);
        FUZZ_CHECK(snapshot{s} == before);
        break;
      }
      default: {  // 7: restart, or the clock goes back
        if ((arg & 1) != 0) {
          s.restart(now);
          m.restart(now);
        } else {
          now -= arg < now ? arg : now;
        }
        break;
      }
    }
    check_against_model(s, m, storage);
  }
  return 0;
}
