//! The mail store: domains, users, mailboxes, folders, flags, UIDs; message parsing.
//!
//! One [`MailStore`] per mail server device holds every domain it serves.
//! The SMTP, POP3 and IMAP server sessions are handed `&mut MailStore` with
//! each input, so several sessions on one account see the same data:
//!
//! - SMTP delivers with [`MailStore::deliver`] (RFC 5321 §4.4: the
//!   `Received:` line is added by the session, not here).
//! - POP3 locks the maildrop ([`MailStore::lock_maildrop`], RFC 1939 §8),
//!   snapshots INBOX at login and removes its deletions with
//!   [`MailStore::remove_messages`] at QUIT.
//! - IMAP reads [`Folder`]s, changes flags, copies, moves and expunges, and
//!   learns what other sessions did from [`Folder::changes_since`].
//!
//! Messages are RFC 5322 text (see [`message`]), stored with CRLF line ends.

pub mod address;
pub mod date;
pub mod flags;
pub mod folder;
pub mod line;
pub mod line_fields;
pub mod md5;
pub mod message;
pub mod mime;
pub mod store;
mod store_ops;

pub use address::{Address, AddressError};
pub use flags::{Flag, FlagOp, Flags};
pub use folder::{Folder, FolderChanges, StoredMessage};
pub use message::{Draft, Mailbox, Message};

pub use store::{
    Account, AccountId, DEFAULT_FOLDERS, DELIMITER, Domain, INBOX, LockToken, MailStore,
    MailingList, Recipient, StoreError,
};

/// Makes every line end in CRLF (lone `\n` or `\r` become `\r\n`).
pub fn crlf(s: &str) -> String {
    if is_crlf(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + s.len() / 32);
    if !s.as_bytes().contains(&b'\r') {
        // Only lone `\n`s (text typed on a PC): the runs between them are
        // found by `memchr` rather than byte by byte.
        let mut start = 0;
        for (i, _) in s.match_indices('\n') {
            out.push_str(&s[start..i]);
            out.push_str("\r\n");
            start = i + 1;
        }
        out.push_str(&s[start..]);
        return out;
    }
    // Copies the runs between line ends whole (CR and LF are ASCII, so the
    // cuts fall on character boundaries).
    let b = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let end = match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => 2,
            b'\r' | b'\n' => 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str("\r\n");
        i += end;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// Whether every line end of `s` is already CRLF (no bare CR, no bare
/// LF): then [`crlf`] changes nothing. Text that went through it once (a
/// relayed message, a stored one) is checked at memchr speed.
fn is_crlf(s: &str) -> bool {
    let b = s.as_bytes();
    let mut crlfs = 0;
    for (i, _) in s.match_indices('\n') {
        if i == 0 || b[i - 1] != b'\r' {
            return false;
        }
        crlfs += 1;
    }
    b.iter().filter(|&&c| c == b'\r').count() == crlfs
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
