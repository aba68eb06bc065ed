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
  P6  share of the algorithm against n cubic (or reno) flows, per buffer
      size, over the fair share 1/(n+1) (goal 0.75-1.33)
  P7  goodput / Mathis (MSS/RTT * 1.22/sqrt(p)) at 0.1 % and 1 % (P2's runs)
  P10 flow completion time (ms) of 100 KB, 1 MB and 10 MB transfers, alone
      and beside a cubic bulk flow, 50 Mbit/s, 40 ms, 1 BDP: the median of
      all transfers (20 per repetition), [p10-p90] beside it; and
      tcptune_bbr's median over the best of bbr, cubic and reno (goal <= 1)
"link" is the payload rate of the emulated link: tbf counts 1514-byte
frames, a segment carries 1448 bytes.  A cell is the median over the
repetitions with their (min-max) beside it.
"""
import glob
import json
import math
import os
import re
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
        if re.fullmatch(r"a|b[0-9]*", parts[-1]):
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


def median(v):
    v = sorted(x for x in v if x is not None)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class Cell:
    """A table cell: the median of its values, (min-max) or a given
    spread beside it."""

    def __init__(self, values, spread=None):
        self.values = [x for x in values if x is not None]
        self.spread = spread

    @property
    def mid(self):
        return median(self.values)

    def fmt(self, nd=2):
        if not self.values:
            return "—"
        m = "%.*f" % (nd, self.mid)
        if self.spread:
            return "%s [%.*f-%.*f]" % (m, nd, self.spread[0], nd, self.spread[1])
        if len(self.values) > 1:
            return "%s (%.*f-%.*f)" % (m, nd, min(self.values), nd, max(self.values))
        return m


def competitors(param):
    """P6 parameter "BUF-cubic2" -> (BUF, "cubic", 2); an old "BUF" -> cubic x 1."""
    m = re.fullmatch(r"([0-9.]+)(?:-([a-z]+)([0-9]+))?", param)
    if not m:
        return None
    return m.group(1), m.group(2) or "cubic", int(m.group(3) or 1)


def p6_shares(reps):
    out = []
    for r in reps.values():
        a = r.get("a")
        bs = [f for k, f in r.items() if k and k.startswith("b")]
        tot = (a["goodput_mbps"] if a else 0) + sum(f["goodput_mbps"] for f in bs)
        if a and bs and tot > 0:
            out.append(a["goodput_mbps"] / tot)
    return out


def p10_fcts(reps):
    return [x * 1000 for r in reps.values() if r.get(None) for x in r[None]["fct_s"]]


SIZES = {"100000": "100 KB", "1000000": "1 MB", "10000000": "10 MB"}


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

    def put(label, algo, v, spread=None):
        rows.setdefault(label, {})[algo] = v if isinstance(v, Cell) else Cell(v, spread)

    for (sc, param, algo), reps in sorted(runs.items()):
        vals = []
        if sc == "P1":
            vals = [r[None]["goodput_mbps"] / (50 * PAYLOAD) for r in reps.values()]
            put("P1 goodput / link", algo, vals)
        elif sc == "P2":
            p = float(param) / 100
            ceil = 50 * PAYLOAD * (1 - p)
            put("P2 loss %s %% goodput / (link(1-p))" % param, algo,
                [r[None]["goodput_mbps"] / ceil for r in reps.values()])
            if param in ("0.1", "1"):
                mathis = 1448 * 8 / 0.1 * 1.22 / math.sqrt(p) / 1e6
                put("P7 loss %s %% goodput / Mathis" % param, algo,
                    [r[None]["goodput_mbps"] / mathis for r in reps.values()])
        elif sc == "P3":
            put("P3 10 BDP p95 RTT / base", algo,
                [pct([x[5] / 1000.0 for x in r[None]["samples"]
                      if x[0] > 2 and x[5]], 0.95) / 40.0
                 for r in reps.values()])
        elif sc == "P4":
            rr, gg = [], []
            for r in reps.values():
                fl = [f for f in (r.get("a"), r.get("b")) if f]
                rr.append(sum(f["total_retrans"] for f in fl) /
                          max(1, sum(f["data_segs_out"] for f in fl)))
                gg.append(sum(f["goodput_mbps"] for f in fl) / (50 * PAYLOAD))
            put("P4 0.1 BDP 2 flows retrans / sent %", algo, [100 * x for x in rr])
            put("P4 0.1 BDP 2 flows goodput / link", algo, gg)
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
            put("P5 Jain index, 2nd flow late", algo, jj)
        elif sc == "P6":
            c = competitors(param)
            if c:
                buf, comp, n = c
                put("P6 %s BDP vs %d %s: share / fair share" % (buf, n, comp), algo,
                    [x * (n + 1) for x in p6_shares(reps)])
        elif sc == "P10" and "-" in param:
            bg, size = param.split("-", 1)
            f = p10_fcts(reps)
            if f:
                put("P10 %s %s: FCT ms" % (SIZES.get(size, size),
                                            "alone" if bg == "alone" else "beside " + bg), algo,
                    Cell([median(f)], (pct(f, 0.10), pct(f, 0.90))))
    # P10's goal: tcptune_bbr's median over the best kernel algorithm's
    for label in [x for x in rows if x.startswith("P10 ")]:
        ours = rows[label].get("tcptune_bbr")
        best = [rows[label][k].mid for k in ("bbr", "cubic", "reno")
                if k in rows[label] and rows[label][k].mid]
        if ours and ours.mid and best:
            put(label.replace("FCT ms", "tcptune_bbr / best of bbr, cubic, reno"),
                "tcptune_bbr", [ours.mid / min(best)])
    return rows


def table(rows):
    algos = [a for a in ORDER if any(a in v for v in rows.values())]
    algos += sorted({a for v in rows.values() for a in v} - set(algos))

    def key(label):
        sc = label.split()[0]
        num = (label.split()[2] if sc in ("P2", "P7") else
               label.split()[1] if sc == "P6" else
               {v: int(k) for k, v in SIZES.items()}.get(" ".join(label.split()[1:3]), 0)
               if sc == "P10" else "")
        try:
            num = float(num)
        except ValueError:
            num = 0
        return (int(sc[1:]) if sc[1:].isdigit() else 99, num, label)

    lines = ["| scenario | " + " | ".join(algos) + " |",
             "|---|" + "---|" * len(algos)]
    for label in sorted(rows, key=key):
        cells = []
        for a in algos:
            v = rows[label].get(a)
            cells.append("—" if v is None else v.fmt(0 if "FCT ms" in label else 2))
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    return "\n".join(lines), algos


def p6_grid(rows):
    """P6 as the README shows it: a row per buffer and algorithm, a column
    per competitor set; and how many cells are inside 0.75-1.33."""
    cells = {}
    for label, v in rows.items():
        m = re.fullmatch(r"P6 ([0-9.]+) BDP vs ([0-9]+) ([a-z]+): share / fair share", label)
        if m:
            cells[(float(m.group(1)), "%s %s" % (m.group(2), m.group(3)))] = v
    if not cells:
        return ""
    bufs = sorted({b for b, _ in cells})
    comps = sorted({c for _, c in cells}, key=lambda c: (c.split()[1] != "cubic", int(c.split()[0])))
    algos = [a for a in ORDER if any(a in v for v in cells.values())]
    lines = ["| buffer | " + " | ".join("vs " + c for c in comps) + " |",
             "|---|" + "---|" * len(comps)]
    for b in bufs:
        for a in algos:
            lines.append("| %g BDP, %s | %s |" % (b, a, " | ".join(
                cells[(b, c)][a].fmt(2) if (b, c) in cells and a in cells[(b, c)] else "—"
                for c in comps)))
    lines.append("")
    for a in algos:
        mids = [v[a].mid for v in cells.values() if a in v and v[a].mid is not None]
        lines.append("%s: %d of %d cells in 0.75-1.33 x the fair share." %
                     (a, sum(0.75 <= x <= 1.33 for x in mids), len(mids)))
    return "\n".join(lines)


def p10_grid(rows):
    """P10 as the README shows it: a row per transfer, the FCT medians with
    their p10-p90, and tcptune_bbr's median over the best kernel one's."""
    order = []
    for bg in ("alone", "beside cubic"):
        for size in ("100 KB", "1 MB", "10 MB"):
            order.append("P10 %s %s" % (size, bg))
    have = [o for o in order if o + ": FCT ms" in rows]
    if not have:
        return ""
    algos = [a for a in ("tcptune_bbr", "bbr", "cubic", "reno")
             if any(a in rows[o + ": FCT ms"] for o in have)]
    lines = ["| transfer | " + " | ".join(algos) + " | ours / best |",
             "|---|" + "---|" * (len(algos) + 1)]
    for o in have:
        v = rows[o + ": FCT ms"]
        r = rows.get(o + ": tcptune_bbr / best of bbr, cubic, reno", {}).get("tcptune_bbr")
        lines.append("| %s | %s | %s |" % (o[4:], " | ".join(
            v[a].fmt(0) if a in v else "—" for a in algos), r.fmt(2) if r else "—"))
    return "\n".join(lines)


def _spread(v):
    """median min max of v, for a .dat column triple"""
    v = [x for x in v if x is not None]
    if not v:
        return "NaN NaN NaN"
    return "%.4f %.4f %.4f" % (median(v), min(v), max(v))


def plots(out, runs, algos):
    figs = []
    # throughput vs loss (P2): per algorithm median, min, max of the repetitions
    losses = sorted({float(p) for (sc, p, _) in runs if sc == "P2"})
    if losses:
        with open(os.path.join(out, "loss.dat"), "w") as f:
            f.write("# loss%% then per algorithm (%s): goodput Mbit/s median min max\n"
                    % " ".join(algos))
            for l in losses:
                row = []
                for a in algos:
                    reps = runs.get(("P2", ("%g" % l), a)) or runs.get(("P2", str(l), a)) or {}
                    row.append(_spread([r[None]["goodput_mbps"] for r in reps.values()]))
                f.write("%g %s\n" % (l, " ".join(row)))
        figs.append(("loss.png", [
            'set title "Goodput vs random loss, 50 Mbit/s, 100 ms (P2): median, min-max"',
            "set logscale x", 'set xlabel "loss rate (%)"',
            'set ylabel "goodput (Mbit/s)"', "set key outside right", "set yrange [0:*]",
            "plot " + ", ".join(
                '"%s/loss.dat" using 1:%d:%d:%d with yerrorlines title "%s"'
                % (out, 3 * i + 2, 3 * i + 3, 3 * i + 4, a) for i, a in enumerate(algos)) +
            ', %g*(1-x/100) with lines dt 2 title "link x (1-p)"' % (50 * PAYLOAD),
            "unset logscale x"]))
    # P6: share / fair share vs buffer depth, one line per algorithm and
    # competitor set, per flow count
    p6 = {}
    for (sc, param, a), reps in runs.items():
        c = competitors(param) if sc == "P6" else None
        if c:
            p6.setdefault((a, c[1], c[2]), []).append(
                (float(c[0]), [x * (c[2] + 1) for x in p6_shares(reps)]))
    if p6:
        lines = []
        for (a, comp, n), pts in sorted(p6.items()):
            path = os.path.join(out, "p6_%s_%s%d.dat" % (a, comp, n))
            with open(path, "w") as f:
                f.write("# buffer_bdp share/fair: median min max\n")
                for buf, v in sorted(pts):
                    f.write("%g %s\n" % (buf, _spread(v)))
            lines.append('"%s" using 1:2:3:4 with yerrorlines title "%s vs %d %s"'
                         % (path, a, n, comp))
        figs.append(("p6.png", [
            'set title "P6: share / fair share 1/(n+1) vs buffer, 50 Mbit/s, 40 ms: median, min-max"',
            "set logscale x", 'set xlabel "bottleneck buffer (BDP)"',
            'set ylabel "share / fair share"', "set key outside right", "set yrange [0:*]",
            "plot " + ", ".join(lines) +
            ", 1 with lines dt 2 title \"fair\", 0.75 with lines dt 3 title \"goal band\", "
            "1.33 with lines dt 3 notitle",
            "unset logscale x"]))
    # P10: FCT per size, alone and beside cubic
    p10 = {}
    for (sc, param, a), reps in runs.items():
        if sc == "P10" and "-" in param:
            bg, size = param.split("-", 1)
            f = p10_fcts(reps)
            if f:
                p10.setdefault((a, bg), []).append((int(size), f))
    if p10:
        lines = []
        for (a, bg), pts in sorted(p10.items()):
            path = os.path.join(out, "p10_%s_%s.dat" % (a, bg))
            with open(path, "w") as f:
                f.write("# size_bytes FCT ms: median p10 p90\n")
                for size, v in sorted(pts):
                    f.write("%d %.2f %.2f %.2f\n" % (size, median(v), pct(v, 0.1), pct(v, 0.9)))
            lines.append('"%s" using 1:2:3:4 with yerrorlines title "%s, %s"'
                         % (path, a, "alone" if bg == "alone" else "beside " + bg))
        figs.append(("fct.png", [
            'set title "P10: flow completion time, 50 Mbit/s, 40 ms, 1 BDP: median, p10-p90"',
            "set logscale xy", 'set xlabel "transfer (bytes)"', 'set ylabel "FCT (ms)"',
            "set key outside right", "set yrange [*:*]",
            "plot " + ", ".join(lines), "unset logscale xy"]))
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
    if series:
        figs.append(("cwnd.png", [
            'set title "cwnd over time, one flow, 50 Mbit/s, 40 ms, 1 BDP (P1)"',
            'set xlabel "time (s)"', 'set ylabel "cwnd (packets)"', "set yrange [0:*]",
            "plot " + ", ".join('"%s/ts_%s.dat" using 1:2 with lines title "%s"'
                                % (out, a, a) for a in series)]))
        figs.append(("rtt.png", [
            'set title "smoothed RTT over time, one flow (P1)"',
            'set xlabel "time (s)"', 'set ylabel "srtt (ms)"', "set yrange [0:*]",
            "plot " + ", ".join('"%s/ts_%s.dat" using 1:3 with lines title "%s"'
                                % (out, a, a) for a in series)]))
    if not shutil.which("gnuplot") or not figs:
        return []
    gp = ["set terminal pngcairo size 900,600" if has_cairo() else "set terminal png size 900,600",
          "set termoption noenhanced"]
    for name, cmds in figs:
        gp += ['set output "%s/%s"' % (out, name)] + cmds
    subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", text=True, check=False)
    return [n for n, _ in figs if os.path.exists(os.path.join(out, n))]


def has_cairo():
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in (r.stdout + r.stderr)


def main():
    return main_for(sys.argv[1] if len(sys.argv) > 1 else "build/bench")


def main_for(out, plots_too=True):
    runs = load_all(out)
    if not runs:
        print("no results in %s/raw" % out)
        return 1
    rows = metrics(runs)
    text, algos = table(rows)
    for title, grid in (("P6, share over the fair share, median (min-max)", p6_grid(rows)),
                        ("P10, flow completion time in ms, median [p10-p90]", p10_grid(rows))):
        if grid:
            text += "\n\n%s:\n\n%s" % (title, grid)
    try:
        with open(os.path.join(out, "source")) as f:
            text = "Measured: %s.\n\n%s" % (f.read().strip(), text)
    except OSError:
        pass
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    for p in plots(out, runs, algos) if plots_too else []:
        print("plot: %s/%s" % (out, p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
