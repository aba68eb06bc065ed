#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of load_test.sh, run in the sender's network namespace.

  load_helper.py flows PORTS MIN STATEFILE
        one SOCK_GET dump: the ESTABLISHED sockets whose destination port is
        in PORTS (comma separated) are the long-lived flows; writes them
        (cookie -> algorithm, 4-tuple) to STATEFILE; exit 1 if fewer than MIN.
  load_helper.py dumps STATEFILE STOPFILE
        SOCK_GET dumps in a loop until STOPFILE exists: in every dump every
        long-lived flow must appear exactly once, and no socket twice; a
        Reno socket's RECOVER must be a distance from snd_una (below
        RECOVER_MAX), not an absolute sequence number.  LOAD_DUMP_PAUSE
        (0.5) seconds between two dumps.
        Prints a JSON summary; exit 1 on a violation.
  load_helper.py knobs STOPFILE
        changes knobs until STOPFILE exists, through sysctl and netlink,
        valid values (which must take, as both read back) and invalid ones
        (which must be refused with EINVAL and change nothing), single and
        multi-knob sets.  It is the namespace's only writer.  Prints a JSON
        summary; exit 1 on a violation.  Restores every default at the end.
  load_helper.py tail STATEFILE SECONDS
        every long-lived flow's bytes_acked must grow within SECONDS, or the
        flow be in RTO backoff with a live timer (cmd_tail).
"""
import errno
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_nl as nl  # noqa: E402

TCP_ESTABLISHED = 1
# RENO RECOVER is the distance from snd_una to the recovery point: less than
# what one flow can have in flight here (64 MB).  An absolute sequence
# number is below that with probability 1/64 per socket.
RECOVER_MAX = 1 << 26
PAUSE = float(os.environ.get("LOAD_DUMP_PAUSE", "0.5"))
KNOB_PAUSE = float(os.environ.get("LOAD_KNOB_PAUSE", "0.05"))


def cmd_flows(ports, minimum, statefile):
    ports = {int(p) for p in ports.split(",")}
    socks = nl.Genl().socks()
    flows = {str(s["cookie"]): {"algo": s["algo"], "sport": s["sport"], "dport": s["dport"]}
             for s in socks if s["dport"] in ports and s["state"] == TCP_ESTABLISHED}
    with open(statefile, "w") as f:
        json.dump(flows, f)
    by_algo = {}
    for v in flows.values():
        by_algo[v["algo"]] = by_algo.get(v["algo"], 0) + 1
    print(json.dumps({"flows": len(flows), "by_algo": by_algo, "sockets": len(socks)}))
    return 0 if len(flows) >= int(minimum) else 1


def cmd_dumps(statefile, stopfile):
    with open(statefile) as f:
        flows = {int(k) for k in json.load(f)}
    g = nl.Genl(timeout=30)
    n = 0
    bad = []
    nbad = 0
    sizes = []
    times = []
    errs = {}
    recovers = {"checked": 0, "nonzero": 0, "max": 0, "absolute": 0}
    first = True
    while not os.path.exists(stopfile):
        # a pause between dumps: the dumps go on through the whole load,
        # but do not take a whole CPU of the guest from the other loads
        if not first:
            time.sleep(PAUSE)
        first = False
        t0 = time.time()
        try:
            socks = g.socks()
        except OSError as e:
            k = nl.errname(e.errno)
            errs[k] = errs.get(k, 0) + 1
            nbad += 1
            bad.append("dump %d failed: %s" % (n, e))
            g = nl.Genl(timeout=30)
            continue
        times.append(time.time() - t0)
        n += 1
        seen = {}
        for s in socks:
            seen[s["cookie"]] = seen.get(s["cookie"], 0) + 1
        sizes.append(len(socks))
        for s in socks:
            r = s["recover"]
            if r is None:
                continue
            recovers["checked"] += 1
            recovers["nonzero"] += r > 0
            recovers["max"] = max(recovers["max"], r)
            if r >= RECOVER_MAX:
                recovers["absolute"] += 1
        missing = [c for c in flows if c not in seen]
        twice = [c for c, k in seen.items() if k > 1]
        if missing or twice:
            nbad += 1
            if len(bad) < 10:
                bad.append("dump %d: %d sockets, %d long-lived flows missing %s, %d sockets "
                           "more than once %s" % (n, len(socks), len(missing), missing[:4],
                                                  len(twice), twice[:4]))
    if recovers["absolute"]:
        nbad += 1
        bad.append("%d RENO RECOVER values >= %d: absolute sequence numbers?"
                   % (recovers["absolute"], RECOVER_MAX))
    out = {"dumps": n, "violations": nbad, "first": bad, "errors": errs, "recover": recovers,
           "sockets_min": min(sizes) if sizes else 0, "sockets_max": max(sizes) if sizes else 0,
           "dump_s_avg": round(sum(times) / len(times), 4) if times else 0,
           "dump_s_max": round(max(times), 4) if times else 0}
    print(json.dumps(out, sort_keys=True))
    return 0 if n and not nbad else 1


def cmd_knobs(stopfile):
    g = nl.Genl()
    knobs = g.knobs()
    rnd = random.Random(int.from_bytes(os.urandom(4), "little"))
    counts = {}
    bad = []

    def count(k):
        counts[k] = counts.get(k, 0) + 1

    def value_of(k):
        return g.knob_get(k["algo"], k["name"])["value"]

    def check(k, want, how):
        a = value_of(k)
        b = nl.sysctl_read(k["algo"], k["name"])
        if a != want or b != want:
            bad.append("%s %s.%s: netlink %d sysctl %d, expected %d"
                       % (how, k["algo"], k["name"], a, b, want))

    def valid_value(k):
        if rnd.random() < 0.5:
            return rnd.randint(k["min"], k["max"])
        lo = max(k["min"], k["default"] // 2)
        hi = min(k["max"], max(k["default"] * 2, k["min"] + 1))
        return rnd.randint(lo, hi)

    def invalid_value(k):
        cands = []
        if k["max"] < 0xffffffff:
            cands.append(k["max"] + 1 + rnd.randrange(1000))
        if k["min"] > 0:
            cands.append(rnd.randrange(k["min"]))
        return rnd.choice(cands) if cands else None

    while not os.path.exists(stopfile):
        time.sleep(KNOB_PAUSE)
        k = rnd.choice(knobs)
        before = value_of(k)
        mode = rnd.randrange(6)
        if mode == 0:                                       # sysctl, valid
            v = valid_value(k)
            r = nl.sysctl_write(k["algo"], k["name"], "%d\n" % v)
            count("sysctl-valid:%s" % (nl.errname(r) if r else "ok"))
            if r:
                bad.append("sysctl %s.%s=%d: %s" % (k["algo"], k["name"], v, nl.errname(r)))
            check(k, v, "sysctl-valid")
        elif mode == 1:                                     # sysctl, invalid
            v = invalid_value(k)
            text = rnd.choice(["%d\n" % v if v is not None else "-1\n", "-1\n", "x\n",
                               "%d\n" % 2 ** 32, "1 2\n", ""])
            r = nl.sysctl_write(k["algo"], k["name"], text)
            count("sysctl-invalid:%s" % (nl.errname(r) if r else "ok"))
            if r != errno.EINVAL:
                bad.append("sysctl %s.%s=%r: %s, expected EINVAL"
                           % (k["algo"], k["name"], text, nl.errname(r) if r else "accepted"))
            check(k, before, "sysctl-invalid")
        elif mode == 2:                                     # netlink, valid
            v = valid_value(k)
            try:
                g.knob_set((k["algo"], k["name"], v))
                count("netlink-valid:ok")
            except nl.NlError as e:
                count("netlink-valid:%s" % nl.errname(e.errno))
                bad.append("netlink %s.%s=%d: %s" % (k["algo"], k["name"], v, e))
            check(k, v, "netlink-valid")
        elif mode == 3:                                     # netlink, invalid
            v = invalid_value(k)
            if v is None:
                continue
            try:
                g.knob_set((k["algo"], k["name"], v))
                count("netlink-invalid:ok")
                bad.append("netlink %s.%s=%d accepted" % (k["algo"], k["name"], v))
            except nl.NlError as e:
                count("netlink-invalid:%s" % nl.errname(e.errno))
                if e.errno != errno.EINVAL:
                    bad.append("netlink %s.%s=%d: %s, expected EINVAL"
                               % (k["algo"], k["name"], v, e))
            check(k, before, "netlink-invalid")
        else:                                               # multi-knob sets
            ks = rnd.sample(knobs, 3)
            befores = [value_of(x) for x in ks]
            vals = [valid_value(x) for x in ks]
            spoil = mode == 5 and invalid_value(ks[2]) is not None
            if spoil:
                vals[2] = invalid_value(ks[2])
            try:
                g.knob_set(*[(x["algo"], x["name"], v) for x, v in zip(ks, vals)])
                count("netlink-multi-%s:ok" % ("invalid" if spoil else "valid"))
                if spoil:
                    bad.append("multi set with %s.%s=%d accepted"
                               % (ks[2]["algo"], ks[2]["name"], vals[2]))
            except nl.NlError as e:
                count("netlink-multi-%s:%s" % ("invalid" if spoil else "valid", nl.errname(e.errno)))
                if not spoil or e.errno != errno.EINVAL:
                    bad.append("multi set %s: %s" % (vals, e))
            for x, v, b in zip(ks, vals, befores):
                check(x, b if spoil else v, "multi")
    for k in knobs:
        g.knob_set((k["algo"], k["name"], k["default"]))
    restored = all(k["value"] == k["default"] for k in g.knobs())
    print(json.dumps({"counts": counts, "violations": len(bad), "first": bad[:10],
                      "restored": restored}, sort_keys=True))
    return 0 if not bad and restored else 1


TCP_CA_LOSS = 4
# The kernel's TCP_RTO_MAX: a flow in RTO backoff retransmits within its
# current RTO, never later than this.
RTO_MAX_S = 120


def cmd_tail(statefile, seconds):
    """Every flow's bytes_acked grows within SECONDS, or the flow is in RTO
    backoff (CA_Loss, RTOs since its last progress) and gets data acked
    within its RTO + 10 s, or, once its timer has fired and retransmitted,
    within its next RTO + 10 s (each at most RTO_MAX_S + 10).  Among 100
    flows sharing 10 Mbit/s a run of drops of one flow's retransmissions
    is the path's doing, and exponential backoff may keep that flow silent
    for 32 s and more (seen on the debug kernel, three times, tcptune_reno
    each time: RFC 5681's Reno meets more timeouts than NewReno when a
    window loses several segments).  A wedged flow fails: one that sits
    outside CA_Loss without progress, whose timer does not fire, or whose
    retransmissions never get anything acked."""
    with open(statefile) as f:
        flows = {int(k): v for k, v in json.load(f).items()}
    g = nl.Genl(timeout=30)

    def snap():
        return {s["cookie"]: s for s in g.socks() if s["cookie"] in flows}

    a = snap()
    time.sleep(float(seconds))
    b = snap()
    acked = {c: b[c]["bytes_acked"] if c in b else 0 for c in flows}
    stalled = [c for c in flows if acked[c] <= (a[c]["bytes_acked"] if c in a else 0)]
    moved = sum(acked[c] - (a[c]["bytes_acked"] if c in a else 0) for c in flows)
    out = {"flows": len(flows), "stalled": len(stalled),
           "stalled_algos": sorted({flows[c]["algo"] for c in stalled}),
           "bytes": moved, "mbit_s": round(moved * 8 / float(seconds) / 1e6, 2)}
    bad = []
    backoff = []
    for c in stalled:
        s = b.get(c)
        keys = ("ca_state", "rtos", "rto", "cwnd", "ssthresh", "unacked", "total_retrans")
        st = {"algo": flows[c]["algo"], "cookie": c}
        if s:
            st.update({k: s[k] for k in keys})
        if not s or s["ca_state"] != TCP_CA_LOSS or s["rtos"] < 1:
            st["why"] = "gone" if not s else "no progress outside RTO backoff"
            bad.append(st)
        else:
            backoff.append(st)
    if backoff:
        # each must get data acked: by its RTO + 10 s, and once its timer
        # fired and retransmitted, by its (doubled) RTO + 10 s from then
        # (a retransmission handed to IP is not one that left the host)
        t0 = time.time()
        left = {x["cookie"]: x for x in backoff}
        deadline = {c: t0 + min(x["rto"] / 1e6 + 10, RTO_MAX_S + 10) for c, x in left.items()}
        retx = {}
        while left:
            time.sleep(1)
            now = snap()
            t = time.time()
            for c in list(left):
                s = now.get(c)
                if not s:
                    x = left.pop(c)
                    x["why"] = "gone while in RTO backoff"
                    bad.append(x)
                    continue
                if s["bytes_acked"] > b[c]["bytes_acked"]:
                    left.pop(c)["live"] = "acked after %.0f s more%s" % (
                        t - t0, ", retransmitted after %.0f s" % retx[c] if c in retx else "")
                    continue
                if c not in retx and (s["bytes_sent"] > b[c]["bytes_sent"] or
                                      s["total_retrans"] > b[c]["total_retrans"]):
                    retx[c] = t - t0
                    deadline[c] = t + min(s["rto"] / 1e6 + 10, RTO_MAX_S + 10)
                if t >= deadline[c]:
                    x = left.pop(c)
                    x["why"] = ("retransmitted after %.0f s, nothing acked %.0f s later"
                                % (retx[c], t - t0 - retx[c]) if c in retx else
                                "in RTO backoff, neither retransmitted nor acked in %.0f s" % (t - t0))
                    bad.append(x)
        out["rto_backoff"] = backoff
    if bad:
        out["wedged"] = bad
    print(json.dumps(out, sort_keys=True))
    return 0 if not bad else 1


def main():
    cmds = {"flows": cmd_flows, "dumps": cmd_dumps, "knobs": cmd_knobs, "tail": cmd_tail}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
