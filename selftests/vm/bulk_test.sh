#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bulk transfers over an emulated lossy path, per algorithm and address
# family: every byte must arrive intact (SHA-256 end to end), the socket
# must really use the algorithm asked for, and the 1 % loss must have been
# repaired by retransmissions.  The kernel's reno runs beside ours.
#
#   tt_snd --- tt_rtr --(1 % loss)--> tt_rcv, 20 ms RTT (delay on the ACKs)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/topo.sh"
PY=/usr/bin/python3
XFER=$here/../lib/xfer.py
BYTES=${BULK_BYTES:-3000000}

algos="tcptune_reno tcptune_newreno reno"
tap_plan 6
if ! topo_up 20 1; then
	for a in $algos; do tap_fail "$a: bulk transfer (topology)"; tap_fail "$a ipv6"; done
	exit 1
fi
port=5201
for a in $algos; do
	for fam in 4 6; do
		port=$((port + 1))
		dst=$TOPO_RCV4; [ $fam = 6 ] && dst=$TOPO_RCV6
		ip netns exec $TOPO_RCV $PY "$XFER" recv --port $port --family $fam --timeout 60 &
		rpid=$!
		res=$(ip netns exec $TOPO_SND $PY "$XFER" send --to $dst --port $port \
			--cc "$a" --bytes "$BYTES" --timeout 60)
		wait $rpid
		tap_note "$a ipv$fam: $res"
		why=$($PY - "$a" "$BYTES" "$res" <<'PYEOF'
import json, sys
algo, want, res = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    r = json.loads(res)
except ValueError:
    print("no result"); sys.exit(1)
errs = []
if r.get("cc") != algo: errs.append("socket used %s" % r.get("cc"))
if r.get("received") != want: errs.append("received %s of %d bytes" % (r.get("received"), want))
if not r.get("sha256_match"): errs.append("SHA-256 mismatch")
if r.get("total_retrans", 0) < 1: errs.append("no retransmission under 1% loss")
print("; ".join(errs)); sys.exit(1 if errs else 0)
PYEOF
)
		if [ $? = 0 ]; then tap_ok "$a ipv$fam: $BYTES bytes intact over 1% loss, retransmissions seen"
		else tap_fail "$a ipv$fam: bulk transfer" "$why"; fi
	done
done
topo_down
tap_done
