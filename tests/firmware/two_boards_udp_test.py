#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Two boards on one link, UDP: like two_boards_test.py (QEMU's socket netdev over 127.0.0.1, no DHCP
server), with the server running emsock-echo-firmware-udp (TCP and UDP echo on port 1234). The client
board runs emsock-echo-client-firmware --udp against the server's IPv6 link-local and AutoIP IPv4
addresses: 8 datagrams of each size 5 (the datagram echo header, the smallest), 64, 512, 1024 and the
largest without IP fragments (1472 over IPv4, 1452 over IPv6), every reply verified; it exits 0 only
then. A second client board then echoes 1024 bytes over TCP, so that the server prints its counters:
heap 0 after init, the UDP echoes included. A third client, --udp against a port nothing serves, must
exit 1, its datagrams lost after their retries (the verdict can fail).

  two_boards_udp_test.py --qemu QEMU --machine mps2-an385 --server ELF --client ELF [--deadline S]

Nothing leaves the two emulated boards. Bounded by --deadline; every QEMU is killed on every way out.
Exit 0 when everything passed."""
import argparse
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_board import Board, Failure, client_passes, free_port, heap_and_sessions, run_checks  # noqa: E402

SERVER_MAC = "52:54:00:e5:01:01"
CLIENT_MACS = ("52:54:00:e5:01:02", "52:54:00:e5:01:03", "52:54:00:e5:01:04")
ECHO_PORT = 1234
COUNT = 8


def sizes(v4):
    return (5, 64, 512, 1024, 1472 if v4 else 1452)


def client_board(args, port, mac, words):
    return Board(args.qemu, args.machine, args.client, f"socket,connect=127.0.0.1:{port},mac={mac}",
                 [os.path.basename(args.client)] + words)


def checks(args, boards):
    start = time.monotonic()
    deadline = start + args.deadline
    port = free_port()
    server = Board(args.qemu, args.machine, args.server, f"socket,listen=127.0.0.1:{port},mac={SERVER_MAC}")
    boards.append(server)
    server.wait_for(r": echo on udp port 1234, ", min(deadline, start + 30), "the server's UDP echo line")
    v6 = server.wait_for(r": ipv6 (fe80::[0-9a-f:]+%[a-z]{2}[0-9]+)$", min(deadline, start + 30),
                         "the server's IPv6 link-local address").group(1)
    v4 = server.wait_for(r": ipv4 (169\.254\.[0-9.]+) .*\(autoip\)$", min(deadline, start + 60),
                         "the server's AutoIP address").group(1)
    print(f"two-boards-udp: server up after {time.monotonic() - start:.1f} s: {v6}, {v4}")

    endpoints = [(f"[{v6}]:{ECHO_PORT}", False), (f"{v4}:{ECHO_PORT}", True)]
    client = client_board(args, port, CLIENT_MACS[0],
                          ["--udp", "--timeout-ms", "40000"] + [e for e, _ in endpoints])
    boards.append(client)
    out = client_passes(client, min(deadline, time.monotonic() + 90), (" udp ",), "the UDP client board")
    for e, v4_family in endpoints:
        for size in sizes(v4_family):
            wanted = f"{e}: udp {COUNT} datagrams of {size} bytes echoed and verified"
            if not any(wanted in line for line in out):
                raise Failure(f"no line '{wanted}' in the client's output")

    # The server prints its counters (heap since init) after a TCP session: one small TCP echo.
    tcp = client_board(args, port, CLIENT_MACS[1], ["--bytes", "1024", "--timeout-ms", "30000", f"{v4}:{ECHO_PORT}"])
    boards.append(tcp)
    status = tcp.wait_exit(min(deadline, time.monotonic() + 60))
    if status != 0:
        raise Failure(f"the TCP client board after the UDP runs exited with status {status}")
    stats = heap_and_sessions(server, 1, deadline)
    print(f"two-boards-udp: server after the UDP runs and one TCP echo: heap=0, {stats}")

    # The verdict can fail: no UDP echo on another port, so the datagrams are lost and the client says so.
    closed = f"[{v6}]:{ECHO_PORT + 1}"
    lost = client_board(args, port, CLIENT_MACS[2], ["--udp", "--timeout-ms", "40000", closed])
    boards.append(lost)
    status = lost.wait_exit(min(deadline, time.monotonic() + 60))
    out = lost.output()
    if status != 1 or not any(f"{closed}: udp failed: 5-byte datagrams: lost" in line for line in out):
        raise Failure(f"against a port without UDP echo the client board exited with status {status}, not 1:\n"
                      + "\n".join(out))
    print(next(line for line in out if ": udp failed: " in line))
    print(f"two-boards-udp: passed in {time.monotonic() - start:.1f} s")


def run(args):
    return run_checks("two-boards-udp", lambda boards: checks(args, boards),
                      ("server", "udp client", "tcp client", "udp client (closed port)"))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--server", required=True, help="emsock-echo-firmware-udp")
    p.add_argument("--client", required=True, help="emsock-echo-client-firmware")
    p.add_argument("--deadline", type=float, default=150.0, help="seconds for the whole run")
    sys.exit(run(p.parse_args()))


if __name__ == "__main__":
    main()
