//! Transcript tests of the extensions real clients expect, after the RFC
//! examples: NAMESPACE (RFC 2342 §5), ID (RFC 2971 §3.4), ENABLE (RFC 5161
//! §3.1), UNSELECT (RFC 3691), UIDPLUS (RFC 4315 §3), MOVE (RFC 6851 §4.4),
//! CHILDREN and SPECIAL-USE (RFC 6154 §5.1), folder names (RFC 3501 §5.1),
//! FETCH partials, nested BODYSTRUCTURE and SEARCH keys (RFC 3501 §6.4).

use super::server_tests::Lab;

#[test]
fn namespace_id_enable() {
    let mut t = Lab::new(1);
    // RFC 2971 §3.4: ID is valid in every state.
    assert_eq!(
        t.cmd(0, "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")"),
        "* ID (\"name\" \"lanlab\" \"vendor\" \"lanlab\")\r\na023 OK ID completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "a024 ID NIL"),
        "* ID (\"name\" \"lanlab\" \"vendor\" \"lanlab\")\r\na024 OK ID completed\r\n"
    );
    assert!(
        t.cmd(0, "a NAMESPACE")
            .starts_with("a BAD NAMESPACE not allowed")
    );
    t.cmd(0, "l LOGIN akbari secret");
    // RFC 2342 §5 example 5.1: a personal namespace only.
    assert_eq!(
        t.cmd(0, "A001 NAMESPACE"),
        "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nA001 OK NAMESPACE completed\r\n"
    );
    // RFC 5161 §3.1: ENABLED lists only what was enabled (nothing here).
    assert_eq!(
        t.cmd(0, "t0 ENABLE X-GOOD-IDEA"),
        "* ENABLED\r\nt0 OK ENABLE completed\r\n"
    );
    // CONDSTORE changes what the server sends (RFC 7162 §3.1), once.
    assert_eq!(
        t.cmd(0, "t1 ENABLE CONDSTORE X-GOOD-IDEA"),
        "* ENABLED CONDSTORE\r\nt1 OK ENABLE completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "t1b ENABLE CONDSTORE"),
        "* ENABLED\r\nt1b OK ENABLE completed\r\n"
    );
    assert!(t.cmd(0, "t2 ENABLE").starts_with("t2 BAD syntax error"));
    t.cmd(0, "s SELECT INBOX");
    assert!(t.cmd(0, "t3 ENABLE UTF8=ACCEPT").starts_with(
        "t3 BAD ENABLE not allowed in the selected state: ENABLE comes before SELECT"
    ));
}

#[test]
fn folder_names_any_string_can_carry() {
    let mut t = Lab::new(1);
    t.cmd(0, "l LOGIN akbari secret");
    assert_eq!(
        t.cmd(0, "c1 CREATE \"__test/\\\"foobar\\\"\""),
        "c1 OK CREATE completed\r\n"
    );
    // RFC 3501 §6.3.3: the parent exists too, so LIST shows it.
    let r = t.cmd(0, "c2 LIST \"\" \"__test*\"");
    assert_eq!(
        r,
        "* LIST (\\HasChildren) \"/\" __test\r\n* LIST (\\HasNoChildren) \"/\" \"__test/\\\"foobar\\\"\"\r\nc2 OK LIST completed\r\n"
    );
    assert_eq!(t.cmd(0, "c3 CREATE a/b/c"), "c3 OK CREATE completed\r\n");
    assert_eq!(
        t.cmd(0, "c4 LIST \"\" a*"),
        "* LIST (\\HasChildren) \"/\" a\r\n* LIST (\\HasChildren) \"/\" a/b\r\n* LIST (\\HasNoChildren) \"/\" a/b/c\r\nc4 OK LIST completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "c5 LIST a/ %"),
        "* LIST (\\HasChildren) \"/\" a/b\r\nc5 OK LIST completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "c6 LIST \"\" a/%/c"),
        "* LIST (\\HasNoChildren) \"/\" a/b/c\r\nc6 OK LIST completed\r\n"
    );
    // A literal, a backslash, spaces.
    assert_eq!(
        t.cmd(0, "c7 CREATE {9+}\r\nx\\y z [1]"),
        "c7 OK CREATE completed\r\n"
    );
    assert!(
        t.cmd(0, "c8 LIST \"\" x*")
            .contains("* LIST (\\HasNoChildren) \"/\" \"x\\\\y z [1]\"\r\n")
    );
    // Modified UTF-7 (RFC 3501 §5.1.3) passes through; raw UTF-8 is encoded.
    assert_eq!(
        t.cmd(0, "c9 CREATE &U,BTFw-/&ZeVnLIqe-"),
        "c9 OK CREATE completed\r\n"
    );
    assert_eq!(
        t.raw(0, "d1 CREATE {9}\r\nEntwürfe\r\n".as_bytes()),
        "+ Ready for literal data\r\nd1 OK CREATE completed\r\n"
    );
    let r = t.cmd(0, "d2 LIST \"\" *");
    assert!(
        r.contains(" &U,BTFw-/&ZeVnLIqe-\r\n") && r.contains(" Entw&APw-rfe\r\n"),
        "{r}"
    );
    assert!(
        t.cmd(0, "d3 CREATE \"a//b\"")
            .starts_with("d3 NO CREATE failed")
    );
    assert!(
        t.cmd(0, "d4 CREATE \"/top\"")
            .starts_with("d4 NO CREATE failed")
    );
    assert!(t.cmd(0, "d5 CREATE \"star*\"").contains("LIST wildcards"));
}

#[test]
fn special_use_and_children() {
    let mut t = Lab::new(1);
    t.cmd(0, "l LOGIN akbari secret");
    t.cmd(0, "c CREATE Drafts");
    t.cmd(0, "c CREATE Junk");
    t.cmd(0, "c CREATE Trash/Old");
    // RFC 6154 §5.1 (the attributes come with a plain LIST).
    let r = t.cmd(0, "t1 LIST \"\" %");
    assert_eq!(
        r,
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n\
         * LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n\
         * LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n\
         * LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n\
         * LIST (\\HasChildren \\Trash) \"/\" Trash\r\n\
         t1 OK LIST completed\r\n"
    );
}

#[test]
fn unselect_uidplus_move() {
    let mut t = Lab::new(1);
    t.login_select(0);
    // RFC 3691: UNSELECT closes without expunging.
    t.cmd(0, "a STORE 1 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(t.cmd(0, "b UNSELECT"), "b OK UNSELECT completed\r\n");
    assert!(
        t.cmd(0, "c FETCH 1 FLAGS")
            .starts_with("c BAD FETCH not allowed")
    );
    t.cmd(0, "s SELECT INBOX");
    assert!(t.cmd(0, "d FETCH 1 FLAGS").contains("\\Deleted"));
    // RFC 4315 §2.1: UID EXPUNGE removes only the given UIDs.
    t.cmd(0, "e STORE 2 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        t.cmd(0, "f UID EXPUNGE 2"),
        "* 2 EXPUNGE\r\nf OK UID EXPUNGE completed\r\n"
    );
    // RFC 4315 §3: COPYUID with the source and destination UIDs.
    let r = t.cmd(0, "g UID COPY 1 Sent");
    assert!(r.starts_with("g OK [COPYUID "), "{r}");
    assert!(r.contains(" 1 1]"), "{r}");
    // RFC 6851 §4.4: MOVE sends COPYUID in an untagged OK, then EXPUNGE.
    let r = t.cmd(0, "h UID MOVE 3 Trash");
    assert!(r.starts_with("* OK [COPYUID "), "{r}");
    assert!(r.contains(" 3 1] "), "{r}");
    assert!(r.contains("* 2 EXPUNGE\r\nh OK"), "{r}");
    let r = t.cmd(0, "i APPEND Trash {5+}\r\nhello");
    assert!(r.starts_with("i OK [APPENDUID "), "{r}");
    assert!(r.contains(" 2] APPEND completed"), "{r}");
}

const NESTED: &str = "From: \"Ann Lee\" <ann@x.org>\r\nSender: desk@x.org\r\nReply-To: ann.home@y.org\r\nTo: akbari@hasan.com, Bo <bo@hasan.com>\r\nCc: cc@hasan.com\r\nBcc: hidden@hasan.com\r\nSubject: Nested\r\nMessage-ID: <n1@x.org>\r\nIn-Reply-To: <n0@x.org>\r\nDate: Tue, 06 Jan 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--outer--\r\n";

#[test]
fn fetch_partial_bodystructure_envelope() {
    let mut t = Lab::new(1);
    let id = t.store.find_login("akbari").unwrap();
    t.store
        .deliver(&id, NESTED, crate::SimTime::from_secs(2))
        .unwrap();
    t.login_select(0);
    // RFC 3501 §6.4.5: "BODY[]<0.20>" answers with the origin only.
    let r = t.cmd(0, "a FETCH 1 BODY.PEEK[]<0.20>");
    assert_eq!(
        r,
        "* 1 FETCH (BODY[]<0> {20}\r\nFrom: Bob <bob@x.org)\r\na OK FETCH completed\r\n"
    );
    let r = t.cmd(0, "b FETCH 1 BODY.PEEK[]<5000.10>");
    assert!(r.starts_with("* 1 FETCH (BODY[]<5000> {0}\r\n)"), "{r}");
    let r = t.cmd(0, "c FETCH 4 BODYSTRUCTURE");
    assert!(
        r.contains("BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\")")
            && r.contains("\"ALTERNATIVE\"")
            && r.contains(
                "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\") NIL NIL \"BASE64\" 4"
            )
            && r.contains("\"MIXED\""),
        "{r}"
    );
    let r = t.cmd(0, "d FETCH 4 ENVELOPE");
    assert!(
        r.contains("ENVELOPE (\"Tue, 06 Jan 2026 09:00:00 +0000\" \"Nested\" ((\"Ann Lee\" NIL \"ann\" \"x.org\")) ((NIL NIL \"desk\" \"x.org\")) ((NIL NIL \"ann.home\" \"y.org\")) ((NIL NIL \"akbari\" \"hasan.com\")(\"Bo\" NIL \"bo\" \"hasan.com\")) ((NIL NIL \"cc\" \"hasan.com\")) ((NIL NIL \"hidden\" \"hasan.com\")) \"<n0@x.org>\" \"<n1@x.org>\")"),
        "{r}"
    );
    let r = t.cmd(0, "e FETCH 4 BODY.PEEK[1.2]");
    assert!(r.contains("BODY[1.2] {11}\r\n<p>html</p>)"), "{r}");
}

#[test]
fn search_keys() {
    let mut t = Lab::new(1);
    t.login_select(0);
    t.cmd(0, "a STORE 2 +FLAGS.SILENT (\\Flagged)");
    let s = |t: &mut Lab, q: &str| t.cmd(0, &format!("x SEARCH {q}"));
    assert_eq!(
        s(&mut t, "OR FLAGGED FROM cy"),
        "* SEARCH 2\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "NOT FROM bob"),
        "* SEARCH 2\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "OR SUBJECT lunch SUBJECT again"),
        "* SEARCH 1 3\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "2:*"),
        "* SEARCH 2 3\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(s(&mut t, "*"), "* SEARCH 3\r\nx OK SEARCH completed\r\n");
    assert_eq!(
        s(&mut t, "1,3 NOT 3"),
        "* SEARCH 1\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "SINCE 1-Jan-2026"),
        "* SEARCH 1 2 3\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "BEFORE 1-Jan-2026"),
        "* SEARCH\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "LARGER 100 SMALLER 160"),
        "* SEARCH 1\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "HEADER To hasan.com"),
        "* SEARCH 1 2\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        s(&mut t, "(OR 1 2) NOT (FLAGGED)"),
        "* SEARCH 1\r\nx OK SEARCH completed\r\n"
    );
    assert_eq!(
        t.cmd(0, "y UID SEARCH UID 2:*"),
        "* SEARCH 2 3\r\ny OK UID SEARCH completed\r\n"
    );
}
