#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs emsock-echo-firmware under qemu-system-arm with user networking restricted to a host forward
on 127.0.0.1 and checks it from the host: only an echoed byte proves the firmware is up (a connect to
QEMU's forward succeeds even when the guest is halted). Then: a single echo, a burst on one
connection, 256 KB on each of several connections at once, a client that resets mid-stream, a flood
beyond the session pool (the extra connections closed), idle connections timed out; after each, the
firmware still serves, every byte is verified, and its heap count since init is still 0.

  echo_firmware_test.py --qemu QEMU --machine mps2-an385 --kernel ELF [--deadline S] [--label NAME]

The same checks run against emsock-socket-firmware (ctest firmware-sockets): the same pool, idle timeout
and lines.

Traffic goes only to 127.0.0.1 (the forward). The whole run is bounded by --deadline; QEMU is killed
on every way out. Exit 0 when everything passed, 1 otherwise (with the firmware's output)."""
import argparse
import os
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_board import (HOST, Board, Failure, check_echo, free_port, heap_and_sessions, run_checks,  # noqa: E402
                        pattern, user_nic, wait_until_up)

SESSIONS = 4          # the firmware's pool (examples/emsock-echo-firmware/main.cpp)
EXTRA = 4             # connections beyond it
IDLE_TIMEOUT_S = 10   # its idle timeout


def checks(args, boards):
    port = free_port()
    fw = Board(args.qemu, args.machine, args.kernel, user_nic(port))
    boards.append(fw)
    start = time.monotonic()
    deadline = start + args.deadline
    ended = 0
    wait_until_up(fw, port, min(deadline, start + 30))
    ended += 1
    print(f"{args.label}: up after {time.monotonic() - start:.1f} s (echo through 127.0.0.1:{port})")
    for line in fw.output():
        if " ipv4 " in line or " ipv6 " in line:
            print(line)

    check_echo(port, b"hello, firmware\n", 10, "single echo")
    ended += 1
    heap_and_sessions(fw, ended, deadline)
    print(f"{args.label}: single echo ok")

    burst = b"".join(pattern(100 + i, i) for i in range(50))
    check_echo(port, burst, 10, "burst")
    ended += 1
    heap_and_sessions(fw, ended, deadline)
    print(f"{args.label}: burst of {len(burst)} bytes ok")

    size = 256 * 1024
    results = {}

    def big(i):
        try:
            check_echo(port, pattern(size, 100 + i), 60, f"connection {i}")
            results[i] = None
        except (Failure, OSError) as e:
            results[i] = str(e)

    t0 = time.monotonic()
    threads = [threading.Thread(target=big, args=(i,)) for i in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        raise Failure("the 256 KB connections did not end before the deadline")
    bad = {i: e for i, e in results.items() if e}
    if bad:
        raise Failure(f"256 KB connections failed: {bad}")
    elapsed = time.monotonic() - t0
    ended += args.connections
    heap_and_sessions(fw, ended, deadline)
    mb = args.connections * size / 1e6
    print(f"{args.label}: {args.connections} x 256 KB at once ok ({mb / elapsed:.2f} MB/s echoed)")

    # A client that resets mid-stream: SO_LINGER 0 closes with RST while the echo flows.
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(pattern(20000, 7))
        s.recv(1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ended += 1
    stats = heap_and_sessions(fw, ended, deadline)
    check_echo(port, b"still there?", 10, "echo after a reset")
    ended += 1
    stats = heap_and_sessions(fw, ended, deadline)
    print(f"{args.label}: reset mid-stream ok, still serving; server counters {stats}")
    if stats["failed"] < 1:
        raise Failure(f"the reset connection was not counted as failed: {stats}")

    # A flood beyond the pool: 4 held connections fill the sessions; the extra ones are closed
    # by the firmware (refused); the held ones, left idle, are timed out; then it serves again.
    held = []
    for i in range(SESSIONS):
        c = socket.create_connection((HOST, port), timeout=10)
        c.sendall(b"h")
        if c.recv(1) != b"h":
            raise Failure(f"held connection {i} got no echo")
        held.append(c)
    refused_before = stats["refused"]
    for i in range(EXTRA):
        with socket.create_connection((HOST, port), timeout=10) as c:
            try:
                c.sendall(b"x")
                got = c.recv(1)
            except ConnectionResetError:
                got = b""
            if got:
                raise Failure(f"extra connection {i} beyond the pool was served")
    ended += EXTRA
    # The refusals themselves, not only the count of ended sessions: `ended` is the least the board has
    # ended (wait_until_up may have made more than one session), so the count can be reached one
    # refusal early on a loaded machine.
    refusals_end = min(deadline, time.monotonic() + 30)
    while True:
        stats = heap_and_sessions(fw, ended, deadline)
        if stats["refused"] - refused_before >= EXTRA or time.monotonic() > refusals_end:
            break
        time.sleep(0.1)
    if stats["refused"] - refused_before < EXTRA:
        raise Failure(f"{EXTRA} connections beyond the pool, {stats['refused'] - refused_before} refused")
    t_idle = time.monotonic()
    for i, c in enumerate(held):
        c.settimeout(IDLE_TIMEOUT_S + 10)
        try:
            got = c.recv(1)
        except ConnectionResetError:
            got = b""
        except socket.timeout:
            raise Failure(f"held connection {i} was not timed out after {IDLE_TIMEOUT_S + 10} s idle")
        if got:
            raise Failure(f"held connection {i} received {got!r} instead of being closed")
        c.close()
    waited = time.monotonic() - t_idle
    if waited < IDLE_TIMEOUT_S - 1:
        raise Failure(f"idle connections were closed after {waited:.1f} s, before the {IDLE_TIMEOUT_S} s timeout")
    ended += SESSIONS
    heap_and_sessions(fw, ended, deadline)
    check_echo(port, b"after the flood", 10, "echo after the flood and the idle timeouts")
    ended += 1
    stats = heap_and_sessions(fw, ended, deadline)
    print(f"{args.label}: {EXTRA} connections beyond the pool refused, {SESSIONS} idle ones timed out "
          f"after {waited:.1f} s, still serving; server counters {stats}")
    print(next(line for line in reversed(fw.output()) if " sessions " in line))


def run(args):
    return run_checks(args.label, lambda boards: checks(args, boards))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--kernel", required=True)
    p.add_argument("--deadline", type=float, default=120.0, help="seconds for the whole run")
    p.add_argument("--connections", type=int, default=3)
    p.add_argument("--label", default="echo-firmware", help="the name in the printed lines (the ctest's)")
    args = p.parse_args()
    sys.exit(run(args))


if __name__ == "__main__":
    main()
