"""Asks `lanlab serve`'s DNS server every S4 record type with dnspython,
over UDP and over TCP. Usage: dns_client.py PORT. Exits non-zero on the
first wrong answer."""

import socket
import sys
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.reversename

PORT = int(sys.argv[1])
SERVER = "127.0.0.1"

# (name, type, expected rdata texts; None = NXDOMAIN, [] = NODATA)
CASES = [
    ("hasan.com.", "A", ["192.168.1.1"]),
    ("hasan.com.", "AAAA", ["2001:db8::1"]),
    ("www.hasan.com.", "CNAME", ["hasan.com."]),
    ("hasan.com.", "MX", ["10 mail.hasan.com."]),
    ("hasan.com.", "NS", ["ns1.hasan.com."]),
    ("hasan.com.", "TXT", ['"v=spf1 mx -all"']),
    ("_imap._tcp.hasan.com.", "SRV", ["0 0 143 mail.hasan.com."]),
    (str(dns.reversename.from_address("192.168.1.1")), "PTR", ["hasan.com."]),
    ("nope.hasan.com.", "A", None),
    ("mail.hasan.com.", "AAAA", []),
]


def check(transport, name, rtype, expected):
    query = dns.message.make_query(name, rtype)
    query.flags &= ~dns.flags.RD
    if transport == "udp":
        reply = dns.query.udp(query, SERVER, port=PORT, timeout=3)
    else:
        reply = dns.query.tcp(query, SERVER, port=PORT, timeout=3)
    what = f"{transport} {rtype}? {name}"
    assert reply.id == query.id, what
    assert reply.flags & dns.flags.AA, f"{what}: not authoritative\n{reply}"
    want_rcode = dns.rcode.NXDOMAIN if expected is None else dns.rcode.NOERROR
    assert reply.rcode() == want_rcode, f"{what}: rcode {dns.rcode.to_text(reply.rcode())}\n{reply}"
    got = sorted(
        rd.to_text()
        for rrset in reply.answer
        if rrset.rdtype == dns.rdatatype.from_text(rtype)
        for rd in rrset
    )
    assert got == sorted(expected or []), f"{what}: {got}\n{reply}"
    if not expected:
        # RFC 2308: negative answers carry the zone's SOA for caching.
        soa = [r for r in reply.authority if r.rdtype == dns.rdatatype.SOA]
        assert soa, f"{what}: no SOA in authority\n{reply}"
    print(f"PASS {what} -> {got if expected is not None else 'NXDOMAIN'}")


for transport in ("udp", "tcp"):
    for name, rtype, expected in CASES:
        check(transport, name, rtype, expected)

# SOA itself, and several queries on one TCP connection.
soa = dns.query.udp(dns.message.make_query("hasan.com.", "SOA"), SERVER, port=PORT, timeout=3)
assert soa.answer and soa.answer[0][0].serial == 2024010101, soa
print("PASS udp SOA? hasan.com. serial 2024010101")

with socket.create_connection((SERVER, PORT), timeout=3) as sock:
    for name in ("hasan.com.", "mail.hasan.com."):
        q = dns.message.make_query(name, "A")
        dns.query.send_tcp(sock, q)
        r, _ = dns.query.receive_tcp(sock, expiration=time.time() + 3)
        assert r.id == q.id and r.answer, r
    print("PASS two queries on one TCP connection")
print("dnspython: all passed")
