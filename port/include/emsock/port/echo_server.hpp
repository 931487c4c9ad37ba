// SPDX-License-Identifier: MIT
// emsock/port/echo_server.hpp - the TCP echo server engine over the port interface.
//
// One thread, one event loop, a fixed pool of echo sessions (core's sans-IO echo_session): no
// allocation per connection, or at all. Each socket is registered once in an event_set (epoll on
// Linux, poll elsewhere), and changed there only when what its session waits for changes. A round
//   1. waits for the ready sockets, or until the earliest idle timeout or the end of an accept pause,
//   2. visits the ready connections only: moves bytes (recv into the space the session lends, send
//      what the session says is pending, until the socket would block; at most 8 receives per
//      visit, so that one busy client cannot hold the loop), and closes the ones whose
//      session has ended, so that the slots freed in this round serve the connections waiting in it,
//   3. visits the connections whose idle timer is due, in a list kept in deadline order (all
//      sessions share the server's idle timeout, so activity moves a connection to the list's end),
//   4. accepts new connections into free slots (a free list; when the pool is full it accepts and
//      closes them at once, so the client sees a clean close instead of waiting in the backlog).
// A round's cost follows its ready sockets and due timers, not the pool's size (on epoll; poll()
// itself still walks every registered socket).
// When accept() fails (no descriptor left: EMFILE/ENFILE, the fake's descriptor limit, a full lwIP
// socket table; or no memory) the connection stays queued and the listener stays readable, so
// trying again at once would spin. The engine then pauses accepting: it stops watching the listener
// for accept_retry, or until one of its own connections closes (a descriptor is free again), and
// tries once more. The episode is reported once when it starts (accept_failed) and once when it
// ends (accept_resumed: the queue was emptied), with the count of failed attempts. The connected
// clients are served throughout, the waiting ones as descriptors become free.
// The same engine runs over every backend; the sockets are non-blocking throughout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "emsock/echo_session.hpp"
#include "emsock/ip_address.hpp"
#include "emsock/port/event_set.hpp"
#include "emsock/port/socket.hpp"
#include "emsock/result.hpp"

namespace emsock {

/// What the server reports through its event handler.
enum class echo_server_event_kind : std::uint8_t {
  connected,       ///< a connection got a session
  disconnected,    ///< a connection ended; `end` says how
  rejected,        ///< the pool was full: the connection was accepted and closed at once
  accept_failed,   ///< accept() failed with `error` (too_many_open_files, out_of_memory, ...): accepting
                   ///< pauses; said once per episode, however often the retries fail
  accept_resumed,  ///< after accept_failed, every waiting connection was taken (accept would block);
                   ///< `count` accept() calls failed in the episode
  setup_failed,    ///< an accepted connection could not be made non-blocking or registered for
                   ///< events (`error`): closed at once
};

struct echo_server_event {
  echo_server_event_kind kind;
  endpoint peer;                   ///< the client (unspecified for accept_failed and accept_resumed)
  /// disconnected: finished, timed_out, reset or failed; open or draining when close() ended the
  /// connection while it was live (counted in echo_server_stats::closed).
  echo_state end = echo_state::open;
  errc error = errc::ok;           ///< disconnected with failed, accept_failed, setup_failed: the reason
  std::uint64_t bytes = 0;         ///< disconnected: bytes echoed on this connection
  std::size_t active = 0;          ///< connections open after this event
  std::uint64_t count = 0;         ///< accept_failed: 1; accept_resumed: failed accept() calls in the episode
};

/// Called for every event, from inside run_once(). Must not call back into the server.
using echo_server_event_handler = void (*)(void* context, const echo_server_event& event) noexcept;

/// Another server sharing the engine's loop, one wait per round for both (the UDP echo engine:
/// udp_echo_server_base::companion(), emsock/port/udp_echo_server.hpp). Each round, before the wait,
/// the engine asks for its socket and what it waits for (and registers or changes it in its event
/// set: the ExtraHandles of echo_server<>); after the wait, `serve` handles that socket's events.
/// None of the functions may call back into the engine. When the companion closes its socket
/// outside `serve`, detach it first (set_companion({})): the engine would go on watching the number.
struct echo_server_companion {
  void* context = nullptr;
  /// The socket to watch, or invalid_native_handle for none (closed).
  native_handle_type (*handle)(void* context) noexcept = nullptr;
  /// What the socket waits for now (read and write are used).
  echo_interest (*interest)(void* context) noexcept = nullptr;
  /// What the wait saw on the socket (called only when something happened).
  void (*serve)(void* context, const poll_events& events) noexcept = nullptr;
};

/// Every connection that got a session ends in exactly one of finished, timed_out, reset, failed
/// and closed: accepted == finished + timed_out + reset + failed + closed + active().
struct echo_server_stats {
  std::uint64_t accepted = 0;         ///< connections that got a session
  std::uint64_t rejected = 0;         ///< connections closed at once because the pool was full
  std::uint64_t setup_failed = 0;     ///< accepted connections closed at once (setup_failed events)
  std::uint64_t accept_failures = 0;  ///< accept() calls that failed (each retry counts)
  std::uint64_t finished = 0;         ///< ended after the peer's FIN with every byte echoed
  std::uint64_t timed_out = 0;        ///< closed by the idle timeout
  std::uint64_t reset = 0;            ///< reset by the peer
  std::uint64_t failed = 0;           ///< ended by another transport error
  std::uint64_t closed = 0;           ///< still live when close() (or the end of run()) closed them
  std::uint64_t bytes = 0;            ///< bytes echoed in total
};

struct echo_server_options {
  endpoint bind{ipv4_address::any(), 1234};
  /// IPv6 binds: also accept IPv4 peers (seen as ::ffff:a.b.c.d) when false, so that one listener on
  /// [::] serves both families (listen_options::v6_only). Ignored for IPv4 binds.
  bool v6_only = true;
  /// Connections the stack queues before accept (the seed's 5; emsock-echo-server defaults to 128).
  int backlog = 5;
  /// At most this many connections at once (1 to the pool size; 0 means the pool size).
  std::size_t max_clients = 0;
  /// Close a connection after this long without progress (0 = never; negative: open() refuses it).
  milliseconds idle_timeout{0};
  /// After a failed accept(), wait this long before the next attempt, unless one of the server's
  /// connections closes first (must be positive: open() refuses 0 and less).
  milliseconds accept_retry{100};
};

/// The engine over a pool it does not own; echo_server<MaxClients, BufferSize> supplies the pool.
class echo_server_base {
 public:
  echo_server_base(const echo_server_base&) = delete;
  echo_server_base& operator=(const echo_server_base&) = delete;

  /// Binds and listens (SO_REUSEADDR on, non-blocking). Port 0 picks a free port: local_endpoint().
  /// The stats go on counting across close() and open().
  /// Errors: invalid_argument (max_clients above the pool size, accept_retry not positive, or already open),
  /// those of event_set_base::open (too_many_open_files, out_of_memory: Linux takes a descriptor for
  /// the event set) and of tcp_listener::listen (address_in_use, permission_denied, ...).
  status open(const echo_server_options& options) noexcept;

  /// Where the server listens. Precondition: open() succeeded.
  endpoint local_endpoint() const noexcept { return local_; }

  /// One round of the loop: waits at most max_wait (negative: no limit; less when a session's timer or the end of an
  /// accept pause is due sooner), then echoes, times out and closes, and accepts. Errors:
  /// interrupted (a signal arrived: check your stop flag and call again), invalid_argument (not
  /// open), and the event set's errors. Per-connection errors are never returned: they end that connection
  /// only; accept's errors pause accepting (see the top of this header).
  status run_once(milliseconds max_wait) noexcept;

  /// Closes every connection and the listener (the server can be open()ed again). Each live
  /// connection is retired as if it had ended: a disconnected event (end: its live state, open or
  /// draining) and stats().closed. Bytes it still held are dropped. Does nothing when not open.
  void (close)() noexcept;

  void set_event_handler(echo_server_event_handler handler, void* context) noexcept {
    handler_ = handler;
    context_ = context;
  }
  /// Serves `c` in every round from now on (a companion with null functions: none again).
  /// Errors: buffer_too_small when the event set has no room beyond the pool and the listener
  /// (echo_server<MaxClients, BufferSize, 0>), invalid_argument when `c` has some of its
  /// functions but not all; nothing changes then.
  status set_companion(const echo_server_companion& c) noexcept;
  const echo_server_stats& stats() const noexcept { return stats_; }
  /// Bytes read from all connections so far, live ones included (stats().bytes counts the bytes
  /// echoed by ended connections only): a progress figure for live traffic. O(active()).
  std::uint64_t bytes_received() const noexcept;
  /// Connections open now.
  std::size_t active() const noexcept { return active_; }
  /// The pool size (MaxClients).
  std::size_t capacity() const noexcept { return capacity_; }

 protected:
  /// One pooled connection. Free slots are chained through `next` (the free list); live ones sit in
  /// the timer list, doubly linked in the order of `due`.
  struct slot {
    tcp_stream stream;
    endpoint peer;
    echo_session_base* session = nullptr;
    std::uint32_t prev = no_slot;
    std::uint32_t next = no_slot;
    echo_interest watched{};  ///< what the event set watches it for
    std::uint64_t due = echo_session_base::no_deadline;  ///< its session's poll_at() when last placed
  };
  static constexpr std::uint32_t no_slot = ~std::uint32_t{0};

  /// Precondition: events.capacity() > capacity (the listener's key is 0, slot i's is i + 1).
  echo_server_base(slot* slots, std::size_t capacity, event_set_base& events) noexcept
      : slots_(slots), capacity_(capacity), events_(events) {}
  ~echo_server_base() = default;  // the streams, the listener and the event set close themselves

  /// Makes a session in place at `where` (room and alignment of an echo_session_base) over
  /// storage[0, capacity). Out of line: a header must not say `new` (test frameworks redefine it).
  static echo_session_base* make_session(void* where, std::uint8_t* storage, std::size_t capacity) noexcept;

 private:
  void accept_pending(std::uint64_t now) noexcept;
  void accept_failed(errc error, std::uint64_t now) noexcept;
  void turn_away(accepted& a) noexcept;
  void serve(slot& s, const poll_events& ev, std::uint64_t now) noexcept;
  void receive(slot& s, std::uint64_t now) noexcept;
  void (send)(slot& s, std::uint64_t now) noexcept;
  void settle(slot& s) noexcept;
  void expire_due(std::uint64_t now) noexcept;
  void retire(slot& s) noexcept;
  void link(slot& s) noexcept;
  void unlink(slot& s) noexcept;
  void sync_companion() noexcept;
  std::uint32_t index_of(const slot& s) const noexcept { return static_cast<std::uint32_t>(&s - slots_); }
  std::size_t companion_key() const noexcept { return capacity_ + 1; }
  void emit(const echo_server_event& e) noexcept;

  slot* slots_;
  std::size_t capacity_;
  event_set_base& events_;
  tcp_listener listener_;
  endpoint local_;
  std::size_t limit_ = 0;   ///< runtime max_clients
  std::size_t active_ = 0;
  std::uint32_t free_ = no_slot;   ///< the free list's first slot
  std::uint32_t first_ = no_slot;  ///< the timer list: earliest due first
  std::uint32_t last_ = no_slot;
  milliseconds idle_timeout_{0};
  std::uint64_t accept_retry_ms_ = 0;  ///< accept_retry, validated (> 0)
  bool accept_paused_ = false;         ///< in an episode of failed accepts
  std::uint64_t accept_retry_at_ = 0;  ///< paused: when to try again
  std::uint64_t episode_failures_ = 0; ///< paused: failed accept() calls in this episode
  echo_server_stats stats_;
  std::uint64_t retired_received_ = 0;  ///< bytes_received() of the connections already retired
  echo_server_event_handler handler_ = nullptr;
  void* context_ = nullptr;
  echo_server_companion companion_{};
};

/// An echo server with a pool of MaxClients sessions of BufferSize bytes each, all inside the object
/// (MaxClients * BufferSize bytes plus about 150 bytes per slot for its session, slot and event
/// record: give it static storage for big pools). The sessions' state sits together and their
/// buffers apart, so a buffer's pages are touched only once a client uses its slot (in static
/// storage an unused slot costs address space, not memory). ExtraHandles: room in the event set
/// for a companion (1 for a UDP echo server).
template <std::size_t MaxClients, std::size_t BufferSize, std::size_t ExtraHandles = 0>
class echo_server : public echo_server_base {
  static_assert(MaxClients > 0, "an echo server needs at least one session");
  static_assert(MaxClients < 0xffffffffu, "slots are numbered in 32 bits");
  static_assert(BufferSize > 0, "an echo session needs at least one byte of storage");
  static_assert(std::is_trivially_destructible<echo_session_base>::value,
                "the sessions are made in place and never destroyed");

 public:
  echo_server() noexcept : echo_server_base(slots_, MaxClients, events_) {
    for (std::size_t i = 0; i < MaxClients; ++i)
      slots_[i].session = make_session(sessions_[i].bytes, buffers_[i], BufferSize);
  }

 private:
  /// Room for one session's state (made in place by the constructor, over buffers_[i]).
  struct alignas(echo_session_base) session_space {
    unsigned char bytes[sizeof(echo_session_base)];
  };
  session_space sessions_[MaxClients];
  slot slots_[MaxClients];
  event_set<MaxClients + 1 + ExtraHandles> events_;  // + the listener + a companion's
  std::uint8_t buffers_[MaxClients][BufferSize];     // last, and left uninitialised: see above
};

}  // namespace emsock
