//! SMTP replies (RFC 5321 §4.2): a three-digit code and text, possibly on
//! several lines. §4.2.1: "The format for multiline replies requires that
//! every line, except the last, begin with the reply code, followed
//! immediately by a hyphen, "-" (also known as minus), followed by text."

use core::fmt;

use serde::{Deserialize, Serialize};

/// A reply code with its RFC 5321 §4.2.2/§4.2.3 meaning.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplyCode {
    /// 211 System status.
    SystemStatus,
    /// 214 Help message.
    Help,
    /// 220 Service ready.
    Ready,
    /// 221 Service closing transmission channel.
    Closing,
    /// 250 Requested mail action okay, completed.
    Ok,
    /// 251 User not local; will forward.
    WillForward,
    /// 252 Cannot VRFY user, but will accept message and attempt delivery.
    CannotVerify,
    /// 235 Authentication successful (RFC 4954).
    AuthSucceeded,
    /// 334 Send the next SASL response (RFC 4954).
    AuthContinue,
    /// 354 Start mail input; end with `<CRLF>.<CRLF>`.
    StartMailInput,
    /// 421 Service not available, closing transmission channel.
    NotAvailable,
    /// 450 Mailbox unavailable (busy), try again later.
    MailboxBusy,
    /// 451 Local error in processing.
    LocalError,
    /// 452 Insufficient system storage / too many recipients.
    InsufficientStorage,
    /// 500 Syntax error, command unrecognized (or line too long).
    SyntaxError,
    /// 501 Syntax error in parameters or arguments.
    ParamError,
    /// 502 Command not implemented.
    NotImplemented,
    /// 503 Bad sequence of commands.
    BadSequence,
    /// 504 Command parameter not implemented.
    ParamNotImplemented,
    /// 530 Authentication required (RFC 4954 §6).
    AuthRequired,
    /// 535 Authentication credentials invalid (RFC 4954 §6).
    AuthFailed,
    /// 550 Mailbox unavailable (not found, no access, policy).
    MailboxUnavailable,
    /// 551 User not local; please try another path.
    UserNotLocal,
    /// 552 Exceeded storage allocation (message too big).
    ExceededStorage,
    /// 553 Mailbox name not allowed (bad syntax).
    NameNotAllowed,
    /// 554 Transaction failed (or no valid recipients).
    TransactionFailed,
    /// 555 MAIL FROM/RCPT TO parameters not recognized or not implemented.
    ParamsNotRecognized,
    /// Any other code.
    Unknown(u16),
}

impl ReplyCode {
    /// The numeric code.
    pub fn code(self) -> u16 {
        use ReplyCode::*;
        match self {
            SystemStatus => 211,
            Help => 214,
            Ready => 220,
            Closing => 221,
            Ok => 250,
            WillForward => 251,
            CannotVerify => 252,
            AuthSucceeded => 235,
            AuthContinue => 334,
            StartMailInput => 354,
            NotAvailable => 421,
            MailboxBusy => 450,
            LocalError => 451,
            InsufficientStorage => 452,
            SyntaxError => 500,
            ParamError => 501,
            NotImplemented => 502,
            BadSequence => 503,
            ParamNotImplemented => 504,
            AuthRequired => 530,
            AuthFailed => 535,
            MailboxUnavailable => 550,
            UserNotLocal => 551,
            ExceededStorage => 552,
            NameNotAllowed => 553,
            TransactionFailed => 554,
            ParamsNotRecognized => 555,
            Unknown(n) => n,
        }
    }

    /// The named code for `n`, or `Unknown(n)`.
    pub fn from_code(n: u16) -> ReplyCode {
        use ReplyCode::*;
        [
            SystemStatus,
            Help,
            Ready,
            Closing,
            Ok,
            WillForward,
            CannotVerify,
            AuthSucceeded,
            AuthContinue,
            StartMailInput,
            NotAvailable,
            MailboxBusy,
            LocalError,
            InsufficientStorage,
            SyntaxError,
            ParamError,
            NotImplemented,
            BadSequence,
            ParamNotImplemented,
            AuthRequired,
            AuthFailed,
            MailboxUnavailable,
            UserNotLocal,
            ExceededStorage,
            NameNotAllowed,
            TransactionFailed,
            ParamsNotRecognized,
        ]
        .into_iter()
        .find(|c| c.code() == n)
        .unwrap_or(Unknown(n))
    }

    /// 2xx: positive completion.
    pub fn is_positive(self) -> bool {
        (200..300).contains(&self.code())
    }

    /// 3xx: positive intermediate (354).
    pub fn is_intermediate(self) -> bool {
        (300..400).contains(&self.code())
    }

    /// 4xx: transient failure, try again later.
    pub fn is_transient(self) -> bool {
        (400..500).contains(&self.code())
    }

    /// 5xx: permanent failure, do not retry.
    pub fn is_permanent(self) -> bool {
        self.code() >= 500
    }
}

/// A whole reply: code and one or more text lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The code.
    pub code: ReplyCode,
    /// Text lines (at least one, possibly empty).
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply.
    pub fn new(code: ReplyCode, text: impl Into<String>) -> Reply {
        Reply {
            code,
            lines: vec![text.into()],
        }
    }

    /// The wire form of a one-line reply whose text is `parts` one after
    /// another: the bytes `Reply::new(code, parts.concat()).to_wire()`
    /// gives, written straight into one buffer.
    pub fn line_wire(code: ReplyCode, parts: &[&str]) -> Vec<u8> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut v = Vec::with_capacity(len + 6);
        push_code(&mut v, code, b' ');
        for p in parts {
            v.extend_from_slice(p.as_bytes());
        }
        v.extend_from_slice(b"\r\n");
        v
    }

    /// A multi-line reply.
    pub fn multi(code: ReplyCode, lines: Vec<String>) -> Reply {
        Reply { code, lines }
    }

    /// The wire form: `250-first\r\n250 last\r\n`.
    pub fn to_wire(&self) -> Vec<u8> {
        let n = self.lines.len().max(1);
        let mut v = Vec::with_capacity(self.lines.iter().map(String::len).sum::<usize>() + 8 * n);
        for i in 0..n {
            let text = self.lines.get(i).map_or("", String::as_str);
            push_code(&mut v, self.code, if i + 1 < n { b'-' } else { b' ' });
            v.extend_from_slice(text.as_bytes());
            v.extend_from_slice(b"\r\n");
        }
        v
    }

    /// The text of all lines joined by a space.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Appends `code`'s digits and `sep` (what `write!(v, "{}{sep}", code.code())`
/// writes).
fn push_code(v: &mut Vec<u8>, code: ReplyCode, sep: u8) {
    let c = code.code();
    if (100..1000).contains(&c) {
        let digit = |d: u16| b'0' + (d % 10) as u8;
        v.extend_from_slice(&[digit(c / 100), digit(c / 10), digit(c), sep]);
    } else {
        v.extend_from_slice(c.to_string().as_bytes());
        v.push(sep);
    }
}

impl fmt::Display for Reply {
    /// `550 5.1.1 unknown user` (lines joined), the way notes quote a reply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.code(), self.text())
    }
}

/// Reassembles replies from a server's lines (used by the client).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyParser {
    partial: Vec<String>,
}

/// A line that is not `NNN text` / `NNN-text`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an SMTP reply line: {0:?}")]
pub struct BadReply(pub String);

impl ReplyParser {
    /// Feeds one line; returns a reply once its last line arrived.
    ///
    /// # Errors
    /// [`BadReply`] if the line does not start with three digits.
    pub fn line(&mut self, line: &str) -> Result<Option<Reply>, BadReply> {
        let b = line.as_bytes();
        if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) {
            self.partial.clear();
            return Err(BadReply(line.chars().take(80).collect()));
        }
        let code: u16 = line[..3].parse().unwrap_or(0);
        let text = line.get(4..).unwrap_or("").to_string();
        self.partial.push(text);
        if b.get(3) == Some(&b'-') {
            return Ok(None);
        }
        Ok(Some(Reply {
            code: ReplyCode::from_code(code),
            lines: std::mem::take(&mut self.partial),
        }))
    }
}
