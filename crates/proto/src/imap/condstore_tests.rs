//! CONDSTORE (RFC 7162 §3.1) transcripts, after the RFC's examples: the
//! mailbox's HIGHESTMODSEQ on SELECT and STATUS, MODSEQ and CHANGEDSINCE
//! in FETCH, UNCHANGEDSINCE in STORE with `[MODIFIED]`, SEARCH MODSEQ,
//! ENABLE CONDSTORE, and every change (flags, append, expunge) bumping the
//! mod-sequence. The store holds three messages delivered one after the
//! other to a new INBOX: mod-sequences 2, 3 and 4.

use super::reply::parse_response;
use super::response::{Code, FetchData, Response, Status};
use super::server_tests::Lab;
use super::types::SequenceSet;

fn login(t: &mut Lab, i: usize) {
    assert!(t.cmd(i, "l LOGIN akbari secret").contains("l OK"));
}

#[test]
fn capability_select_examine_and_status() {
    let mut t = Lab::new(1);
    assert!(t.cmd(0, "c CAPABILITY").contains(" CONDSTORE\r\n"));
    login(&mut t, 0);
    // §3.1.2.1: HIGHESTMODSEQ on every successful SELECT/EXAMINE.
    let r = t.cmd(0, "a SELECT INBOX");
    assert!(
        r.contains("* OK [HIGHESTMODSEQ 4] highest mod-sequence\r\n"),
        "{r}"
    );
    // §3.1.8 example: SELECT with the CONDSTORE parameter.
    let r = t.cmd(0, "A142 SELECT INBOX (CONDSTORE)");
    assert!(r.contains("* OK [HIGHESTMODSEQ 4]"), "{r}");
    assert!(
        r.ends_with("A142 OK [READ-WRITE] SELECT completed\r\n"),
        "{r}"
    );
    let r = t.cmd(0, "A143 EXAMINE INBOX (CONDSTORE)");
    assert!(r.contains("* OK [HIGHESTMODSEQ 4]"), "{r}");
    assert!(
        r.ends_with("A143 OK [READ-ONLY] EXAMINE completed\r\n"),
        "{r}"
    );
    assert!(
        t.cmd(0, "b SELECT INBOX (QRESYNC)")
            .starts_with("b BAD syntax error: QRESYNC is not a SELECT parameter")
    );
    // §3.1.8 (STATUS): HIGHESTMODSEQ as a STATUS item.
    assert_eq!(
        t.cmd(0, "C01 STATUS Trash (HIGHESTMODSEQ)"),
        "* STATUS Trash (HIGHESTMODSEQ 1)\r\nC01 OK STATUS completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "C02 STATUS INBOX (MESSAGES HIGHESTMODSEQ)"),
        "* STATUS INBOX (MESSAGES 3 HIGHESTMODSEQ 4)\r\nC02 OK STATUS completed\r\n"
    );
}

#[test]
fn fetch_modseq_and_changedsince() {
    let mut t = Lab::new(1);
    login(&mut t, 0);
    t.cmd(0, "s SELECT INBOX");
    // §3.1.4.2 example: FETCH (MODSEQ).
    assert_eq!(
        t.cmd(0, "a FETCH 1:3 (MODSEQ)"),
        "* 1 FETCH (MODSEQ (2))\r\n* 2 FETCH (MODSEQ (3))\r\n* 3 FETCH (MODSEQ (4))\r\na OK FETCH completed\r\n"
    );
    // A flag change gives message 2 a new mod-sequence; with CONDSTORE on,
    // the STORE's FETCH carries it.
    assert_eq!(
        t.cmd(0, "b STORE 2 +FLAGS (\\Flagged)"),
        "* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ (5))\r\nb OK STORE completed\r\n"
    );
    // §3.1.4.1 example: only what changed since a mod-sequence (MODSEQ implied).
    assert_eq!(
        t.cmd(0, "s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4)"),
        "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (5))\r\ns100 OK UID FETCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "s101 FETCH 1:* (FLAGS) (CHANGEDSINCE 5)"),
        "s101 OK FETCH completed\r\n"
    );
    for bad in [
        "x FETCH 1 (FLAGS) (CHANGEDSINCE)",
        "x FETCH 1 (FLAGS) (VANISHED 5)",
        "x FETCH 1 (FLAGS) (CHANGEDSINCE 5",
    ] {
        assert!(t.cmd(0, bad).starts_with("x BAD syntax error"), "{bad}");
    }
}

#[test]
fn conditional_store_reports_modified() {
    let mut t = Lab::new(2);
    login(&mut t, 0);
    login(&mut t, 1);
    t.cmd(0, "s SELECT INBOX (CONDSTORE)");
    t.cmd(1, "s SELECT INBOX");
    // Another client changes message 1 after session 0 read HIGHESTMODSEQ 4.
    assert!(t.cmd(1, "o STORE 1 +FLAGS (\\Seen)").contains("o OK"));
    // §3.1.3 example d105: the changed message is left alone and named in
    // [MODIFIED]; the others are stored, and .SILENT still answers MODSEQ.
    let r = t.cmd(
        0,
        "d105 STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Deleted)",
    );
    assert_eq!(
        r,
        "* 2 FETCH (MODSEQ (6))\r\n* 3 FETCH (MODSEQ (7))\r\n\
         * 1 FETCH (FLAGS (\\Seen \\Recent) UID 1 MODSEQ (5))\r\n\
         d105 OK [MODIFIED 1] Conditional STORE failed\r\n"
    );
    // UID STORE names UIDs in MODIFIED; UNCHANGEDSINCE 0 always fails.
    assert_eq!(
        t.cmd(0, "d106 UID STORE 2 (UNCHANGEDSINCE 0) +FLAGS (\\Flagged)"),
        "d106 OK [MODIFIED 2] Conditional STORE failed\r\n"
    );
    assert_eq!(
        t.cmd(0, "d107 UID STORE 1 (UNCHANGEDSINCE 5) -FLAGS (\\Seen)"),
        "* 1 FETCH (FLAGS (\\Recent) UID 1 MODSEQ (8))\r\nd107 OK UID STORE completed\r\n"
    );
    assert!(
        t.cmd(0, "x STORE 1 (UNCHANGEDSINCE x) +FLAGS (\\Seen)")
            .starts_with("x BAD syntax error")
    );
    // Session 1 learns of session 0's changes with their mod-sequences
    // only once it has enabled CONDSTORE.
    let r = t.cmd(1, "n NOOP");
    assert!(
        r.contains("* 2 FETCH (FLAGS (\\Deleted \\Recent) UID 2)\r\n"),
        "{r}"
    );
    assert!(
        t.cmd(0, "d108 STORE 3 -FLAGS (\\Deleted)")
            .contains("MODSEQ (9)")
    );
    let r = t.cmd(1, "e FETCH 3 (MODSEQ)");
    assert!(r.contains("* 3 FETCH (MODSEQ (9))\r\n"), "{r}");
}

#[test]
fn search_modseq_append_and_expunge() {
    let mut t = Lab::new(1);
    login(&mut t, 0);
    t.cmd(0, "s SELECT INBOX");
    t.cmd(0, "f STORE 2:3 +FLAGS.SILENT (\\Deleted)");
    // §3.1.5 example: the hits and, after them, their highest mod-sequence.
    assert_eq!(
        t.cmd(0, "a SEARCH MODSEQ 5"),
        "* SEARCH 2 3 (MODSEQ 6)\r\na OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(
            0,
            "a1 UID SEARCH MODSEQ \"/flags/\\\\draft\" all 6 NOT DELETED"
        ),
        "* SEARCH\r\na1 OK UID SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "a2 SEARCH OR MODSEQ 6 SEEN"),
        "* SEARCH 3 (MODSEQ 6)\r\na2 OK SEARCH completed\r\n"
    );
    assert!(
        t.cmd(0, "a3 SEARCH MODSEQ \"/flags/\\\\seen\" bogus 1")
            .starts_with("a3 BAD")
    );
    // Every change bumps HIGHESTMODSEQ: APPEND, then EXPUNGE (one per message).
    let r = t.raw(0, b"p APPEND INBOX {6+}\r\nHello!\r\n");
    assert!(r.contains("p OK [APPENDUID"), "{r}");
    assert!(
        t.cmd(0, "q STATUS INBOX (HIGHESTMODSEQ)")
            .contains("(HIGHESTMODSEQ 7)")
    );
    assert!(t.cmd(0, "x EXPUNGE").contains("x OK"));
    assert!(
        t.cmd(0, "r STATUS INBOX (HIGHESTMODSEQ)")
            .contains("(HIGHESTMODSEQ 9)")
    );
    let r = t.cmd(0, "s2 SELECT INBOX");
    assert!(r.contains("[HIGHESTMODSEQ 9]"), "{r}");
}

/// The client side reads what a CONDSTORE server sends.
#[test]
fn client_parses_condstore_responses() {
    assert_eq!(
        parse_response(b"* SEARCH 2 5 6 (MODSEQ 917162500)").unwrap(),
        Response::SearchModseq(vec![2, 5, 6], 917_162_500)
    );
    assert_eq!(
        parse_response(b"* 4 FETCH (UID 9 MODSEQ (12121231000))").unwrap(),
        Response::Fetch {
            seq: 4,
            items: vec![FetchData::Uid(9), FetchData::Modseq(12_121_231_000)],
        }
    );
    assert_eq!(
        parse_response(b"* OK [HIGHESTMODSEQ 715194045007] Highest").unwrap(),
        Response::untagged(
            Status::Ok,
            Some(Code::HighestModseq(715_194_045_007)),
            "Highest"
        )
    );
    let modified = parse_response(b"d105 OK [MODIFIED 7,9] Conditional STORE failed").unwrap();
    let want = Response::tagged(
        "d105",
        Status::Ok,
        Some(Code::Modified(SequenceSet::of(&[7, 9]))),
        "Conditional STORE failed",
    );
    assert_eq!(modified, want);
    assert_eq!(
        parse_response(&want.to_bytes()).unwrap().to_bytes(),
        want.to_bytes()
    );
    assert!(parse_response(b"* SEARCH 1 (FOO 3)").is_err());
}
