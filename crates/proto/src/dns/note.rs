//! Typed notes for the trace: why a DNS server, resolver or stub did what it
//! did. The UI translates them; `Display` gives the English sentence.

use core::fmt;
use core::time::Duration;
use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use super::message::{Question, Rcode};
use super::name::Name;
use super::rdata::RecordType;

/// One decision of a DNS engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Note {
    /// An authoritative answer was given.
    Answered {
        /// The question.
        question: Question,
        /// How many answer records.
        count: usize,
    },
    /// `from` is an alias; the answer continues at `to`.
    AliasFollowed {
        /// The alias.
        from: Name,
        /// Its canonical name.
        to: Name,
    },
    /// The name does not exist.
    NxDomain {
        /// The missing name.
        name: Name,
    },
    /// The name exists without records of the type asked.
    NoData {
        /// The name.
        name: Name,
        /// The type asked for.
        rtype: RecordType,
    },
    /// A server referred the question to a child zone's servers.
    Delegated {
        /// The child zone.
        zone: Name,
        /// Its name servers.
        servers: Vec<Name>,
    },
    /// A question outside every zone here, with no recursion: REFUSED.
    NotAuthoritative {
        /// The name asked about.
        name: Name,
    },
    /// A query that could not be read: FORMERR (or dropped).
    Malformed {
        /// What was wrong.
        reason: String,
    },
    /// An opcode or query type not served: NOTIMP.
    NotImplemented {
        /// What was asked for.
        what: String,
    },
    /// The response did not fit in UDP: TC set.
    Truncated {
        /// The full size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The cache held the answer.
    CacheHit {
        /// The name.
        name: Name,
        /// The type.
        rtype: RecordType,
        /// Seconds of TTL left.
        ttl_left: u32,
    },
    /// The cache held a negative answer (RFC 2308).
    NegativeCacheHit {
        /// The name.
        name: Name,
        /// The type.
        rtype: RecordType,
        /// NXDOMAIN (true) or NODATA.
        nxdomain: bool,
        /// Seconds of TTL left.
        ttl_left: u32,
    },
    /// A query went out to a server.
    Asking {
        /// The server.
        server: IpAddr,
        /// The zone it serves.
        zone: Name,
        /// The question.
        question: Question,
        /// The query id.
        id: u16,
    },
    /// A referral was followed.
    Referral {
        /// The zone referred to.
        zone: Name,
        /// Addresses of its servers (from glue or cache).
        addresses: Vec<IpAddr>,
    },
    /// A name server's address had to be looked up first (no glue).
    ResolvingServerName {
        /// The name server.
        name: Name,
    },
    /// A server did not reply in time.
    Timeout {
        /// The server.
        server: IpAddr,
        /// How long was waited.
        after: Duration,
    },
    /// ICMP port unreachable came back for a query: no DNS server runs
    /// there; the next one is tried (or the lookup ends) at once.
    Unreachable {
        /// The server.
        server: IpAddr,
    },
    /// A server answered with an error; the next one is tried.
    ServerError {
        /// The server.
        server: IpAddr,
        /// Its response code (or a description).
        rcode: Rcode,
    },
    /// A reply nobody was waiting for.
    UnexpectedReply {
        /// Where it came from.
        from: SocketAddr,
        /// Its id.
        id: u16,
    },
    /// The resolver gave up on a question.
    GaveUp {
        /// The question.
        question: Question,
        /// Why.
        reason: String,
    },
    /// The resolver answered its client.
    Replied {
        /// The client.
        client: SocketAddr,
        /// The response code.
        rcode: Rcode,
        /// How many answer records.
        count: usize,
    },
    /// Records were stored in the cache.
    Cached {
        /// The name.
        name: Name,
        /// The type.
        rtype: RecordType,
        /// For how long, in seconds.
        ttl: u32,
    },
    /// A query without RD: answered from the cache only.
    NoRecursion {
        /// The question.
        question: Question,
    },
    /// A host's resolver sent its query.
    StubQuery {
        /// The DNS server asked.
        server: IpAddr,
        /// The question.
        question: Question,
        /// Which try this is, from 1.
        attempt: u32,
    },
    /// A host's lookup finished.
    StubDone {
        /// The question.
        question: Question,
        /// The result, in words.
        result: String,
    },
    /// A negative answer was stored in the cache.
    CachedNegative {
        /// The name.
        name: Name,
        /// The type.
        rtype: RecordType,
        /// NXDOMAIN (true) or NODATA.
        nxdomain: bool,
        /// For how long, in seconds.
        ttl: u32,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Answered { question, count } => {
                write!(f, "authoritative answer to {question}: {count} record(s)")
            }
            Note::AliasFollowed { from, to } => write!(f, "{from} is an alias for {to}"),
            Note::NxDomain { name } => write!(f, "NXDOMAIN for {name}"),
            Note::NoData { name, rtype } => {
                write!(f, "{name} exists but has no {rtype} record (NODATA)")
            }
            Note::Delegated { zone, servers } => {
                let list: Vec<String> = servers.iter().map(ToString::to_string).collect();
                write!(f, "{zone} is delegated to {}", list.join(", "))
            }
            Note::NotAuthoritative { name } => {
                write!(f, "not authoritative for {name} and not recursive: REFUSED")
            }
            Note::Malformed { reason } => write!(f, "malformed query ({reason}): FORMERR"),
            Note::NotImplemented { what } => write!(f, "{what} is not supported: NOTIMP"),
            Note::Truncated { size, limit } => write!(
                f,
                "response is {size} bytes, over the {limit}-byte UDP limit: truncated (TC)"
            ),
            Note::CacheHit {
                name,
                rtype,
                ttl_left,
            } => write!(f, "cache hit: {name} {rtype} (TTL {ttl_left} s left)"),
            Note::NegativeCacheHit {
                name,
                rtype,
                nxdomain,
                ttl_left,
            } => {
                let kind = if *nxdomain { "NXDOMAIN" } else { "NODATA" };
                write!(
                    f,
                    "cache hit: {kind} for {name} {rtype} (TTL {ttl_left} s left)"
                )
            }
            Note::Asking {
                server,
                zone,
                question,
                id,
            } => write!(
                f,
                "asking {server} (a server for {zone}) {question} [id {id}]"
            ),
            Note::Referral { zone, addresses } => {
                let list: Vec<String> = addresses.iter().map(ToString::to_string).collect();
                if list.is_empty() {
                    write!(f, "referral to {zone} servers (addresses unknown)")
                } else {
                    write!(f, "referral to {zone} servers at {}", list.join(", "))
                }
            }
            Note::ResolvingServerName { name } => {
                write!(f, "no glue for {name}: looking up its address first")
            }
            Note::Timeout { server, after } => {
                write!(f, "no reply from {server} after {} s", after.as_secs_f64())
            }
            Note::Unreachable { server } => {
                write!(f, "no response from server {server}: port 53 unreachable")
            }
            Note::ServerError { server, rcode } => {
                write!(f, "{server} answered {rcode}: trying another server")
            }
            Note::UnexpectedReply { from, id } => {
                write!(f, "ignored a reply from {from} (id {id}) nobody asked for")
            }
            Note::GaveUp { question, reason } => write!(f, "gave up on {question}: {reason}"),
            Note::Replied {
                client,
                rcode,
                count,
            } => write!(f, "answered {client}: {rcode}, {count} record(s)"),
            Note::NoRecursion { question } => {
                write!(
                    f,
                    "{question} without recursion desired: answering from the cache only"
                )
            }
            Note::StubQuery {
                server,
                question,
                attempt,
            } => write!(f, "asking DNS server {server}: {question} (try {attempt})"),
            Note::StubDone { question, result } => write!(f, "{question}: {result}"),
            Note::Cached { name, rtype, ttl } => write!(f, "cached {name} {rtype} for {ttl} s"),
            Note::CachedNegative {
                name,
                rtype,
                nxdomain,
                ttl,
            } => {
                let kind = if *nxdomain { "NXDOMAIN" } else { "NODATA" };
                write!(f, "cached {kind} for {name} {rtype} for {ttl} s")
            }
        }
    }
}
