//! The e-mail service of a server (SMTP, POP3, IMAP over one mail store,
//! with a relay queue) and what it needs from its host.

pub mod app;
pub mod config;
pub mod io;
pub mod labs;
pub mod note;
pub mod server;

pub use config::{Listen, MailConfigError, MailService, MailUser};
pub use io::{ConnId, MailIo};
pub use note::{MailNote, MailProto};
pub use server::MailServer;

#[cfg(test)]
mod tests;
