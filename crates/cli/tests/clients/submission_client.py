"""Message submission (RFC 6409) against `lanlab serve --submission`:
Python's smtplib logs in with AUTH (PLAIN, then LOGIN) and sends akbari's
"Tes Email"; a wrong password gets 535 5.7.8 and mail before AUTH gets 530;
then poplib and imaplib deliver the message to 12_5b_01, and imaplib uses
CONDSTORE (RFC 7162) on it.
Usage: submission_client.py SUBMISSION_PORT POP3_PORT IMAP_PORT."""

import email
import imaplib
import poplib
import smtplib
import sys
from email.message import EmailMessage

SUBMISSION_PORT, POP3_PORT, IMAP_PORT = (int(p) for p in sys.argv[1:4])
HOST = "127.0.0.1"

msg = EmailMessage()
msg["From"] = "akbari@hasan.com"
msg["To"] = "12_5b_01@hasan.com"
msg["Subject"] = "Tes Email"
msg.set_content("Halo lewat port submission.\n")

with smtplib.SMTP(HOST, SUBMISSION_PORT, timeout=5) as smtp:
    code, _ = smtp.ehlo("pc1")
    assert code == 250, code
    assert smtp.has_extn("auth"), smtp.esmtp_features
    assert "PLAIN" in smtp.esmtp_features["auth"].split(), smtp.esmtp_features
    assert smtp.has_extn("enhancedstatuscodes"), smtp.esmtp_features
    # No mail before AUTH (RFC 4954 §6: 530 5.7.0).
    try:
        smtp.sendmail("akbari@hasan.com", ["12_5b_01@hasan.com"], "Subject: x\r\n\r\nx\r\n")
        raise AssertionError("mail accepted before AUTH")
    except smtplib.SMTPSenderRefused as e:
        assert e.smtp_code == 530 and e.smtp_error.startswith(b"5.7.0"), (e.smtp_code, e.smtp_error)
    # A wrong password: 535 5.7.8.
    try:
        smtp.login("akbari", "wrong")
        raise AssertionError("wrong password accepted")
    except smtplib.SMTPAuthenticationError as e:
        assert e.smtp_code == 535, (e.smtp_code, e.smtp_error)
        assert e.smtp_error == b"5.7.8 Error: authentication failed", e.smtp_error
    code, text = smtp.login("akbari", "akbari123")
    assert code == 235 and text.startswith(b"2.7.0"), (code, text)
    refused = smtp.send_message(msg)
    assert refused == {}, refused
print("PASS smtplib AUTH PLAIN on submission: 530 before AUTH, 535 on a wrong password, sent")

# AUTH LOGIN (username and password in two base64 steps).
with smtplib.SMTP(HOST, SUBMISSION_PORT, timeout=5) as smtp:
    smtp.ehlo("pc1")
    smtp.user, smtp.password = "akbari", "akbari123"
    code, text = smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)
    assert code == 235, (code, text)
    smtp.sendmail("akbari@hasan.com", ["12_5b_01@hasan.com"], "Subject: Kedua\r\n\r\nlagi\r\n")
print("PASS smtplib AUTH LOGIN on submission, sent a second message")

# POP3 delivers both to 12_5b_01, leaving them on the server.
pop = poplib.POP3(HOST, POP3_PORT, timeout=5)
pop.user("12_5b_01")
pop.pass_("kelas5b")
count, _ = pop.stat()
assert count == 2, count
got = email.message_from_bytes(b"\r\n".join(pop.retr(1)[1]))
assert got["Subject"] == "Tes Email", got["Subject"]
assert "Halo lewat port submission." in got.get_payload(), got.get_payload()
pop.quit()
print("PASS poplib retrieved the submitted message")

# IMAP sees the same two.
imap = imaplib.IMAP4(HOST, IMAP_PORT, timeout=5)
imap.login("12_5b_01", "kelas5b")
typ, data = imap.select("INBOX")
assert typ == "OK" and data[0] == b"2", (typ, data)
typ, data = imap.fetch("2", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert typ == "OK" and b"Kedua" in data[0][1], data
print("PASS imaplib sees both submitted messages")

# CONDSTORE (RFC 7162): HIGHESTMODSEQ on SELECT, MODSEQ with each change.
typ, data = imap.select("INBOX (CONDSTORE)")
assert typ == "OK", (typ, data)
typ, data = imap.response("HIGHESTMODSEQ")
highest = int(data[0])
typ, data = imap.store("2", "+FLAGS", "(\\Flagged)")
assert typ == "OK" and b"MODSEQ (" in data[0], data
typ, data = imap.fetch("1:*", f"(FLAGS) (CHANGEDSINCE {highest})")
assert typ == "OK" and len(data) == 1 and data[0].startswith(b"2 (FLAGS"), data
typ, data = imap.search(None, f"MODSEQ {highest + 1}")
assert typ == "OK" and data[0].startswith(b"2 (MODSEQ "), data
typ, data = imap.status("INBOX", "(HIGHESTMODSEQ)")
assert typ == "OK" and f"HIGHESTMODSEQ {highest + 1}".encode() in data[0], data
imap.logout()
print("PASS imaplib CONDSTORE: HIGHESTMODSEQ, MODSEQ, CHANGEDSINCE, SEARCH MODSEQ")
print("submission: all passed")
