# SPDX-License-Identifier: GPL-2.0
"""A small generic netlink client for the tcptune family, packed by hand
with the socket and struct modules (no YNL, no pyroute2), for the fuzzer
and the load and lifecycle suites.  It also knows the family's attribute
tree well enough to check that a reply is well formed (validate_genl).

The numbers come from include/uapi/linux/tcptune.h and the kernel's
netlink/genetlink headers.
"""
import errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_DROP_MEMBERSHIP = 2
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NETLINK_GET_STRICT_CHK = 12

NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_ECHO = 0x8
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_CAPPED = 0x100        # in an nlmsgerr
NLM_F_ACK_TLVS = 0x200      # in an nlmsgerr

NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4
NLMSG_MIN_TYPE = 0x10

NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3fff

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

# enum tcptune_cmd
CMD_ALGO_GET, CMD_KNOB_GET, CMD_KNOB_SET, CMD_SOCK_GET, CMD_EVENT = 1, 2, 3, 4, 5
CMD_NAMES = {1: "ALGO_GET", 2: "KNOB_GET", 3: "KNOB_SET", 4: "SOCK_GET", 5: "EVENT"}
# enum tcptune_attr
A_ALGO, A_KNOB, A_SOCK, A_EVENT, A_FILTER_ALGO, A_FILTER_BC = 1, 2, 3, 4, 5, 6
# enum tcptune_knob_attr
KNOB_A_ALGO, KNOB_A_NAME, KNOB_A_VALUE, KNOB_A_RANGE_MIN, KNOB_A_RANGE_MAX = 1, 2, 3, 4, 5
KNOB_A_DEFAULT, KNOB_A_UNIT, KNOB_A_DOC, KNOB_A_WHEN = 6, 7, 8, 9
# enum tcptune_sock_attr (the ones the suites read)
SOCK_A_FAMILY, SOCK_A_SADDR, SOCK_A_DADDR, SOCK_A_SPORT, SOCK_A_DPORT = 1, 2, 3, 4, 5
SOCK_A_COOKIE, SOCK_A_ALGO, SOCK_A_STATE = 6, 7, 8
SOCK_A_CA_STATE, SOCK_A_CWND, SOCK_A_SSTHRESH, SOCK_A_RTO = 9, 10, 11, 12
SOCK_A_UNACKED, SOCK_A_TOTAL_RETRANS, SOCK_A_RTOS = 18, 22, 29
SOCK_A_BYTES_ACKED, SOCK_A_BYTES_SENT = 30, 36
# the unsigned attributes socks() returns, by the names it gives them
SOCK_U_FIELDS = {
    "cookie": SOCK_A_COOKIE, "family": SOCK_A_FAMILY, "sport": SOCK_A_SPORT,
    "dport": SOCK_A_DPORT, "state": SOCK_A_STATE, "bytes_acked": SOCK_A_BYTES_ACKED,
    "bytes_sent": SOCK_A_BYTES_SENT, "ca_state": SOCK_A_CA_STATE, "cwnd": SOCK_A_CWND,
    "ssthresh": SOCK_A_SSTHRESH, "rto": SOCK_A_RTO, "unacked": SOCK_A_UNACKED,
    "total_retrans": SOCK_A_TOTAL_RETRANS, "rtos": SOCK_A_RTOS,
}
RENO_A_RECOVER = 2
SOCK_A_RENO, SOCK_A_BBR = 32, 33

# Attribute layout of replies: type -> kind, where kind is a fixed size
# (1, 2, 4, 8), "str" (NUL-terminated), "addr" (4 or 16 bytes), "pad"
# (empty), or ("nest", table).  Types not listed are accepted if
# well formed (a newer module may add attributes).
U8, U16, U32, U64, STR, ADDR, PAD = 1, 2, 4, 8, "str", "addr", "pad"
ALGO_T = {1: STR, 2: U32, 3: U64, 4: U64, 5: U64, 6: U64, 7: PAD}
KNOB_T = {1: STR, 2: STR, 3: U32, 4: U32, 5: U32, 6: U32, 7: STR, 8: STR, 9: U8}
RENO_T = {1: U8, 2: U32, 3: U32, 4: U32, 5: U32}
BBR_T = {1: U8, 2: U64, 3: U32, 4: U32, 5: U32, 6: U32, 7: U32, 8: U64, 9: U32, 10: PAD}
SOCK_T = {1: U8, 2: ADDR, 3: ADDR, 4: U16, 5: U16, 6: U64, 7: STR, 8: U8, 9: U8}
SOCK_T.update({t: U32 for t in range(10, 26)})
SOCK_T.update({26: U64, 27: U64, 28: U8, 29: U32, 30: U64, 31: PAD,
               SOCK_A_RENO: ("nest", RENO_T), SOCK_A_BBR: ("nest", BBR_T)})
# ss -tie's fields: RECV_Q, SEND_Q; BYTES_SENT .. SNDBUF_LIMITED; NOTSENT,
# SND_WND; OPTIONS, SND_WSCALE, RCV_WSCALE; INODE, UID, CGROUP_ID
SOCK_T.update({34: U32, 35: U32, 36: U64, 37: U64, 38: U64, 39: U64, 40: U64,
               41: U32, 42: U32, 43: U8, 44: U8, 45: U8, 46: U64, 47: U32, 48: U64})
EVENT_T = {1: U8, 2: U64, 3: STR, 4: U8, 5: U32, 6: U32, 7: U8, 8: U32, 9: PAD,
           10: U8, 11: ADDR, 12: ADDR, 13: U16, 14: U16}
TOP_T = {A_ALGO: ("nest", ALGO_T), A_KNOB: ("nest", KNOB_T),
         A_SOCK: ("nest", SOCK_T), A_EVENT: ("nest", EVENT_T), A_FILTER_ALGO: STR}

NLMSGHDR = struct.Struct("=IHHII")
NLATTR = struct.Struct("=HH")
GENLHDR = struct.Struct("=BBH")


def align4(n):
    return (n + 3) & ~3


def nla(atype, payload):
    """One attribute, padded to 4 bytes."""
    n = NLATTR.size + len(payload)
    return NLATTR.pack(n, atype) + payload + b"\0" * (align4(n) - n)


def nla_str(atype, s):
    return nla(atype, s.encode() + b"\0")


def nla_u32(atype, v):
    return nla(atype, struct.pack("=I", v & 0xffffffff))


def nla_nest(atype, *attrs):
    return nla(atype | NLA_F_NESTED, b"".join(attrs))


def genlmsg(ftype, cmd, flags, seq, attrs=b"", version=1, reserved=0, pid=0):
    body = GENLHDR.pack(cmd, version, reserved) + attrs
    return NLMSGHDR.pack(NLMSGHDR.size + len(body), ftype, flags, seq, pid) + body


def parse_attrs(buf, off=0, end=None):
    """[(type with flags, payload)] or raises ValueError on a bad layout."""
    end = len(buf) if end is None else end
    out = []
    while off < end:
        if end - off < NLATTR.size:
            raise ValueError("%d trailing bytes, less than an attribute header" % (end - off))
        n, t = NLATTR.unpack_from(buf, off)
        if n < NLATTR.size or off + n > end:
            raise ValueError("attribute type %d length %d at %d overruns %d" % (t, n, off, end))
        out.append((t, buf[off + NLATTR.size:off + n]))
        off += align4(n)
    return out


def check_attrs(buf, table, depth=0):
    """Raise ValueError unless buf is a well-formed attribute stream of table."""
    for t, p in parse_attrs(buf):
        kind = table.get(t & NLA_TYPE_MASK)
        if kind is None:
            continue
        if isinstance(kind, tuple):
            check_attrs(p, kind[1], depth + 1)
        elif kind == STR:
            if not p or p[-1:] != b"\0":
                raise ValueError("attribute %d: string without NUL: %r" % (t, p[:40]))
        elif kind == ADDR:
            if len(p) not in (4, 16):
                raise ValueError("attribute %d: address of %d bytes" % (t, len(p)))
        elif kind == PAD:
            pass
        elif len(p) != kind:
            raise ValueError("attribute %d: %d bytes, expected %d" % (t, len(p), kind))


def attr_dict(buf):
    """{type: payload} of a flat attribute stream (last one wins)."""
    return {t & NLA_TYPE_MASK: p for t, p in parse_attrs(buf)}


def attr_all(buf, atype):
    return [p for t, p in parse_attrs(buf) if t & NLA_TYPE_MASK == atype]


def get_u(p):
    return int.from_bytes(p, "little")


def get_str(p):
    return p.rstrip(b"\0").decode(errors="replace")


def split_msgs(buf):
    """The messages of one received datagram: [(type, flags, seq, payload)].
    Raises ValueError when a header's length does not fit."""
    out = []
    off = 0
    while off < len(buf):
        if len(buf) - off < NLMSGHDR.size:
            raise ValueError("%d trailing bytes after the messages" % (len(buf) - off))
        n, t, f, seq, _pid = NLMSGHDR.unpack_from(buf, off)
        if n < NLMSGHDR.size or off + n > len(buf):
            raise ValueError("nlmsg_len %d at offset %d of %d" % (n, off, len(buf)))
        out.append((t, f, seq, buf[off + NLMSGHDR.size:off + n]))
        off += align4(n)
    return out


def parse_error(payload, flags):
    """An nlmsgerr: (error, echoed header tuple, extack attrs).  ValueError if bad."""
    if len(payload) < 4 + NLMSGHDR.size:
        raise ValueError("nlmsgerr of %d bytes" % len(payload))
    err = struct.unpack_from("=i", payload)[0]
    if err > 0 or err < -4095:
        raise ValueError("nlmsgerr error %d" % err)
    orig = NLMSGHDR.unpack_from(payload, 4)
    tlvs = []
    if flags & NLM_F_ACK_TLVS:
        if err and not flags & NLM_F_CAPPED:
            start = 4 + align4(orig[0])
        else:
            start = 4 + NLMSGHDR.size
        if start > len(payload):
            raise ValueError("extack beyond the nlmsgerr (%d > %d)" % (start, len(payload)))
        tlvs = parse_attrs(payload, start)
    return err, orig, tlvs


def validate_genl(payload, family_id, ftype, cmd=None):
    """Raise ValueError unless payload is a well-formed tcptune message."""
    if ftype != family_id:
        raise ValueError("reply of type %d, not the family's %d" % (ftype, family_id))
    if len(payload) < GENLHDR.size:
        raise ValueError("reply without a genl header")
    rcmd = payload[0]
    if cmd is not None and rcmd != cmd:
        raise ValueError("reply cmd %d to a request cmd %d" % (rcmd, cmd))
    check_attrs(payload[GENLHDR.size:], TOP_T)
    return rcmd


class NlError(OSError):
    def __init__(self, err, extack=""):
        OSError.__init__(self, err, "%s%s" % (os.strerror(err), (": " + extack) if extack else ""))
        self.extack = extack


class Genl:
    """A NETLINK_GENERIC socket talking to one family."""

    def __init__(self, family="tcptune", timeout=10.0, rcvbuf=1 << 20):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)   # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(timeout)
        self.seq = 1
        self.family_id = None
        self.groups = {}
        if family:
            self.family_id, self.groups = self.resolve(family)

    def close(self):
        self.sock.close()

    def fileno(self):
        return self.sock.fileno()

    def next_seq(self):
        self.seq = (self.seq + 1) & 0xffffffff or 1
        return self.seq

    def recv_msgs(self):
        data = self.sock.recv(1 << 17)
        return split_msgs(data)

    def request(self, ftype, cmd, flags, attrs=b"", version=1):
        """Send one request; returns the list of replies' payloads.  A dump
        returns every part; an error raises NlError."""
        seq = self.next_seq()
        self.sock.send(genlmsg(ftype, cmd, flags | NLM_F_REQUEST, seq, attrs, version))
        dump = (flags & NLM_F_DUMP) == NLM_F_DUMP
        out = []
        while True:
            for t, f, s, p in self.recv_msgs():
                if s != seq:
                    continue
                if t == NLMSG_ERROR:
                    err, _orig, tlvs = parse_error(p, f)
                    if err:
                        msg = ""
                        for at, ap in tlvs:
                            if at == 1:      # NLMSGERR_ATTR_MSG
                                msg = get_str(ap)
                        raise NlError(-err, msg)
                    return out
                if t == NLMSG_DONE:
                    err = struct.unpack_from("=i", p)[0] if len(p) >= 4 else 0
                    if err:
                        raise NlError(-err)
                    return out
                out.append((t, p))
                if not dump and not flags & NLM_F_ACK:
                    return out

    def resolve(self, name):
        replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
                               nla_str(CTRL_ATTR_FAMILY_NAME, name))
        a = attr_dict(replies[0][1][GENLHDR.size:])
        fid = get_u(a[CTRL_ATTR_FAMILY_ID])
        groups = {}
        if CTRL_ATTR_MCAST_GROUPS in a:
            for _t, g in parse_attrs(a[CTRL_ATTR_MCAST_GROUPS]):
                ga = attr_dict(g)
                groups[get_str(ga[CTRL_ATTR_MCAST_GRP_NAME])] = get_u(ga[CTRL_ATTR_MCAST_GRP_ID])
        return fid, groups

    def all_family_ids(self):
        """Every generic netlink family's id, by name."""
        out = {}
        for _t, p in self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_DUMP):
            a = attr_dict(p[GENLHDR.size:])
            out[get_str(a[CTRL_ATTR_FAMILY_NAME])] = get_u(a[CTRL_ATTR_FAMILY_ID])
        return out

    def tt(self, cmd, flags=0, attrs=b""):
        return [p[GENLHDR.size:] for _t, p in self.request(self.family_id, cmd, flags, attrs)]

    # ---- tcptune helpers --------------------------------------------------

    def knobs(self, filt=None):
        """[{algo, name, value, min, max, default, ...}] from the KNOB_GET dump."""
        attrs = nla_str(A_FILTER_ALGO, filt) if filt else b""
        out = []
        for body in self.tt(CMD_KNOB_GET, NLM_F_DUMP, attrs):
            for k in attr_all(body, A_KNOB):
                out.append(knob_dict(k))
        return out

    def knob_get(self, algo, name):
        body = self.tt(CMD_KNOB_GET, 0, nla_nest(A_KNOB, nla_str(KNOB_A_ALGO, algo),
                                                 nla_str(KNOB_A_NAME, name)))[0]
        return knob_dict(attr_all(body, A_KNOB)[0])

    def knob_set(self, *entries):
        """entries: (algo, name, value); raises NlError on refusal."""
        attrs = b"".join(nla_nest(A_KNOB, nla_str(KNOB_A_ALGO, a), nla_str(KNOB_A_NAME, n),
                                  nla_u32(KNOB_A_VALUE, v)) for a, n, v in entries)
        self.tt(CMD_KNOB_SET, NLM_F_ACK, attrs)

    def socks(self, filt=None):
        """[dict] of the SOCK_GET dump: cookie, algo, family, sport, dport, ..."""
        attrs = nla_str(A_FILTER_ALGO, filt) if filt else b""
        out = []
        for body in self.tt(CMD_SOCK_GET, NLM_F_DUMP, attrs):
            for s in attr_all(body, A_SOCK):
                a = attr_dict(s)
                reno = attr_dict(a[SOCK_A_RENO]) if SOCK_A_RENO in a else {}
                d = {k: get_u(a.get(t, b"")) for k, t in SOCK_U_FIELDS.items()}
                d.update({
                    "algo": get_str(a.get(SOCK_A_ALGO, b"")),
                    "saddr": a.get(SOCK_A_SADDR, b""),
                    "daddr": a.get(SOCK_A_DADDR, b""),
                    "recover": get_u(reno[RENO_A_RECOVER]) if RENO_A_RECOVER in reno else None,
                })
                out.append(d)
        return out

    def algos(self):
        out = {}
        for body in self.tt(CMD_ALGO_GET, NLM_F_DUMP):
            for x in attr_all(body, A_ALGO):
                a = attr_dict(x)
                out[get_str(a[1])] = get_u(a.get(2, b""))
        return out


def knob_dict(buf):
    a = attr_dict(buf)
    return {"algo": get_str(a[KNOB_A_ALGO]), "name": get_str(a[KNOB_A_NAME]),
            "value": get_u(a[KNOB_A_VALUE]), "min": get_u(a[KNOB_A_RANGE_MIN]),
            "max": get_u(a[KNOB_A_RANGE_MAX]), "default": get_u(a[KNOB_A_DEFAULT])}


def sysctl_path(algo, name):
    return "/proc/sys/net/tcptune/%s/%s" % (algo, name)


def sysctl_read(algo, name):
    with open(sysctl_path(algo, name)) as f:
        return int(f.read())


def sysctl_write(algo, name, text):
    """One write(); returns 0 or the errno."""
    try:
        fd = os.open(sysctl_path(algo, name), os.O_WRONLY)
    except OSError as e:
        return e.errno
    try:
        os.write(fd, text.encode())
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def sock_cookie(s):
    """The socket cookie of a Python socket (SO_COOKIE = 57)."""
    return struct.unpack("=Q", s.getsockopt(socket.SOL_SOCKET, 57, 8))[0]


def errname(e):
    return errno.errorcode.get(e, str(e))
