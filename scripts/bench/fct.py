#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Flow completion times for the benchmark's P10 (issue 11), and the bulk
flow beside them.  Runs in the VM's network namespaces (bench-guest.sh).

  fct.py recv --port P
      accept connections until killed; read each to EOF, then close it.
  fct.py send --to ADDR --port P --cc ALGO --size BYTES --count N [--gap S]
      N transfers of BYTES, one new connection each (TCP_CONGESTION =
      ALGO, the initial window as the route and sysctls configure it);
      print one JSON object: the algorithm, the size, the completion time
      of each transfer (fct_s) and its retransmitted segments.
  fct.py bulk --to ADDR --port P --cc ALGO
      send until killed (the competing bulk flow).

A transfer's completion time runs from connect() to the sender's seeing
the receiver's FIN: the receiver closes as soon as it has read every byte
and the sender's FIN, so the time is the handshake, the data and the
last ACK's way back, plus half a round trip for that FIN -- the same
offset for every algorithm.  The next transfer starts GAP seconds after
(default 0.3 s: the bottleneck queue drains between transfers).
"""
import argparse
import json
import socket
import struct
import sys
import threading
import time

TCP_CONGESTION = 13
TCP_INFO = 11


def recv_main(a):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("0.0.0.0", a.port))
    lst.listen(64)

    def drain(c):
        try:
            while c.recv(1 << 18):
                pass
        except OSError:
            pass
        c.close()

    while True:
        c, _ = lst.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def connect(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, a.cc.encode())
    s.connect((a.to, a.port))
    return s


def send_main(a):
    payload = b"x" * a.size
    fct, retrans = [], []
    for _ in range(a.count):
        t0 = time.monotonic()
        s = connect(a)
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass
        fct.append(time.monotonic() - t0)
        raw = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
        retrans.append(struct.unpack_from("I", raw, 100)[0])     # tcpi_total_retrans
        s.close()
        time.sleep(a.gap)
    json.dump({"cc": a.cc, "size": a.size, "count": a.count, "fct_s": fct,
               "total_retrans": retrans}, sys.stdout)
    print()


def bulk_main(a):
    s = connect(a)
    buf = b"x" * (1 << 16)
    while True:
        s.sendall(buf)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("recv")
    r.add_argument("--port", type=int, required=True)
    for name in ("send", "bulk"):
        s = sub.add_parser(name)
        s.add_argument("--to", required=True)
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--cc", required=True)
        if name == "send":
            s.add_argument("--size", type=int, required=True)
            s.add_argument("--count", type=int, default=20)
            s.add_argument("--gap", type=float, default=0.3)
    a = p.parse_args()
    try:
        {"recv": recv_main, "send": send_main, "bulk": bulk_main}[a.cmd](a)
    except KeyboardInterrupt:
        pass
    except OSError as e:
        json.dump({"error": "%s: %s" % (a.cmd, e)}, sys.stdout)
        print()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
