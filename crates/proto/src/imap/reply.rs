//! Parsing server responses (RFC 3501 §7, §9 `response`) for the client
//! session: the inverse of [`super::response`], into the same [`Response`].
//! Unknown FETCH items (BODYSTRUCTURE, extensions) are skipped, not fatal.

use super::command::StatusItem;
use super::message::{Address, Envelope};
use super::parse::{Lexer, ParseError};
use super::response::{Code, FetchData, Response, Status};
use super::types::{SequenceSet, parse_date_time, parse_flag_list};

fn text_of(b: Option<Vec<u8>>) -> Option<String> {
    b.map(|v| String::from_utf8_lossy(&v).into_owned())
}

/// Parses one complete response line (literals inline, CRLF optional).
///
/// # Errors
/// [`ParseError`] if the server sent something this client cannot read.
pub fn parse_response(buf: &[u8]) -> Result<Response, ParseError> {
    let mut l = Lexer::new(buf);
    if l.eat(b'+') {
        l.eat(b' ');
        return Ok(Response::Continue(l.text()));
    }
    if l.eat(b'*') {
        l.sp()?;
        return untagged(&mut l);
    }
    let tag = l.tag()?;
    l.sp()?;
    let (status, code, text) = status_rest(&mut l)?;
    Ok(Response::Status {
        tag: Some(tag),
        status,
        code,
        text,
    })
}

fn status_rest(l: &mut Lexer<'_>) -> Result<(Status, Option<Code>, String), ParseError> {
    let status = if l.eat_word("OK") {
        Status::Ok
    } else if l.eat_word("NO") {
        Status::No
    } else if l.eat_word("BAD") {
        Status::Bad
    } else if l.eat_word("PREAUTH") {
        Status::PreAuth
    } else if l.eat_word("BYE") {
        Status::Bye
    } else {
        return Err(ParseError::Expected {
            expected: "OK, NO, BAD, PREAUTH or BYE",
            at: l.pos(),
        });
    };
    l.eat(b' ');
    let code = if l.eat(b'[') { Some(code(l)?) } else { None };
    l.eat(b' ');
    Ok((status, code, l.text()))
}

fn code(l: &mut Lexer<'_>) -> Result<Code, ParseError> {
    let start = l.pos();
    let name = l.atom()?.to_ascii_uppercase();
    let num = |l: &mut Lexer<'_>| -> Result<u32, ParseError> {
        l.sp()?;
        l.number()
    };
    let c = match name.as_str() {
        "ALERT" => Code::Alert,
        "PARSE" => Code::Parse,
        "READ-ONLY" => Code::ReadOnly,
        "READ-WRITE" => Code::ReadWrite,
        "TRYCREATE" => Code::TryCreate,
        "CLOSED" => Code::Closed,
        "TOOBIG" => Code::TooBig,
        "NOMODSEQ" => Code::NoModseq,
        "HIGHESTMODSEQ" => {
            l.sp()?;
            Code::HighestModseq(l.number64()?)
        }
        "MODIFIED" => {
            l.sp()?;
            Code::Modified(SequenceSet::parse(l)?)
        }
        "UIDNEXT" => Code::UidNext(num(l)?),
        "UIDVALIDITY" => Code::UidValidity(num(l)?),
        "UNSEEN" => Code::Unseen(num(l)?),
        "APPENDUID" => {
            let v = num(l)?;
            Code::AppendUid(v, num(l)?)
        }
        "COPYUID" => {
            let v = num(l)?;
            l.sp()?;
            let a = SequenceSet::parse(l)?;
            l.sp()?;
            Code::CopyUid(v, a, SequenceSet::parse(l)?)
        }
        "CAPABILITY" => {
            let mut caps = Vec::new();
            while l.eat(b' ') {
                caps.push(l.atom()?);
            }
            Code::Capability(caps)
        }
        "PERMANENTFLAGS" => {
            l.sp()?;
            let rest = l.rest();
            let end = rest.iter().position(|&b| b == b']').unwrap_or(rest.len());
            let inner = String::from_utf8_lossy(&rest[..end]).replace("\\*", "");
            let inner = inner.replace("( ", "(").replace(" )", ")");
            let flags =
                parse_flag_list(&mut Lexer::new(inner.trim().as_bytes()), true).unwrap_or_default();
            for _ in 0..end {
                l.eat_any();
            }
            Code::PermanentFlags(flags)
        }
        _ => {
            while l.peek().is_some_and(|b| b != b']') {
                l.eat_any();
            }
            Code::Other(String::from_utf8_lossy(&l_slice(l, start)).into_owned())
        }
    };
    l.expect(b']', "] after the response code")?;
    Ok(c)
}

fn l_slice(l: &Lexer<'_>, start: usize) -> Vec<u8> {
    l.consumed_since(start).to_vec()
}

fn untagged(l: &mut Lexer<'_>) -> Result<Response, ParseError> {
    if l.peek().is_some_and(|b| b.is_ascii_digit()) {
        let n = l.number()?;
        l.sp()?;
        if l.eat_word("EXISTS") {
            return Ok(Response::Exists(n));
        }
        if l.eat_word("RECENT") {
            return Ok(Response::Recent(n));
        }
        if l.eat_word("EXPUNGE") {
            return Ok(Response::Expunge(n));
        }
        if l.eat_word("FETCH") {
            l.sp()?;
            return Ok(Response::Fetch {
                seq: n,
                items: fetch_items(l)?,
            });
        }
        return Err(ParseError::Invalid(format!(
            "unknown message data after * {n}"
        )));
    }
    if l.eat_word("CAPABILITY") {
        let mut caps = Vec::new();
        while l.eat(b' ') {
            caps.push(l.atom()?);
        }
        return Ok(Response::Capability(caps));
    }
    if l.eat_word("SEARCH") {
        let mut ns = Vec::new();
        while l.eat(b' ') {
            // RFC 7162 §3.1.5: `(MODSEQ n)` after the hits.
            if l.eat(b'(') {
                if !l.eat_word("MODSEQ") {
                    return Err(ParseError::Expected {
                        expected: "MODSEQ after ( in a SEARCH response",
                        at: l.pos(),
                    });
                }
                l.sp()?;
                let modseq = l.number64()?;
                l.expect(b')', ") after the SEARCH mod-sequence")?;
                return Ok(Response::SearchModseq(ns, modseq));
            }
            ns.push(l.number()?);
        }
        return Ok(Response::Search(ns));
    }
    if l.eat_word("FLAGS") {
        l.sp()?;
        return Ok(Response::Flags(parse_flag_list(l, true)?));
    }
    for (word, lsub) in [("LIST", false), ("LSUB", true)] {
        if l.eat_word(word) {
            l.sp()?;
            l.expect(b'(', "( before the mailbox attributes")?;
            let mut attrs = Vec::new();
            while !l.eat(b')') {
                l.eat(b' ');
                let bs = l.eat(b'\\');
                let a = l.atom()?;
                attrs.push(if bs { format!("\\{a}") } else { a });
            }
            l.sp()?;
            let delimiter = text_of(l.nstring()?).and_then(|d| d.chars().next());
            l.sp()?;
            let name = l.astring()?;
            return Ok(Response::List {
                lsub,
                attrs,
                delimiter,
                name,
            });
        }
    }
    if l.eat_word("STATUS") {
        l.sp()?;
        let mailbox = l.astring()?;
        l.sp()?;
        l.expect(b'(', "( before the status items")?;
        let mut items = Vec::new();
        while !l.eat(b')') {
            l.eat(b' ');
            let name = l.atom()?.to_ascii_uppercase();
            l.sp()?;
            let n = l.number64()?;
            let item = match name.as_str() {
                "MESSAGES" => StatusItem::Messages,
                "RECENT" => StatusItem::Recent,
                "UIDNEXT" => StatusItem::UidNext,
                "UIDVALIDITY" => StatusItem::UidValidity,
                "UNSEEN" => StatusItem::Unseen,
                "HIGHESTMODSEQ" => StatusItem::HighestModseq,
                _ => continue,
            };
            items.push((item, n));
        }
        return Ok(Response::StatusData { mailbox, items });
    }
    for word in ["NAMESPACE", "ID", "ENABLED"] {
        if l.eat_word(word) {
            let rest = l.text();
            return Ok(Response::Data(format!("{word}{rest}")));
        }
    }
    let (status, code, text) = status_rest(l)?;
    Ok(Response::Status {
        tag: None,
        status,
        code,
        text,
    })
}

fn fetch_items(l: &mut Lexer<'_>) -> Result<Vec<FetchData>, ParseError> {
    l.expect(b'(', "( after FETCH")?;
    let mut items = Vec::new();
    loop {
        if l.eat(b')') {
            return Ok(items);
        }
        if !items.is_empty() || l.peek() == Some(b' ') {
            l.eat(b' ');
        }
        let start = l.pos();
        let name = l.atom()?.to_ascii_uppercase();
        if name.starts_with("BODY[") || name.starts_with("BODY.PEEK[") {
            // The section may hold spaces and parentheses: read to the `]`.
            let mut label = String::from_utf8_lossy(&l_slice(l, start)).into_owned();
            if !label.contains(']') {
                while let Some(b) = l.peek() {
                    l.eat_any();
                    label.push(b as char);
                    if b == b']' {
                        break;
                    }
                }
                if l.peek() == Some(b'<') {
                    label.push_str(&String::from_utf8_lossy(&l_slice_until(l, b'>')));
                }
            }
            l.sp()?;
            items.push(FetchData::Bytes {
                label,
                data: l.nstring()?,
            });
            continue;
        }
        l.sp()?;
        match name.as_str() {
            "FLAGS" => items.push(FetchData::Flags(parse_flag_list(l, true)?)),
            "UID" => items.push(FetchData::Uid(l.number()?)),
            "RFC822.SIZE" => items.push(FetchData::Size(l.number64()?)),
            "MODSEQ" => {
                l.expect(b'(', "( before the mod-sequence")?;
                let n = l.number64()?;
                l.expect(b')', ") after the mod-sequence")?;
                items.push(FetchData::Modseq(n));
            }
            "INTERNALDATE" => {
                let t = text_of(l.nstring()?)
                    .and_then(|s| parse_date_time(&s))
                    .unwrap_or(0);
                items.push(FetchData::InternalDate(t));
            }
            "ENVELOPE" => items.push(FetchData::Envelope(Box::new(envelope(l)?))),
            "RFC822" | "RFC822.HEADER" | "RFC822.TEXT" => items.push(FetchData::Bytes {
                label: name,
                data: l.nstring()?,
            }),
            _ => skip_value(l, 0)?,
        }
    }
}

fn l_slice_until(l: &mut Lexer<'_>, end: u8) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(b) = l.peek() {
        l.eat_any();
        out.push(b);
        if b == end {
            break;
        }
    }
    out
}

/// Skips one value: NIL, number, atom, string or parenthesised list.
fn skip_value(l: &mut Lexer<'_>, depth: u32) -> Result<(), ParseError> {
    if depth > 50 {
        return Err(ParseError::Invalid("response nested too deeply".into()));
    }
    match l.peek() {
        Some(b'(') => {
            l.eat(b'(');
            while !l.eat(b')') {
                l.eat(b' ');
                skip_value(l, depth + 1)?;
            }
            Ok(())
        }
        Some(b'"' | b'{') => l.string().map(drop),
        _ => l.atom().map(drop),
    }
}

fn envelope(l: &mut Lexer<'_>) -> Result<Envelope, ParseError> {
    l.expect(b'(', "( before the envelope")?;
    let date = text_of(l.nstring()?);
    l.sp()?;
    let subject = text_of(l.nstring()?);
    let mut lists: Vec<Vec<Address>> = Vec::new();
    for _ in 0..6 {
        l.sp()?;
        lists.push(address_list(l)?);
    }
    l.sp()?;
    let in_reply_to = text_of(l.nstring()?);
    l.sp()?;
    let message_id = text_of(l.nstring()?);
    l.expect(b')', ") after the envelope")?;
    let mut it = lists.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Envelope {
        date,
        subject,
        from: next(),
        sender: next(),
        reply_to: next(),
        to: next(),
        cc: next(),
        bcc: next(),
        in_reply_to,
        message_id,
    })
}

fn address_list(l: &mut Lexer<'_>) -> Result<Vec<Address>, ParseError> {
    if l.eat_word("NIL") {
        return Ok(Vec::new());
    }
    l.expect(b'(', "( before the addresses")?;
    let mut out = Vec::new();
    while !l.eat(b')') {
        l.eat(b' ');
        l.expect(b'(', "( before an address")?;
        let name = text_of(l.nstring()?);
        l.sp()?;
        let adl = text_of(l.nstring()?);
        l.sp()?;
        let mailbox = text_of(l.nstring()?);
        l.sp()?;
        let host = text_of(l.nstring()?);
        l.expect(b')', ") after an address")?;
        out.push(Address {
            name,
            adl,
            mailbox,
            host,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::message::Envelope;
    use crate::imap::types::Flag;

    #[test]
    fn round_trips_what_the_server_writes() {
        let raw =
            b"From: \"Bob B\" <bob@x.org>\r\nTo: a@b.c\r\nSubject: Hi \"there\"\r\n\r\nbody\r\n";
        let samples = vec![
            Response::tagged("a1", Status::Ok, Some(Code::ReadWrite), "SELECT completed"),
            Response::tagged("a2", Status::No, Some(Code::TryCreate), "no folder X"),
            Response::tagged(
                "a3",
                Status::Ok,
                Some(Code::CopyUid(
                    3,
                    SequenceSet::of(&[1, 2]),
                    SequenceSet::of(&[7, 8]),
                )),
                "done",
            ),
            Response::untagged(Status::Ok, Some(Code::UidValidity(9)), "UIDs valid"),
            Response::untagged(
                Status::Ok,
                Some(Code::PermanentFlags(vec![Flag::Seen, Flag::Deleted])),
                "ok",
            ),
            Response::untagged(Status::Bye, None, "bye"),
            Response::Capability(vec!["IMAP4rev1".into(), "IDLE".into()]),
            Response::Continue("idling".into()),
            Response::Exists(4),
            Response::Expunge(2),
            Response::Search(vec![1, 5]),
            Response::Flags(vec![Flag::Seen, Flag::Keyword("$Work".into())]),
            Response::List {
                lsub: false,
                attrs: vec!["\\HasNoChildren".into()],
                delimiter: Some('/'),
                name: "Work Stuff".into(),
            },
            Response::StatusData {
                mailbox: "INBOX".into(),
                items: vec![(StatusItem::Messages, 3), (StatusItem::Unseen, 1)],
            },
            Response::Fetch {
                seq: 2,
                items: vec![
                    FetchData::Uid(7),
                    FetchData::Flags(vec![Flag::Seen]),
                    FetchData::Size(52),
                    FetchData::InternalDate(1_767_600_000),
                    FetchData::Envelope(Box::new(Envelope::of(raw))),
                    FetchData::Bytes {
                        label: "BODY[HEADER.FIELDS (FROM SUBJECT)]<0>".into(),
                        data: Some(b"From: x\r\n\r\n".to_vec()),
                    },
                    FetchData::Bytes {
                        label: "BODY[]".into(),
                        data: Some(raw.to_vec()),
                    },
                    FetchData::Bytes {
                        label: "BODY[5]".into(),
                        data: None,
                    },
                ],
            },
        ];
        for r in samples {
            let wire = r.to_bytes();
            assert_eq!(
                parse_response(&wire).as_ref(),
                Ok(&r),
                "{}",
                String::from_utf8_lossy(&wire)
            );
        }
    }

    #[test]
    fn skips_bodystructure_and_rejects_garbage() {
        let r = parse_response(
            b"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) UID 4)",
        )
        .unwrap();
        assert_eq!(
            r,
            Response::Fetch {
                seq: 1,
                items: vec![FetchData::Uid(4)]
            }
        );
        for bad in [
            &b"* 1 FROB"[..],
            b"a1 MAYBE",
            b"* 1 FETCH (UID",
            b"* 1 FETCH (ENVELOPE (NIL))",
        ] {
            assert!(
                parse_response(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_response(&bytes);
        }
    }
}
