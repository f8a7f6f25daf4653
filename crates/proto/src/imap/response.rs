//! Server responses (RFC 3501 §7) and their wire form.
//!
//! "Status responses are OK, NO, BAD, PREAUTH and BYE. OK, NO, and BAD can be
//! tagged or untagged. PREAUTH and BYE are always untagged." (§7.1)

use core::fmt;

use serde::{Deserialize, Serialize};

use super::command::StatusItem;
use super::message::{Address, BodyStructure, Envelope, quote};
use super::parse::is_atom_char;
use super::types::{Flag, SequenceSet, flag_list, format_date_time};

/// The kind of a status response.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Success.
    Ok,
    /// Operational failure (RFC 3501 §7.1.2).
    No,
    /// Protocol error: unknown command or syntax error (§7.1.3).
    Bad,
    /// Already authenticated (§7.1.4).
    PreAuth,
    /// The server is closing the connection (§7.1.5).
    Bye,
}

impl Status {
    /// `OK`, `NO`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::No => "NO",
            Status::Bad => "BAD",
            Status::PreAuth => "PREAUTH",
            Status::Bye => "BYE",
        }
    }
}

/// A response code in brackets (RFC 3501 §7.1 and extensions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Code {
    /// `[ALERT]`: show the text to the user.
    Alert,
    /// `[CAPABILITY ...]`.
    Capability(Vec<String>),
    /// `[PARSE]`: a message could not be parsed.
    Parse,
    /// `[PERMANENTFLAGS (...)]`; `\*` is always included.
    PermanentFlags(Vec<Flag>),
    /// `[READ-ONLY]`.
    ReadOnly,
    /// `[READ-WRITE]`.
    ReadWrite,
    /// `[TRYCREATE]`: the target mailbox does not exist.
    TryCreate,
    /// `[UIDNEXT n]`.
    UidNext(u32),
    /// `[UIDVALIDITY n]`.
    UidValidity(u32),
    /// `[UNSEEN n]`: first unseen message.
    Unseen(u32),
    /// `[APPENDUID validity uid]` (RFC 4315).
    AppendUid(u32, u32),
    /// `[COPYUID validity from to]` (RFC 4315).
    CopyUid(u32, SequenceSet, SequenceSet),
    /// `[CLOSED]` (RFC 7162): the previous mailbox is closed.
    Closed,
    /// `[TOOBIG]` (RFC 4469): a literal exceeded the limit.
    TooBig,
    /// `[HIGHESTMODSEQ n]` (RFC 7162 §3.1.2.1): the mailbox's highest
    /// mod-sequence.
    HighestModseq(u64),
    /// `[NOMODSEQ]` (RFC 7162 §3.1.2.2): the mailbox keeps no mod-sequences.
    NoModseq,
    /// `[MODIFIED set]` (RFC 7162 §3.1.3): messages a conditional STORE
    /// left alone because they changed after UNCHANGEDSINCE.
    Modified(SequenceSet),
    /// Any other code, kept as text (client side).
    Other(String),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Alert => f.write_str("ALERT"),
            Code::Capability(c) => write!(f, "CAPABILITY {}", c.join(" ")),
            Code::Parse => f.write_str("PARSE"),
            Code::PermanentFlags(fl) => {
                let mut s = flag_list(fl);
                s.insert_str(s.len() - 1, if fl.is_empty() { "\\*" } else { " \\*" });
                write!(f, "PERMANENTFLAGS {s}")
            }
            Code::ReadOnly => f.write_str("READ-ONLY"),
            Code::ReadWrite => f.write_str("READ-WRITE"),
            Code::TryCreate => f.write_str("TRYCREATE"),
            Code::UidNext(n) => write!(f, "UIDNEXT {n}"),
            Code::UidValidity(n) => write!(f, "UIDVALIDITY {n}"),
            Code::Unseen(n) => write!(f, "UNSEEN {n}"),
            Code::AppendUid(v, u) => write!(f, "APPENDUID {v} {u}"),
            Code::CopyUid(v, a, b) => write!(f, "COPYUID {v} {a} {b}"),
            Code::Closed => f.write_str("CLOSED"),
            Code::TooBig => f.write_str("TOOBIG"),
            Code::HighestModseq(n) => write!(f, "HIGHESTMODSEQ {n}"),
            Code::NoModseq => f.write_str("NOMODSEQ"),
            Code::Modified(set) => write!(f, "MODIFIED {set}"),
            Code::Other(s) => f.write_str(s),
        }
    }
}

/// One data item of an untagged FETCH response (RFC 3501 §7.4.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchData {
    /// `FLAGS (...)`.
    Flags(Vec<Flag>),
    /// `UID n`.
    Uid(u32),
    /// `INTERNALDATE "..."`, from unix seconds.
    InternalDate(i64),
    /// `RFC822.SIZE n`.
    Size(u64),
    /// `MODSEQ (n)` (RFC 7162 §3.1.4).
    Modseq(u64),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope>),
    /// `BODYSTRUCTURE (...)` or, with `false`, `BODY (...)`.
    Structure(BodyStructure, bool),
    /// `BODY[section]<origin> data`, `RFC822 data`, …: the label as echoed.
    Bytes {
        /// `BODY[TEXT]`, `BODY[]<0>`, `RFC822.HEADER`, …
        label: String,
        /// The octets, or `None` for NIL.
        data: Option<Vec<u8>>,
    },
}

/// A server response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    /// A status response, tagged (completion) or untagged (`*`).
    Status {
        /// The command's tag; `None` for `*`.
        tag: Option<String>,
        /// OK/NO/BAD/PREAUTH/BYE.
        status: Status,
        /// Optional `[code]`.
        code: Option<Code>,
        /// Human-readable text.
        text: String,
    },
    /// `+ text`: send the rest of the command.
    Continue(String),
    /// `* CAPABILITY ...`.
    Capability(Vec<String>),
    /// `* LIST (attrs) "/" name` or LSUB.
    List {
        /// LSUB instead of LIST.
        lsub: bool,
        /// `\Noselect`, `\HasChildren`, …
        attrs: Vec<String>,
        /// Hierarchy delimiter.
        delimiter: Option<char>,
        /// Mailbox name.
        name: String,
    },
    /// `* STATUS name (items)`.
    StatusData {
        /// Mailbox name.
        mailbox: String,
        /// Item values.
        items: Vec<(StatusItem, u64)>,
    },
    /// `* SEARCH 1 2 3`.
    Search(Vec<u32>),
    /// `* SEARCH 2 5 (MODSEQ 917162500)` (RFC 7162 §3.1.5): the hits of a
    /// search with `MODSEQ`, and the highest mod-sequence among them.
    SearchModseq(Vec<u32>, u64),
    /// `* FLAGS (...)`.
    Flags(Vec<Flag>),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT`.
    Recent(u32),
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* n FETCH (...)`.
    Fetch {
        /// Message sequence number.
        seq: u32,
        /// The data items.
        items: Vec<FetchData>,
    },
    /// Other untagged data, written as given after `* `: `NAMESPACE`
    /// (RFC 2342), `ID` (RFC 2971), `ENABLED` (RFC 5161).
    Data(String),
}

impl Response {
    /// A tagged completion.
    pub fn tagged(tag: &str, status: Status, code: Option<Code>, text: impl Into<String>) -> Self {
        Response::Status {
            tag: Some(tag.to_string()),
            status,
            code,
            text: text.into(),
        }
    }

    /// An untagged status.
    pub fn untagged(status: Status, code: Option<Code>, text: impl Into<String>) -> Self {
        Response::Status {
            tag: None,
            status,
            code,
            text: text.into(),
        }
    }

    /// The wire form, CRLF included.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Response::Status {
                tag,
                status,
                code,
                text,
            } => {
                out.extend_from_slice(tag.as_deref().unwrap_or("*").as_bytes());
                out.push(b' ');
                out.extend_from_slice(status.as_str().as_bytes());
                if let Some(c) = code {
                    out.extend_from_slice(format!(" [{c}]").as_bytes());
                }
                out.push(b' ');
                out.extend_from_slice(one_line(text).as_bytes());
            }
            Response::Continue(text) => {
                out.extend_from_slice(format!("+ {}", one_line(text)).as_bytes());
            }
            Response::Capability(c) => {
                out.extend_from_slice(format!("* CAPABILITY {}", c.join(" ")).as_bytes());
            }
            Response::List {
                lsub,
                attrs,
                delimiter,
                name,
            } => {
                let d = delimiter.map_or("NIL".to_string(), |c| quote(&c.to_string()));
                let kind = if *lsub { "LSUB" } else { "LIST" };
                out.extend_from_slice(format!("* {kind} ({}) {d} ", attrs.join(" ")).as_bytes());
                astring(&mut out, name.as_bytes());
            }
            Response::StatusData { mailbox, items } => {
                out.extend_from_slice(b"* STATUS ");
                astring(&mut out, mailbox.as_bytes());
                let parts: Vec<String> = items
                    .iter()
                    .map(|(i, n)| format!("{} {n}", i.name()))
                    .collect();
                out.extend_from_slice(format!(" ({})", parts.join(" ")).as_bytes());
            }
            Response::Search(ns) => {
                out.extend_from_slice(b"* SEARCH");
                for n in ns {
                    out.extend_from_slice(format!(" {n}").as_bytes());
                }
            }
            Response::SearchModseq(ns, modseq) => {
                out.extend_from_slice(b"* SEARCH");
                for n in ns {
                    out.extend_from_slice(format!(" {n}").as_bytes());
                }
                out.extend_from_slice(format!(" (MODSEQ {modseq})").as_bytes());
            }
            Response::Flags(f) => {
                out.extend_from_slice(format!("* FLAGS {}", flag_list(f)).as_bytes())
            }
            Response::Exists(n) => out.extend_from_slice(format!("* {n} EXISTS").as_bytes()),
            Response::Recent(n) => out.extend_from_slice(format!("* {n} RECENT").as_bytes()),
            Response::Expunge(n) => out.extend_from_slice(format!("* {n} EXPUNGE").as_bytes()),
            Response::Fetch { seq, items } => {
                out.extend_from_slice(format!("* {seq} FETCH (").as_bytes());
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    fetch_item(&mut out, item);
                }
                out.push(b')');
            }
            Response::Data(text) => {
                out.extend_from_slice(format!("* {}", one_line(text)).as_bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
        out
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// Writes an nstring: quoted when safe, a literal otherwise.
pub(crate) fn nstring(out: &mut Vec<u8>, s: Option<&[u8]>) {
    match s {
        None => out.extend_from_slice(b"NIL"),
        Some(b) if b.len() < 200 && b.iter().all(|&c| (0x20..0x7f).contains(&c)) => {
            out.extend_from_slice(quote(&String::from_utf8_lossy(b)).as_bytes());
        }
        Some(b) => literal(out, b),
    }
}

fn literal(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(format!("{{{}}}\r\n", b.len()).as_bytes());
    out.extend_from_slice(b);
}

/// Writes an astring: an atom if possible.
pub(crate) fn astring(out: &mut Vec<u8>, b: &[u8]) {
    if !b.is_empty() && b.iter().all(|&c| is_atom_char(c)) {
        out.extend_from_slice(b);
    } else {
        nstring(out, Some(b));
    }
}

fn opt(out: &mut Vec<u8>, s: &Option<String>) {
    nstring(out, s.as_deref().map(str::as_bytes));
}

fn addresses(out: &mut Vec<u8>, list: &[Address]) {
    if list.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for a in list {
        out.push(b'(');
        opt(out, &a.name);
        out.push(b' ');
        opt(out, &a.adl);
        out.push(b' ');
        opt(out, &a.mailbox);
        out.push(b' ');
        opt(out, &a.host);
        out.push(b')');
    }
    out.push(b')');
}

/// Writes an ENVELOPE's parenthesised list (RFC 3501 §7.4.2).
pub(crate) fn envelope(out: &mut Vec<u8>, e: &Envelope) {
    out.push(b'(');
    opt(out, &e.date);
    out.push(b' ');
    opt(out, &e.subject);
    for list in [&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc] {
        out.push(b' ');
        addresses(out, list);
    }
    out.push(b' ');
    opt(out, &e.in_reply_to);
    out.push(b' ');
    opt(out, &e.message_id);
    out.push(b')');
}

fn fetch_item(out: &mut Vec<u8>, item: &FetchData) {
    match item {
        FetchData::Flags(f) => out.extend_from_slice(format!("FLAGS {}", flag_list(f)).as_bytes()),
        FetchData::Uid(u) => out.extend_from_slice(format!("UID {u}").as_bytes()),
        FetchData::InternalDate(t) => {
            out.extend_from_slice(format!("INTERNALDATE \"{}\"", format_date_time(*t)).as_bytes());
        }
        FetchData::Size(n) => out.extend_from_slice(format!("RFC822.SIZE {n}").as_bytes()),
        FetchData::Modseq(n) => out.extend_from_slice(format!("MODSEQ ({n})").as_bytes()),
        FetchData::Envelope(e) => {
            out.extend_from_slice(b"ENVELOPE ");
            envelope(out, e);
        }
        FetchData::Structure(s, ext) => {
            let name = if *ext { "BODYSTRUCTURE" } else { "BODY" };
            out.extend_from_slice(format!("{name} {}", s.to_imap()).as_bytes());
        }
        FetchData::Bytes { label, data } => {
            out.extend_from_slice(label.as_bytes());
            out.push(b' ');
            match data {
                Some(d) => literal(out, d),
                None => out.extend_from_slice(b"NIL"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(r: Response) -> String {
        String::from_utf8(r.to_bytes()).unwrap()
    }

    #[test]
    fn status_lines_and_codes() {
        assert_eq!(
            wire(Response::tagged(
                "a1",
                Status::Ok,
                Some(Code::ReadWrite),
                "SELECT completed"
            )),
            "a1 OK [READ-WRITE] SELECT completed\r\n"
        );
        assert_eq!(
            wire(Response::untagged(
                Status::Ok,
                Some(Code::PermanentFlags(Flag::SYSTEM.to_vec())),
                "Limited"
            )),
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Limited\r\n"
        );
        assert_eq!(
            wire(Response::untagged(
                Status::Ok,
                Some(Code::UidValidity(3857529045)),
                "UIDs valid"
            )),
            "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
        );
        assert_eq!(
            wire(Response::tagged(
                "b",
                Status::No,
                Some(Code::TryCreate),
                "no\r\nsuch"
            )),
            "b NO [TRYCREATE] no  such\r\n"
        );
        assert_eq!(wire(Response::Continue("Ready".into())), "+ Ready\r\n");
        assert_eq!(wire(Response::Exists(18)), "* 18 EXISTS\r\n");
        assert_eq!(wire(Response::Search(vec![2, 84])), "* SEARCH 2 84\r\n");
        assert_eq!(wire(Response::Search(vec![])), "* SEARCH\r\n");
    }

    #[test]
    fn list_and_status_data() {
        assert_eq!(
            wire(Response::List {
                lsub: false,
                attrs: vec!["\\HasNoChildren".into()],
                delimiter: Some('/'),
                name: "Work Stuff".into()
            }),
            "* LIST (\\HasNoChildren) \"/\" \"Work Stuff\"\r\n"
        );
        assert_eq!(
            wire(Response::StatusData {
                mailbox: "INBOX".into(),
                items: vec![(StatusItem::Messages, 2), (StatusItem::UidNext, 5)]
            }),
            "* STATUS INBOX (MESSAGES 2 UIDNEXT 5)\r\n"
        );
    }

    #[test]
    fn fetch_with_envelope_and_literal() {
        let raw = b"From: Akbari <akbari@hasan.com>\r\nSubject: Hi\r\n\r\nyo\r\n";
        let r = Response::Fetch {
            seq: 1,
            items: vec![
                FetchData::Uid(4),
                FetchData::Flags(vec![Flag::Seen]),
                FetchData::InternalDate(0),
                FetchData::Envelope(Box::new(Envelope::of(raw))),
                FetchData::Bytes {
                    label: "BODY[TEXT]".into(),
                    data: Some(b"yo\r\n".to_vec()),
                },
            ],
        };
        assert_eq!(
            wire(r),
            "* 1 FETCH (UID 4 FLAGS (\\Seen) INTERNALDATE \" 1-Jan-1970 00:00:00 +0000\" ENVELOPE (NIL \"Hi\" ((\"Akbari\" NIL \"akbari\" \"hasan.com\")) ((\"Akbari\" NIL \"akbari\" \"hasan.com\")) ((\"Akbari\" NIL \"akbari\" \"hasan.com\")) NIL NIL NIL NIL NIL) BODY[TEXT] {4}\r\nyo\r\n)\r\n"
        );
    }
}
