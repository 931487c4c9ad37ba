# SPDX-License-Identifier: MIT
"""ctest firmware-tap: the echo firmware on a real Ethernet link, through the Linux kernel's own stack.

In a network namespace of its own (unshare --net: loopback and the tap only, no route out, so no frame
leaves the machine), ./scripts/firmware --tap brings up the tap, dnsmasq and the board; then, against
the addresses the board printed:
- the link's DNS: host.emsock.test (A and AAAA) and the board's DHCP host name, emsock-board.emsock.test;
- TCP echo over IPv4, the IPv6 global address and the link-local one with %<tap>;
- UDP echo of every size 0..1472 bytes over IPv4 and 0..1452 over IPv6, each datagram verified;
- ping and ping -6 (global and link-local) answered;
- emsock-echo-client (TCP and --udp; the link-local host given as fe80::...%<tap>, so emsock's scoped
  parser runs on the host side) and emsock-echo-load against the board;
- the seed's Python client (connect, send 'Hi, Rocky!', print 'Received data: ...');
- the board's heap count still 0, and SIGTERM: the script exits 0, the tap and its processes are gone.

With --sockets: the same against emsock-socket-firmware (./scripts/firmware --sockets --tap; ctest
firmware-sockets-tap). Not root (no CAP_NET_ADMIN), no /dev/net/tun or no unshare: a skip with the
reason (exit 77)."""
import argparse
import re
import socket
import subprocess
import sys
import time

from tap_link import Failure, TapBoard, dns_query, enter_private_namespace, tcp_echo, udp_echo

SEED_MESSAGE = b"Hi, Rocky!"
LABEL = "firmware-tap"


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
    p.add_argument("--sockets", action="store_true", help="emsock-socket-firmware (scripts/firmware --sockets)")
    args = p.parse_args()
    enter_private_namespace()
    global LABEL
    LABEL = "firmware-sockets-tap" if args.sockets else "firmware-tap"

    board = TapBoard(args.script, args.build, args.tap_name, sockets=args.sockets)
    try:
        targets = board.targets()
        v4, v6, scoped = (t[0] for t in targets)
        print(f"board: {v4}, {v6}, {scoped}")
        # The link's DNS (dnsmasq): this side and the board by the name its DHCP lease carries.
        for name, qtype, want in (("host.emsock.test", 1, "192.0.2.2"), ("host.emsock.test", 28, "2001:db8:1::2"),
                                  ("emsock-board.emsock.test", 1, v4)):
            got = dns_query("192.0.2.2", name, qtype)
            if got != [want]:
                raise Failure(f"DNS on the link: {name} ({'A' if qtype == 1 else 'AAAA'}) answered {got}, not {want}")
        print(f"dns: host.emsock.test 192.0.2.2 and 2001:db8:1::2, emsock-board.emsock.test {v4}")
        for name, family, address in targets:
            tcp_echo(address, family, b"emsock over the tap " + name.encode())
            tcp_echo(address, family, bytes((i * 7) & 0xFF for i in range(200000)))
        print("tcp echo: IPv4, IPv6 global, IPv6 link-local: every byte back")
        udp_echo(targets[0][2], socket.AF_INET, range(1473))
        udp_echo(targets[1][2], socket.AF_INET6, range(1453))
        print("udp echo: 0..1472 bytes over IPv4, 0..1452 over IPv6: every datagram verified")

        for host in (v4, v6, scoped):
            run(["ping", "-6" if ":" in host else "-4", "-c", "3", "-i", "0.2", "-W", "2", host], "ping " + host,
                expect=r" 0% packet loss")
        print("ping: IPv4, IPv6 global and link-local answered")

        for host in (v4, v6, scoped):
            run([args.client, "--host", host, "--repeat", "3", "--size", "20000"], f"emsock-echo-client {host}",
                expect=r"^summary: 3/3 verified")
            run([args.client, "--udp", "--host", host, "--repeat", "20", "--size", "1000"],
                f"emsock-echo-client --udp {host}", expect=r"^summary: 20/20 verified")
        run([args.load, v4, "1234", "--conns", "4", "--bytes", "262144"], "emsock-echo-load " + v4, timeout=120)
        run([args.load, scoped, "1234", "--conns", "2", "--bytes", "65536"], "emsock-echo-load " + scoped,
            timeout=120)
        print("emsock-echo-client (TCP, --udp) and emsock-echo-load: verified against the board")

        seed_client(v4, socket.AF_INET, targets[0][2])
        seed_client(v6, socket.AF_INET6, targets[1][2])

        # The board prints its counters after each session: the last line must say heap=0.
        end = time.monotonic() + 10
        while board.counters() is None and time.monotonic() < end:
            time.sleep(0.2)
        counters = board.counters()
        if counters is None or counters["heap"] != 0:
            raise Failure(f"the board's heap count after the run: {counters}")
        print("board: heap allocations after init 0")

        board.stop()
        print(f"scripts/firmware{' --sockets' if args.sockets else ''} --tap: SIGTERM -> exit 0, "
              f"tap {args.tap_name} removed")
    finally:
        board.kill()
    print(f"{LABEL}: passed")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError, subprocess.SubprocessError) as e:
        print(f"{LABEL}: FAILED: {e}")
        sys.exit(1)
