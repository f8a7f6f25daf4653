//! The e-mail service of a server (SMTP, POP3, IMAP over one mail store,
//! with a relay queue) and what it needs from its host.

pub mod app;
pub mod io;
#[cfg(any(test, feature = "test-util"))]
pub mod labs;
pub mod note;
pub mod server;

pub use io::{ConnId, MailIo};
pub use lanlab_doc::services::{Listen, MailConfigError, MailService, MailUser};
pub use note::{MailNote, MailProto};
pub use server::MailServer;

#[cfg(test)]
mod tests;
