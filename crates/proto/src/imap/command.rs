//! IMAP4rev1 commands (RFC 3501 §6) and their parser, plus the extensions the
//! server advertises: IDLE (RFC 2177), MOVE (RFC 6851), UIDPLUS (RFC 4315),
//! UNSELECT (RFC 3691), LITERAL+ (RFC 7888), NAMESPACE (RFC 2342), ID
//! (RFC 2971), ENABLE (RFC 5161) and CONDSTORE (RFC 7162: the `CONDSTORE`
//! SELECT parameter, `CHANGEDSINCE`, `UNCHANGEDSINCE`, `MODSEQ`,
//! `HIGHESTMODSEQ`).

use core::fmt;

use serde::{Deserialize, Serialize};

use super::fetch::FetchAttr;
use super::parse::{Lexer, ParseError};
use super::search::SearchKey;
use super::types::{Flag, MailboxName, SequenceSet, parse_date_time, parse_flag_list};

/// How STORE changes flags (RFC 3501 §6.4.6).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreMode {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// A STATUS data item (RFC 3501 §6.3.10).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusItem {
    /// `MESSAGES`.
    Messages,
    /// `RECENT`.
    Recent,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `HIGHESTMODSEQ` (RFC 7162 §3.1.8).
    HighestModseq,
}

impl StatusItem {
    /// The item's wire name.
    pub fn name(self) -> &'static str {
        match self {
            StatusItem::Messages => "MESSAGES",
            StatusItem::Recent => "RECENT",
            StatusItem::UidNext => "UIDNEXT",
            StatusItem::UidValidity => "UIDVALIDITY",
            StatusItem::Unseen => "UNSEEN",
            StatusItem::HighestModseq => "HIGHESTMODSEQ",
        }
    }
}

/// What a command asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommandKind {
    /// `CAPABILITY`.
    Capability,
    /// `NOOP`.
    Noop,
    /// `LOGOUT`.
    Logout,
    /// `LOGIN user password`.
    Login {
        /// User name.
        user: String,
        /// Password (never shown in notes).
        password: String,
    },
    /// `AUTHENTICATE mechanism` (no mechanisms are offered).
    Authenticate(String),
    /// `STARTTLS` (not offered in the lab).
    StartTls,
    /// `SELECT mailbox [(CONDSTORE)]`; `true` with the CONDSTORE parameter
    /// (RFC 7162 §3.1.8).
    Select(MailboxName, bool),
    /// `EXAMINE mailbox [(CONDSTORE)]` (read-only SELECT).
    Examine(MailboxName, bool),
    /// `CREATE mailbox`.
    Create(MailboxName),
    /// `DELETE mailbox`.
    Delete(MailboxName),
    /// `RENAME from to`.
    Rename(MailboxName, MailboxName),
    /// `SUBSCRIBE mailbox`.
    Subscribe(MailboxName),
    /// `UNSUBSCRIBE mailbox`.
    Unsubscribe(MailboxName),
    /// `LIST reference pattern`.
    List(String, String),
    /// `LSUB reference pattern`.
    Lsub(String, String),
    /// `STATUS mailbox (items)`.
    Status(MailboxName, Vec<StatusItem>),
    /// `APPEND mailbox [(flags)] [date-time] literal`.
    Append {
        /// Target mailbox.
        mailbox: MailboxName,
        /// Initial flags.
        flags: Vec<Flag>,
        /// Internal date (unix seconds), if given.
        date: Option<i64>,
        /// The message.
        message: Vec<u8>,
    },
    /// `CHECK`.
    Check,
    /// `CLOSE`.
    Close,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `EXPUNGE`, or `UID EXPUNGE set` (RFC 4315) with a set.
    Expunge(Option<SequenceSet>),
    /// `[UID] SEARCH [CHARSET x] keys`.
    Search {
        /// UID SEARCH.
        uid: bool,
        /// The criteria, ANDed.
        key: SearchKey,
    },
    /// `[UID] FETCH set items [(CHANGEDSINCE n)]`.
    Fetch {
        /// UID FETCH.
        uid: bool,
        /// Which messages.
        set: SequenceSet,
        /// What to return.
        items: Vec<FetchAttr>,
        /// `CHANGEDSINCE n` (RFC 7162 §3.1.4.1): only messages whose
        /// mod-sequence is above `n`.
        changed_since: Option<u64>,
    },
    /// `[UID] STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] (flags)`.
    Store {
        /// UID STORE.
        uid: bool,
        /// Which messages.
        set: SequenceSet,
        /// `UNCHANGEDSINCE n` (RFC 7162 §3.1.3): leave alone the messages
        /// changed after `n` (reported in `[MODIFIED set]`).
        unchanged_since: Option<u64>,
        /// Replace, add or remove.
        mode: StoreMode,
        /// `.SILENT`: no untagged FETCH back.
        silent: bool,
        /// The flags.
        flags: Vec<Flag>,
    },
    /// `[UID] COPY set mailbox`.
    Copy {
        /// UID COPY.
        uid: bool,
        /// Which messages.
        set: SequenceSet,
        /// Destination.
        mailbox: MailboxName,
    },
    /// `[UID] MOVE set mailbox` (RFC 6851).
    Move {
        /// UID MOVE.
        uid: bool,
        /// Which messages.
        set: SequenceSet,
        /// Destination.
        mailbox: MailboxName,
    },
    /// `IDLE` (RFC 2177), ended by `DONE`.
    Idle,
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `ID (field value ...)` or `ID NIL` (RFC 2971): the client's
    /// name and version, for the log.
    Id(Vec<(String, Option<String>)>),
    /// `ENABLE capability ...` (RFC 5161).
    Enable(Vec<String>),
}

impl CommandKind {
    /// The command's name as a client writes it (`UID FETCH`, `SELECT`).
    pub fn name(&self) -> &'static str {
        use CommandKind::*;
        match self {
            Capability => "CAPABILITY",
            Noop => "NOOP",
            Logout => "LOGOUT",
            Login { .. } => "LOGIN",
            Authenticate(_) => "AUTHENTICATE",
            StartTls => "STARTTLS",
            Select(..) => "SELECT",
            Examine(..) => "EXAMINE",
            Create(_) => "CREATE",
            Delete(_) => "DELETE",
            Rename(..) => "RENAME",
            Subscribe(_) => "SUBSCRIBE",
            Unsubscribe(_) => "UNSUBSCRIBE",
            List(..) => "LIST",
            Lsub(..) => "LSUB",
            Status(..) => "STATUS",
            Append { .. } => "APPEND",
            Check => "CHECK",
            Close => "CLOSE",
            Unselect => "UNSELECT",
            Expunge(None) => "EXPUNGE",
            Expunge(Some(_)) => "UID EXPUNGE",
            Search { uid: false, .. } => "SEARCH",
            Search { uid: true, .. } => "UID SEARCH",
            Fetch { uid: false, .. } => "FETCH",
            Fetch { uid: true, .. } => "UID FETCH",
            Store { uid: false, .. } => "STORE",
            Store { uid: true, .. } => "UID STORE",
            Copy { uid: false, .. } => "COPY",
            Copy { uid: true, .. } => "UID COPY",
            Move { uid: false, .. } => "MOVE",
            Move { uid: true, .. } => "UID MOVE",
            Idle => "IDLE",
            Namespace => "NAMESPACE",
            Id(_) => "ID",
            Enable(_) => "ENABLE",
        }
    }
}

/// A tagged command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// The client's tag, echoed in the completion reply.
    pub tag: String,
    /// What is asked.
    pub kind: CommandKind,
}

impl fmt::Display for Command {
    /// `a1 SELECT` — the tag and name only (never a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.tag, self.kind.name())
    }
}

/// Reads the tag at the start of a command line, if there is one.
pub(crate) fn peek_tag(buf: &[u8]) -> Option<String> {
    let mut l = Lexer::new(buf);
    let tag = l.tag().ok()?;
    l.eat(b' ').then_some(tag)
}

impl Command {
    /// Parses one complete command (literals inline, optional trailing CRLF).
    ///
    /// # Errors
    /// [`ParseError`] says what was expected where; the session answers BAD.
    pub fn parse(buf: &[u8]) -> Result<Command, ParseError> {
        let mut l = Lexer::new(buf);
        let tag = l.tag()?;
        l.sp()?;
        let kind = parse_kind(&mut l)?;
        l.finish()?;
        Ok(Command { tag, kind })
    }
}

fn parse_kind(l: &mut Lexer<'_>) -> Result<CommandKind, ParseError> {
    use CommandKind::*;
    let at = l.pos();
    let name = l.atom()?.to_ascii_uppercase();
    let mailbox = |l: &mut Lexer<'_>| -> Result<MailboxName, ParseError> {
        l.sp()?;
        MailboxName::parse(l)
    };
    let set = |l: &mut Lexer<'_>| -> Result<SequenceSet, ParseError> {
        l.sp()?;
        SequenceSet::parse(l)
    };
    let kind = match name.as_str() {
        "CAPABILITY" => Capability,
        "NOOP" => Noop,
        "LOGOUT" => Logout,
        "STARTTLS" => StartTls,
        "CHECK" => Check,
        "CLOSE" => Close,
        "UNSELECT" => Unselect,
        "EXPUNGE" => Expunge(None),
        "IDLE" => Idle,
        "NAMESPACE" => Namespace,
        "ID" => {
            l.sp()?;
            let mut fields = Vec::new();
            if !l.eat_word("NIL") {
                l.expect(b'(', "( or NIL after ID")?;
                while !l.eat(b')') {
                    if !fields.is_empty() {
                        l.sp()?;
                    }
                    let field = String::from_utf8_lossy(&l.string()?).into_owned();
                    l.sp()?;
                    let value = l
                        .nstring()?
                        .map(|v| String::from_utf8_lossy(&v).into_owned());
                    fields.push((field, value));
                    // RFC 2971 §3.3: at most 30 field-value pairs.
                    if fields.len() > 30 {
                        return Err(ParseError::Invalid(
                            "ID takes at most 30 field-value pairs".into(),
                        ));
                    }
                }
            }
            Id(fields)
        }
        "ENABLE" => {
            let mut caps = Vec::new();
            while l.eat(b' ') {
                caps.push(l.atom()?.to_ascii_uppercase());
            }
            if caps.is_empty() {
                return Err(ParseError::Expected {
                    expected: "a capability to enable",
                    at: l.pos(),
                });
            }
            Enable(caps)
        }
        "LOGIN" => {
            l.sp()?;
            let user = l.astring()?;
            l.sp()?;
            let password = l.astring()?;
            Login { user, password }
        }
        "AUTHENTICATE" => {
            l.sp()?;
            let m = l.atom()?;
            // An initial response (RFC 4959) may follow; it is ignored.
            if l.eat(b' ') {
                l.text();
            }
            Authenticate(m)
        }
        "SELECT" => {
            let m = mailbox(l)?;
            Select(m, select_params(l)?)
        }
        "EXAMINE" => {
            let m = mailbox(l)?;
            Examine(m, select_params(l)?)
        }
        "CREATE" => Create(mailbox(l)?),
        "DELETE" => Delete(mailbox(l)?),
        "SUBSCRIBE" => Subscribe(mailbox(l)?),
        "UNSUBSCRIBE" => Unsubscribe(mailbox(l)?),
        "RENAME" => {
            let from = mailbox(l)?;
            Rename(from, mailbox(l)?)
        }
        "LIST" | "LSUB" => {
            l.sp()?;
            let reference = l.astring()?;
            l.sp()?;
            let pattern = l.list_mailbox()?;
            if name == "LIST" {
                List(reference, pattern)
            } else {
                Lsub(reference, pattern)
            }
        }
        "STATUS" => {
            let m = mailbox(l)?;
            l.sp()?;
            l.expect(b'(', "( before the status items")?;
            let mut items = Vec::new();
            loop {
                let at = l.pos();
                let w = l.atom()?.to_ascii_uppercase();
                items.push(match w.as_str() {
                    "MESSAGES" => StatusItem::Messages,
                    "RECENT" => StatusItem::Recent,
                    "UIDNEXT" => StatusItem::UidNext,
                    "UIDVALIDITY" => StatusItem::UidValidity,
                    "UNSEEN" => StatusItem::Unseen,
                    "HIGHESTMODSEQ" => StatusItem::HighestModseq,
                    _ => {
                        return Err(ParseError::Invalid(format!(
                            "{w} is not a STATUS item (offset {at})"
                        )));
                    }
                });
                if l.eat(b')') {
                    break;
                }
                l.sp()?;
            }
            Status(m, items)
        }
        "APPEND" => {
            let m = mailbox(l)?;
            l.sp()?;
            let flags = if l.peek() == Some(b'(') {
                let f = parse_flag_list(l, true)?;
                l.sp()?;
                f
            } else {
                Vec::new()
            };
            let date = if l.peek() == Some(b'"') {
                let at = l.pos();
                let text = String::from_utf8_lossy(&l.quoted()?).into_owned();
                let d = parse_date_time(&text).ok_or_else(|| {
                    ParseError::Invalid(format!(
                        "{text} is not a date-time like \"17-Jul-1996 02:44:25 -0700\" (offset {at})"
                    ))
                })?;
                l.sp()?;
                Some(d)
            } else {
                None
            };
            let message = l.literal()?;
            Append {
                mailbox: m,
                flags,
                date,
                message,
            }
        }
        "SEARCH" => parse_search(l, false)?,
        "FETCH" => parse_fetch(l, false)?,
        "STORE" => parse_store(l, false)?,
        "COPY" => Copy {
            uid: false,
            set: set(l)?,
            mailbox: mailbox(l)?,
        },
        "MOVE" => Move {
            uid: false,
            set: set(l)?,
            mailbox: mailbox(l)?,
        },
        "UID" => {
            l.sp()?;
            let at = l.pos();
            let sub = l.atom()?.to_ascii_uppercase();
            match sub.as_str() {
                "SEARCH" => parse_search(l, true)?,
                "FETCH" => parse_fetch(l, true)?,
                "STORE" => parse_store(l, true)?,
                "COPY" => Copy {
                    uid: true,
                    set: set(l)?,
                    mailbox: mailbox(l)?,
                },
                "MOVE" => Move {
                    uid: true,
                    set: set(l)?,
                    mailbox: mailbox(l)?,
                },
                "EXPUNGE" => Expunge(Some(set(l)?)),
                _ => {
                    return Err(ParseError::Invalid(format!(
                        "UID {sub} is not a command; UID goes with FETCH, STORE, COPY, MOVE, SEARCH or EXPUNGE (offset {at})"
                    )));
                }
            }
        }
        _ => {
            let _ = at;
            return Err(ParseError::UnknownCommand(name));
        }
    };
    Ok(kind)
}

/// `SELECT`/`EXAMINE` parameters (RFC 4466 §2.1): only `CONDSTORE`.
fn select_params(l: &mut Lexer<'_>) -> Result<bool, ParseError> {
    if !l.eat(b' ') {
        return Ok(false);
    }
    l.expect(b'(', "( before the SELECT parameters")?;
    let at = l.pos();
    let p = l.atom()?.to_ascii_uppercase();
    if p != "CONDSTORE" {
        return Err(ParseError::Invalid(format!(
            "{p} is not a SELECT parameter; the server knows CONDSTORE (offset {at})"
        )));
    }
    l.expect(b')', ") after the SELECT parameters")?;
    Ok(true)
}

/// `(NAME n)`: a FETCH or STORE modifier with a mod-sequence (RFC 7162).
fn modseq_modifier(l: &mut Lexer<'_>, name: &str) -> Result<u64, ParseError> {
    l.expect(b'(', "( before the modifier")?;
    let at = l.pos();
    let w = l.atom()?.to_ascii_uppercase();
    if w != name {
        return Err(ParseError::Invalid(format!(
            "{w} is not a modifier here; expected {name} (offset {at})"
        )));
    }
    l.sp()?;
    let n = l.number64()?;
    l.expect(b')', ") after the modifier")?;
    Ok(n)
}

fn parse_search(l: &mut Lexer<'_>, uid: bool) -> Result<CommandKind, ParseError> {
    l.sp()?;
    if l.eat_word("CHARSET") {
        l.sp()?;
        let cs = l.astring()?;
        if !cs.eq_ignore_ascii_case("US-ASCII") && !cs.eq_ignore_ascii_case("UTF-8") {
            return Err(ParseError::Invalid(format!(
                "charset {cs} is not supported"
            )));
        }
        l.sp()?;
    }
    Ok(CommandKind::Search {
        uid,
        key: SearchKey::parse_all(l)?,
    })
}

fn parse_fetch(l: &mut Lexer<'_>, uid: bool) -> Result<CommandKind, ParseError> {
    l.sp()?;
    let set = SequenceSet::parse(l)?;
    l.sp()?;
    let mut items = FetchAttr::parse_list(l)?;
    // RFC 3501 §6.4.8: UID FETCH always returns the UID.
    if uid && !items.contains(&FetchAttr::Uid) {
        items.insert(0, FetchAttr::Uid);
    }
    let changed_since = if l.eat(b' ') {
        let n = modseq_modifier(l, "CHANGEDSINCE")?;
        // RFC 7162 §3.1.4.1: CHANGEDSINCE implies MODSEQ.
        if !items.contains(&FetchAttr::Modseq) {
            items.push(FetchAttr::Modseq);
        }
        Some(n)
    } else {
        None
    };
    Ok(CommandKind::Fetch {
        uid,
        set,
        items,
        changed_since,
    })
}

fn parse_store(l: &mut Lexer<'_>, uid: bool) -> Result<CommandKind, ParseError> {
    l.sp()?;
    let set = SequenceSet::parse(l)?;
    l.sp()?;
    let unchanged_since = if l.peek() == Some(b'(') {
        let n = modseq_modifier(l, "UNCHANGEDSINCE")?;
        l.sp()?;
        Some(n)
    } else {
        None
    };
    let mode = if l.eat(b'+') {
        StoreMode::Add
    } else if l.eat(b'-') {
        StoreMode::Remove
    } else {
        StoreMode::Replace
    };
    let silent = if l.eat_word("FLAGS.SILENT") {
        true
    } else if l.eat_word("FLAGS") {
        false
    } else {
        return Err(ParseError::Expected {
            expected: "FLAGS, +FLAGS or -FLAGS (optionally .SILENT)",
            at: l.pos(),
        });
    };
    l.sp()?;
    let flags = parse_flag_list(l, false)?;
    if flags.contains(&Flag::Recent) {
        return Err(ParseError::Invalid("\\Recent cannot be stored".into()));
    }
    Ok(CommandKind::Store {
        uid,
        set,
        unchanged_since,
        mode,
        silent,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::fetch::{Section, SectionKind};

    fn kind(s: &str) -> CommandKind {
        Command::parse(s.as_bytes()).unwrap().kind
    }

    #[test]
    fn simple_commands() {
        assert_eq!(kind("a1 capability\r\n"), CommandKind::Capability);
        assert_eq!(
            kind("a2 LOGIN akbari \"s3cr\\\"t\""),
            CommandKind::Login {
                user: "akbari".into(),
                password: "s3cr\"t".into()
            }
        );
        assert_eq!(
            kind("x SELECT inbox"),
            CommandKind::Select(MailboxName::new("INBOX"), false)
        );
        assert_eq!(
            kind("x RENAME \"Old Stuff\" {3}\r\nNew"),
            CommandKind::Rename(MailboxName::new("Old Stuff"), MailboxName::new("New"))
        );
        assert_eq!(
            kind("x LIST \"\" *"),
            CommandKind::List(String::new(), "*".into())
        );
        assert_eq!(
            kind("x LSUB \"\" Work/%"),
            CommandKind::Lsub(String::new(), "Work/%".into())
        );
        assert_eq!(
            kind("x STATUS Drafts (MESSAGES UIDNEXT UNSEEN)"),
            CommandKind::Status(
                MailboxName::new("Drafts"),
                vec![
                    StatusItem::Messages,
                    StatusItem::UidNext,
                    StatusItem::Unseen
                ]
            )
        );
        assert_eq!(
            kind("x uid expunge 3:5"),
            CommandKind::Expunge(Some(SequenceSet(vec![(
                crate::imap::types::SeqNum::Value(3),
                crate::imap::types::SeqNum::Value(5)
            )])))
        );
    }

    #[test]
    fn append_with_flags_date_and_literal() {
        let k = kind("a APPEND Sent (\\Seen) \" 7-Jul-1996 02:44:25 -0700\" {5+}\r\nhello");
        let CommandKind::Append {
            mailbox,
            flags,
            date,
            message,
        } = k
        else {
            panic!()
        };
        assert_eq!(mailbox.as_str(), "Sent");
        assert_eq!(flags, vec![Flag::Seen]);
        assert!(date.is_some());
        assert_eq!(message, b"hello");
    }

    #[test]
    fn uid_fetch_and_store() {
        let CommandKind::Fetch {
            uid, set, items, ..
        } = kind("a UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM)])")
        else {
            panic!()
        };
        assert!(uid);
        assert_eq!(set, SequenceSet::all());
        assert_eq!(items[0], FetchAttr::Uid);
        assert_eq!(
            items[2],
            FetchAttr::Section {
                section: Section::of(SectionKind::HeaderFields(vec!["FROM".into()])),
                partial: None,
                peek: true
            }
        );
        assert_eq!(
            kind("a STORE 2 +FLAGS.SILENT (\\Deleted)"),
            CommandKind::Store {
                uid: false,
                set: SequenceSet::single(2),
                unchanged_since: None,
                mode: StoreMode::Add,
                silent: true,
                flags: vec![Flag::Deleted]
            }
        );
        assert!(
            matches!(kind("a STORE 2 FLAGS \\Seen \\Flagged"), CommandKind::Store { ref flags, .. } if flags.len() == 2)
        );
        assert!(matches!(
            kind("a UID MOVE 4 Archive"),
            CommandKind::Move { uid: true, .. }
        ));
        assert!(matches!(
            kind("a SEARCH CHARSET UTF-8 UNSEEN"),
            CommandKind::Search { uid: false, .. }
        ));
    }

    #[test]
    fn syntax_errors() {
        for s in [
            "",
            "a",
            "a ",
            "+ NOOP",
            "a FROB",
            "a NOOP extra",
            "a LOGIN akbari",
            "a SELECT",
            "a FETCH 0 FLAGS",
            "a FETCH 1",
            "a STORE 1 FLAGS (\\Recent)",
            "a STORE 1 XFLAGS (\\Seen)",
            "a UID FROB 1",
            "a APPEND INBOX {10}\r\nshort",
            "a APPEND INBOX \"bad date\" {1}\r\nx",
            "a STATUS INBOX (FOO)",
            "a SEARCH CHARSET KOI8-R ALL",
        ] {
            assert!(Command::parse(s.as_bytes()).is_err(), "{s:?}");
        }
        assert_eq!(peek_tag(b"a7 FROB"), Some("a7".into()));
        assert_eq!(peek_tag(b"*"), None);
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = Command::parse(&bytes);
        }

        #[test]
        fn parser_never_panics_on_commandish(s in "[a-z0-9]{1,3} (UID )?(FETCH|STORE|SEARCH|LIST|APPEND|STATUS) [ -~]{0,60}") {
            let _ = Command::parse(s.as_bytes());
        }
    }
}
