//! The PDU inspector's view of a text protocol segment (SMTP, POP3, IMAP,
//! and whatever a student types over telnet): one field per line, a
//! command's verb and argument (after IMAP's tag) or a reply's status and
//! text, each with its bytes.
//!
//! Ranges follow the raw bytes, not the text: invalid UTF-8 becomes a
//! replacement character that is longer than the byte it stands for.

use crate::fields::{Field, line_text, lines};

/// How a protocol's lines read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// The header's label (`SMTP`).
    pub label: &'static str,
    /// Whether a client line starts with a tag before the command (IMAP).
    pub tagged: bool,
}

/// The lines of a segment from the client (`from_client`) or the server,
/// `payload` at offset `base` in the frame.
pub fn fields(d: Dialect, payload: &[u8], from_client: bool, base: usize) -> Field {
    let who = if from_client { "client" } else { "server" };
    let mut f = Field::new(d.label, who, base..base + payload.len());
    for r in lines(payload) {
        let raw = &payload[r.clone()];
        f.children
            .push(line(d, raw, from_client, base + r.start..base + r.end));
    }
    f
}

fn is_verb(w: &str) -> bool {
    !w.is_empty() && w.len() <= 12 && w.chars().all(|c| c.is_ascii_alphabetic())
}

fn line(d: Dialect, raw: &[u8], from_client: bool, range: std::ops::Range<usize>) -> Field {
    let text = line_text(raw);
    let mut words = text.splitn(2, ' ');
    let first = words.next().unwrap_or("").to_string();
    let rest = words.next().map(str::to_string);
    let tagged = d.tagged && from_client;
    let mut line = if from_client {
        let verb_word = if tagged {
            rest.as_deref()
                .and_then(|r| r.split(' ').next())
                .unwrap_or("")
        } else {
            first.as_str()
        };
        if is_verb(verb_word) && verb_word.chars().all(|c| c.is_ascii_uppercase())
            || tagged && is_verb(verb_word)
        {
            Field::new("Command", text.clone(), range.clone())
        } else {
            Field::new("Line", text.clone(), range.clone())
        }
    } else {
        Field::new("Reply", text.clone(), range.clone())
    };
    if line.label != "Line" && !text.is_empty() {
        let a = range.start;
        let body = raw
            .iter()
            .rposition(|&c| c != b'\r' && c != b'\n')
            .map_or(0, |i| i + 1);
        let first_len = raw[..body].iter().position(|&c| c == b' ').unwrap_or(body);
        let (l1, l2) = if from_client {
            ("Command", "Argument")
        } else {
            ("Status", "Text")
        };
        let l1 = if tagged { "Tag" } else { l1 };
        line.children.push(Field::new(l1, first, a..a + first_len));
        if let Some(r) = rest {
            let r_start = (a + first_len + 1).min(a + body);
            line.children.push(Field::new(l2, r, r_start..a + body));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMTP: Dialect = Dialect {
        label: "SMTP",
        tagged: false,
    };
    const IMAP: Dialect = Dialect {
        label: "IMAP",
        tagged: true,
    };

    #[test]
    fn smtp_command_and_reply_with_their_bytes() {
        let mut frame = vec![0u8; 54];
        frame.extend(b"EHLO pc1\r\nhello there\r\n");
        let f = crate::smtp::fields(&frame[54..], true, 54);
        assert_eq!((f.label.as_str(), f.value.as_str()), ("SMTP", "client"));
        assert_eq!(f.range, 54..frame.len());
        let cmd = &f.children[0];
        assert_eq!(
            (cmd.label.as_str(), cmd.value.as_str()),
            ("Command", "EHLO pc1")
        );
        assert_eq!(&frame[cmd.range.clone()], b"EHLO pc1\r\n");
        assert_eq!(cmd.children[0].label, "Command");
        assert_eq!(&frame[cmd.children[0].range.clone()], b"EHLO");
        assert_eq!(
            (
                cmd.children[1].label.as_str(),
                cmd.children[1].value.as_str()
            ),
            ("Argument", "pc1")
        );
        assert_eq!(&frame[cmd.children[1].range.clone()], b"pc1");
        // Message text after DATA is a plain line.
        assert_eq!(f.children[1].label, "Line");
        assert!(f.children[1].children.is_empty());

        let reply = b"250 OK\r\n";
        let r = crate::smtp::fields(reply, false, 0);
        assert_eq!(r.value, "server");
        let line = &r.children[0];
        assert_eq!(
            (line.label.as_str(), line.value.as_str()),
            ("Reply", "250 OK")
        );
        assert_eq!(line.children[0].label, "Status");
        assert_eq!(&reply[line.children[0].range.clone()], b"250");
        assert_eq!(line.children[1].label, "Text");
        assert_eq!(&reply[line.children[1].range.clone()], b"OK");
    }

    #[test]
    fn imap_tag_pop3_and_telnet_lines() {
        let data = b"a1 login akbari secret\r\n";
        let f = crate::imap::fields(data, true, 10);
        let cmd = &f.children[0];
        assert_eq!(cmd.label, "Command");
        assert_eq!(cmd.children[0].label, "Tag");
        assert_eq!(cmd.children[0].range, 10..12);
        assert_eq!(cmd.children[1].value, "login akbari secret");
        assert_eq!(cmd.children[1].range, 13..32);
        let p = crate::pop3::fields(b"+OK ready\r\n", false, 0);
        assert_eq!(p.label, "POP3");
        assert_eq!(p.children[0].children[0].value, "+OK");
        let telnet = Dialect {
            label: "Telnet",
            tagged: false,
        };
        let t = fields(telnet, b"hello\n", true, 0);
        assert_eq!(t.children[0].label, "Line");
        assert_eq!(t.children[0].range, 0..6);
        // An IMAP tagged command in lower case is a command; SMTP needs
        // upper case.
        assert_eq!(
            fields(SMTP, b"ehlo x\r\n", true, 0).children[0].label,
            "Line"
        );
        assert_eq!(
            fields(IMAP, b"a1 noop\r\n", true, 0).children[0].label,
            "Command"
        );
    }
}
