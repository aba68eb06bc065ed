#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Lossy flows over lo whose absolute sequence numbers we know, dumped by an
unprivileged user meanwhile (security_test.py, item 2).  Run as root inside
a network namespace whose lo drops packets (netem).

  sec_flow.py SECONDS ALGO [ALGO...]

One connection per ALGO to a listener (also the first ALGO) on 127.0.0.1.
Each side's ISN is read as root with TCP_REPAIR (TCP_QUEUE_SEQ of the send
queue is write_seq = ISN + 1 before any data); connections are redrawn until
both ISNs lie in [2^30, 2^32 - 2^28), so that no counter, time or rate below
2^30 can be mistaken for a sequence number and no window wraps.  Then every
client sends for SECONDS while `sec_nl.py dump` runs as nobody; once all is
acknowledged, write_seq is read again (it must be ISN + 1 + bytes sent: the
positive control that these are the connections' real sequence numbers).
Prints one JSON object: {"conns": [...], "dumps": [...], "dumper_rc": N}.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TCP_CONGESTION = 13
TCP_INFO = 11
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_SEND_QUEUE = 2
LO, HI = 1 << 30, (1 << 32) - (1 << 28)
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def write_seq(s):
    """write_seq of a socket, read in repair mode (root)."""
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    try:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
        return struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, 4))[0]
    finally:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)


def unacked(s):
    raw = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
    return struct.unpack_from("8B24I", raw)[8 + 4]


def main():
    secs = float(sys.argv[1])
    algos = sys.argv[2:]
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algos[0].encode())
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    conns = []
    draws = 0
    for algo in algos:
        while True:
            draws += 1
            if draws > 200:
                raise SystemExit("no ISN pair in range after 200 connections")
            c = socket.socket()
            c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
            c.connect(ls.getsockname())
            s, _ = ls.accept()
            ic, isv = (write_seq(c) - 1) & 0xffffffff, (write_seq(s) - 1) & 0xffffffff
            if LO <= ic < HI and LO <= isv < HI:
                break
            for x in (c, s):
                x.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                x.close()
        conns.append({"algo": algo, "c": c, "s": s, "isn_c": ic, "isn_s": isv,
                      "sport": c.getsockname()[1], "dport": ls.getsockname()[1],
                      "sent": 0})

    dumper = subprocess.Popen(NOBODY + ["/usr/bin/python3", os.path.join(HERE, "sec_nl.py"),
                                        "dump", str(secs), "0.25"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop = time.time() + secs
    chunk = os.urandom(1 << 16)

    def send(cn):
        cn["c"].settimeout(5)
        try:
            while time.time() < stop:
                cn["sent"] += cn["c"].send(chunk)
        except OSError:
            pass

    def recv(cn):
        cn["s"].settimeout(1)
        while True:
            try:
                if not cn["s"].recv(1 << 16):
                    return
            except socket.timeout:
                if cn.get("done"):
                    return
            except OSError:
                return

    ths = []
    for cn in conns:
        ths += [threading.Thread(target=send, args=(cn,)),
                threading.Thread(target=recv, args=(cn,))]
    for t in ths:
        t.start()
    for t in ths[0::2]:
        t.join()
    # every byte acknowledged, then the end of the sequence space as root
    for cn in conns:
        end = time.time() + 20
        while unacked(cn["c"]) and time.time() < end:
            time.sleep(0.1)
        cn["unacked_end"] = unacked(cn["c"])
        cn["write_seq_end"] = write_seq(cn["c"])
        cn["done"] = True
    for t in ths[1::2]:
        t.join()
    out, err = dumper.communicate(timeout=120)
    dumps = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    for cn in conns:
        for k in ("c", "s", "done"):
            cn.pop(k, None)
    print(json.dumps({"conns": conns, "dumps": dumps, "dumper_rc": dumper.returncode,
                      "dumper_err": err[-2000:], "draws": draws}))


if __name__ == "__main__":
    main()
