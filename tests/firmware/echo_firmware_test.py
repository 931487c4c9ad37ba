#!/usr/bin/env python3
"""Runs emsock-echo-firmware under qemu-system-arm with user networking restricted to a host forward
on 127.0.0.1 and checks it from the host: only an echoed byte proves the firmware is up (a connect to
QEMU's forward succeeds even when the guest is halted). Then: a single echo, a burst on one
connection, 256 KB on each of several connections at once, a client that resets mid-stream, a flood
beyond the session pool (the extra connections closed), idle connections timed out; after each, the
firmware still serves, every byte is verified, and its heap count since init is still 0.

  echo_firmware_test.py --qemu QEMU --machine mps2-an385 --kernel ELF [--deadline S]

Traffic goes only to 127.0.0.1 (the forward). The whole run is bounded by --deadline; QEMU is killed
on every way out. Exit 0 when everything passed, 1 otherwise (with the firmware's output)."""
import argparse
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
SESSIONS = 4          # the firmware's pool (examples/emsock-echo-firmware/main.cpp)
EXTRA = 4             # connections beyond it
IDLE_TIMEOUT_S = 10   # its idle timeout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Firmware:
    """QEMU running the firmware; its semihosting output is collected by a reader thread."""

    def __init__(self, qemu, machine, kernel, port):
        self.port = port
        cmd = [qemu, "-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
               "-semihosting-config", "enable=on,target=native",
               "-nic", f"user,restrict=on,hostfwd=tcp:{HOST}:{port}-:1234", "-kernel", kernel]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            with self.lock:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def output(self):
        with self.lock:
            return list(self.lines)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reader.join(timeout=2)


class Failure(Exception):
    pass


def pattern(n, seed):
    out = bytearray(n)
    x = (seed * 2654435761 + 1) & 0xFFFFFFFF
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


def echo(port, data, timeout, chunk=4096):
    """Sends data on one connection while reading the echo; returns what came back before EOF or
    the timeout (the firmware closes after our FIN once everything is echoed)."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.settimeout(timeout)
        got = bytearray()
        sent = 0
        while sent < len(data):
            sent += s.send(data[sent:sent + chunk])
            s.setblocking(False)
            try:
                while True:
                    part = s.recv(65536)
                    if not part:
                        break
                    got += part
            except (BlockingIOError, InterruptedError):
                pass
            s.settimeout(timeout)
        s.shutdown(socket.SHUT_WR)
        while True:
            part = s.recv(65536)
            if not part:
                break
            got += part
        return bytes(got)


def wait_until_up(fw, deadline):
    """Tries one-byte echoes until one comes back: the only proof that the guest serves."""
    while time.monotonic() < deadline:
        if fw.proc.poll() is not None:
            raise Failure(f"QEMU exited with status {fw.proc.returncode} before the firmware served")
        try:
            if echo(fw.port, b"x", timeout=1.0) == b"x":
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failure("no echo through the forward before the deadline")


def heap_and_sessions(fw, wanted_ended, deadline):
    """Waits for the firmware's sessions line counting at least wanted_ended ended sessions; checks
    heap=0 in it. Returns the parsed counters."""
    rx = re.compile(r"sessions accepted=(\d+) finished=(\d+) failed=(\d+) refused=(\d+) bytes=(\d+) heap=(\d+)")
    while True:
        for line in reversed(fw.output()):
            m = rx.search(line)
            if m:
                acc, fin, fail, ref, nbytes, heap = map(int, m.groups())
                if fin + fail + ref >= wanted_ended:
                    if heap != 0:
                        raise Failure(f"the firmware allocated from the heap after init: {line}")
                    return {"accepted": acc, "finished": fin, "failed": fail, "refused": ref, "bytes": nbytes}
                break
        if time.monotonic() > deadline:
            raise Failure(f"no sessions line with {wanted_ended} ended sessions")
        time.sleep(0.1)


def check_echo(port, data, timeout, what):
    got = echo(port, data, timeout)
    if got != data:
        first = next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), min(len(got), len(data)))
        raise Failure(f"{what}: {len(got)} of {len(data)} bytes came back, first difference at {first}")


def run(args):
    port = free_port()
    fw = Firmware(args.qemu, args.machine, args.kernel, port)
    start = time.monotonic()
    deadline = start + args.deadline
    ended = 0
    try:
        wait_until_up(fw, min(deadline, start + 30))
        ended += 1
        print(f"echo-firmware: up after {time.monotonic() - start:.1f} s (echo through 127.0.0.1:{port})")
        for line in fw.output():
            if " ipv4 " in line or " ipv6 " in line:
                print(line)

        check_echo(port, b"hello, firmware\n", 10, "single echo")
        ended += 1
        heap_and_sessions(fw, ended, deadline)
        print("echo-firmware: single echo ok")

        burst = b"".join(pattern(100 + i, i) for i in range(50))
        check_echo(port, burst, 10, "burst")
        ended += 1
        heap_and_sessions(fw, ended, deadline)
        print(f"echo-firmware: burst of {len(burst)} bytes ok")

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
        print(f"echo-firmware: {args.connections} x 256 KB at once ok ({mb / elapsed:.2f} MB/s echoed)")

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
        print(f"echo-firmware: reset mid-stream ok, still serving; server counters {stats}")
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
        stats = heap_and_sessions(fw, ended, deadline)
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
        print(f"echo-firmware: {EXTRA} connections beyond the pool refused, {SESSIONS} idle ones timed out "
              f"after {waited:.1f} s, still serving; server counters {stats}")
        print(next(line for line in reversed(fw.output()) if " sessions " in line))
        return 0
    except Failure as e:
        print(f"echo-firmware: FAILED: {e}")
        print("--- firmware output ---")
        print("\n".join(fw.output()))
        return 1
    finally:
        fw.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--kernel", required=True)
    p.add_argument("--deadline", type=float, default=120.0, help="seconds for the whole run")
    p.add_argument("--connections", type=int, default=3)
    args = p.parse_args()
    sys.exit(run(args))


if __name__ == "__main__":
    main()
