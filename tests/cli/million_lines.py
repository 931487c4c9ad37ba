#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""million_lines.py - `emsock-ip check` over a generated input of many lines, read from standard input.

    million_lines.py --lines N --work DIR -- [EMULATOR...] EMSOCK_IP

Writes DIR/million_lines.txt (N lines of four kinds in turn: IPv4, upper-case IPv6, IPv4 with a part
out of range, IPv6 with two "::"), runs the tool with that file as standard input and checks that
it prints exactly N lines, each the expected one, half "ok" and half "error", and exits with 1.
Prints the tool's wall-clock time (informative only: this is not a timed test).
"""
import argparse
import os
import subprocess
import sys
import time


def case(i):
    """Input line i and the line emsock-ip must print for it."""
    kind = i % 4
    if kind == 0:
        text = "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
        return text, "ok " + text
    if kind == 1:
        group = i & 0xFFFF
        return "2001:DB8::1:%X" % group, "ok 2001:db8::1:%x" % group
    if kind == 2:
        return "1.2.3.%d" % (256 + i % 700), "error part out of range at 6"
    head = "%x" % (i & 0xFFFF)
    return "1::%s::2" % head, 'error more than one "::" at %d' % (3 + len(head))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--work", required=True, help="directory for the generated input")
    parser.add_argument("command", nargs="+", help="[emulator...] emsock-ip")
    args = parser.parse_args()

    inputs, expected = zip(*(case(i) for i in range(args.lines)))
    path = os.path.join(args.work, "million_lines.txt")
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(inputs))
        f.write("\n")

    start = time.monotonic()
    with open(path, "rb") as stdin:
        run = subprocess.run(args.command + ["check"], stdin=stdin, capture_output=True)
    seconds = time.monotonic() - start

    failures = []
    if run.returncode != 1:
        failures.append("exit status %r, expected 1" % run.returncode)
    if run.stderr:
        failures.append("standard error not empty: %r" % run.stderr[:200])
    if not run.stdout.endswith(b"\n"):
        failures.append("output does not end with a newline")
    lines = run.stdout.decode("ascii", errors="replace").split("\n")[:-1]
    if len(lines) != args.lines:
        failures.append("%d output lines, expected %d" % (len(lines), args.lines))
    ok = sum(1 for line in lines if line.startswith("ok "))
    error = sum(1 for line in lines if line.startswith("error "))
    want_ok = sum(1 for line in expected if line.startswith("ok "))
    if (ok, error) != (want_ok, args.lines - want_ok):
        failures.append("%d ok and %d error lines, expected %d and %d" % (ok, error, want_ok, args.lines - want_ok))
    for number, (got, want) in enumerate(zip(lines, expected), start=1):
        if got != want:
            failures.append("line %d: got %r, expected %r (input %r)" % (number, got, want, inputs[number - 1]))
            break

    print("emsock-ip check: %d lines in %.3f s (%d ok, %d error)" % (args.lines, seconds, ok, error))
    for failure in failures:
        print("FAIL: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
