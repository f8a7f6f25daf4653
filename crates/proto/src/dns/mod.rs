//! DNS (RFC 1034/1035, 3596, 2782): message codec, authoritative zones, recursive resolver, stub resolver.
//!
//! - [`name`], [`wire`], [`rdata`], [`message`]: the wire format, in smoltcp's
//!   style (checked reader, plain representation structs, `parse`/`emit`).
//! - [`zone`], [`zonefile`]: a zone's records as lab-document data, and a small
//!   zone-file-like text syntax for the UI.
//! - [`authoritative`]: the server answering from its zones (RFC 1034 §4.3.2).
//! - [`cache`], [`recursive`]: a caching iterative resolver (RFC 1034 §5.3.3,
//!   RFC 2308 negative caching).
//! - [`stub`]: the host's resolver and `nslookup`.
//!
//! Every engine is sans-IO: bytes in, bytes out, time passed in.

pub mod authoritative;
pub mod cache;
pub mod header;
pub mod message;
pub mod name;
pub mod note;
pub mod rdata;
pub mod recursive;
pub mod stub;
pub mod wire;
pub mod zone;
pub mod zonefile;

pub use authoritative::{Authoritative, TcpDeframer, Transport, tcp_frame};
pub use cache::{Cache, CacheEntry};
pub use header::{Flags, Opcode, Rcode};
pub use message::{Message, Question, Record, UDP_LIMIT};
pub use name::{Name, NameError};
pub use note::Note;
pub use rdata::{Class, RData, RecordType, Soa};
pub use recursive::{Resolver, ResolverConfig, Transmit};
pub use stub::{
    LookupResult, NslookupCommand, StubConfig, StubLookup, parse_nslookup, render_nslookup,
};
pub use wire::WireError;
pub use zone::{Zone, ZoneAnswer, ZoneError};
pub use zonefile::{ZoneFileError, parse_zone};

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod s4_tests;
