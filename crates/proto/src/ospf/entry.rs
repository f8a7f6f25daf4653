//! A database entry ([`Entry`]): an LSA kept as its header and bytes,
//! and its body read straight from the bytes (header included, checked
//! by [`Lsa::check`](super::lsa::Lsa::check) or encoded by this router):
//! the database keeps each LSA as bytes alone, and SPF walks a router's
//! links or a network's routers from them, without building the body.
//! Each reader gives what [`Lsa::read_checked`] reads into the body
//! (the same links, routers, mask and flags, the same bytes skipped).

use std::net::Ipv4Addr;
use std::rc::Rc;

use super::lsa::{
    LSA_HEADER_LEN, LinkType, LsType, Lsa, LsaBody, LsaHeader, MAX_AGE, MAX_ITEMS, RouterLink,
};
use crate::SimTime;

/// An LSA in the database, with the time its age was last set: its
/// header and its bytes, the body read from them when needed
/// ([`Entry::lsa`], and the readers SPF uses).
#[derive(Clone, Debug)]
pub struct Entry {
    /// The LSA's header as received or originated (age as it was then).
    pub header: LsaHeader,
    /// When it went into the database.
    pub at: SimTime,
    /// Whether it came by flooding (not originated or aged here): what
    /// MinLSArrival looks at (§13 (5a)).
    pub flooded: bool,
    /// The LSA as this router sends it (length and checksum filled in;
    /// the age is set on the way out), encoded once; the body is read
    /// from it.
    pub(super) bytes: Rc<[u8]>,
}

impl Entry {
    /// Its age now, in seconds (at most MaxAge).
    pub fn age(&self, now: SimTime) -> u16 {
        if self.header.age >= MAX_AGE {
            return MAX_AGE;
        }
        let secs = now.saturating_since(self.at).as_secs();
        (u64::from(self.header.age) + secs).min(u64::from(MAX_AGE)) as u16
    }

    /// Its header with the current age.
    pub fn header(&self, now: SimTime) -> LsaHeader {
        LsaHeader {
            age: self.age(now),
            ..self.header
        }
    }

    /// The LSA, its body built from its bytes (checked when they came,
    /// or encoded here: they read back; an empty `Other` body otherwise,
    /// which cannot happen).
    pub fn lsa(&self) -> Lsa {
        Lsa::read_checked(self.header, &self.bytes).unwrap_or(Lsa {
            header: self.header,
            body: LsaBody::Other(Vec::new()),
        })
    }
}

/// The body's bytes (after the header).
fn body(all: &[u8]) -> &[u8] {
    all.get(LSA_HEADER_LEN..).unwrap_or(&[])
}

fn ip(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

/// A router LSA's links, read one by one.
#[derive(Clone, Debug)]
pub(super) struct Links<'a>(RawLinks<'a>);

impl Iterator for Links<'_> {
    type Item = RouterLink;

    fn next(&mut self) -> Option<RouterLink> {
        let l = self.0.next()?;
        Some(RouterLink {
            id: ip(&l[0..4]),
            data: ip(&l[4..8]),
            kind: LinkType::from(l[8]),
            metric: u16::from_be_bytes([l[10], l[11]]),
        })
    }
}

/// A router LSA's links as their 12 bytes (id, data, type, TOS count,
/// metric).
#[derive(Clone, Debug)]
struct RawLinks<'a> {
    /// From the next link on.
    rest: &'a [u8],
    /// Links still to read.
    left: usize,
}

impl<'a> Iterator for RawLinks<'a> {
    type Item = &'a [u8; 12];

    fn next(&mut self) -> Option<&'a [u8; 12]> {
        if self.left == 0 {
            return None;
        }
        let (l, _) = self.rest.split_first_chunk::<12>()?;
        self.left -= 1;
        // The TOS metrics after it are skipped, as the parser does.
        self.rest = self.rest.get(12 + 4 * usize::from(l[9])..).unwrap_or(&[]);
        Some(l)
    }
}

/// The links of router LSA bytes `all` (none for another type).
fn raw_links(t: LsType, all: &[u8]) -> RawLinks<'_> {
    let b = body(all);
    match (t, b.get(2..4)) {
        (LsType::Router, Some(n)) => RawLinks {
            rest: &b[4..],
            left: usize::from(u16::from_be_bytes([n[0], n[1]])).min(MAX_ITEMS),
        },
        _ => RawLinks { rest: &[], left: 0 },
    }
}

/// The routers of network LSA bytes `all` (none for another type).
fn attached(t: LsType, all: &[u8]) -> impl Iterator<Item = Ipv4Addr> + '_ {
    let b = match t {
        LsType::Network => body(all).get(4..).unwrap_or(&[]),
        _ => &[],
    };
    b.chunks_exact(4).take(MAX_ITEMS).map(ip)
}

impl Entry {
    /// Its links, if a router LSA.
    pub(super) fn links(&self) -> Links<'_> {
        Links(raw_links(self.header.key.ls_type, &self.bytes))
    }

    /// The data (own address) of its first link of this kind to `id`,
    /// if a router LSA with one: the links compared as bytes.
    pub(super) fn link_to(&self, kind: LinkType, id: Ipv4Addr) -> Option<Ipv4Addr> {
        let (k, id) = (u8::from(kind), id.octets());
        raw_links(self.header.key.ls_type, &self.bytes)
            .find(|l| l[8] == k && l[0..4] == id)
            .map(|l| ip(&l[4..8]))
    }

    /// Whether router `r` is on the network, if a network LSA.
    pub(super) fn attaches(&self, r: Ipv4Addr) -> bool {
        let r = r.octets();
        let b = match self.header.key.ls_type {
            LsType::Network => body(&self.bytes).get(4..).unwrap_or(&[]),
            _ => &[],
        };
        b.chunks_exact(4).take(MAX_ITEMS).any(|c| c == r)
    }

    /// Its V/E/B flags, if a router LSA.
    pub(super) fn router_flags(&self) -> Option<u8> {
        match self.header.key.ls_type {
            LsType::Router => body(&self.bytes).first().copied(),
            _ => None,
        }
    }

    /// The routers on the network, if a network LSA.
    pub(super) fn attached(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        attached(self.header.key.ls_type, &self.bytes)
    }

    /// The network's mask, if a network LSA.
    pub(super) fn net_mask(&self) -> Option<Ipv4Addr> {
        match self.header.key.ls_type {
            LsType::Network => body(&self.bytes).get(..4).map(ip),
            _ => None,
        }
    }

    /// Whether two instances of one LSA have the same contents (their
    /// bodies as [`Entry::body`] reads them), without building them.
    pub(super) fn same_body(&self, other: &Entry) -> bool {
        let t = self.header.key.ls_type;
        if t != other.header.key.ls_type {
            return self.body() == other.body();
        }
        if body(&self.bytes) == body(&other.bytes) {
            return true;
        }
        match t {
            LsType::Router => {
                self.router_flags() == other.router_flags() && self.links().eq(other.links())
            }
            LsType::Network => {
                self.net_mask() == other.net_mask() && self.attached().eq(other.attached())
            }
            _ => self.body() == other.body(),
        }
    }

    /// Its body, built.
    pub fn body(&self) -> LsaBody {
        self.lsa().body
    }
}
