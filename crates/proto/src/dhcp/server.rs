//! The DHCP server engine (RFC 2131 §4.3).
//!
//! Mount one per server device. Feed it every datagram that arrives on UDP
//! port 67 with [`Server::handle_message`] (or [`Server::handle_bytes`]),
//! saying which interface it came in on ([`Arrival`]); send what
//! [`Server::poll_transmit`] returns; call [`Server::handle_timeout`] at
//! [`Server::poll_timeout`] so offers lapse and leases expire; show
//! [`Server::poll_note`] in the trace and [`Server::leases`] on the lease page.

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::VecDeque;

use super::message::{Message, MessageType, OpCode};
use super::pool::{Lease, LeaseState, LeaseTable, PoolConfig, ServerConfig};
use super::transmit::{Destination, Transmit};
use super::{CLIENT_PORT, SERVER_PORT};
use crate::SimTime;

pub use super::server_note::{NakReason, ServerNote};

/// Where a message reached the server.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// Address of the server interface it arrived on. Replies leave from it
    /// and it is the server identifier (option 54). Without a relay, the pool
    /// is the one whose network contains it.
    pub interface: Ipv4Addr,
}

/// A DHCP server: configuration, lease table and output queues.
#[derive(Clone, Debug)]
pub struct Server {
    config: ServerConfig,
    leases: LeaseTable,
    transmits: VecDeque<Transmit>,
    notes: VecDeque<ServerNote>,
}

impl Server {
    /// A server with an empty lease table.
    pub fn new(config: ServerConfig) -> Server {
        Server::with_leases(config, LeaseTable::default())
    }

    /// A server that resumes with a saved lease table.
    pub fn with_leases(config: ServerConfig, leases: LeaseTable) -> Server {
        Server {
            config,
            leases,
            transmits: VecDeque::new(),
            notes: VecDeque::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Replaces the configuration live; existing leases run on.
    pub fn set_config(&mut self, config: ServerConfig) {
        self.config = config;
    }

    /// The lease table.
    pub fn leases(&self) -> &LeaseTable {
        &self.leases
    }

    /// Forgets every lease (the lease page's "clear"); clients learn of it
    /// when they next renew.
    pub fn clear_leases(&mut self) {
        self.leases.clear();
    }

    /// Free addresses of a pool now, for the UI.
    pub fn free_count(&self, pool: &str) -> Option<usize> {
        let p = self.config.pools.iter().find(|p| p.name == pool)?;
        Some(self.leases.free_count(p, &Self::service_addrs(p)))
    }

    /// Next outgoing message.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Next note for the trace.
    #[must_use]
    pub fn poll_note(&mut self) -> Option<ServerNote> {
        self.notes.pop_front()
    }

    /// When an offer lapses or a lease expires next.
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.leases.next_expiry()
    }

    /// Returns lapsed offers and expired leases to their pools.
    pub fn handle_timeout(&mut self, now: SimTime) {
        for l in self.leases.expire(now) {
            let (address, mac) = (l.address, l.mac);
            self.notes.push_back(match l.state {
                LeaseState::Offered => ServerNote::OfferLapsed { address, mac },
                LeaseState::Bound => ServerNote::Expired { address, mac },
                LeaseState::Declined => ServerNote::DeclineEnded { address },
            });
        }
    }

    /// Parses and handles a UDP payload that arrived on port 67.
    pub fn handle_bytes(&mut self, now: SimTime, arrival: Arrival, bytes: &[u8]) {
        match Message::from_bytes(bytes) {
            Ok(m) => self.handle_message(now, arrival, &m),
            Err(e) => self.notes.push_back(ServerNote::Malformed(e)),
        }
    }

    /// Handles a message that arrived on port 67.
    pub fn handle_message(&mut self, now: SimTime, arrival: Arrival, msg: &Message) {
        if msg.op != OpCode::BootRequest {
            return;
        }
        let Some(kind) = msg.kind() else { return };
        // The client's subnet: the relay's when relayed; else the one of
        // 'ciaddr' (a unicast renewal, RELEASE or INFORM may cross routers);
        // else the receiving interface's.
        let pools = &self.config.pools;
        let key = if !msg.giaddr.is_unspecified() {
            msg.giaddr
        } else if !msg.ciaddr.is_unspecified() && pools.iter().any(|p| p.contains(msg.ciaddr)) {
            msg.ciaddr
        } else {
            arrival.interface
        };
        let Some(pool) = self.config.pools.iter().find(|p| p.contains(key)).cloned() else {
            let giaddr = Some(msg.giaddr).filter(|g| !g.is_unspecified());
            self.notes.push_back(ServerNote::NoPool {
                interface: arrival.interface,
                giaddr,
            });
            return;
        };
        let mut busy = Self::service_addrs(&pool);
        busy.extend([arrival.interface, msg.giaddr]);
        match kind {
            MessageType::Discover => self.discover(now, arrival, msg, &pool, &busy),
            MessageType::Request => self.request(now, arrival, msg, &pool, &busy),
            MessageType::Decline => {
                // A DECLINE is broadcast: only the server it names acts on it.
                let Some(address) = msg.options.requested_ip.filter(|a| pool.contains(*a)) else {
                    return;
                };
                if msg
                    .options
                    .server_id
                    .is_some_and(|s| s != arrival.interface)
                {
                    return;
                }
                if self
                    .leases
                    .of_client(msg.chaddr, &pool.name)
                    .is_some_and(|l| l.address == address)
                {
                    self.leases.remove_client(msg.chaddr, &pool.name);
                }
                let hold_secs = self.config.decline_hold_secs;
                self.leases.insert(Lease {
                    mac: msg.chaddr,
                    address,
                    pool: pool.name.clone(),
                    state: LeaseState::Declined,
                    since: now,
                    expires: Some(now + Duration::from_secs(hold_secs.into())),
                    host_name: None,
                });
                self.notes.push_back(ServerNote::Declined {
                    address,
                    mac: msg.chaddr,
                    hold_secs,
                });
            }
            MessageType::Release => {
                let mine = self.leases.of_client(msg.chaddr, &pool.name);
                if mine.is_some_and(|l| l.address == msg.ciaddr) {
                    self.leases.remove_client(msg.chaddr, &pool.name);
                    self.notes.push_back(ServerNote::Released {
                        address: msg.ciaddr,
                        mac: msg.chaddr,
                    });
                }
            }
            MessageType::Inform => {
                // RFC 2131 §4.3.5: "The server MUST NOT send a lease
                // expiration time to the client and SHOULD NOT fill in
                // 'yiaddr'."
                let reply = self.reply(
                    MessageType::Ack,
                    arrival,
                    msg,
                    &pool,
                    Ipv4Addr::UNSPECIFIED,
                    false,
                );
                self.notes.push_back(ServerNote::Informed {
                    address: msg.ciaddr,
                });
                self.send(arrival, msg, reply);
            }
            _ => {}
        }
    }

    /// Addresses of a pool's own services, never handed out: the gateway and
    /// the DNS servers (a stand-in for the ping check real servers do).
    fn service_addrs(pool: &PoolConfig) -> Vec<Ipv4Addr> {
        pool.gateway
            .iter()
            .chain(&pool.dns_servers)
            .copied()
            .collect()
    }

    fn discover(
        &mut self,
        now: SimTime,
        arrival: Arrival,
        msg: &Message,
        pool: &PoolConfig,
        busy: &[Ipv4Addr],
    ) {
        let Some(address) = self
            .leases
            .choose(pool, msg.chaddr, msg.options.requested_ip, busy)
        else {
            self.notes.push_back(ServerNote::PoolExhausted {
                pool: pool.name.clone(),
                mac: msg.chaddr,
            });
            return;
        };
        // RFC 2131 §4.3.1: "the server SHOULD reserve the offered network
        // address" (until the offer lapses); a bound lease stays bound.
        let bound = self
            .leases
            .of_client(msg.chaddr, &pool.name)
            .is_some_and(|l| l.address == address && l.state == LeaseState::Bound);
        if !bound {
            self.leases.insert(Lease {
                mac: msg.chaddr,
                address,
                pool: pool.name.clone(),
                state: LeaseState::Offered,
                since: now,
                expires: Some(now + Duration::from_secs(self.config.offer_hold_secs.into())),
                host_name: msg.options.host_name.clone(),
            });
        }
        self.notes.push_back(ServerNote::Offered {
            address,
            mac: msg.chaddr,
            lease: pool.lease_time,
        });
        let reply = self.reply(MessageType::Offer, arrival, msg, pool, address, true);
        self.send(arrival, msg, reply);
    }

    fn request(
        &mut self,
        now: SimTime,
        arrival: Arrival,
        msg: &Message,
        pool: &PoolConfig,
        busy: &[Ipv4Addr],
    ) {
        let mac = msg.chaddr;
        let mine = self.leases.of_client(mac, &pool.name).map(|l| l.address);
        if let Some(server) = msg.options.server_id.filter(|s| *s != arrival.interface) {
            // RFC 2131 §3.1: "Those servers not selected by the DHCPREQUEST
            // message use the message as notification that the client has
            // declined that server's offer."
            let offered = self
                .leases
                .of_client(mac, &pool.name)
                .filter(|l| l.state == LeaseState::Offered)
                .map(|l| l.address);
            if offered.is_some() {
                self.leases.remove_client(mac, &pool.name);
            }
            self.notes.push_back(ServerNote::OtherServerChosen {
                server,
                withdrawn: offered,
            });
            return;
        }
        let selecting = msg.options.server_id.is_some();
        let Some(address) = msg
            .options
            .requested_ip
            .or(Some(msg.ciaddr).filter(|c| !c.is_unspecified()))
            .or(mine.filter(|_| selecting))
        else {
            return;
        };
        let reason = if !pool.contains(address) {
            Some(NakReason::WrongSubnet)
        } else if mine == Some(address)
            || ((selecting || pool.reservation(mac) == Some(address))
                && self.leases.is_free(pool, address, Some(mac), busy))
        {
            None
        } else if pool
            .reservations
            .iter()
            .any(|r| r.address == address && r.mac != mac)
            || self
                .leases
                .of_address(address)
                .is_some_and(|l| l.mac != mac)
        {
            Some(NakReason::Taken)
        } else if selecting {
            Some(NakReason::NotAvailable)
        } else {
            // INIT-REBOOT, RENEWING or REBINDING with no binding here.
            // RFC 2131 §4.3.2: "If the DHCP server has no record of this
            // client, then it MUST remain silent".
            self.notes.push_back(ServerNote::NoRecord { address, mac });
            return;
        };
        if let Some(reason) = reason {
            self.notes.push_back(ServerNote::Naked {
                address,
                mac,
                reason,
            });
            let mut nak = self.reply(
                MessageType::Nak,
                arrival,
                msg,
                pool,
                Ipv4Addr::UNSPECIFIED,
                false,
            );
            nak.options = super::Options {
                message_type: Some(MessageType::Nak),
                server_id: Some(arrival.interface),
                message: Some(format!("{address}: {reason}")),
                ..super::Options::default()
            };
            nak.ciaddr = Ipv4Addr::UNSPECIFIED;
            if !msg.giaddr.is_unspecified() {
                // RFC 2131 §4.3.2: "the server ... sets the broadcast bit in
                // the DHCPNAK" when it goes through a relay agent.
                nak.broadcast = true;
            }
            self.send(arrival, msg, nak);
            return;
        }
        self.leases.insert(Lease {
            mac,
            address,
            pool: pool.name.clone(),
            state: LeaseState::Bound,
            since: now,
            expires: pool.lease_time.expiry(now),
            host_name: msg.options.host_name.clone(),
        });
        self.notes.push_back(ServerNote::Acked {
            address,
            mac,
            lease: pool.lease_time,
        });
        let ack = self.reply(MessageType::Ack, arrival, msg, pool, address, true);
        self.send(arrival, msg, ack);
    }

    /// A reply carrying the pool's options (RFC 2131 §4.3.1, Table 3).
    fn reply(
        &self,
        kind: MessageType,
        arrival: Arrival,
        msg: &Message,
        pool: &PoolConfig,
        yiaddr: Ipv4Addr,
        with_lease: bool,
    ) -> Message {
        let mut r = Message::new(OpCode::BootReply, kind, msg.xid, msg.chaddr);
        r.broadcast = msg.broadcast;
        r.giaddr = msg.giaddr;
        r.yiaddr = yiaddr;
        if kind != MessageType::Offer {
            r.ciaddr = msg.ciaddr;
        }
        let o = &mut r.options;
        o.server_id = Some(arrival.interface);
        if with_lease {
            o.lease_time = Some(pool.lease_time.wire());
            if let Some(s) = pool.lease_time.secs() {
                // RFC 2131 §4.4.5: T1 defaults to 0.5 × lease, T2 to 0.875 × lease.
                o.renewal_time = Some(s / 2);
                o.rebinding_time = Some((u64::from(s) * 7 / 8) as u32);
            }
        }
        o.subnet_mask = Some(pool.mask);
        o.routers = pool.gateway.into_iter().collect();
        o.dns_servers = pool.dns_servers.clone();
        o.domain_name = pool.domain_name.clone();
        r
    }

    /// Queues `reply` to where RFC 2131 §4.1 says it goes.
    fn send(&mut self, arrival: Arrival, req: &Message, reply: Message) {
        let dst = if !req.giaddr.is_unspecified() {
            Destination::Unicast {
                ip: req.giaddr,
                port: SERVER_PORT,
            }
        } else if reply.kind() == Some(MessageType::Nak) {
            // "In all cases, when 'giaddr' is zero, the server broadcasts any
            // DHCPNAK messages to 0xffffffff."
            Destination::Broadcast { port: CLIENT_PORT }
        } else if !req.ciaddr.is_unspecified() {
            Destination::Unicast {
                ip: req.ciaddr,
                port: CLIENT_PORT,
            }
        } else if req.broadcast {
            Destination::Broadcast { port: CLIENT_PORT }
        } else {
            Destination::Hardware {
                ip: reply.yiaddr,
                mac: req.chaddr,
                port: CLIENT_PORT,
            }
        };
        self.transmits.push_back(Transmit {
            src: arrival.interface,
            src_port: SERVER_PORT,
            dst,
            message: reply,
        });
    }
}
