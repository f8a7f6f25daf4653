"""IMAP as real clients use it, against `lanlab serve --smtp --imap`:
imaplib (the standard library) drives the extensions by hand — NAMESPACE,
ID, ENABLE, CREATE of names with quotes and hierarchy, LIST with
\\HasChildren and SPECIAL-USE, UID MOVE with COPYUID, UID EXPUNGE, UNSELECT,
partial FETCH, SEARCH keys — and IMAPClient (a stricter library that parses
every response itself) does the same work through its API.
Usage: imap_clients.py SMTP_PORT IMAP_PORT."""

import imaplib
import smtplib
import sys

import imapclient
import imapclient.imapclient

SMTP_PORT, IMAP_PORT = (int(p) for p in sys.argv[1:3])
HOST = "127.0.0.1"
USER, PASSWORD = "12_5b_01", "kelas5b"

with smtplib.SMTP(HOST, SMTP_PORT, timeout=5) as smtp:
    for i in range(3):
        smtp.sendmail(
            "akbari@hasan.com",
            ["12_5b_01@hasan.com"],
            f"From: akbari@hasan.com\r\nTo: 12_5b_01@hasan.com\r\nSubject: pesan {i}\r\n\r\n{'isi ' * (10 + 40 * i)}\r\n",
        )
print("PASS smtplib sent three messages")

# --- imaplib ---------------------------------------------------------------
imap = imaplib.IMAP4(HOST, IMAP_PORT, timeout=5)
for cap in ["NAMESPACE", "ID", "ENABLE", "CHILDREN", "SPECIAL-USE", "UIDPLUS", "MOVE", "UNSELECT", "LITERAL+"]:
    assert cap in imap.capabilities, (cap, imap.capabilities)
typ, data = imap.xatom("ID", '("name" "imaplib")')
assert typ == "OK", (typ, data)
imap.login(USER, PASSWORD)
typ, data = imap.namespace()
assert typ == "OK" and data[0] == b'(("" "/")) NIL NIL', data
typ, data = imap._simple_command("ENABLE", "CONDSTORE")
assert typ == "OK", (typ, data)
typ, data = imap.create('"__test/\\"foobar\\""')
assert typ == "OK", (typ, data)
typ, data = imap.create("a/b/c")
assert typ == "OK", (typ, data)
typ, data = imap.list('""', "a*")
assert typ == "OK" and data == [
    b'(\\HasChildren) "/" a',
    b'(\\HasChildren) "/" a/b',
    b'(\\HasNoChildren) "/" a/b/c',
], data
typ, data = imap.list('""', "__test/%")
assert typ == "OK" and data == [b'(\\HasNoChildren) "/" "__test/\\"foobar\\""'], data
typ, data = imap.list('""', "%")
assert any(b"\\Sent" in d and d.endswith(b" Sent") for d in data), data
assert any(b"\\Trash" in d and d.endswith(b" Trash") for d in data), data
typ, data = imap.select("INBOX")
assert typ == "OK" and data[0] == b"3", data
typ, data = imap.fetch("1", "(BODY.PEEK[]<0.20>)")
assert typ == "OK" and data[0][0].endswith(b"BODY[]<0> {20}") and len(data[0][1]) == 20, data
typ, data = imap.search(None, "OR", "SUBJECT", '"pesan 0"', "LARGER", "300")
assert typ == "OK" and data[0] == b"1 2 3", data
typ, data = imap.search(None, "NOT", "SUBJECT", '"pesan 2"', "SINCE", "1-Jan-2000", "BEFORE", "1-Jan-2100", "2:*")
assert typ == "OK" and data[0] == b"2", data
typ, data = imap.search(None, "LARGER", "1", "SMALLER", "100000")
assert typ == "OK" and data[0] == b"1 2 3", data
typ, data = imap.search(None, "HEADER", "Subject", '"pesan 2"')
assert typ == "OK" and data[0] == b"3", data
typ, data = imap.uid("MOVE", "3", "Trash")
assert typ == "OK", (typ, data)
typ, data = imap.store("1", "+FLAGS", "\\Deleted")
typ, data = imap.uid("EXPUNGE", "1")
assert typ == "OK", (typ, data)
typ, data = imap.unselect()
assert typ == "OK", (typ, data)
typ, data = imap.status("INBOX", "(MESSAGES)")
assert typ == "OK" and b"MESSAGES 1" in data[0], data
typ, data = imap.append("Sent", "(\\Seen)", None, b"Subject: terkirim\r\n\r\nok\r\n")
assert typ == "OK" and b"APPENDUID" in data[0], data
imap.logout()
print("PASS imaplib NAMESPACE, ID, ENABLE, CREATE, LIST, partial FETCH, SEARCH, UID MOVE, UID EXPUNGE, UNSELECT, APPENDUID")

# --- IMAPClient ------------------------------------------------------------
c = imapclient.IMAPClient(HOST, port=IMAP_PORT, ssl=False, timeout=5)
assert c.has_capability("IMAP4REV1")
info = c.id_({"name": "imapclient"})
assert tuple(info[0][:2]) == (b"name", b"lanlab"), info
c.login(USER, PASSWORD)
ns = c.namespace()
assert ns.personal == (("", "/"),), ns
assert c.folder_exists("a/b")
c.create_folder("Entwürfe")
names = [name for (_flags, _delim, name) in c.list_folders()]
assert "Entwürfe" in names and '__test/"foobar"' in names, names
assert c.find_special_folder(imapclient.imapclient.SENT) == "Sent"
assert c.find_special_folder(imapclient.imapclient.TRASH) == "Trash"
sel = c.select_folder("INBOX")
assert sel[b"EXISTS"] == 1, sel
uids = c.search(["ALL"])
assert uids == [2], uids
got = c.fetch(uids, ["ENVELOPE", "BODYSTRUCTURE", "RFC822.SIZE", "FLAGS", "BODY.PEEK[]<0.10>"])
env = got[2][b"ENVELOPE"]
assert env.subject == b"pesan 1", env
assert env.from_[0].mailbox == b"akbari" and env.to[0].host == b"hasan.com", env
assert got[2][b"BODY[]<0>"] == b"Received: ", got[2]
assert got[2][b"BODYSTRUCTURE"][:2] == (b"TEXT", b"PLAIN"), got[2]
c.move(uids, "Trash")
assert c.search(["ALL"]) == []
c.unselect_folder()
c.select_folder("Trash")
assert len(c.search(["ALL"])) == 2
c.delete_folder("Entwürfe")
c.logout()
print("PASS IMAPClient ID, NAMESPACE, LIST (modified UTF-7), special folders, ENVELOPE, BODYSTRUCTURE, MOVE, UNSELECT")
print("imap clients: all passed")
