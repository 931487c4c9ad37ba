# SPDX-License-Identifier: MIT
"""What the tap-link tests share: a private network namespace, ./scripts/firmware --tap started in it,
the board's addresses, echo checks through the Linux kernel's stack and the board's counters.

Traffic rule: only the tap's documentation prefixes (192.0.2.0/24, 2001:db8:1::/64), its link-local
addresses and loopback; the namespace has no other interface and no route out."""
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import time

SKIP = 77
PORT = 1234


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


def enter_private_namespace(python=None):
    """Re-runs the calling test inside a new network namespace, once (the environment marks the
    second run); a skip with the reason where that cannot be done."""
    if os.environ.get("EMSOCK_TAP_TEST_NAMESPACE") == "1":
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        return
    if not can_admin_network():
        skip("needs CAP_NET_ADMIN (root) to make a network namespace and a tap")
    if not os.path.exists("/dev/net/tun"):
        skip("no /dev/net/tun (the tun module) to make a tap")
    try:
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10)
    except FileNotFoundError:
        skip("no unshare (util-linux) to make a network namespace")
    if probe.returncode != 0:
        skip(f"unshare --net fails here: {probe.stderr.decode(errors='replace').strip()}")
    env = dict(os.environ, EMSOCK_TAP_TEST_NAMESPACE="1")
    os.execvpe("unshare", ["unshare", "--net", python or sys.executable] + sys.argv, env)


class TapBoard:
    """./scripts/firmware --tap in this namespace: the board's addresses once both listening lines came.
    sockets: ./scripts/firmware --sockets --tap (emsock-socket-firmware, whose lines start with its name)."""

    def __init__(self, script, build, tap, timeout=90, sockets=False):
        self.tap = tap
        self.tag = "emsock-socket-firmware" if sockets else "emsock-echo-firmware"
        self.output = f"/tmp/emsock-tap-{os.getpid()}.log"
        env = dict(os.environ, EMSOCK_FIRMWARE_BUILD_DIR=build, EMSOCK_FIRMWARE_OUTPUT=self.output,
                   EMSOCK_FIRMWARE_TIMEOUT="60")
        self.proc = subprocess.Popen([script] + (["--sockets"] if sockets else []) + ["--tap", "--tap-name", tap], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, start_new_session=True)
        lines = []
        end = time.monotonic() + timeout
        while len(lines) < 2:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                raise Failure(f"scripts/firmware --tap printed no listening lines within {timeout} s")
            line = self.proc.stdout.readline().decode(errors="replace")
            if not line:
                raise Failure(f"scripts/firmware --tap ended (exit {self.proc.wait()}): "
                              f"{self.proc.stderr.read().decode(errors='replace')}")
            lines.append(line.rstrip("\n"))
        self.lines = lines
        m4 = re.fullmatch(r"firmware listening on (192\.0\.2\.\d+):1234", lines[0])
        m6 = re.fullmatch(r"firmware listening on \[(2001:db8:1:[0-9a-f:]+)\]:1234", lines[1])
        if not m4 or not m6:
            raise Failure(f"the listening lines are not as specified: {lines}")
        self.ipv4, self.ipv6 = m4.group(1), m6.group(1)
        ll = re.search(rf"^{self.tag}: ipv6 (fe80:[0-9a-f:]+)%en0$", self.board_output(), re.M)
        if not ll:
            raise Failure(f"the board printed no link-local address: {self.board_output()}")
        self.link_local = ll.group(1)
        self.mac = re.search(rf"^{self.tag}: mac ([0-9a-f:]{{17}})$", self.board_output(), re.M).group(1)
        # (not /sys/class/net: sysfs shows the namespace that mounted it, not this one)
        link = subprocess.run(["ip", "-o", "link", "show", tap], capture_output=True, text=True).stdout
        self.host_mac = re.search(r"link/ether ([0-9a-f:]{17})", link).group(1)

    def targets(self):
        """(name, family, sockaddr) of the IPv4, IPv6 global and link-local (%tap) addresses."""
        scoped = f"{self.link_local}%{self.tap}"
        return [(self.ipv4, socket.AF_INET, (self.ipv4, PORT)),
                (self.ipv6, socket.AF_INET6, (self.ipv6, PORT, 0, 0)),
                (scoped, socket.AF_INET6, socket.getaddrinfo(scoped, PORT, socket.AF_INET6)[0][4])]

    def board_output(self):
        with open(self.output, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def counters(self):
        """The last sessions line's counters (accepted, heap, rx, tx, drops, ...) or None."""
        lines = re.findall(rf"^{self.tag}: sessions (.*)$", self.board_output(), re.M)
        if not lines:
            return None
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", lines[-1])}

    def stop(self):
        """SIGTERM to the script: it must exit 0 and remove the tap."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            raise Failure("scripts/firmware --tap still runs 20 s after SIGTERM")
        if rc != 0:
            raise Failure(f"scripts/firmware --tap exited {rc} after SIGTERM, not 0")
        if subprocess.run(["ip", "link", "show", self.tap], capture_output=True).returncode == 0:
            raise Failure(f"the tap {self.tap} is still there after SIGTERM")

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if os.path.exists(self.output):
            os.unlink(self.output)


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


def dns_query(server, name, qtype):
    """The addresses a DNS server answers for name (qtype 1: A, 28: AAAA), as text; one UDP query, 2 s.
    Only the answer section's records of that type are read (enough for dnsmasq's plain answers)."""
    query = struct.pack("!HHHHHH", 0x4553, 0x0100, 1, 0, 0, 0)
    query += b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    query += struct.pack("!HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(query, (server, 53))
        reply = s.recv(4096)
    if reply[:2] != query[:2]:
        raise Failure(f"DNS {name}: an answer to another query")
    answers = struct.unpack("!H", reply[6:8])[0]
    at = len(query)  # the question comes back as asked
    found = []
    for _ in range(answers):
        if reply[at] & 0xC0 == 0xC0:
            at += 2
        else:
            while reply[at] != 0:
                at += reply[at] + 1
            at += 1
        rtype, _, _, length = struct.unpack("!HHIH", reply[at:at + 10])
        at += 10
        if rtype == qtype:
            family = socket.AF_INET if qtype == 1 else socket.AF_INET6
            found.append(socket.inet_ntop(family, reply[at:at + length]))
        at += length
    return found


def udp_echo(address, family, sizes, tries=3, timeout=1.0):
    """Datagrams of the given sizes, one at a time, each compared; a lost one is sent again."""
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect(address)
        for size in sizes:
            data = bytes((i * 31 + size) & 0xFF for i in range(size))
            for _ in range(tries):
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
                raise Failure(f"UDP echo of {size} bytes through {address[0]}: no reply after {tries} tries")


class TapLink:
    """A tap in this namespace with 192.0.2.2/24 and 2001:db8:1::2/64 and dnsmasq bound to it alone
    (DHCPv4 from 192.0.2.10, router advertisements, DNS for host.emsock.test and the names DHCP
    clients announce, in emsock.test; no upstream): what ./scripts/firmware --tap sets up, for a test
    that runs its own image on the link (qemu_nic() is its -nic value). close() removes both."""

    def __init__(self, tap, state_dir):
        self.tap = tap
        self.log = os.path.join(state_dir, "dnsmasq.log")
        subprocess.run(["ip", "tuntap", "add", tap, "mode", "tap"], check=True)
        subprocess.run(["ip", "addr", "add", "192.0.2.2/24", "dev", tap], check=True)
        subprocess.run(["ip", "-6", "addr", "add", "2001:db8:1::2/64", "dev", tap, "nodad"], check=True)
        subprocess.run(["ip", "link", "set", tap, "up"], check=True)
        self.dnsmasq = subprocess.Popen(
            ["dnsmasq", "--no-daemon", "--conf-file=/dev/null", f"--interface={tap}", "--bind-interfaces",
             "--except-interface=lo", "--dhcp-range=192.0.2.10,192.0.2.50,1h", "--dhcp-range=2001:db8:1::,ra-only,64",
             "--enable-ra", "--no-resolv", "--no-hosts", "--domain=emsock.test", "--local=/emsock.test/",
             "--address=/host.emsock.test/192.0.2.2", "--address=/host.emsock.test/2001:db8:1::2",
             f"--pid-file={os.path.join(state_dir, 'dnsmasq.pid')}",
             f"--dhcp-leasefile={os.path.join(state_dir, 'leases')}", f"--log-facility={self.log}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)

    def qemu_nic(self):
        return f"tap,ifname={self.tap},script=no,downscript=no"

    def close(self):
        if self.dnsmasq.poll() is None:
            os.killpg(self.dnsmasq.pid, signal.SIGTERM)
            try:
                self.dnsmasq.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.dnsmasq.pid, signal.SIGKILL)
                self.dnsmasq.wait()
        subprocess.run(["ip", "link", "delete", self.tap], capture_output=True)
