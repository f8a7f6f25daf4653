//! A word of explanation for the lines of a mail conversation that show a
//! protocol extension at work: the IMAP commands a desktop client picks by
//! what the server offers (`CAPABILITY`, `UID …`, `MOVE`, `UNSELECT`) and
//! SMTP's enhanced status codes (RFC 2034, RFC 3463) and `AUTH`.
//!
//! [`Hint`]'s `Display` is the English wording; the app words it in the
//! user's language.

use core::fmt;

use super::{Conn, Line};

/// What a line shows, worth explaining.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Hint {
    /// IMAP `CAPABILITY`.
    Capability,
    /// IMAP `UNSELECT` (RFC 3691).
    Unselect,
    /// IMAP `CLOSE`.
    Close,
    /// IMAP `MOVE` / `UID MOVE` (RFC 6851).
    Move,
    /// IMAP `UID FETCH`.
    UidFetch,
    /// IMAP `UID STORE`.
    UidStore,
    /// IMAP `UID SEARCH`.
    UidSearch,
    /// IMAP `UID COPY`.
    UidCopy,
    /// IMAP `UID EXPUNGE` (RFC 4315).
    UidExpunge,
    /// IMAP `EXPUNGE`.
    Expunge,
    /// The server's `[HIGHESTMODSEQ n]` on SELECT (RFC 7162 CONDSTORE).
    HighestModseq,
    /// The `ENHANCEDSTATUSCODES` keyword of an EHLO reply (RFC 2034).
    EnhancedStatusCodes,
    /// An SMTP reply with an enhanced status code (RFC 3463).
    EnhancedCode {
        /// 2 success, 4 temporary failure, 5 permanent failure.
        class: u8,
        /// What it is about (1 addressing, 7 security, …).
        subject: u16,
        /// The detail number.
        detail: u16,
    },
    /// SMTP `AUTH` (RFC 4954).
    Auth,
}

/// SMTP ports: 25 and submission.
fn is_smtp(port: u16) -> bool {
    matches!(port, 25 | 587)
}

/// The explanation for `line` of `conn`, if it has one.
pub fn hint(conn: &Conn, line: &Line) -> Option<Hint> {
    let port = conn.server.1;
    if port == 143 {
        if line.from_client {
            return imap_command(&line.text);
        }
        return line
            .text
            .contains("[HIGHESTMODSEQ ")
            .then_some(Hint::HighestModseq);
    }
    if !is_smtp(port) {
        return None;
    }
    if line.from_client {
        let verb = line.text.split_whitespace().next()?;
        return verb.eq_ignore_ascii_case("AUTH").then_some(Hint::Auth);
    }
    smtp_reply(&line.text)
}

fn imap_command(text: &str) -> Option<Hint> {
    let mut words = text.split_whitespace().skip(1).map(str::to_ascii_uppercase);
    let verb = words.next()?;
    Some(match verb.as_str() {
        "CAPABILITY" => Hint::Capability,
        "UNSELECT" => Hint::Unselect,
        "CLOSE" => Hint::Close,
        "MOVE" => Hint::Move,
        "EXPUNGE" => Hint::Expunge,
        "UID" => match words.next()?.as_str() {
            "FETCH" => Hint::UidFetch,
            "STORE" => Hint::UidStore,
            "SEARCH" => Hint::UidSearch,
            "COPY" => Hint::UidCopy,
            "MOVE" => Hint::Move,
            "EXPUNGE" => Hint::UidExpunge,
            _ => return None,
        },
        _ => return None,
    })
}

/// `250 2.1.0 Ok` / `250-ENHANCEDSTATUSCODES`.
fn smtp_reply(text: &str) -> Option<Hint> {
    let rest = text.get(4..)?;
    if !text.as_bytes()[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if rest.eq_ignore_ascii_case("ENHANCEDSTATUSCODES") {
        return Some(Hint::EnhancedStatusCodes);
    }
    let code = rest.split(' ').next()?;
    let mut parts = code.split('.');
    let class = parts.next()?.parse::<u8>().ok()?;
    let subject = parts.next()?.parse::<u16>().ok()?;
    let detail = parts.next()?.parse::<u16>().ok()?;
    let fits = parts.next().is_none()
        && matches!(class, 2 | 4 | 5)
        && subject < 1000
        && detail < 1000
        // RFC 3463 §2: the class repeats the reply code's first digit.
        && text.as_bytes()[0] == b'0' + class;
    fits.then_some(Hint::EnhancedCode {
        class,
        subject,
        detail,
    })
}

/// RFC 3463 §3's subjects, in English.
pub fn subject_name(subject: u16) -> &'static str {
    match subject {
        1 => "addressing (a mailbox or address)",
        2 => "the recipient's mailbox",
        3 => "the mail system",
        4 => "network and routing",
        5 => "the mail protocol (commands and their order)",
        6 => "the message content",
        7 => "security or policy",
        _ => "other",
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hint::Capability => f.write_str(
                "CAPABILITY: the client asks what the server offers before it uses any extension",
            ),
            Hint::Unselect => f.write_str(
                "UNSELECT (RFC 3691): leaves the folder and erases nothing (CLOSE would erase the messages flagged \\Deleted)",
            ),
            Hint::Close => f.write_str(
                "CLOSE: leaves the folder and erases the messages flagged \\Deleted",
            ),
            Hint::Move => f.write_str(
                "MOVE (RFC 6851): moves messages to another folder in one step, instead of COPY, STORE \\Deleted and EXPUNGE; a client deletes by moving to Trash",
            ),
            Hint::UidFetch => f.write_str(
                "UID FETCH: names messages by UID, which stays the same, not by sequence number, which shifts when a message is erased",
            ),
            Hint::UidStore => f.write_str("UID STORE: changes the flags of messages named by UID"),
            Hint::UidSearch => f.write_str(
                "UID SEARCH: the server searches the folder and answers with UIDs",
            ),
            Hint::UidCopy => {
                f.write_str("UID COPY: copies messages named by UID to another folder")
            }
            Hint::UidExpunge => f.write_str(
                "UID EXPUNGE (RFC 4315): erases only these \\Deleted messages, not those another client flagged",
            ),
            Hint::Expunge => {
                f.write_str("EXPUNGE: erases every message of the folder flagged \\Deleted")
            }
            Hint::HighestModseq => f.write_str(
                "HIGHESTMODSEQ (RFC 7162 CONDSTORE): every change in the folder gets a higher number; a client that remembers it asks only for what changed since",
            ),
            Hint::EnhancedStatusCodes => f.write_str(
                "ENHANCEDSTATUSCODES (RFC 2034): replies carry a code class.subject.detail after the three digits",
            ),
            Hint::EnhancedCode {
                class,
                subject,
                detail,
            } => {
                let what = match class {
                    2 => "success",
                    4 => "temporary failure, try again later",
                    _ => "permanent failure",
                };
                write!(
                    f,
                    "{class}.{subject}.{detail} (RFC 3463): {what}; about {}",
                    subject_name(*subject)
                )
            }
            Hint::Auth => f.write_str(
                "AUTH (RFC 4954): the client logs in before it may send, as the submission port 587 asks",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn conn(port: u16) -> Conn {
        Conn {
            client: (Ipv4Addr::new(10, 0, 0, 2), 49152),
            server: (Ipv4Addr::new(10, 0, 0, 1), port),
        }
    }

    fn line(from_client: bool, text: &str) -> Line {
        Line {
            from_client,
            text: text.into(),
        }
    }

    #[test]
    fn imap_commands_a_client_picks() {
        let imap = conn(143);
        let h = |t: &str| hint(&imap, &line(true, t));
        assert_eq!(h("a1 CAPABILITY"), Some(Hint::Capability));
        assert_eq!(h("a7 UNSELECT"), Some(Hint::Unselect));
        assert_eq!(h("a5 uid move 3 Trash"), Some(Hint::Move));
        assert_eq!(h("a4 UID FETCH 1:* (FLAGS)"), Some(Hint::UidFetch));
        assert_eq!(h("a6 UID EXPUNGE 3"), Some(Hint::UidExpunge));
        assert_eq!(h("a2 LIST \"\" *"), None);
        assert_eq!(h("a2 UID"), None);
        assert_eq!(hint(&imap, &line(false, "* 1 EXPUNGE")), None);
        assert_eq!(
            hint(
                &imap,
                &line(false, "* OK [HIGHESTMODSEQ 4] highest mod-sequence")
            ),
            Some(Hint::HighestModseq)
        );
    }

    #[test]
    fn smtp_enhanced_codes_and_auth() {
        for port in [25, 587] {
            let smtp = conn(port);
            let s = |t: &str| hint(&smtp, &line(false, t));
            assert_eq!(
                s("250 2.1.0 Ok"),
                Some(Hint::EnhancedCode {
                    class: 2,
                    subject: 1,
                    detail: 0
                })
            );
            assert_eq!(
                s("250-ENHANCEDSTATUSCODES"),
                Some(Hint::EnhancedStatusCodes)
            );
            assert_eq!(s("220 mail.hasan.com ESMTP lanlab ready"), None);
            assert_eq!(s("354 End data with <CR><LF>.<CR><LF>"), None);
            assert_eq!(s("250 5.1.1 mismatched class"), None);
            assert_eq!(s("25"), None);
            assert_eq!(s("é€€€ 2.1.0"), None);
            assert_eq!(
                hint(&smtp, &line(true, "AUTH PLAIN AGFAAGI=")),
                Some(Hint::Auth)
            );
        }
        let shown = Hint::EnhancedCode {
            class: 5,
            subject: 7,
            detail: 8,
        }
        .to_string();
        assert_eq!(
            shown,
            "5.7.8 (RFC 3463): permanent failure; about security or policy"
        );
    }
}
