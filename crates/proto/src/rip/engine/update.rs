//! What an update out of one interface carries (split horizon with
//! poison reverse, auto-summary), and the messages it takes.

use std::collections::VecDeque;
use std::net::Ipv4Addr;

use super::{Learned, Rip, Transmit};
use crate::net::ip::Ipv4Net;
use crate::net::route::show::classful_net;
use crate::rip::wire::{Command, Entry, INFINITY, MAX_ENTRIES, Repr};

impl Rip {
    /// The entries for an update out of interface `k` (split horizon with
    /// poison reverse: routes learned through `k` go back with metric 16).
    /// `full`: the connected networks (and the default route) too, as a
    /// full update has them; `learned` are the learned routes to include.
    pub(super) fn entries_for<'a>(
        &self,
        k: usize,
        full: bool,
        learned: impl Iterator<Item = (&'a Ipv4Net, &'a Learned)>,
    ) -> Vec<Entry> {
        let Some(out_net) = self.ifaces.get(k).and_then(|i| i.net) else {
            return Vec::new();
        };
        // Collected in a vector, then put in prefix order with the lowest
        // metric per prefix (what a map by prefix gave, without a node per
        // entry): mostly already in order, the learned routes come sorted.
        let mut v: Vec<(Ipv4Net, u32)> = Vec::new();
        let add = |v: &mut Vec<(Ipv4Net, u32)>, dest: Ipv4Net, metric: u32| {
            let dest = if self.settings.auto_summary
                && classful_net(dest.addr) != classful_net(out_net.addr)
                && dest.prefix > 0
            {
                classful_net(dest.addr)
            } else {
                dest
            };
            v.push((dest, metric));
        };
        if full {
            if self.settings.default_originate {
                add(
                    &mut v,
                    Ipv4Net {
                        addr: Ipv4Addr::UNSPECIFIED,
                        prefix: 0,
                    },
                    1,
                );
            }
            for (k2, i) in self.ifaces.iter().enumerate() {
                if let (true, Some(net)) = (i.enabled && k2 != k, i.net) {
                    add(&mut v, net.trunc(), 1);
                }
            }
        }
        for (dest, l) in learned {
            let back = l.paths.iter().any(|p| p.iface == k);
            let m = if back || l.metric >= INFINITY {
                INFINITY
            } else {
                (l.metric + 1).min(INFINITY)
            };
            add(&mut v, *dest, m);
        }
        // Equal prefixes end up adjacent, their metrics in any order: the
        // lowest is kept.
        if !v.is_sorted_by(|a, b| a.0 < b.0) {
            v.sort_unstable();
            v.dedup_by(|later, first| later.0 == first.0);
        }
        v.into_iter().map(|(d, m)| Entry::route(d, m)).collect()
    }
}

/// Queues `entries` as responses out of `iface` to `dst`, at most
/// [`MAX_ENTRIES`] a message.
pub(super) fn push_to(
    out: &mut VecDeque<Transmit>,
    iface: usize,
    dst: Ipv4Addr,
    entries: Vec<Entry>,
    triggered: bool,
) {
    let response = |entries| Transmit {
        iface,
        dst,
        repr: Repr {
            command: Command::Response,
            version: 2,
            entries,
        },
        triggered,
    };
    if (1..=MAX_ENTRIES).contains(&entries.len()) {
        // One message: the vector as it is.
        out.push_back(response(entries));
    } else {
        out.extend(entries.chunks(MAX_ENTRIES).map(|c| response(c.to_vec())));
    }
}
