#!/usr/bin/env bash
# patch-lwip-source.sh <lwip tree>: the one fix emsock applies to Debian's lwIP 2.1.3 source package
# (fetched by cmake/EmsockFetchDebianSource.cmake into the build tree, never committed). Idempotent.
#
# lwIP 2.1.3 answers every segment with an ACK when its receive window is zero, pure ACKs at rcv_nxt
# included (RFC 793 calls those acceptable). Two connections with zero windows then ACK each other
# for ever; on a loopback netif that happens inside one netif_poll call, which never returns. A
# zero-length segment at rcv_nxt is not answered. Stated in the README.
set -euo pipefail
tree=${1:?usage: patch-lwip-source.sh <lwip tree>}
in_c="$tree/src/core/tcp_in.c"
[ -f "$in_c" ] || { echo "patch-lwip-source: no $in_c" >&2; exit 1; }
grep -q 'emsock: no zero-window ACK storm' "$in_c" && exit 0
old='    if (!TCP_SEQ_BETWEEN(seqno, pcb->rcv_nxt, pcb->rcv_nxt + pcb->rcv_wnd - 1)) {'
new='    if (!TCP_SEQ_BETWEEN(seqno, pcb->rcv_nxt, pcb->rcv_nxt + pcb->rcv_wnd - 1) && !(tcplen == 0 && seqno == pcb->rcv_nxt)) { /* emsock: no zero-window ACK storm */'
[ "$(grep -cF -- "$old" "$in_c")" = 1 ] || { echo "patch-lwip-source: tcp_in.c is not the expected lwIP 2.1.3" >&2; exit 1; }
awk -v old="$old" -v new="$new" '{ line = $0; cr = sub(/\r$/, "", line) }
  line == old { printf "%s%s\n", new, (cr ? "\r" : ""); next } { print }' "$in_c" > "$in_c.fixed"
mv "$in_c.fixed" "$in_c"
grep -q 'emsock: no zero-window ACK storm' "$in_c" || { echo "patch-lwip-source: the tcp_in.c fix did not apply" >&2; exit 1; }
