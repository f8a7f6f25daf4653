//! Transcript tests of the server session: every command, the error paths,
//! two sessions on one mailbox (S5) and input cut into pieces.

use crate::StreamServer;
use std::time::Duration;

use super::{Event, Server, ServerConfig};
use crate::SimTime;
use crate::mail::MailStore;

pub(super) const M1: &str = "From: Bob <bob@x.org>\r\nTo: akbari@hasan.com\r\nSubject: Lunch\r\nDate: Mon, 05 Jan 2026 08:00:00 +0000\r\n\r\nNoon at the canteen?\r\n";
const M2: &str = "From: Cy <cy@y.org>\r\nTo: akbari@hasan.com\r\nSubject: Report\r\n\r\nThe report is attached.\r\n";
const M3: &str = "From: Bob <bob@x.org>\r\nSubject: Again\r\n\r\nPing\r\n";

pub(super) fn store() -> MailStore {
    let mut st = MailStore::new();
    st.add_domain("hasan.com").unwrap();
    let id = st.add_user("hasan.com", "akbari", "secret").unwrap();
    for m in [M1, M2, M3] {
        st.deliver(&id, m, SimTime::from_secs(1)).unwrap();
    }
    st
}

pub(super) struct Lab {
    pub store: MailStore,
    pub s: Vec<Server>,
    pub now: SimTime,
}

impl Lab {
    pub fn new(sessions: usize) -> Lab {
        let mut lab = Lab {
            store: store(),
            s: Vec::new(),
            now: SimTime::from_secs(10),
        };
        for _ in 0..sessions {
            let mut s = Server::new(ServerConfig::default(), lab.now);
            let greet = out(&mut s);
            assert!(greet.starts_with("* OK [CAPABILITY IMAP4rev1"), "{greet}");
            lab.s.push(s);
        }
        lab
    }

    /// Sends raw bytes to session `i`, returns what it wrote.
    pub fn raw(&mut self, i: usize, bytes: &[u8]) -> String {
        self.now += Duration::from_secs(1);
        self.s[i].handle_input(self.now, bytes, &mut self.store);
        out(&mut self.s[i])
    }

    /// Sends one command line to session `i`.
    pub fn cmd(&mut self, i: usize, line: &str) -> String {
        self.raw(i, format!("{line}\r\n").as_bytes())
    }

    pub fn login_select(&mut self, i: usize) {
        assert!(self.cmd(i, "l LOGIN akbari secret").contains("l OK"));
        assert!(self.cmd(i, "s SELECT INBOX").contains("s OK [READ-WRITE]"));
    }
}

pub(super) fn out(s: &mut Server) -> String {
    let mut v = Vec::new();
    while let Some(b) = s.poll_output() {
        v.extend(b);
    }
    String::from_utf8(v).unwrap()
}

fn notes(s: &mut Server) -> Vec<String> {
    std::iter::from_fn(|| s.poll_note())
        .map(|n| n.to_string())
        .collect()
}

#[test]
fn not_authenticated_state() {
    let mut t = Lab::new(1);
    assert_eq!(
        t.cmd(0, "a1 CAPABILITY"),
        "* CAPABILITY IMAP4rev1 LITERAL+ IDLE NAMESPACE ID ENABLE CHILDREN SPECIAL-USE MOVE UIDPLUS UNSELECT CONDSTORE\r\na1 OK CAPABILITY completed\r\n"
    );
    assert_eq!(t.cmd(0, "a2 NOOP"), "a2 OK NOOP completed\r\n");
    assert_eq!(
        t.cmd(0, "a3 SELECT INBOX"),
        "a3 BAD SELECT not allowed in the not authenticated state: log in first\r\n"
    );
    assert_eq!(
        t.cmd(0, "a4 LOGIN akbari wrong"),
        "a4 NO LOGIN failed: wrong user name or password\r\n"
    );
    assert!(
        t.cmd(0, "a5 AUTHENTICATE PLAIN")
            .starts_with("a5 NO AUTHENTICATE PLAIN is not supported")
    );
    assert!(t.cmd(0, "a6 STARTTLS").starts_with("a6 NO"));
    assert!(
        t.cmd(0, "a7 FROB")
            .starts_with("a7 BAD syntax error: unknown command FROB")
    );
    assert!(t.cmd(0, "+++").starts_with("* BAD syntax error"));
    assert_eq!(t.cmd(0, ""), "");
    assert!(
        t.cmd(0, "a8 LOGIN akbari@hasan.com secret")
            .starts_with("a8 OK [CAPABILITY")
    );
    assert_eq!(
        t.s[0].poll_event(),
        Some(Event::LoginFailed {
            user: "akbari".into()
        })
    );
    assert!(matches!(t.s[0].poll_event(), Some(Event::LoggedIn(_))));
    let n = notes(&mut t.s[0]);
    assert!(
        n.contains(&"a8 LOGIN akbari@hasan.com: OK".to_string()),
        "{n:?}"
    );
    assert!(n.contains(&"a3 SELECT is not allowed in the not authenticated state".to_string()));
    assert!(
        t.cmd(0, "a9 LOGIN akbari secret")
            .starts_with("a9 BAD LOGIN not allowed in the authenticated state")
    );
    assert!(t.cmd(0, "b1 FETCH 1 FLAGS").starts_with(
        "b1 BAD FETCH not allowed in the authenticated state: select a mailbox first"
    ));
    assert_eq!(
        t.cmd(0, "z LOGOUT"),
        "* BYE IMAP4rev1 server logging out\r\nz OK LOGOUT completed\r\n"
    );
    assert_eq!(t.s[0].poll_event(), Some(Event::Closed));
    assert_eq!(t.cmd(0, "after NOOP"), "");
    assert_eq!(t.s[0].poll_timeout(), None);
}

#[test]
fn select_examine_and_status() {
    let mut t = Lab::new(1);
    t.cmd(0, "a LOGIN akbari secret");
    let r = t.cmd(0, "b SELECT inbox");
    assert!(r.starts_with("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 3 EXISTS\r\n* 3 RECENT\r\n* OK [UNSEEN 1]"), "{r}");
    assert!(
        r.contains("* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 4] predicted next UID\r\n"),
        "{r}"
    );
    assert!(r.contains("[PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]"));
    assert!(r.ends_with("b OK [READ-WRITE] SELECT completed\r\n"));
    assert!(notes(&mut t.s[0]).contains(&"SELECT INBOX: 3 messages, 3 recent".to_string()));
    let r = t.cmd(0, "c EXAMINE INBOX");
    assert!(r.starts_with("* OK [CLOSED]"), "{r}");
    assert!(
        r.contains("* 0 RECENT") && r.contains("[PERMANENTFLAGS (\\*)]"),
        "{r}"
    );
    assert!(r.ends_with("c OK [READ-ONLY] EXAMINE completed\r\n"));
    assert!(
        t.cmd(0, "d STORE 1 +FLAGS (\\Seen)")
            .starts_with("d NO mailbox is read-only")
    );
    assert!(t.cmd(0, "e EXPUNGE").starts_with("e NO"));
    // FETCH BODY[] in EXAMINE does not set \Seen.
    assert!(!t.cmd(0, "f FETCH 1 BODY[TEXT]").contains("FLAGS"));
    assert_eq!(
        t.cmd(
            0,
            "g STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"
        ),
        "* STATUS INBOX (MESSAGES 3 RECENT 0 UIDNEXT 4 UIDVALIDITY 1 UNSEEN 3)\r\ng OK STATUS completed\r\n"
    );
    assert!(
        t.cmd(0, "h STATUS Nope (MESSAGES)")
            .starts_with("h NO STATUS failed: no folder Nope")
    );
    assert!(t.cmd(0, "i SELECT Nope").contains("i NO no folder Nope"));
    assert!(
        t.cmd(0, "j FETCH 1 FLAGS")
            .starts_with("j BAD FETCH not allowed in the authenticated state")
    );
    t.cmd(0, "k SELECT INBOX");
    assert_eq!(t.cmd(0, "l UNSELECT"), "l OK UNSELECT completed\r\n");
    assert!(t.cmd(0, "m CLOSE").starts_with("m BAD"));
}

#[test]
fn folders_list_lsub_create_rename_delete() {
    let mut t = Lab::new(1);
    t.cmd(0, "a LOGIN akbari secret");
    assert_eq!(
        t.cmd(0, "b LIST \"\" \"\""),
        "* LIST (\\Noselect) \"/\" \"\"\r\nb OK LIST completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "c LIST \"\" *"),
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\nc OK LIST completed\r\n"
    );
    assert_eq!(t.cmd(0, "d CREATE Work/2026"), "d OK CREATE completed\r\n");
    assert!(
        t.cmd(0, "e CREATE Work")
            .starts_with("e NO CREATE failed: folder Work already exists")
    );
    let r = t.cmd(0, "f LIST \"\" %");
    assert!(
        r.contains("* LIST (\\HasChildren) \"/\" Work\r\n") && !r.contains("2026"),
        "{r}"
    );
    assert!(t.cmd(0, "g LIST Work/ %").contains("\"/\" Work/2026\r\n"));
    assert!(t.cmd(0, "h LIST \"\" inbox").contains("INBOX"));
    assert_eq!(
        t.cmd(0, "i UNSUBSCRIBE Sent"),
        "i OK UNSUBSCRIBE completed\r\n"
    );
    let r = t.cmd(0, "j LSUB \"\" *");
    assert!(
        r.contains("* LSUB (\\HasNoChildren) \"/\" Trash") && !r.contains("Sent"),
        "{r}"
    );
    assert_eq!(t.cmd(0, "k SUBSCRIBE Sent"), "k OK SUBSCRIBE completed\r\n");
    assert!(t.cmd(0, "l SUBSCRIBE Nope").starts_with("l NO"));
    assert!(
        t.cmd(0, "m DELETE Work")
            .starts_with("m NO DELETE failed: folder Work has subfolders")
    );
    assert!(t.cmd(0, "n DELETE INBOX").starts_with("n NO"));
    assert_eq!(
        t.cmd(0, "o RENAME Work/2026 \"Old Work\""),
        "o OK RENAME completed\r\n"
    );
    assert!(t.cmd(0, "p LIST \"\" *").contains("\"Old Work\""));
    assert_eq!(
        t.cmd(0, "q DELETE \"Old Work\""),
        "q OK DELETE completed\r\n"
    );
    assert!(t.cmd(0, "r RENAME Nope Other").starts_with("r NO"));
    assert!(t.cmd(0, "s CREATE \"bad*name\"").starts_with("s NO"));
    t.cmd(0, "t SELECT Trash");
    assert_eq!(
        t.cmd(0, "u DELETE Trash"),
        "u NO DELETE failed: Trash is selected; CLOSE it first\r\n"
    );
    assert!(matches!(t.s[0].poll_event(), Some(Event::LoggedIn(_))));
    assert!(matches!(
        t.s[0].poll_event(),
        Some(Event::FolderChanged { .. })
    ));
}

#[test]
fn fetch_items_and_implicit_seen() {
    let mut t = Lab::new(1);
    t.login_select(0);
    assert_eq!(
        t.cmd(0, "a FETCH 1 (UID FLAGS RFC822.SIZE INTERNALDATE)"),
        format!(
            "* 1 FETCH (UID 1 FLAGS (\\Recent) RFC822.SIZE {} INTERNALDATE \" 5-Jan-2026 08:00:01 +0000\")\r\na OK FETCH completed\r\n",
            M1.len()
        )
    );
    let r = t.cmd(0, "b FETCH 1 (ENVELOPE)");
    assert!(r.starts_with("* 1 FETCH (ENVELOPE (\"Mon, 05 Jan 2026 08:00:00 +0000\" \"Lunch\" ((\"Bob\" NIL \"bob\" \"x.org\"))"), "{r}");
    let r = t.cmd(0, "c FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
    assert_eq!(
        r,
        "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Lunch\r\n\r\n)\r\nc OK FETCH completed\r\n"
    );
    let r = t.cmd(0, "d FETCH 1 BODY[TEXT]<0.4>");
    assert_eq!(
        r,
        "* 1 FETCH (BODY[TEXT]<0> {4}\r\nNoon FLAGS (\\Seen \\Recent))\r\nd OK FETCH completed\r\n"
    );
    assert!(notes(&mut t.s[0]).contains(&"\\Seen set on 1 by fetching the body".to_string()));
    let r = t.cmd(0, "e FETCH 2 (BODYSTRUCTURE BODY)");
    assert!(r.contains("BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 25 1) BODY ("), "{r}");
    let r = t.cmd(0, "f FETCH 3 (RFC822.HEADER RFC822.TEXT)");
    assert!(
        r.contains("RFC822.HEADER {") && r.contains("RFC822.TEXT {6}\r\nPing\r\n"),
        "{r}"
    );
    let r = t.cmd(0, "g FETCH 3 RFC822");
    assert!(
        r.contains(&format!("RFC822 {{{}}}", M3.len())) && !r.contains("FLAGS"),
        "{r}"
    );
    let r = t.cmd(0, "h UID FETCH 2:* FLAGS");
    assert_eq!(
        r,
        "* 2 FETCH (UID 2 FLAGS (\\Recent))\r\n* 3 FETCH (UID 3 FLAGS (\\Seen \\Recent))\r\nh OK UID FETCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "i UID FETCH 99 FLAGS"),
        "i OK UID FETCH completed\r\n"
    );
    assert!(
        t.cmd(0, "j FETCH 9 FLAGS")
            .starts_with("j BAD message sequence number out of range")
    );
    assert!(t.cmd(0, "k FETCH 1 BODY[5]").contains("BODY[5] NIL"));
    let r = t.cmd(0, "l FETCH 1:2 FAST");
    assert!(
        r.starts_with("* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE") && r.contains("* 2 FETCH"),
        "{r}"
    );
    assert!(
        t.cmd(0, "m FETCH 1 (FLAGS")
            .starts_with("m BAD syntax error")
    );
}

#[test]
fn store_search_copy_move_expunge() {
    let mut t = Lab::new(1);
    t.login_select(0);
    assert_eq!(
        t.cmd(0, "a STORE 2 +FLAGS (\\Seen)"),
        "* 2 FETCH (FLAGS (\\Seen \\Recent))\r\na OK STORE completed\r\n"
    );
    assert!(notes(&mut t.s[0]).contains(&"STORE +FLAGS (\\Seen) on 2".to_string()));
    assert_eq!(
        t.cmd(0, "b STORE 2 -FLAGS.SILENT (\\Seen)"),
        "b OK STORE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "c UID STORE 1,3 FLAGS (\\Flagged $Work)"),
        "* 1 FETCH (FLAGS (\\Flagged $Work \\Recent) UID 1)\r\n* 3 FETCH (FLAGS (\\Flagged $Work \\Recent) UID 3)\r\nc OK UID STORE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "d SEARCH FLAGGED"),
        "* SEARCH 1 3\r\nd OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "e SEARCH FROM bob NOT KEYWORD $Work"),
        "* SEARCH\r\ne OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "f UID SEARCH OR SUBJECT report BODY ping"),
        "* SEARCH 2 3\r\nf OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "g SEARCH UNSEEN SINCE 5-Jan-2026 LARGER 10"),
        "* SEARCH 1 2 3\r\ng OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "h SEARCH BEFORE 5-Jan-2026"),
        "* SEARCH\r\nh OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "i SEARCH NEW TEXT canteen"),
        "* SEARCH 1\r\ni OK SEARCH completed\r\n"
    );
    assert!(
        t.cmd(0, "j SEARCH FOO")
            .starts_with("j BAD syntax error: FOO is not a search key")
    );
    assert_eq!(
        t.cmd(0, "k COPY 1:2 Trash"),
        "k OK [COPYUID 3 1:2 1:2] COPY completed\r\n".replace("1:2 1:2", "1,2 1,2")
    );
    assert!(
        t.cmd(0, "l COPY 1 Nowhere")
            .starts_with("l NO [TRYCREATE] COPY failed")
    );
    assert_eq!(
        t.cmd(0, "m MOVE 2 Sent"),
        "* OK [COPYUID 2 2 1] moved\r\n* 2 EXPUNGE\r\nm OK MOVE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "n UID MOVE 3 Trash"),
        "* OK [COPYUID 3 3 3] moved\r\n* 2 EXPUNGE\r\nn OK UID MOVE completed\r\n"
    );
    assert!(t.cmd(0, "o MOVE 1 INBOX").starts_with("o NO"));
    assert_eq!(
        t.cmd(0, "p STORE 1 +FLAGS (\\Deleted)"),
        "* 1 FETCH (FLAGS (\\Flagged \\Deleted $Work \\Recent))\r\np OK STORE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "q EXPUNGE"),
        "* 1 EXPUNGE\r\nq OK EXPUNGE completed\r\n"
    );
    let n = notes(&mut t.s[0]);
    assert!(n.contains(&"EXPUNGE 1".to_string()), "{n:?}");
    assert!(!n.iter().any(|x| x.contains("another session")), "{n:?}");
    assert_eq!(
        t.cmd(0, "r SELECT Trash").lines().nth(2),
        Some("* 3 EXISTS")
    );
    t.cmd(0, "s STORE 1:2 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        t.cmd(0, "t UID EXPUNGE 2"),
        "* 2 EXPUNGE\r\nt OK UID EXPUNGE completed\r\n"
    );
    assert_eq!(t.cmd(0, "u CLOSE"), "u OK CLOSE completed\r\n");
    assert!(
        t.cmd(0, "v STATUS Trash (MESSAGES)")
            .contains("(MESSAGES 1)")
    );
    assert!(t.cmd(0, "w STORE 1 +FLAGS (\\Recent)").starts_with("w BAD"));
}

#[test]
fn append_with_literal_in_pieces_and_limits() {
    let mut t = Lab::new(1);
    t.login_select(0);
    let msg = "Subject: draft\r\n\r\nhello\r\n";
    let head = format!(
        "a APPEND Sent (\\Seen \\Draft) \"05-Jan-2026 09:00:00 +0100\" {{{}}}\r\n",
        msg.len()
    );
    let (h1, h2) = head.split_at(10);
    assert_eq!(t.raw(0, h1.as_bytes()), "");
    assert_eq!(t.raw(0, h2.as_bytes()), "+ Ready for literal data\r\n");
    let (b1, b2) = msg.split_at(7);
    assert_eq!(t.raw(0, b1.as_bytes()), "");
    assert_eq!(t.raw(0, b2.as_bytes()), "");
    assert_eq!(
        t.raw(0, b"\r\n"),
        "a OK [APPENDUID 2 1] APPEND completed\r\n"
    );
    let r = t.cmd(0, "b STATUS Sent (MESSAGES UNSEEN)");
    assert!(r.contains("(MESSAGES 1 UNSEEN 0)"), "{r}");
    t.cmd(0, "b2 EXAMINE Sent");
    let r = t.cmd(0, "b3 FETCH 1 (INTERNALDATE FLAGS)");
    assert!(
        r.starts_with(
            "* 1 FETCH (INTERNALDATE \" 5-Jan-2026 08:00:00 +0000\" FLAGS (\\Seen \\Draft))"
        ),
        "{r}"
    );
    t.cmd(0, "b4 SELECT INBOX");
    // LITERAL+ to the selected mailbox: the session sees EXISTS at once.
    let r = t.raw(0, b"c APPEND INBOX {3+}\r\nx\r\n\r\n");
    assert_eq!(
        r,
        "* 4 EXISTS\r\n* 1 RECENT\r\nc OK [APPENDUID 1 4] APPEND completed\r\n"
    );
    assert!(
        t.cmd(0, "d APPEND Nope {1+}\r\nx")
            .starts_with("d NO [TRYCREATE]")
    );
    assert_eq!(
        t.cmd(0, "e APPEND INBOX {5000000}"),
        "e NO [TOOBIG] literal of 5000000 octets is larger than the limit of 1048576\r\n"
    );
    assert_eq!(t.cmd(0, "f NOOP"), "f OK NOOP completed\r\n");
    let long = format!("g NOOP {}", "x".repeat(10_000));
    assert_eq!(t.cmd(0, &long), "g BAD line too long\r\n");
    assert_eq!(t.cmd(0, "h NOOP"), "h OK NOOP completed\r\n");
}

#[test]
fn more_items_keys_and_read_only_rules() {
    let mut t = Lab::new(1);
    t.login_select(0);
    assert_eq!(t.cmd(0, "a CHECK"), "a OK CHECK completed\r\n");
    let r = t.cmd(
        0,
        "b FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (To From Subject)]",
    );
    assert_eq!(
        r,
        "* 2 FETCH (BODY[HEADER.FIELDS.NOT (TO FROM SUBJECT)] {2}\r\n\r\n)\r\nb OK FETCH completed\r\n"
    );
    let r = t.cmd(0, "c FETCH 3 BODY.PEEK[1]");
    assert_eq!(
        r,
        "* 3 FETCH (BODY[1] {6}\r\nPing\r\n)\r\nc OK FETCH completed\r\n"
    );
    let r = t.cmd(0, "d FETCH 3 BODY.PEEK[HEADER]");
    assert!(
        r.contains("BODY[HEADER] {41}\r\nFrom: Bob <bob@x.org>\r\nSubject: Again\r\n\r\n)"),
        "{r}"
    );
    let full = t.cmd(0, "e FETCH 1 FULL");
    assert!(
        full.contains("ENVELOPE (") && full.contains(" BODY (\"TEXT\" \"PLAIN\""),
        "{full}"
    );
    let all = t.cmd(0, "f FETCH 1 ALL");
    assert!(
        all.contains("ENVELOPE (") && !all.contains(" BODY ("),
        "{all}"
    );
    assert_eq!(
        t.cmd(0, "g SEARCH ON 5-Jan-2026"),
        "* SEARCH 1 2 3\r\ng OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "h SEARCH SENTON 5-Jan-2026"),
        "* SEARCH 1\r\nh OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "i SEARCH TO akbari NOT CC x"),
        "* SEARCH 1 2\r\ni OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "j UID SEARCH UID 2:* SMALLER 100"),
        "* SEARCH 2 3\r\nj OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "k UID COPY 2:3 Sent"),
        "k OK [COPYUID 2 2:3 1:2] UID COPY completed\r\n".replace("2:3 1:2", "2,3 1,2")
    );
    assert!(
        t.cmd(0, "l UID COPY 1 Nope")
            .starts_with("l NO [TRYCREATE]")
    );
    assert_eq!(
        t.cmd(0, "m UID COPY 99 Sent"),
        "m OK UID COPY completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "n STORE 1 FLAGS ($Label1 \\Answered)"),
        "* 1 FETCH (FLAGS (\\Answered $Label1 \\Recent))\r\nn OK STORE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "o SEARCH KEYWORD $Label1 ANSWERED"),
        "* SEARCH 1\r\no OK SEARCH completed\r\n"
    );
    t.cmd(0, "p EXAMINE INBOX");
    assert_eq!(
        t.cmd(0, "q COPY 1 Trash"),
        "q OK [COPYUID 3 1 1] COPY completed\r\n"
    );
    assert!(
        t.cmd(0, "r MOVE 1 Trash")
            .starts_with("r NO mailbox is read-only")
    );
    assert!(t.cmd(0, "s UID EXPUNGE 1").starts_with("s NO"));
    assert_eq!(t.cmd(0, "t CLOSE"), "t OK CLOSE completed\r\n");
}
