#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk flows with a time series of the sender's TCP_INFO and TCP_CC_INFO,
for the bbr selftest and the benchmark (scripts/bench/).

  bbr_flow.py recv --port P [--count N]
      accept N connections, read each to EOF and discard, exit.
  bbr_flow.py send --to ADDR --port P --cc ALGO --seconds S
                   [--delay D] [--sample-ms MS] [--ss-at T] [--lead SIZES]
                   [--started FILE]
      wait D seconds, connect with TCP_CONGESTION = ALGO, send for S
      seconds while sampling the socket every MS ms; print one JSON object:
      the algorithm in use, goodput (bytes ACKed / time), retransmissions,
      the samples, and (with --ss-at) the `ss -tin` line taken at T s.
      --started FILE: when the clock of the samples starts (connected, the
      lead sent), FILE appears, holding that time (epoch seconds), for a
      change of the path timed from there (a lost SYN delays the connect
      by 1, 3, 7 s).
      --lead 650,0,900: before the bulk, writes of those sizes, each
      alone in a packet (TCP_NODELAY, 20 ms apart; 0: a 0.3 s pause), so
      that a filter on the packet length can find them (ecn_test.sh);
      lead_ce in the JSON is the sender's CE count (tcpi_delivered_ce)
      after them (end the lead with a pause: their ACKs are in).

  bbr_flow.py short --to ADDR --port P --cc ALGO --size BYTES --count N
                    [--sample-ms MS] [--gap S]
      N transfers of BYTES, a new connection each (the receiver: recv
      --count N); each one's completion time from connect() to the
      receiver's FIN, its first window as connect() left it (the pacing
      rate init() set), and samples every MS ms while it runs; one JSON
      object.

A sample is [t_s, pacing_gain, cwnd_gain, bw_Bps, min_rtt_us, srtt_us,
cwnd, total_retrans, bytes_acked, data_segs_out, read_s]; the gains are the
inet_diag BBR layout's (<< 8), 0 for algorithms without it; read_s is how
long the reads took after t_s (a stalled sampler makes t_s uncertain).
A short transfer's first window and samples are [t_s, pacing_rate_Bps,
cwnd, srtt_us, snd_mss, bytes_acked, pacing_gain], one TCP_INFO read (the
socket locked: a consistent snapshot) and the pacing gain beside it.
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

TCP_INFO = 11
TCP_CONGESTION = 13
TCP_CC_INFO = 26


def tcp_info(s):
    raw = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 232)
    u32 = struct.unpack_from("24I", raw, 8)
    return {
        "srtt_us": u32[15], "cwnd": u32[18], "total_retrans": u32[23],
        "bytes_acked": struct.unpack_from("Q", raw, 120)[0],
        "data_segs_out": struct.unpack_from("I", raw, 156)[0],
        "rwnd_limited_us": struct.unpack_from("Q", raw, 176)[0],
        "delivered_ce": struct.unpack_from("I", raw, 196)[0],
    }


def pacing_info(s):
    """[pacing_rate, cwnd, srtt_us, snd_mss, bytes_acked] in one read."""
    raw = s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 232)
    u32 = struct.unpack_from("24I", raw, 8)
    return [struct.unpack_from("Q", raw, 104)[0], u32[18], u32[15], u32[2],
            struct.unpack_from("Q", raw, 120)[0]]


def cc_info(s):
    try:
        raw = s.getsockopt(socket.IPPROTO_TCP, TCP_CC_INFO, 20)
    except OSError:
        return None
    if len(raw) < 20:
        return None
    lo, hi, mrtt, pg, cg = struct.unpack("5I", raw)
    return {"bw": (hi << 32) | lo, "min_rtt": mrtt, "pg": pg, "cg": cg}


def recv_main(a):
    ls = socket.socket(socket.AF_INET6 if a.family == 6 else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        # inherited by the accepted sockets; it locks the window's ceiling
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind(("::" if a.family == 6 else "0.0.0.0", a.port))
    ls.listen(a.count)
    ls.settimeout(a.timeout)

    def drain(c):
        c.settimeout(a.timeout)
        try:
            while c.recv(1 << 17):
                pass
        except OSError:
            pass
        c.close()

    threads = []
    for _ in range(a.count):
        c, _ = ls.accept()
        t = threading.Thread(target=drain, args=(c,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return 0


def ss_line(port):
    out = subprocess.run(["ss", "-tin", "dport", "= :%d" % port],
                         capture_output=True, text=True).stdout
    return " ".join(out.split("\n")[1:]).strip()


def connect_cc(a, timeout=None):
    """A socket with TCP_CONGESTION = a.cc connected to a.to:a.port, and
    the time its successful connect() began; the receiver, started beside
    us, may not listen yet: retried for 10 s.  (None, None) if it never
    did."""
    fam = socket.AF_INET6 if ":" in a.to else socket.AF_INET
    for _ in range(100):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, a.cc.encode())
        s.settimeout(timeout)
        t0 = time.monotonic()
        try:
            s.connect((a.to, a.port))
            return s, t0
        except OSError:
            s.close()
            time.sleep(0.1)
    return None, None


def send_main(a):
    if a.delay:
        time.sleep(a.delay)
    s, _ = connect_cc(a)
    if s is None:
        print(json.dumps({"error": "connect failed", "cc": a.cc}))
        return 1
    in_use = s.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16)
    in_use = in_use.split(b"\0")[0].decode()
    if a.lead:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for size in a.lead:
            if size:
                s.sendall(b"\x5a" * size)
            time.sleep(0.02 if size else 0.3)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        lead_ce = tcp_info(s)["delivered_ce"]	# its ACKs are in: a pause ends it
    samples = []
    snap = {}
    stop = threading.Event()
    t0 = time.monotonic()
    t0_epoch = time.time()
    if a.started:
        with open(a.started + ".tmp", "w") as f:
            f.write("%.6f\n" % t0_epoch)
        os.rename(a.started + ".tmp", a.started)

    def sampler():
        while not stop.is_set():
            t = time.monotonic() - t0
            try:
                ti = tcp_info(s)
                ci = cc_info(s) or {"bw": 0, "min_rtt": 0, "pg": 0, "cg": 0}
            except OSError:
                break
            # the thread may stall between the clock and the reads: keep
            # how long they took, so a judge can drop uncertain samples
            took = time.monotonic() - t0 - t
            samples.append([round(t, 3), ci["pg"], ci["cg"], ci["bw"],
                            ci["min_rtt"], ti["srtt_us"], ti["cwnd"],
                            ti["total_retrans"], ti["bytes_acked"],
                            ti["data_segs_out"], round(took, 4)])
            if a.ss_at and "ss" not in snap and t >= a.ss_at:
                snap["ss"] = ss_line(a.port)
            stop.wait(a.sample_ms / 1000.0)

    th = threading.Thread(target=sampler)
    th.start()
    buf = b"\x5a" * (1 << 16)
    s.settimeout(5)
    while time.monotonic() - t0 < a.seconds:
        try:
            s.send(buf)
        except socket.timeout:
            continue
        except OSError:
            break
    elapsed = time.monotonic() - t0
    stop.set()
    th.join()
    ti = tcp_info(s)
    s.close()
    res = {
        "cc": in_use, "seconds": round(elapsed, 3),
        "t0_epoch": round(t0_epoch, 3),
        "bytes_acked": ti["bytes_acked"],
        "goodput_mbps": round(ti["bytes_acked"] * 8 / elapsed / 1e6, 3),
        "total_retrans": ti["total_retrans"],
        "data_segs_out": ti["data_segs_out"],
        "rwnd_limited_us": ti["rwnd_limited_us"],
        "samples": samples,
    }
    if a.ss_at:
        res["ss"] = snap.get("ss", "")
    if a.lead:
        res["lead_ce"] = lead_ce
    print(json.dumps(res))
    return 0


def short_main(a):
    payload = b"\x5a" * a.size
    res = {"cc": a.cc, "size": a.size, "fct_s": [], "first": [],
           "samples": [], "total_retrans": []}
    for _ in range(a.count):
        s, t0 = connect_cc(a, 30)
        if s is None:
            print(json.dumps({"error": "connect failed", "cc": a.cc}))
            return 1
        # init() ran when the SYN-ACK came: nothing sent yet
        res["first"].append([0.0] + pacing_info(s) + [(cc_info(s) or {}).get("pg", 0)])
        samples, stop = [], threading.Event()

        def sampler():
            while not stop.is_set():
                try:
                    v = pacing_info(s)
                    pg = (cc_info(s) or {}).get("pg", 0)
                except OSError:
                    break
                samples.append([round(time.monotonic() - t0, 4)] + v + [pg])
                stop.wait(a.sample_ms / 1000.0)

        th = threading.Thread(target=sampler)
        th.start()
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass
        res["fct_s"].append(round(time.monotonic() - t0, 4))
        stop.set()
        th.join()
        res["total_retrans"].append(tcp_info(s)["total_retrans"])
        res["samples"].append(samples)
        s.close()
        time.sleep(a.gap)
    print(json.dumps(res))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("recv")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--count", type=int, default=1)
    r.add_argument("--family", type=int, choices=(4, 6), default=4)
    r.add_argument("--timeout", type=float, default=180)
    r.add_argument("--rcvbuf", type=int, default=0,
                   help="SO_RCVBUF of the listening socket (0: autotuned)")
    peer = argparse.ArgumentParser(add_help=False)  # send's and short's
    peer.add_argument("--to", required=True)
    peer.add_argument("--port", type=int, required=True)
    peer.add_argument("--cc", required=True)
    s = sub.add_parser("send", parents=[peer])
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--delay", type=float, default=0)
    s.add_argument("--sample-ms", type=float, default=20)
    s.add_argument("--ss-at", type=float, default=0)
    s.add_argument("--started", default="")
    s.add_argument("--lead", type=lambda v: [int(x) for x in v.split(",")],
                   default=[], help="sizes written alone first (0: a pause)")
    h = sub.add_parser("short", parents=[peer])
    h.add_argument("--size", type=int, required=True)
    h.add_argument("--count", type=int, default=10)
    h.add_argument("--sample-ms", type=float, default=2)
    h.add_argument("--gap", type=float, default=0.3)
    a = p.parse_args()
    return {"recv": recv_main, "send": send_main, "short": short_main}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
