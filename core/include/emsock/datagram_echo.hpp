// SPDX-License-Identifier: MIT
// emsock/datagram_echo.hpp - the sans-IO datagram (UDP) echo: a bounded queue of whole datagrams,
// the echo server session over it, and an echo client that sends, matches, retries and counts.
//
// Nothing here touches a socket or a clock. The driver (a recv_from/send_to loop, lwIP's udp_recv
// callback) moves datagrams and tells the session what happened; the session answers what to do.
//
// Server, from a non-blocking recv_from/send_to loop (emsock::udp_socket, emsock/port/udp.hpp):
//
//   for (;;) {
//     echo_interest i = s.interest();
//     if (i.close) break;                                     // why: s.state(), s.error()
//     poll(sock, (i.read ? readable : 0) | (i.write ? writable : 0));
//     if (readable) { byte_span sp = s.receive_space();
//                     udp_recv_result r = sock.recv_from(sp.data, sp.size);
//                     r.ok() -> s.on_received(r.size, r.from);
//                     datagram_truncated -> s.on_truncated(r.datagram_size, r.from);  // 0: length unknown
//                     would_block, interrupted -> nothing; another error e -> s.on_error(e) (or ignore it) }
//     if (writable) { datagram_view d = s.pending_send();
//                     status st = sock.send_to(d.bytes.data, d.bytes.size, *d.peer);
//                     st.ok() -> s.on_sent(); otherwise -> s.on_send_error(st.code()); }
//   }
//
// (A stack out of buffers, out_of_memory, is fatal to that datagram if passed on; a driver that would
// rather retry it later treats it as would_block.)
//
// Server, from lwIP's raw udp_recv callback (pbuf p from addr:port, copied into the lent space):
//
//   byte_span sp = s.receive_space();
//   if (p->tot_len <= sp.size) { pbuf_copy_partial(p, sp.data, p->tot_len, 0); s.on_received(p->tot_len, from); }
//   else { s.on_truncated(p->tot_len, from); }
//   pbuf_free(p);  then, from the callback or the main loop, while (d = s.pending_send()):
//   udp_sendto(...) == ERR_OK -> s.on_sent(); ERR_MEM -> keep it (would_block) and retry from the main
//   loop; another err_t -> s.on_send_error(<its errc>).
//
// Datagrams are whole: a datagram is stored entirely or not at all, and sent entirely or not at
// all. There is no flow control in UDP: when the queue is full, an arriving datagram is dropped and
// counted (by reason), as a stack drops on a full receive buffer; the session keeps reading so that
// every drop is counted here rather than lost uncounted in the kernel.
//
// The byte area is a ring of whole datagrams: each datagram is one contiguous run of bytes (so a
// recv_from or a pbuf copy writes it in one go and a send_to sends it in one go). A datagram that
// does not fit between the newest one and the end of the area starts over at index 0 if it fits
// before the oldest one; the bytes left at the end stay unused until the datagrams before them were
// sent. So a datagram of up to byte_capacity() bytes is always stored when the queue is empty, but
// with datagrams queued the free bytes may be split in two: one of n bytes can be refused (no_bytes)
// although bytes_held() + n <= byte_capacity(). Bytes are never moved or copied once stored.
//
// Guarantees: no heap, no exceptions, no I/O, no clock; every buffer is the caller's (or inside the
// templates), with its bound stated below. Misuse (reporting more bytes than lent, sending when
// nothing is pending, events after the end) returns errc::invalid_argument and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emsock/duration.hpp"
#include "emsock/echo_session.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/result.hpp"

namespace emsock {

// --- the queue ---------------------------------------------------------------------------------------

/// Why a datagram was not stored or not echoed.
enum class datagram_drop : std::uint8_t {
  no_record,    ///< the queue holds its maximum number of datagrams
  no_bytes,     ///< it would fit an empty queue, but not the contiguous free bytes now
  too_large,    ///< longer than the whole byte capacity: it never fits
  send_failed,  ///< (echo session) sending it failed with a fatal error
};

/// The enumerator's identifier ("no_bytes"); "unknown" for values outside the enum. Never null.
const char* name(datagram_drop reason) noexcept;

/// Datagrams dropped, by reason.
struct datagram_drops {
  std::uint64_t no_record = 0;
  std::uint64_t no_bytes = 0;
  std::uint64_t too_large = 0;
  std::uint64_t send_failed = 0;

  constexpr std::uint64_t total() const noexcept { return no_record + no_bytes + too_large + send_failed; }
};

/// One queued datagram: who it is from (or for) and its bytes. A null peer means "no datagram"
/// (a datagram of zero bytes is a datagram: peer set, bytes.size 0). Valid until the next non-const
/// call on the queue or session that returned it.
struct datagram_view {
  const endpoint* peer = nullptr;
  const_byte_span bytes{};

  constexpr explicit operator bool() const noexcept { return peer != nullptr; }
};

/// The record of one queued datagram, kept in the caller's array. Its fields belong to the queue.
struct datagram_record {
  endpoint peer{};
  std::size_t offset = 0;
  std::size_t size = 0;
};

/// A FIFO of whole datagrams over storage it does not own: a byte area (byte_capacity bytes) and an
/// array of max_datagrams records. Bounds: at most max_datagrams() datagrams and byte_capacity()
/// bytes at once; a datagram of up to byte_capacity() bytes. APIs that must not care about the
/// capacities take this type; datagram_queue<M, B> supplies the storage. Not copyable or movable
/// (the views point into the storage).
class datagram_queue_base {
 public:
  /// A queue over bytes[0, byte_capacity) and records[0, max_datagrams), which must outlive it and
  /// be used by no one else meanwhile. Null storage or a capacity of 0: the queue is unusable
  /// (usable() false, both capacities 0): it stores nothing and refuses every datagram with
  /// invalid_argument, counting nothing.
  datagram_queue_base(std::uint8_t* bytes, std::size_t byte_capacity, datagram_record* records,
                      std::size_t max_datagrams) noexcept;

  datagram_queue_base(const datagram_queue_base&) = delete;
  datagram_queue_base& operator=(const datagram_queue_base&) = delete;
  ~datagram_queue_base() = default;

  /// Whether a datagram of `size` bytes would be stored now (ok), and if not why (reason,
  /// meaningful only when !ok): too_large before no_record before no_bytes. Never fails.
  struct verdict {
    bool ok;
    datagram_drop reason;
  };
  verdict check(std::size_t size) const noexcept;

  /// Copies `datagram` from `peer` into the queue, whole, or refuses it and counts the drop.
  /// Errors: message_too_long (longer than byte_capacity(): too_large), buffer_too_small (no record
  /// or not enough contiguous free bytes now: no_record / no_bytes), each counted in drops(); and,
  /// counting nothing, invalid_argument for null data with a non-zero size or an unusable queue.
  status push(const endpoint& peer, const_byte_span datagram) noexcept;

  /// Space to receive the next datagram into without a copy (recv_from, pbuf_copy_partial): the
  /// largest contiguous run of free bytes (at the end, or from index 0 when that run is larger).
  /// Size 0 when no byte is free (a zero-byte datagram may still be committed); data null and size
  /// 0 when no record is free or the queue is unusable.
  byte_span receive_space() const noexcept;

  /// Stores the datagram of n bytes just written at receive_space().data, from `peer`.
  /// Errors: buffer_too_small when no record is free (n == 0 only; counted as no_record);
  /// invalid_argument, counting nothing, when n > receive_space().size or the queue is unusable.
  status commit(std::size_t n, const endpoint& peer) noexcept;

  /// Counts a datagram that arrived but did not fit receive_space() (the backend cut it:
  /// datagram_truncated) as a drop. `size` is its real length, or 0 when the backend cannot tell;
  /// the reason is check(size)'s, or for an unknown length: no_record if no record is free,
  /// too_large if the whole byte capacity was lent, no_bytes otherwise. Returns that reason.
  /// Errors: invalid_argument, counting nothing, when size != 0 and size <= receive_space().size
  /// (it would have fitted) or the queue is unusable.
  result<datagram_drop> refuse(std::size_t size) noexcept;

  /// The oldest datagram (a null peer when empty).
  datagram_view front() const noexcept;
  /// Removes the oldest datagram. Errors: invalid_argument when empty.
  status pop() noexcept;
  /// Removes every datagram; the drop counters are kept.
  void clear() noexcept;
  /// clear() and zero the drop counters.
  void reset() noexcept;

  bool usable() const noexcept { return max_datagrams_ != 0; }
  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  std::size_t max_datagrams() const noexcept { return max_datagrams_; }
  std::size_t byte_capacity() const noexcept { return byte_capacity_; }
  /// Bytes of the queued datagrams (<= byte_capacity()).
  std::size_t bytes_held() const noexcept { return held_; }
  /// Datagrams refused since the start or the last reset(), by reason (send_failed stays 0 here).
  const datagram_drops& drops() const noexcept { return drops_; }

 private:
  /// A contiguous free run where the next datagram can go: [offset, offset + size). wraps: it starts
  /// over at index 0 while older datagrams remain at the top of the area.
  struct area {
    std::size_t offset;
    std::size_t size;
    bool wraps;
  };
  area largest_area() const noexcept;
  void store(const area& where, std::size_t n, const endpoint& peer) noexcept;
  /// Counts a drop; returns `reason`.
  datagram_drop count_drop(datagram_drop reason) noexcept;

  std::uint8_t* bytes_;
  std::size_t byte_capacity_;
  datagram_record* records_;
  std::size_t max_datagrams_;
  std::size_t head_ = 0;        ///< record index of the oldest datagram
  std::size_t count_ = 0;       ///< datagrams queued
  std::size_t held_ = 0;        ///< their bytes
  std::size_t end_ = 0;         ///< one past the newest datagram's bytes
  std::size_t high_count_ = 0;  ///< when wrapped: datagrams still above the wrap point
  bool wrapped_ = false;        ///< the newest datagrams start over at index 0
  datagram_drops drops_{};
};

namespace detail {
/// Base-from-member: the storage exists before the base that points into it.
template <std::size_t MaxDatagrams, std::size_t Bytes>
struct datagram_storage {
  std::uint8_t area_[Bytes];
  datagram_record record_array_[MaxDatagrams];
};
}  // namespace detail

/// A datagram queue with its storage inside (no heap): at most MaxDatagrams datagrams and Bytes
/// bytes. Pass it as datagram_queue_base&.
template <std::size_t MaxDatagrams, std::size_t Bytes>
class datagram_queue : private detail::datagram_storage<MaxDatagrams, Bytes>, public datagram_queue_base {
  static_assert(MaxDatagrams > 0 && Bytes > 0, "a datagram queue needs at least one record and one byte");

 public:
  datagram_queue() noexcept : datagram_queue_base(this->area_, Bytes, this->record_array_, MaxDatagrams) {}
};

// --- the echo server session -------------------------------------------------------------------------

/// The states of the datagram echo server. open and draining are live; the others are ends.
enum class datagram_echo_state : std::uint8_t {
  open,      ///< echoing: every datagram that arrives is queued (or dropped, counted) and sent back
  draining,  ///< stop() was called: no more input, sending what is queued
  finished,  ///< drained after stop(): every queued datagram went out (or was dropped, counted)
  failed,    ///< a fatal socket error (or unusable storage) ended it; see error()
};

/// The enumerator's identifier ("draining"); "unknown" for values outside the enum. Never null.
const char* name(datagram_echo_state state) noexcept;

/// What the echo server did, counted since the start or the last restart(). Always:
/// received == echoed + dropped.total() + queued(), and the same with bytes.
struct datagram_echo_stats {
  std::uint64_t received = 0;        ///< datagrams that arrived (queued or dropped)
  std::uint64_t received_bytes = 0;  ///< their bytes (a cut datagram of unknown length counts 0)
  std::uint64_t echoed = 0;          ///< datagrams sent back whole
  std::uint64_t echoed_bytes = 0;
  datagram_drops dropped{};          ///< datagrams not echoed, by reason
  std::uint64_t dropped_bytes = 0;
};

/// The datagram echo server over storage it does not own (see datagram_queue_base for the bounds).
/// One session serves one socket and every peer on it: each datagram goes back to its sender, in
/// arrival order. Not copyable or movable.
class datagram_echo_session_base {
 public:
  /// A session in state open over the given queue storage (as datagram_queue_base). Unusable
  /// storage: the session starts failed with error() == invalid_argument and asks to be closed.
  datagram_echo_session_base(std::uint8_t* bytes, std::size_t byte_capacity, datagram_record* records,
                             std::size_t max_datagrams) noexcept;

  datagram_echo_session_base(const datagram_echo_session_base&) = delete;
  datagram_echo_session_base& operator=(const datagram_echo_session_base&) = delete;
  ~datagram_echo_session_base() = default;

  /// Starts over: state open, queue empty, stats zero, same storage.
  void restart() noexcept;

  /// Where recv_from writes the next datagram (see datagram_queue_base::receive_space()). Empty
  /// with null data unless open. Up to byte_capacity() bytes; pass exactly this size to recv_from so
  /// a longer datagram is reported cut (datagram_truncated) rather than cut silently.
  byte_span receive_space() const noexcept;

  /// A datagram of n bytes from `from` was written at receive_space().data. n == 0 is a datagram
  /// of zero bytes (UDP allows it), not "nothing". Queued, or dropped and counted (no_record).
  /// Returns ok when queued; buffer_too_small when dropped.
  /// Errors: invalid_argument, changing nothing, unless open or when n > receive_space().size.
  status on_received(std::size_t n, const endpoint& from) noexcept;

  /// A datagram from `from` did not fit receive_space() and was cut by the backend
  /// (datagram_truncated): dropped and counted. `size`: its real length, 0 if unknown (the reason
  /// is then guessed as datagram_queue_base::refuse() says). Returns the drop's code
  /// (message_too_long for too_large, buffer_too_small otherwise).
  /// Errors: invalid_argument, changing nothing, unless open or when size != 0 and
  /// size <= receive_space().size (it would have fitted: report it with on_received()).
  status on_truncated(std::size_t size, const endpoint& from) noexcept;

  /// The next datagram to send back and to whom: the oldest queued one; a null peer when nothing is
  /// queued or the session has ended.
  datagram_view pending_send() const noexcept;

  /// pending_send() went out whole: it is echoed and removed. In state draining, sending the last
  /// one finishes the session.
  /// Errors: invalid_argument when nothing is pending (nothing changes).
  status on_sent() noexcept;

  /// Sending pending_send() failed with `code`. would_block or interrupted: it stays queued, try
  /// again later (nothing changes). A fatal code (message_too_long, host_unreachable,
  /// connection_refused, ...): that datagram is dropped and counted (send_failed); the session goes
  /// on (UDP errors concern one datagram; call on_error() if the socket itself is dead).
  /// Errors: invalid_argument, changing nothing, when nothing is pending or code is ok,
  /// in_progress or datagram_truncated (not outcomes of a send).
  status on_send_error(errc code) noexcept;

  /// No more input: from open to draining (or straight to finished when nothing is queued). For a
  /// graceful stop: send what is queued, then close.
  /// Errors: invalid_argument unless open (nothing changes).
  status stop() noexcept;

  /// A fatal socket error: ends the session at once (state failed, error() == code); queued
  /// datagrams are not sent (they stay counted in queued()).
  /// Errors: invalid_argument, changing nothing, if the session has ended or code is not fatal
  /// (ok, would_block, interrupted, in_progress, datagram_truncated).
  status on_error(errc code) noexcept;

  /// What the driver should do next: read while open, write while a datagram is pending, close
  /// once ended (shutdown_write is never set).
  echo_interest interest() const noexcept;
  bool done() const noexcept { return interest().close; }

  datagram_echo_state state() const noexcept { return state_; }
  /// Why it ended: ok while live or after finished; the code given to on_error(); invalid_argument
  /// for unusable storage.
  errc error() const noexcept { return error_; }
  const datagram_echo_stats& stats() const noexcept { return stats_; }
  /// Datagrams queued (after failed: those that were never sent).
  std::size_t queued() const noexcept { return queue_.size(); }
  std::size_t queued_bytes() const noexcept { return queue_.bytes_held(); }
  std::size_t max_datagrams() const noexcept { return queue_.max_datagrams(); }
  std::size_t byte_capacity() const noexcept { return queue_.byte_capacity(); }

 private:
  bool live() const noexcept { return state_ == datagram_echo_state::open || state_ == datagram_echo_state::draining; }
  void note_drop(datagram_drop reason, std::size_t bytes) noexcept;
  void removed_front() noexcept;

  datagram_queue_base queue_;
  datagram_echo_stats stats_{};
  datagram_echo_state state_ = datagram_echo_state::open;
  errc error_ = errc::ok;
};

/// A datagram echo server with its storage inside (no heap): at most MaxDatagrams datagrams and
/// Bytes bytes queued; a datagram of up to Bytes bytes (1472 holds any datagram of an Ethernet MTU
/// over IPv4, 65507 any UDP datagram). Pass it as datagram_echo_session_base&.
template <std::size_t MaxDatagrams, std::size_t Bytes>
class datagram_echo_session : private detail::datagram_storage<MaxDatagrams, Bytes>,
                              public datagram_echo_session_base {
  static_assert(MaxDatagrams > 0 && Bytes > 0, "a datagram echo session needs at least one record and one byte");

 public:
  datagram_echo_session() noexcept
      : datagram_echo_session_base(this->area_, Bytes, this->record_array_, MaxDatagrams) {}
  // The bytes are left uninitialised on purpose: a byte is read only after a datagram was stored.
};

// --- the echo client ---------------------------------------------------------------------------------
//
// The client sends config.count datagrams of config.size bytes each. Datagram number s (its
// sequence, 0 .. count - 1), attempt a (0 for the first send, 1.. for retries):
//   bytes 0..3   s, big-endian
//   byte  4      a
//   bytes 5..    config.payload repeated to fill the datagram, or (empty payload) the pattern
//                datagram_echo_client_base::pattern_byte(s, i) for byte i
// The echo of an attempt must equal it exactly. Each reply is classified (datagram_reply):
//   echoed            the first correct reply to a datagram awaiting one: it is answered
//   duplicate         the same attempt's correct reply again after it was answered (the network or the
//                     server sent it twice)
//   late              a correct reply to a datagram decided before: answered by another attempt (a
//                     retry crossed a slow reply), given up as lost, or older than the history kept
//   wrong_size        sequence and attempt of one sent, another length
//   wrong_bytes       sequence and attempt of one sent, the right length, other bytes
//   unknown_sequence  shorter than the header, or a sequence or attempt never sent
// The last three are mismatches. A datagram with no correct reply within config.timeout is sent
// again, up to config.retries times; after the last timeout it is lost. Replies may come in any
// order; up to config.window datagrams await a reply at once.
//
// The run ends when every datagram is answered or lost (and config.linger has passed, to catch
// duplicates of the last replies), or at a fatal error. Its outcome, the worst thing seen:
//   failed > mismatched > lost > duplicated > all_echoed
// succeeded() means every datagram was echoed and no reply was wrong (duplicates allowed).
//
// Driver loop (a connected udp_socket, so only the server's datagrams arrive; otherwise the driver
// drops datagrams from other sources itself):
//   while (!c.done()) {
//     poll(sock, readable | (c.interest().write ? writable : 0), until c.poll_at());
//     now = clock();
//     if (readable) { r = sock.recv(buf, c.max_reply_size());
//                     r.received() -> c.on_received({buf, r.size}, now);  // also when cut
//                     // (datagram_truncated): its r.size bytes are longer than any datagram sent,
//                     // so it counts wrong_size
//                     would_block, interrupted -> nothing; fatal e -> c.on_error(e); }
//     if (writable) { p = c.pending_send(); st = sock.send(p.data, p.size);
//                     st.ok() -> c.on_sent(now); would_block -> later; fatal e -> c.on_error(e); }
//     c.on_tick(now);
//   }
// (A blocking recv with a receive timeout works too: its timed_out means "nothing came", not
// on_error(); call on_tick() then.)
//
// Time: points in time are milliseconds of the driver's monotonic clock (only differences matter);
// a `now` smaller than one seen before counts as that one. Durations are emsock::milliseconds.

/// How a client run ended (pending while it has not). See above for the precedence.
enum class datagram_echo_outcome : std::uint8_t {
  pending,     ///< not decided yet
  all_echoed,  ///< every datagram came back exactly once, byte-exact
  duplicated,  ///< every datagram came back, some reply more than once
  lost,        ///< at least one datagram had no correct reply after its retries
  mismatched,  ///< at least one reply was wrong (size, bytes, or an unknown sequence)
  failed,      ///< a fatal transport error, or an unusable configuration; see error()
};

/// The enumerator's identifier ("all_echoed"); "unknown" for values outside the enum. Never null.
const char* name(datagram_echo_outcome outcome) noexcept;

/// What one reply was (see above).
enum class datagram_reply : std::uint8_t { echoed, duplicate, late, wrong_size, wrong_bytes, unknown_sequence };

/// The enumerator's identifier ("wrong_bytes"); "unknown" for values outside the enum. Never null.
const char* name(datagram_reply reply) noexcept;

struct datagram_echo_client_config {
  std::uint32_t count = 1;                ///< datagrams to send (0: the run succeeds at once)
  std::size_t size = 64;                  ///< bytes per datagram, header included: header_size .. buffer size
  const_byte_span payload{};              ///< the bytes after the header, repeated (not copied: must outlive
                                          ///< the client); empty: the pattern
  milliseconds timeout{1000};             ///< wait for a reply this long before a retry (> 0)
  std::uint8_t retries = 3;               ///< sends after the first before a datagram is lost (0..255)
  std::uint32_t window = 1;               ///< datagrams awaiting a reply at once (1 = stop-and-wait), 1..flights
  milliseconds linger = milliseconds{0};  ///< after the last datagram is decided, keep reading this long (>= 0)
};

/// What the client did, counted over the run.
struct datagram_echo_client_stats {
  std::uint64_t sent = 0;              ///< datagrams sent, retries included
  std::uint64_t retries = 0;           ///< of which retries
  std::uint32_t echoed = 0;            ///< datagrams answered correctly (echoed + lost <= count)
  std::uint32_t lost = 0;              ///< datagrams given up after their last retry
  std::uint64_t duplicates = 0;        ///< replies classified duplicate
  std::uint64_t late = 0;              ///< replies classified late
  std::uint64_t wrong_size = 0;        ///< replies classified wrong_size
  std::uint64_t wrong_bytes = 0;       ///< replies classified wrong_bytes
  std::uint64_t unknown_sequence = 0;  ///< replies classified unknown_sequence

  constexpr std::uint64_t mismatched() const noexcept { return wrong_size + wrong_bytes + unknown_sequence; }
};

/// The bookkeeping of one datagram awaiting a reply (or recently decided), in the caller's array.
/// Its fields belong to the client.
struct datagram_flight {
  std::uint64_t deadline_ms = 0;  ///< when the current attempt times out
  std::uint32_t sequence = 0;
  std::uint16_t attempts = 0;     ///< attempts sent (1 .. retries + 1)
  std::uint16_t answered_by = 0;  ///< attempt that answered + 1; 0: none
  std::uint8_t state = 0;         ///< free, waiting, due (timed out, to be sent again), echoed, lost
};

/// The datagram echo client over storage it does not own: a send buffer (one datagram, built when
/// it is due) and an array of flight records (`flights`: at least config.window; the more, the
/// longer a decided datagram is remembered to tell duplicate from late). Not copyable or movable.
class datagram_echo_client_base {
 public:
  /// Bytes of the header (sequence and attempt) at the start of every datagram.
  static constexpr std::size_t header_size = 5;
  /// poll_at() when no timer is running.
  static constexpr std::uint64_t no_deadline = ~std::uint64_t{0};

  /// A run starting at now_ms, sending through buffer[0, buffer_size) and keeping its books in
  /// flights[0, flight_count); both must outlive the client and be used by no one else. A bad
  /// configuration (size < header_size or > buffer_size, null buffer or flights, window 0 or >
  /// flight_count, timeout <= 0, linger < 0): the run starts ended with outcome failed and
  /// error() == invalid_argument.
  datagram_echo_client_base(const datagram_echo_client_config& config, std::uint8_t* buffer, std::size_t buffer_size,
                            datagram_flight* flights, std::size_t flight_count, std::uint64_t now_ms) noexcept;

  datagram_echo_client_base(const datagram_echo_client_base&) = delete;
  datagram_echo_client_base& operator=(const datagram_echo_client_base&) = delete;
  ~datagram_echo_client_base() = default;

  /// The datagram due now (a retry of the oldest timed-out one first, else the next new one while
  /// fewer than window await a reply); empty when none is due or the run has ended. Its bytes are
  /// in the client's buffer, valid until the next non-const call.
  const_byte_span pending_send() const noexcept;
  /// Sequence and attempt of pending_send() (meaningful only while it is not empty).
  std::uint32_t pending_sequence() const noexcept { return pending_sequence_; }
  std::uint8_t pending_attempt() const noexcept { return pending_attempt_; }

  /// pending_send() went out whole at now_ms; its reply is awaited until now_ms + timeout.
  /// Errors: invalid_argument when nothing is pending (nothing changes).
  status on_sent(std::uint64_t now_ms) noexcept;

  /// Classifies a datagram that came back (the driver's buffer; not kept) and counts it. Returns
  /// its class. May end the run (the last datagram answered, with linger 0).
  /// Errors: invalid_argument, changing nothing, when the run has ended or the data is null with a
  /// non-zero size.
  result<datagram_reply> on_received(const_byte_span reply, std::uint64_t now_ms) noexcept;

  /// A fatal transport error: the run ends with outcome failed and error() == code.
  /// Errors: invalid_argument, changing nothing, if the run has ended or code is not fatal (ok,
  /// would_block, interrupted, in_progress, datagram_truncated).
  status on_error(errc code) noexcept;

  /// Lets time pass: a datagram whose reply is overdue becomes due again (or lost after its last
  /// retry); the run ends when the linger time is over. Call it at poll_at() at the latest; earlier
  /// or more often is harmless. Never fails.
  void on_tick(std::uint64_t now_ms) noexcept;

  /// When on_tick() must be called next: the earliest reply deadline, or the end of the linger
  /// time; no_deadline when no timer runs (nothing sent yet, or ended).
  std::uint64_t poll_at() const noexcept;

  /// read while the run is live, write while a datagram is due, close once ended.
  echo_interest interest() const noexcept;
  bool done() const noexcept { return outcome_ != datagram_echo_outcome::pending; }
  datagram_echo_outcome outcome() const noexcept { return outcome_; }
  /// Every datagram echoed and no reply wrong (outcome all_echoed or duplicated).
  bool succeeded() const noexcept {
    return outcome_ == datagram_echo_outcome::all_echoed || outcome_ == datagram_echo_outcome::duplicated;
  }
  /// failed: the code given to on_error(), or invalid_argument for a bad configuration; else ok.
  errc error() const noexcept { return error_; }
  const datagram_echo_client_stats& stats() const noexcept { return stats_; }
  const datagram_echo_client_config& config() const noexcept { return config_; }

  /// Datagrams started (sent at least once): 0 .. count.
  std::uint32_t started() const noexcept { return next_sequence_; }
  /// Datagrams awaiting a reply (0 .. window).
  std::uint32_t in_flight() const noexcept { return in_flight_; }
  /// The receive buffer a driver needs: config.size + 1 bytes, so that a longer reply is seen as
  /// longer (wrong_size) even when the backend cuts it.
  std::size_t max_reply_size() const noexcept { return config_.size + 1; }

  /// Byte i (i >= header_size) of datagram `sequence` without a payload. Never fails.
  static constexpr std::uint8_t pattern_byte(std::uint32_t sequence, std::size_t i) noexcept {
    return static_cast<std::uint8_t>((sequence * 167u) ^ (sequence >> 8) ^ (static_cast<std::uint32_t>(i) * 29u) ^
                                     (static_cast<std::uint32_t>(i) >> 8));
  }

 private:
  enum class phase : std::uint8_t { sending, waiting, lingering, ended };

  std::uint8_t expected_byte(std::uint32_t sequence, std::uint8_t attempt, std::size_t i) const noexcept;
  void advance() noexcept;
  void choose_pending() noexcept;
  void finish() noexcept;
  void note_time(std::uint64_t now_ms) noexcept;
  datagram_flight& flight_of(std::uint32_t sequence) const noexcept;

  datagram_echo_client_config config_;
  std::uint8_t* buffer_;
  datagram_flight* flights_;
  std::size_t flight_count_;
  std::uint64_t now_ms_;
  std::uint64_t linger_until_ = no_deadline;
  std::uint32_t next_sequence_ = 0;  ///< the next new datagram's sequence
  std::uint32_t in_flight_ = 0;
  std::uint32_t pending_sequence_ = 0;
  std::uint8_t pending_attempt_ = 0;
  bool pending_ = false;
  bool built_ = false;  ///< the buffer holds (built_sequence_, built_attempt_)
  std::uint32_t built_sequence_ = 0;
  std::uint8_t built_attempt_ = 0;
  phase phase_ = phase::sending;
  datagram_echo_outcome outcome_ = datagram_echo_outcome::pending;
  errc error_ = errc::ok;
  datagram_echo_client_stats stats_{};
};

namespace detail {
template <std::size_t MaxSize, std::size_t Flights>
struct datagram_client_storage {
  std::uint8_t send_buffer_[MaxSize];
  datagram_flight flight_array_[Flights];
};
}  // namespace detail

/// A datagram echo client with its storage inside (no heap): datagrams of up to MaxSize bytes,
/// Flights flight records (window and history). Pass it as datagram_echo_client_base&.
template <std::size_t MaxSize, std::size_t Flights = 16>
class datagram_echo_client : private detail::datagram_client_storage<MaxSize, Flights>,
                             public datagram_echo_client_base {
  static_assert(MaxSize >= header_size && Flights > 0, "a datagram echo client needs a header's bytes and a flight");

 public:
  explicit datagram_echo_client(const datagram_echo_client_config& config, std::uint64_t now_ms = 0) noexcept
      : datagram_echo_client_base(config, this->send_buffer_, MaxSize, this->flight_array_, Flights, now_ms) {}
};

}  // namespace emsock
