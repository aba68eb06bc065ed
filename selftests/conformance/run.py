#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Packetdrill-style conformance tests for tcptune_reno (RFC 5681) and
tcptune_newreno (RFC 6582), with the kernel's reno run beside them.

    /usr/bin/python3 selftests/conformance/run.py [--no-ref | --ref-only] [FILTER]

Run as root in the test VM, with tcptune.ko loaded:

    scripts/vm-run.sh -- /usr/bin/python3 selftests/conformance/run.py

Every test case creates its own network namespace with a tun device; the
test process is both the sender (a TCP socket with TCP_CONGESTION set) and
the remote TCP (crafted segments on the tun fd): see peer.py.  The output
is TAP 13: one "ok"/"not ok" line per scenario and algorithm, every step's
observation as a "#" diagnostic (sent segments, cwnd, ssthresh, CA state,
and what the RFC model predicts), the kernel reno's lines prefixed
"kernel reno".  FILTER (a substring) selects test names; --no-ref leaves
the kernel's reno out, --ref-only runs only it (the test command runs ours
on the debug kernel and the reference on the stock one).  Exit status 0
only if every selected test of ours passed (a reference result that fails
is reported, not counted).

The kernel's reno is a reference, not the code under test: every TAP line
of its tests ends with the directive "# REF" (e.g. "ok 3 - rto reno (2.1s)
# REF"), so that a harness counts those results apart from ours, and the
summary line gives the two counts separately.
"""
import os
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from scenarios import SCENARIOS  # noqa: E402
from script import Case  # noqa: E402

ALGOS = ("tcptune_reno", "tcptune_newreno", "reno")
REF_ALGOS = ("reno",)   # the kernel's: reference results, "# REF"


def main(argv):
    args = argv[1:]
    algos = ALGOS
    if args and args[0] in ("--no-ref", "--ref-only"):
        keep_ref = args.pop(0) == "--ref-only"
        algos = tuple(a for a in ALGOS if (a in REF_ALGOS) == keep_ref)
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: run.py [--no-ref | --ref-only] [FILTER]", file=sys.stderr)
        return 2
    pattern = args[0] if args else ""
    subprocess.run(["modprobe", "tun"], stderr=subprocess.DEVNULL)
    tests = [(name, algo, fn) for name, fn in SCENARIOS for algo in algos
             if pattern in "%s %s" % (name, algo)]
    print("TAP version 13")
    print("1..%d" % len(tests))
    sys.stdout.flush()
    failed = {False: 0, True: 0}
    total = {False: 0, True: 0}
    start = time.monotonic()
    for n, (name, algo, fn) in enumerate(tests, start=1):
        ref = algo in REF_ALGOS
        t = Case("%s %s" % (name, algo))
        t0 = time.monotonic()
        try:
            fn(t, algo, ref)
        except Exception:
            t.failures += 1
            t.lines += ["ERROR " + l for l in traceback.format_exc().rstrip().splitlines()]
        ok = t.failures == 0
        failed[ref] += not ok
        total[ref] += 1
        for line in t.lines:
            print("# " + line)
        print("%s %d - %s (%.1fs)%s" % ("ok" if ok else "not ok", n, t.name,
                                         time.monotonic() - t0, " # REF" if ref else ""))
        sys.stdout.flush()
    print("# tcptune: %d of %d failed; kernel reference (# REF): %d of %d failed; %.0fs" % (
        failed[False], total[False], failed[True], total[True], time.monotonic() - start))
    # A reference result is the kernel's behaviour, recorded, not judged:
    # only our algorithms' failures fail the suite (and a reference run
    # that ran nothing).
    return 1 if failed[False] or not tests else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
