# SPDX-License-Identifier: MIT
"""ctest firmware-wire-abuse: hostile and malformed frames at the echo firmware on a tap link.

Run with Debian's own /usr/bin/python3 (python3-scapy lives there). In a network namespace of its own
(no route out: no frame leaves the machine), ./scripts/firmware --tap brings the board up; then, family
by family, frames built with scapy from fixed seeds are written to the tap: truncated and oversized
Ethernet, IPv4, IPv6, TCP, UDP and ICMP headers with wrong lengths and checksums, IP fragments with holes
and overlaps, TCP option garbage, a SYN flood beyond the board's PCB pool, ARP and neighbour-discovery
floods, and a hand-made client (an address the kernel does not own) that stops reading its echo and
sends in-order 1-byte segments while a second client must still be served within 2 s.

After each family the board must answer TCP and UDP echo again within a bounded time, QEMU must still
run (a fault handler ends it), the heap count must stay 0, and the driver's counters must be
consistent with what crossed the tap (the board never counts more frames received than the tap
delivered, nor more sent than the tap saw; counters never go back).

--soak N multiplies every family's frame count (the CI run sends a little over 20,000 frames in all).
Not root, no /dev/net/tun or no scapy: a skip with the reason."""
import argparse
import ipaddress
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap_link import Failure, TapBoard, enter_private_namespace, skip, tcp_echo, udp_echo  # noqa: E402

RECOVERY_S = 10.0  # how long the board may take to answer echo again after a family
# lwIP keeps a half-open connection (SYN-RCVD) for TCP_SYN_RCVD_TIMEOUT (20 s, fixed in tcp_priv.h) and
# has no SYN cookies, and a new SYN never evicts one of the same priority: after a SYN flood that took
# every PCB, new clients are served once those time out (the slow timer runs every 500 ms).
RECOVERY_AFTER_SYN_FLOOD_S = 35.0
HOST4 = "192.0.2.2"
HOST6 = "2001:db8:1::2"


def solicited_node(address):
    """ff02::1:ffXX:XXXX, the group of an IPv6 address's last 24 bits (RFC 4291)."""
    low = int(ipaddress.IPv6Address(address)) & 0xFFFFFF
    return str(ipaddress.IPv6Address((0xFF02 << 112) | (1 << 32) | (0xFF << 24) | low))


def tap_counters(tap):
    """Frames the kernel delivered to the tap's reader (QEMU, the board: tx) and read from it (rx)."""
    out = subprocess.run(["ip", "-s", "-o", "link", "show", tap], capture_output=True, text=True).stdout
    fields = out.split("\\")
    rx = tx = None
    for i, f in enumerate(fields):
        if f.strip().startswith("RX:"):
            rx = int(fields[i + 1].split()[1])
        if f.strip().startswith("TX:"):
            tx = int(fields[i + 1].split()[1])
    return rx, tx


class Wire:
    """Writes frames (bytes) to the tap, counting those the kernel refused (shorter than a header), at
    about PACE frames a second: faster, most would only overflow the emulated NIC's receive FIFO (which
    QEMU's model drops without a count) and never reach the board's stack."""

    PACE = 2000
    BURST = 8

    def __init__(self, tap):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.sock.bind((tap, 0))
        self.sent = 0
        self.refused = 0

    def send(self, frames):
        start = time.monotonic()
        for i, f in enumerate(frames):
            if i % self.BURST == 0:
                ahead = start + i / self.PACE - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            try:
                self.sock.send(f)
                self.sent += 1
            except OSError:
                self.refused += 1


def generate(name, board, soak, seed):
    """The frames of one family as bytes (in a worker process: scapy builds about 500 frames a second)."""
    frames = getattr(Abuse(board, soak), name)(random.Random(seed * 100 + FAMILIES.index(name)))
    return [bytes(f) for f in frames]


class Abuse:
    """The families. board: mac, host_mac, ipv4, ipv6, link_local (plain values: it crosses processes)."""

    def __init__(self, board, soak):
        self.board = board
        self.soak = soak

    def n(self, count):
        return count * self.soak

    # --- the families -----------------------------------------------------------------------------
    def eth(self, rng, payload, dst=None, src=None, type=0x0800):
        from scapy.all import Ether
        return Ether(dst=dst or self.board.mac, src=src or self.board.host_mac, type=type) / payload

    def ethernet(self, rng):
        from scapy.all import Raw
        frames = []
        for _ in range(self.n(2000)):
            kind = rng.randrange(4)
            if kind == 0:  # shorter than an Ethernet header
                frames.append(Raw(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 14)))))
            elif kind == 1:  # a header and a runt or random ethertype
                frames.append(self.eth(rng, Raw(os.urandom(rng.randrange(0, 60))), type=rng.randrange(0x10000)))
            elif kind == 2:  # oversized: beyond 1514 bytes (the tap takes up to its MTU + header)
                frames.append(self.eth(rng, Raw(os.urandom(rng.randrange(1500, 9000))), type=0x0800))
            else:  # to broadcast, multicast or another station
                dst = rng.choice(["ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:fb", "33:33:00:00:00:01", "02:00:00:00:00:99"])
                frames.append(self.eth(rng, Raw(os.urandom(rng.randrange(0, 1500))), dst=dst,
                                       type=rng.choice([0x0800, 0x86DD, 0x0806, 0x8100])))
        return frames

    def ipv4(self, rng):
        from scapy.all import IP, Raw
        frames = []
        for _ in range(self.n(3000)):
            ip = IP(src=HOST4, dst=self.board.ipv4, proto=rng.randrange(256), ttl=rng.randrange(256),
                    flags=rng.randrange(8), id=rng.randrange(65536))
            kind = rng.randrange(5)
            payload = Raw(os.urandom(rng.randrange(0, 200)))
            if kind == 0:
                ip.ihl = rng.randrange(16)  # header length that lies
            elif kind == 1:
                ip.len = rng.randrange(65536)  # total length that lies
            elif kind == 2:
                ip.chksum = rng.randrange(65536)  # wrong checksum
            elif kind == 3:
                ip.version = rng.randrange(16)
            else:
                ip.options = [os.urandom(rng.randrange(1, 40))]  # option garbage
            raw = bytes(ip / payload)
            if rng.random() < 0.3:
                raw = raw[:rng.randrange(1, len(raw))]  # cut short
            frames.append(self.eth(rng, Raw(raw)))
        return frames

    def ipv6(self, rng):
        from scapy.all import IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw
        frames = []
        for _ in range(self.n(3000)):
            dst = rng.choice([self.board.ipv6, self.board.link_local, "ff02::1"])
            ip = IPv6(src=HOST6 if not dst.startswith("fe80") else "fe80::1", dst=dst, hlim=rng.randrange(256))
            kind = rng.randrange(4)
            if kind == 0:
                pkt = ip / Raw(os.urandom(rng.randrange(0, 200)))
                pkt.nh = rng.randrange(256)
            elif kind == 1:
                pkt = ip / IPv6ExtHdrHopByHop(options=[]) / Raw(os.urandom(rng.randrange(0, 64)))
                pkt[IPv6ExtHdrHopByHop].len = rng.randrange(256)
            elif kind == 2:
                pkt = ip / IPv6ExtHdrRouting(type=rng.randrange(256), segleft=rng.randrange(256)) / Raw(b"x")
            else:
                pkt = ip
                for _ in range(rng.randrange(1, 12)):  # a long chain of extension headers
                    pkt = pkt / IPv6ExtHdrDestOpt()
                pkt = pkt / Raw(os.urandom(8))
            raw = bytearray(bytes(pkt))
            if rng.random() < 0.5:
                plen = rng.randrange(65536)  # payload length that lies
                raw[4:6] = plen.to_bytes(2, "big")
            if rng.random() < 0.3:
                raw = raw[:rng.randrange(1, len(raw))]
            frames.append(self.eth(rng, Raw(bytes(raw)), type=0x86DD))
        return frames

    def tcp(self, rng):
        from scapy.all import IP, TCP, IPv6, Raw
        frames = []
        for _ in range(self.n(3000)):
            v6 = rng.random() < 0.4
            ip = IPv6(src=HOST6, dst=self.board.ipv6) if v6 else IP(src=HOST4, dst=self.board.ipv4)
            seg = TCP(sport=rng.randrange(1024, 65536), dport=rng.choice([1234, 1234, rng.randrange(65536)]),
                      seq=rng.randrange(2**32), ack=rng.randrange(2**32), flags=rng.randrange(256),
                      window=rng.randrange(65536), dataofs=rng.choice([None, rng.randrange(16)]),
                      urgptr=rng.randrange(65536))
            if rng.random() < 0.5:
                seg.options = [(rng.randrange(256), os.urandom(rng.randrange(0, 10)))]  # option garbage
            if rng.random() < 0.3:
                seg.chksum = rng.randrange(65536)
            raw = bytes(ip / seg / Raw(os.urandom(rng.randrange(0, 100))))
            if rng.random() < 0.2:
                raw = raw[:rng.randrange(1, len(raw))]
            frames.append(self.eth(rng, Raw(raw), type=0x86DD if v6 else 0x0800))
        return frames

    def udp(self, rng):
        from scapy.all import IP, UDP, IPv6, Raw
        frames = []
        for _ in range(self.n(2000)):
            v6 = rng.random() < 0.4
            ip = IPv6(src=HOST6, dst=self.board.ipv6) if v6 else IP(src=HOST4, dst=self.board.ipv4)
            dgram = UDP(sport=rng.randrange(1024, 65536), dport=rng.choice([1234, 67, 68, 546, rng.randrange(65536)]))
            kind = rng.randrange(3)
            if kind == 0:
                dgram.len = rng.randrange(65536)  # length that lies
            elif kind == 1:
                dgram.chksum = rng.randrange(65536)  # wrong checksum (0 over IPv6 is illegal too)
            raw = bytes(ip / dgram / Raw(os.urandom(rng.randrange(0, 1400))))
            if rng.random() < 0.2:
                raw = raw[:rng.randrange(1, len(raw))]
            frames.append(self.eth(rng, Raw(raw), type=0x86DD if v6 else 0x0800))
        return frames

    def icmp(self, rng):
        from scapy.all import ICMP, IP, ICMPv6EchoRequest, ICMPv6PacketTooBig, ICMPv6Unknown, IPv6, Raw
        frames = []
        for _ in range(self.n(2000)):
            kind = rng.randrange(4)
            if kind == 0:
                pkt = IP(src=HOST4, dst=self.board.ipv4) / ICMP(type=rng.randrange(256), code=rng.randrange(256)) / \
                    Raw(os.urandom(rng.randrange(0, 100)))
            elif kind == 1:  # echo requests, some with lying lengths or checksums
                pkt = IP(src=HOST4, dst=self.board.ipv4) / ICMP(type=8, chksum=rng.choice([None, 0, 0xFFFF])) / \
                    Raw(os.urandom(rng.randrange(0, 1400)))
            elif kind == 2:
                pkt = IPv6(src=HOST6, dst=self.board.ipv6) / ICMPv6Unknown(type=rng.randrange(256),
                                                                           code=rng.randrange(256)) / \
                    Raw(os.urandom(rng.randrange(0, 100)))
            else:
                pkt = IPv6(src=HOST6, dst=self.board.ipv6) / rng.choice([
                    ICMPv6EchoRequest(data=os.urandom(rng.randrange(0, 1000))),
                    ICMPv6PacketTooBig(mtu=rng.randrange(2**32)) / Raw(os.urandom(48))])
            raw = bytes(pkt)
            if rng.random() < 0.2:
                raw = raw[:rng.randrange(1, len(raw))]
            frames.append(self.eth(rng, Raw(raw), type=0x86DD if kind >= 2 else 0x0800))
        return frames

    def fragments(self, rng):
        from scapy.all import IP, UDP, IPv6, IPv6ExtHdrFragment, Raw, fragment
        frames = []
        while len(frames) < self.n(2000):
            if rng.random() < 0.5:
                pkt = IP(src=HOST4, dst=self.board.ipv4, id=rng.randrange(65536)) / UDP(dport=1234) / \
                    Raw(os.urandom(rng.randrange(100, 3000)))
                pieces = fragment(pkt, fragsize=rng.choice([8, 16, 64, 512]))
                if len(pieces) > 1:
                    pieces.pop(rng.randrange(len(pieces)))  # a hole
                for p in pieces:
                    if rng.random() < 0.2:
                        p.frag = max(0, p.frag + rng.randrange(-4, 4))  # overlaps and gaps
                frames += [self.eth(rng, p) for p in pieces]
            else:
                ident = rng.randrange(2**32)
                for _ in range(rng.randrange(1, 6)):
                    frag = IPv6ExtHdrFragment(id=ident, offset=rng.randrange(8192), m=rng.randrange(2), nh=17)
                    pkt = IPv6(src=HOST6, dst=self.board.ipv6) / frag / Raw(os.urandom(rng.randrange(8, 600)))
                    frames.append(self.eth(rng, pkt, type=0x86DD))
        return frames

    def syn_flood(self, rng):
        """SYNs to the echo port from addresses the kernel does not own (no RST comes back), far more than
        the board has PCBs."""
        from scapy.all import IP, TCP
        return [self.eth(rng, IP(src=f"192.0.2.{rng.randrange(100, 250)}", dst=self.board.ipv4) /
                         TCP(sport=rng.randrange(1024, 65536), dport=1234, flags="S", seq=rng.randrange(2**32)),
                         src="02:00:00:%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
                for _ in range(self.n(1500))]

    def arp(self, rng):
        from scapy.all import ARP, Raw
        frames = []
        for _ in range(self.n(2000)):
            mac = "02:00:00:%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            ip = f"192.0.2.{rng.randrange(100, 250)}"  # never the host's 192.0.2.2 or the board's own
            kind = rng.randrange(4)
            if kind == 0:  # who-has the board, from a stranger (the board answers and learns it)
                pkt = ARP(op=1, hwsrc=mac, psrc=ip, pdst=self.board.ipv4)
            elif kind == 1:  # unsolicited replies
                pkt = ARP(op=2, hwsrc=mac, psrc=ip, hwdst=self.board.mac, pdst=self.board.ipv4)
            elif kind == 2:  # gratuitous
                pkt = ARP(op=1, hwsrc=mac, psrc=ip, pdst=ip)
            else:  # malformed: wrong sizes and op
                pkt = ARP(op=rng.randrange(65536), hwlen=rng.randrange(256), plen=rng.randrange(256),
                          hwsrc=mac, psrc=ip, pdst=self.board.ipv4) / Raw(os.urandom(rng.randrange(0, 20)))
            frames.append(self.eth(rng, pkt, dst=rng.choice(["ff:ff:ff:ff:ff:ff", self.board.mac]), src=mac,
                                   type=0x0806))
        return frames

    def neighbour_discovery(self, rng):
        from scapy.all import (ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6NDOptPrefixInfo,
                               ICMPv6NDOptSrcLLAddr, IPv6)
        frames = []
        for _ in range(self.n(2000)):
            mac = "02:00:00:%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            src = "2001:db8:1::%x" % rng.randrange(0x100, 0xFFFF)
            kind = rng.randrange(4)
            if kind == 0:  # solicitations for the board's addresses from strangers
                pkt = IPv6(src=src, dst=solicited_node(self.board.ipv6), hlim=255) / \
                    ICMPv6ND_NS(tgt=self.board.ipv6) / ICMPv6NDOptSrcLLAddr(lladdr=mac)
            elif kind == 1:  # unsolicited advertisements
                pkt = IPv6(src=src, dst="ff02::1", hlim=255) / ICMPv6ND_NA(tgt=src, R=0, S=0, O=1)
            elif kind == 2:  # router advertisements that must be ignored (hop limit not 255)
                pkt = IPv6(src="fe80::%x" % rng.randrange(1, 0xFFFF), dst="ff02::1", hlim=rng.randrange(255)) / \
                    ICMPv6ND_RA() / ICMPv6NDOptPrefixInfo(prefix="2001:db8:%x::" % rng.randrange(2, 0xFFFF),
                                                          prefixlen=64)
            else:  # redirects from a non-router
                pkt = IPv6(src=src, dst=self.board.ipv6, hlim=255) / ICMPv6ND_Redirect(tgt=src, dst=HOST6)
            frames.append(self.eth(rng, pkt, dst=rng.choice(["33:33:00:00:00:01", self.board.mac]), src=mac,
                                   type=0x86DD))
        return frames


def slow_reader(board, rng):
    """A hand-made client from 192.0.2.201 (not the kernel's: no RST from it) fills the echo path
    without acknowledging the echo, then sends 40 in-order 1-byte segments; meanwhile a second client
    (the kernel's) must get its echo within 2 s."""
    from scapy.all import ARP, IP, TCP, Ether, Raw, conf, sniff
    me, mac = "192.0.2.201", "02:00:00:00:02:01"
    sock = conf.L2socket(iface=board.tap)
    # Who-has the board from the stranger: the board learns the stranger's MAC from the request.
    sock.send(Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / ARP(op=1, hwsrc=mac, psrc=me, pdst=board.ipv4))
    sport = rng.randrange(20000, 60000)
    isn = rng.randrange(2**32)
    base = Ether(dst=board.mac, src=mac) / IP(src=me, dst=board.ipv4)
    syn = base / TCP(sport=sport, dport=1234, flags="S", seq=isn, window=65535)
    answers = sniff(iface=board.tap, count=1, timeout=3, started_callback=lambda: sock.send(syn),
                    lfilter=lambda p: TCP in p and p[TCP].dport == sport and p[TCP].flags & 0x12 == 0x12)
    if not answers:
        raise Failure("slow reader: no SYN-ACK from the board")
    ack = answers[0][TCP].seq + 1
    seq = isn + 1
    sock.send(base / TCP(sport=sport, dport=1234, flags="A", seq=seq, ack=ack, window=65535))
    # Fill the echo path just past what the board can hold (the session's 2048-byte ring and lwIP's
    # 2920-byte send buffer: the board echoes, this client never acknowledges what comes back) while
    # its receive window (2920 bytes) stays open for the 1-byte segments.
    for _ in range(5):
        sock.send(base / TCP(sport=sport, dport=1234, flags="PA", seq=seq, ack=ack, window=65535) / Raw(b"x" * 1024))
        seq += 1024
        time.sleep(0.02)
    for _ in range(40):
        sock.send(base / TCP(sport=sport, dport=1234, flags="PA", seq=seq, ack=ack, window=65535) / Raw(b"y"))
        seq += 1
    start = time.monotonic()
    try:
        tcp_echo((board.ipv4, 1234), socket.AF_INET, b"second client", timeout=2)
    except (Failure, OSError) as e:
        raise Failure(f"slow reader: a second client got no echo within 2 s while the slow reader held its "
                      f"connection ({e})")
    took = time.monotonic() - start
    # Let the board drop the stranger: a reset from it.
    sock.send(base / TCP(sport=sport, dport=1234, flags="R", seq=seq))
    sock.close()
    return took


def check_board(board, name, before, bound=RECOVERY_S):
    """The board answers TCP and UDP echo again, still runs, heap 0, counters consistent."""
    start = time.monotonic()
    last = None
    while True:
        if not board.alive():
            raise Failure(f"after {name}: QEMU stopped (a fault?): {board.board_output()[-2000:]}")
        try:
            tcp_echo((board.ipv4, 1234), socket.AF_INET, b"after " + name.encode(), timeout=2)
            tcp_echo((board.ipv6, 1234, 0, 0), socket.AF_INET6, b"after " + name.encode(), timeout=2)
            udp_echo((board.ipv4, 1234), socket.AF_INET, (0, 100, 1472), tries=2, timeout=1)
            udp_echo((board.ipv6, 1234, 0, 0), socket.AF_INET6, (0, 100, 1452), tries=2, timeout=1)
            break
        except (Failure, OSError) as e:
            last = e
        if time.monotonic() - start > bound:
            raise Failure(f"after {name}: the board does not answer echo within {bound} s: {last}")
    recovered = time.monotonic() - start
    c = board.counters()
    if c is None:
        raise Failure(f"after {name}: the board printed no counters")
    if c["heap"] != 0:
        raise Failure(f"after {name}: heap allocations after init {c['heap']}, not 0")
    rx_tap, tx_tap = tap_counters(board.tap)
    if c["rx"] > tx_tap or c["tx"] > rx_tap:
        raise Failure(f"after {name}: the board counts rx={c['rx']} tx={c['tx']}, the tap delivered {tx_tap} and "
                      f"read {rx_tap}")
    if before is not None and any(c[k] < before[k] for k in ("rx", "tx", "drops", "accepted")):
        raise Failure(f"after {name}: a counter went back: {before} -> {c}")
    return c, recovered


# The SYN flood first: the others are built while the board recovers from it.
FAMILIES = ["syn_flood", "ethernet", "ipv4", "ipv6", "tcp", "udp", "icmp", "fragments", "arp",
            "neighbour_discovery", "slow_reader"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--script", required=True, help="scripts/firmware")
    p.add_argument("--build", required=True, help="the cortex-m3-qemu build tree")
    p.add_argument("--tap-name", default="emsockabuse0")
    p.add_argument("--soak", type=int, default=1, help="multiply every family's frame count")
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--families", default=",".join(FAMILIES), help="comma-separated, in this order")
    args = p.parse_args()
    families = args.families.split(",")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        p.error(f"unknown families {unknown}: {FAMILIES}")
    if subprocess.run([sys.executable, "-c", "import scapy"], capture_output=True).returncode != 0:
        skip(f"no scapy in {sys.executable}: install Debian's python3-scapy (./scripts/test installs it)")
    enter_private_namespace()

    began = time.monotonic()
    board = TapBoard(args.script, args.build, args.tap_name)
    print(f"board up after {time.monotonic() - began:.1f} s: {board.ipv4}, {board.ipv6}")
    try:
        # Oversized frames must reach the board: the host side of the link takes jumbo frames.
        subprocess.run(["ip", "link", "set", args.tap_name, "mtu", "9000"], check=True)
        wire = Wire(args.tap_name)
        counters, _ = check_board(board, "start", None)
        info = types.SimpleNamespace(mac=board.mac, host_mac=board.host_mac, ipv4=board.ipv4, ipv6=board.ipv6,
                                     link_local=board.link_local)
        # Frames are built in two worker processes while the board takes what came before (the SYN
        # flood's recovery above all); each family is written and checked in order.
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pending = [(name, pool.apply_async(generate, (name, info, args.soak, args.seed)))
                       for name in families if name != "slow_reader"]
            for name, job in pending:
                frames = job.get(timeout=600)
                t0 = time.monotonic()
                sent0 = wire.sent
                wire.send(frames)
                spent = time.monotonic() - t0
                counters, recovered = check_board(board, name, counters,
                                                  RECOVERY_AFTER_SYN_FLOOD_S if name == "syn_flood" else RECOVERY_S)
                print(f"{name}: {wire.sent - sent0} frames in {spent:.1f} s; echo again after {recovered:.1f} s; "
                      f"board rx={counters['rx']} tx={counters['tx']} drops={counters['drops']} "
                      f"heap={counters['heap']}")
        if "slow_reader" in families:
            took = slow_reader(board, random.Random(args.seed))
            counters, recovered = check_board(board, "slow_reader", counters)
            print(f"slow_reader: a second client served in {took:.2f} s while 40 1-byte segments were held")
        print(f"frames: {wire.sent} written to the tap, {wire.refused} refused by the kernel (shorter than a "
              f"header); {time.monotonic() - began:.0f} s in all")
        if families == FAMILIES and wire.sent < 20000 * args.soak:
            raise Failure(f"only {wire.sent} frames reached the tap (at least {20000 * args.soak} intended)")
        board.stop()
    finally:
        board.kill()
    print("firmware-wire-abuse: passed")


if __name__ == "__main__":
    try:
        main()
    except (Failure, OSError, subprocess.SubprocessError) as e:
        print(f"firmware-wire-abuse: FAILED: {e}")
        sys.exit(1)
