// SPDX-License-Identifier: MIT
// Fuzz target: emsock/datagram_echo.hpp. Aborts on the first violation.
//
// Byte 0, bit 0 chooses the part:
//
// 0: the echo server session (and a standalone queue) driven by events decoded from the input and
//    checked against a FIFO model after every event. Bytes 1, 2: max datagrams 1..8, byte capacity
//    1..64 (caller storage). Then pairs (op, arg):
//      op % 8 == 0  a datagram of arg % 80 bytes arrives from peer op / 8 (contents from the input): into
//                   the lent space when it fits, else reported cut (arg odd: real length, even: unknown)
//      op % 8 == 1  the pending datagram is sent (checked against the model's FIFO)
//      op % 8 == 2  sending it fails with errc(arg)
//      op % 8 == 3  stop()
//      op % 8 == 4  on_error(errc(arg))
//      op % 8 == 5  misuse: more than lent, a cut length that fitted, a send with nothing pending
//      op % 8 == 6  restart()
//      op % 8 == 7  the standalone queue: push arg % 80 bytes (arg < 128) or pop
//    Invariants: datagrams leave whole, unchanged, in order, to their senders; stored datagrams never
//    overlap; received == echoed + dropped + queued (datagrams and bytes); a refusal's reason is the
//    right one (too_large iff longer than the capacity, no_record iff every record is used); an empty
//    queue stores anything up to its capacity; refused calls change nothing.
//
// 1: the echo client and the server through a network that drops, duplicates, reorders, corrupts
//    (payload bytes) and cuts datagrams. Bytes 1..6: count 1..32, size 5..48, window 1..4, flight records
//    window..8, retries 0..3, timeout 1..64 ms, linger 0..31 ms, payload or pattern. Then ops that
//    move, drop, duplicate, corrupt or cut a datagram in transit, or let time pass. Then the network
//    goes quiet and time passes until the run ends, which it must within count * (retries + 1)
//    timeouts. Invariants: a reply is a mismatch exactly when it equals no datagram the client sent;
//    the counts add up (sent == started + retries, echoed + lost <= count); the outcome
//    follows the precedence failed > mismatched > lost > duplicated > all_echoed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "emsock/byte_order.hpp"
#include "emsock/datagram_echo.hpp"
#include "../support/datagram_echo_snapshot.hpp"
#include "fuzz_events.hpp"

namespace {

using namespace emsock;
using emsock_test::datagram_client_snapshot;
using emsock_test::datagram_session_snapshot;
using emsock_test::queue_snapshot;
using emsock_test::reader;

endpoint peer(unsigned id) {
  return endpoint{ipv4_address::from_uint(0x0a000000u + id), static_cast<std::uint16_t>(1000 + id)};
}

/// The code a refusal for `reason` is reported with.
errc code_for(datagram_drop reason) {
  return reason == datagram_drop::too_large ? errc::message_too_long : errc::buffer_too_small;
}

errc code_from(std::uint8_t arg) {
  return static_cast<errc>(arg % (static_cast<unsigned>(errc::datagram_truncated) + 1));
}

// --- part 0: the server session against a FIFO model -------------------------------------------------------

struct stored {
  endpoint from;
  std::vector<std::uint8_t> bytes;
  std::size_t offset;  ///< where it was written in the storage
};

struct session_model {
  std::size_t max_datagrams;
  std::size_t capacity;
  std::deque<stored> fifo;
  datagram_echo_state state = datagram_echo_state::open;
  datagram_echo_stats stats{};

  bool live() const { return state == datagram_echo_state::open || state == datagram_echo_state::draining; }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const stored& s : fifo) n += s.bytes.size();
    return n;
  }
  bool overlaps(std::size_t offset, std::size_t n) const {
    for (const stored& s : fifo)
      if (n != 0 && !s.bytes.empty() && offset < s.offset + s.bytes.size() && s.offset < offset + n) return true;
    return false;
  }
};

void check_session(const datagram_echo_session_base& s, const session_model& m, const std::uint8_t* storage) {
  FUZZ_CHECK(s.state() == m.state);
  FUZZ_CHECK(s.queued() == m.fifo.size());
  FUZZ_CHECK(s.queued_bytes() == m.bytes());
  FUZZ_CHECK(s.queued() <= s.max_datagrams());
  FUZZ_CHECK(s.queued_bytes() <= s.byte_capacity());
  FUZZ_CHECK(emsock_test::same(s.stats(), m.stats));
  const datagram_echo_stats& st = s.stats();
  FUZZ_CHECK(st.received == st.echoed + st.dropped.total() + s.queued());
  FUZZ_CHECK(st.received_bytes == st.echoed_bytes + st.dropped_bytes + s.queued_bytes());

  const datagram_view p = s.pending_send();
  FUZZ_CHECK(static_cast<bool>(p) == (m.live() && !m.fifo.empty()));
  if (p) {
    const stored& f = m.fifo.front();
    FUZZ_CHECK(*p.peer == f.from);
    FUZZ_CHECK(p.bytes.size == f.bytes.size());
    FUZZ_CHECK(p.bytes.size == 0 || std::memcmp(p.bytes.data, f.bytes.data(), p.bytes.size) == 0);
    FUZZ_CHECK(p.bytes.size == 0 || p.bytes.data == storage + f.offset);
  }
  // Every queued datagram is still intact where it was written (nothing overwrote it).
  for (const stored& d : m.fifo)
    FUZZ_CHECK(d.bytes.empty() || std::memcmp(storage + d.offset, d.bytes.data(), d.bytes.size()) == 0);

  const byte_span sp = s.receive_space();
  if (m.state != datagram_echo_state::open || m.fifo.size() == m.max_datagrams) {
    FUZZ_CHECK(sp.data == nullptr && sp.size == 0);
  } else {
    FUZZ_CHECK(sp.data != nullptr);
    FUZZ_CHECK(sp.data >= storage && sp.data + sp.size <= storage + m.capacity);
    FUZZ_CHECK(!m.overlaps(static_cast<std::size_t>(sp.data - storage), sp.size));
    if (m.fifo.empty()) FUZZ_CHECK(sp.data == storage && sp.size == m.capacity);
  }

  const echo_interest i = s.interest();
  FUZZ_CHECK(i.close == !m.live());
  FUZZ_CHECK(i.read == (m.state == datagram_echo_state::open));
  FUZZ_CHECK(i.write == static_cast<bool>(p));
  FUZZ_CHECK(!i.shutdown_write);
  if (m.state == datagram_echo_state::finished) FUZZ_CHECK(m.fifo.empty());
}

/// The reason the model expects for a datagram of n bytes that did not fit the lent space.
void expect_reason(datagram_drop got, std::size_t n, bool known, const session_model& m, std::size_t lent) {
  if (m.fifo.size() == m.max_datagrams) {
    if (known && n > m.capacity) {
      FUZZ_CHECK(got == datagram_drop::too_large);
    } else {
      FUZZ_CHECK(got == datagram_drop::no_record);
    }
  } else if (known) {
    FUZZ_CHECK(got == (n > m.capacity ? datagram_drop::too_large : datagram_drop::no_bytes));
  } else {
    FUZZ_CHECK(got == (lent == m.capacity ? datagram_drop::too_large : datagram_drop::no_bytes));
  }
}

void count_drop(session_model& m, datagram_drop reason, std::size_t bytes) {
  switch (reason) {
    case datagram_drop::no_record: ++m.stats.dropped.no_record; break;
    case datagram_drop::no_bytes: ++m.stats.dropped.no_bytes; break;
    case datagram_drop::too_large: ++m.stats.dropped.too_large; break;
    case datagram_drop::send_failed: ++m.stats.dropped.send_failed; break;
  }
  m.stats.dropped_bytes += bytes;
}

/// The reason behind a drop, read from the change of the session's counters.
datagram_drop reason_of_change(const datagram_drops& before, const datagram_drops& after) {
  if (after.too_large != before.too_large) return datagram_drop::too_large;
  if (after.no_bytes != before.no_bytes) return datagram_drop::no_bytes;
  if (after.no_record != before.no_record) return datagram_drop::no_record;
  return datagram_drop::send_failed;
}

/// The standalone queue: push (first fit) and pop against its own FIFO.
struct queue_part {
  std::uint8_t storage[64];
  datagram_record records[8];
  datagram_queue_base q;
  std::deque<stored> fifo;

  queue_part(std::size_t records_n, std::size_t capacity) : storage{}, q{storage, capacity, records, records_n} {}

  void step(reader& in, std::uint8_t op, std::uint8_t arg) {
    if (arg < 128) {
      const std::size_t n = arg % 80;
      std::uint8_t bytes[80];
      for (std::size_t i = 0; i < n; ++i) bytes[i] = in.next();
      const datagram_queue_base::verdict v = q.check(n);
      const datagram_drops before = q.drops();
      const status st = q.push(peer(op / 8u), const_byte_span{bytes, n});
      FUZZ_CHECK(st.ok() == v.ok);
      if (fifo.empty() && n <= q.byte_capacity()) FUZZ_CHECK(st.ok());  // an empty queue takes anything that fits
      if (st.ok()) {
        // Find where it went: it is the newest, so the last in the ring; check it via the front when alone.
        stored s{peer(op / 8u), std::vector<std::uint8_t>(bytes, bytes + n), 0};
        fifo.push_back(s);
      } else {
        FUZZ_CHECK(reason_of_change(before, q.drops()) == v.reason);
        FUZZ_CHECK(st.code() == code_for(v.reason));
        FUZZ_CHECK((v.reason == datagram_drop::too_large) == (n > q.byte_capacity()));
        if (n <= q.byte_capacity())
          FUZZ_CHECK((v.reason == datagram_drop::no_record) == (fifo.size() == q.max_datagrams()));
      }
    } else {
      const datagram_view f = q.front();
      FUZZ_CHECK(static_cast<bool>(f) == !fifo.empty());
      if (f) {
        FUZZ_CHECK(*f.peer == fifo.front().from);
        FUZZ_CHECK(f.bytes.size == fifo.front().bytes.size());
        FUZZ_CHECK(f.bytes.size == 0 || std::memcmp(f.bytes.data, fifo.front().bytes.data(), f.bytes.size) == 0);
        FUZZ_CHECK(f.bytes.size == 0 || (f.bytes.data >= storage && f.bytes.data + f.bytes.size <= storage + 64));
        FUZZ_CHECK(q.pop().ok());
        fifo.pop_front();
      } else {
        FUZZ_CHECK(q.pop().code() == errc::invalid_argument);
      }
    }
    FUZZ_CHECK(q.size() == fifo.size());
    std::size_t held = 0;
    for (const stored& s : fifo) held += s.bytes.size();
    FUZZ_CHECK(q.bytes_held() == held);
  }
};

void run_session(reader& in) {
  static std::uint8_t storage[64];
  static datagram_record records[8];
  session_model m;
  m.max_datagrams = 1 + in.next() % 8;
  m.capacity = 1 + in.next() % 64;
  std::memset(storage, 0, sizeof storage);
  datagram_echo_session_base s{storage, m.capacity, records, m.max_datagrams};
  queue_part qp{m.max_datagrams, m.capacity};
  check_session(s, m, storage);

  while (in.more()) {
    const std::uint8_t op = in.next();
    const std::uint8_t arg = in.next();
    switch (op % 8) {
      case 0: {  // a datagram arrives
        const std::size_t n = arg % 80;
        const endpoint from = peer(op / 8u);
        const byte_span sp = s.receive_space();
        if (m.state != datagram_echo_state::open) {
          const datagram_session_snapshot before{s};
          FUZZ_CHECK(s.on_received(0, from).code() == errc::invalid_argument);
          FUZZ_CHECK(s.on_truncated(n, from).code() == errc::invalid_argument);
          FUZZ_CHECK(datagram_session_snapshot{s} == before);
          for (std::size_t i = 0; i < n; ++i) in.next();
          break;
        }
        if (n <= sp.size) {
          for (std::size_t i = 0; i < n; ++i) sp.data[i] = in.next();
          const status st = s.on_received(n, from);
          ++m.stats.received;
          m.stats.received_bytes += n;
          if (m.fifo.size() == m.max_datagrams) {  // only a zero-byte one is "lent" then
            FUZZ_CHECK(n == 0 && st.code() == errc::buffer_too_small);
            count_drop(m, datagram_drop::no_record, 0);
          } else {
            FUZZ_CHECK(st.ok());
            const std::size_t offset = static_cast<std::size_t>(sp.data - storage);
            FUZZ_CHECK(!m.overlaps(offset, n));
            m.fifo.push_back(stored{from, std::vector<std::uint8_t>(sp.data, sp.data + n), offset});
          }
        } else {
          for (std::size_t i = 0; i < n; ++i) in.next();  // the backend cut it: its bytes are gone
          const bool known = (arg & 1) != 0;
          const datagram_drops before = s.stats().dropped;
          const status st = s.on_truncated(known ? n : 0, from);
          FUZZ_CHECK(!st.ok() && st.code() != errc::invalid_argument);
          const datagram_drop reason = reason_of_change(before, s.stats().dropped);
          FUZZ_CHECK(reason != datagram_drop::send_failed);
          FUZZ_CHECK(st.code() == code_for(reason));
          expect_reason(reason, n, known, m, sp.size);
          ++m.stats.received;
          m.stats.received_bytes += known ? n : 0;
          count_drop(m, reason, known ? n : 0);
        }
        break;
      }
      case 1: {  // sent (the bytes were checked against the FIFO by check_session)
        const bool pending = static_cast<bool>(s.pending_send());
        const status st = s.on_sent();
        FUZZ_CHECK(st.ok() == pending);
        if (pending) {
          ++m.stats.echoed;
          m.stats.echoed_bytes += m.fifo.front().bytes.size();
          m.fifo.pop_front();
          if (m.state == datagram_echo_state::draining && m.fifo.empty()) m.state = datagram_echo_state::finished;
        }
        break;
      }
      case 2: {  // the send failed
        const errc code = code_from(arg);
        const bool pending = static_cast<bool>(s.pending_send());
        const datagram_session_snapshot before{s};
        const status st = s.on_send_error(code);
        const bool retry = code == errc::would_block || code == errc::interrupted;
        if (!pending || (!retry && !is_fatal(code))) {
          FUZZ_CHECK(st.code() == errc::invalid_argument);
          FUZZ_CHECK(datagram_session_snapshot{s} == before);
        } else if (retry) {
          FUZZ_CHECK(st.ok());
          FUZZ_CHECK(datagram_session_snapshot{s} == before);
        } else {
          FUZZ_CHECK(st.ok());
          count_drop(m, datagram_drop::send_failed, m.fifo.front().bytes.size());
          m.fifo.pop_front();
          if (m.state == datagram_echo_state::draining && m.fifo.empty()) m.state = datagram_echo_state::finished;
        }
        break;
      }
      case 3: {  // stop
        const datagram_session_snapshot before{s};
        const status st = s.stop();
        FUZZ_CHECK(st.ok() == (m.state == datagram_echo_state::open));
        if (st.ok()) {
          m.state = m.fifo.empty() ? datagram_echo_state::finished : datagram_echo_state::draining;
        } else {
          FUZZ_CHECK(datagram_session_snapshot{s} == before);
        }
        break;
      }
      case 4: {  // socket error
        const errc code = code_from(arg);
        const datagram_session_snapshot before{s};
        const status st = s.on_error(code);
        FUZZ_CHECK(st.ok() == (m.live() && is_fatal(code)));
        if (st.ok()) {
          m.state = datagram_echo_state::failed;
          FUZZ_CHECK(s.error() == code);
        } else {
          FUZZ_CHECK(st.code() == errc::invalid_argument);
          FUZZ_CHECK(datagram_session_snapshot{s} == before);
        }
        break;
      }
      case 5: {  // misuse
        const datagram_session_snapshot before{s};
        const std::size_t lent = s.receive_space().size;
        const endpoint from = peer(1);
        switch (arg % 3) {
          case 0: FUZZ_CHECK(s.on_received(lent + 1 + arg / 3u, from).code() == errc::invalid_argument); break;
          case 1:
            if (lent != 0) FUZZ_CHECK(s.on_truncated(1 + (arg / 3u) % lent, from).code() == errc::invalid_argument);
            break;
          default:
            if (!s.pending_send()) {
              FUZZ_CHECK(s.on_sent().code() == errc::invalid_argument);
              FUZZ_CHECK(s.on_send_error(errc::host_unreachable).code() == errc::invalid_argument);
            }
            break;
        }
        FUZZ_CHECK(datagram_session_snapshot{s} == before);
        break;
      }
      case 6: {  // restart
        s.restart();
        m.fifo.clear();
        m.stats = {};
        m.state = datagram_echo_state::open;
        break;
      }
      default:  // 7: the standalone queue
        qp.step(in, op, arg);
        break;
    }
    check_session(s, m, storage);
  }
}

// --- part 1: the client and the server through a faulty network --------------------------------------------

struct in_transit {
  std::vector<std::uint8_t> bytes;
  bool to_server;
};

/// Every datagram the client sent: a reply equal to one of them is genuine, any other was corrupted or
/// cut on the way (to the server or back).
using sent_log = std::vector<std::vector<std::uint8_t>>;

bool genuine(const sent_log& log, const std::vector<std::uint8_t>& bytes) {
  for (const auto& d : log)
    if (d == bytes) return true;
  return false;
}

void check_client(const datagram_echo_client_base& c) {
  const datagram_echo_client_stats& st = c.stats();
  const datagram_echo_client_config& cfg = c.config();
  FUZZ_CHECK(st.echoed + st.lost <= cfg.count);
  FUZZ_CHECK(c.started() <= cfg.count);
  FUZZ_CHECK(st.echoed + st.lost <= c.started());
  FUZZ_CHECK(c.in_flight() <= cfg.window);
  FUZZ_CHECK(c.in_flight() + st.echoed + st.lost == c.started());
  FUZZ_CHECK(st.sent == c.started() + st.retries);
  FUZZ_CHECK(st.sent <= std::uint64_t{c.started()} * (cfg.retries + 1u));
  const const_byte_span p = c.pending_send();
  const echo_interest i = c.interest();
  FUZZ_CHECK(i.close == c.done());
  FUZZ_CHECK(i.write == !p.empty());
  FUZZ_CHECK(i.read == !c.done());
  if (!p.empty()) {
    FUZZ_CHECK(p.size == cfg.size);
    FUZZ_CHECK(load_be32(p.data) == c.pending_sequence());
    FUZZ_CHECK(p.data[4] == c.pending_attempt());
    FUZZ_CHECK(c.pending_attempt() <= cfg.retries);
    FUZZ_CHECK(c.pending_sequence() < cfg.count);
  }
  if (c.done()) {
    FUZZ_CHECK(c.poll_at() == datagram_echo_client_base::no_deadline);
    FUZZ_CHECK(p.empty());
    datagram_echo_outcome expected = datagram_echo_outcome::all_echoed;
    if (st.mismatched() != 0) {
      expected = datagram_echo_outcome::mismatched;
    } else if (st.lost != 0) {
      expected = datagram_echo_outcome::lost;
    } else if (st.duplicates != 0) {
      expected = datagram_echo_outcome::duplicated;
    }
    if (c.outcome() != datagram_echo_outcome::failed) {
      FUZZ_CHECK(c.outcome() == expected);
      FUZZ_CHECK(st.echoed + st.lost == cfg.count);
    }
    FUZZ_CHECK(c.succeeded() == (c.outcome() == datagram_echo_outcome::all_echoed ||
                                 c.outcome() == datagram_echo_outcome::duplicated));
  }
}

void deliver_to_client(datagram_echo_client_base& c, const in_transit& t, const sent_log& log, std::uint64_t now) {
  if (c.done()) return;
  const datagram_client_snapshot before{c};
  const result<datagram_reply> r = c.on_received(const_byte_span{t.bytes.data(), t.bytes.size()}, now);
  FUZZ_CHECK(r.ok());
  const datagram_reply kind = r.value();
  const bool mismatch = kind == datagram_reply::wrong_size || kind == datagram_reply::wrong_bytes ||
                        kind == datagram_reply::unknown_sequence;
  FUZZ_CHECK(mismatch == !genuine(log, t.bytes));
  if (kind != datagram_reply::echoed) FUZZ_CHECK(c.stats().echoed == before.stats.echoed);
  if (kind == datagram_reply::echoed) FUZZ_CHECK(c.stats().echoed == before.stats.echoed + 1);
}

void run_network(reader& in) {
  datagram_echo_client_config cfg;
  cfg.count = 1 + in.next() % 32u;
  cfg.size = 5 + in.next() % 44u;
  const std::uint8_t shape = in.next();
  cfg.window = 1 + shape % 4u;
  const std::size_t flights = cfg.window + (shape / 4u) % (9u - cfg.window);
  cfg.retries = static_cast<std::uint8_t>((shape / 64u) % 4u);
  cfg.timeout = milliseconds{1 + in.next() % 64};
  const std::uint8_t extra = in.next();
  cfg.linger = milliseconds{extra % 32};
  static const std::uint8_t payload[] = {'e', 'm', 's', 'o', 'c', 'k'};
  if ((extra & 32) != 0) cfg.payload = const_byte_span{payload, sizeof payload};

  static std::uint8_t buffer[48];
  static datagram_flight flight_records[8];
  std::uint64_t now = 5;
  datagram_echo_client_base c{cfg, buffer, sizeof buffer, flight_records, flights, now};
  FUZZ_CHECK(!c.done());
  static std::uint8_t server_bytes[256];
  static datagram_record server_records[4];
  datagram_echo_session_base server{server_bytes, sizeof server_bytes, server_records, 4};
  const endpoint client_ep = peer(7);
  std::vector<in_transit> net;
  sent_log log;

  auto pump_server = [&]() {
    while (const datagram_view d = server.pending_send()) {
      FUZZ_CHECK(*d.peer == client_ep);
      net.push_back(in_transit{std::vector<std::uint8_t>(d.bytes.data, d.bytes.data + d.bytes.size), false});
      FUZZ_CHECK(server.on_sent().ok());
    }
  };
  auto deliver = [&](std::size_t k) {
    const in_transit t = net[k];
    net.erase(net.begin() + static_cast<std::ptrdiff_t>(k));
    if (t.to_server) {
      const byte_span sp = server.receive_space();
      if (t.bytes.size() <= sp.size) {
        if (!t.bytes.empty()) std::memcpy(sp.data, t.bytes.data(), t.bytes.size());
        (void)server.on_received(t.bytes.size(), client_ep);
      } else {
        (void)server.on_truncated(t.bytes.size(), client_ep);
      }
      pump_server();
    } else {
      deliver_to_client(c, t, log, now);
    }
  };

  while (in.more() && !c.done()) {
    const std::uint8_t op = in.next();
    const std::uint8_t arg = in.next();
    if (!c.pending_send().empty() && (op & 1) == 0) {  // the client sends what is due
      const const_byte_span p = c.pending_send();
      net.push_back(in_transit{std::vector<std::uint8_t>(p.data, p.data + p.size), true});
      if (!genuine(log, net.back().bytes)) log.push_back(net.back().bytes);
      FUZZ_CHECK(c.on_sent(now).ok());
    }
    const std::size_t k = net.empty() ? 0 : arg % net.size();
    switch ((op >> 1) % 8) {
      case 0:  // deliver the oldest
      case 1:
        if (!net.empty()) deliver(0);
        break;
      case 2:  // deliver one out of order
        if (!net.empty()) deliver(k);
        break;
      case 3:  // drop one
        if (!net.empty()) net.erase(net.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      case 4:  // duplicate one
        if (!net.empty()) net.push_back(net[k]);
        break;
      case 5:  // corrupt a payload byte (the header stays, so it is still "ours" but wrong)
        if (!net.empty() && net[k].bytes.size() > datagram_echo_client_base::header_size) {
          const std::size_t at = datagram_echo_client_base::header_size +
                                 arg % (net[k].bytes.size() - datagram_echo_client_base::header_size);
          net[k].bytes[at] = static_cast<std::uint8_t>(net[k].bytes[at] ^ (1u + op % 255u));
        }
        break;
      case 6:  // cut one shorter (an MTU on the way)
        if (!net.empty() && !net[k].bytes.empty()) {
          net[k].bytes.resize(arg % net[k].bytes.size());
        }
        break;
      default:  // time passes
        now += arg % 80u;
        c.on_tick(now);
        break;
    }
    check_client(c);
  }

  // The network goes quiet: whatever is due is sent into the void, time passes; the run must end.
  const std::uint64_t limit =
      std::uint64_t{cfg.count} * (cfg.retries + 1u) * 2u + 4u;  // each datagram: at most retries + 1 timeouts
  for (std::uint64_t round = 0; round < limit && !c.done(); ++round) {
    while (!c.pending_send().empty()) FUZZ_CHECK(c.on_sent(now).ok());
    const std::uint64_t at = c.poll_at();
    FUZZ_CHECK(at != datagram_echo_client_base::no_deadline);
    FUZZ_CHECK(at > now);  // every deadline up to now was handled by a tick
    if (at > now) now = at;
    c.on_tick(now);
    check_client(c);
  }
  FUZZ_CHECK(c.done());
  check_client(c);
  FUZZ_CHECK(c.stats().echoed + c.stats().lost == cfg.count);
  const datagram_echo_stats& st = server.stats();
  FUZZ_CHECK(st.received == st.echoed + st.dropped.total() + server.queued());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  reader in{data, size};
  if ((in.next() & 1) == 0) {
    run_session(in);
  } else {
    run_network(in);
  }
  return 0;
}
