//! Record types, classes and record data: A, NS, CNAME, SOA, PTR, MX, TXT
//! (RFC 1035 §3.3–3.4), AAAA (RFC 3596 §2.2), SRV (RFC 2782); anything else is
//! kept as opaque bytes (RFC 3597).

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::name::Name;
use super::wire::{Reader, WireError, Writer};

macro_rules! numbered_enum {
    (
        $(#[$meta:meta])* $name:ident($repr:ty) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr => $text:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
            /// A number without a name here.
            Unknown($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( $value => $name::$variant, )*
                    other => $name::Unknown(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl $name {
            /// The mnemonic (`"MX"`), if this number has one.
            pub fn mnemonic(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )*
                    $name::Unknown(_) => None,
                }
            }

            /// Looks a mnemonic up, ignoring case.
            pub fn from_mnemonic(text: &str) -> Option<Self> {
                $( if text.eq_ignore_ascii_case($text) { return Some($name::$variant); } )*
                None
            }
        }
    };
}

pub(crate) use numbered_enum;

numbered_enum! {
    /// A record (or query) type.
    RecordType(u16) {
        /// IPv4 address.
        A = 1 => "A",
        /// Name server for a zone.
        Ns = 2 => "NS",
        /// Alias to a canonical name.
        Cname = 5 => "CNAME",
        /// Start of a zone of authority.
        Soa = 6 => "SOA",
        /// Pointer (reverse lookups).
        Ptr = 12 => "PTR",
        /// Mail exchanger.
        Mx = 15 => "MX",
        /// Text strings.
        Txt = 16 => "TXT",
        /// IPv6 address.
        Aaaa = 28 => "AAAA",
        /// Service location.
        Srv = 33 => "SRV",
        /// EDNS(0) pseudo-record.
        Opt = 41 => "OPT",
        /// Zone transfer (query only).
        Axfr = 252 => "AXFR",
        /// Any type (query only).
        Any = 255 => "ANY",
    }
}

numbered_enum! {
    /// A record class; only `IN` is served.
    Class(u16) {
        /// The Internet.
        In = 1 => "IN",
        /// Chaos.
        Ch = 3 => "CH",
        /// Any class (query only).
        Any = 255 => "ANY",
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "TYPE{}", u16::from(*self)),
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "CLASS{}", u16::from(*self)),
        }
    }
}

impl RecordType {
    /// Parses `MX`, `mx` or `TYPE15`.
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(t) = Self::from_mnemonic(text) {
            return Some(t);
        }
        let digits = text
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("TYPE"))
            .and(text.get(4..))?;
        digits.parse::<u16>().ok().map(Self::from)
    }
}

/// The data of an SOA record (RFC 1035 §3.3.13).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Soa {
    /// The primary name server.
    pub mname: Name,
    /// The administrator's mailbox, `@` written as `.`.
    pub rname: Name,
    /// Version of the zone.
    pub serial: u32,
    /// Seconds between secondary refreshes.
    pub refresh: u32,
    /// Seconds between failed-refresh retries.
    pub retry: u32,
    /// Seconds until a secondary gives up.
    pub expire: u32,
    /// TTL of negative answers (RFC 2308 §4).
    pub minimum: u32,
}

/// Record data, one variant per type understood.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Written `{"type": "A", "data": …}`: see `crate::tagged`.
#[serde(remote = "Self")]
pub enum RData {
    /// IPv4 address.
    #[serde(rename = "A")]
    A(Ipv4Addr),
    /// IPv6 address.
    #[serde(rename = "AAAA")]
    Aaaa(Ipv6Addr),
    /// Canonical name of an alias.
    #[serde(rename = "CNAME")]
    Cname(Name),
    /// A name server.
    #[serde(rename = "NS")]
    Ns(Name),
    /// The name an address points to.
    #[serde(rename = "PTR")]
    Ptr(Name),
    /// A mail exchanger and its preference (lower wins).
    #[serde(rename = "MX")]
    Mx {
        /// Preference, lower first.
        preference: u16,
        /// The mail server's name.
        exchange: Name,
    },
    /// Start of authority.
    #[serde(rename = "SOA")]
    Soa(Soa),
    /// A service location.
    #[serde(rename = "SRV")]
    Srv {
        /// Priority, lower first.
        priority: u16,
        /// Weight among equal priorities.
        weight: u16,
        /// Port of the service.
        port: u16,
        /// The server's name.
        target: Name,
    },
    /// Text strings (each at most 255 bytes on the wire; longer ones are split
    /// when written). Non-UTF-8 bytes are replaced when read.
    #[serde(rename = "TXT")]
    Txt(Vec<String>),
    /// Any other type, kept as bytes.
    Unknown {
        /// The type number.
        rtype: u16,
        /// The raw data.
        data: Vec<u8>,
    },
}

impl Serialize for RData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::tagged::write_adjacent(self, s, "type", "data", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for RData {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::tagged::read_adjacent(d, "type", "data", Self::deserialize)
    }
}

impl RData {
    /// The type of this data.
    pub fn rtype(&self) -> RecordType {
        match self {
            RData::A(_) => RecordType::A,
            RData::Aaaa(_) => RecordType::Aaaa,
            RData::Cname(_) => RecordType::Cname,
            RData::Ns(_) => RecordType::Ns,
            RData::Ptr(_) => RecordType::Ptr,
            RData::Mx { .. } => RecordType::Mx,
            RData::Soa(_) => RecordType::Soa,
            RData::Srv { .. } => RecordType::Srv,
            RData::Txt(_) => RecordType::Txt,
            RData::Unknown { rtype, .. } => RecordType::from(*rtype),
        }
    }

    /// The name this data points at, if any (CNAME, NS, PTR, MX, SRV targets).
    pub fn target(&self) -> Option<&Name> {
        match self {
            RData::Cname(n) | RData::Ns(n) | RData::Ptr(n) => Some(n),
            RData::Mx { exchange, .. } => Some(exchange),
            RData::Srv { target, .. } => Some(target),
            _ => None,
        }
    }

    /// Reads `len` bytes of data of type `rtype` from the reader.
    pub(crate) fn parse(
        r: &mut Reader<'_>,
        rtype: RecordType,
        len: usize,
    ) -> Result<Self, WireError> {
        let start = r.pos();
        let end = start + len;
        let bad = || WireError::BadRdata {
            rtype: rtype.to_string(),
            offset: start,
        };
        let data = match rtype {
            RecordType::A => {
                let b = r.bytes(len)?;
                let octets: [u8; 4] = b.try_into().map_err(|_| bad())?;
                return Ok(RData::A(Ipv4Addr::from(octets)));
            }
            RecordType::Aaaa => {
                let b = r.bytes(len)?;
                let octets: [u8; 16] = b.try_into().map_err(|_| bad())?;
                return Ok(RData::Aaaa(Ipv6Addr::from(octets)));
            }
            RecordType::Cname => RData::Cname(r.name()?),
            RecordType::Ns => RData::Ns(r.name()?),
            RecordType::Ptr => RData::Ptr(r.name()?),
            RecordType::Mx => RData::Mx {
                preference: r.u16()?,
                exchange: r.name()?,
            },
            RecordType::Soa => RData::Soa(Soa {
                mname: r.name()?,
                rname: r.name()?,
                serial: r.u32()?,
                refresh: r.u32()?,
                retry: r.u32()?,
                expire: r.u32()?,
                minimum: r.u32()?,
            }),
            RecordType::Srv => RData::Srv {
                priority: r.u16()?,
                weight: r.u16()?,
                port: r.u16()?,
                target: r.name()?,
            },
            RecordType::Txt => {
                let mut strings = Vec::new();
                let mut left = r.bytes(len)?;
                while let Some((&n, rest)) = left.split_first() {
                    let n = usize::from(n);
                    let s = rest.get(..n).ok_or_else(bad)?;
                    strings.push(String::from_utf8_lossy(s).into_owned());
                    left = &rest[n..];
                }
                // RFC 1035 §3.3.14: TXT-DATA is "one or more <character-string>s".
                // Empty RDATA is read as one empty string, which is also what
                // `emit` writes for it, so a message survives a round trip.
                if strings.is_empty() {
                    strings.push(String::new());
                }
                return Ok(RData::Txt(strings));
            }
            other => {
                return Ok(RData::Unknown {
                    rtype: other.into(),
                    data: r.bytes(len)?.to_vec(),
                });
            }
        };
        if r.pos() != end {
            return Err(bad());
        }
        Ok(data)
    }

    /// Writes the data (without the length prefix). Names in NS, CNAME, PTR,
    /// MX and SOA are compressed; SRV targets are not (RFC 2782, RFC 3597 §4).
    pub(crate) fn emit(&self, w: &mut Writer) {
        match self {
            RData::A(a) => w.bytes(&a.octets()),
            RData::Aaaa(a) => w.bytes(&a.octets()),
            RData::Cname(n) | RData::Ns(n) | RData::Ptr(n) => w.name(n, true),
            RData::Mx {
                preference,
                exchange,
            } => {
                w.u16(*preference);
                w.name(exchange, true);
            }
            RData::Soa(soa) => {
                w.name(&soa.mname, true);
                w.name(&soa.rname, true);
                for v in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] {
                    w.u32(v);
                }
            }
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => {
                w.u16(*priority);
                w.u16(*weight);
                w.u16(*port);
                w.name(target, false);
            }
            RData::Txt(strings) => {
                if strings.is_empty() {
                    w.u8(0);
                }
                for s in strings {
                    let bytes = s.as_bytes();
                    if bytes.is_empty() {
                        w.u8(0);
                    }
                    // <character-string>s of at most 255 octets, cut
                    // between characters: a character cut in two would
                    // read back as two replacement characters.
                    let mut rest = s.as_str();
                    while !rest.is_empty() {
                        let mut end = rest.len().min(255);
                        while !rest.is_char_boundary(end) {
                            end -= 1;
                        }
                        w.u8(end as u8);
                        w.bytes(&rest.as_bytes()[..end]);
                        rest = &rest[end..];
                    }
                }
            }
            RData::Unknown { data, .. } => w.bytes(data),
        }
    }
}

impl fmt::Display for RData {
    /// Presentation format, as in a zone file: `10 mail.hasan.com.`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(a) => write!(f, "{a}"),
            RData::Aaaa(a) => write!(f, "{a}"),
            RData::Cname(n) | RData::Ns(n) | RData::Ptr(n) => write!(f, "{n}"),
            RData::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            RData::Soa(s) => write!(
                f,
                "{} {} {} {} {} {} {}",
                s.mname, s.rname, s.serial, s.refresh, s.retry, s.expire, s.minimum
            ),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {target}"),
            RData::Txt(strings) => {
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    let mut quoted = String::with_capacity(s.len() + 2);
                    super::zonetoken::quote_char_string(s, &mut quoted);
                    f.write_str(&quoted)?;
                }
                Ok(())
            }
            RData::Unknown { data, .. } => {
                write!(f, "\\# {}", data.len())?;
                if !data.is_empty() {
                    f.write_str(" ")?;
                    for b in data {
                        write!(f, "{b:02x}")?;
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_data_keeps_its_type_and_data_fields() {
        let a = r#"{"type":"A","data":"10.0.0.1"}"#;
        let read: RData = serde_json::from_str(a).unwrap();
        assert_eq!(read, RData::A(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(serde_json::to_string(&read).unwrap(), a);
        let mx = r#"{"type":"MX","data":{"preference":10,"exchange":"mail.a.com."}}"#;
        let read: RData = serde_json::from_str(mx).unwrap();
        assert_eq!(read.rtype(), RecordType::Mx);
        assert_eq!(serde_json::to_string(&read).unwrap(), mx);
        // Data before the type reads too (a hand-edited file).
        let swapped: RData = serde_json::from_str(r#"{"data":"10.0.0.1","type":"A"}"#).unwrap();
        assert_eq!(swapped, RData::A(Ipv4Addr::new(10, 0, 0, 1)));
        let no_type = serde_json::from_str::<RData>(r#"{"data":"10.0.0.1"}"#).unwrap_err();
        assert!(no_type.to_string().contains("missing field `type`"));
        let bad = serde_json::from_str::<RData>(r#"{"type":"A","data":"ten"}"#).unwrap_err();
        assert!(bad.to_string().contains("invalid"), "{bad}");
    }
}
