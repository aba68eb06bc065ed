#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Host test of the benchmark's analysis (scripts/bench/bench.py), no VM:

    /usr/bin/python3 selftests/unit/test_bench.py

The README's tables come from bench.py; this feeds it raw results made up
here, whose right answers are worked out by hand below, and checks the
cells: P6's share over the fair share and its grid's in-band count, P5's
Jain index over the window both flows ran, P10's medians with p10-p90 and
the ratio to the best kernel algorithm, a cell's median (min-max), and the
commit line.  Each check has its counterpart that must come out different
(a share out of band is not counted; an unfair pair is not 1).  TAP
output; exit status 0 only if all pass.
"""
import json
import os
import shutil
import sys
import tempfile

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(top, "scripts", "bench"))

import bench  # noqa: E402

tests = []


def case(fn):
    tests.append(fn)
    return fn


def write(raw, name, obj):
    with open(os.path.join(raw, name + ".json"), "w") as f:
        json.dump(obj, f)


def flow(mbps, t0=1000.0, secs=30, rate=None):
    """A bulk flow's result: goodput, and bytes ACKed every 0.5 s at rate
    (Mbit/s) for P5's window."""
    rate = mbps if rate is None else rate
    samples = [[t / 2, 0, 0, 0, 0, 0, 0, 0, int(rate * 1e6 / 8 * t / 2)]
               for t in range(0, 2 * secs + 1)]
    return {"goodput_mbps": mbps, "t0_epoch": t0, "seconds": secs, "samples": samples,
            "total_retrans": 0, "data_segs_out": 1000}


def made_up(raw):
    # P6, 0.5 BDP, one of ours against 2 cubic: shares 0.25, 1/3, 0.5 of
    # the link, so share / (1/3) = 0.75, 1.00, 1.50: median 1.00 (0.75-1.50)
    for rep, (a, b) in enumerate([(10, 15), (10, 10), (20, 10)], 1):
        write(raw, "P6_0.5-cubic2_tcptune_bbr_%d_a" % rep, flow(a))
        for i in (1, 2):
            write(raw, "P6_0.5-cubic2_tcptune_bbr_%d_b%d" % (rep, i), flow(b))
    # the same cell for bbr, every run at 2/3 of the link: 2.00, out of band
    for rep in (1, 2, 3):
        write(raw, "P6_0.5-cubic2_bbr_%d_a" % rep, flow(40))
        for i in (1, 2):
            write(raw, "P6_0.5-cubic2_bbr_%d_b%d" % (rep, i), flow(10))
    # P6, 8 BDP against 1 reno: 0.4 of the link, 0.80 of fair, in band
    write(raw, "P6_8-reno1_tcptune_bbr_1_a", flow(20))
    write(raw, "P6_8-reno1_tcptune_bbr_1_b1", flow(30))
    # P5: the second flow 10 s late; while both run they get 30 and 10
    # Mbit/s (Jain (40^2) / (2 (900 + 100)) = 0.8) for tcptune_bbr, 20 and
    # 20 (1.0) for reno
    write(raw, "P5_late10_tcptune_bbr_1_a", flow(30, 1000.0, 30))
    write(raw, "P5_late10_tcptune_bbr_1_b", flow(10, 1010.0, 20))
    write(raw, "P5_late10_reno_1_a", flow(20, 1000.0, 30))
    write(raw, "P5_late10_reno_1_b", flow(20, 1010.0, 20))
    # P10, 100 KB alone: ours 100..119 ms, bbr 200..219, cubic 90..109
    for algo, base in (("tcptune_bbr", 100), ("bbr", 200), ("cubic", 90)):
        write(raw, "P10_alone-100000_%s_1" % algo,
              {"fct_s": [(base + i) / 1000.0 for i in range(20)], "count": 20})
    # a run that failed in the guest is left out, not counted as zero
    write(raw, "P1_1bdp_reno_1", {"error": "connect failed"})


@case
def p6_cell(rows, text):
    c = rows["P6 0.5 BDP vs 2 cubic: share / fair share"]["tcptune_bbr"]
    ok = c.fmt(2) == "1.00 (0.75-1.50)"
    return ok, "P6 cell is the median (min-max) of share x (n + 1): %s" % c.fmt(2)


@case
def p6_grid_count(rows, text):
    grid = bench.p6_grid(rows)
    ok = ("tcptune_bbr: 2 of 2 cells in 0.75-1.33" in grid and
          "bbr: 0 of 1 cells in 0.75-1.33" in grid and
          "| 0.5 BDP, bbr | 2.00 (2.00-2.00) | — |" in grid)
    return ok, "P6 grid: in-band count for ours (2 of 2) and bbr's out-of-band 2.00 (0 of 1)"


@case
def p5_jain(rows, text):
    v = rows["P5 Jain index, 2nd flow late"]
    ours, reno = v["tcptune_bbr"].mid, v["reno"].mid
    ok = abs(ours - 0.8) < 0.01 and abs(reno - 1.0) < 0.01
    return ok, "P5 Jain over the window both ran: 30/10 -> %.3f (0.8), 20/20 -> %.3f (1.0)" % (
        ours, reno)


@case
def p10_cell(rows, text):
    v = rows["P10 100 KB alone: FCT ms"]
    r = rows["P10 100 KB alone: tcptune_bbr / best of bbr, cubic, reno"]["tcptune_bbr"]
    # 20 values 100..119: median (109 + 110) / 2, p10 the 3rd, p90 the 19th
    ok = (v["tcptune_bbr"].fmt(0) == "110 [102-118]" and abs(r.mid - 109.5 / 99.5) < 1e-6)
    return ok, "P10: median [p10-p90] %s, ours / best (cubic) %.3f" % (
        v["tcptune_bbr"].fmt(0), r.mid)


@case
def p10_grid(rows, text):
    grid = bench.p10_grid(rows)
    ok = "| 100 KB alone | 110 [102-118] | 210 [202-218] | 100 [92-108] | 1.10 |" in grid
    return ok, "P10 grid row: each algorithm's cell and the ratio"


@case
def failed_run_left_out(rows, text):
    ok = "P1 goodput / link" not in rows
    return ok, "a run with an error is left out of the table"


@case
def commit_line(rows, text):
    ok = text.startswith("Measured: commit 0123456789ab, module source feedfacecafe.")
    return ok, "the table names the commit it measured"


def main():
    d = tempfile.mkdtemp(prefix="tcptune-bench-")
    try:
        raw = os.path.join(d, "raw")
        os.mkdir(raw)
        made_up(raw)
        with open(os.path.join(d, "source"), "w") as f:
            f.write("commit 0123456789ab, module source feedfacecafe\n")
        old = sys.stdout
        sys.stdout = open(os.devnull, "w")
        try:
            rc = bench.main_for(d, plots_too=False)
        finally:
            sys.stdout.close()
            sys.stdout = old
        rows = bench.metrics(bench.load_all(d))
        with open(os.path.join(d, "table.md")) as f:
            text = f.read()
        print("1..%d" % (len(tests) + 1))
        fails = 0
        print("%s 1 - bench.py wrote table.md (exit %d)" % ("ok" if rc == 0 else "not ok", rc))
        fails += rc != 0
        for i, t in enumerate(tests, 2):
            try:
                good, what = t(rows, text)
            except (KeyError, TypeError, AttributeError) as e:
                good, what = False, "%s: %r" % (t.__name__, e)
            print("%s %d - %s" % ("ok" if good else "not ok", i, what))
            fails += not good
        return 1 if fails else 0
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    sys.exit(main())
