//! The Services tab of a server: DHCP, DNS, EMAIL and HTTP, each a form
//! over the device's [`Services`] in the document, with the running
//! engine's live state next to it (leases, mailboxes and queue).
//!
//! Each form edits its own fields; a button checks them (a bad value is
//! marked at its field, translated, and nothing is saved) and applies a
//! copy of the device's services through `Command::SetServices`.

use std::net::Ipv4Addr;

use lanlab_proto::dhcp::{ConfigError, LeaseTime, PoolConfig, ServerConfig};
use lanlab_proto::dns::{Name, RData, Record, RecordType, Zone};
use lanlab_proto::http::{INDEX, WebFile, WebServerConfig};
use lanlab_sim::DeviceId;
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery, ZoneLookup};
use lanlab_sim::services::{DhcpService, DnsService, HttpService, MailService, MailUser, Services};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::panels::ip_config::parse_mask;
use crate::sim_driver::Sim;
use crate::state::{AppState, Command, Status};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Which {
    Dhcp,
    Dns,
    Email,
    Http,
    Firewall,
}

impl Which {
    fn slug(self) -> &'static str {
        match self {
            Which::Dhcp => "dhcp",
            Which::Dns => "dns",
            Which::Email => "email",
            Which::Http => "http",
            Which::Firewall => "firewall",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Which::Dhcp => "DHCP",
            Which::Dns => "DNS",
            Which::Email => "EMAIL",
            Which::Http => "HTTP",
            Which::Firewall => "FIREWALL",
        }
    }
}

/// Reads the device's services now (not tracked).
fn services_of(st: AppState, id: DeviceId) -> Services {
    st.lab
        .with_untracked(|l| l.device(id).map(|d| d.services.clone()))
        .unwrap_or_default()
}

/// Applies `edit` to a copy of the device's services; true when kept.
pub(crate) fn apply(st: AppState, id: DeviceId, edit: impl FnOnce(&mut Services)) -> bool {
    let mut s = services_of(st, id);
    edit(&mut s);
    let ok = st
        .dispatch(Command::SetServices {
            id,
            services: Box::new(s),
        })
        .is_ok();
    if ok {
        st.status.set(Some(Status::Hint(Key::Applied)));
    }
    ok
}

fn device_name(st: AppState, id: DeviceId) -> String {
    st.lab
        .with_untracked(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
}

/// The Services tab.
#[component]
pub fn ServicesTab(
    /// The server.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let which = RwSignal::new(Which::Dhcp);
    let bar = [
        Which::Dhcp,
        Which::Dns,
        Which::Email,
        Which::Http,
        Which::Firewall,
    ]
    .into_iter()
    .map(|w| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=format!("svc-{}", w.slug())
                aria-selected=move || (which.get() == w).to_string()
                on:click=move |_| which.set(w)
            >
                {w.label()}
            </button>
        }
    })
    .collect_view();
    let _ = st;
    view! {
        <div class="services" data-testid="services">
            <div class="tabs sub" role="tablist">{bar}</div>
            {move || match which.get() {
                Which::Dhcp => view! { <DhcpForm id/> }.into_any(),
                Which::Dns => view! { <DnsForm id/> }.into_any(),
                Which::Email => view! { <EmailForm id/> }.into_any(),
                Which::Http => view! { <HttpForm id/> }.into_any(),
                Which::Firewall => view! { <crate::panels::firewall::FirewallForm id/> }.into_any(),
            }}
        </div>
    }
}

/// An on/off switch that applies at once.
fn service_switch(
    st: AppState,
    id: DeviceId,
    testid: &'static str,
    is_on: fn(&Services) -> bool,
    set: fn(&mut Services, bool),
) -> impl IntoView {
    let t = move |k| st.lang.get().t(k);
    let on = move || {
        st.lab
            .with(|l| l.device(id).is_some_and(|d| is_on(&d.services)))
    };
    view! {
        <label class="switch">
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=on
                on:change=move |ev| {
                    let want = event_target_checked(&ev);
                    if !apply(st, id, |s| set(s, want)) {
                        st.lab.update(|_| {});
                    }
                }
            />
            <span>{move || t(Key::ServiceOn)}</span>
        </label>
    }
}

/// A text field with an optional error under it.
fn text_field(
    st: AppState,
    label: Key,
    testid: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<Key>>,
) -> impl IntoView {
    let t = move |k| st.lang.get().t(k);
    view! {
        <label class="field" class:invalid=move || error.get().is_some()>
            <span>{move || t(label)}</span>
            <input
                data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                autocomplete="off"
                spellcheck="false"
                autocapitalize="off"
            />
            {move || error.get().map(|k| view! { <small class="field-error">{move || t(k)}</small> })}
        </label>
    }
}

fn opt_addr(s: &str) -> Result<Option<Ipv4Addr>, ()> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        s.parse().map(Some).map_err(|_| ())
    }
}

// ---------------------------------------------------------------- DHCP

#[component]
fn DhcpForm(id: DeviceId) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let pools = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.dhcp.as_ref())
                .map(|d| d.config.pools.clone())
                .unwrap_or_default()
        })
    };
    // Suggest values from the server's own address.
    let own = st.lab.with_untracked(|l| {
        l.device(id)
            .and_then(|d| d.ports.first())
            .and_then(|p| p.ip.as_static().cloned())
    });
    let first = pools().into_iter().next();
    let name = RwSignal::new(
        first
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "serverPool".into()),
    );
    let gateway = RwSignal::new(
        first
            .as_ref()
            .and_then(|p| p.gateway)
            .map(|g| g.to_string())
            .unwrap_or_default(),
    );
    let dns = RwSignal::new(
        first
            .as_ref()
            .and_then(|p| p.dns_servers.first())
            .map(|g| g.to_string())
            .unwrap_or_default(),
    );
    let start = RwSignal::new(
        first
            .as_ref()
            .map(|p| p.start.to_string())
            .unwrap_or_else(|| {
                own.as_ref()
                    .map(|s| {
                        let o = s.address.octets();
                        Ipv4Addr::new(o[0], o[1], o[2], 10).to_string()
                    })
                    .unwrap_or_default()
            }),
    );
    let mask = RwSignal::new(
        first
            .as_ref()
            .map(|p| p.mask.to_string())
            .or_else(|| own.as_ref().map(|s| s.mask.to_string()))
            .unwrap_or_else(|| "255.255.255.0".into()),
    );
    let users = RwSignal::new(
        first
            .as_ref()
            .map(|p| p.max_users.to_string())
            .unwrap_or_else(|| "50".into()),
    );
    let (lease0, unit0) = match first.as_ref().map(|p| p.lease_time).unwrap_or_default() {
        LeaseTime::Minutes(n) => (n.to_string(), "minutes"),
        LeaseTime::Hours(n) => (n.to_string(), "hours"),
        LeaseTime::Days(n) => (n.to_string(), "days"),
        LeaseTime::Infinite => (String::new(), "infinite"),
    };
    let lease = RwSignal::new(lease0);
    let unit = RwSignal::new(unit0.to_string());
    let tried = RwSignal::new(false);
    let range_err = RwSignal::new(None::<Key>);

    let shown = move |bad: bool, k: Key| (tried.get() && bad).then_some(k);
    let e_name = Signal::derive(move || shown(name.with(|n| n.trim().is_empty()), Key::Required));
    let e_gw =
        Signal::derive(move || shown(gateway.with(|g| opt_addr(g).is_err()), Key::NotAnAddress));
    let e_dns =
        Signal::derive(move || shown(dns.with(|g| opt_addr(g).is_err()), Key::NotAnAddress));
    let e_start = Signal::derive(move || {
        shown(
            start.with(|s| s.trim().parse::<Ipv4Addr>().is_err()),
            Key::NotAnAddress,
        )
    });
    let e_mask = Signal::derive(move || {
        shown(mask.with(|m| parse_mask(m).is_none()), Key::NotAMask)
            .or_else(|| (range_err.get() == Some(Key::NotAMask)).then_some(Key::NotAMask))
    });
    let e_users = Signal::derive(move || {
        shown(
            users.with(|u| u.trim().parse::<u32>().map_or(true, |n| n == 0)),
            Key::NotAPositiveNumber,
        )
        .or(range_err.get().filter(|k| *k == Key::RangeTooLong))
    });
    let e_lease = Signal::derive(move || {
        shown(
            unit.get() != "infinite"
                && lease.with(|u| u.trim().parse::<u32>().map_or(true, |n| n == 0)),
            Key::NotAPositiveNumber,
        )
    });
    let end_addr = move || {
        let s = start.with(|s| s.trim().parse::<Ipv4Addr>().ok())?;
        let n = users.with(|u| u.trim().parse::<u32>().ok())?;
        let end = u32::from(s).checked_add(n.checked_sub(1)?)?;
        Some(Ipv4Addr::from(end).to_string())
    };

    // The pool in the fields, or `None` (errors marked).
    let read_pool = move || -> Option<PoolConfig> {
        tried.set(true);
        range_err.set(None);
        let bad = [e_name, e_gw, e_dns, e_start, e_mask, e_users, e_lease]
            .iter()
            .any(|e| e.get_untracked().is_some());
        if bad {
            return None;
        }
        let start_a: Ipv4Addr = start.get_untracked().trim().parse().ok()?;
        let mask_a = parse_mask(&mask.get_untracked())?;
        let network = Ipv4Addr::from(u32::from(start_a) & u32::from(mask_a));
        let mut p = PoolConfig::new(
            name.get_untracked().trim(),
            network,
            mask_a,
            start_a,
            users.get_untracked().trim().parse().ok()?,
        );
        p.gateway = opt_addr(&gateway.get_untracked()).ok()?;
        p.dns_servers = opt_addr(&dns.get_untracked()).ok()?.into_iter().collect();
        let n: u32 = lease.get_untracked().trim().parse().unwrap_or(1);
        p.lease_time = match unit.get_untracked().as_str() {
            "minutes" => LeaseTime::Minutes(n),
            "hours" => LeaseTime::Hours(n),
            "infinite" => LeaseTime::Infinite,
            _ => LeaseTime::Days(n),
        };
        match p.validate() {
            Ok(()) => Some(p),
            Err(ConfigError::MaskNotContiguous { .. }) => {
                range_err.set(Some(Key::NotAMask));
                None
            }
            Err(_) => {
                range_err.set(Some(Key::RangeTooLong));
                None
            }
        }
    };

    let save = move |_| {
        let Some(p) = read_pool() else { return };
        apply(st, id, |s| {
            let d = s.dhcp.get_or_insert_with(|| DhcpService {
                enabled: true,
                config: ServerConfig::new(Vec::new()),
            });
            match d.config.pools.iter_mut().find(|q| q.name == p.name) {
                Some(q) => *q = p,
                None => d.config.pools.push(p),
            }
        });
    };
    let remove = move |pool: String| {
        apply(st, id, |s| {
            if let Some(d) = s.dhcp.as_mut() {
                d.config.pools.retain(|q| q.name != pool);
            }
        });
    };
    let load = move |p: PoolConfig| {
        name.set(p.name.clone());
        gateway.set(p.gateway.map(|g| g.to_string()).unwrap_or_default());
        dns.set(
            p.dns_servers
                .first()
                .map(|g| g.to_string())
                .unwrap_or_default(),
        );
        start.set(p.start.to_string());
        mask.set(p.mask.to_string());
        users.set(p.max_users.to_string());
        tried.set(false);
    };

    let leases = sim.watch_device(
        move || Some(device_name(st, id)),
        DeviceQuery::DhcpLeases,
        |a| match a {
            DeviceAnswer::DhcpLeases { leases } => Some(leases.unwrap_or_default()),
            _ => None,
        },
    );
    let leases = move || leases.get().unwrap_or_default();

    view! {
        <section class="svc-form" data-testid="dhcp-form">
            {service_switch(st, id, "dhcp-on", |s| s.dhcp_on().is_some(), |s, on| {
                let d = s.dhcp.get_or_insert_with(|| DhcpService { enabled: on, config: ServerConfig::new(Vec::new()) });
                d.enabled = on;
            })}
            <form on:submit=move |ev| { ev.prevent_default(); save(()) }>
                {text_field(st, Key::PoolName, "dhcp-pool-name", name, e_name)}
                {text_field(st, Key::Gateway, "dhcp-gateway", gateway, e_gw)}
                {text_field(st, Key::DnsServer, "dhcp-dns", dns, e_dns)}
                {text_field(st, Key::StartAddress, "dhcp-start", start, e_start)}
                {text_field(st, Key::SubnetMask, "dhcp-mask", mask, e_mask)}
                {text_field(st, Key::MaxUsers, "dhcp-max-users", users, e_users)}
                <p class="hint">{move || t(Key::EndAddress)} ": " <span data-testid="dhcp-end">{end_addr}</span></p>
                <div class="field-row">
                    {text_field(st, Key::LeaseTime, "dhcp-lease", lease, e_lease)}
                    <select data-testid="dhcp-lease-unit" aria-label=move || t(Key::LeaseTime) on:change=move |ev| unit.set(event_target_value(&ev))>
                        {[("minutes", Key::Minutes), ("hours", Key::Hours), ("days", Key::Days), ("infinite", Key::Infinite)]
                            .into_iter()
                            .map(|(v, k)| view! { <option value=v selected=move || unit.get() == v>{move || t(k)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" data-testid="dhcp-save">{move || t(Key::SavePool)}</button>
            </form>
            <table class="svc-table" data-testid="dhcp-pools">
                <thead><tr>
                    <th>{move || t(Key::PoolName)}</th><th>{move || t(Key::StartAddress)}</th>
                    <th>{move || t(Key::MaxUsers)}</th><th>{move || t(Key::Gateway)}</th><th><span class="visually-hidden">{move || t(Key::RowActions)}</span></th>
                </tr></thead>
                <tbody>
                    {move || pools().into_iter().map(|p| {
                        let p2 = p.clone();
                        let n2 = p.name.clone();
                        view! {
                            <tr data-testid="dhcp-pool-row">
                                <td><button type="button" class="linkish" data-testid="dhcp-pool-edit" on:click=move |_| load(p2.clone())>{p.name.clone()}</button></td>
                                <td>{p.start.to_string()}</td>
                                <td>{p.max_users}</td>
                                <td>{p.gateway.map(|g| g.to_string()).unwrap_or_default()}</td>
                                <td><button type="button" class="danger small" data-testid="dhcp-pool-remove" on:click=move |_| remove(n2.clone()) title=move || t(Key::Remove) aria-label=move || t(Key::Remove)>"✕"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{move || t(Key::Leases)}</h3>
            <table class="svc-table" data-testid="dhcp-leases">
                <thead><tr>
                    <th>{move || t(Key::IpAddress)}</th><th>"MAC"</th><th>{move || t(Key::LeaseState)}</th>
                </tr></thead>
                <tbody>
                    {move || leases().into_iter().map(|l| view! {
                        <tr data-testid="dhcp-lease-row">
                            <td>{l.address.to_string()}</td>
                            <td>{l.mac}</td>
                            <td>{l.state.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

// ---------------------------------------------------------------- DNS

const DNS_TYPES: [&str; 7] = ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "PTR"];

/// The zone a new record goes in: the deepest zone holding the name, or a
/// new one for the name's last two labels.
fn zone_for(zones: &[Zone], name: &Name) -> (Option<usize>, Name) {
    let best = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| name.is_within(&z.origin))
        .max_by_key(|(_, z)| z.origin.label_count());
    match best {
        Some((i, z)) => (Some(i), z.origin.clone()),
        None => (None, name.suffix(2)),
    }
}

#[component]
fn DnsForm(id: DeviceId) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let name = RwSignal::new(String::new());
    let rtype = RwSignal::new("A".to_string());
    let value = RwSignal::new(String::new());
    let pref = RwSignal::new("10".to_string());
    let tried = RwSignal::new(false);
    let value_err = RwSignal::new(None::<Key>);

    let parsed_name = move || name.with(|n| Name::parse(n.trim()).ok());
    let e_name = Signal::derive(move || {
        (tried.get() && (parsed_name().is_none() || name.with(|n| n.trim() == ".")))
            .then_some(Key::NotADomainName)
    });
    let e_value = Signal::derive(move || value_err.get());
    let e_pref = Signal::derive(move || {
        (tried.get() && rtype.get() == "MX" && pref.with(|p| p.trim().parse::<u16>().is_err()))
            .then_some(Key::NotAPositiveNumber)
    });

    let rdata = move || -> Result<RData, Key> {
        let v = value.get_untracked();
        let v = v.trim();
        let name_of = |s: &str| Name::parse(s).map_err(|_| Key::NotADomainName);
        match rtype.get_untracked().as_str() {
            "A" => v.parse().map(RData::A).map_err(|_| Key::NotAnAddress),
            "AAAA" => v
                .parse()
                .map(RData::Aaaa)
                .map_err(|_| Key::NotAnIpv6Address),
            "CNAME" => name_of(v).map(RData::Cname),
            "NS" => name_of(v).map(RData::Ns),
            "PTR" => name_of(v).map(RData::Ptr),
            "MX" => Ok(RData::Mx {
                preference: pref
                    .get_untracked()
                    .trim()
                    .parse()
                    .map_err(|_| Key::NotAPositiveNumber)?,
                exchange: name_of(v)?,
            }),
            _ => {
                if v.is_empty() {
                    Err(Key::Required)
                } else {
                    Ok(RData::Txt(vec![v.to_string()]))
                }
            }
        }
    };

    let add = move |_| {
        tried.set(true);
        let data = rdata();
        value_err.set(data.as_ref().err().copied());
        let (Some(owner), Ok(data)) = (parsed_name(), data) else {
            return;
        };
        if e_name.get_untracked().is_some() || e_pref.get_untracked().is_some() {
            return;
        }
        let mut refused = None;
        let ok = apply(st, id, |s| {
            let dns = s.dns.get_or_insert_with(|| DnsService {
                enabled: true,
                ..Default::default()
            });
            let (at, origin) = zone_for(&dns.zones, &owner);
            let zi = match at {
                Some(i) => i,
                None => {
                    dns.zones.push(Zone::with_default_soa(origin, None));
                    dns.zones.len() - 1
                }
            };
            refused = dns.zones[zi].add(Record::new(owner, 3600, data)).err();
        });
        if let (Some(e), true) = (&refused, ok) {
            // The zone refused the record (a CNAME beside other data, at @, …).
            st.status.set(Some(Status::Error(
                t(crate::i18n::zone_error_key(e)).to_string(),
            )));
        } else if ok {
            name.set(String::new());
            value.set(String::new());
            tried.set(false);
        }
    };

    let records = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.dns.as_ref())
                .map(|d| {
                    d.zones
                        .iter()
                        .enumerate()
                        .flat_map(|(zi, z)| {
                            z.records
                                .iter()
                                .filter(|r| r.rtype() != RecordType::Soa)
                                .map(move |r| (zi, r.clone()))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let zones = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.dns.as_ref())
                .map(|d| {
                    d.zones
                        .iter()
                        .map(|z| z.origin.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let remove = move |zi: usize, r: Record| {
        apply(st, id, |s| {
            if let Some(z) = s.dns.as_mut().and_then(|d| d.zones.get_mut(zi)) {
                z.remove(&r);
            }
        });
    };
    let remove_zone = move |zi: usize| {
        apply(st, id, |s| {
            if let Some(d) = s.dns.as_mut()
                && zi < d.zones.len()
            {
                d.zones.remove(zi);
            }
        });
    };

    // Ask the running server (live answers from its zones).
    let q_name = RwSignal::new(String::new());
    let q_type = RwSignal::new("A".to_string());
    let asked = RwSignal::new(None::<(Name, RecordType)>);
    let q_bad = RwSignal::new(false);
    let ask = move |_| {
        let n = q_name.with_untracked(|n| Name::parse(n.trim()).ok());
        let ty = RecordType::parse(&q_type.get_untracked());
        q_bad.set(n.is_none());
        asked.set(n.zip(ty));
    };
    let lookup = sim.watch_device_asking(
        move || {
            let (name, ty) = asked.get()?;
            let query = DeviceQuery::DnsAnswer {
                name,
                rtype: u16::from(ty),
            };
            Some((device_name(st, id), query))
        },
        |a| match a {
            DeviceAnswer::DnsAnswer { lookup } => Some(lookup),
            _ => None,
        },
    );
    let answer = move || {
        asked.get()?;
        let lines = match lookup.get().flatten() {
            None => vec![t(Key::DnsNoZone).to_string()],
            Some(ZoneLookup::Records { records }) => records,
            Some(ZoneLookup::NoData) => vec![t(Key::DnsNoData).to_string()],
            Some(ZoneLookup::NxDomain) => vec![t(Key::DnsNxDomain).to_string()],
            Some(ZoneLookup::Delegated { cut }) => {
                vec![format!("{} {cut}", t(Key::DnsDelegated))]
            }
        };
        Some(lines.join("\n"))
    };
    let cache = sim.watch_device(
        move || Some(device_name(st, id)),
        DeviceQuery::DnsCache,
        |a| match a {
            DeviceAnswer::DnsCache { entries } => Some(entries),
            _ => None,
        },
    );
    let cache = move || cache.get().unwrap_or_default();

    view! {
        <section class="svc-form" data-testid="dns-form">
            {service_switch(st, id, "dns-on", |s| s.dns_on().is_some(), |s, on| {
                s.dns.get_or_insert_with(DnsService::default).enabled = on;
            })}
            <form on:submit=move |ev| { ev.prevent_default(); add(()) }>
                {text_field(st, Key::RecordName, "dns-name", name, e_name)}
                <label class="field">
                    <span>{move || t(Key::RecordType)}</span>
                    <select data-testid="dns-type" on:change=move |ev| rtype.set(event_target_value(&ev))>
                        {DNS_TYPES.into_iter().map(|ty| view! { <option value=ty selected=move || rtype.get() == ty>{ty}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || rtype.get() == "MX">
                    {text_field(st, Key::MxPreference, "dns-pref", pref, e_pref)}
                </Show>
                {text_field(st, Key::RecordValue, "dns-value", value, e_value)}
                <button type="submit" data-testid="dns-add">{move || t(Key::Add)}</button>
            </form>
            <table class="svc-table" data-testid="dns-records">
                <thead><tr>
                    <th>{move || t(Key::RecordName)}</th><th>{move || t(Key::RecordType)}</th><th>{move || t(Key::RecordValue)}</th><th><span class="visually-hidden">{move || t(Key::RowActions)}</span></th>
                </tr></thead>
                <tbody>
                    {move || records().into_iter().map(|(zi, r)| {
                        let r2 = r.clone();
                        view! {
                            <tr data-testid="dns-record-row">
                                <td>{r.name.to_string()}</td>
                                <td>{r.rtype().to_string()}</td>
                                <td>{r.data.to_string()}</td>
                                <td><button type="button" class="danger small" data-testid="dns-record-remove" on:click=move |_| remove(zi, r2.clone()) title=move || t(Key::Remove) aria-label=move || t(Key::Remove)>"✕"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{move || t(Key::DnsAsk)}</h3>
            <form class="field-row" on:submit=move |ev| { ev.prevent_default(); ask(()) }>
                {text_field(st, Key::RecordName, "dns-q-name", q_name, Signal::derive(move || q_bad.get().then_some(Key::NotADomainName)))}
                <select data-testid="dns-q-type" aria-label=move || t(Key::RecordType) on:change=move |ev| q_type.set(event_target_value(&ev))>
                    {DNS_TYPES.into_iter().map(|ty| view! { <option value=ty selected=move || q_type.get() == ty>{ty}</option> }).collect_view()}
                </select>
                <button type="submit" data-testid="dns-ask">{move || t(Key::DnsAskButton)}</button>
            </form>
            <pre class="live" data-testid="dns-answer" tabindex="0">{answer}</pre>
            <Show when=move || !cache().is_empty()>
                <h3>{move || t(Key::DnsCache)}</h3>
                <pre class="live" data-testid="dns-cache" tabindex="0">{move || cache().join("\n")}</pre>
            </Show>
            <h3>{move || t(Key::Zones)}</h3>
            <ul class="svc-list" data-testid="dns-zones">
                {move || zones().into_iter().enumerate().map(|(zi, z)| view! {
                    <li data-testid="dns-zone-row">
                        <span>{z}</span>
                        <button type="button" class="danger small" data-testid="dns-zone-remove" on:click=move |_| remove_zone(zi) title=move || t(Key::Remove) aria-label=move || t(Key::Remove)>"✕"</button>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

// ---------------------------------------------------------------- EMAIL

fn valid_domain(d: &str) -> bool {
    let d = d.trim();
    !d.is_empty()
        && d.contains('.')
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn valid_user(u: &str) -> bool {
    let u = u.trim();
    !u.is_empty()
        && u.len() <= 64
        && u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
}

#[component]
fn EmailForm(id: DeviceId) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let current = services_of(st, id);
    let domain = RwSignal::new(
        current
            .mail
            .as_ref()
            .and_then(|m| m.domains.first().cloned())
            .unwrap_or_default(),
    );
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let tried_domain = RwSignal::new(false);
    let tried_user = RwSignal::new(false);
    let e_domain = Signal::derive(move || {
        (tried_domain.get() && !domain.with(|d| valid_domain(d))).then_some(Key::NotADomainName)
    });
    let has_domain = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.mail.as_ref())
                .is_some_and(|m| !m.domains.is_empty())
        })
    };
    let e_user = Signal::derive(move || {
        if !tried_user.get() {
            None
        } else if !user.with(|u| valid_user(u)) {
            Some(Key::NotAUserName)
        } else if !has_domain() {
            Some(Key::SetDomainFirst)
        } else {
            None
        }
    });
    let e_pass = Signal::derive(move || {
        (tried_user.get() && password.with(String::is_empty)).then_some(Key::Required)
    });

    let set_domain = move |_| {
        tried_domain.set(true);
        if e_domain.get_untracked().is_some() {
            return;
        }
        let d = domain.get_untracked().trim().to_ascii_lowercase();
        apply(st, id, |s| {
            let m = s.mail.get_or_insert_with(MailService::default);
            m.domains = vec![d.clone()];
            for u in &mut m.users {
                u.domain = d.clone();
            }
        });
    };
    let add_user = move |_| {
        tried_user.set(true);
        if e_user.get_untracked().is_some() || e_pass.get_untracked().is_some() {
            return;
        }
        let name = user.get_untracked().trim().to_string();
        let pw = password.get_untracked();
        let ok = apply(st, id, |s| {
            let m = s.mail.get_or_insert_with(MailService::default);
            let dom = m.domains.first().cloned().unwrap_or_default();
            match m
                .users
                .iter_mut()
                .find(|u| u.name.eq_ignore_ascii_case(&name))
            {
                Some(u) => u.password = pw,
                None => m.users.push(MailUser {
                    name,
                    domain: dom,
                    password: pw,
                }),
            }
        });
        if ok {
            user.set(String::new());
            password.set(String::new());
            tried_user.set(false);
        }
    };
    let remove = move |name: String| {
        apply(st, id, |s| {
            if let Some(m) = s.mail.as_mut() {
                m.users.retain(|u| u.name != name);
            }
        });
    };
    let users = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.mail.as_ref())
                .map(|m| m.users.clone())
                .unwrap_or_default()
        })
    };
    let live = sim.watch_device(
        move || Some(device_name(st, id)),
        DeviceQuery::MailServer,
        |a| match a {
            DeviceAnswer::MailServer { mailboxes, queue } => Some((mailboxes, queue)),
            _ => None,
        },
    );
    let live = move || live.get().unwrap_or_default();

    view! {
        <section class="svc-form" data-testid="email-form">
            {service_switch(st, id, "email-on", |s| s.mail.as_ref().is_some_and(|m| m.enabled), |s, on| {
                s.mail.get_or_insert_with(MailService::default).enabled = on;
            })}
            <form class="field-row" on:submit=move |ev| { ev.prevent_default(); set_domain(()) }>
                {text_field(st, Key::DomainName, "email-domain", domain, e_domain)}
                <button type="submit" data-testid="email-domain-set">{move || t(Key::Set)}</button>
            </form>
            <form on:submit=move |ev| { ev.prevent_default(); add_user(()) }>
                {text_field(st, Key::MailUser, "email-user", user, e_user)}
                {text_field(st, Key::MailPassword, "email-password", password, e_pass)}
                <button type="submit" data-testid="email-user-add">{move || t(Key::Add)}</button>
            </form>
            <table class="svc-table" data-testid="email-users">
                <thead><tr><th>{move || t(Key::MailUser)}</th><th>{move || t(Key::MailPassword)}</th><th>{move || t(Key::Inbox)}</th><th><span class="visually-hidden">{move || t(Key::RowActions)}</span></th></tr></thead>
                <tbody>
                    {move || {
                        let (boxes, _) = live();
                        users().into_iter().map(|u| {
                            let acct = format!("{}@{}", u.name, u.domain).to_ascii_lowercase();
                            let count = boxes.iter().find(|b| b.account == acct).map(|b| b.inbox);
                            let n2 = u.name.clone();
                            view! {
                                <tr data-testid="email-user-row">
                                    <td>{acct.clone()}</td>
                                    <td>{u.password.clone()}</td>
                                    <td data-testid="email-inbox-count">{count.map(|c| c.to_string()).unwrap_or_else(|| "–".into())}</td>
                                    <td><button type="button" class="danger small" data-testid="email-user-remove" on:click=move |_| remove(n2.clone()) title=move || t(Key::Remove) aria-label=move || t(Key::Remove)>"✕"</button></td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <p class="hint" data-testid="email-queue">{move || t(Key::MailQueue)} ": " {move || live().1}</p>
        </section>
    }
}

// ---------------------------------------------------------------- HTTP

const DEFAULT_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n<body><h1>Welcome</h1>\n<p>This page is served by lanlab.</p></body></html>\n";

fn valid_file_name(n: &str) -> bool {
    let n = n.trim();
    !n.is_empty()
        && n.len() <= 100
        && !n.starts_with('/')
        && !n.contains("..")
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b))
}

#[component]
fn HttpForm(id: DeviceId) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let files = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.http.as_ref())
                .map(|h| {
                    h.config
                        .default_site
                        .files
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let content_of = move |f: &str| {
        st.lab.with_untracked(|l| {
            l.device(id)
                .and_then(|d| d.services.http.as_ref())
                .and_then(|h| h.config.default_site.files.get(f))
                .map(|w| w.content.clone())
        })
    };
    let editing = RwSignal::new(
        files()
            .into_iter()
            .find(|f| f == INDEX)
            .or_else(|| files().into_iter().next()),
    );
    let text = RwSignal::new(
        editing
            .get_untracked()
            .and_then(|f| content_of(&f))
            .unwrap_or_default(),
    );
    let new_name = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let e_new = Signal::derive(move || {
        (tried.get() && !new_name.with(|n| valid_file_name(n))).then_some(Key::NotAFileName)
    });
    let now = move || st.lab.with_untracked(|l| l.start_unix);

    let edit = move |f: String| {
        text.set(content_of(&f).unwrap_or_default());
        editing.set(Some(f));
    };
    let save = move |_| {
        let Some(f) = editing.get_untracked() else {
            return;
        };
        let content = text.get_untracked();
        let at = now();
        apply(st, id, |s| {
            let h = s.http.get_or_insert_with(|| HttpService {
                enabled: true,
                config: WebServerConfig::default(),
            });
            h.config
                .default_site
                .files
                .insert(f, WebFile::new(content, at));
        });
    };
    let add = move |_| {
        tried.set(true);
        if e_new.get_untracked().is_some() {
            return;
        }
        let f = new_name.get_untracked().trim().to_string();
        let at = now();
        let content = format!(
            "<!DOCTYPE html>\n<html><head><title>{f}</title></head>\n<body>\n</body></html>\n"
        );
        let ok = apply(st, id, |s| {
            let h = s.http.get_or_insert_with(|| HttpService {
                enabled: true,
                config: WebServerConfig::default(),
            });
            h.config
                .default_site
                .files
                .entry(f.clone())
                .or_insert(WebFile::new(content, at));
        });
        if ok {
            new_name.set(String::new());
            tried.set(false);
            edit(f);
        }
    };
    let remove = move |f: String| {
        apply(st, id, |s| {
            if let Some(h) = s.http.as_mut() {
                h.config.default_site.files.remove(&f);
            }
        });
        if editing.get_untracked().as_deref() == Some(f.as_str()) {
            editing.set(None);
            text.set(String::new());
        }
    };

    view! {
        <section class="svc-form" data-testid="http-form">
            {service_switch(st, id, "http-on", |s| s.http_on().is_some(), |s, on| {
                let h = s.http.get_or_insert_with(|| HttpService {
                    enabled: on,
                    config: WebServerConfig::with_home_page(DEFAULT_PAGE, 0),
                });
                h.enabled = on;
            })}
            <table class="svc-table" data-testid="http-files">
                <thead><tr><th>{move || t(Key::FileName)}</th><th colspan="2"><span class="visually-hidden">{move || t(Key::RowActions)}</span></th></tr></thead>
                <tbody>
                    {move || files().into_iter().map(|f| {
                        let (f1, f2) = (f.clone(), f.clone());
                        view! {
                            <tr data-testid="http-file-row" data-file=f.clone()>
                                <td>{f.clone()}</td>
                                <td><button type="button" class="small" data-testid="http-file-edit" on:click=move |_| edit(f1.clone())>{move || t(Key::Edit)}</button></td>
                                <td><button type="button" class="danger small" data-testid="http-file-remove" on:click=move |_| remove(f2.clone()) title=move || t(Key::Remove) aria-label=move || t(Key::Remove)>"✕"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="field-row" on:submit=move |ev| { ev.prevent_default(); add(()) }>
                {text_field(st, Key::NewFile, "http-new-name", new_name, e_new)}
                <button type="submit" data-testid="http-new-add">{move || t(Key::Add)}</button>
            </form>
            {move || editing.get().map(|f| view! {
                <form class="page-editor" on:submit=move |ev| { ev.prevent_default(); save(()) }>
                    <label class="field">
                        <span>{move || t(Key::EditPage)} " " <code data-testid="http-editing">{f.clone()}</code></span>
                        <textarea
                            data-testid="http-editor"
                            rows="10"
                            spellcheck="false"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <button type="submit" data-testid="http-save">{move || t(Key::Save)}</button>
                </form>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn new_records_find_their_zone() {
        let hasan = Name::parse("hasan.com").unwrap();
        let zones = vec![Zone::with_default_soa(hasan.clone(), None)];
        let www = Name::parse("www.hasan.com").unwrap();
        assert_eq!(zone_for(&zones, &www), (Some(0), hasan.clone()));
        let other = Name::parse("mail.dadali.com").unwrap();
        assert_eq!(
            zone_for(&zones, &other),
            (None, Name::parse("dadali.com").unwrap())
        );
    }

    #[wasm_bindgen_test]
    fn names_are_checked() {
        assert!(valid_domain("hasan.com"));
        assert!(!valid_domain("hasan"));
        assert!(!valid_domain("has an.com"));
        assert!(valid_user("12_5b_01"));
        assert!(!valid_user("a b"));
        assert!(valid_file_name("docs/a.html"));
        for bad in ["../x", "/etc/passwd", "", "a b.html", "<x>.html"] {
            assert!(!valid_file_name(bad), "{bad}");
        }
    }
}
