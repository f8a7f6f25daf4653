//! Checks a zone for the mistakes students make, so the UI can warn before a
//! lookup fails: no NS, names without addresses, MX/NS/SRV pointing at an
//! alias (RFC 2181 §10.3), delegations without glue (RFC 1034 §4.2.1).

use core::fmt;

use serde::Serialize;

use super::name::Name;
use super::rdata::RecordType;
use super::zone::Zone;

/// Something in a zone that will likely make lookups fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ZoneWarning {
    /// No SOA: negative answers carry no TTL and are not cached.
    NoSoa {
        /// The zone.
        origin: Name,
    },
    /// No NS at the zone's top.
    NoNs {
        /// The zone.
        origin: Name,
    },
    /// An NS, MX or SRV target inside the zone has no A/AAAA record.
    TargetWithoutAddress {
        /// The record's owner.
        owner: Name,
        /// The record's type.
        rtype: RecordType,
        /// The target lacking an address.
        target: Name,
    },
    /// An NS, MX or SRV target is an alias (CNAME).
    TargetIsAlias {
        /// The record's owner.
        owner: Name,
        /// The record's type.
        rtype: RecordType,
        /// The alias.
        target: Name,
    },
    /// A delegation to a server inside the child zone, without its address.
    MissingGlue {
        /// The child zone.
        cut: Name,
        /// The server needing glue.
        server: Name,
    },
}

impl fmt::Display for ZoneWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneWarning::NoSoa { origin } => write!(
                f,
                "the zone {origin} has no SOA record: negative answers cannot be cached"
            ),
            ZoneWarning::NoNs { origin } => {
                write!(f, "the zone {origin} has no NS record at its top")
            }
            ZoneWarning::TargetWithoutAddress {
                owner,
                rtype,
                target,
            } => write!(
                f,
                "{rtype} of {owner} points to {target}, which has no A or AAAA record"
            ),
            ZoneWarning::TargetIsAlias {
                owner,
                rtype,
                target,
            } => write!(
                f,
                "{rtype} of {owner} points to {target}, an alias (CNAME); it must name a host with an address"
            ),
            ZoneWarning::MissingGlue { cut, server } => write!(
                f,
                "the delegation of {cut} to {server} needs a glue A record for {server}"
            ),
        }
    }
}

impl Zone {
    /// Likely mistakes in this zone, in record order.
    pub fn warnings(&self) -> Vec<ZoneWarning> {
        let mut out = Vec::new();
        if self.soa().is_none() {
            out.push(ZoneWarning::NoSoa {
                origin: self.origin.clone(),
            });
        }
        if self.rrset(&self.origin, RecordType::Ns).is_empty() {
            out.push(ZoneWarning::NoNs {
                origin: self.origin.clone(),
            });
        }
        for r in &self.records {
            let rtype = r.rtype();
            if !matches!(rtype, RecordType::Ns | RecordType::Mx | RecordType::Srv) {
                continue;
            }
            let Some(target) = r.data.target() else {
                continue;
            };
            if target.is_root() || !target.is_within(&self.origin) {
                continue;
            }
            let warning = if self
                .records_at(target)
                .any(|x| x.rtype() == RecordType::Cname)
            {
                ZoneWarning::TargetIsAlias {
                    owner: r.name.clone(),
                    rtype,
                    target: target.clone(),
                }
            } else if !self.addresses_of(target).is_empty() {
                continue;
            } else if rtype == RecordType::Ns && r.name != self.origin && target.is_within(&r.name)
            {
                ZoneWarning::MissingGlue {
                    cut: r.name.clone(),
                    server: target.clone(),
                }
            } else if self.find_cut(target).is_some() {
                continue; // its address lives in the child zone
            } else {
                ZoneWarning::TargetWithoutAddress {
                    owner: r.name.clone(),
                    rtype,
                    target: target.clone(),
                }
            };
            if !out.contains(&warning) {
                out.push(warning);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::dns::fixtures::{com_zone, hasan_zone, n, reverse_zone, root_zone};
    use crate::dns::zonefile::parse_zone;

    #[test]
    fn the_s4_zones_are_clean() {
        for z in [root_zone(), com_zone(), hasan_zone(), reverse_zone()] {
            assert_eq!(z.warnings(), [], "{}", z.origin);
        }
    }

    #[test]
    fn mistakes_are_explained() {
        let z = parse_zone(
            &n("hasan.com"),
            "@ MX 10 mail\n@ MX 20 www\nwww CNAME @\nsub NS ns.sub\n_imap._tcp SRV 0 0 143 .",
        )
        .unwrap();
        let text: Vec<String> = z.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "the zone hasan.com. has no NS record at its top",
                "MX of hasan.com. points to mail.hasan.com., which has no A or AAAA record",
                "MX of hasan.com. points to www.hasan.com., an alias (CNAME); it must name a host with an address",
                "the delegation of sub.hasan.com. to ns.sub.hasan.com. needs a glue A record for ns.sub.hasan.com.",
            ]
        );
    }
}
