//! The e-mail service of a server (SMTP, POP3, IMAP over one mail store,
//! with a relay queue), hosted by the generic
//! [`StreamApp`](crate::services::stream_app::StreamApp) like every stream
//! server, and what the desktop mail client needs from its host.

pub mod app;
pub mod io;
#[cfg(any(test, feature = "test-util"))]
pub mod labs;
mod mx;
pub mod note;
pub mod server;
pub mod session;

pub use io::{ConnId, MailIo};
pub use lanlab_doc::services::{Listen, MailConfigError, MailService, MailUser};
pub use note::{MailNote, MailProto};
pub use server::MailServer;
pub use session::{MailEvent, MailSession};

#[cfg(test)]
mod tests;
