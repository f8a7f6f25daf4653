//! The DHCP client: one per network interface (RFC 2131 §4.4, Figure 5).
//!
//! INIT → SELECTING → REQUESTING → BOUND → RENEWING (at T1, unicast) →
//! REBINDING (at T2, broadcast) → lease expiry → INIT; INIT-REBOOT when it
//! remembers an address. With no server answering it falls back to a
//! link-local address (RFC 3927) as desktop systems do, and keeps trying.
//!
//! Mount one per NIC set to DHCP. Call [`Client::start`] when the interface
//! comes up, feed it every DHCP message that arrives on UDP port 68 of that
//! interface ([`Client::handle_message`]), send [`Client::poll_transmit`],
//! call [`Client::handle_timeout`] at [`Client::poll_timeout`], and apply
//! [`ClientEvent`]s to the interface. [`Client::config`] is `ipconfig /all`.

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::VecDeque;

use smoltcp::wire::EthernetAddress;

use super::message::{Message, MessageType, OpCode};
use super::options::OptionCode;
use super::transmit::{Destination, Transmit};
use super::{CLIENT_PORT, Rng, SERVER_PORT};
use crate::SimTime;

pub use super::client_report::{
    ClientConfig, ClientEvent, ClientNote, ClientState, ConfigSource, IpConfig,
};

/// REQUESTs sent in REQUESTING or REBOOTING before starting over.
const REQUEST_TRIES: u32 = 4;
/// RFC 2131 §4.4.5: retransmissions in RENEWING/REBINDING wait at least 60 s.
const MIN_RENEW_RETRY: Duration = Duration::from_secs(60);
/// RFC 2131 §3.1: after a DECLINE "the client SHOULD wait a minimum of ten
/// seconds before restarting the configuration process".
const DECLINE_WAIT: Duration = Duration::from_secs(10);

/// A DHCP client for one interface.
#[derive(Clone, Debug)]
pub struct Client {
    config: ClientConfig,
    state: ClientState,
    rng: Rng,
    xid: u32,
    /// When the current exchange began (for `secs` and the fallback).
    started: SimTime,
    /// When the last REQUEST went out (lease times count from it).
    last_sent: SimTime,
    attempt: u32,
    timer: Option<SimTime>,
    /// Between rounds, after falling back.
    waiting: bool,
    /// Offer taken in SELECTING: (address, server).
    offer: Option<(Ipv4Addr, Ipv4Addr)>,
    lease: Option<IpConfig>,
    autoconf: Option<IpConfig>,
    /// Last leased address, asked for again (INIT-REBOOT, DISCOVER).
    remembered: Option<Ipv4Addr>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<ClientEvent>,
    notes: VecDeque<ClientNote>,
}

impl Client {
    /// An idle client (INIT); nothing is sent until [`start`](Self::start).
    pub fn new(config: ClientConfig) -> Client {
        let rng = Rng::new(
            config.seed
                ^ u64::from_be_bytes({
                    let mut b = [0; 8];
                    b[2..].copy_from_slice(config.mac.as_bytes());
                    b
                }),
        );
        Client {
            config,
            state: ClientState::Init,
            rng,
            xid: 0,
            started: SimTime::ZERO,
            last_sent: SimTime::ZERO,
            attempt: 0,
            timer: None,
            waiting: false,
            offer: None,
            lease: None,
            autoconf: None,
            remembered: None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// Settings.
    pub fn settings(&self) -> &ClientConfig {
        &self.config
    }

    /// Current state.
    pub fn state(&self) -> ClientState {
        self.state
    }

    /// The interface configuration in use (lease or link-local), for
    /// `ipconfig /all`.
    pub fn config(&self) -> Option<&IpConfig> {
        self.lease.as_ref().or(self.autoconf.as_ref())
    }

    /// The address this client would ask for again after a reboot.
    pub fn remembered(&self) -> Option<Ipv4Addr> {
        self.remembered
    }

    /// Sets the address to ask for on the next [`reboot`](Self::reboot).
    pub fn remember(&mut self, address: Option<Ipv4Addr>) {
        self.remembered = address;
    }

    /// Next outgoing message.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Next change to apply to the interface.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// Next note for the trace.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<ClientNote> {
        self.notes.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.timer
    }

    /// Interface up: start from INIT (DISCOVER).
    pub fn start(&mut self, now: SimTime) {
        self.select(now);
    }

    /// Interface up after a reboot: INIT-REBOOT with the remembered address
    /// (RFC 2131 §3.2), or INIT if there is none.
    pub fn reboot(&mut self, now: SimTime) {
        let Some(address) = self.remembered else {
            return self.select(now);
        };
        self.drop_config();
        self.begin(now, ClientState::Rebooting);
        self.offer = Some((address, Ipv4Addr::UNSPECIFIED));
        self.send_request(now);
    }

    /// `ipconfig /renew`: extend the lease now, or start over when there is
    /// none.
    pub fn renew(&mut self, now: SimTime) {
        match (&self.lease, self.state) {
            (Some(l), ClientState::Bound | ClientState::Renewing | ClientState::Rebinding) => {
                let server = l.server.unwrap_or(Ipv4Addr::BROADCAST);
                self.begin(now, ClientState::Renewing);
                self.notes.push_back(ClientNote::Renewing { server });
                self.send_request(now);
            }
            _ => self.select(now),
        }
    }

    /// `ipconfig /release`: RELEASE to the server (unicast), drop the
    /// address, and wait for [`renew`](Self::renew).
    pub fn release(&mut self, now: SimTime) {
        if let Some(l) = self.lease.clone() {
            let mut m = self.message(now, MessageType::Release);
            m.ciaddr = l.address;
            m.options.server_id = l.server;
            m.options.parameter_request_list.clear();
            if let Some(server) = l.server {
                self.push(
                    l.address,
                    Destination::Unicast {
                        ip: server,
                        port: SERVER_PORT,
                    },
                    m,
                );
            }
            self.notes
                .push_back(ClientNote::Released { address: l.address });
        }
        self.drop_config();
        self.remembered = None;
        self.state = ClientState::Released;
        self.timer = None;
    }

    /// The NIC stops using DHCP (set to a static address, or removed): drop
    /// the configuration without telling the server, and go idle.
    pub fn stop(&mut self) {
        self.drop_config();
        self.state = ClientState::Init;
        self.timer = None;
        self.offer = None;
    }

    /// The address just acknowledged is in use by another host (an ARP probe
    /// got an answer): DECLINE it and start over after ten seconds.
    pub fn decline(&mut self, now: SimTime) {
        let Some(l) = self.lease.clone() else { return };
        let mut m = self.message(now, MessageType::Decline);
        m.options.requested_ip = Some(l.address);
        m.options.server_id = l.server;
        m.options.parameter_request_list.clear();
        self.push(
            Ipv4Addr::UNSPECIFIED,
            Destination::Broadcast { port: SERVER_PORT },
            m,
        );
        self.notes
            .push_back(ClientNote::Declined { address: l.address });
        self.drop_config();
        self.remembered = None;
        self.state = ClientState::Init;
        self.timer = Some(now + DECLINE_WAIT);
    }

    /// Handles a DHCP message that arrived on UDP port 68 of this interface.
    pub fn handle_message(&mut self, now: SimTime, msg: &Message) {
        if msg.op != OpCode::BootReply || msg.chaddr != self.config.mac || msg.xid != self.xid {
            return;
        }
        let server = msg.options.server_id;
        match (msg.kind(), self.state) {
            (Some(MessageType::Offer), ClientState::Selecting) => {
                let Some(server) = server.filter(|_| !msg.yiaddr.is_unspecified()) else {
                    return;
                };
                // RFC 2131 §4.4.1: the client "chooses one server from
                // which to request configuration parameters" — we take the
                // first, like most clients.
                self.notes.push_back(ClientNote::OfferTaken {
                    address: msg.yiaddr,
                    server,
                });
                self.offer = Some((msg.yiaddr, server));
                self.state = ClientState::Requesting;
                self.attempt = 0;
                self.waiting = false;
                self.send_request(now);
            }
            (Some(MessageType::Offer), ClientState::Requesting) => {
                if let Some(server) = server {
                    self.notes.push_back(ClientNote::OfferIgnored {
                        address: msg.yiaddr,
                        server,
                    });
                }
            }
            (
                Some(MessageType::Ack),
                ClientState::Requesting
                | ClientState::Rebooting
                | ClientState::Renewing
                | ClientState::Rebinding,
            ) if !msg.yiaddr.is_unspecified() => self.bind(now, msg),
            (
                Some(MessageType::Nak),
                ClientState::Requesting
                | ClientState::Rebooting
                | ClientState::Renewing
                | ClientState::Rebinding,
            ) => {
                // RFC 2131 §4.4.2: "If the client receives a DHCPNAK
                // message, the client restarts the configuration process."
                self.notes.push_back(ClientNote::Nak {
                    server,
                    message: msg.options.message.clone(),
                });
                self.remembered = None;
                self.drop_config();
                self.select(now);
            }
            _ => {}
        }
    }

    /// Acts on timers: retransmissions, T1, T2, expiry, fallback.
    pub fn handle_timeout(&mut self, now: SimTime) {
        if self.timer.is_none_or(|t| t > now) {
            return;
        }
        self.timer = None;
        let fallback_at =
            self.started + Duration::from_secs(self.config.fallback_after_secs.into());
        match self.state {
            ClientState::Init => self.select(now),
            ClientState::Selecting if self.waiting => self.select(now),
            ClientState::Selecting if now >= fallback_at => {
                if self.autoconf.is_none() {
                    self.fall_back(now);
                }
                self.waiting = true;
                self.timer =
                    Some(now + Duration::from_secs(self.config.background_retry_secs.into()));
            }
            ClientState::Selecting => {
                self.attempt += 1;
                self.notes.push_back(ClientNote::Retransmit {
                    kind: MessageType::Discover,
                    attempt: self.attempt + 1,
                });
                let m = self.discover(now);
                self.push(
                    Ipv4Addr::UNSPECIFIED,
                    Destination::Broadcast { port: SERVER_PORT },
                    m,
                );
                // A round lasts `fallback_after_secs`; then (fallen back)
                // the next round starts `background_retry_secs` later.
                self.timer = Some((now + self.backoff()).min(fallback_at));
            }
            ClientState::Requesting | ClientState::Rebooting
                if self.attempt + 1 >= REQUEST_TRIES =>
            {
                self.notes.push_back(ClientNote::NoAck);
                self.select(now);
            }
            ClientState::Requesting | ClientState::Rebooting => {
                self.attempt += 1;
                self.notes.push_back(ClientNote::Retransmit {
                    kind: MessageType::Request,
                    attempt: self.attempt + 1,
                });
                self.send_request(now);
            }
            ClientState::Bound => {
                let server = self
                    .lease
                    .as_ref()
                    .and_then(|l| l.server)
                    .unwrap_or(Ipv4Addr::BROADCAST);
                self.begin(now, ClientState::Renewing);
                self.notes.push_back(ClientNote::Renewing { server });
                self.send_request(now);
            }
            ClientState::Renewing | ClientState::Rebinding => {
                let Some(l) = self.lease.clone() else {
                    return self.select(now);
                };
                if l.expires.is_some_and(|e| now >= e) {
                    self.notes
                        .push_back(ClientNote::LeaseExpired { address: l.address });
                    self.drop_config();
                    self.select(now);
                    return;
                }
                if self.state == ClientState::Renewing && l.rebind_at.is_some_and(|t| now >= t) {
                    self.begin(now, ClientState::Rebinding);
                    self.notes.push_back(ClientNote::Rebinding);
                } else {
                    self.attempt += 1;
                    self.notes.push_back(ClientNote::Retransmit {
                        kind: MessageType::Request,
                        attempt: self.attempt + 1,
                    });
                }
                self.send_request(now);
            }
            ClientState::Released => {}
        }
    }

    /// Starts a new exchange in `state` with a fresh xid.
    fn begin(&mut self, now: SimTime, state: ClientState) {
        self.state = state;
        self.xid = self.rng.next_u32();
        self.started = now;
        self.attempt = 0;
        self.waiting = false;
    }

    /// INIT → SELECTING: broadcast a DISCOVER.
    fn select(&mut self, now: SimTime) {
        self.begin(now, ClientState::Selecting);
        self.offer = None;
        let m = self.discover(now);
        self.push(
            Ipv4Addr::UNSPECIFIED,
            Destination::Broadcast { port: SERVER_PORT },
            m,
        );
        let fallback_at = now + Duration::from_secs(self.config.fallback_after_secs.into());
        self.timer = Some((now + self.backoff()).min(fallback_at));
    }

    fn discover(&self, now: SimTime) -> Message {
        let mut m = self.message(now, MessageType::Discover);
        m.options.requested_ip = self.remembered;
        m
    }

    /// Sends (or resends) the REQUEST of the current state and sets the
    /// retransmission timer.
    fn send_request(&mut self, now: SimTime) {
        let mut m = self.message(now, MessageType::Request);
        let lease = self.lease.clone();
        let (src, dst) = match (self.state, &lease) {
            (ClientState::Renewing, Some(l)) => {
                // RFC 2131 §4.4.5: at T1 the client "sends a DHCPREQUEST to
                // the server ... unicast" with 'ciaddr' set.
                m.ciaddr = l.address;
                m.broadcast = false;
                let ip = l.server.unwrap_or(Ipv4Addr::BROADCAST);
                (
                    l.address,
                    Destination::Unicast {
                        ip,
                        port: SERVER_PORT,
                    },
                )
            }
            (ClientState::Rebinding, Some(l)) => {
                m.ciaddr = l.address;
                m.broadcast = false;
                (l.address, Destination::Broadcast { port: SERVER_PORT })
            }
            _ => {
                // SELECTING → REQUESTING names the chosen server; INIT-REBOOT
                // only names the address (RFC 2131 §4.3.2, Table 4).
                let (address, server) = self
                    .offer
                    .unwrap_or((Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED));
                m.options.requested_ip = Some(address);
                m.options.server_id = Some(server).filter(|s| !s.is_unspecified());
                (
                    Ipv4Addr::UNSPECIFIED,
                    Destination::Broadcast { port: SERVER_PORT },
                )
            }
        };
        self.push(src, dst, m);
        self.last_sent = now;
        self.timer = Some(match (self.state, &lease) {
            (ClientState::Renewing, Some(l)) => renew_retry(now, l.rebind_at.or(l.expires)),
            (ClientState::Rebinding, Some(l)) => renew_retry(now, l.expires),
            _ => now + self.backoff(),
        });
    }

    /// RFC 2131 §4.1: "the delay before the first retransmission SHOULD be 4
    /// seconds randomized by the value of a uniform random number chosen from
    /// the range -1 to +1 ... The delay before the next retransmission SHOULD
    /// be 8 seconds ... up to a maximum of 64 seconds."
    fn backoff(&mut self) -> Duration {
        let base = 4u64
            .checked_shl(self.attempt.min(20))
            .unwrap_or(u64::MAX)
            .min(self.config.max_backoff_secs.max(1).into());
        let jitter_ms = self.rng.next_u64() % 2_001;
        Duration::from_millis(base * 1_000 + jitter_ms).saturating_sub(Duration::from_secs(1))
    }

    fn message(&self, now: SimTime, kind: MessageType) -> Message {
        let mut m = Message::new(OpCode::BootRequest, kind, self.xid, self.config.mac);
        m.secs = u16::try_from(now.saturating_since(self.started).as_secs()).unwrap_or(u16::MAX);
        m.broadcast = self.config.broadcast_flag;
        let mut id = vec![1];
        id.extend_from_slice(self.config.mac.as_bytes());
        m.options.client_id = Some(id);
        m.options.host_name = self.config.host_name.clone();
        m.options.parameter_request_list = vec![
            OptionCode::SubnetMask,
            OptionCode::Router,
            OptionCode::DomainNameServer,
            OptionCode::DomainName,
            OptionCode::LeaseTime,
            OptionCode::RenewalTime,
            OptionCode::RebindingTime,
        ];
        m
    }

    fn push(&mut self, src: Ipv4Addr, dst: Destination, message: Message) {
        self.transmits.push_back(Transmit {
            src,
            src_port: CLIENT_PORT,
            dst,
            message,
        });
    }

    /// ACK received: record the lease (RFC 2131 §4.4.1: times count from
    /// when the REQUEST was sent).
    fn bind(&mut self, now: SimTime, msg: &Message) {
        let o = &msg.options;
        let t0 = self.last_sent;
        // A zero lease (a misconfigured server) would renew in a tight loop:
        // count it as one second.
        let secs = o.lease_time.filter(|s| *s != u32::MAX).map(|s| s.max(1));
        let at = |s: u32| t0 + Duration::from_secs(s.into());
        let (expires, renew_at, rebind_at) = match secs {
            Some(s) => (
                Some(at(s)),
                Some(at(o.renewal_time.unwrap_or(s / 2).min(s))),
                Some(at(o
                    .rebinding_time
                    .unwrap_or((u64::from(s) * 7 / 8) as u32)
                    .min(s))),
            ),
            None => (None, None, None),
        };
        let config = IpConfig {
            source: ConfigSource::Dhcp,
            address: msg.yiaddr,
            mask: o.subnet_mask.unwrap_or_else(|| natural_mask(msg.yiaddr)),
            gateway: o.routers.first().copied(),
            dns_servers: o.dns_servers.clone(),
            domain_name: o.domain_name.clone(),
            server: o.server_id.or(self.lease.as_ref().and_then(|l| l.server)),
            obtained: now,
            expires,
            renew_at,
            rebind_at,
        };
        let changed = self.config().is_none_or(|c| !c.same_settings(&config));
        self.notes.push_back(ClientNote::Bound {
            address: config.address,
            lease_secs: secs,
            server: config.server,
        });
        if changed {
            self.events
                .push_back(ClientEvent::Configured(config.clone()));
        }
        self.remembered = Some(config.address);
        self.timer = renew_at;
        self.autoconf = None;
        self.lease = Some(config);
        self.state = ClientState::Bound;
        self.offer = None;
    }

    /// No server answered: take a link-local address (RFC 3927 §2.1, the
    /// pseudo-random choice seeded by the MAC, here with our seed too).
    fn fall_back(&mut self, now: SimTime) {
        let address = link_local(self.config.mac, self.config.seed);
        let config = IpConfig {
            source: ConfigSource::Autoconfig,
            address,
            mask: Ipv4Addr::new(255, 255, 0, 0),
            gateway: None,
            dns_servers: Vec::new(),
            domain_name: None,
            server: None,
            obtained: now,
            expires: None,
            renew_at: None,
            rebind_at: None,
        };
        self.notes
            .push_back(ClientNote::Failed { fallback: address });
        self.events
            .push_back(ClientEvent::Configured(config.clone()));
        self.autoconf = Some(config);
    }

    /// Forgets lease and fallback, telling the interface.
    fn drop_config(&mut self) {
        if let Some(c) = self.lease.take().or(self.autoconf.take()) {
            self.events
                .push_back(ClientEvent::Deconfigured { address: c.address });
        }
        self.autoconf = None;
    }
}

/// Half the time left until `deadline`, at least 60 s, never past it.
fn renew_retry(now: SimTime, deadline: Option<SimTime>) -> SimTime {
    match deadline {
        Some(d) => (now + (d.saturating_since(now) / 2).max(MIN_RENEW_RETRY))
            .min(d)
            .max(now),
        None => now + MIN_RENEW_RETRY,
    }
}

/// The classful mask, for an ACK without option 1.
fn natural_mask(a: Ipv4Addr) -> Ipv4Addr {
    match a.octets()[0] {
        0..=127 => Ipv4Addr::new(255, 0, 0, 0),
        128..=191 => Ipv4Addr::new(255, 255, 0, 0),
        _ => Ipv4Addr::new(255, 255, 255, 0),
    }
}

/// A link-local address in 169.254.1.0 – 169.254.254.255 (RFC 3927 §2.1),
/// the same for the same MAC and seed.
pub fn link_local(mac: EthernetAddress, seed: u64) -> Ipv4Addr {
    let mut b = [0; 8];
    b[2..].copy_from_slice(mac.as_bytes());
    let mut rng = Rng::new(seed ^ u64::from_be_bytes(b) ^ 0x1a9e_0000);
    let h = rng.next_u64();
    Ipv4Addr::new(169, 254, 1 + (h % 254) as u8, (h >> 8) as u8)
}
