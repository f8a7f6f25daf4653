//! DNS (RFC 1034/1035, 3596, 2782): message codec, authoritative zones, recursive resolver, stub resolver.
//!
//! - [`name`], [`wire`], [`rdata`], [`message`]: the wire format, in smoltcp's
//!   style (checked reader, plain representation structs, `parse`/`emit`).
//! - [`zone`], [`zonefile`], [`zonetoken`]: a zone's records as lab-document
//!   data, and a small zone-file-like text syntax for the UI.
//! - [`authoritative`]: the server answering from its zones (RFC 1034 §4.3.2).
//! - [`cache`], [`recursive`]: a caching iterative resolver (RFC 1034 §5.3.3,
//!   RFC 2308 negative caching).
//! - [`stub`]: the host's resolver and `nslookup`.
//! - [`lint`]: warnings about a zone's likely mistakes; [`dig`]: a message
//!   shown the way `dig` prints it.
//!
//! Every engine is sans-IO: bytes in, bytes out, time passed in.
//!
//! ```
//! use lanlab_proto::SimTime;
//! use lanlab_proto::dns::*;
//! use std::net::SocketAddr;
//!
//! // HasanDNS: a zone typed in the UI, served on UDP port 53.
//! let origin = Name::parse("hasan.com").unwrap();
//! let zone = parse_zone(&origin, "@ NS ns1\nns1 A 10.0.3.53\n@ A 192.168.1.1").unwrap();
//! let mut hasan = Authoritative::new(vec![zone]);
//!
//! // A PC's lookup, sent straight to it.
//! let question = Question::new(origin.clone(), RecordType::A);
//! let config = StubConfig::new(vec!["10.0.3.53".parse().unwrap()]);
//! let mut stub = StubLookup::new(SimTime::ZERO, question, config, 0x1234);
//! let query = stub.poll_transmit().unwrap();
//! let reply = hasan.handle_query(SimTime::ZERO, &query.payload, Transport::Udp).unwrap();
//! assert_eq!(Message::parse(&reply).unwrap().to_string(), "A hasan.com. 192.168.1.1 (AA)");
//! stub.handle_response(SimTime::from_millis(2), query.dst, &reply);
//! assert_eq!(stub.result().unwrap().addresses(), ["192.168.1.1".parse::<std::net::IpAddr>().unwrap()]);
//! assert_eq!(hasan.poll_note().unwrap().to_string(), "authoritative answer to A? hasan.com.: 1 record(s)");
//!
//! // The recursive server: datagrams in, datagrams out, timeouts polled.
//! let mut resolver = Resolver::new(ResolverConfig::with_root_hints(vec!["198.41.0.4".parse().unwrap()]), 1);
//! let pc: SocketAddr = "10.0.1.10:49152".parse().unwrap();
//! resolver.handle_datagram(SimTime::ZERO, pc, &query.payload);
//! let to_root = resolver.poll_transmit().unwrap();
//! assert_eq!(to_root.dst, "198.41.0.4:53".parse().unwrap());
//! assert_eq!(resolver.poll_timeout(), Some(SimTime::from_secs(2)));
//! ```

pub mod authoritative;
pub mod cache;
pub mod dig;
pub mod fields;
pub mod header;
pub mod lint;
pub mod message;
pub mod name;
pub mod note;
pub mod rdata;
pub mod recursive;
pub mod stub;
pub mod wire;
pub mod zone;
pub mod zonefile;
pub mod zonetoken;

pub use authoritative::{Authoritative, TcpDeframer, Transport, tcp_frame};
pub use cache::{Cache, CacheEntry};
pub use dig::dig_text;
pub use header::{Flags, Opcode, Rcode};
pub use lint::ZoneWarning;
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
#[cfg(test)]
mod zone_props;
