"""S1's mail story against `lanlab serve`, with Python's own clients:
smtplib sends akbari's "Tes Email" to 12_5b_01@hasan.com, poplib reads it
(USER/PASS, then APOP), imaplib logs in, selects INBOX, fetches it and
marks it \\Seen. Usage: mail_client.py SMTP_PORT POP3_PORT IMAP_PORT."""

import email
import imaplib
import poplib
import smtplib
import sys
from email.message import EmailMessage

SMTP_PORT, POP3_PORT, IMAP_PORT = (int(p) for p in sys.argv[1:4])
HOST = "127.0.0.1"

# --- SMTP: PC1 (akbari) sends to 12_5b_01 ---------------------------------
msg = EmailMessage()
msg["From"] = "akbari@hasan.com"
msg["To"] = "12_5b_01@hasan.com"
msg["Subject"] = "Tes Email"
msg.set_content("Halo dari PC1.\n.a line starting with a dot\n")
with smtplib.SMTP(HOST, SMTP_PORT, timeout=5) as smtp:
    code, banner = smtp.ehlo("pc1")
    assert code == 250, (code, banner)
    refused = smtp.send_message(msg)
    assert refused == {}, refused
    # An unknown user of the local domain is refused with 550.
    try:
        smtp.sendmail("akbari@hasan.com", ["nobody@hasan.com"], "Subject: x\r\n\r\nx\r\n")
        raise AssertionError("nobody@hasan.com was accepted")
    except smtplib.SMTPRecipientsRefused as e:
        code = e.recipients["nobody@hasan.com"][0]
        assert code == 550, e.recipients
print("PASS smtplib sent Tes Email; unknown user refused with 550")

# --- POP3, USER/PASS: PC0 (12_5b_01) receives, leaving a copy -------------
pop = poplib.POP3(HOST, POP3_PORT, timeout=5)
assert pop.getwelcome().startswith(b"+OK"), pop.getwelcome()
pop.user("12_5b_01")
pop.pass_("kelas5b")
count, size = pop.stat()
assert count == 1, (count, size)
resp, lines, octets = pop.retr(1)
got = email.message_from_bytes(b"\r\n".join(lines))
assert got["Subject"] == "Tes Email", got["Subject"]
assert got["From"] == "akbari@hasan.com", got["From"]
assert "..a line" not in got.get_payload(), "dot-stuffing leaked"
assert ".a line starting with a dot" in got.get_payload(), got.get_payload()
resp, uidls, _ = pop.uidl()
assert len(uidls) == 1, uidls
pop.quit()
print("PASS poplib USER/PASS retrieved Tes Email")

# A wrong password is refused.
pop = poplib.POP3(HOST, POP3_PORT, timeout=5)
pop.user("12_5b_01")
try:
    pop.pass_("wrong")
    raise AssertionError("wrong password accepted")
except poplib.error_proto:
    pass
pop.quit()
print("PASS poplib wrong password refused")

# --- POP3, APOP: the password never crosses the wire ------------------------
pop = poplib.POP3(HOST, POP3_PORT, timeout=5)
pop.apop("12_5b_01", "kelas5b")
count, _ = pop.stat()
assert count == 1, count
top = b"\r\n".join(pop.top(1, 0)[1])
assert b"Subject: Tes Email" in top, top
pop.quit()
print("PASS poplib APOP logged in, TOP shows the headers")

# --- IMAP: log in, select, fetch, store \Seen -------------------------------
imap = imaplib.IMAP4(HOST, IMAP_PORT, timeout=5)
assert "IMAP4REV1" in imap.capabilities, imap.capabilities
typ, _ = imap.login("12_5b_01", "kelas5b")
assert typ == "OK"
typ, data = imap.select("INBOX")
assert typ == "OK" and data[0] == b"1", (typ, data)
# POP3's RETR already marked it read (one store behind both protocols).
typ, data = imap.fetch("1", "(FLAGS)")
assert typ == "OK" and b"\\Seen" in data[0], data
typ, data = imap.store("1", "-FLAGS", "\\Seen")
assert typ == "OK" and b"\\Seen" not in data[0], data
typ, data = imap.search(None, "UNSEEN")
assert typ == "OK" and data[0] == b"1", data
typ, data = imap.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert typ == "OK" and b"Tes Email" in data[0][1], data
typ, data = imap.fetch("1", "(RFC822)")
assert typ == "OK", (typ, data)
full = email.message_from_bytes(data[0][1])
assert full["Subject"] == "Tes Email", full["Subject"]
typ, data = imap.store("1", "+FLAGS", "\\Seen")
assert typ == "OK" and b"\\Seen" in data[0], data
typ, data = imap.search(None, "SEEN")
assert typ == "OK" and data[0] == b"1", data
typ, data = imap.list()
assert typ == "OK" and any(b"INBOX" in d for d in data), data
imap.logout()
print("PASS imaplib LOGIN, SELECT INBOX, FETCH, STORE \\Seen")

# A second IMAP session sees the flag set by the first (one shared store).
imap = imaplib.IMAP4(HOST, IMAP_PORT, timeout=5)
imap.login("12_5b_01", "kelas5b")
imap.select("INBOX", readonly=True)
typ, data = imap.fetch("1", "(FLAGS)")
assert b"\\Seen" in data[0], data
imap.logout()
try:
    bad = imaplib.IMAP4(HOST, IMAP_PORT, timeout=5)
    bad.login("akbari", "nope")
    raise AssertionError("wrong IMAP password accepted")
except imaplib.IMAP4.error:
    pass
print("PASS second IMAP session sees \\Seen; wrong password refused")

# IDLE (RFC 2177): a session waiting in IDLE hears at once of new mail.
import socket
import time

with socket.create_connection((HOST, IMAP_PORT), timeout=5) as sock:
    buf = b""

    def until(token):
        global buf
        deadline = time.time() + 5
        while token not in buf:
            assert time.time() < deadline, f"waited for {token!r}, got {buf!r}"
            chunk = sock.recv(4096)
            assert chunk, f"closed while waiting for {token!r}: {buf!r}"
            buf += chunk

    until(b"\r\n")
    sock.sendall(b"a1 LOGIN 12_5b_01 kelas5b\r\na2 SELECT INBOX\r\n")
    until(b"a2 OK")
    sock.sendall(b"a3 IDLE\r\n")
    until(b"+ ")
    with smtplib.SMTP(HOST, SMTP_PORT, timeout=5) as smtp:
        smtp.sendmail("akbari@hasan.com", ["12_5b_01@hasan.com"], "Subject: kedua\r\n\r\nlagi\r\n")
    until(b"* 2 EXISTS")
    sock.sendall(b"DONE\r\na4 LOGOUT\r\n")
    until(b"a4 OK")
print("PASS IMAP IDLE told of new mail at once")
print("mail: all passed")
