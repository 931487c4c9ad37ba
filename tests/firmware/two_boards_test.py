#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Two boards on one link: two qemu-system-arm instances joined by a virtual Ethernet link over
loopback (-nic socket,listen=127.0.0.1:P on the server board, -nic socket,connect=127.0.0.1:P on the
client board), no DHCP server on it. The server runs emsock-echo-firmware; once it printed its IPv6
link-local and its AutoIP address, the client board runs emsock-echo-client-firmware against both
([fe80::...%en0]:1234, its own netif as the zone, and 169.254.x.y:1234), which exits 0 only when every
byte came back. Then a second client board against a port nothing listens on must exit 1, and an
endpoint without a port is a usage error (exit 2).

Checked besides: the boards' MACs (given with mac=) differ and each prints its own; their first
LWIP_RAND numbers differ; the server ends with every session finished, the bytes counted, heap 0.

  two_boards_test.py --qemu QEMU --machine mps2-an385 --server ELF --client ELF [--bytes N] [--deadline S]

Nothing leaves the two emulated boards (the link is a TCP connection on 127.0.0.1). Bounded by
--deadline; every QEMU is killed on every way out. Exit 0 when everything passed."""
import argparse
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_board import Board, Failure, client_passes, free_port, heap_and_sessions, run_checks  # noqa: E402

SERVER_MAC = "52:54:00:e5:00:01"
CLIENT_MACS = ("52:54:00:e5:00:02", "52:54:00:e5:00:03")
ECHO_PORT = 1234
MAC_LINE = r": mac ([0-9a-f:]{17})$"
RAND_LINE = r": first random number (0x[0-9a-f]{8})$"


def client_board(args, port, mac, endpoints, timeout_ms):
    words = [os.path.basename(args.client), "--bytes", str(args.bytes), "--timeout-ms", str(timeout_ms)]
    return Board(args.qemu, args.machine, args.client, f"socket,connect=127.0.0.1:{port},mac={mac}",
                 words + endpoints)


def checks(args, boards):
    start = time.monotonic()
    deadline = start + args.deadline
    # A usage error is exit status 2 with the reason, before the board touches its NIC.
    usage = Board(args.qemu, args.machine, args.client, "none",
                  [os.path.basename(args.client), "[fe80::1%en0]"])
    boards.append(usage)
    status = usage.wait_exit(min(deadline, time.monotonic() + 20))
    if status != 2 or not any("missing port '[fe80::1%en0]'" in line for line in usage.output()):
        raise Failure(f"an endpoint without a port: exit status {status}, not 2 with the reason")

    port = free_port()
    server = Board(args.qemu, args.machine, args.server, f"socket,listen=127.0.0.1:{port},mac={SERVER_MAC}")
    boards.append(server)
    v6 = server.wait_for(r": ipv6 (fe80::[0-9a-f:]+%[a-z]{2}[0-9]+)$", min(deadline, start + 30),
                         "the server's IPv6 link-local address").group(1)
    v4 = server.wait_for(r": ipv4 (169\.254\.[0-9.]+) .*\(autoip\)$", min(deadline, start + 60),
                         "the server's AutoIP address").group(1)
    print(f"two-boards: server up after {time.monotonic() - start:.1f} s: {v6}, {v4}")

    endpoints = [f"[{v6}]:{ECHO_PORT}", f"{v4}:{ECHO_PORT}"]
    client = client_board(args, port, CLIENT_MACS[0], endpoints, 40000)
    boards.append(client)
    out = client_passes(client, min(deadline, time.monotonic() + 90), ("echoed and verified",), "the client board")
    for e in endpoints:
        if not any(f"{e}: {args.bytes} bytes echoed and verified" in line for line in out):
            raise Failure(f"no verified echo from {e} in the client's output")
    stats = heap_and_sessions(server, 2, deadline)
    if stats["finished"] != 2 or stats["failed"] != 0 or stats["bytes"] != 2 * args.bytes:
        raise Failure(f"the server's counters after two exchanges of {args.bytes} bytes: {stats}")

    macs = [server.wait_for(MAC_LINE, deadline, "the server's MAC").group(1),
            client.wait_for(MAC_LINE, deadline, "the client's MAC").group(1)]
    if macs != [SERVER_MAC, CLIENT_MACS[0]]:
        raise Failure(f"the boards report MACs {macs}, not the {SERVER_MAC} and {CLIENT_MACS[0]} given")
    rands = [server.wait_for(RAND_LINE, deadline, "the server's first random number").group(1),
             client.wait_for(RAND_LINE, deadline, "the client's first random number").group(1)]
    if rands[0] == rands[1]:
        raise Failure(f"both boards drew the same first LWIP_RAND number {rands[0]}")
    print(f"two-boards: MACs {macs[0]} / {macs[1]}, first LWIP_RAND {rands[0]} / {rands[1]}: different")

    # The verdict can fail: a port nothing listens on is refused (reset), and the client says so.
    closed = f"[{v6}]:{ECHO_PORT + 1}"
    refused = client_board(args, port, CLIENT_MACS[1], [closed], 20000)
    boards.append(refused)
    status = refused.wait_exit(min(deadline, time.monotonic() + 60))
    out = refused.output()
    if status != 1 or not any(re.search(re.escape(closed) + r": failed: ", line) for line in out):
        raise Failure(f"against a closed port the client board exited with status {status}, not 1:\n"
                      + "\n".join(out))
    print(next(line for line in out if ": failed: " in line))
    print(f"two-boards: passed in {time.monotonic() - start:.1f} s")


def run(args):
    return run_checks("two-boards", lambda boards: checks(args, boards), ("client (usage)", "server", "client", "second client"))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--server", required=True, help="emsock-echo-firmware")
    p.add_argument("--client", required=True, help="emsock-echo-client-firmware")
    p.add_argument("--bytes", type=int, default=65536)
    p.add_argument("--deadline", type=float, default=150.0, help="seconds for the whole run")
    sys.exit(run(p.parse_args()))


if __name__ == "__main__":
    main()
