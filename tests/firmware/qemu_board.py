# SPDX-License-Identifier: MIT
"""Helpers of the firmware tests: an MPS2 board under qemu-system-arm with its semihosting output
collected, and host-side echo clients that talk only to 127.0.0.1 (QEMU's forward).

Every board is started in its own process group and stopped with stop() (SIGTERM, then SIGKILL):
callers stop it in a `finally`, so QEMU is killed on every way out."""
import os
import re
import signal
import socket
import subprocess
import threading
import time

HOST = "127.0.0.1"


class Failure(Exception):
    pass


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Board:
    """QEMU running one image. nic: the -nic value (user,... or socket,...); args: the image's
    semihosting command line (arg=...; none may contain a comma)."""

    def __init__(self, qemu, machine, kernel, nic, args=()):
        semihosting = "enable=on,target=native"
        for a in args:
            if "," in a:
                raise ValueError(f"semihosting argument with a comma: {a!r}")
            semihosting += f",arg={a}"
        cmd = [qemu, "-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
               "-semihosting-config", semihosting, "-nic", nic, "-kernel", kernel]
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

    def wait_for(self, regex, deadline, what):
        """The first match of regex in the output, waiting until the deadline (time.monotonic())."""
        rx = re.compile(regex)
        while True:
            for line in self.output():
                m = rx.search(line)
                if m:
                    return m
            if self.proc.poll() is not None:
                self.reader.join(timeout=2)
                for line in self.output():
                    m = rx.search(line)
                    if m:
                        return m
                raise Failure(f"QEMU exited with status {self.proc.returncode} before {what}")
            if time.monotonic() > deadline:
                raise Failure(f"no {what} before the deadline")
            time.sleep(0.1)

    def wait_exit(self, deadline):
        """The image's exit status (QEMU's), or Failure when it still runs at the deadline."""
        try:
            status = self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise Failure("the image did not exit before the deadline")
        self.reader.join(timeout=2)
        return status

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reader.join(timeout=2)


def user_nic(port, mac=None):
    """User networking that reaches nothing outside, with 127.0.0.1:port forwarded to guest port 1234."""
    nic = f"user,restrict=on,hostfwd=tcp:{HOST}:{port}-:1234"
    return nic + (f",mac={mac}" if mac else "")


def pattern(n, seed):
    """n pseudo-random bytes (xorshift32), the same for the same seed."""
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


def check_echo(port, data, timeout, what):
    got = echo(port, data, timeout)
    if got != data:
        first = next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), min(len(got), len(data)))
        raise Failure(f"{what}: {len(got)} of {len(data)} bytes came back, first difference at {first}")


def wait_until_up(board, port, deadline):
    """Tries one-byte echoes until one comes back: the only proof that the guest serves (a connect
    to QEMU's forward succeeds even when the guest is halted)."""
    while time.monotonic() < deadline:
        if board.proc.poll() is not None:
            raise Failure(f"QEMU exited with status {board.proc.returncode} before the firmware served")
        try:
            if echo(port, b"x", timeout=1.0) == b"x":
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failure("no echo through the forward before the deadline")


SESSIONS_LINE = re.compile(r"sessions accepted=(\d+) finished=(\d+) failed=(\d+) refused=(\d+) bytes=(\d+) heap=(\d+)")


def heap_and_sessions(board, wanted_ended, deadline):
    """Waits for emsock-echo-firmware's sessions line counting at least wanted_ended ended sessions;
    checks heap=0 in it. Returns the parsed counters."""
    while True:
        for line in reversed(board.output()):
            m = SESSIONS_LINE.search(line)
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


def client_passes(client, deadline, shown, what, endpoints=2):
    """Waits for the echo client board to exit (until deadline), prints its lines that contain one of
    `shown`, ": OK" or "failed", and requires exit 0 with its "OK: N of N endpoints, heap=0" line.
    Returns its output lines."""
    status = client.wait_exit(deadline)
    out = client.output()
    for line in out:
        if any(s in line for s in tuple(shown) + (": OK", "failed")):
            print(line)
    if status != 0 or not any(f": OK: {endpoints} of {endpoints} endpoints, heap=0" in line for line in out):
        raise Failure(f"{what} exited with status {status}")
    return out


def run_checks(label, checks, names=()):
    """Calls checks(boards) with an empty list that it fills with the Boards it starts. Returns 0 when
    checks returns; on a Failure prints "<label>: FAILED: <why>" and the output of each board (named
    by names, in order), and returns 1. Every board is stopped on every way out."""
    boards = []
    try:
        checks(boards)
        return 0
    except Failure as e:
        print(f"{label}: FAILED: {e}")
        for i, b in enumerate(boards):
            print(f"--- {names[i] if i < len(names) else 'firmware'} output ---")
            print("\n".join(b.output()))
        return 1
    finally:
        for b in boards:
            b.stop()
