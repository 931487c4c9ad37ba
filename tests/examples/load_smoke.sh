#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of emsock-echo-load (registered by load.cmake):
#   load_smoke.sh LOAD SERVER [REFERENCE]   (python3 must be on PATH)
#   load_smoke.sh --ipv6 LOAD SERVER        only the IPv6 run of step 2; exit 77 (skipped, with the
#                                           reason) where ::1 cannot be bound
# 1. usage: --help exits 0, a missing operand exits 2, a refused connection exits 1;
# 2. 32 connections (IPv4) against emsock-echo-server verify every byte (4 over IPv6 with --ipv6);
# 3. the same against the epoll reference server, when given;
# 4. a server that flips one byte: exit 1, and the message names the connection and the offset.
# Every server is killed on exit; every run is bounded by `timeout`.
set -euo pipefail
ipv6_only=0
if [ "${1:-}" = --ipv6 ]; then ipv6_only=1; shift; fi
load="$1" server="$2" reference="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start NAME CMD...: runs CMD in the background and sets $port from its "listening on" line.
start() {
  local out="$work/$1.out" i
  shift
  "$@" >"$out" 2>&1 &
  pids+=("$!")
  port=""
  for i in $(seq 100); do
    port="$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)"
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  cat "$out" >&2
  fail "$1 did not start"
}

expect_exit() {  # expect_exit STATUS CMD...
  local want="$1" rc=0
  shift
  timeout 60 "$@" >"$work/last.out" 2>&1 || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$work/last.out" >&2; fail "exit $rc, expected $want: $*"; }
}

if [ "$ipv6_only" = 1 ]; then
  # ::1 is usable when a socket can be bound to it (no traffic is sent).
  if ! why=$(python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>&1); then
    printf 'skipped: ::1 cannot be bound on this machine (%s)\n' "$(printf '%s' "$why" | tail -n 1)"
    exit 77
  fi
  start emsock6 "$server" --quiet --bind ::1 --port 0
  expect_exit 0 "$load" ::1 "$port" --conns 4 --bytes 100000
  grep -q '^conns=4 bytes=400000 .* errors=0$' "$work/last.out" || fail "summary line: $(cat "$work/last.out")"
  echo "emsock-echo-load IPv6 test passed"
  exit 0
fi

expect_exit 0 "$load" --help
expect_exit 2 "$load" 127.0.0.1
expect_exit 2 "$load" 127.0.0.1 80 --conns 0
start refused "$server" --quiet --bind 127.0.0.1 --port 0  # find a free port, then free it again
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
expect_exit 1 "$load" 127.0.0.1 "$port" --timeout 2

start emsock "$server" --quiet --bind 127.0.0.1 --port 0 --max-clients 64 --backlog 64
expect_exit 0 "$load" 127.0.0.1 "$port" --conns 32 --bytes 200000 --chunk 3000 --seed 7
grep -q '^conns=32 bytes=6400000 .* errors=0$' "$work/last.out" || fail "summary line: $(cat "$work/last.out")"
# Busy clients beside idle ones: the idle ones are held for the whole run and do not count as echoed.
expect_exit 0 "$load" 127.0.0.1 "$port" --conns 4 --idle 28 --bytes 100000
grep -q '^conns=4 bytes=400000 .* errors=0 idle=28$' "$work/last.out" || fail "summary line: $(cat "$work/last.out")"
# The IPv6 run is examples.echo-load.verify-ipv6 (--ipv6): a skip of its own where ::1 is missing.

if [ -n "$reference" ]; then
  start reference "$reference" --bind 127.0.0.1 --port 0
  expect_exit 0 "$load" 127.0.0.1 "$port" --conns 32 --bytes 200000 --chunk 3000 --seed 7
fi

start corrupting python3 "$here/load_corrupting_server.py" --flip-conn 2 --flip-offset 12345 --max-seconds 60
expect_exit 1 "$load" 127.0.0.1 "$port" --conns 4 --bytes 50000 --timeout 5
grep -q 'connection 2: mismatch at offset 12345' "$work/last.out" || fail "mismatch report: $(cat "$work/last.out")"
grep -q 'errors=1$' "$work/last.out" || fail "errors count: $(cat "$work/last.out")"
echo "emsock-echo-load tests passed"
