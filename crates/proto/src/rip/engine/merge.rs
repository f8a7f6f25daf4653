//! Merging one route of a neighbour's response into the RIP database
//! (RFC 2453 §3.9.2): a new route, a better or worse metric from the path
//! in use, an equal-cost path, news about a held-down route.

use std::net::Ipv4Addr;

use super::{Learned, Path, Rip};
use crate::SimTime;
use crate::net::route::MAX_PATHS;
use crate::rip::note::Note;
use crate::rip::wire::{AFI_INET, Entry, INFINITY};

impl Rip {
    /// Merges entry `e` of a response from `src` on interface `iface`.
    pub(super) fn merge(&mut self, now: SimTime, iface: usize, src: Ipv4Addr, e: &Entry) {
        if e.afi != AFI_INET || e.metric == 0 {
            return;
        }
        let Some(dest) = e.dest() else { return };
        let dest = dest.trunc();
        if self.is_connected(dest) {
            return;
        }
        let via = if e.next_hop.is_unspecified()
            || !self.ifaces[iface]
                .net
                .is_some_and(|n| n.contains(e.next_hop))
        {
            src
        } else {
            e.next_hop
        };
        let metric = e.metric.min(INFINITY);
        let path = Path {
            via,
            iface,
            updated: now,
        };
        let Some(l) = self.learned.get_mut(&dest) else {
            if metric < INFINITY {
                self.learned.insert(dest, Learned::new(metric, path));
                self.rib_touched.insert(dest);
                self.changed.insert(dest);
                self.rib_changed = true;
                self.notes.push_back(Note::Added {
                    dest,
                    via,
                    metric,
                    from: src,
                });
            }
            return;
        };
        // Whatever happens below may change or refresh its routes.
        self.rib_touched.insert(dest);
        let held = l.metric >= INFINITY;
        let mine = l.paths.iter().position(|p| p.via == via);
        match mine {
            Some(p) if metric == l.metric && !held => l.paths[p].updated = now,
            Some(_) if metric < l.metric || (held && metric < INFINITY) => {
                if held {
                    self.notes.push_back(Note::Restored { dest, via, metric });
                } else {
                    self.notes.push_back(Note::Changed {
                        dest,
                        via,
                        old: l.metric,
                        new: metric,
                    });
                }
                *l = Learned::new(metric, path);
                self.changed.insert(dest);
                self.rib_changed = true;
            }
            Some(p) if !held => {
                // Worse news from a path we use.
                if l.paths.len() > 1 {
                    l.paths.remove(p);
                    self.changed.insert(dest);
                    self.rib_changed = true;
                    self.notes.push_back(Note::PathLost { dest, via });
                } else if metric < INFINITY {
                    self.notes.push_back(Note::Changed {
                        dest,
                        via,
                        old: l.metric,
                        new: metric,
                    });
                    l.metric = metric;
                    l.paths[0].updated = now;
                    self.changed.insert(dest);
                    self.rib_changed = true;
                } else {
                    let last = l.paths[0].updated;
                    l.hold_down(now, last);
                    self.changed.insert(dest);
                    self.rib_changed = true;
                    self.notes.push_back(Note::Poisoned { dest, via });
                }
            }
            Some(_) => {}
            None => {
                if metric >= INFINITY {
                    return;
                }
                if held {
                    if l.holddown_until.is_some_and(|t| now < t) {
                        self.notes.push_back(Note::HeldDown {
                            dest,
                            from: src,
                            metric,
                        });
                        return;
                    }
                    *l = Learned::new(metric, path);
                    self.changed.insert(dest);
                    self.rib_changed = true;
                    self.notes.push_back(Note::Restored { dest, via, metric });
                } else if metric < l.metric {
                    self.notes.push_back(Note::Changed {
                        dest,
                        via,
                        old: l.metric,
                        new: metric,
                    });
                    *l = Learned::new(metric, path);
                    self.changed.insert(dest);
                    self.rib_changed = true;
                } else if metric == l.metric && l.paths.len() < MAX_PATHS {
                    l.paths.push(path);
                    crate::order::sort_by_key(&mut l.paths, |p| (p.via, p.iface));
                    self.changed.insert(dest);
                    self.rib_changed = true;
                    self.notes.push_back(Note::EqualPath { dest, via, metric });
                }
            }
        }
    }
}
