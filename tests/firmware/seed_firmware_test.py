#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ctest firmware-seed: emsock-seed-firmware (the seed's program on the board) runs to its end, and every
answer it prints is checked against what the seed's Python gives for the same question:

- the names: gethostname() is the host name the board announces by DHCP (emsock-board);
  getaddrinfo("host.emsock.test", 80, AF_INET, SOCK_STREAM, IPPROTO_TCP) and gethostbyname(gethostname())
  are answered by DNS on the link - dnsmasq on a tap in a network namespace of the test's own - or,
  where no tap can be made (not root, no /dev/net/tun, no unshare) or with --dns loopback, by the
  image's DNS responder on the board's loopback path (QEMU's restricted user network then, which
  reaches nothing outside); the summary says which;
- inet_pton's verdicts as Python's socket.inet_pton's; IP <-> int as struct.unpack("!L", inet_aton(ip))
  and inet_ntoa(struct.pack("!L", n));
- the server on 1234 and the client dialing 127.1: "Received data: Hi, Rocky!";
- the threads: two client threads and the server thread, both connections open together, every round
  trip verified; one socket shared by a sender and a receiver thread (LWIP_NETCONN_FULLDUPLEX=1);
- heap allocations after init 0, and the image exits 0.

  seed_firmware_test.py --qemu QEMU --machine mps2-an385 --kernel ELF [--dns auto|loopback] [--deadline S]"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_board import Board, Failure, free_port, user_nic  # noqa: E402
import tap_link  # noqa: E402

TAG = "emsock-seed-firmware"


def tap_unavailable():
    """Why no tap link can be made here, or None when it can."""
    if not tap_link.can_admin_network():
        return "not root (no CAP_NET_ADMIN) to make a network namespace and a tap"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    try:
        if subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10).returncode != 0:
            return "unshare --net fails here"
    except FileNotFoundError:
        return "no unshare (util-linux)"
    return None


def pton_ok(family, text):
    try:
        socket.inet_pton(family, text)
        return True
    except OSError:
        return False


def check_output(lines, dns_mode):
    """Every answer the image printed, against the seed's Python; returns the checked lines."""
    text = "\n".join(lines)

    def one(regex, what):
        m = re.search(regex, text, re.M)
        if not m:
            raise Failure(f"no line for {what} (wanted /{regex}/)")
        return m

    if "seed: FAILED" in text:
        raise Failure(one(r"^seed: FAILED: .*$", "the failure").group(0))
    board_v4 = one(rf"^{TAG}: ipv4 (\S+) netmask ", "the board's IPv4 address").group(1)
    if dns_mode == "link":
        one(r"^seed: dns link \(server 192\.0\.2\.2\)$", "the link's DNS server (dnsmasq, by DHCP)")
    else:
        one(r"^seed: dns loopback responder 127\.0\.0\.1:53$", "the loopback DNS responder")
    one(r"^seed: gethostname\(\) = emsock-board$", "gethostname()")
    one(r'^seed: getaddrinfo\("host\.emsock\.test", 80, AF_INET, SOCK_STREAM, IPPROTO_TCP\) = 192\.0\.2\.2:80 stream tcp$',
        "getaddrinfo")
    if re.search(r'^seed: getaddrinfo\(.*\) = (?!192\.0\.2\.2:80 )', text, re.M):
        raise Failure("getaddrinfo gave another address too")
    got = one(r'^seed: gethostbyname\("emsock-board"\) = (\S+)$', "gethostbyname(gethostname())").group(1)
    if got != board_v4:
        raise Failure(f"gethostbyname(gethostname()) = {got}, but the board's address is {board_v4}")
    pton = re.findall(r'^seed: inet_pton\((AF_INET6?), "(.*)"\) = (valid|invalid \(\w+ at \d+\))$', text, re.M)
    if len(pton) < 12:
        raise Failure(f"{len(pton)} inet_pton lines, not 12")
    for fam, addr, verdict in pton:
        want = pton_ok(socket.AF_INET if fam == "AF_INET" else socket.AF_INET6, addr)
        if want != (verdict == "valid"):
            raise Failure(f"inet_pton({fam}, {addr!r}) = {verdict}, Python's socket.inet_pton says "
                          f"{'valid' if want else 'invalid'}")
    to_int = re.findall(r'^seed: ip_to_int\("(.*)"\) = (\d+)$', text, re.M)
    to_ip = re.findall(r'^seed: int_to_ip\((\d+)\) = (\S+)$', text, re.M)
    if len(to_int) < 3 or len(to_ip) < 3:
        raise Failure("fewer than 3 ip_to_int / int_to_ip lines")
    for addr, n in to_int:
        if struct.unpack("!L", socket.inet_aton(addr))[0] != int(n):
            raise Failure(f"ip_to_int({addr}) = {n}, not struct.unpack('!L', inet_aton(...))")
    for n, addr in to_ip:
        if socket.inet_ntoa(struct.pack("!L", int(n))) != addr:
            raise Failure(f"int_to_ip({n}) = {addr}, not inet_ntoa(struct.pack('!L', n))")
    one(r"^seed: server listening on 0\.0\.0\.0:1234$", "the server")
    one(r"^seed: client dials 127\.1 = 127\.0\.0\.1:1234$", "the client's 127.1")
    one(r"^Received data: Hi, Rocky!$", "the seed's client")
    one(r"^seed: threads: the server thread and 2 client threads at once \(2 connections open together\), "
        r"20 round trips each, verified$", "the threads")
    one(r"^seed: fullduplex: one socket, a sender thread and a receiver thread at once: 32768 bytes back, verified$",
        "the shared socket (LWIP_NETCONN_FULLDUPLEX=1)")
    one(r"^seed: heap allocations after init: 0$", "heap allocations after init 0")
    one(r"^seed: done$", "the end")
    return [l for l in lines if l.startswith("seed:") or l.startswith("Received data:")]


def run_image(args, nic, extra=()):
    board = Board(args.qemu, args.machine, args.kernel, nic, (TAG,) + tuple(extra))
    try:
        status = board.wait_exit(time.monotonic() + args.deadline)
        lines = board.output()
        if status != 0:
            raise Failure(f"the image exited {status}:\n" + "\n".join(lines))
        return lines
    finally:
        board.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--kernel", required=True)
    p.add_argument("--dns", choices=("auto", "loopback"), default="auto")
    p.add_argument("--deadline", type=float, default=90.0)
    p.add_argument("--tap-name", default="emsockseed0")
    args = p.parse_args()
    label = "firmware-seed" if args.dns == "auto" else "firmware-seed-loopback-dns"

    why = tap_unavailable() if args.dns == "auto" else "--dns loopback asked for"
    if why is None:
        tap_link.enter_private_namespace()  # runs this script again inside a namespace of its own
    try:
        if why is None:
            with tempfile.TemporaryDirectory(prefix="emsock-seed-") as state:
                link = tap_link.TapLink(args.tap_name, state)
                try:
                    lines = run_image(args, link.qemu_nic())
                finally:
                    link.close()
            dns_mode, summary = "link", "DNS on the link (dnsmasq on a tap in a namespace of the test's own)"
        else:
            lines = run_image(args, user_nic(free_port()), ("dns=loopback",))
            dns_mode, summary = "loopback", f"DNS by the image's responder on its loopback path ({why})"
        for line in check_output(lines, dns_mode):
            print(line)
    except (Failure, OSError, subprocess.SubprocessError) as e:
        print(f"{label}: FAILED: {e}")
        sys.exit(1)
    print(f"{label}: passed: every answer checked; names: {summary}")


if __name__ == "__main__":
    main()
