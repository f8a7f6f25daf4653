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
    let mut out = String::with_capacity(s.len() + s.len() / 32);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
