"""DHCP's four steps against `lanlab serve --dhcp`, with messages built and
read by scapy (not by lanlab's codec): DISCOVER → OFFER, REQUEST → ACK, a
second client gets the next address, and a REQUEST for an address on the
wrong network gets a NAK. Usage: dhcp_client.py PORT."""

import socket
import sys

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.utils import mac2str

PORT = int(sys.argv[1])
SERVER = ("127.0.0.1", PORT)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
sock.settimeout(3)


def exchange(mac, xid, options, ciaddr="0.0.0.0", flags=0x8000):
    packet = BOOTP(op=1, htype=1, hlen=6, xid=xid, flags=flags, ciaddr=ciaddr,
                   chaddr=mac2str(mac)) / DHCP(options=options + ["end"])
    sock.sendto(bytes(packet), SERVER)
    data, _ = sock.recvfrom(4096)
    reply = BOOTP(data)
    assert reply.op == 2, reply.summary()
    assert reply.xid == xid, (hex(reply.xid), hex(xid))
    assert reply.chaddr[:6] == mac2str(mac), reply.chaddr
    opts = {o[0]: o[1:] if len(o) > 2 else o[1] for o in reply[DHCP].options if isinstance(o, tuple)}
    return reply, opts


def kind(opts):
    return {1: "discover", 2: "offer", 3: "request", 5: "ack", 6: "nak"}.get(opts["message-type"], opts["message-type"])


MAC0 = "02:4c:00:00:00:10"
offer, opts = exchange(MAC0, 0x1001, [("message-type", "discover")])
assert kind(opts) == "offer", opts
assert offer.yiaddr == "192.168.1.10", offer.yiaddr
assert opts["server_id"] == "192.168.1.1", opts
assert opts["subnet_mask"] == "255.255.255.0", opts
assert opts["router"] == "192.168.1.1", opts
assert opts["name_server"] == "192.168.1.1", opts
assert opts["lease_time"] == 86400, opts
print(f"PASS DISCOVER -> OFFER {offer.yiaddr} from {opts['server_id']}")

ack, opts = exchange(MAC0, 0x1002, [("message-type", "request"),
                                     ("requested_addr", offer.yiaddr),
                                     ("server_id", "192.168.1.1")])
assert kind(opts) == "ack", opts
assert ack.yiaddr == "192.168.1.10", ack.yiaddr
assert opts["lease_time"] == 86400, opts
assert opts["domain"] in (b"hasan.com", "hasan.com"), opts
print(f"PASS REQUEST -> ACK {ack.yiaddr}, lease {opts['lease_time']} s")

MAC1 = "02:4c:00:00:00:11"
offer1, opts = exchange(MAC1, 0x2001, [("message-type", "discover")])
assert kind(opts) == "offer" and offer1.yiaddr == "192.168.1.11", (opts, offer1.yiaddr)
print(f"PASS second client offered {offer1.yiaddr}")

# Without the BROADCAST flag the lab unicasts to the MAC; the bridge still
# answers the sender.
offer2, opts = exchange("02:4c:00:00:00:13", 0x4001, [("message-type", "discover")], flags=0)
assert kind(opts) == "offer" and offer2.yiaddr == "192.168.1.12", (opts, offer2.yiaddr)
print(f"PASS client without BROADCAST flag offered {offer2.yiaddr}")

# INIT-REBOOT for an address on another network: RFC 2131 §4.3.2 says NAK.
nak, opts = exchange("02:4c:00:00:00:12", 0x3001, [("message-type", "request"),
                                                   ("requested_addr", "10.9.9.9")])
assert kind(opts) == "nak", opts
assert nak.yiaddr == "0.0.0.0", nak.yiaddr
print("PASS REQUEST for 10.9.9.9 -> NAK")

# Renewing (ciaddr set) keeps the same address.
ack, opts = exchange(MAC0, 0x1003, [("message-type", "request")], ciaddr="192.168.1.10")
assert kind(opts) == "ack" and ack.yiaddr == "192.168.1.10", (opts, ack.yiaddr)
print("PASS renewal -> ACK 192.168.1.10")
print("dhcp: all passed")
