//! `show ip nat translations [verbose]` and `show ip nat statistics`, laid
//! out as Cisco IOS 15 prints them, and the counters behind the latter.

use core::fmt::Write as _;
use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::config::NatTarget;
use super::engine::Nat;
use super::outcome::{Endpoint, MappingSource};
use super::table::{EntryKind, NatEntry};
use serde::{Deserialize, Serialize};

use crate::SimTime;

/// Counters for `show ip nat statistics`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatStats {
    /// Packets that found their translation entry.
    pub hits: u64,
    /// Packets that found none (a new entry was made, or none could be).
    pub misses: u64,
    /// Entries removed by their timeout.
    pub expired: u64,
    /// Packets rewritten.
    pub translated: u64,
    /// The most entries at one time, and when.
    pub peak: usize,
    /// When the peak was reached.
    pub peak_at: SimTime,
    /// Allocation failures per pool.
    pub pool_misses: BTreeMap<String, u64>,
}

/// The header line of `show ip nat translations`.
pub const TRANSLATIONS_HEADER: &str =
    "Pro Inside global      Inside local       Outside local      Outside global";

/// Where each column after `Pro` starts; a longer field pushes the next one
/// right by a single space, as IOS does.
const COLUMNS: [usize; 4] = [4, 23, 42, 61];

/// `hh:mm:ss` (hours may pass 24), IOS's form for ages and time left.
pub fn hms(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn endpoint(e: Endpoint, with_port: bool) -> String {
    if with_port {
        e.to_string()
    } else {
        e.addr.to_string()
    }
}

/// One table row, columns aligned.
fn row(e: &NatEntry) -> String {
    let ports = e.protocol.is_some();
    let pro = e.protocol.map_or("---".to_string(), |p| p.to_string());
    let outside = e.outside.map_or("---".to_string(), |o| o.to_string());
    let fields = [
        endpoint(e.inside_global, ports),
        endpoint(e.inside_local, ports),
        outside.clone(),
        outside,
    ];
    let mut line = pro;
    for (field, col) in fields.iter().zip(COLUMNS) {
        if line.len() < col {
            line.push_str(&" ".repeat(col - line.len()));
        } else {
            line.push(' ');
        }
        line.push_str(field);
    }
    line
}

/// The three verbose lines under a row.
fn verbose(e: &NatEntry, now: SimTime) -> String {
    let create = hms(now - e.created);
    let used = hms(now - e.last_used);
    let mut s = format!("    create {create}, use {used}");
    match (e.timeout, e.deadline()) {
        (Some(t), Some(d)) => {
            let _ = write!(s, " timeout:{}, left {},", t.as_millis(), hms(d - now));
            if let Some(r) = e.rule {
                let _ = write!(s, " Map-Id(In): {},", r + 1);
            }
        }
        _ => s.push(','),
    }
    let flags = match e.kind {
        EntryKind::Static => "static",
        EntryKind::StaticPort => "static, extended",
        EntryKind::Dynamic => "none",
        EntryKind::Extended if e.finrst => "extended, timing-out",
        EntryKind::Extended => "extended",
    };
    let _ = write!(
        s,
        "\n    flags:\n{flags}, use_count: {}, entry-id: {}, lc_entries: 0",
        e.children,
        e.id + 1
    );
    s
}

impl Nat {
    /// The text of `show ip nat translations [verbose]` at `now`.
    pub fn show_translations(&self, now: SimTime, verbose_form: bool) -> String {
        let mut out = String::from(TRANSLATIONS_HEADER);
        out.push('\n');
        for e in self.entries() {
            out.push_str(&row(e));
            out.push('\n');
            if verbose_form {
                out.push_str(&verbose(e, now));
                out.push('\n');
            }
        }
        out
    }

    /// The text of `show ip nat statistics` at `now`; `iface_name` names an
    /// interface by index (`GigabitEthernet0/1`).
    pub fn show_statistics(&self, now: SimTime, iface_name: impl Fn(usize) -> String) -> String {
        let entries: Vec<&NatEntry> = self.entries().collect();
        let statics = entries.iter().filter(|e| e.is_static()).count();
        let extended = entries.iter().filter(|e| e.protocol.is_some()).count();
        let st = self.stats();
        let c = self.config();
        let mut s = format!(
            "Total active translations: {} ({statics} static, {} dynamic; {extended} extended)\n",
            entries.len(),
            entries.len() - statics
        );
        if st.peak > 0 {
            let _ = writeln!(
                s,
                "Peak translations: {}, occurred {} ago",
                st.peak,
                hms(now - st.peak_at)
            );
        } else {
            s.push_str("Peak translations: 0\n");
        }
        s.push_str("Outside interfaces:\n");
        for &i in &c.outside {
            let _ = writeln!(s, "  {}", iface_name(i));
        }
        s.push_str("Inside interfaces:\n");
        for &i in &c.inside {
            let _ = writeln!(s, "  {}", iface_name(i));
        }
        let _ = writeln!(s, "Hits: {}  Misses: {}", st.hits, st.misses);
        let _ = writeln!(
            s,
            "CEF Translated packets: {}, CEF Punted packets: 0",
            st.translated
        );
        let _ = writeln!(s, "Expired translations: {}", st.expired);
        s.push_str("Dynamic mappings:\n");
        if !c.dynamic.is_empty() {
            s.push_str("-- Inside Source\n");
        }
        for (i, r) in c.dynamic.iter().enumerate() {
            let refcount = entries.iter().filter(|e| e.rule == Some(i)).count();
            match &r.target {
                NatTarget::Interface(iface) => {
                    let _ = writeln!(
                        s,
                        "[Id: {}] access-list {} interface {} refcount {refcount}",
                        i + 1,
                        r.acl,
                        iface_name(*iface)
                    );
                }
                NatTarget::Pool(name) => {
                    let _ = writeln!(
                        s,
                        "[Id: {}] access-list {} pool {name} refcount {refcount}",
                        i + 1,
                        r.acl
                    );
                    if let Some(pool) = c.pool(name) {
                        let allocated = pool_addresses(&entries, name).len() as u64;
                        let size = u64::from(pool.size());
                        let pct = (allocated * 100).checked_div(size).unwrap_or(0);
                        let misses = st.pool_misses.get(name).copied().unwrap_or(0);
                        let _ = write!(
                            s,
                            " pool {name}: netmask {}\n\tstart {} end {}\n\ttype generic, total addresses {size}, allocated {allocated} ({pct}%), misses {misses}\n",
                            pool.netmask(),
                            pool.first,
                            pool.last
                        );
                    }
                }
            }
        }
        s.push_str("\nTotal doors: 0\nAppl doors: 0\nNormal doors: 0\nQueued Packets: 0\n");
        s
    }
}

/// The inside global addresses of pool `name` in use.
fn pool_addresses(entries: &[&NatEntry], name: &str) -> BTreeSet<Ipv4Addr> {
    crate::order::set(
        entries
            .iter()
            .filter(|e| match &e.source {
                MappingSource::Pool { pool } => pool == name,
                MappingSource::Overload { pool: Some(pool) } => pool == name,
                _ => false,
            })
            .map(|e| e.inside_global.addr),
    )
}
