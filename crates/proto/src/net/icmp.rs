//! The client side of ICMP echo (RFC 792): one probe outstanding at a time,
//! matched by identifier and sequence number, with a timeout. `ping` and
//! `tracert` are built on it.

use core::time::Duration;
use std::net::Ipv4Addr;

use smoltcp::wire::{Icmpv4DstUnreachable, Icmpv4Repr};

use crate::SimTime;

/// How one probe ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    /// An echo reply came back.
    Reply {
        /// Who answered.
        from: Ipv4Addr,
        /// Round-trip time.
        rtt: Duration,
        /// TTL of the reply.
        ttl: u8,
        /// Bytes of echo data.
        bytes: usize,
    },
    /// A router said the TTL ran out.
    TimeExceeded {
        /// The router.
        from: Ipv4Addr,
        /// Round-trip time.
        rtt: Duration,
    },
    /// Someone said the destination cannot be reached.
    Unreachable {
        /// Who said so.
        from: Ipv4Addr,
        /// Why.
        reason: Icmpv4DstUnreachable,
        /// Round-trip time.
        rtt: Duration,
    },
    /// Nothing came back in time.
    TimedOut,
}

#[derive(Copy, Clone, Debug)]
struct Outstanding {
    seq: u16,
    sent: SimTime,
}

/// An echo client: sends probes, matches answers, times them out.
#[derive(Clone, Debug)]
pub struct EchoClient {
    ident: u16,
    next_seq: u16,
    timeout: Duration,
    outstanding: Option<Outstanding>,
}

impl EchoClient {
    /// A client with ICMP identifier `ident` waiting `timeout` for each answer.
    pub fn new(ident: u16, timeout: Duration) -> Self {
        EchoClient {
            ident,
            next_seq: 1,
            timeout,
            outstanding: None,
        }
    }

    /// The ICMP identifier of this client's probes.
    pub fn ident(&self) -> u16 {
        self.ident
    }

    /// Starts a probe; returns the sequence number to put in the echo request.
    pub fn start_probe(&mut self, now: SimTime) -> u16 {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.outstanding = Some(Outstanding { seq, sent: now });
        seq
    }

    /// Forgets the outstanding probe (it could not be sent).
    pub fn cancel(&mut self) {
        self.outstanding = None;
    }

    /// Whether a probe is waiting for an answer.
    pub fn is_waiting(&self) -> bool {
        self.outstanding.is_some()
    }

    /// Matches an ICMP message (from `from`, with IP TTL `ttl`) against the
    /// outstanding probe. Answers that are not ours give `None`.
    pub fn handle_icmp(
        &mut self,
        now: SimTime,
        from: Ipv4Addr,
        ttl: u8,
        repr: &Icmpv4Repr<'_>,
    ) -> Option<ProbeResult> {
        let out = self.outstanding?;
        let rtt = now - out.sent;
        let quoted = |data: &[u8]| -> Option<(u16, u16)> {
            // The quoted header is followed by the first 8 bytes of the echo request.
            if data.len() < 8 || data[0] != 8 {
                return None;
            }
            Some((
                u16::from_be_bytes([data[4], data[5]]),
                u16::from_be_bytes([data[6], data[7]]),
            ))
        };
        let result = match *repr {
            Icmpv4Repr::EchoReply {
                ident,
                seq_no,
                data,
            } if ident == self.ident && seq_no == out.seq => ProbeResult::Reply {
                from,
                rtt,
                ttl,
                bytes: data.len(),
            },
            Icmpv4Repr::TimeExceeded { data, .. }
                if quoted(data) == Some((self.ident, out.seq)) =>
            {
                ProbeResult::TimeExceeded { from, rtt }
            }
            Icmpv4Repr::DstUnreachable { reason, data, .. }
                if quoted(data) == Some((self.ident, out.seq)) =>
            {
                ProbeResult::Unreachable { from, reason, rtt }
            }
            _ => return None,
        };
        self.outstanding = None;
        Some(result)
    }

    /// When the outstanding probe times out.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.outstanding.map(|o| o.sent + self.timeout)
    }

    /// Gives up on the outstanding probe if its time is up.
    pub fn handle_timeout(&mut self, now: SimTime) -> Option<ProbeResult> {
        let t = self.poll_timeout()?;
        if now >= t {
            self.outstanding = None;
            Some(ProbeResult::TimedOut)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::packet;
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{Icmpv4Packet, IpProtocol};

    #[test]
    fn matches_replies_and_errors_and_times_out() {
        let mut c = EchoClient::new(42, Duration::from_secs(4));
        let seq = c.start_probe(SimTime::ZERO);
        let other = Icmpv4Repr::EchoReply {
            ident: 1,
            seq_no: seq,
            data: &[],
        };
        let from = Ipv4Addr::new(10, 0, 0, 1);
        assert_eq!(c.handle_icmp(SimTime::ZERO, from, 64, &other), None);
        let mine = Icmpv4Repr::EchoReply {
            ident: 42,
            seq_no: seq,
            data: &[0; 32],
        };
        assert_eq!(
            c.handle_icmp(SimTime::from_millis(3), from, 64, &mine),
            Some(ProbeResult::Reply {
                from,
                rtt: Duration::from_millis(3),
                ttl: 64,
                bytes: 32
            })
        );
        // A time-exceeded quoting our second probe.
        let seq = c.start_probe(SimTime::from_secs(1));
        let req = packet::icmp_echo(false, 42, seq, &[0; 32]);
        let ip = packet::ipv4(from, from, IpProtocol::Icmp, 1, 0, &req);
        let err = packet::icmp_error(packet::IcmpError::TtlExceeded, &ip).unwrap();
        let p = Icmpv4Packet::new_checked(&err[..]).unwrap();
        let r = Icmpv4Repr::parse(&p, &ChecksumCapabilities::default()).unwrap();
        assert!(matches!(
            c.handle_icmp(SimTime::from_secs(2), from, 255, &r),
            Some(ProbeResult::TimeExceeded { .. })
        ));
        c.start_probe(SimTime::from_secs(3));
        assert_eq!(c.handle_timeout(SimTime::from_secs(5)), None);
        assert_eq!(
            c.handle_timeout(SimTime::from_secs(7)),
            Some(ProbeResult::TimedOut)
        );
        assert!(!c.is_waiting());
    }
}
