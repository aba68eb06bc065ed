#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
The test command's bookkeeping (scripts/run-tests.sh): one file of results
(JSON lines), filled from checks of its own and from suites' TAP streams, and
the summary printed from it at the end.

  tapcount.py add RESULTS pass|skip NAME
  tapcount.py add RESULTS fail NAME            (the reason on stdin)
  tapcount.py time RESULTS GROUP NAME SECONDS
  tapcount.py tap RESULTS SUITE TAPFILE [--rc N | --rc-file F] [--err F]
                  [--why F]
  tapcount.py summary RESULTS

A suite's TAP counts only when it is whole:
  - exactly one plan (1..N), before or after the results; none is a failure,
    and so is "1..0" unless it says "# SKIP why";
  - the results seen are 1..N, in order, each once: missing ones (a crash,
    a truncated stream), extra ones and repeated numbers are failures;
  - "Bail out!" is a failure;
  - its exit status: missing (never written: the suite or the VM died),
    124 (timeout), 126/127 (cannot run) or a signal (128+n, e.g. 139, a
    segfault) is a failure by itself; any other non-zero status with no
    failing test is a failure.
Each of those is recorded as "SUITE: suite: <why>", with the end of the
suite's stderr and TAP as the reason.

Directives: "# SKIP ..." (any case) counts as skipped ("not ok ... # SKIP" is
a failure: a skip cannot fail); "# REF" marks a reference result (the
kernel's own algorithm run beside ours): counted apart, never a pass, and a
"not ok ... # REF" is shown but is not a failure.  "# TODO" is not honoured:
such a test counts as any other.

A failure's reason is its diagnostic lines: the "#" lines after "not ok"
(TAP's convention), or, where the suite prints its diagnostics before the
result line, the FAIL/ERROR lines among those (the conformance suite), or
the test's lines from its "#  RUN" line on (the kselftest harness).
"""
import json
import os
import re
import signal
import sys

PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
TEST = re.compile(r"^(not ok|ok)(?:\s+(\d+))?(?:\s+-)?(?:\s+(.*))?$")
SKIP = re.compile(r"\s#\s*(skip\S*)\b\s*(.*)$", re.I)
TODO = re.compile(r"\s#\s*TODO\b", re.I)
REF = re.compile(r"\s#\s*REF\b\s*(.*)$")
BAIL = re.compile(r"^Bail out!\s*(.*)$")
PRE_REASON = re.compile(r"^#\s*(FAIL|ERROR)\b")
MAX_REASON = 40


def record(results, **rec):
    with open(results, "a") as f:
        f.write(json.dumps(rec) + "\n")


def load(results):
    recs = []
    if os.path.exists(results):
        with open(results) as f:
            for line in f:
                line = line.strip()
                if line:
                    recs.append(json.loads(line))
    return recs


def show(kind, name, reason=""):
    label = {"pass": "ok", "fail": "FAIL", "skip": "skip", "ref": "ref"}[kind]
    print("%-8s%s" % (label, name))
    if reason:
        lines = reason.rstrip("\n").splitlines()
        if len(lines) > MAX_REASON:
            lines = lines[:MAX_REASON - 10] + ["[... %d lines ...]" % (len(lines) - MAX_REASON + 10)] + lines[-10:]
        for line in lines:
            print("        " + line)
    sys.stdout.flush()


def add(results, kind, name, reason=""):
    record(results, kind=kind, name=name, reason=reason)
    show(kind, name, reason)


def tail(path, n=15):
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    return "\n".join(lines[-n:])


def signame(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "signal %d" % n


def exit_problem(rc):
    """A reason the exit status alone fails the suite, or None."""
    if rc is None:
        return "no exit status recorded (the suite or the VM died before it ended)"
    if rc == 124:
        return "timed out (exit 124)"
    if rc in (126, 127):
        return "could not be run (exit %d)" % rc
    if rc == 137:
        return "killed (SIGKILL, exit 137: timeout's kill or the OOM killer)"
    if rc > 128:
        return "killed by %s (exit %d)" % (signame(rc - 128), rc)
    if rc < 0:
        return "killed by %s" % signame(-rc)
    return None


def parse(lines):
    """The tests (dicts), the plans and the TAP-level problems of one stream."""
    tests, plans, problems = [], [], []
    last = None                  # index of the last test line
    pending = []                 # "#" lines since the last test line
    for raw in lines:
        line = raw.rstrip("\n")
        m = PLAN.match(line)
        if m:
            plans.append((int(m.group(1)), m.group(2) or ""))
            continue
        m = BAIL.match(line)
        if m:
            problems.append("Bail out! %s" % m.group(1))
            continue
        m = TEST.match(line)
        if m:
            ok = m.group(1) == "ok"
            num = int(m.group(2)) if m.group(2) else None
            desc = (m.group(3) or "").strip()
            t = {"ok": ok, "num": num, "desc": desc, "pre": pending, "post": [],
                 "kind": None}
            if REF.search(desc):
                t["kind"] = "ref"
            elif SKIP.search(desc) and not TODO.search(desc):
                t["kind"] = "skip" if ok else "fail"
            else:
                t["kind"] = "pass" if ok else "fail"
            tests.append(t)
            last = t
            pending = []
            continue
        if line.startswith("#"):
            pending.append(line)
            if last is not None:
                last["post"].append(line)
    return tests, plans, problems


def reason_of(t):
    pre = t["pre"]
    hits = [x for x in pre if PRE_REASON.match(x)]
    if hits:
        # the kselftest harness: the test's lines from its "#  RUN"
        runs = [i for i, x in enumerate(pre) if re.match(r"^#\s+RUN\s", x)]
        return "\n".join(pre[runs[-1]:] if runs else hits)
    post = [x for x in t["post"] if not re.match(r"^#\s*[\d.]+ s$", x)]
    return "\n".join(post or pre[-MAX_REASON:])


def check_tap(results, suite, tapfile, rc, errfile=None, whyfile=None):
    """Record every result of one suite and every way the suite is not whole."""
    failed = 0

    def suite_fail(why):
        nonlocal failed
        failed += 1
        ctx = []
        if whyfile and os.path.exists(whyfile):
            ctx.append(open(whyfile, errors="replace").read().rstrip())
        e = tail(errfile)
        if e:
            ctx.append("stderr (end):\n" + e)
        t = tail(tapfile)
        if t:
            ctx.append("TAP (end):\n" + t)
        add(results, "fail", "%s: suite: %s" % (suite, why), "\n".join(ctx))

    if not os.path.exists(tapfile):
        why = "did not run (no TAP output)"
        if whyfile and os.path.exists(whyfile):
            why = "did not run: " + open(whyfile, errors="replace").read().strip().splitlines()[0]
        suite_fail(why)
        return
    with open(tapfile, errors="replace") as f:
        tests, plans, problems = parse(f.readlines())

    expect = 1
    seen = set()
    numbering = []
    for t in tests:
        num = t["num"] if t["num"] is not None else expect
        if num in seen:
            numbering.append("test %d reported twice" % num)
        elif num != expect:
            numbering.append("test %d where %d was expected" % (num, expect))
        seen.add(num)
        expect = num + 1
        name = "%s: %s" % (suite, t["desc"] or "test %d" % num)
        if t["kind"] == "ref":
            add(results, "ref", name + ("" if t["ok"] else "   [not ok, not counted]"),
                "" if t["ok"] else reason_of(t))
        elif t["kind"] == "fail":
            failed += 1
            reason = reason_of(t)
            err = tail(errfile, 10)
            if err:
                # (the kselftest harness logs its assertions there)
                reason += "\nstderr of the suite (end):\n" + err
            add(results, "fail", name, reason)
        else:
            add(results, t["kind"], name)

    why = list(problems)
    if not plans:
        why.append("no TAP plan (1..N); %d results seen" % len(tests))
    elif len(plans) > 1:
        why.append("%d TAP plans: %s" % (len(plans), ", ".join("1..%d" % n for n, _ in plans)))
    else:
        n, directive = plans[0]
        if n == 0:
            if re.match(r"skip", directive, re.I):
                add(results, "skip", "%s: suite: %s" % (suite, directive))
            else:
                why.append("plan 1..0: no test ran")
        elif len(tests) != n or seen != set(range(1, n + 1)):
            missing = sorted(set(range(1, n + 1)) - seen)
            extra = sorted(seen - set(range(1, n + 1)))
            what = "plan 1..%d, %d results seen" % (n, len(tests))
            if missing:
                what += "; missing %s" % compress(missing)
            if extra:
                what += "; beyond the plan %s" % compress(extra)
            if missing and missing[-1] == n and len(tests) < n:
                what += " (truncated: the suite stopped early)"
            why.append(what)
    if numbering:
        why.append("test numbers: " + "; ".join(numbering[:5]))
    bad = exit_problem(rc)
    if bad:
        why.append(bad)
    elif rc != 0:
        # a failing reference result may be why it exited non-zero
        if failed == 0 and not any(t["kind"] == "ref" and not t["ok"] for t in tests):
            why.append("exited %d without a failing test" % rc)
    if why:
        suite_fail("; ".join(why))


def compress(nums):
    out, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else "%d-%d" % (nums[i], nums[j]))
        i = j + 1
    return ",".join(out[:10]) + (",..." if len(out) > 10 else "")


def fmt_secs(s):
    s = int(round(float(s)))
    return "%d s" % s if s < 120 else "%d min %02d s" % (s // 60, s % 60)


def summary(results):
    recs = load(results)
    count = {k: sum(1 for r in recs if r["kind"] == k) for k in ("pass", "fail", "skip", "ref")}
    print("== summary")
    groups = {}
    for r in recs:
        if r["kind"] == "time":
            groups.setdefault(r["group"], []).append(r)
    for g, rs in groups.items():
        print("%s: %s" % (g, ", ".join("%s %s" % (r["name"], fmt_secs(r["secs"])) for r in rs)))
    fails = [r for r in recs if r["kind"] == "fail"]
    if fails:
        print("failures (%d):" % len(fails))
        for r in fails:
            show("fail", r["name"], r.get("reason", ""))
    refs_bad = [r for r in recs if r["kind"] == "ref" and r.get("reason")]
    if refs_bad:
        print("reference results not ok (reported, not counted):")
        for r in refs_bad:
            show("ref", r["name"], r["reason"])
    if count["ref"]:
        print("%d reference results (the kernel's own algorithms; not counted)" % count["ref"])
    print("%d passed, %d failed, %d skipped" % (count["pass"], count["fail"], count["skip"]))
    return 1 if count["fail"] or not count["pass"] else 0


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, results = argv[1], argv[2]
    if cmd == "add":
        kind, name = argv[3], argv[4]
        if kind not in ("pass", "fail", "skip"):
            print("tapcount: unknown kind %r" % kind, file=sys.stderr)
            return 2
        reason = sys.stdin.read() if kind == "fail" and not sys.stdin.isatty() else ""
        add(results, kind, name, reason)
        return 0
    if cmd == "time":
        record(results, kind="time", group=argv[3], name=argv[4], secs=float(argv[5]))
        return 0
    if cmd == "tap":
        suite, tapfile = argv[3], argv[4]
        rc, err, why = None, None, None
        rest = argv[5:]
        while rest:
            opt, val = rest[0], rest[1]
            rest = rest[2:]
            if opt == "--rc":
                rc = int(val)
            elif opt == "--rc-file":
                if os.path.exists(val):
                    text = open(val).read().strip()
                    rc = int(text) if re.fullmatch(r"-?\d+", text) else None
            elif opt == "--err":
                err = val
            elif opt == "--why":
                why = val
            else:
                print("tapcount: unknown option %s" % opt, file=sys.stderr)
                return 2
        check_tap(results, suite, tapfile, rc, err, why)
        return 0
    if cmd == "summary":
        return summary(results)
    print("tapcount: unknown command %r" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
