//! The BPDU (802.1D-1998 §9.3, 802.1w §9.3.3), the smoltcp way: a
//! [`Packet`] view over bytes and a [`Repr`] to parse and emit.
//!
//! ```text
//!  0      2       3      4      5          13        17          25      27
//!  proto  version type   flags  root ID    root cost bridge ID   port ID
//!  27           29       31     33            35
//!  message age  max age  hello  forward delay [version 1 length, RST only]
//! ```
//! Times are in 1/256 s. A TCN BPDU is only the first four bytes.

use std::fmt;
use std::ops::Range;

use thiserror::Error;

use super::id::{BridgeId, PortId};
use crate::fields::Field;

/// Length of a configuration BPDU.
pub const CONFIG_LEN: usize = 35;
/// Length of an RST BPDU.
pub const RST_LEN: usize = 36;
/// Length of a TCN BPDU.
pub const TCN_LEN: usize = 4;

/// BPDU type: configuration.
pub const TYPE_CONFIG: u8 = 0x00;
/// BPDU type: topology change notification.
pub const TYPE_TCN: u8 = 0x80;
/// BPDU type: rapid spanning tree.
pub const TYPE_RST: u8 = 0x02;

/// Why bytes are not a BPDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum WireError {
    /// Fewer bytes than the BPDU type needs.
    #[error("BPDU is {got} bytes, a {what} BPDU needs {need}")]
    Truncated {
        /// What kind of BPDU.
        what: &'static str,
        /// Bytes present.
        got: usize,
        /// Bytes needed.
        need: usize,
    },
    /// The protocol identifier is not 0 (spanning tree).
    #[error("protocol identifier 0x{0:04x} is not spanning tree (0x0000)")]
    Protocol(u16),
    /// A BPDU type this decoder does not know.
    #[error("unknown BPDU type 0x{0:02x}")]
    UnknownType(u8),
    /// Not carried the way BPDUs are (wrong LLC, SNAP or address).
    #[error("not a BPDU frame: {0}")]
    Encapsulation(&'static str),
}

/// The flags byte (802.1w §9.3.3: TC, proposal, role, learning,
/// forwarding, agreement, TC acknowledgment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u8);

impl Flags {
    /// Topology change.
    pub const TC: u8 = 0x01;
    /// Proposal (RST).
    pub const PROPOSAL: u8 = 0x02;
    /// Learning (RST).
    pub const LEARNING: u8 = 0x10;
    /// Forwarding (RST).
    pub const FORWARDING: u8 = 0x20;
    /// Agreement (RST).
    pub const AGREEMENT: u8 = 0x40;
    /// Topology change acknowledgment.
    pub const TCA: u8 = 0x80;

    /// Whether bit(s) `b` are set.
    pub fn has(self, b: u8) -> bool {
        self.0 & b == b
    }

    /// The port role bits (RST): 0 unknown, 1 alternate/backup, 2 root, 3 designated.
    pub fn role_bits(self) -> u8 {
        (self.0 >> 2) & 3
    }

    /// The flags with the role bits set to `r`.
    pub fn with_role(self, r: u8) -> Flags {
        Flags((self.0 & !0x0c) | ((r & 3) << 2))
    }

    /// The role bits in words.
    pub fn role_name(self) -> &'static str {
        match self.role_bits() {
            1 => "Alternate/Backup",
            2 => "Root",
            3 => "Designated",
            _ => "Unknown",
        }
    }
}

/// `TC, Proposal, Role Designated, Learning, Forwarding, Agreement, TCA`.
impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let names = [
            (Flags::TC, "TC"),
            (Flags::PROPOSAL, "Proposal"),
            (Flags::LEARNING, "Learning"),
            (Flags::FORWARDING, "Forwarding"),
            (Flags::AGREEMENT, "Agreement"),
            (Flags::TCA, "TCA"),
        ];
        for (b, n) in names {
            if self.has(b) {
                parts.push(n.to_string());
            }
        }
        if self.role_bits() != 0 {
            parts.push(format!("Role {}", self.role_name()));
        }
        if parts.is_empty() {
            write!(f, "0x{:02x}", self.0)
        } else {
            write!(f, "0x{:02x} ({})", self.0, parts.join(", "))
        }
    }
}

/// A view over BPDU bytes (starting at the protocol identifier).
#[derive(Clone, Copy, Debug)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

mod field {
    use std::ops::Range;
    pub const PROTOCOL: Range<usize> = 0..2;
    pub const VERSION: usize = 2;
    pub const TYPE: usize = 3;
    pub const FLAGS: usize = 4;
    pub const ROOT: Range<usize> = 5..13;
    pub const COST: Range<usize> = 13..17;
    pub const BRIDGE: Range<usize> = 17..25;
    pub const PORT: Range<usize> = 25..27;
    pub const MSG_AGE: Range<usize> = 27..29;
    pub const MAX_AGE: Range<usize> = 29..31;
    pub const HELLO: Range<usize> = 31..33;
    pub const FWD_DELAY: Range<usize> = 33..35;
    pub const V1_LEN: usize = 35;
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps bytes without checking them.
    pub fn new_unchecked(buffer: T) -> Packet<T> {
        Packet { buffer }
    }

    /// Wraps bytes, checking that the BPDU its type names fits.
    ///
    /// # Errors
    /// [`WireError::Truncated`] when it does not, [`WireError::Protocol`]
    /// when the protocol identifier is not 0.
    pub fn new_checked(buffer: T) -> Result<Packet<T>, WireError> {
        let p = Packet::new_unchecked(buffer);
        p.check_len()?;
        Ok(p)
    }

    fn check_len(&self) -> Result<(), WireError> {
        let b = self.buffer.as_ref();
        if b.len() < TCN_LEN {
            return Err(WireError::Truncated {
                what: "TCN",
                got: b.len(),
                need: TCN_LEN,
            });
        }
        let proto = u16::from_be_bytes([b[0], b[1]]);
        if proto != 0 {
            return Err(WireError::Protocol(proto));
        }
        let (what, need) = match b[field::TYPE] {
            TYPE_TCN => ("TCN", TCN_LEN),
            TYPE_RST => ("RST", RST_LEN),
            _ => ("configuration", CONFIG_LEN),
        };
        if b.len() < need {
            return Err(WireError::Truncated {
                what,
                got: b.len(),
                need,
            });
        }
        Ok(())
    }

    fn be16(&self, r: Range<usize>) -> u16 {
        let b = &self.buffer.as_ref()[r];
        u16::from_be_bytes([b[0], b[1]])
    }

    fn id(&self, r: Range<usize>) -> BridgeId {
        let mut a = [0u8; 8];
        a.copy_from_slice(&self.buffer.as_ref()[r]);
        BridgeId::from_bytes(a)
    }

    /// Protocol version (0 STP, 2 RSTP).
    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VERSION]
    }

    /// BPDU type.
    pub fn bpdu_type(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE]
    }

    /// Whether this is a TCN BPDU (then only the first four bytes exist).
    pub fn is_tcn(&self) -> bool {
        self.bpdu_type() == TYPE_TCN
    }

    /// Flags (configuration and RST BPDUs).
    pub fn flags(&self) -> Flags {
        Flags(self.buffer.as_ref()[field::FLAGS])
    }

    /// Root identifier.
    pub fn root(&self) -> BridgeId {
        self.id(field::ROOT)
    }

    /// Root path cost.
    pub fn root_cost(&self) -> u32 {
        let b = &self.buffer.as_ref()[field::COST];
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// Bridge identifier (the sender).
    pub fn bridge(&self) -> BridgeId {
        self.id(field::BRIDGE)
    }

    /// Port identifier (the sender's port).
    pub fn port(&self) -> PortId {
        PortId(self.be16(field::PORT))
    }

    /// Message age, 1/256 s.
    pub fn message_age(&self) -> u16 {
        self.be16(field::MSG_AGE)
    }

    /// Max age, 1/256 s.
    pub fn max_age(&self) -> u16 {
        self.be16(field::MAX_AGE)
    }

    /// Hello time, 1/256 s.
    pub fn hello(&self) -> u16 {
        self.be16(field::HELLO)
    }

    /// Forward delay, 1/256 s.
    pub fn forward_delay(&self) -> u16 {
        self.be16(field::FWD_DELAY)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    fn put(&mut self, at: usize, bytes: &[u8]) {
        self.buffer.as_mut()[at..at + bytes.len()].copy_from_slice(bytes);
    }
}

/// The body of a configuration or RST BPDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// Flags.
    pub flags: Flags,
    /// Root identifier.
    pub root: BridgeId,
    /// Root path cost of the sender.
    pub cost: u32,
    /// The sender.
    pub bridge: BridgeId,
    /// The sender's port.
    pub port: PortId,
    /// Message age, 1/256 s.
    pub message_age: u16,
    /// Max age, 1/256 s.
    pub max_age: u16,
    /// Hello time, 1/256 s.
    pub hello: u16,
    /// Forward delay, 1/256 s.
    pub forward_delay: u16,
}

/// A parsed BPDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Repr {
    /// 802.1D configuration BPDU (version 0, type 0x00).
    Config(Config),
    /// 802.1D topology change notification (type 0x80).
    Tcn,
    /// 802.1w rapid spanning tree BPDU (version 2, type 0x02).
    Rst(Config),
}

/// Whole seconds as 1/256 s (saturating).
pub fn secs_to_wire(s: u64) -> u16 {
    u16::try_from(s.saturating_mul(256)).unwrap_or(u16::MAX)
}

fn wire_secs(v: u16) -> String {
    if v.is_multiple_of(256) {
        format!("{}", v / 256)
    } else {
        format!("{:.2}", f64::from(v) / 256.0)
    }
}

impl Repr {
    /// Reads a checked packet.
    ///
    /// # Errors
    /// [`WireError::UnknownType`] for a BPDU type other than config, TCN or RST.
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Result<Repr, WireError> {
        p.check_len()?;
        let body = || Config {
            flags: p.flags(),
            root: p.root(),
            cost: p.root_cost(),
            bridge: p.bridge(),
            port: p.port(),
            message_age: p.message_age(),
            max_age: p.max_age(),
            hello: p.hello(),
            forward_delay: p.forward_delay(),
        };
        match p.bpdu_type() {
            TYPE_CONFIG => Ok(Repr::Config(body())),
            TYPE_TCN => Ok(Repr::Tcn),
            TYPE_RST => Ok(Repr::Rst(body())),
            t => Err(WireError::UnknownType(t)),
        }
    }

    /// Bytes [`Repr::emit`] writes.
    pub fn buffer_len(&self) -> usize {
        match self {
            Repr::Config(_) => CONFIG_LEN,
            Repr::Tcn => TCN_LEN,
            Repr::Rst(_) => RST_LEN,
        }
    }

    /// The body, for configuration and RST BPDUs.
    pub fn config(&self) -> Option<&Config> {
        match self {
            Repr::Config(c) | Repr::Rst(c) => Some(c),
            Repr::Tcn => None,
        }
    }

    /// Writes the BPDU into `p`, whose buffer holds [`Repr::buffer_len`] bytes.
    ///
    /// # Panics
    /// When the buffer is shorter than [`Repr::buffer_len`] (a caller's bug).
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, p: &mut Packet<T>) {
        let (version, ty) = match self {
            Repr::Config(_) => (0, TYPE_CONFIG),
            Repr::Tcn => (0, TYPE_TCN),
            Repr::Rst(_) => (2, TYPE_RST),
        };
        p.put(0, &[0, 0, version, ty]);
        if let Some(c) = self.config() {
            p.put(field::FLAGS, &[c.flags.0]);
            p.put(field::ROOT.start, &c.root.to_bytes());
            p.put(field::COST.start, &c.cost.to_be_bytes());
            p.put(field::BRIDGE.start, &c.bridge.to_bytes());
            p.put(field::PORT.start, &c.port.0.to_be_bytes());
            p.put(field::MSG_AGE.start, &c.message_age.to_be_bytes());
            p.put(field::MAX_AGE.start, &c.max_age.to_be_bytes());
            p.put(field::HELLO.start, &c.hello.to_be_bytes());
            p.put(field::FWD_DELAY.start, &c.forward_delay.to_be_bytes());
        }
        if let Repr::Rst(_) = self {
            p.put(field::V1_LEN, &[0]);
        }
    }

    /// The BPDU as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.buffer_len()];
        self.emit(&mut Packet::new_unchecked(&mut v[..]));
        v
    }
}

/// `STP Conf. Root = 32769/00:01:… Cost = 19 Port = 128.2` (tcpdump-like).
impl fmt::Display for Repr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repr::Tcn => write!(f, "STP Topology Change Notification"),
            Repr::Config(c) | Repr::Rst(c) => {
                let kind = if matches!(self, Repr::Rst(_)) {
                    "RST"
                } else {
                    "Conf."
                };
                write!(
                    f,
                    "STP {kind} Root = {}  Cost = {}  Bridge = {}  Port = {}",
                    c.root, c.cost, c.bridge, c.port
                )?;
                let fl = c.flags;
                for (b, n) in [
                    (Flags::TC, "TC"),
                    (Flags::TCA, "TCA"),
                    (Flags::PROPOSAL, "Proposal"),
                    (Flags::AGREEMENT, "Agreement"),
                ] {
                    if fl.has(b) {
                        write!(f, "  {n}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The field tree of BPDU bytes that start at frame offset `o`; `None`
/// when they are not a BPDU.
pub fn fields(bytes: &[u8], o: usize) -> Option<Field> {
    let p = Packet::new_checked(bytes).ok()?;
    let repr = Repr::parse(&p).ok()?;
    let r = |x: Range<usize>| o + x.start..o + x.end;
    let at = |i: usize| o + i..o + i + 1;
    let version = match p.version() {
        0 => "0 (Spanning Tree)".to_string(),
        2 => "2 (Rapid Spanning Tree)".to_string(),
        3 => "3 (Multiple Spanning Tree)".to_string(),
        v => v.to_string(),
    };
    let ty = match p.bpdu_type() {
        TYPE_CONFIG => "0x00 (Configuration)",
        TYPE_TCN => "0x80 (Topology Change Notification)",
        _ => "0x02 (Rapid/Multiple Spanning Tree)",
    };
    let mut kids = vec![
        Field::new(
            "Protocol Identifier",
            "0x0000 (Spanning Tree)",
            r(field::PROTOCOL),
        ),
        Field::new("Protocol Version", version, at(field::VERSION)),
        Field::new("BPDU Type", ty, at(field::TYPE)),
    ];
    if let Some(c) = repr.config() {
        let id = |label: &str, b: BridgeId, x: Range<usize>| {
            Field::new(label, b.to_string(), r(x.clone())).with_children(vec![
                Field::new(
                    "Priority",
                    format!("{} (+ VLAN {})", b.priority & 0xf000, b.priority & 0x0fff),
                    o + x.start..o + x.start + 2,
                ),
                Field::new(
                    "MAC",
                    BridgeId {
                        priority: 0,
                        mac: b.mac,
                    }
                    .to_string()[2..]
                        .to_string(),
                    o + x.start + 2..o + x.end,
                ),
            ])
        };
        kids.push(Field::new("Flags", c.flags.to_string(), at(field::FLAGS)));
        kids.push(id("Root Identifier", c.root, field::ROOT));
        kids.push(Field::new(
            "Root Path Cost",
            c.cost.to_string(),
            r(field::COST),
        ));
        kids.push(id("Bridge Identifier", c.bridge, field::BRIDGE));
        kids.push(Field::new(
            "Port Identifier",
            c.port.to_string(),
            r(field::PORT),
        ));
        for (label, v, x) in [
            ("Message Age", c.message_age, field::MSG_AGE),
            ("Max Age", c.max_age, field::MAX_AGE),
            ("Hello Time", c.hello, field::HELLO),
            ("Forward Delay", c.forward_delay, field::FWD_DELAY),
        ] {
            kids.push(Field::new(label, format!("{} s", wire_secs(v)), r(x)));
        }
        if let Repr::Rst(_) = repr {
            kids.push(Field::new("Version 1 Length", "0", at(field::V1_LEN)));
        }
    }
    Some(
        Field::new(
            "Spanning Tree Protocol",
            repr.to_string(),
            o..o + repr.buffer_len(),
        )
        .with_children(kids),
    )
}
