# SPDX-License-Identifier: MIT
"""ctest firmware-tap: the echo firmware on a real Ethernet link, through the Linux kernel's own stack.

In a network namespace of its own (unshare --net: loopback and the tap only, no route out, so no frame
leaves the machine), ./scripts/firmware --tap brings up the tap, dnsmasq and the board; then, against
the addresses the board printed:
- TCP echo over IPv4, the IPv6 global address and the link-local one with %<tap>;
- UDP echo of every size 0..1472 bytes over IPv4 and 0..1452 over IPv6, each datagram verified;
- ping and ping -6 (global and link-local) answered;
- emsock-echo-client (TCP and --udp; the link-local host given as fe80::...%<tap>, so emsock's scoped
  parser runs on the host side) and emsock-echo-load against the board;
- the seed's Python client (connect, send 'Hi, Rocky!', print 'Received data: ...');
- the board's heap count still 0, and SIGTERM: the script exits 0, the tap and its processes are gone.

Not root (no CAP_NET_ADMIN), no /dev/net/tun or no unshare: a skip with the reason (exit 77)."""
import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

SKIP = 77
SEED_MESSAGE = b"Hi, Rocky!"


class Failure(Exception):
    pass


def skip(reason):
    print(f"skipped: {reason}")
    sys.exit(SKIP)


def can_admin_network():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return (int(line.split()[1], 16) >> 12) & 1 == 1
    return False


def enter_private_namespace():
    """Re-runs this test inside a new network namespace (once)."""
    if os.environ.get("EMSOCK_TAP_TEST_NAMESPACE") == "1":
        return
    if not can_admin_network():
        skip("needs CAP_NET_ADMIN (root) to make a network namespace and a tap")
    if not os.path.exists("/dev/net/tun"):
        skip("no /dev/net/tun (the tun module) to make a tap")
    env = dict(os.environ, EMSOCK_TAP_TEST_NAMESPACE="1")
    try:
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10)
    except FileNotFoundError:
        skip("no unshare (util-linux) to make a network namespace")
    if probe.returncode != 0:
        skip(f"unshare --net fails here: {probe.stderr.decode(errors='replace').strip()}")
    os.execvpe("unshare", ["unshare", "--net", sys.executable] + sys.argv, env)


def tcp_echo(address, family, payload, timeout=10):
    """Sends payload and reads the echo at the same time (select), so that neither side's window
    stalls the other; every byte compared."""
    got = bytearray()
    sent = 0
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(address)
        s.setblocking(False)
        end = time.monotonic() + timeout
        while len(got) < len(payload):
            left = end - time.monotonic()
            if left <= 0:
                raise Failure(f"TCP echo through {address[0]}: {sent} of {len(payload)} bytes sent, {len(got)} back "
                              f"after {timeout} s")
            readable, writable, _ = select.select([s], [s] if sent < len(payload) else [], [], left)
            if writable:
                sent += s.send(payload[sent:sent + 16384])
            if readable:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
    if bytes(got) != payload:
        raise Failure(f"TCP echo through {address[0]}: sent {len(payload)} bytes, got {len(got)} back"
                      f"{'' if len(got) != len(payload) else ' (different)'}")


def udp_echo_every_size(address, family, most):
    """Datagrams of 0..most bytes, one at a time, each compared; a lost one is sent again twice."""
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        s.connect(address)
        for size in range(most + 1):
            data = bytes((i * 31 + size) & 0xFF for i in range(size))
            for attempt in range(3):
                s.send(data)
                try:
                    reply = s.recv(65536)
                except socket.timeout:
                    continue
                if reply != data:
                    raise Failure(f"UDP echo of {size} bytes through {address[0]}: {len(reply)} bytes came back, "
                                  "not the same")
                break
            else:
                raise Failure(f"UDP echo of {size} bytes through {address[0]}: no reply after 3 tries")


def run(cmd, what, timeout=60, expect=None):
    result = subprocess.run(cmd, capture_output=True, timeout=timeout)
    out = result.stdout.decode(errors="replace")
    if result.returncode != 0:
        raise Failure(f"{what}: exit {result.returncode}: {out}{result.stderr.decode(errors='replace')}")
    if expect is not None and not re.search(expect, out, re.M):
        raise Failure(f"{what}: no line matching {expect!r} in: {out}")
    return out


def seed_client(host, family, address):
    """The seed's client in Python: connect, send 'Hi, Rocky!', print what came back."""
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(address)
        s.sendall(SEED_MESSAGE)
        data = s.recv(1024)
    line = f"Received data: {data.decode(errors='replace')}"
    print(line)
    if line != "Received data: Hi, Rocky!":
        raise Failure(f"the seed's client against {host} printed {line!r}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--script", required=True, help="scripts/firmware")
    p.add_argument("--build", required=True, help="the cortex-m3-qemu build tree")
    p.add_argument("--client", required=True, help="emsock-echo-client built for this host")
    p.add_argument("--load", required=True, help="emsock-echo-load built for this host")
    p.add_argument("--tap-name", default="emsocktap0")
    p.add_argument("--deadline", type=float, default=150)
    args = p.parse_args()
    enter_private_namespace()
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    tap = args.tap_name
    fw_output = f"/tmp/emsock-tap-test-{os.getpid()}.log"
    env = dict(os.environ, EMSOCK_FIRMWARE_BUILD_DIR=args.build, EMSOCK_FIRMWARE_OUTPUT=fw_output,
               EMSOCK_FIRMWARE_TIMEOUT="60")
    script = subprocess.Popen([args.script, "--tap", "--tap-name", tap], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        lines = []
        end = time.monotonic() + 90
        while len(lines) < 2:
            if time.monotonic() > end:
                raise Failure("scripts/firmware --tap printed no listening lines within 90 s")
            line = script.stdout.readline().decode(errors="replace")
            if not line:
                raise Failure(f"scripts/firmware --tap ended (exit {script.wait()}): "
                              f"{script.stderr.read().decode(errors='replace')}")
            lines.append(line.rstrip("\n"))
        m4 = re.fullmatch(r"firmware listening on (192\.0\.2\.\d+):1234", lines[0])
        m6 = re.fullmatch(r"firmware listening on \[(2001:db8:1:[0-9a-f:]+)\]:1234", lines[1])
        if not m4 or not m6:
            raise Failure(f"the listening lines are not as specified: {lines}")
        v4, v6 = m4.group(1), m6.group(1)
        with open(fw_output) as f:
            board = f.read()
        ll = re.search(r"^emsock-echo-firmware: ipv6 (fe80:[0-9a-f:]+)%en0$", board, re.M)
        if not ll:
            raise Failure(f"the board printed no link-local address: {board}")
        link_local = f"{ll.group(1)}%{tap}"
        print(f"board: {v4}, {v6}, {link_local}")

        targets = [(v4, socket.AF_INET, (v4, 1234)), (v6, socket.AF_INET6, (v6, 1234, 0, 0)),
                   (link_local, socket.AF_INET6, socket.getaddrinfo(link_local, 1234, socket.AF_INET6)[0][4])]
        for name, family, address in targets:
            tcp_echo(address, family, b"emsock over the tap " + name.encode())
            tcp_echo(address, family, os.urandom(200000))
        print("tcp echo: IPv4, IPv6 global, IPv6 link-local: every byte back")
        udp_echo_every_size(targets[0][2], socket.AF_INET, 1472)
        udp_echo_every_size(targets[1][2], socket.AF_INET6, 1452)
        print("udp echo: 0..1472 bytes over IPv4, 0..1452 over IPv6: every datagram verified")

        run(["ping", "-c", "3", "-i", "0.2", "-W", "2", v4], "ping " + v4, expect=r" 0% packet loss")
        run(["ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", v6], "ping -6 " + v6, expect=r" 0% packet loss")
        run(["ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", link_local], "ping -6 " + link_local,
            expect=r" 0% packet loss")
        print("ping: IPv4, IPv6 global and link-local answered")

        for host in (v4, v6, link_local):
            run([args.client, "--host", host, "--repeat", "3", "--size", "20000"], f"emsock-echo-client {host}",
                expect=r"^summary: 3/3 verified")
            run([args.client, "--udp", "--host", host, "--repeat", "20", "--size", "1000"],
                f"emsock-echo-client --udp {host}", expect=r"^summary: 20/20 verified")
        run([args.load, v4, "1234", "--conns", "4", "--bytes", "262144"], "emsock-echo-load " + v4, timeout=120)
        run([args.load, link_local, "1234", "--conns", "2", "--bytes", "65536"], "emsock-echo-load " + link_local,
            timeout=120)
        print("emsock-echo-client (TCP, --udp) and emsock-echo-load: verified against the board")

        seed_client(v4, socket.AF_INET, targets[0][2])
        seed_client(v6, socket.AF_INET6, targets[1][2])

        # The board prints its counters after each session: the last line must say heap=0.
        end = time.monotonic() + 10
        while True:
            with open(fw_output) as f:
                sessions = re.findall(r"^emsock-echo-firmware: sessions .* heap=(\d+) ", f.read(), re.M)
            if sessions or time.monotonic() > end:
                break
            time.sleep(0.2)
        if not sessions or sessions[-1] != "0":
            raise Failure(f"the board's heap count after the run: {sessions[-1:] or 'no sessions line'}")
        print(f"board: heap allocations after init {sessions[-1]}")

        script.send_signal(signal.SIGTERM)
        try:
            rc = script.wait(timeout=20)
        except subprocess.TimeoutExpired:
            raise Failure("scripts/firmware --tap still runs 20 s after SIGTERM")
        if rc != 0:
            raise Failure(f"scripts/firmware --tap exited {rc} after SIGTERM, not 0")
        if subprocess.run(["ip", "link", "show", tap], capture_output=True).returncode == 0:
            raise Failure(f"the tap {tap} is still there after SIGTERM")
        print(f"scripts/firmware --tap: SIGTERM -> exit 0, tap {tap} removed")
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        if os.path.exists(fw_output):
            os.unlink(fw_output)
    print("firmware-tap: passed")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError, subprocess.SubprocessError) as e:
        print(f"firmware-tap: FAILED: {e}")
        sys.exit(1)
