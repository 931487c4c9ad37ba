// SPDX-License-Identifier: MIT
// emsock's socket interface on bare metal without an RTOS (EMSOCK_PORT=lwip-raw): one main loop, lwIP
// NO_SYS=1 driven through the backend's hook, a tcp_stream client and a udp_socket of the program's
// own. The servers they talk to are on the same board's loopback netif and in the same loop (a
// firmware on Ethernet talks to the network instead: its hook polls the NIC). Prints what came back
// and exits 0 (QEMU's exit status): ctest lwip-raw-socket-firmware, and examples/make-firmware.
#include <cstdio>
#include <cstring>

#include "emsock/mps2/board.hpp"
#include "emsock/port/event_set.hpp"
#include "emsock/port/port.hpp"

extern "C" {
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
}

using namespace std::chrono_literals;

namespace {

/// Frames waiting in a netif's loopback queue (a board on Ethernet asks its driver instead).
bool frames_waiting() {
  for (netif* n = netif_list; n != nullptr; n = n->next)
    if (n->loop_first != nullptr) return true;
  return false;
}

/// The one hook: deliver what arrived, run lwIP's timers, sleep until the next interrupt when idle.
void drive(void*, emsock::milliseconds may_sleep) {
  netif_poll_all();
  sys_check_timeouts();
  if (may_sleep.count() > 0) emsock::mps2::sleep_unless(frames_waiting);
}

/// Fails the image with `what` and the reason.
int fail(const char* what, emsock::errc e) {
  std::printf("lwip-raw socket firmware: %s: %s\n", what, emsock::describe(e));
  return 1;
}

}  // namespace

int main() {
  emsock::mps2::start_clock();  // SysTick: the board's sys_now()
  lwip_init();
  emsock::lwip_raw::set_drive_hook(drive, nullptr);

  // The other side, served by this loop too: a TCP listener that answers "ack: <line>", a UDP peer
  // that echoes.
  auto listener = emsock::tcp_listener::listen({emsock::ipv4_address::loopback(), 0});
  auto peer = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 0});
  if (!listener) return fail("listen", listener.code());
  if (!peer) return fail("udp open", peer.code());

  // The program's own clients: a telemetry stream and a log over UDP.
  auto telemetry = emsock::tcp_stream::connect(listener->local_endpoint().value(), 2000ms);
  auto log = emsock::udp_socket::open({emsock::ipv4_address::loopback(), 0});
  if (!telemetry) return fail("connect", telemetry.code());
  if (!log) return fail("udp open", log.code());
  (void)telemetry->set_non_blocking(true);
  (void)log->set_non_blocking(true);
  (void)peer->set_non_blocking(true);
  (void)listener->set_non_blocking(true);
  const char line[] = "temperature=21.5";
  if (!telemetry->send_all(line, sizeof line - 1)) return fail("send", emsock::errc::would_block);
  if (const auto s = log->send_to("boot ok", 7, peer->local_endpoint().value()); !s) return fail("send_to", s.code());

  emsock::event_set<4> events;
  enum key : std::size_t { listening, served, udp_peer, client };
  (void)events.open();
  (void)events.add(listening, listener->native_handle(), true, false);
  (void)events.add(udp_peer, peer->native_handle(), true, false);
  (void)events.add(client, telemetry->native_handle(), true, false);
  emsock::tcp_stream server_side;
  bool tcp_done = false, udp_done = false;
  for (int round = 0; round < 200 && !(tcp_done && udp_done); ++round) {
    const auto ready = events.wait(100ms);  // the stack runs (through the hook) while it waits
    if (!ready) return fail("wait", ready.code());
    for (std::size_t i = 0; i < ready.value(); ++i) {
      char buf[64];
      switch (events.ready(i).key) {
        case listening: {  // the server side: take the connection
          auto a = listener->accept();
          if (!a) break;
          server_side = std::move(a->stream);
          (void)server_side.set_non_blocking(true);
          (void)events.add(served, server_side.native_handle(), true, false);
          break;
        }
        case served: {  // the server side: answer what came
          const auto n = server_side.recv(buf, sizeof buf);
          if (!n || n.value() == 0) break;
          char reply[80] = "ack: ";
          std::memcpy(reply + 5, buf, n.value());
          (void)server_side.send_all(reply, 5 + n.value());
          break;
        }
        case udp_peer: {  // the UDP peer: echo
          const auto d = peer->recv_from(buf, sizeof buf);
          if (d) (void)peer->send_to(buf, d.size, d.from);
          break;
        }
        case client: {  // the program's telemetry client: the reply
          const auto n = telemetry->recv(buf, sizeof buf - 1);
          if (!n || n.value() == 0) break;
          buf[n.value()] = '\0';
          std::printf("tcp reply: %s\n", buf);
          tcp_done = true;
          break;
        }
        default: break;
      }
    }
    char back[16];
    if (const auto d = log->recv_from(back, sizeof back - 1); d) {  // the program's log socket
      back[d.size] = '\0';
      std::printf("udp reply: %s\n", back);
      udp_done = true;
    }
  }
  if (!tcp_done || !udp_done) return fail("no reply", emsock::errc::timed_out);
  std::printf("lwip-raw socket firmware: done, %u sockets open\n", static_cast<unsigned>(emsock::lwip_raw::open_sockets()));
  return 0;
}
