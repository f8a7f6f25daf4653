//! The DNS header's named numbers and flag bits (RFC 1035 §4.1.1): opcode,
//! response code, and QR/AA/TC/RD/RA.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::rdata::numbered_enum;

numbered_enum! {
    /// The kind of query (header OPCODE).
    Opcode(u8) {
        /// A standard query.
        Query = 0 => "QUERY",
        /// Inverse query (obsolete).
        IQuery = 1 => "IQUERY",
        /// Server status request.
        Status = 2 => "STATUS",
        /// Zone change notification (RFC 1996).
        Notify = 4 => "NOTIFY",
        /// Dynamic update (RFC 2136).
        Update = 5 => "UPDATE",
    }
}

numbered_enum! {
    /// Response code (header RCODE).
    Rcode(u8) {
        /// No error.
        NoError = 0 => "NOERROR",
        /// The server could not understand the query.
        FormErr = 1 => "FORMERR",
        /// The server failed to answer.
        ServFail = 2 => "SERVFAIL",
        /// The name does not exist.
        NxDomain = 3 => "NXDOMAIN",
        /// The kind of query is not implemented.
        NotImp = 4 => "NOTIMP",
        /// The server refuses to answer.
        Refused = 5 => "REFUSED",
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "RCODE{}", u8::from(*self)),
        }
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "OPCODE{}", u8::from(*self)),
        }
    }
}

/// The flag bits of the header (RFC 1035 §4.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flags {
    /// Response (true) or query.
    pub qr: bool,
    /// Kind of query.
    pub opcode: Opcode,
    /// Authoritative answer.
    pub aa: bool,
    /// Truncated: the answer did not fit.
    pub tc: bool,
    /// Recursion desired.
    pub rd: bool,
    /// Recursion available.
    pub ra: bool,
    /// The Z, AD and CD bits, kept as they came (RFC 4035 §3.2).
    pub z: u8,
    /// Response code.
    pub rcode: Rcode,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            qr: false,
            opcode: Opcode::Query,
            aa: false,
            tc: false,
            rd: false,
            ra: false,
            z: 0,
            rcode: Rcode::NoError,
        }
    }
}

impl Flags {
    /// Decodes the 16 flag bits.
    pub fn from_bits(bits: u16) -> Self {
        Flags {
            qr: bits & 0x8000 != 0,
            opcode: Opcode::from(((bits >> 11) & 0xf) as u8),
            aa: bits & 0x0400 != 0,
            tc: bits & 0x0200 != 0,
            rd: bits & 0x0100 != 0,
            ra: bits & 0x0080 != 0,
            z: ((bits >> 4) & 0x7) as u8,
            rcode: Rcode::from((bits & 0xf) as u8),
        }
    }

    /// Encodes the 16 flag bits.
    pub fn to_bits(self) -> u16 {
        (u16::from(self.qr) << 15)
            | (u16::from(u8::from(self.opcode) & 0xf) << 11)
            | (u16::from(self.aa) << 10)
            | (u16::from(self.tc) << 9)
            | (u16::from(self.rd) << 8)
            | (u16::from(self.ra) << 7)
            | (u16::from(self.z & 0x7) << 4)
            | u16::from(u8::from(self.rcode) & 0xf)
    }
}
