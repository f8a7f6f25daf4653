//! Segments and ICMP errors arriving for the host's TCP sockets.

use std::net::{Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::tcp::{Connection, ListenAction, Segment, State, reset_for};
use smoltcp::wire::Icmpv4DstUnreachable;

use super::{AppTcpEvent, Out, Role, TcpStack};
use crate::job::Job;
use crate::note::Note;
use crate::services::app::{SockId, TcpEnd};

/// How a connection attempt ends on an ICMP destination unreachable:
/// port or protocol unreachable is a refusal (as a RST is), net or host
/// unreachable means no path, codes 9, 10 and 13 a filter. "Fragmentation
/// needed" is path MTU discovery's business, not an end.
fn end_for(reason: Icmpv4DstUnreachable) -> Option<TcpEnd> {
    Some(match reason {
        Icmpv4DstUnreachable::FragRequired => return None,
        Icmpv4DstUnreachable::PortUnreachable | Icmpv4DstUnreachable::ProtoUnreachable => {
            TcpEnd::Refused
        }
        Icmpv4DstUnreachable::NetProhibited
        | Icmpv4DstUnreachable::HostProhibited
        | Icmpv4DstUnreachable::CommProhibited => TcpEnd::Prohibited,
        _ => TcpEnd::Unreachable,
    })
}

impl TcpStack {
    /// Handles a segment for this host.
    pub(crate) fn handle_segment(
        &mut self,
        now: SimTime,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        seg: &Segment,
        out: &mut Vec<Out>,
        notes: &mut Vec<Note>,
    ) {
        let local = SocketAddrV4::new(dst, seg.dst_port);
        let remote = SocketAddrV4::new(src, seg.src_port);
        let known = self
            .ix
            .by_tuple
            .get(&super::tuple(local, remote))
            .and_then(|v| v.first().copied());
        if let Some(s) = known.and_then(|key| self.touch(key)) {
            s.conn.handle_segment(now, seg);
            return;
        }
        match self
            .listeners
            .get(&seg.dst_port)
            .map(|l| l.handle_segment(seg))
        {
            Some(ListenAction::Accept) => {
                let iss = self.rng.next_u64() as u32;
                let conn = Connection::accept(local, remote, seg, iss, now);
                let role = match self.app_listen.get(&seg.dst_port) {
                    Some(&app) => {
                        let sock = SockId(self.next_app_sock);
                        self.next_app_sock += 1;
                        self.app_events
                            .push((app, sock, AppTcpEvent::Accepted { local, remote }));
                        Role::App {
                            app,
                            sock,
                            pending: Vec::new(),
                            closing: false,
                            connected: true,
                        }
                    }
                    None => Role::Sink { port: seg.dst_port },
                };
                self.insert(conn, role);
            }
            Some(ListenAction::Reset(rst)) => out.push(super::out(&rst, dst, src)),
            Some(ListenAction::Ignore) => {}
            None => {
                if let Some(rst) = reset_for(seg) {
                    notes.push(Note::TcpPortClosed { port: seg.dst_port });
                    out.push(super::out(&rst, dst, src));
                }
            }
        }
    }

    /// An ICMP destination unreachable about a segment this host sent from
    /// `local` to `remote`; true when it aborted a connection attempt.
    ///
    /// RFC 1122 §4.2.3.9 lets TCP abort on hard errors; a connection still
    /// in SYN-SENT has nothing to protect, so (as Linux does) any
    /// unreachable aborts it and its program fails at once instead of
    /// waiting for the SYN retransmissions to time out. A synchronized
    /// connection carries on.
    pub(crate) fn handle_unreachable(
        &mut self,
        now: SimTime,
        local: SocketAddrV4,
        remote: SocketAddrV4,
        reason: Icmpv4DstUnreachable,
        jobs: &mut [Job],
    ) -> bool {
        let Some(end) = end_for(reason) else {
            return false;
        };
        let key = self
            .ix
            .by_tuple
            .get(&super::tuple(local, remote))
            .and_then(|v| {
                v.iter().copied().find(|k| {
                    self.socks
                        .get(k)
                        .is_some_and(|s| s.conn.state() == State::SynSent)
                })
            });
        let Some(key) = key else {
            return false;
        };
        if self.touch(key).is_none() {
            return false;
        }
        let Some(s) = self.socks.get_mut(&key) else {
            return false;
        };
        s.conn.abort();
        match &s.role {
            Role::App { app, sock, .. } => {
                self.app_events.push((*app, *sock, AppTcpEvent::Ended(end)));
            }
            Role::Sender { job, .. } => {
                if let Some(j) = jobs.get_mut(job.0 as usize) {
                    j.println(&format!("Connection failed: {end}."));
                    j.finish(now, false);
                }
            }
            Role::Sink { .. } => {}
        }
        true
    }
}
