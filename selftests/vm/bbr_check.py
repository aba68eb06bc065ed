#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Judges the bbr selftest's flows (JSON from bbr_flow.py send).

  bbr_check.py CHECK [ARGS...]

Each check prints one line (what it measured; why it failed) and exits 0
when the behaviour holds, 1 when it does not.  The state of a tcptune_bbr
socket is read from the gains that TCP_CC_INFO reports (<< 8): Startup
2.77/2, Drain 0.35/2, ProbeBW DOWN 0.9/2, CRUISE or REFILL 1/2 (the two
look the same), UP 1.25/2.25, ProbeRTT 1/0.5.
"""
import json
import re
import sys

# Payload share of a full-sized frame: tbf counts the Ethernet frame
# (1514 bytes), the bw estimate counts MSS-sized payload (1448 bytes).
PAYLOAD = 1448.0 / 1514.0


def load(path):
    with open(path) as f:
        return json.load(f)


def state(pg, cg):
    if cg == 128:
        return "PROBE_RTT"
    # UP's cwnd gain, 2.25; its pacing gain is 1.25 / (1 - the random-loss
    # floor), at least 1.25 (a lower one is a read torn across phases)
    if cg == 576 and pg >= 320:
        return "UP"
    return {709: "STARTUP", 89: "DRAIN", 230: "DOWN", 256: "CRUISE/REFILL",
            320: "UP"}.get(pg, "?%d/%d" % (pg, cg))


def timeline(r):
    """[(state, t_first_seen, t_last_seen)] with repeats merged."""
    seq = []
    for x in r["samples"]:
        if x[1] == 0 and x[2] == 0:
            continue
        s = state(x[1], x[2])
        if seq and seq[-1][0] == s:
            seq[-1][2] = x[0]
        else:
            seq.append([s, x[0], x[0]])
    return seq


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if v else 0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else 0


def short(seq, n=40):
    return " ".join("%s@%.2f" % (s, t) for s, t, _ in seq[:n])


def check_ss(args):
    r = load(args[0])
    line = r.get("ss", "")
    m = re.search(r"bbr:\(bw:(\S+?)bps,mrtt:([\d.]+),pacing_gain:([\d.]+),"
                  r"cwnd_gain:([\d.]+)\)", line)
    if r.get("cc") != "tcptune_bbr" or "tcptune_bbr" not in line or not m:
        print("cc %s; ss line: %s" % (r.get("cc"), line or "(none)"))
        return 1
    print("ss -ti: %s" % m.group(0))
    return 0


def check_startup(args):
    seq = timeline(load(args[0]))
    names = [s for s, _, _ in seq]
    print("states: %s" % short(seq, 12))
    if len(names) < 3 or names[0] != "STARTUP" or names[1] != "DRAIN" or \
       names[2] not in ("DOWN", "CRUISE/REFILL"):
        print("want STARTUP, DRAIN, then a ProbeBW phase")
        return 1
    if "STARTUP" in names[1:] or "DRAIN" in names[2:]:
        print("Startup or Drain came back on a clean path")
        return 1
    return 0


def check_cycle(args):
    seq = timeline(load(args[0]))
    names = [s for s, _, _ in seq]
    ups = sum(1 for a, b in zip(names, names[1:]) if a == "CRUISE/REFILL" and b == "UP")
    downs = sum(1 for a, b in zip(names, names[1:]) if a == "UP" and b == "DOWN")
    cruise = sum(1 for a, b in zip(names, names[1:]) if a == "DOWN" and b == "CRUISE/REFILL")
    print("ProbeBW: %d REFILL->UP, %d UP->DOWN, %d DOWN->CRUISE" % (ups, downs, cruise))
    if ups < 3 or downs < 3 or cruise < 3:
        print("want at least 3 of each in the flow; states: %s" % short(seq))
        return 1
    return 0


def check_probe_rtt(args):
    """ProbeRTT comes when min_rtt has not changed for the interval (the
    draft: min_rtt expired), never sooner, and not much later."""
    r = load(args[0])
    interval = float(args[1])
    seq = timeline(r)
    prt = [(t0, t1) for s, t0, t1 in seq if s == "PROBE_RTT"]
    print("ProbeRTT at %s s (interval %.1f s)" %
          (", ".join("%.2f-%.2f" % p for p in prt), interval))
    if len(prt) < 2:
        print("want ProbeRTT at least twice in %.0f s; states: %s" %
              (r["seconds"], short(seq)))
        return 1
    # When min_rtt changed and ProbeRTT began are known to within a
    # sampling step: between the last sample before (t of that sample) and
    # the end of the reads of the first sample after (t + read_s; the
    # sampler thread can stall for a while under emulation).
    xs = r["samples"]
    end = [x[0] + (x[10] if len(x) > 10 else 0) for x in xs]
    changes = []    # (earliest, latest)
    for i in range(1, len(xs)):
        if xs[i][4] and xs[i - 1][4] and xs[i][4] != xs[i - 1][4]:
            changes.append((xs[i - 1][0], end[i]))
    entries = []
    for i in range(1, len(xs)):
        if xs[i][2] == 128 and xs[i - 1][2] != 128:
            entries.append((xs[i - 1][0], end[i]))
    bad = []
    for e0, e1 in entries:
        before = [c for c in changes if c[1] < e0]
        if not before:
            continue
        c0, c1 = before[-1]
        if e1 - c0 < 0.9 * interval or e0 - c1 > interval + 1:
            bad.append("entry at %.2f-%.2f s, min_rtt last changed at %.2f-%.2f s"
                       % (e0, e1, c0, c1))
    changes = [c1 for _, c1 in changes]
    # no ProbeRTT missing at the end of the flow
    last = max([prt[-1][1]] + [t for t in changes if t > prt[-1][1]])
    if r["samples"][-1][0] - last > interval + 1:
        bad.append("none from %.2f s to the end (%.2f s)" % (last, r["samples"][-1][0]))
    if bad:
        print("; ".join(bad))
        return 1
    if max(t1 - t0 for t0, t1 in prt) < 0.15:
        print("ProbeRTT never lasted 200 ms")
        return 1
    return 0


def check_bw(args):
    r = load(args[0])
    t_from, t_to, mbit, tol = map(float, args[1:5])
    want = mbit * 1e6 * PAYLOAD
    bws = [x[3] * 8 for x in r["samples"] if t_from <= x[0] <= t_to and x[3]]
    got = median(bws)
    print("bw estimate %.2f Mbit/s (median %.0f-%.0f s), link %.1f Mbit/s = "
          "%.2f Mbit/s of payload: ratio %.3f" %
          (got / 1e6, t_from, t_to, mbit, want / 1e6, got / want if want else 0))
    return 0 if abs(got - want) <= tol * want else 1


def check_min_rtt(args):
    r = load(args[0])
    base_ms, tol = float(args[1]), float(args[2])
    mr = [x[4] for x in r["samples"] if x[4] and x[0] > 2]
    got = median(mr) / 1000.0
    print("min_rtt %.2f ms, base RTT %.1f ms: ratio %.3f" % (got, base_ms, got / base_ms))
    return 0 if abs(got - base_ms) <= tol * base_ms else 1


def rtt_p95(r, t_from):
    return pct([x[5] / 1000.0 for x in r["samples"] if x[0] >= t_from and x[5]], 0.95)


def check_deep(args):
    ours, cubic = load(args[0]), load(args[1])
    base = float(args[2])
    po, pc = rtt_p95(ours, 4), rtt_p95(cubic, 4)
    print("p95 RTT / base: %s %.2f (%.1f ms), %s %.2f (%.1f ms)" %
          (ours["cc"], po / base, po, cubic["cc"], pc / base, pc))
    if po > 1.5 * base:
        print("tcptune_bbr keeps a queue: want p95 RTT <= 1.5 x base")
        return 1
    if pc < 3 * base:
        print("cubic did not fill the 10 x BDP buffer: the path is not what it should be")
        return 1
    return 0


def per_second_mbps(r):
    """Goodput of each whole second of the flow, from bytes_acked."""
    out, prev, sec = [], 0, 1
    for x in r["samples"]:
        while x[0] >= sec:
            out.append((x[8] - prev) * 8 / 1e6)
            prev, sec = x[8], sec + 1
    return out


def model_dumps(path):
    """inflight_hi/inflight_lo/bw_lo (Mbit/s) from PATH's -dump-T.json files
    (`tcptune -j sockets` at T s), as one line."""
    def bound(v, scale=None):
        return "inf" if v is None else ("%.1f" % (v / scale) if scale else v)
    parts = []
    for t in (3, 7, 11):
        try:
            b = dump_bbr("%s-dump-%d.json" % (path[:-5], t))
        except (OSError, ValueError, KeyError):
            continue
        parts.append("%ds %s/%s/%s" % (t, bound(b.get("inflight_hi")),
                                      bound(b.get("inflight_lo")),
                                      bound(b.get("bw_lo_bps"), 1e6)))
    return "; model (inflight_hi/inflight_lo/bw_lo Mbit/s) at " + ", ".join(parts) if parts else ""


def loss_line(path, ref, ceiling):
    """One pair's figures: the tcptune_bbr flow's JSON at PATH (its dumps
    beside it), the reference flow REF."""
    r = load(path)
    return ("goodput / (link x (1 - p)): %s %.3f (%.2f Mbit/s), %s %.3f; retransmitted %d of %d;"
            " per second %s; states %s%s" %
            (r["cc"], r["goodput_mbps"] / ceiling, r["goodput_mbps"], ref["cc"],
             ref["goodput_mbps"] / ceiling, r["total_retrans"], r["data_segs_out"],
             " ".join("%.0f" % x for x in per_second_mbps(r)), short(timeline(r), 12),
             model_dumps(path)))


def check_loss(args):
    """R REF MBIT LOSS% WANT [R1 REF1]: R's goodput >= WANT x the ceiling;
    R1/REF1, a first run that fell short, are reported beside it."""
    r, ref = load(args[0]), load(args[1])
    mbit, loss, want = float(args[2]), float(args[3]) / 100, float(args[4])
    ceiling = mbit * PAYLOAD * (1 - loss)
    ratio = r["goodput_mbps"] / ceiling
    print(loss_line(args[0], ref, ceiling))
    if len(args) >= 7:
        print("first run, below %.2f (the pair ran again; the run above is judged): %s" %
              (want, loss_line(args[5], load(args[6]), ceiling)))
    return 0 if ratio >= want else 1


def retrans_ratio(rs):
    return sum(r["total_retrans"] for r in rs) / max(1, sum(r["data_segs_out"] for r in rs))


def check_shallow(args):
    ours = [load(args[0]), load(args[1])]
    ref = [load(args[2]), load(args[3])]
    ro, rr = retrans_ratio(ours), retrans_ratio(ref)
    go = sum(r["goodput_mbps"] for r in ours)
    gr = sum(r["goodput_mbps"] for r in ref)
    print("retransmitted / sent: %s %.2f %%, %s %.2f %%; goodput %.1f vs %.1f Mbit/s" %
          (ours[0]["cc"], 100 * ro, ref[0]["cc"], 100 * rr, go, gr))
    if rr == 0:
        print("the kernel's bbr lost nothing: the buffer is not shallow")
        return 1
    if ro > 0.5 * rr:
        print("want at most half of the kernel bbr's retransmission ratio")
        return 1
    if go < 0.6 * gr:
        print("goodput below 0.6 x the kernel bbr's: restraint by starving")
        return 1
    return 0


def window_ratio(x):
    """pacing_rate * srtt / (cwnd * mss) of a short transfer's sample: the
    window leaves in srtt / this."""
    _, rate, cwnd, srtt_us, mss = x[:5]
    return rate * srtt_us / 1e6 / max(1, cwnd * mss)


def check_young(args):
    """Young Startup's pacing floor (tcptune_bbr.c, header).  ARGS: ours
    and the kernel bbr's 1 MB transfers, ours and the kernel reno's 100 KB
    ones (bbr_flow.py short), the least first-window ratio wanted (the
    floor's 8, less rounding), the most wanted past the young rounds.

    The first window, as init() paced it: ours leaves in srtt / 8, the
    kernel's bbr (the control: the same reading of a draft-paced first
    window) in srtt / 2.9.  Past the young rounds (acked beyond the 10 +
    20 + 40 + 80 packets of flights 1-4), still in Startup: the ratio is
    the model's again (about 1-3), not the floor's.  The completion times
    are reported, not judged (timings of an emulated VM)."""
    ours, ref = load(args[0]), load(args[1])
    small, reno = load(args[2]), load(args[3])
    lo, hi = float(args[4]), float(args[5])
    f_ours = median([window_ratio(x) for x in ours["first"] + small["first"]])
    f_ref = median([window_ratio(x) for x in ref["first"]])
    late = [window_ratio(x) for tr in ours["samples"] for x in tr
            if x[5] >= 150 * x[4] and x[6] == 709 and x[2] and x[3]]
    r_late = median(late)
    print("first window in srtt / %.2f (%s) vs / %.2f (%s); past the young "
          "rounds, Startup: srtt / %.2f (median of %d samples); 100 KB "
          "completion, median: %s %.0f ms, %s %.0f ms; 1 MB: %s %.0f ms, "
          "%s %.0f ms" %
          (f_ours, ours["cc"], f_ref, ref["cc"], r_late, len(late),
           small["cc"], 1000 * median(small["fct_s"]), reno["cc"],
           1000 * median(reno["fct_s"]), ours["cc"],
           1000 * median(ours["fct_s"]), ref["cc"], 1000 * median(ref["fct_s"])))
    if f_ref >= lo:
        print("the control's first window also reads fast: the reading is broken")
        return 1
    if f_ours < lo:
        print("want the first window in srtt / %.1f or less" % lo)
        return 1
    if len(late) < 5:
        print("too few Startup samples past the young rounds to judge")
        return 1
    if r_late > hi:
        print("want the floor gone past the young rounds (srtt / %.1f at most)" % hi)
        return 1
    return 0


def dump_bbr(path):
    """The model ("bbr") of the tcptune_bbr socket in a `tcptune -j
    sockets` dump; KeyError when the dump holds no such socket."""
    socks = [s for s in load(path) if s.get("algo") == "tcptune_bbr" and s.get("bbr")]
    if not socks:
        raise KeyError("no tcptune_bbr socket in %s" % path)
    return socks[0]["bbr"]


def dump_inflight_hi(path):
    """inflight_hi of the tcptune_bbr socket in a `tcptune -j sockets`
    dump (None: unbounded); KeyError when the dump holds no such socket."""
    return dump_bbr(path).get("inflight_hi")


def check_ecn(args):
    """An ECN-capable flow on a marking, non-dropping bottleneck: with the
    ecn knob on the marks are congestion (inflight_hi bounded), with it
    off they are not; marks must have been seen either way."""
    r = load(args[0])
    with open(args[2]) as f:
        ce = int(f.read().strip() or 0)
    on = args[3] == "1"
    try:
        hi = dump_inflight_hi(args[1])
    except KeyError:
        print("no tcptune_bbr socket in the dump at 8 s")
        return 1
    print("CE-marked packets delivered %d, inflight_hi %s, retransmitted %d of %d, "
          "goodput %.2f Mbit/s" % (ce, hi, r["total_retrans"], r["data_segs_out"],
                                    r["goodput_mbps"]))
    if ce == 0:
        print("no CE marks reached the sender: ECN was not negotiated or not marked")
        return 1
    if on:
        if hi is None:
            print("CE marks did not bound inflight_hi")
            return 1
        # The bottleneck drops nothing (1 MB, CE above 2 ms): a queue that
        # overflowed would cost hundreds of segments.  One or two in 10,000
        # are the emulated VM stalling (a RACK or timer retransmission with
        # no drop, seen with no RTO or loss probe counted on a loaded host).
        if r["total_retrans"] * 1000 > r["data_segs_out"]:
            print("want at most 1 retransmission in 1,000: the bottleneck does not drop")
            return 1
        return 0
    if hi is None:
        return 0
    # A loss (Startup's overshoot, say) may bound inflight_hi on its own;
    # then it must still lie well above where the marks put it with ecn=1.
    try:
        hi_on = dump_inflight_hi(args[4])
    except KeyError:
        hi_on = None
    if r["total_retrans"] and hi_on and hi >= 2 * hi_on:
        print("inflight_hi bounded by loss (%d retransmitted), not by the marks: "
              "%d vs %d with ecn=1" % (r["total_retrans"], hi, hi_on))
        return 0
    print("with ecn=0 marks must not bound inflight_hi")
    return 1


STARTUP_PG = 512     # pacing_gain above 2 (x 256): Startup, ours (709) or v1's (739)


def startup_until(r, t_from):
    """(in Startup in every sample from t_from on, time of the first sample
    from t_from on outside it or None)."""
    out = [x[0] for x in r["samples"] if x[0] >= t_from and (x[1] or x[2]) and x[1] < STARTUP_PG]
    return (not out, out[0] if out else None)


def check_held(args):
    """FLOW T: the flow was in Startup in every sample from T s on (the
    window case's rerun test; its verdict is check_window's)."""
    r = load(args[0])
    held, left_at = startup_until(r, float(args[1]))
    if held:
        print("in Startup from %s s to the end" % args[1])
        return 0
    print("left Startup at %.2f s (rwnd-limited %.0f ms)" %
          (left_at, r.get("rwnd_limited_us", 0) / 1000.0))
    return 1


def check_window(args):
    """A plateau behind a closed window (tcptune_bbr.c, header).  ARGS: ours
    and the kernel's bbr behind a window below the BDP, ours behind one
    above it on a deep buffer, the base RTT in ms.  Behind the small window
    ours stays in Startup (every round window-limited, the RTT flat) where
    the kernel's bbr, the control, leaves it on the plateau; behind the
    large one the queue it builds makes the plateau count: ours leaves
    Startup and the queue drains (p95 RTT from 4 s <= 1.5 x base)."""
    small, ref, big = load(args[0]), load(args[1]), load(args[2])
    base = float(args[3])
    held, left_at = startup_until(small, 1.0)
    ref_held, ref_left = startup_until(ref, 0.3)
    big_held, big_left = startup_until(big, 0.3)
    p95 = rtt_p95(big, 4)
    lim = [x.get("rwnd_limited_us", 0) / 1000.0 for x in (small, ref, big)]
    print("small window: %s %s (%.1f Mbit/s), %s %s (%.1f Mbit/s); large window on "
          "10 BDP: %s %s, p95 RTT %.1f ms = %.2f x base; states %s; "
          "rwnd-limited %.0f / %.0f / %.0f ms" %
          (small["cc"], "in Startup from 1 s to the end" if held else "left Startup at %.2f s" % left_at,
           small["goodput_mbps"], ref["cc"],
           "in Startup throughout" if ref_held else "left Startup at %.2f s" % ref_left,
           ref["goodput_mbps"], big["cc"],
           "never left Startup" if big_held else "left Startup at %.2f s" % big_left,
           p95, p95 / base, short(timeline(big), 8), lim[0], lim[1], lim[2]))
    if not lim[0]:
        print("the 40 KB window never held tcptune_bbr back: the case tests nothing")
        return 1
    if ref_held:
        print("the control did not leave Startup: no plateau behind this window")
        return 1
    if not held:
        print("a window-limited plateau with a flat RTT ended Startup")
        return 1
    why = window_big(big, base)
    if why:
        print(why)
        return 1
    return 0


def window_big(big, base):
    """Why ours behind the window larger than the pipe fails (None: it
    does not): the window must have held it back, Startup must end and
    the queue drain (p95 RTT from 4 s <= 1.5 x base)."""
    if not big.get("rwnd_limited_us", 0):
        return "the 300 KB window never held tcptune_bbr back: the case tests nothing"
    if startup_until(big, 0.3)[0] or rtt_p95(big, 4) > 1.5 * base:
        return "behind a window larger than the pipe Startup must end and the queue drain"
    return None


def check_big(args):
    """FLOW BASE: window_big() on its own (the window case's rerun test;
    its verdict is check_window's)."""
    big, base = load(args[0]), float(args[1])
    held, left = startup_until(big, 0.3)
    p95 = rtt_p95(big, 4)
    print("%s, p95 RTT from 4 s %.1f ms = %.2f x base, rwnd-limited %.0f ms" %
          ("never left Startup" if held else "left Startup at %.2f s" % left,
           p95, p95 / base, big.get("rwnd_limited_us", 0) / 1000.0))
    why = window_big(big, base)
    if why:
        print(why)
        return 1
    return 0


def climb_flow(path):
    """(flow, the step's time in the flow's clock, [(t, bw Mbit/s)]); no
    step file means the tc change failed, or the flow never connected
    (no --started file within 30 s), and the check fails."""
    r = load(path)
    with open(path[:-len(".json")] + ".step") as f:
        step = float(f.read()) - r["t0_epoch"]
    return r, step, [(x[0], x[3] * 8 / 1e6) for x in r["samples"] if x[1]]


def reach(bw, t_from, level):
    """Seconds from t_from until the bw estimate first reaches level."""
    return next((t - t_from for t, b in bw if t >= t_from and b >= level), None)


def up_gains(r, t_from):
    """pacing_gain (x 256) of the samples taken in ProbeBW UP after t_from."""
    return [x[1] for x in r["samples"] if x[0] >= t_from and state(x[1], x[2]) == "UP"]


def fmt(t):
    return "never" if t is None else "%.2f s" % t


def reprobe_gaps(r, t_from, secs):
    """Seconds from the end of one UP to the start of the next, for the UPs
    that start within secs after t_from (as the samples see them)."""
    ups = [(a, b) for s, a, b in timeline(r) if s == "UP"]
    return [round(a - ups[i - 1][1], 2) for i, (a, b) in enumerate(ups)
            if i and t_from <= a <= t_from + secs]


def stepped_after_startup(*flows):
    """Whether each (flow, the step's time) left Startup before the step,
    as the climb cases assume: a step in Startup is climbed by Startup's
    own growth, with or without the knobs (the case tests nothing).
    Prints why not."""
    for r, step in flows:
        left = next((t for s, t, _ in timeline(r) if s != "STARTUP"), None)
        if left is None or left >= step:
            print("the step came at %.2f s of the flow, before Startup ended (%s): "
                  "the case tests nothing" % (step, fmt(left)))
            return False
    return True


def check_climb(args):
    """ON OFF MBIT SHARE SECS GAP: after the step to MBIT, ON's bw estimate
    reaches SHARE of it within SECS, and ON probes again (a UP starts at
    most GAP s after the one before) within 5 s of the step; OFF
    (probe_bw_again=0) never does: its next probe waits at least
    min(target inflight, 63) rounds or the 2-3 s timer, 13 rounds (0.52 s)
    at 4 Mbit/s and 40 ms.  OFF's time to SHARE is reported, not judged:
    a jump in a probe's sample made it as fast once in three runs."""
    mbit, share, secs, gap = (float(x) for x in args[2:6])
    (on, s_on, bw_on), (off, s_off, bw_off) = climb_flow(args[0]), climb_flow(args[1])
    t_on, t_off = reach(bw_on, s_on, share * mbit), reach(bw_off, s_off, share * mbit)
    g_on, g_off = reprobe_gaps(on, s_on, 5), reprobe_gaps(off, s_off, 5)
    print("bw >= %.1f Mbit/s after the step: probe_bw_again=1 in %s (goodput %.1f Mbit/s), "
          "0 in %s (%.1f); from one UP's end to the next's start, s: (1) %s, (0) %s; "
          "states (1) %s" %
          (share * mbit, fmt(t_on), on["goodput_mbps"], fmt(t_off), off["goodput_mbps"],
           g_on, g_off, short([x for x in timeline(on) if x[1] >= s_on - 1], 14)))
    if not stepped_after_startup((on, s_on), (off, s_off)):
        return 1
    if t_on is None or t_on > secs:
        print("probe_bw_again=1 did not climb within %.1f s" % secs)
        return 1
    if not any(g <= gap for g in g_on):
        print("probe_bw_again=1 never probed again within %.2f s" % gap)
        return 1
    if not g_off or any(g <= gap for g in g_off):
        print("the control (probe_bw_again=0) %s" %
              ("probed again within %.2f s" % gap if g_off else "did not probe after the step"))
        return 1
    return 0


def check_climb_loss(args):
    """ON OFF MBIT SHARE: under random loss, after the step to MBIT ON's bw
    estimate reaches SHARE of it and its UP paces above 1.25; OFF (both
    knobs 0) stays below SHARE and its UP paces at 1.25."""
    mbit, share = float(args[2]), float(args[3])
    (on, s_on, bw_on), (off, s_off, bw_off) = climb_flow(args[0]), climb_flow(args[1])
    g_on, g_off = up_gains(on, s_on), up_gains(off, s_off)
    top_on = max((b for t, b in bw_on if t >= s_on), default=0)
    top_off = max((b for t, b in bw_off if t >= s_off), default=0)
    print("after the step: knobs 1/25 bw up to %.1f Mbit/s (goodput %.1f), UP pacing_gain "
          "median %.3f of %d samples; knobs 0/0 up to %.1f (goodput %.1f), UP %s of %d" %
          (top_on, on["goodput_mbps"], median(g_on) / 256, len(g_on), top_off,
           off["goodput_mbps"], sorted(set(x / 256 for x in g_off)), len(g_off)))
    if not stepped_after_startup((on, s_on), (off, s_off)):
        return 1
    if top_on < share * mbit:
        print("knobs 1/25 did not climb to %.1f Mbit/s" % (share * mbit))
        return 1
    if not g_on or median(g_on) <= 320:
        print("UP did not pace above 1.25 with a random-loss floor")
        return 1
    if top_off >= share * mbit or not g_off or set(g_off) != {320}:
        print("the control (knobs 0/0) climbed too, or its UP was not at 1.25")
        return 1
    return 0


CHECKS = {
    "ss": check_ss, "startup": check_startup, "cycle": check_cycle,
    "probe_rtt": check_probe_rtt, "bw": check_bw, "min_rtt": check_min_rtt,
    "deep": check_deep, "loss": check_loss, "shallow": check_shallow,
    "ecn": check_ecn, "young": check_young, "window": check_window, "held": check_held,
    "big": check_big,
    "climb": check_climb, "climb_loss": check_climb_loss,
}

if __name__ == "__main__":
    try:
        sys.exit(CHECKS[sys.argv[1]](sys.argv[2:]))
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("no result: %r" % e)
        sys.exit(1)
