#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk transfer with end-to-end integrity check, used by the VM tests and
the demo.

  xfer.py recv --port P [--family 4|6]
      accept one connection, read to EOF, send back the SHA-256 of what was
      received and the byte count, exit.
  xfer.py send --to ADDR --port P --cc ALGO (--bytes N | --seconds S)
               [--ss SECONDS]
      connect with TCP_CONGESTION = ALGO, send random data, half-close, read
      the receiver's digest; print one JSON object: algorithm actually in
      use, bytes, seconds, goodput, SHA-256 match, tcp_info counters, and
      (with --ss) the `ss -tin` line for the socket taken at that time.
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

TCP_CONGESTION = 13
TCP_INFO = 11
# struct tcp_info (linux/tcp.h): 8 x u8, then u32 fields in this order.
_TI_U32 = ("rto ato snd_mss rcv_mss unacked sacked lost retrans fackets "
           "last_data_sent last_ack_sent last_data_recv last_ack_recv pmtu "
           "rcv_ssthresh rtt rttvar snd_ssthresh snd_cwnd advmss reordering "
           "rcv_rtt rcv_space total_retrans").split()


def tcp_info(sock):
    raw = sock.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 256)
    vals = struct.unpack_from("8B%dI" % len(_TI_U32), raw)
    info = dict(zip(_TI_U32, vals[8:]))
    info["state"], info["ca_state"] = vals[0], vals[1]
    return info


def recv_main(a):
    fam = socket.AF_INET6 if a.family == 6 else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.port))
    ls.listen(1)
    ls.settimeout(a.timeout)
    c, _ = ls.accept()
    c.settimeout(a.timeout)
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.sendall(("%s %d\n" % (h.hexdigest(), n)).encode())
    c.close()
    return 0


def ss_line(port):
    out = subprocess.run(["ss", "-tin", "dport", "= :%d" % port],
                         capture_output=True, text=True).stdout
    return " ".join(out.split("\n")[1:]).strip()


def send_main(a):
    fam = socket.AF_INET6 if ":" in a.to else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, a.cc.encode())
    s.settimeout(a.timeout)
    for _ in range(50):
        try:
            s.connect((a.to, a.port))
            break
        except (ConnectionRefusedError, OSError):
            time.sleep(0.1)
            s.close()
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, a.cc.encode())
            s.settimeout(a.timeout)
    else:
        print(json.dumps({"error": "connect failed"}))
        return 1
    in_use = s.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16)
    in_use = in_use.split(b"\0")[0].decode()
    snap = {}
    if a.ss:
        t = threading.Timer(a.ss, lambda: snap.update(ss=ss_line(a.port)))
        t.start()
    h = hashlib.sha256()
    chunk = os.urandom(1 << 16)
    sent = 0
    t0 = time.monotonic()
    while True:
        if a.bytes and sent >= a.bytes:
            break
        if a.seconds and time.monotonic() - t0 >= a.seconds:
            break
        n = min(len(chunk), a.bytes - sent) if a.bytes else len(chunk)
        # vary the payload so a misplaced segment cannot hash the same
        buf = struct.pack("!Q", sent) + chunk[8:n] if n > 8 else chunk[:n]
        s.sendall(buf)
        h.update(buf)
        sent += len(buf)
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while not reply.endswith(b"\n"):
        b = s.recv(256)
        if not b:
            break
        reply += b
    elapsed = time.monotonic() - t0
    info = tcp_info(s)
    s.close()
    digest, _, nrecv = reply.decode().strip().partition(" ")
    res = {
        "cc": in_use, "bytes": sent, "received": int(nrecv or 0),
        "seconds": round(elapsed, 3),
        "goodput_mbps": round(sent * 8 / elapsed / 1e6, 3),
        "sha256_match": digest == h.hexdigest(),
        "total_retrans": info["total_retrans"],
        "snd_cwnd": info["snd_cwnd"], "snd_ssthresh": info["snd_ssthresh"],
        "rtt_ms": info["rtt"] / 1000.0,
    }
    if a.ss:
        t.join()
        res["ss"] = snap.get("ss", "")
    print(json.dumps(res))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("recv")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--family", type=int, choices=(4, 6), default=4)
    r.add_argument("--timeout", type=float, default=120)
    s = sub.add_parser("send")
    s.add_argument("--to", required=True)
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--cc", required=True)
    s.add_argument("--bytes", type=int, default=0)
    s.add_argument("--seconds", type=float, default=0)
    s.add_argument("--ss", type=float, default=0)
    s.add_argument("--timeout", type=float, default=120)
    a = p.parse_args()
    if a.mode == "send" and not (a.bytes or a.seconds):
        p.error("send needs --bytes or --seconds")
    return recv_main(a) if a.mode == "recv" else send_main(a)


if __name__ == "__main__":
    sys.exit(main())
