//! The contract every server-side stream engine keeps (SMTP, POP3, IMAP,
//! HTTP): one value per accepted TCP connection, sans-IO in the
//! quinn-proto way.
//!
//! The host — the simulator's host stack or the native bridge's thread per
//! socket — owns the connection and the clock. It feeds what arrives with
//! [`StreamServer::handle_input`], says when the peer stopped sending with
//! [`StreamServer::handle_end`], calls [`StreamServer::handle_timeout`] at
//! [`StreamServer::poll_timeout`], and after each call drains, in this
//! order, [`StreamServer::poll_note`] (the engine's reasons, for the trace),
//! [`StreamServer::poll_output`] (bytes to send) and
//! [`StreamServer::poll_event`] (what the host acts on). Once
//! [`StreamServer::is_closed`] turns true the host sends what was queued
//! and closes the connection; every engine also emits its `Closed` event at
//! that moment.
//!
//! What a session reads or changes beside its own state — the mail store
//! shared by every SMTP, POP3 and IMAP session of a server, the web site of
//! an HTTP server — is its [`StreamServer::Context`], lent to each call.

use crate::SimTime;

/// A server engine for one stream (TCP) connection.
pub trait StreamServer {
    /// What the session works on beside its own state, shared by every
    /// session of the server (a `MailStore`, a `WebServerConfig`).
    type Context: ?Sized;
    /// The engine's typed reasons, for the PDU inspector and logs.
    type Note;
    /// What the host acts on (a delivered message, a log line, the close).
    type Event;

    /// Bytes received from the client at `now`, in any chunking.
    fn handle_input(&mut self, now: SimTime, bytes: &[u8], cx: &mut Self::Context);

    /// The client will send nothing more: it closed its side (FIN) or the
    /// connection was lost. The session ends without doing what only a
    /// client's goodbye asks for (POP3 deletes nothing). Calling it again,
    /// or after the session closed, does nothing.
    fn handle_end(&mut self, now: SimTime, cx: &mut Self::Context);

    /// Another session changed the shared context (new mail, changed
    /// flags); a session that pushes updates (IMAP IDLE) reports them now.
    /// Most engines ignore it.
    fn handle_context_change(&mut self, now: SimTime, cx: &Self::Context) {
        let _ = (now, cx);
    }

    /// When [`StreamServer::handle_timeout`] must next be called (an idle or
    /// autologout timer), or `None` once closed.
    fn poll_timeout(&self) -> Option<SimTime>;

    /// Fires the timer if it is due at `now` (calling it early does nothing).
    fn handle_timeout(&mut self, now: SimTime, cx: &mut Self::Context);

    /// The next bytes to send to the client, in order.
    #[must_use]
    fn poll_output(&mut self) -> Option<Vec<u8>>;

    /// The next note explaining what the engine did.
    #[must_use]
    fn poll_note(&mut self) -> Option<Self::Note>;

    /// The next event for the host.
    #[must_use]
    fn poll_event(&mut self) -> Option<Self::Event>;

    /// Whether the session is over: the host sends what is queued and
    /// closes the connection.
    fn is_closed(&self) -> bool;
}

impl<T: StreamServer + ?Sized> StreamServer for Box<T> {
    type Context = T::Context;
    type Note = T::Note;
    type Event = T::Event;

    fn handle_input(&mut self, now: SimTime, bytes: &[u8], cx: &mut Self::Context) {
        (**self).handle_input(now, bytes, cx);
    }
    fn handle_end(&mut self, now: SimTime, cx: &mut Self::Context) {
        (**self).handle_end(now, cx);
    }
    fn handle_context_change(&mut self, now: SimTime, cx: &Self::Context) {
        (**self).handle_context_change(now, cx);
    }
    fn poll_timeout(&self) -> Option<SimTime> {
        (**self).poll_timeout()
    }
    fn handle_timeout(&mut self, now: SimTime, cx: &mut Self::Context) {
        (**self).handle_timeout(now, cx);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        (**self).poll_output()
    }
    fn poll_note(&mut self) -> Option<Self::Note> {
        (**self).poll_note()
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        (**self).poll_event()
    }
    fn is_closed(&self) -> bool {
        (**self).is_closed()
    }
}
