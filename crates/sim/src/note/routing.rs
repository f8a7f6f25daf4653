//! OSPF and RIP notes worded with the lab's hostnames: the engines' notes
//! carry router IDs and interface addresses; the router that records one
//! adds its own hostname and the lab's [`RouterNames`], so the trace reads
//! "R2 adds 192.168.3.0/24 via 10.0.23.3, cost 2: learned from R3's router
//! LSA (3.3.3.3)" rather than a list of numbers.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;
use std::rc::Rc;

use lanlab_proto::ospf::{LsaKey, OspfNote, OspfRoute};
use lanlab_proto::rip::Note as RipNote;

/// The hostnames of the lab's routers by their interface addresses and
/// OSPF router IDs (shared by every router, rebuilt when a router's
/// configuration changes).
pub type RouterNames = Rc<BTreeMap<Ipv4Addr, Rc<str>>>;

/// A routing note and the names to word it with.
#[derive(Clone, Debug, PartialEq)]
pub struct Named<N> {
    /// The engine's note.
    pub note: N,
    /// The hostname of the router that made the decision.
    pub router: Rc<str>,
    /// Hostnames by address and router ID.
    pub names: RouterNames,
}

/// An OSPF note with names.
pub type OspfNamed = Named<OspfNote>;
/// A router's name and the lab's names, without a note: shared (one `Rc`)
/// by the unboxed notes one router makes.
pub type RouterWords = Named<()>;
/// A RIP note with names.
pub type RipNamed = Named<RipNote>;

impl<N> Named<N> {
    /// The hostname of the router with this address or router ID.
    pub fn name(&self, a: Ipv4Addr) -> Option<&str> {
        self.names.get(&a).map(|n| &**n)
    }

    /// A router named by its hostname with the address or router ID in
    /// parentheses: `R3 (3.3.3.3)`; the bare address when unknown.
    pub fn who(&self, a: Ipv4Addr) -> String {
        match self.name(a) {
            Some(n) => format!("{n} ({a})"),
            None => a.to_string(),
        }
    }

    /// The hostname, or the address when unknown: `R3`.
    pub fn short(&self, a: Ipv4Addr) -> String {
        self.name(a).map_or_else(|| a.to_string(), str::to_string)
    }

    /// The router that decided, as the subject of a sentence: its hostname,
    /// or `fallback` (the protocol's name) when the note has none.
    pub fn subject<'a>(&'a self, fallback: &'a str) -> &'a str {
        if self.router.is_empty() {
            fallback
        } else {
            &self.router
        }
    }
}

impl RouterWords {
    /// The OSPF note `note` with these names.
    pub fn ospf(&self, note: OspfNote) -> OspfNamed {
        Named {
            note,
            router: self.router.clone(),
            names: self.names.clone(),
        }
    }
}

/// A virtual time in seconds to the millisecond (`45.012 s`), with the
/// language's decimal mark.
pub fn secs(t: lanlab_proto::SimTime, mark: char) -> String {
    let ms = t.0 / 1000;
    format!("{}{mark}{:03} s", ms / 1000, ms % 1000)
}

impl OspfNamed {
    /// An LSA by its advertising router's name:
    /// `R3's router LSA (3.3.3.3)`, `R1's network LSA (10.0.123.1)`.
    pub fn lsa(&self, key: &LsaKey) -> String {
        match self.name(key.adv) {
            Some(n) => format!("{n}'s {} LSA ({})", key.ls_type, key.id),
            None => key.to_string(),
        }
    }

    /// Where a route leads: `192.168.3.0/24 via 10.0.23.3, cost 2: learned
    /// from R3's router LSA (3.3.3.3)`.
    pub fn route(&self, r: &OspfRoute) -> String {
        let via: Vec<String> = r
            .next_hops
            .iter()
            .map(|h| {
                h.addr
                    .map_or(format!("interface {}", h.port), |a| a.to_string())
            })
            .collect();
        let via = if via.is_empty() {
            String::new()
        } else {
            format!(" via {}", via.join(" and "))
        };
        let from = match self.name(r.source.adv) {
            Some(n) => format!("{n}'s {} LSA ({})", r.source.ls_type, r.source.adv),
            None => format!("{}'s {} LSA", r.source.adv, r.source.ls_type),
        };
        format!("{}{via}, cost {}: learned from {from}", r.dest, r.cost)
    }
}

impl fmt::Display for OspfNamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.note {
            OspfNote::NbrState {
                rid,
                from,
                to,
                event,
                ..
            } => write!(
                f,
                "OSPF neighbour {} from {from} to {to}: {event}",
                self.who(*rid)
            ),
            OspfNote::Negotiated { rid, master, .. } => write!(
                f,
                "OSPF negotiation with {} done: we are the {}",
                self.who(*rid),
                if *master { "MASTER" } else { "SLAVE" }
            ),
            OspfNote::Elected { dr, bdr, .. } => {
                write!(
                    f,
                    "OSPF election: DR {}, BDR {}",
                    self.who(*dr),
                    self.who(*bdr)
                )
            }
            OspfNote::Originated { key, seq } => write!(
                f,
                "OSPF originates {} (seq 0x{seq:08x}) and floods it",
                self.lsa(key)
            ),
            OspfNote::Deferred { key, until } => write!(
                f,
                "OSPF holds back a new instance of {} until {}: less than \
                 MinLSInterval (5 s) since the last one",
                self.lsa(key),
                secs(*until, '.')
            ),
            OspfNote::TooSoon { key, seq, from } => write!(
                f,
                "OSPF discards {} (seq 0x{seq:08x}) from {}: less than MinLSArrival \
                 (1 s) since the last instance arrived; not acknowledged",
                self.lsa(key),
                self.who(*from)
            ),
            OspfNote::Flushed { key } => write!(f, "OSPF flushes {} (MaxAge)", self.lsa(key)),
            OspfNote::Installed { key, seq, from } => write!(
                f,
                "OSPF installs {} (seq 0x{seq:08x}) received from {} and floods it on",
                self.lsa(key),
                self.who(*from)
            ),
            OspfNote::Spf { .. } | OspfNote::Dropped { .. } => write!(f, "{}", self.note),
            OspfNote::RouteAdded(r) => {
                write!(f, "{} adds {}", self.subject("OSPF"), self.route(r))
            }
            OspfNote::RouteChanged(r) => write!(
                f,
                "{} changes its route: {}",
                self.subject("OSPF"),
                self.route(r)
            ),
            OspfNote::RouteRemoved { dest } => write!(
                f,
                "{} removes {dest}: no longer reachable by OSPF",
                self.subject("OSPF")
            ),
            OspfNote::Mismatch { rid, what, .. } => write!(
                f,
                "OSPF hello from {} ignored: {what} mismatch",
                self.who(*rid)
            ),
        }
    }
}

impl fmt::Display for RipNamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.note {
            RipNote::Added {
                dest,
                via,
                metric,
                from,
            } => write!(
                f,
                "{} adds {dest} via {via}, metric {metric}: learned from {}'s RIP update",
                self.subject("RIP"),
                self.short(*from)
            ),
            RipNote::EqualPath { dest, via, metric } => write!(
                f,
                "RIP adds a second path to {dest} via {}: same metric {metric}, both are used",
                self.who(*via)
            ),
            RipNote::Changed {
                dest,
                via,
                old,
                new,
            } => write!(
                f,
                "RIP changes {dest} to via {}, metric {new} (was {old})",
                self.who(*via)
            ),
            RipNote::PathLost { dest, via } => write!(
                f,
                "RIP stops using {} for {dest}; the other paths stay",
                self.who(*via)
            ),
            RipNote::Poisoned { dest, via } => write!(
                f,
                "RIP: {} says {dest} is unreachable (metric 16): route held down for 180 s",
                self.who(*via)
            ),
            RipNote::InterfaceDown { dest, via, iface } => write!(
                f,
                "RIP drops {dest} via {} at once: {iface} is down or no longer runs RIP",
                self.who(*via)
            ),
            RipNote::Invalid { dest, via } => write!(
                f,
                "RIP: no update about {dest} from {} for 180 s: possibly down, held down",
                self.who(*via)
            ),
            RipNote::HeldDown { dest, from, metric } => write!(
                f,
                "RIP ignores metric {metric} for {dest} from {}: the route is in holddown",
                self.who(*from)
            ),
            RipNote::Restored { dest, via, metric } => write!(
                f,
                "RIP: {dest} is reachable again via {}, metric {metric}",
                self.who(*via)
            ),
            RipNote::Flushed { .. } => write!(f, "{}", self.note),
            RipNote::NotNeighbour { from, iface } => write!(
                f,
                "RIP ignores an update from {}: not on {iface}'s subnet",
                self.who(*from)
            ),
            RipNote::AnsweredRequest { to } => write!(
                f,
                "RIP answers the request of {} with the whole table",
                self.who(*to)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanlab_proto::net::ip::Ipv4Net;
    use lanlab_proto::ospf::{LsType, NextHop, RouteKind};

    fn names() -> RouterNames {
        Rc::new(
            [
                (Ipv4Addr::new(3, 3, 3, 3), Rc::from("R3")),
                (Ipv4Addr::new(10, 0, 23, 3), Rc::from("R3")),
            ]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn ospf_route_names_the_advertising_router() {
        let route = OspfRoute {
            dest: Ipv4Net::new(Ipv4Addr::new(192, 168, 3, 0), 24).unwrap(),
            kind: RouteKind::IntraArea,
            cost: 2,
            next_hops: vec![NextHop {
                port: 1,
                addr: Some(Ipv4Addr::new(10, 0, 23, 3)),
            }],
            area: Ipv4Addr::UNSPECIFIED,
            source: LsaKey {
                ls_type: LsType::Router,
                id: Ipv4Addr::new(3, 3, 3, 3),
                adv: Ipv4Addr::new(3, 3, 3, 3),
            },
        };
        let n = Named {
            note: OspfNote::RouteAdded(route),
            router: Rc::from("R2"),
            names: names(),
        };
        assert_eq!(
            n.to_string(),
            "R2 adds 192.168.3.0/24 via 10.0.23.3, cost 2: learned from R3's router LSA (3.3.3.3)"
        );
    }

    #[test]
    fn unknown_routers_keep_their_numbers() {
        let n = Named {
            note: OspfNote::NbrState {
                port: 0,
                rid: Ipv4Addr::new(4, 4, 4, 4),
                from: lanlab_proto::ospf::NbrState::Full,
                to: lanlab_proto::ospf::NbrState::Down,
                event: lanlab_proto::ospf::NbrEvent::KillNbr,
            },
            router: Rc::from(""),
            names: names(),
        };
        assert_eq!(
            n.to_string(),
            "OSPF neighbour 4.4.4.4 from FULL to DOWN: Interface down"
        );
    }

    #[test]
    fn rip_names_the_neighbour() {
        let n = Named {
            note: RipNote::Added {
                dest: Ipv4Net::new(Ipv4Addr::new(10, 0, 34, 0), 30).unwrap(),
                via: Ipv4Addr::new(10, 0, 23, 3),
                metric: 2,
                from: Ipv4Addr::new(10, 0, 23, 3),
            },
            router: Rc::from("R2"),
            names: names(),
        };
        assert_eq!(
            n.to_string(),
            "R2 adds 10.0.34.0/30 via 10.0.23.3, metric 2: learned from R3's RIP update"
        );
        let n = Named {
            note: RipNote::Poisoned {
                dest: Ipv4Net::new(Ipv4Addr::new(10, 0, 34, 0), 30).unwrap(),
                via: Ipv4Addr::new(10, 0, 23, 3),
            },
            ..n
        };
        assert!(n.to_string().starts_with("RIP: R3 (10.0.23.3) says"), "{n}");
    }

    #[test]
    fn an_unboxed_installed_note_reads_as_the_boxed_one() {
        use crate::Note;
        use crate::words::{Lang, note_text};
        let words = Rc::new(Named {
            note: (),
            router: Rc::from("R2"),
            names: names(),
        });
        let (key, seq, from) = (
            LsaKey {
                ls_type: lanlab_proto::ospf::LsType::Router,
                id: Ipv4Addr::new(3, 3, 3, 3),
                adv: Ipv4Addr::new(3, 3, 3, 3),
            },
            0x8000_0002,
            Ipv4Addr::new(3, 3, 3, 3),
        );
        let unboxed = Note::OspfInstalled {
            key,
            seq,
            from,
            names: words.clone(),
        };
        let boxed = Note::Ospf(Box::new(words.ospf(OspfNote::Installed { key, seq, from })));
        assert_eq!(unboxed.to_string(), boxed.to_string());
        assert_eq!(
            unboxed.to_string(),
            "OSPF installs R3's router LSA (3.3.3.3) (seq 0x80000002) received from R3 (3.3.3.3) and floods it on"
        );
        for lang in [Lang::En, Lang::Id] {
            assert_eq!(note_text(lang, &unboxed), note_text(lang, &boxed));
        }
    }
}
