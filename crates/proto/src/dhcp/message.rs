//! The DHCP message: BOOTP fixed header, magic cookie and options
//! (RFC 2131 §2, Figure 1), in smoltcp's `wire` style.
//!
//! [`Packet`] is a checked view over bytes; [`Message`] is the plain
//! representation engines work with (`parse`, `buffer_len`, `emit`).
//! `sname` and `file` are not used by lanlab: they are ignored on parse and
//! zeroed on emit, and option overload (52) stays an opaque option.

use core::fmt;
use core::net::Ipv4Addr;

use smoltcp::wire::EthernetAddress;

use super::options::Options;
use super::{Error, Mac};

mod field {
    pub const OP: usize = 0;
    pub const HTYPE: usize = 1;
    pub const HLEN: usize = 2;
    pub const HOPS: usize = 3;
    pub const XID: usize = 4;
    pub const SECS: usize = 8;
    pub const FLAGS: usize = 10;
    pub const CIADDR: usize = 12;
    pub const YIADDR: usize = 16;
    pub const SIADDR: usize = 20;
    pub const GIADDR: usize = 24;
    pub const CHADDR: usize = 28;
    pub const COOKIE: usize = 236;
    pub const OPTIONS: usize = 240;
}

/// The magic cookie 99.130.83.99 (RFC 2131 §3).
pub const MAGIC_COOKIE: u32 = 0x6382_5363;
/// The BROADCAST bit of `flags` (RFC 2131 §2, Figure 2).
const FLAG_BROADCAST: u16 = 0x8000;
/// RFC 1542 §3.2.1: BOOTP messages are at least 300 octets; we pad to it.
const MIN_LEN: usize = 300;

/// BOOTP operation: who sends the message.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OpCode {
    /// 1: client (or relay) to server.
    BootRequest,
    /// 2: server to client.
    BootReply,
    /// Anything else.
    Unknown(u8),
}

impl From<u8> for OpCode {
    fn from(v: u8) -> Self {
        match v {
            1 => Self::BootRequest,
            2 => Self::BootReply,
            v => Self::Unknown(v),
        }
    }
}

impl From<OpCode> for u8 {
    fn from(op: OpCode) -> u8 {
        match op {
            OpCode::BootRequest => 1,
            OpCode::BootReply => 2,
            OpCode::Unknown(v) => v,
        }
    }
}

/// DHCP message type, option 53 (RFC 2132 §9.6).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MessageType {
    /// 1: client looks for servers.
    Discover,
    /// 2: server offers an address.
    Offer,
    /// 3: client asks for (or renews) an address.
    Request,
    /// 4: client found the address already in use.
    Decline,
    /// 5: server confirms the lease.
    Ack,
    /// 6: server refuses the request.
    Nak,
    /// 7: client gives the address back.
    Release,
    /// 8: client with an address asks for options only.
    Inform,
    /// Anything else.
    Unknown(u8),
}

impl From<u8> for MessageType {
    fn from(v: u8) -> Self {
        match v {
            1 => Self::Discover,
            2 => Self::Offer,
            3 => Self::Request,
            4 => Self::Decline,
            5 => Self::Ack,
            6 => Self::Nak,
            7 => Self::Release,
            8 => Self::Inform,
            v => Self::Unknown(v),
        }
    }
}

impl From<MessageType> for u8 {
    fn from(t: MessageType) -> u8 {
        match t {
            MessageType::Discover => 1,
            MessageType::Offer => 2,
            MessageType::Request => 3,
            MessageType::Decline => 4,
            MessageType::Ack => 5,
            MessageType::Nak => 6,
            MessageType::Release => 7,
            MessageType::Inform => 8,
            MessageType::Unknown(v) => v,
        }
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Discover => f.write_str("DISCOVER"),
            Self::Offer => f.write_str("OFFER"),
            Self::Request => f.write_str("REQUEST"),
            Self::Decline => f.write_str("DECLINE"),
            Self::Ack => f.write_str("ACK"),
            Self::Nak => f.write_str("NAK"),
            Self::Release => f.write_str("RELEASE"),
            Self::Inform => f.write_str("INFORM"),
            Self::Unknown(v) => write!(f, "type {v}"),
        }
    }
}

/// A checked view over the bytes of a DHCP message.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

fn get_addr(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps bytes without checking them; accessors may panic on short input.
    pub const fn new_unchecked(buffer: T) -> Packet<T> {
        Packet { buffer }
    }

    /// Wraps bytes after checking the length and the magic cookie; no
    /// accessor can panic afterwards.
    ///
    /// # Errors
    /// [`Error::Truncated`] or [`Error::BadMagicCookie`].
    pub fn new_checked(buffer: T) -> Result<Packet<T>, Error> {
        let p = Packet { buffer };
        p.check_len()?;
        if p.cookie() != MAGIC_COOKIE {
            return Err(Error::BadMagicCookie(p.cookie()));
        }
        Ok(p)
    }

    /// Checks the buffer holds the fixed header and the cookie.
    ///
    /// # Errors
    /// [`Error::Truncated`].
    pub fn check_len(&self) -> Result<(), Error> {
        let len = self.buffer.as_ref().len();
        if len < field::OPTIONS {
            return Err(Error::Truncated { len });
        }
        Ok(())
    }

    /// Gives the bytes back.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn b(&self) -> &[u8] {
        self.buffer.as_ref()
    }

    /// `op`: request or reply.
    pub fn op(&self) -> OpCode {
        OpCode::from(self.b()[field::OP])
    }
    /// `htype`: hardware address type (1 is Ethernet).
    pub fn htype(&self) -> u8 {
        self.b()[field::HTYPE]
    }
    /// `hops`: relay agents crossed.
    pub fn hops(&self) -> u8 {
        self.b()[field::HOPS]
    }
    /// `xid`: transaction id chosen by the client.
    pub fn xid(&self) -> u32 {
        let b = self.b();
        u32::from_be_bytes([b[4], b[5], b[6], b[7]])
    }
    /// `secs`: seconds since the client began.
    pub fn secs(&self) -> u16 {
        u16::from_be_bytes([self.b()[field::SECS], self.b()[field::SECS + 1]])
    }
    /// `flags`.
    pub fn flags(&self) -> u16 {
        u16::from_be_bytes([self.b()[field::FLAGS], self.b()[field::FLAGS + 1]])
    }
    /// `ciaddr`: the client's current address.
    pub fn ciaddr(&self) -> Ipv4Addr {
        get_addr(self.b(), field::CIADDR)
    }
    /// `yiaddr`: "your" address, given by the server.
    pub fn yiaddr(&self) -> Ipv4Addr {
        get_addr(self.b(), field::YIADDR)
    }
    /// `siaddr`: next server (boot); unused by lanlab.
    pub fn siaddr(&self) -> Ipv4Addr {
        get_addr(self.b(), field::SIADDR)
    }
    /// `giaddr`: relay agent address.
    pub fn giaddr(&self) -> Ipv4Addr {
        get_addr(self.b(), field::GIADDR)
    }
    /// First six octets of `chaddr`: the client's MAC.
    pub fn chaddr(&self) -> EthernetAddress {
        EthernetAddress::from_bytes(&self.b()[field::CHADDR..field::CHADDR + 6])
    }
    /// The magic cookie.
    pub fn cookie(&self) -> u32 {
        let b = self.b();
        let c = field::COOKIE;
        u32::from_be_bytes([b[c], b[c + 1], b[c + 2], b[c + 3]])
    }
    /// The options area after the cookie.
    pub fn options(&self) -> &[u8] {
        &self.b()[field::OPTIONS..]
    }
}

/// A DHCP message as engines see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Request (client, relay) or reply (server).
    pub op: OpCode,
    /// Relay agents crossed so far.
    pub hops: u8,
    /// Transaction id, chosen by the client.
    pub xid: u32,
    /// Seconds since the client began acquiring or renewing.
    pub secs: u16,
    /// The BROADCAST flag: the client cannot receive unicast before it has an
    /// address.
    pub broadcast: bool,
    /// Client's address, when it has one and can answer ARP.
    pub ciaddr: Ipv4Addr,
    /// Address the server gives.
    pub yiaddr: Ipv4Addr,
    /// Next server address (unused by lanlab).
    pub siaddr: Ipv4Addr,
    /// Relay agent address.
    pub giaddr: Ipv4Addr,
    /// Client hardware address (Ethernet).
    pub chaddr: EthernetAddress,
    /// Options after the magic cookie.
    pub options: Options,
}

impl Message {
    /// An empty message of kind `op`/`kind` with all addresses zero.
    pub fn new(op: OpCode, kind: MessageType, xid: u32, chaddr: EthernetAddress) -> Message {
        Message {
            op,
            hops: 0,
            xid,
            secs: 0,
            broadcast: false,
            ciaddr: Ipv4Addr::UNSPECIFIED,
            yiaddr: Ipv4Addr::UNSPECIFIED,
            siaddr: Ipv4Addr::UNSPECIFIED,
            giaddr: Ipv4Addr::UNSPECIFIED,
            chaddr,
            options: Options {
                message_type: Some(kind),
                ..Options::default()
            },
        }
    }

    /// The DHCP message type, if option 53 is present.
    pub fn kind(&self) -> Option<MessageType> {
        self.options.message_type
    }

    /// Parses a checked packet.
    ///
    /// # Errors
    /// Errors of [`Options::parse`].
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Message, Error> {
        Ok(Message {
            op: p.op(),
            hops: p.hops(),
            xid: p.xid(),
            secs: p.secs(),
            broadcast: p.flags() & FLAG_BROADCAST != 0,
            ciaddr: p.ciaddr(),
            yiaddr: p.yiaddr(),
            siaddr: p.siaddr(),
            giaddr: p.giaddr(),
            chaddr: p.chaddr(),
            options: Options::parse(p.options())?,
        })
    }

    /// Parses raw UDP payload bytes.
    ///
    /// # Errors
    /// Any [`Error`]: short input, wrong cookie, bad options.
    pub fn from_bytes(bytes: &[u8]) -> Result<Message, Error> {
        Message::parse(&Packet::new_checked(bytes)?)
    }

    /// What [`Message::from_bytes`] says of `bytes`, without decoding them.
    ///
    /// # Errors
    /// The error [`Message::from_bytes`] returns.
    pub fn check_bytes(bytes: &[u8]) -> Result<(), Error> {
        Options::check(Packet::new_checked(bytes)?.options())
    }

    /// Bytes [`emit`](Self::emit) writes (padded to BOOTP's 300).
    pub fn buffer_len(&self) -> usize {
        (field::OPTIONS + self.options.buffer_len()).max(MIN_LEN)
    }

    /// Writes the message into a zeroed buffer of at least
    /// [`buffer_len`](Self::buffer_len) bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, p: &mut Packet<T>) {
        let b = p.buffer.as_mut();
        b[field::OP] = self.op.into();
        b[field::HTYPE] = 1;
        b[field::HLEN] = 6;
        b[field::HOPS] = self.hops;
        b[field::XID..field::XID + 4].copy_from_slice(&self.xid.to_be_bytes());
        b[field::SECS..field::SECS + 2].copy_from_slice(&self.secs.to_be_bytes());
        let flags = if self.broadcast { FLAG_BROADCAST } else { 0 };
        b[field::FLAGS..field::FLAGS + 2].copy_from_slice(&flags.to_be_bytes());
        for (at, a) in [
            (field::CIADDR, self.ciaddr),
            (field::YIADDR, self.yiaddr),
            (field::SIADDR, self.siaddr),
            (field::GIADDR, self.giaddr),
        ] {
            b[at..at + 4].copy_from_slice(&a.octets());
        }
        b[field::CHADDR..field::CHADDR + 6].copy_from_slice(self.chaddr.as_bytes());
        b[field::COOKIE..field::OPTIONS].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
        self.options.emit(&mut b[field::OPTIONS..]);
    }

    /// The message as UDP payload bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Packet::new_unchecked(vec![0; self.buffer_len()]);
        self.emit(&mut p);
        p.into_inner()
    }
}

fn lease(f: &mut fmt::Formatter<'_>, secs: Option<u32>) -> fmt::Result {
    match secs {
        Some(u32::MAX) => f.write_str(" lease infinite"),
        Some(s) => write!(f, " lease {s} s"),
        None => Ok(()),
    }
}

impl fmt::Display for Message {
    /// One line for the event list, e.g.
    /// `DHCP OFFER 192.168.1.10 lease 86400 s server 192.168.1.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.options;
        let Some(kind) = o.message_type else {
            return write!(
                f,
                "BOOTP {:?} xid {:#010x} from {}",
                self.op,
                self.xid,
                Mac(self.chaddr)
            );
        };
        write!(f, "DHCP {kind}")?;
        match kind {
            MessageType::Offer | MessageType::Ack => {
                if !self.yiaddr.is_unspecified() {
                    write!(f, " {}", self.yiaddr)?;
                }
                lease(f, o.lease_time)?;
            }
            MessageType::Nak => {}
            MessageType::Request => {
                if let Some(ip) = o.requested_ip {
                    write!(f, " {ip}")?;
                } else if !self.ciaddr.is_unspecified() {
                    write!(f, " {}", self.ciaddr)?;
                }
                write!(f, " xid {:#010x} from {}", self.xid, Mac(self.chaddr))?;
            }
            MessageType::Release | MessageType::Inform => {
                write!(
                    f,
                    " {} xid {:#010x} from {}",
                    self.ciaddr,
                    self.xid,
                    Mac(self.chaddr)
                )?;
            }
            MessageType::Decline => {
                if let Some(ip) = o.requested_ip {
                    write!(f, " {ip}")?;
                }
                write!(f, " from {}", Mac(self.chaddr))?;
            }
            MessageType::Discover | MessageType::Unknown(_) => {
                write!(f, " xid {:#010x} from {}", self.xid, Mac(self.chaddr))?;
            }
        }
        if let Some(sid) = o.server_id {
            write!(f, " server {sid}")?;
        }
        if let Some(m) = &o.message {
            write!(f, ": {m}")?;
        }
        if !self.giaddr.is_unspecified() {
            write!(f, " via relay {}", self.giaddr)?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dhcp::options::OptionCode;
    use proptest::prelude::*;

    const MAC: EthernetAddress = EthernetAddress([0x02, 0x4c, 0, 0, 1, 0]);

    #[test]
    fn discover_emits_parses_and_displays() {
        let mut m = Message::new(OpCode::BootRequest, MessageType::Discover, 0x3903_f326, MAC);
        m.broadcast = true;
        m.options.parameter_request_list = vec![OptionCode::SubnetMask, OptionCode::Router];
        let bytes = m.to_bytes();
        assert_eq!(bytes.len(), 300);
        assert_eq!(&bytes[236..240], &[99, 130, 83, 99]);
        assert_eq!(&bytes[240..243], &[53, 1, 1]);
        assert_eq!(Message::from_bytes(&bytes).unwrap(), m);
        assert_eq!(
            m.to_string(),
            "DHCP DISCOVER xid 0x3903f326 from 02:4c:00:00:01:00"
        );
    }

    #[test]
    fn offer_displays_lease_and_server() {
        let mut m = Message::new(OpCode::BootReply, MessageType::Offer, 1, MAC);
        m.yiaddr = Ipv4Addr::new(192, 168, 1, 10);
        m.options.lease_time = Some(86_400);
        m.options.server_id = Some(Ipv4Addr::new(192, 168, 1, 1));
        assert_eq!(
            m.to_string(),
            "DHCP OFFER 192.168.1.10 lease 86400 s server 192.168.1.1"
        );
    }

    #[test]
    fn rejects_short_and_foreign_input() {
        assert_eq!(
            Message::from_bytes(&[0; 10]),
            Err(Error::Truncated { len: 10 })
        );
        assert_eq!(
            Message::from_bytes(&[0; 240]),
            Err(Error::BadMagicCookie(0))
        );
    }

    fn arb_addr() -> impl Strategy<Value = Ipv4Addr> {
        any::<u32>().prop_map(Ipv4Addr::from)
    }

    pub(crate) fn arb_message() -> impl Strategy<Value = Message> {
        let header = (
            any::<bool>(),
            any::<u8>(),
            any::<u32>(),
            any::<u16>(),
            any::<bool>(),
            [arb_addr(), arb_addr(), arb_addr(), arb_addr()],
            any::<[u8; 6]>(),
        );
        let opts1 = (
            proptest::option::of(any::<u8>().prop_map(MessageType::from)),
            proptest::option::of(arb_addr()),
            proptest::collection::vec(arb_addr(), 0..5),
            proptest::collection::vec(arb_addr(), 0..5),
            proptest::option::of("[a-z.]{0,40}"),
            proptest::option::of("[a-zA-Z0-9-]{0,20}"),
            proptest::option::of(arb_addr()),
            proptest::option::of(any::<u32>()),
        );
        let opts2 = (
            proptest::option::of(arb_addr()),
            proptest::collection::vec(1u8..255, 0..10),
            proptest::option::of("[ -~]{0,60}"),
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u32>()),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20)),
            proptest::collection::vec(
                (
                    any::<u8>().prop_filter("unknown code", |c| {
                        matches!(OptionCode::from(*c), OptionCode::Unknown(_))
                    }),
                    proptest::collection::vec(any::<u8>(), 0..20),
                ),
                0..3,
            ),
        );
        (header, opts1, opts2).prop_map(|(h, o1, o2)| Message {
            op: if h.0 {
                OpCode::BootRequest
            } else {
                OpCode::BootReply
            },
            hops: h.1,
            xid: h.2,
            secs: h.3,
            broadcast: h.4,
            ciaddr: h.5[0],
            yiaddr: h.5[1],
            siaddr: h.5[2],
            giaddr: h.5[3],
            chaddr: EthernetAddress(h.6),
            options: Options {
                message_type: o1.0,
                subnet_mask: o1.1,
                routers: o1.2,
                dns_servers: o1.3,
                domain_name: o1.4,
                host_name: o1.5,
                requested_ip: o1.6,
                lease_time: o1.7,
                server_id: o2.0,
                parameter_request_list: o2.1.into_iter().map(OptionCode::from).collect(),
                message: o2.2,
                renewal_time: o2.3,
                rebinding_time: o2.4,
                client_id: o2.5,
                unknown: o2.6,
            },
        })
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Message::from_bytes(&bytes);
        }

        #[test]
        fn parse_never_panics_after_a_cookie(opts in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut bytes = vec![0u8; 240];
            bytes[236..240].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
            bytes.extend_from_slice(&opts);
            if let Ok(m) = Message::from_bytes(&bytes) {
                let _ = m.to_string();
                let _ = m.to_bytes();
            }
        }

        #[test]
        fn emit_parse_round_trip(m in arb_message()) {
            let bytes = m.to_bytes();
            prop_assert_eq!(bytes.len(), m.buffer_len());
            let _ = m.to_string();
            prop_assert_eq!(Message::from_bytes(&bytes).unwrap(), m);
        }
    }
}
