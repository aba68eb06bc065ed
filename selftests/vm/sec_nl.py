#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink for the security suite (no YNL: it starts in a few ms,
also as an unprivileged user, and shows the raw attribute sizes).

Attribute ids are read from include/uapi/linux/tcptune.h, so they follow
the ABI header.  As a program (run by security_test.py, often as nobody):

  sec_nl.py dump [SECONDS [INTERVAL]]
      SOCK_GET dumps: one JSON line per dump, a list of socket nests as
      {attr name: value} (u8/u16/u32/u64 by size, addresses as hex, the
      reno/bbr nests as dicts) -- once, or every INTERVAL s for SECONDS.
  sec_nl.py join
      join the "events" group; print "ok" or the errno name.
  sec_nl.py events SECONDS
      join "events" and print how many events arrive within SECONDS
      (JSON {"joined": ..., "events": N, "types": [...]}).
  sec_nl.py ctrl
      time one CTRL_CMD_GETFAMILY "tcptune" to nlctrl (JSON).
  sec_nl.py dump-start
      send a SOCK_GET dump request and never read: print "started" and
      sleep until killed.
"""
import errno
import json
import os
import re
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
HDR = os.path.join(TOP, "include/uapi/linux/tcptune.h")

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLA_F_NESTED = 0x8000


def enums(path=HDR):
    """{enum name: {entry: value}} of the header's plain enums."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}", text, re.S):
        vals, n = {}, 0
        for ent in m.group(2).split(","):
            ent = ent.strip()
            if not ent:
                continue
            name, _, expr = [x.strip() for x in ent.partition("=")]
            if expr:
                mm = re.fullmatch(r"(\w+)\s*-\s*1", expr)
                n = vals[mm.group(1)] - 1 if mm else vals.get(expr, None)
                n = int(expr, 0) if n is None else n
            vals[name] = n
            n += 1
        out[m.group(1)] = vals
    return out


E = enums()


def names(enum, prefix):
    return {v: k[len(prefix):].lower() for k, v in E[enum].items()
            if k.startswith(prefix) and not k.startswith("__")
            and not k.endswith("_MAX") and not k.endswith("_UNSPEC")}


A = E["tcptune_attr"]
CMD = E["tcptune_cmd"]
SOCK_NAMES = names("tcptune_sock_attr", "TCPTUNE_SOCK_A_")
RENO_NAMES = names("tcptune_reno_attr", "TCPTUNE_RENO_A_")
BBR_NAMES = names("tcptune_bbr_attr", "TCPTUNE_BBR_A_")
EVENT_NAMES = names("tcptune_event_attr", "TCPTUNE_EVENT_A_")
NESTS = {E["tcptune_sock_attr"]["TCPTUNE_SOCK_A_RENO"]: RENO_NAMES,
         E["tcptune_sock_attr"]["TCPTUNE_SOCK_A_BBR"]: BBR_NAMES}


def attrs(buf):
    """[(type, payload)] of a run of netlink attributes."""
    out, off = [], 0
    while off + 4 <= len(buf):
        ln, ty = struct.unpack_from("HH", buf, off)
        if ln < 4:
            break
        out.append((ty & ~NLA_F_NESTED & 0x7fff, buf[off + 4:off + ln]))
        off += (ln + 3) & ~3
    return out


def attr(ty, payload):
    ln = 4 + len(payload)
    return struct.pack("HH", ln, ty) + payload + b"\0" * (((ln + 3) & ~3) - ln)


def num(payload):
    """The value of a u8/u16/u32/u64 attribute, None for other sizes."""
    fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}.get(len(payload))
    return struct.unpack(fmt, payload)[0] if fmt else None


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.seq = int(time.time()) & 0xffff

    def send(self, fam, cmd, payload=b"", flags=NLM_F_REQUEST, version=1):
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        self.s.send(struct.pack("IHHII", 16 + len(body), fam, flags, self.seq, 0) + body)
        return self.seq

    def msgs(self):
        """Yield (type, flags, genl payload) until DONE or a reply; raise on error."""
        while True:
            data = self.s.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                ln, ty, fl, _, _ = struct.unpack_from("IHHII", data, off)
                body = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if ty == NLMSG_DONE:
                    return
                if ty == NLMSG_ERROR:
                    err = struct.unpack_from("i", body)[0]
                    if err:
                        raise OSError(-err, os.strerror(-err))
                    return
                yield ty, fl, body[4:]
                if not fl & NLM_F_MULTI:
                    return

    def family(self, name):
        """(id, {group name: id})"""
        self.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                  attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        fid, groups = None, {}
        for _, _, body in self.msgs():
            for ty, p in attrs(body):
                if ty == CTRL_ATTR_FAMILY_ID:
                    fid = num(p)
                elif ty == CTRL_ATTR_MCAST_GROUPS:
                    for _, g in attrs(p):
                        d = dict(attrs(g))
                        groups[d[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                            num(d[CTRL_ATTR_MCAST_GRP_ID])
        return fid, groups

    def join(self, group):
        self.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)


def decode_nest(payload, table):
    out = {}
    for ty, p in attrs(payload):
        name = table.get(ty, "attr%d" % ty)
        if table is SOCK_NAMES and ty in NESTS:
            out[name] = decode_nest(p, NESTS[ty])
        elif name in ("saddr", "daddr"):
            out[name] = p.hex()
        elif name == "algo":
            out[name] = p.rstrip(b"\0").decode()
        else:
            out[name] = num(p)
            out["_len_" + name] = len(p)
    return out


def sock_dump(g=None, fid=None):
    g = g or Genl()
    fid = fid or g.family("tcptune")[0]
    g.send(fid, CMD["TCPTUNE_CMD_SOCK_GET"], flags=NLM_F_REQUEST | NLM_F_DUMP)
    out = []
    for _, _, body in g.msgs():
        for ty, p in attrs(body):
            if ty == A["TCPTUNE_A_SOCK"]:
                out.append(decode_nest(p, SOCK_NAMES))
    return out


def errname(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def main(argv):
    cmd = argv[1]
    if cmd == "dump":
        secs = float(argv[2]) if len(argv) > 2 else 0
        step = float(argv[3]) if len(argv) > 3 else 0.2
        g = Genl()
        fid = g.family("tcptune")[0]
        end = time.time() + secs
        while True:
            print(json.dumps({"t": time.time(), "socks": sock_dump(g, fid)}), flush=True)
            if time.time() >= end:
                break
            time.sleep(step)
    elif cmd == "join":
        g = Genl()
        grp = g.family("tcptune")[1]["events"]
        try:
            g.join(grp)
            print("ok")
        except OSError as e:
            print(errname(e))
    elif cmd == "events":
        g = Genl()
        grp = g.family("tcptune")[1]["events"]
        res = {"joined": "ok", "events": 0, "types": []}
        try:
            g.join(grp)
        except OSError as e:
            res["joined"] = errname(e)
            print(json.dumps(res))
            return 0
        print("joined", flush=True)
        g.s.settimeout(0.5)
        end = time.time() + float(argv[2])
        while time.time() < end and res["events"] < 5:
            try:
                data = g.s.recv(1 << 16)
            except socket.timeout:
                continue
            off = 0
            while off + 16 <= len(data):
                ln = struct.unpack_from("I", data, off)[0]
                for ty, p in attrs(data[off + 20:off + ln]):
                    if ty == A["TCPTUNE_A_EVENT"]:
                        ev = decode_nest(p, EVENT_NAMES)
                        res["events"] += 1
                        res["types"].append(ev.get("type"))
                off += (ln + 3) & ~3
        print(json.dumps(res))
    elif cmd == "ctrl":
        g = Genl()
        t0 = time.time()
        fid = g.family("tcptune")[0]
        print(json.dumps({"id": fid, "seconds": time.time() - t0}))
    elif cmd == "dump-start":
        g = Genl()
        fid = g.family("tcptune")[0]
        g.send(fid, CMD["TCPTUNE_CMD_SOCK_GET"], flags=NLM_F_REQUEST | NLM_F_DUMP)
        print("started", flush=True)
        while True:
            time.sleep(3600)
    else:
        print("unknown command %s" % cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
