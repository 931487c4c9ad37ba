#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts_firmware_test.sh BUILD_DIR: ./scripts/firmware as the README and issue 10 name it: usage
# errors exit 2, --help 0; a run on a free port prints exactly `firmware listening on 127.0.0.1:N`
# after which the firmware echoes through the forward, a note on stderr that UDP is not forwarded
# (the -udp image is run where EMSOCK_FIRMWARE_UDP is on), and SIGTERM stops QEMU and exits 0. Every wait
# is bounded; everything started here is stopped on the way out. Talks only to 127.0.0.1. The run again
# with --sockets (emsock-socket-firmware: the same lines and exit codes).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$1"
script="$root/scripts/firmware"
fail() { echo "scripts-firmware: FAILED: $*"; [ -f "${out:-}" ] && cat "$out" "$err"; exit 1; }

for args in "--port 0" "--port 65536" "--port 012" "--port x" "--port" "--machine mps2-an999" "--bogus"; do
  # shellcheck disable=SC2086
  "$script" $args >/dev/null 2>&1
  rc=$?
  [ "$rc" = 2 ] || fail "'scripts/firmware $args' exited $rc, not 2"
done
"$script" --help | grep -q '^usage: scripts/firmware' || fail "--help printed no usage"

# run_case FLAG TAG: the run on the user network, with FLAG ("" or --sockets: emsock-socket-firmware, whose
# lines start with TAG).
run_case() {
  local flag="$1" tag="$2" port rc reply
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  out="$(mktemp)"; err="$(mktemp)"; fwout="$(mktemp)"
  # shellcheck disable=SC2086
  EMSOCK_FIRMWARE_BUILD_DIR="$build" EMSOCK_FIRMWARE_OUTPUT="$fwout" setsid "$script" $flag --port "$port" >"$out" 2>"$err" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q . "$out" && break
    kill -0 "$pid" 2>/dev/null || fail "scripts/firmware $flag exited before printing"
    sleep 0.1
  done
  [ "$(cat "$out")" = "firmware listening on 127.0.0.1:$port" ] || fail "printed '$(cat "$out")'"
  for _ in $(seq 1 50); do grep -q 'udp: ' "$err" && break; sleep 0.1; done
  grep -q '^==> udp: .*only TCP is forwarded' "$err" || fail "no note on stderr that UDP is not forwarded"
  exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "no connection to 127.0.0.1:$port"
  printf 'ping' >&3
  IFS= read -r -t 5 -n 4 reply <&3
  exec 3<&- 3>&-
  [ "${reply:-}" = ping ] || fail "no echo after the line (got '${reply:-}')"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "scripts/firmware $flag still runs 10 s after SIGTERM"
  wait "$pid"; rc=$?
  [ "$rc" = 0 ] || fail "scripts/firmware $flag exited $rc after SIGTERM, not 0"
  pgrep -f "hostfwd=tcp:127.0.0.1:$port-" >/dev/null && fail "QEMU still runs after scripts/firmware stopped"
  # EMSOCK_FIRMWARE_OUTPUT keeps the firmware's own output: its server line and the sessions it served.
  grep -q "^$tag: echo on tcp port 1234, " "$fwout" || fail "EMSOCK_FIRMWARE_OUTPUT has no server line"
  grep -q "^$tag: sessions accepted=.* heap=0 " "$fwout" || fail "EMSOCK_FIRMWARE_OUTPUT has no sessions line with heap=0"
  if [ -n "$flag" ] || grep -q '^EMSOCK_FIRMWARE_UDP:BOOL=ON$' "$build/CMakeCache.txt"; then
    grep -q "^$tag: echo on udp port 1234, " "$fwout" || fail "the firmware serves no UDP"
  fi
  rm -f "$out" "$err" "$fwout"
}
pid=""
cleanup() { [ -z "$pid" ] || kill -KILL -- "-$pid" 2>/dev/null; rm -f "${out:-}" "${err:-}" "${fwout:-}"; }
trap cleanup EXIT
run_case "" emsock-echo-firmware
run_case --sockets emsock-socket-firmware
echo "scripts-firmware: usage errors exit 2; listening line, echo, SIGTERM -> exit 0, QEMU stopped, firmware output kept; the same with --sockets"
