#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A deliberately broken echo server for the emsock-echo-load tests: echoes every byte but flips the
byte at stream offset --flip-offset on the connection accepted --flip-conn-th (0-based). Prints
"listening on 127.0.0.1:PORT"; serves until killed or --max-seconds pass (bounded)."""
import argparse
import socket
import threading
import time


def serve(conn, flip_at):
    offset = 0
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            if flip_at is not None and offset <= flip_at < offset + len(data):
                data = bytearray(data)
                data[flip_at - offset] ^= 0xFF
            offset += len(data)
            try:
                conn.sendall(data)
            except OSError:
                return


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--flip-conn", type=int, default=0)
    p.add_argument("--flip-offset", type=int, default=1000)
    p.add_argument("--max-seconds", type=float, default=60)
    a = p.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    accepted = 0
    deadline = time.monotonic() + a.max_seconds
    while time.monotonic() < deadline:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        flip = a.flip_offset if accepted == a.flip_conn else None
        threading.Thread(target=serve, args=(conn, flip), daemon=True).start()
        accepted += 1


if __name__ == "__main__":
    main()
