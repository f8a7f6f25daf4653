//! What the desktop mail client needs from its host: TCP connections by
//! handle, job output, notes. The host implements [`MailIo`] over its TCP
//! stack; tests implement it over a pipe. (The mail server is a stream
//! service and talks to the host's app context directly.)

use std::net::SocketAddrV4;

use lanlab_proto::SimTime;

use super::note::MailNote;
use crate::job::JobId;
use crate::mailclient::MailFailure;

/// A host-local TCP connection handle.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u32);

/// The host side of the mail client.
pub trait MailIo {
    /// Virtual time now.
    fn now(&self) -> SimTime;
    /// Queues bytes on a connection.
    fn send(&mut self, conn: ConnId, bytes: &[u8]);
    /// Closes a connection (after what was queued).
    fn close(&mut self, conn: ConnId);
    /// Opens a connection; the app hears `connected` or `closed` later.
    ///
    /// # Errors
    /// Why no connection can even be tried (no address, no route), in words.
    fn connect(&mut self, remote: SocketAddrV4) -> Result<ConnId, String>;
    /// Records a decision in the trace.
    fn note(&mut self, note: MailNote);
    /// Appends a line to a job's output.
    fn println(&mut self, job: JobId, line: &str);
    /// Ends a job.
    fn finish(&mut self, job: JobId, ok: bool);
    /// Records why a job failed (its typed result), before `finish`.
    fn failed(&mut self, job: JobId, why: MailFailure);
}
