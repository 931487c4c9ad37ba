#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Firmware built without CMake: plain make builds examples/make-firmware/Makefile (emsock's
Filelists.mk and lwIP's src/Filelists.mk) for a Cortex-M into OUT, then QEMU runs both images: the
loopback self-test must exit 0 with every byte verified and no heap use, and the network echo
firmware must echo 64 KB through a restricted user network's forward on 127.0.0.1 with heap 0.

  make_firmware_test.py --make MAKE --emsock ROOT --lwip LWIP_SRC --out DIR --qemu QEMU
                        [--machine mps2-an385] [--cpu m3] [--deadline S]

Bounded by --deadline; make and QEMU are killed on every way out. Exit 0 when everything passed."""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_board import (Board, Failure, check_echo, free_port, heap_and_sessions, pattern,  # noqa: E402
                        run_checks, user_nic, wait_until_up)


def build(args, deadline):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "EMSOCK_DIR")}
    cmd = [args.make, "-f", os.path.join(args.emsock, "examples", "make-firmware", "Makefile"),
           f"LWIPDIR={args.lwip}", f"O={args.out}", f"CPU={args.cpu}", "WERROR=-Werror", "-j2", "size"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise Failure("make did not finish before the deadline")
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise Failure(f"make failed (status {proc.returncode}):\n{text}")
    sizes = {}
    for line in text.splitlines():  # the size table of the `size` goal (and of each link)
        size = line.split()
        if len(size) == 6 and size[0].isdigit() and size[-1].startswith(args.out):
            sizes[os.path.basename(size[-1])] = size[:3]
    for image, (text_size, data, bss) in sorted(sizes.items()):
        print(f"firmware-make: {image}: text {text_size} data {data} bss {bss}")


def checks(args, boards):
    start = time.monotonic()
    deadline = start + args.deadline
    build(args, deadline)
    print(f"firmware-make: built with {args.make} in {time.monotonic() - start:.1f} s")

    selftest = Board(args.qemu, args.machine, os.path.join(args.out, "selftest.elf"), "none")
    boards.append(selftest)
    status = selftest.wait_exit(min(deadline, time.monotonic() + 30))
    out = selftest.output()
    if status != 0 or "lwip-raw-echo: OK" not in out:
        raise Failure(f"selftest.elf exited with status {status}:\n" + "\n".join(out))
    print(next(line for line in out if "bytes echoed and verified" in line))

    port = free_port()
    fw = Board(args.qemu, args.machine, os.path.join(args.out, "echo-firmware.elf"), user_nic(port))
    boards.append(fw)
    wait_until_up(fw, port, min(deadline, time.monotonic() + 30))
    check_echo(port, pattern(65536, 3), 20, "64 KB echo")
    stats = heap_and_sessions(fw, 2, deadline)
    print(f"firmware-make: echo-firmware.elf echoed 64 KB through 127.0.0.1:{port}, heap 0; {stats}")

    # The socket interface over lwIP's raw API (lwip-raw backend): its tcp_stream and udp_socket clients.
    sockets = Board(args.qemu, args.machine, os.path.join(args.out, "raw-socket-firmware.elf"), "none")
    boards.append(sockets)
    status = sockets.wait_exit(min(deadline, time.monotonic() + 30))
    out = sockets.output()
    if status != 0 or not any("lwip-raw socket firmware: done" in line for line in out):
        raise Failure(f"raw-socket-firmware.elf exited with status {status}:\n" + "\n".join(out))
    print("firmware-make: raw-socket-firmware.elf: " + "; ".join(line for line in out if "reply:" in line))


def run(args):
    return run_checks("firmware-make", lambda boards: checks(args, boards), ("selftest.elf", "echo-firmware.elf", "raw-socket-firmware.elf"))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--make", required=True)
    p.add_argument("--emsock", required=True, help="emsock's source tree")
    p.add_argument("--lwip", required=True, help="lwIP's src/ directory")
    p.add_argument("--out", required=True, help="where make puts objects and images")
    p.add_argument("--qemu", required=True)
    p.add_argument("--machine", default="mps2-an385")
    p.add_argument("--cpu", default="m3")
    p.add_argument("--deadline", type=float, default=240.0, help="seconds for the whole run")
    sys.exit(run(p.parse_args()))


if __name__ == "__main__":
    main()
