#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark's raw flows (OUT/raw/*.json, from bench-guest.sh)
into the table of ratios and the plots.

  bench.py OUT        print the table (markdown), write OUT/table.md,
                      OUT/*.dat and, with gnuplot, OUT/*.png

Every figure is a ratio to the physical limit or to another algorithm of
the same run (../shared/guide/targets.md):
  P1  goodput / link                 50 Mbit/s, 40 ms, 1 BDP
  P2  goodput / (link x (1 - p))     50 Mbit/s, 100 ms, random loss p
  P3  p95 RTT / base RTT             20 Mbit/s, 40 ms, 10 BDP
  P4  retransmitted / sent, goodput / link, two flows, 0.1 BDP
  P5  Jain index while both flows run, the second started a third in
  P6  share of the algorithm against one cubic flow, per buffer size
  P7  goodput / Mathis (MSS/RTT * 1.22/sqrt(p)) at 0.1 % and 1 % (P2's runs)
"link" is the payload rate of the emulated link: tbf counts 1514-byte
frames, a segment carries 1448 bytes.  A value is the mean over the
repetitions.
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys

PAYLOAD = 1448.0 / 1514.0
ORDER = ["tcptune_bbr", "tcptune_reno", "tcptune_newreno", "bbr", "cubic", "reno"]


def load_all(out):
    runs = {}
    for path in glob.glob(os.path.join(out, "raw", "*.json")):
        name = os.path.basename(path)[:-5]
        parts = name.split("_")
        flow = None
        if parts[-1] in ("a", "b"):
            flow = parts.pop()
        rep = parts.pop()
        sc, param, algo = parts[0], parts[1], "_".join(parts[2:])
        try:
            with open(path) as f:
                r = json.load(f)
        except ValueError:
            continue
        if "error" in r:
            continue
        runs.setdefault((sc, param, algo), {}).setdefault(rep, {})[flow] = r
    return runs


def mean(v):
    v = [x for x in v if x is not None]
    return sum(v) / len(v) if v else None


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else None


def window_rate(r, t_from, t_to):
    """Mbit/s ACKed between two absolute times (epoch)."""
    pts = [(r["t0_epoch"] + x[0], x[8]) for x in r["samples"]]
    a = [b for t, b in pts if t <= t_from]
    z = [b for t, b in pts if t <= t_to]
    if not a or not z:
        return None
    return (z[-1] - a[-1]) * 8 / (t_to - t_from) / 1e6


def metrics(runs):
    rows = {}   # (row label) -> {algo: value}

    def put(label, algo, v):
        rows.setdefault(label, {})[algo] = v

    for (sc, param, algo), reps in sorted(runs.items()):
        vals = []
        if sc == "P1":
            vals = [r[None]["goodput_mbps"] / (50 * PAYLOAD) for r in reps.values()]
            put("P1 goodput / link", algo, mean(vals))
        elif sc == "P2":
            p = float(param) / 100
            ceil = 50 * PAYLOAD * (1 - p)
            put("P2 loss %s %% goodput / (link(1-p))" % param, algo,
                mean([r[None]["goodput_mbps"] / ceil for r in reps.values()]))
            if param in ("0.1", "1"):
                mathis = 1448 * 8 / 0.1 * 1.22 / math.sqrt(p) / 1e6
                put("P7 loss %s %% goodput / Mathis" % param, algo,
                    mean([r[None]["goodput_mbps"] / mathis for r in reps.values()]))
        elif sc == "P3":
            put("P3 10 BDP p95 RTT / base", algo,
                mean([pct([x[5] / 1000.0 for x in r[None]["samples"]
                           if x[0] > 2 and x[5]], 0.95) / 40.0
                      for r in reps.values()]))
        elif sc == "P4":
            rr, gg = [], []
            for r in reps.values():
                fl = [f for f in (r.get("a"), r.get("b")) if f]
                rr.append(sum(f["total_retrans"] for f in fl) /
                          max(1, sum(f["data_segs_out"] for f in fl)))
                gg.append(sum(f["goodput_mbps"] for f in fl) / (50 * PAYLOAD))
            put("P4 0.1 BDP 2 flows retrans / sent %", algo, 100 * mean(rr))
            put("P4 0.1 BDP 2 flows goodput / link", algo, mean(gg))
        elif sc == "P5":
            jj = []
            for r in reps.values():
                a, b = r.get("a"), r.get("b")
                if not a or not b:
                    continue
                t_from = b["t0_epoch"] + 1
                t_to = min(a["t0_epoch"] + a["seconds"], b["t0_epoch"] + b["seconds"])
                x = [window_rate(a, t_from, t_to), window_rate(b, t_from, t_to)]
                if None in x or sum(x) == 0:
                    continue
                jj.append(sum(x) ** 2 / (2 * sum(v * v for v in x)))
            put("P5 Jain index, 2nd flow late", algo, mean(jj))
        elif sc == "P6":
            ss = []
            for r in reps.values():
                a, b = r.get("a"), r.get("b")
                if a and b and a["goodput_mbps"] + b["goodput_mbps"] > 0:
                    ss.append(a["goodput_mbps"] / (a["goodput_mbps"] + b["goodput_mbps"]))
            put("P6 %s BDP share vs cubic" % param, algo, mean(ss))
    return rows


def table(rows):
    algos = [a for a in ORDER if any(a in v for v in rows.values())]
    algos += sorted({a for v in rows.values() for a in v} - set(algos))

    def key(label):
        sc = label.split()[0]
        num = label.split()[2] if sc in ("P2", "P7") else ""
        try:
            num = float(num)
        except ValueError:
            num = 0
        return (sc, num, label)

    lines = ["| scenario | " + " | ".join(algos) + " |",
             "|---|" + "---|" * len(algos)]
    for label in sorted(rows, key=key):
        cells = []
        for a in algos:
            v = rows[label].get(a)
            cells.append("—" if v is None else "%.2f" % v)
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    return "\n".join(lines), algos


def plots(out, runs, algos):
    # throughput vs loss (P2), one column per algorithm
    losses = sorted({float(p) for (sc, p, _) in runs if sc == "P2"})
    with open(os.path.join(out, "loss.dat"), "w") as f:
        f.write("# loss%% %s (goodput Mbit/s, mean)\n" % " ".join(algos))
        for l in losses:
            row = []
            for a in algos:
                reps = runs.get(("P2", ("%g" % l), a)) or runs.get(("P2", str(l), a)) or {}
                v = mean([r[None]["goodput_mbps"] for r in reps.values()])
                row.append("%.3f" % v if v is not None else "NaN")
            f.write("%g %s\n" % (l, " ".join(row)))
    # cwnd / RTT over time, one P1 flow of each algorithm (first repetition)
    series = []
    for a in algos:
        reps = runs.get(("P1", "1bdp", a))
        if not reps:
            continue
        r = reps[sorted(reps)[0]][None]
        path = os.path.join(out, "ts_%s.dat" % a)
        with open(path, "w") as f:
            f.write("# t_s cwnd_pkts srtt_ms\n")
            for x in r["samples"]:
                f.write("%.3f %d %.2f\n" % (x[0], x[6], x[5] / 1000.0))
        series.append(a)
    if not shutil.which("gnuplot"):
        return []
    gp = ["set terminal pngcairo size 900,600" if has_cairo() else "set terminal png size 900,600",
          "set termoption noenhanced"]
    if losses:
        gp += ['set output "%s/loss.png"' % out,
               'set title "Goodput vs random loss, 50 Mbit/s, 100 ms (P2)"',
               "set logscale x", 'set xlabel "loss rate (%)"',
               'set ylabel "goodput (Mbit/s)"', "set key outside right",
               "set yrange [0:*]",
               "plot " + ", ".join(
                   '"%s/loss.dat" using 1:%d with linespoints title "%s"' % (out, i + 2, a)
                   for i, a in enumerate(algos)) +
               ', %g*(1-x/100) with lines dt 2 title "link x (1-p)"' % (50 * PAYLOAD),
               "unset logscale x"]
    if series:
        gp += ['set output "%s/cwnd.png"' % out,
               'set title "cwnd over time, one flow, 50 Mbit/s, 40 ms, 1 BDP (P1)"',
               'set xlabel "time (s)"', 'set ylabel "cwnd (packets)"', "set yrange [0:*]",
               "plot " + ", ".join('"%s/ts_%s.dat" using 1:2 with lines title "%s"'
                                   % (out, a, a) for a in series),
               'set output "%s/rtt.png"' % out,
               'set title "smoothed RTT over time, one flow (P1)"',
               'set ylabel "srtt (ms)"',
               "plot " + ", ".join('"%s/ts_%s.dat" using 1:3 with lines title "%s"'
                                   % (out, a, a) for a in series)]
    subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True, check=False)
    return [p for p in ("loss.png", "cwnd.png", "rtt.png")
            if os.path.exists(os.path.join(out, p))]


def has_cairo():
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in (r.stdout + r.stderr)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    runs = load_all(out)
    if not runs:
        print("no results in %s/raw" % out)
        return 1
    rows = metrics(runs)
    text, algos = table(rows)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    for p in plots(out, runs, algos):
        print("plot: %s/%s" % (out, p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
