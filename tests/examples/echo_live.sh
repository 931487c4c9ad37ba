#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# echo_live.sh - live tests of emsock-echo-server and emsock-echo-client over loopback.
#
#   echo_live.sh SCENARIO WORK_DIR SERVER CLIENT [EMULATOR...]
#
# SCENARIO  basic        echo a message, 20 x 100000 random bytes, a server that stops answering
#                        (client timeout), a closed port (connection refused), then SIGINT: the
#                        server exits 0 with its "stopped:" line and exact counters
#           max_clients  --max-clients 1: while one client is connected a second one is closed at
#                        once (the client reports early close, or a reset when its data came
#                        after the close), and is served once the first is gone
#           name         --host localhost, as the hosts file gives it (skipped, exit 77, when it
#                        does not give localhost 127.0.0.1)
#           descriptors  the server under prlimit --nofile=24 with its default backlog, 48 clients
#                        held until the paused server has woken 20 times (its accept retries) and
#                        1 s has passed: it takes under 10% of a CPU meanwhile and "accept failed"
#                        is logged once, not once per attempt; then
#                        every client is served as descriptors come free, the episode ends with one
#                        "accepting again after N failed attempts" line (skipped without prlimit)
#           descriptor_limit  --max-clients 4096 under prlimit --nofile=64: one warning line names
#                        the descriptors needed and the limit; the server still serves
#           memory       a fresh server with the default 4096 slots holds less than 8 MiB of
#                        anonymous memory (RssAnon): the slots' buffers are not touched until used
#           udp          --udp on 127.0.0.1 (issue 11): the 'udp echo on' line names the TCP port; a
#                        message, 200 x 1400 bytes and TCP beside it; a server that stops answering
#                        (3 retries, then exit 1); SIGINT: exact datagram counters; a server without
#                        --udp refuses datagrams (ICMP: connection refused, exit 1)
#           udp_v6       the datagram echo on ::1 (skipped, exit 77, without an IPv6 loopback)
# Only 127.0.0.1 (and ::1 for udp_v6) is used. Every step is bounded (timeout(1) on each run,
# bounded polling loops), and the server is killed on every way out (trap). Exit status 0 when
# every check passed, 77 skipped.
set -u

scenario="$1" work="$2" server="$3" client="$4"
shift 4
emulator=("$@")
launcher=()  # runs the server (and its emulator): prlimit for the descriptors scenario
bind=127.0.0.1  # the server's --bind (udp_v6: ::1)

mkdir -p "$work"
failures=0
server_pid=""

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}

# The server runs under timeout(1), which makes its own process group: signals for the whole
# group reach the server through the emulator too.
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -CONT -- "-$server_pid" 2>/dev/null
    kill -KILL -- "-$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
}
trap cleanup EXIT

# start_server LOG ARGS...: starts the server on $bind, port 0; sets server_pid and port.
start_server() {
  local log="$1"
  shift
  : >"$log"
  timeout -s KILL 100 "${launcher[@]}" "${emulator[@]}" "$server" --bind "$bind" --port 0 "$@" >"$log" 2>&1 &
  server_pid=$!
  port=""
  local i
  for i in $(seq 100); do  # at most 10 s
    port=$(sed -n 's/^listening on \(127\.0\.0\.1\|\[::1\]\):\([0-9][0-9]*\)$/\2/p' "$log")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  printf 'FAIL: the server did not report "listening on %s:PORT"; its output:\n' "$bind" >&2
  cat "$log" >&2
  exit 1
}

# stop_server: one SIGINT to the server itself (timeout's child), then waits at most 30 s (a
# sanitizer build's leak check at exit can take seconds on a loaded machine); sets server_status.
# Not to timeout(1): it forwards the signal to the server and then sends it again to its whole
# process group, and that second SIGINT, landing while LeakSanitizer has the exiting server stopped
# for its leak check, left the sanitizer's thread suspender waiting forever (seen under load).
stop_server() {
  local child=""
  read -r child _ <"/proc/$server_pid/task/$server_pid/children" 2>/dev/null || true
  kill -INT "${child:-$server_pid}"
  local i
  for i in $(seq 300); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    fail "the server did not stop within 30 s of SIGINT"
    cleanup
  fi
  wait "$server_pid"
  server_status=$?
  server_pid=""
}

# wait_for_line LOG REGEX: waits at most 10 s for a line of LOG matching REGEX (grep -E).
wait_for_line() {
  local i
  for i in $(seq 100); do
    grep -Eq "$2" "$1" && return 0
    sleep 0.1
  done
  fail "no line matching '$2' in $1 within 10 s"
  return 1
}

# client NAME ARGS...: runs the client (at most 60 s); its output in $work/NAME.out / .err, status in rc.
client() {
  local name="$1"
  shift
  timeout -k 5 60 "${emulator[@]}" "$client" "$@" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  out=$(cat "$work/$name.out")
  err=$(cat "$work/$name.err")
}

# expect_rc NAME STATUS
expect_rc() {
  [ "$rc" -eq "$2" ] || fail "$1: exit status $rc, expected $2; stdout: '$out'; stderr: '$err'"
}

# expect_match NAME TEXT REGEX (bash [[ =~ ]], extended)
expect_match() {
  [[ "$2" =~ $3 ]] || fail "$1: '$2' does not match '$3'"
}

case "$scenario" in
basic)
  log="$work/server.log"
  start_server "$log" --quiet

  client hello --port "$port" hello
  expect_rc hello 0
  expect_match hello "$out" $'^received: hello\nsummary: 1/1 verified, 5 bytes echoed, [0-9]+ ms$'
  expect_match hello "$err" '^$'

  client random --port "$port" --size 100000 --repeat 20
  expect_rc random 0
  [ "$(grep -cx 'received 100000 bytes, verified' "$work/random.out")" -eq 20 ] ||
    fail "random: expected 20 'received 100000 bytes, verified' lines; got: $out"
  expect_match random "$(tail -n 1 "$work/random.out")" '^summary: 20/20 verified, 2000000 bytes echoed, [0-9]+ ms$'

  # A server that accepts nothing and echoes nothing (stopped): the kernel completes the handshake
  # from the backlog, the echo never comes, the client gives up at its deadline.
  kill -STOP -- "-$server_pid"
  client stalled --port "$port" --timeout 0.5 hello
  kill -CONT -- "-$server_pid"
  expect_rc stalled 1
  expect_match stalled "$err" '^emsock-echo-client: echo 1/1: timed out: 0 of 5 bytes came back$'
  expect_match stalled "$out" '^summary: 0/1 verified, 0 bytes echoed, [0-9]+ ms$'

  # A closed port: where a second server listened until a moment ago.
  main_pid=$server_pid main_port=$port
  start_server "$work/closed.log" --quiet
  closed_port=$port
  stop_server
  [ "$server_status" -eq 0 ] || fail "second server: exit status $server_status"
  server_pid=$main_pid port=$main_port
  client refused --port "$closed_port" hello
  expect_rc refused 1
  expect_match refused "$err" "^emsock-echo-client: echo 1/1: cannot connect to 127\\.0\\.0\\.1:$closed_port: connection refused\$"

  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  # 1 + 20 connections and 5 + 2000000 bytes, plus the stalled client's connection when the server
  # took it from the backlog after SIGCONT (its 5 bytes count when they went out before the
  # client's close was noticed).
  expect_match "server log" "$(cat "$log")" \
    $'^listening on 127\\.0\\.0\\.1:[0-9]+\nstopped: (21|22) accepted, 0 rejected, (2000005|2000010) bytes echoed$'
  ;;

name)
  # localhost is whatever this machine's hosts file says; the case needs 127.0.0.1 among its
  # addresses (the server listens there). Only the hosts file is asked (getent -s files): a name it
  # lacks would go to a name server, and tests stay off the network.
  if ! command -v getent >/dev/null; then
    printf 'skipped: getent (libc-bin) not found, cannot ask the hosts file about localhost\n'
    exit 77
  fi
  addresses=$(getent -s files ahosts localhost | awk '{ print $1 }' | sort -u | tr '\n' ' ')
  if ! [[ " $addresses" == *" 127.0.0.1 "* ]]; then
    printf "skipped: the hosts file gives localhost no 127.0.0.1 (getent -s files ahosts localhost: %s)\n" \
      "${addresses:-nothing}"
    exit 77
  fi
  log="$work/server.log"
  start_server "$log" --quiet
  # Every address of localhost is tried in turn, 127.0.0.1 answers.
  client name --host localhost --port "$port" --repeat 3 abc
  expect_rc name 0
  expect_match name "$out" $'^received: abc\nreceived: abc\nreceived: abc\nsummary: 3/3 verified, 9 bytes echoed'
  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  expect_match "server log" "$(tail -n 1 "$log")" '^stopped: 3 accepted, 0 rejected, 9 bytes echoed$'
  ;;

max_clients)
  log="$work/server.log"
  start_server "$log" --max-clients 1

  # The first client, held open by this shell (bash's /dev/tcp), takes the only slot.
  exec 3<>"/dev/tcp/127.0.0.1/$port" || { fail "cannot connect the first client"; exit 1; }
  wait_for_line "$log" '^connect 127\.0\.0\.1:[0-9]+ \(1 active\)$'

  client second --port "$port" --timeout 5 hello
  expect_rc second 1
  # Closed at once: the client sees the close as end of stream, or as a reset when its 'hello'
  # reached the server after the close (TCP answers data for a closed socket with RST): a race
  # the server cannot decide, so either line is right, and nothing came back in both.
  expect_match second "$err" '^emsock-echo-client: echo 1/1: (early close: the server closed after|connection reset by peer:) 0 of 5 bytes came back$'
  wait_for_line "$log" '^reject 127\.0\.0\.1:[0-9]+: 1 clients already \(--max-clients\)$'

  # The first client is still served.
  printf 'ping' >&3
  reply=""
  read -r -t 5 -N 4 -u 3 reply || true
  [ "$reply" = "ping" ] || fail "first client: echo '$reply', expected 'ping'"
  exec 3>&-
  wait_for_line "$log" '^disconnect 127\.0\.0\.1:[0-9]+: closed by peer, 4 bytes echoed \(0 active\)$'

  # The slot is free again.
  client third --port "$port" --timeout 5 hello
  expect_rc third 0
  expect_match third "$out" $'^received: hello\nsummary: 1/1 verified'

  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  expect_match "server log" "$(tail -n 1 "$log")" '^stopped: 2 accepted, 1 rejected, 9 bytes echoed$'
  ;;

descriptor_limit)
  # --max-clients asks for more descriptors than the hard limit gives: said once, clearly, and the
  # server serves anyway (within the limit).
  if ! command -v prlimit >/dev/null; then
    printf 'skipped: prlimit (util-linux) not found\n'
    exit 77
  fi
  log="$work/server.log"
  launcher=(prlimit --nofile=64:64 --)
  start_server "$log" --max-clients 4096 --quiet
  expect_match "server log" "$(head -n 1 "$log")" \
    '^emsock-echo-server: warning: --max-clients 4096 needs about 4112 descriptors but the open-file limit is 64 \(raise the hard limit: ulimit -Hn, prlimit\); beyond about 48 clients, new connections wait in the backlog$'
  client limit --host 127.0.0.1 --port "$port" abc
  expect_rc limit 0
  expect_match limit "$out" $'^received: abc\nsummary: 1/1 verified, 3 bytes echoed'
  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  ;;

memory)
  log="$work/server.log"
  start_server "$log" --quiet
  read -r child _ <"/proc/$server_pid/task/$server_pid/children"
  anon_kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$child/status")
  printf 'resident anonymous memory of a fresh server with 4096 slots: %s kB\n' "$anon_kb"
  [ -n "$anon_kb" ] && [ "$anon_kb" -lt 8192 ] || fail "RssAnon ${anon_kb:-unknown} kB, expected below 8192 kB"
  client mem --host 127.0.0.1 --port "$port" abc
  expect_rc mem 0
  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  ;;

descriptors)
  if ! command -v prlimit >/dev/null; then
    printf 'skipped: prlimit (util-linux) not found\n'
    exit 77
  fi
  clients=48
  log="$work/server.log"
  launcher=(prlimit --nofile=24:24 --)
  start_server "$log"
  count() { grep -Ec "$1" "$log"; }
  fds=()
  for i in $(seq "$clients"); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || { fail "client $i could not connect"; break; }
    fds+=("$fd")
  done
  wait_for_line "$log" '^accept failed: too many open sockets \(accepting paused\)$'

  # The hold, with clients waiting for a descriptor: it lasts until the paused server has gone to
  # sleep and woken up 20 times (its main thread's voluntary context switches: one per wait, ended
  # by its 100 ms accept retry) and at least 1 s has passed (so that 10% of it is 10 clock ticks at
  # the least), at most 15 s. Over that measured interval the server takes under 10% of one CPU
  # (/proc/PID/stat), and its log does not grow with the time. A server that spins while paused
  # (a readable listener ending every wait at once) fails both: it never sleeps, and takes it all.
  child=$(awk '{ print $1 }' "/proc/$server_pid/task/$server_pid/children" 2>/dev/null)
  cpu_ticks() { sed 's/^.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
  wakeups() { awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$child/status" 2>/dev/null; }
  now_ms() { date +%s%3N; }
  ticks0=$(cpu_ticks) wakes0=$(wakeups) start=$(now_ms)
  if [ -z "$ticks0" ] || [ -z "$wakes0" ]; then
    fail "cannot read the server's /proc/${child:-?}/stat and status"
    ticks0=0 wakes0=0
  fi
  while :; do
    elapsed=$(($(now_ms) - start)) woken=$(($(wakeups) - wakes0))
    [ "$woken" -ge 20 ] && [ "$elapsed" -ge 1000 ] && break
    [ "$elapsed" -ge 15000 ] && break
    sleep 0.1
  done
  cpu_ms=$((($(cpu_ticks) - ticks0) * 1000 / $(getconf CLK_TCK)))
  printf 'hold: %d ms, the server woke %d times and took %d ms of CPU\n' "$elapsed" "$woken" "$cpu_ms"
  [ "$woken" -ge 20 ] || fail "during the hold: the server slept and woke $woken times in $elapsed ms, expected 20 (its accept retry every 100 ms)"
  [ $((cpu_ms * 10)) -lt "$elapsed" ] || fail "during the hold: the server took $cpu_ms ms of CPU in $elapsed ms, expected under 10%"
  served=$(count '^connect ')
  [ "$(count '^accept')" -eq 1 ] || fail "during the hold: $(count '^accept') accept lines, expected 1"
  [ "$served" -ge 1 ] && [ "$served" -lt "$clients" ] ||
    fail "during the hold: $served clients served, expected some but not all $clients"
  [ "$(wc -l <"$log")" -le $((served + 2)) ] || fail "during the hold: $(wc -l <"$log") log lines for $served clients"

  # Every client in turn: each close frees a descriptor, and the next waiting client is accepted.
  i=0
  for fd in "${fds[@]}"; do
    i=$((i + 1))
    msg=$(printf 'c%04d!' "$i")
    printf '%s' "$msg" >&"$fd"
    reply=""
    read -r -t 10 -N 6 -u "$fd" reply || true
    [ "$reply" = "$msg" ] || fail "client $i: echo '$reply', expected '$msg'"
    exec {fd}>&-
  done
  wait_for_line "$log" '^accepting again after [0-9]+ failed attempts$'
  attempts=$(sed -n 's/^accepting again after \([0-9][0-9]*\) failed attempts$/\1/p' "$log" | head -n 1)
  [ "$(count '^accept failed: ')" -eq 1 ] || fail "$(count '^accept failed: ') 'accept failed' lines, expected 1"
  [ "$(count '^accepting again')" -eq 1 ] || fail "$(count '^accepting again') 'accepting again' lines, expected 1"
  [ "${attempts:-0}" -ge 1 ] && [ "${attempts:-0}" -le 500 ] ||
    fail "failed accept attempts: '${attempts:-}', expected 1 to 500 (one per pause or freed descriptor)"
  printf '%d of %d clients served at once, %s failed accept attempts\n' "$served" "$clients" "${attempts:-}"

  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  expect_match "server log" "$(tail -n 1 "$log")" "^stopped: $clients accepted, 0 rejected, $((clients * 6)) bytes echoed\$"
  [ "$(wc -l <"$log")" -le $((2 * clients + 4)) ] || fail "$(wc -l <"$log") log lines for $clients clients"
  ;;

udp)
  log="$work/server.log"
  start_server "$log" --udp
  grep -qx "udp echo on 127\.0\.0\.1:$port" "$log" || fail "no 'udp echo on 127.0.0.1:$port' line before 'listening on'"

  client message --udp --port "$port" "Hello, UDP"
  expect_rc message 0
  expect_match message "$out" $'^received: Hello, UDP\nsummary: 1/1 verified, 15 bytes echoed, [0-9]+ ms, 0 retries$'
  expect_match message "$err" '^$'

  client burst --udp --port "$port" --repeat 200 --size 1400
  expect_rc burst 0
  [ "$(grep -cx 'received 1400 bytes, verified' "$work/burst.out")" -eq 200 ] || fail "burst: not 200 verified lines: $out"
  expect_match burst "$(tail -n 1 "$work/burst.out")" '^summary: 200/200 verified, 280000 bytes echoed, [0-9]+ ms, [0-9]+ retries$'

  client tcp --port "$port" tcp-beside  # TCP on the same port number, same loop
  expect_rc tcp 0
  expect_match tcp "$out" $'^received: tcp-beside\nsummary: 1/1 verified, 10 bytes echoed, [0-9]+ ms$'
  grep -Eq '^datagram 127\.0\.0\.1:[0-9]+: 15 bytes echoed$' "$log" || fail "no 'datagram ...: 15 bytes echoed' line"

  # A server that stops answering: 4 sends within --timeout (3 retries), then exit 1.
  kill -STOP -- "-$server_pid"
  client silent --udp --port "$port" --timeout 0.4 quiet
  kill -CONT -- "-$server_pid"
  expect_rc silent 1
  expect_match silent "$err" '^emsock-echo-client: echo 1/1: no echo within 400 ms \(4 datagrams sent, all lost\)$'
  expect_match silent "$out" '^summary: 0/1 verified, 0 bytes echoed, [0-9]+ ms, 3 retries$'
  # Its echo proves that the server read the 4 that waited before it (one socket, one queue).
  client after --udp --port "$port" "Hello, UDP"
  expect_rc after 0

  # SIGINT: 1 + 200 + the 4 sent while stopped (echoed to a client gone by then) + 1, every one.
  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  grep -qx 'stopped udp: 206 datagrams received, 206 echoed (280070 bytes), 0 dropped' "$log" ||
    fail "server log: '$(grep '^stopped udp' "$log")', expected 206 datagrams received and echoed"

  # Without --udp: TCP only, as before; the port refuses datagrams (ICMP port unreachable).
  start_server "$work/tcp_only.log"
  grep -q '^udp echo on' "$work/tcp_only.log" && fail "a 'udp echo on' line without --udp"
  client refused --udp --port "$port" --timeout 2 nobody
  expect_rc refused 1
  expect_match refused "$err" \
    "^emsock-echo-client: echo 1/1: connection refused by 127\\.0\\.0\\.1:$port \\(ICMP port unreachable: no UDP echo server there\\)\$"
  stop_server
  ;;

udp_v6)
  # ::1 in the kernel's IPv6 address list (it is there unless IPv6 is off or lo has no ::1).
  if ! grep -qi '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
    printf 'skipped: no IPv6 loopback (::1) on this machine\n'
    exit 77
  fi
  bind=::1
  log="$work/server.log"
  start_server "$log" --udp
  grep -qx "udp echo on \[::1\]:$port" "$log" || fail "no 'udp echo on [::1]:$port' line"
  client message6 --udp --host ::1 --port "$port" --repeat 3 "over six"
  expect_rc message6 0
  expect_match message6 "$out" $'^(received: over six\n){3}summary: 3/3 verified, 39 bytes echoed, [0-9]+ ms, 0 retries$'
  stop_server
  [ "$server_status" -eq 0 ] || fail "server: exit status $server_status after SIGINT, expected 0"
  grep -qx 'stopped udp: 3 datagrams received, 3 echoed (39 bytes), 0 dropped' "$log" ||
    fail "server log: '$(grep '^stopped udp' "$log")'"
  ;;

*)
  printf 'unknown scenario %s\n' "$scenario" >&2
  exit 2
  ;;
esac

if [ "$failures" -ne 0 ]; then
  printf '%d check(s) failed (scenario %s; files in %s)\n' "$failures" "$scenario" "$work" >&2
  exit 1
fi
printf 'scenario %s: all checks passed\n' "$scenario"
