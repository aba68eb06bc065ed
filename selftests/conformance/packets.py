# SPDX-License-Identifier: GPL-2.0
"""
Minimal IPv4 / IPv6 / TCP encoding and decoding for the scripted peer.

Only what the conformance tests need: the peer reads the sender's segments
from a tun device (IFF_TUN | IFF_NO_PI, so every read is one bare IP packet)
and writes back segments it builds here.  Written from RFC 791, RFC 8200,
RFC 9293, RFC 2018 (SACK), RFC 7323 (window scale, timestamps) and RFC 3168
(ECN); no third-party packet library, so a test run starts in a second.
"""
import socket
import struct

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80

OPT_EOL, OPT_NOP, OPT_MSS, OPT_WSCALE, OPT_SACK_OK, OPT_SACK, OPT_TS = 0, 1, 2, 3, 4, 5, 8

IPPROTO_TCP = 6


def _csum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class Segment:
    """One decoded TCP segment and the IP header fields the tests look at."""

    __slots__ = ("family", "src", "dst", "sport", "dport", "seq", "ack", "flags",
                 "window", "options", "payload", "tos")

    def __init__(self):
        self.options = {}
        self.payload = b""

    @property
    def length(self):
        """Sequence space the segment occupies (SYN and FIN count one)."""
        return len(self.payload) + (1 if self.flags & SYN else 0) + (1 if self.flags & FIN else 0)

    @property
    def ect(self):
        """ECN field of the IP header (RFC 3168 section 5): 1/2 = ECT, 3 = CE."""
        return self.tos & 3

    def has(self, flag):
        return bool(self.flags & flag)

    def __repr__(self):
        names = "".join(n for b, n in ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"),
                                        (ACK, "."), (ECE, "E"), (CWR, "W")) if self.flags & b)
        return "<%s seq=%d ack=%d len=%d>" % (names, self.seq, self.ack, len(self.payload))


def parse_options(raw):
    opts = {}
    i = 0
    while i < len(raw):
        kind = raw[i]
        if kind == OPT_EOL:
            break
        if kind == OPT_NOP:
            i += 1
            continue
        if i + 1 >= len(raw):
            break
        length = raw[i + 1]
        if length < 2:
            break
        body = raw[i + 2:i + length]
        if kind == OPT_MSS:
            opts["mss"] = struct.unpack("!H", body)[0]
        elif kind == OPT_WSCALE:
            opts["wscale"] = body[0]
        elif kind == OPT_SACK_OK:
            opts["sackok"] = True
        elif kind == OPT_TS:
            opts["ts"] = struct.unpack("!II", body)
        elif kind == OPT_SACK:
            opts["sack"] = [struct.unpack("!II", body[j:j + 8]) for j in range(0, len(body), 8)]
        else:
            opts[kind] = body
        i += length
    return opts


def parse(packet):
    """Decode one IP packet read from the tun device; None if not TCP."""
    if not packet:
        return None
    seg = Segment()
    version = packet[0] >> 4
    if version == 4:
        ihl = (packet[0] & 0xF) * 4
        if packet[9] != IPPROTO_TCP:
            return None
        seg.family = socket.AF_INET
        seg.tos = packet[1]
        seg.src = socket.inet_ntop(socket.AF_INET, packet[12:16])
        seg.dst = socket.inet_ntop(socket.AF_INET, packet[16:20])
        total = struct.unpack("!H", packet[2:4])[0]
        tcp = packet[ihl:total]
    elif version == 6:
        if packet[6] != IPPROTO_TCP:  # no extension headers expected here
            return None
        seg.family = socket.AF_INET6
        seg.tos = (struct.unpack("!I", packet[0:4])[0] >> 20) & 0xFF
        seg.src = socket.inet_ntop(socket.AF_INET6, packet[8:24])
        seg.dst = socket.inet_ntop(socket.AF_INET6, packet[24:40])
        plen = struct.unpack("!H", packet[4:6])[0]
        tcp = packet[40:40 + plen]
    else:
        return None
    (seg.sport, seg.dport, seg.seq, seg.ack, off, seg.flags,
     seg.window) = struct.unpack("!HHIIBBH", tcp[:16])
    doff = (off >> 4) * 4
    seg.options = parse_options(tcp[20:doff])
    seg.payload = bytes(tcp[doff:])
    return seg


def build_options(mss=None, sackok=False, ts=None, wscale=None, sack=None):
    """TCP options, NOP-padded to a multiple of four bytes."""
    out = b""
    if mss is not None:
        out += struct.pack("!BBH", OPT_MSS, 4, mss)
    if sackok and ts is not None:
        out += struct.pack("!BB", OPT_SACK_OK, 2) + struct.pack("!BBII", OPT_TS, 10, *ts)
    else:
        if sackok:
            out += struct.pack("!BBBB", OPT_NOP, OPT_NOP, OPT_SACK_OK, 2)
        if ts is not None:
            out += struct.pack("!BBBBII", OPT_NOP, OPT_NOP, OPT_TS, 10, *ts)
    if wscale is not None:
        out += struct.pack("!BBBB", OPT_NOP, OPT_WSCALE, 3, wscale)
    if sack:
        out += struct.pack("!BBBB", OPT_NOP, OPT_NOP, OPT_SACK, 2 + 8 * len(sack))
        for start, end in sack:
            out += struct.pack("!II", start & 0xFFFFFFFF, end & 0xFFFFFFFF)
    while len(out) % 4:
        out += bytes([OPT_NOP])
    if len(out) > 40:
        raise ValueError("TCP options longer than 40 bytes")
    return out


def build(family, src, dst, sport, dport, seq, ack, flags, window, options=b"",
          payload=b"", tos=0):
    """Encode one IP packet carrying a TCP segment, checksums filled in."""
    doff = (20 + len(options)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      doff << 4, flags, window, 0, 0) + options + payload
    saddr = socket.inet_pton(family, src)
    daddr = socket.inet_pton(family, dst)
    if family == socket.AF_INET:
        pseudo = saddr + daddr + struct.pack("!BBH", 0, IPPROTO_TCP, len(tcp))
    else:
        pseudo = saddr + daddr + struct.pack("!IxxxB", len(tcp), IPPROTO_TCP)
    csum = _csum(pseudo + tcp)
    tcp = tcp[:16] + struct.pack("!H", csum) + tcp[18:]
    if family == socket.AF_INET:
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(tcp), 0, 0x4000, 64,
                          IPPROTO_TCP, 0, saddr, daddr)
        hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
        return hdr + tcp
    first = (6 << 28) | (tos << 20)
    return struct.pack("!IHBB", first, len(tcp), IPPROTO_TCP, 64) + saddr + daddr + tcp
