#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs (seeds/<target>/) from hand-made DNS messages.

Run once after changing it; the output is committed. Small valid messages of the shapes the
parsers meet, plus a few broken ones, so the fuzzer starts deep instead of at the header.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def name(text):
    out = b""
    for label in filter(None, text.split(".")):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(flags, qd, an, ns, ar, ident=0x1234):
    return struct.pack(">HHHHHH", ident, flags, qd, an, ns, ar)


def rr(owner, rtype, rdata, ttl=300, rclass=1):
    return owner + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def opt(payload=1232, flags=0, options=b""):
    return b"\0" + struct.pack(">HHIH", 41, payload, flags, len(options)) + options


def question(text, qtype=1):
    return name(text) + struct.pack(">HH", qtype, 1)


Q = question("www.Example.com")  # name at 12, "Example.com" at 16, answers from 33
PTR_Q, PTR_ZONE = b"\xc0\x0c", b"\xc0\x10"
SOA = b"\x02ns" + PTR_ZONE + b"\x0ahostmaster" + PTR_ZONE + struct.pack(">IIIII", 1, 2, 3, 4, 60)

queries = {
    "plain": header(0x0100, 1, 0, 0, 0) + Q,
    "edns": header(0x0100, 1, 0, 0, 1) + Q + opt(),
    "edns-do-cookie": header(0x0110, 1, 0, 0, 1) + Q
    + opt(4096, 0x8000, b"\x00\x0a\x00\x08" + bytes(range(8))),
    "edns1": header(0x0100, 1, 0, 0, 1) + Q + opt(4096, 0x10000),
    "notify": header(0x2000, 1, 0, 0, 0) + question("example.com", 6),
    "ptr": header(0x0100, 1, 0, 0, 0) + question("10.2.0.192.in-addr.arpa", 12),
    "two-opt": header(0x0100, 1, 0, 0, 2) + Q + opt() + opt(),
}

answers = {
    "cname-a-soa-opt": header(0x8180, 1, 2, 1, 1) + Q
    + rr(PTR_Q, 5, b"\x03cdn" + PTR_ZONE)  # its rdata at 45
    + rr(b"\xc0\x2d", 1, bytes([192, 0, 2, 7]))
    + rr(PTR_ZONE, 6, SOA) + opt(),
    "nxdomain-soa": header(0x8183, 1, 0, 1, 0) + Q + rr(PTR_ZONE, 6, SOA),
    "mx-srv-naptr": header(0x8180, 1, 3, 0, 0) + Q
    + rr(PTR_Q, 15, b"\x00\x0a\x02mx" + PTR_ZONE)
    + rr(PTR_Q, 33, struct.pack(">HHH", 1, 2, 443) + b"\x03sip" + PTR_ZONE)
    + rr(PTR_Q, 35, struct.pack(">HH", 1, 1) + b"\x01u\x07E2U+sip\x00" + PTR_ZONE),
    "aaaa-txt-additional": header(0x8580, 1, 2, 1, 2) + Q
    + rr(PTR_Q, 28, bytes(16))
    + rr(PTR_Q, 16, b"\x05hello\x05world")
    + rr(PTR_ZONE, 2, b"\x02ns" + PTR_ZONE)
    + rr(b"\x02ns" + PTR_ZONE, 1, bytes([192, 0, 2, 53]))
    + opt(1232, 0x8000),
    "many-a": header(0x8180, 1, 200, 0, 0) + Q
    + b"".join(rr(PTR_Q, 1, struct.pack(">I", i)) for i in range(200)),
    "truncated-tc": header(0x8380, 1, 0, 0, 0) + Q,
    "loop": header(0x8180, 1, 1, 0, 0) + Q + rr(b"\x01a\xc0\x21", 1, bytes(4)),
    "forward-pointer": header(0x8180, 1, 1, 0, 0) + Q + rr(b"\xc0\x40", 1, bytes(4)),
    "soa-short": header(0x8180, 1, 0, 1, 0) + Q + rr(PTR_ZONE, 6, SOA[:-1]),
}

for target, seeds in (("parse_query", queries), ("parse_upstream", answers)):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    for n, data in seeds.items():
        with open(os.path.join(d, n), "wb") as f:
            f.write(data)

# The other targets start from real inputs kept in the repository: conntrack messages captured
# from the kernel (the reader's test data), the settings files of the image and the VM test
# and the example configuration, and lease lines in every shape dnsmasq writes.
ROOT = os.path.dirname(os.path.dirname(HERE))
copies = {
    "conntrack_message": [
        os.path.join(ROOT, "appliance/src/conntrack/testdata", f)
        for f in sorted(os.listdir(os.path.join(ROOT, "appliance/src/conntrack/testdata")))
    ],
    "settings_file": [
        os.path.join(ROOT, "buildroot-external/board/common/whereflow-settings.toml"),
        os.path.join(ROOT, "image/vm-test/whereflow-settings.toml"),
        os.path.join(ROOT, "docs/config.example.toml"),
    ],
}
for target, files in copies.items():
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    for i, src in enumerate(files):
        with open(src, "rb") as f:
            data = f.read()
        with open(os.path.join(d, f"{i}-{os.path.basename(src)}"), "wb") as f:
            f.write(data)

leases = {
    "v4-v6": "1732180000 b8:27:eb:12:34:56 192.168.4.23 alice-phone 01:b8:27:eb:12:34:56\n"
    "0 02:11:22:33:44:55 192.168.4.7 * *\n"
    "duid 00:01:00:01:2c:5f:aa:bb:b8:27:eb:00:00:01\n"
    "1732180000 1234567 2001:db8:1::23 alice-phone 00:01:00:01:2c:5f:aa:bb:b8:27:eb:12:34:56\n"
    "1732180000 T42 2001:db8:1::24 * 00:03:00:01:f0:18:98:00:00:01\n"
    "1732180000 99 2001:db8:1::25 laptop 00:02:00:00:ab:11:01:02:03:04\n",
    "other-hardware": "1732180000 06-00:11:22:33:44:55 10.42.0.9 printer *\n",
    "broken": "1732180000 b8:27:eb:12:34 192.168.4.23 x *\nduid\n99999999999999999999 a b c d\n"
    "1732180000 b8:27:eb:12:34:56 300.1.1.1 x *\n-1 b8:27:eb:12:34:56 10.0.0.1 .. *\n",
}
d = os.path.join(HERE, "seeds", "lease_file")
os.makedirs(d, exist_ok=True)
for n, text in leases.items():
    with open(os.path.join(d, n), "w") as f:
        f.write(text)
