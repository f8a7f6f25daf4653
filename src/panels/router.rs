//! A router's forms: static routes (Config tab, `Command::SetRoutes`), and
//! on its Services tab the access lists (typed as IOS commands, entries
//! listed with move up/down/remove, bindings to interfaces, live `show
//! access-lists` with hit counts), the live NAT table where NAT is
//! configured, and the DHCP relay (`ip helper-address`).

use std::net::Ipv4Addr;

use lanlab_proto::firewall::{AclConfig, ConfigMode, Direction};
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery};
use lanlab_sim::services::RelayHelper;
use lanlab_sim::{DeviceId, StaticRoute};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::panels::ip_config::parse_mask;
use crate::sim_driver::Sim;
use crate::state::{AppState, Command, Status};

fn port_names(st: AppState, id: DeviceId) -> Vec<String> {
    st.lab.with_untracked(|l| {
        l.device(id)
            .map(|d| d.ports.iter().map(|p| p.name.clone()).collect())
            .unwrap_or_default()
    })
}

fn set_services(st: AppState, id: DeviceId, edit: impl FnOnce(&mut lanlab_sim::Services)) -> bool {
    crate::panels::services::apply(st, id, edit)
}

/// The static routes of a router.
#[component]
pub fn StaticRoutes(
    /// The router.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let routes = move || {
        st.lab
            .with(|l| l.device(id).map(|d| d.routes.clone()).unwrap_or_default())
    };
    let network = RwSignal::new(String::new());
    let mask = RwSignal::new(String::new());
    let hop = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let bad_net = move || tried.get() && network.with(|n| n.trim().parse::<Ipv4Addr>().is_err());
    let bad_mask = move || tried.get() && mask.with(|m| parse_mask(m).is_none());
    let bad_hop = move || tried.get() && hop.with(|h| h.trim().parse::<Ipv4Addr>().is_err());
    let set = move |routes: Vec<StaticRoute>| {
        let ok = st.dispatch(Command::SetRoutes { id, routes }).is_ok();
        if ok {
            st.status.set(Some(Status::Hint(Key::Applied)));
        }
        ok
    };
    let add = move |_| {
        tried.set(true);
        if bad_net() || bad_mask() || bad_hop() {
            return;
        }
        let r = StaticRoute {
            network: network.get_untracked().trim().parse().expect("checked"),
            mask: parse_mask(&mask.get_untracked()).expect("checked"),
            next_hop: hop.get_untracked().trim().parse().expect("checked"),
            distance: None,
        };
        let mut all = routes();
        all.push(r);
        if set(all) {
            tried.set(false);
            network.set(String::new());
            mask.set(String::new());
            hop.set(String::new());
        }
    };
    let input = move |label: Key,
                      testid: &'static str,
                      v: RwSignal<String>,
                      bad: Signal<bool>,
                      err: Key| {
        view! {
            <label class="field" class:invalid=move || bad.get()>
                <span>{move || t(label)}</span>
                <input data-testid=testid prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) aria-invalid=move || bad.get().to_string() inputmode="decimal" autocomplete="off"/>
                <Show when=move || bad.get()><small class="field-error">{move || t(err)}</small></Show>
            </label>
        }
    };
    view! {
        <section class="svc-form" data-testid="routes-form">
            <h3>{move || t(Key::StaticRoutes)}</h3>
            <form on:submit=move |ev| { ev.prevent_default(); add(()) }>
                {input(Key::Network, "route-network", network, Signal::derive(bad_net), Key::NotAnAddress)}
                {input(Key::SubnetMask, "route-mask", mask, Signal::derive(bad_mask), Key::NotAMask)}
                {input(Key::NextHop, "route-next-hop", hop, Signal::derive(bad_hop), Key::NotAnAddress)}
                <button type="submit" data-testid="route-add">{move || t(Key::Add)}</button>
            </form>
            <ul class="svc-list" data-testid="routes">
                {move || {
                    let all = routes();
                    all.iter().enumerate().map(|(i, r)| {
                        let all = all.clone();
                        view! {
                            <li data-testid="route-row">
                                <span>{r.to_string()}</span>
                                <button type="button" class="danger small" data-testid="route-remove" title=move || t(Key::Remove) aria-label=move || t(Key::Remove)
                                    on:click=move |_| { let mut a = all.clone(); a.remove(i); set(a); }>"✕"</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </section>
    }
}

/// The Services tab of a router: access lists and DHCP relay.
#[component]
pub fn RouterServices(
    /// The router.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let acl = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.acl.clone())
                .unwrap_or_default()
        })
    };
    let lines = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(usize, lanlab_proto::firewall::AclParseError)>);
    let set_acl = move |cfg: AclConfig| {
        set_services(st, id, |s| {
            s.acl = (cfg != AclConfig::default()).then_some(cfg);
        })
    };
    let apply_lines = move |_| {
        let mut cfg = acl();
        let mut mode = ConfigMode::default();
        for (n, line) in lines.get_untracked().lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('!') {
                continue;
            }
            if let Err(e) = cfg.apply_line(&mut mode, line) {
                error.set(Some((n + 1, e)));
                return;
            }
        }
        error.set(None);
        if set_acl(cfg) {
            lines.set(String::new());
        }
    };
    // Moves entry `i` of list `list` to `j`, keeping the sequence numbers in place.
    let move_entry = move |list: String, i: usize, j: usize| {
        let mut cfg = acl();
        if let Some(l) = cfg.lists.iter_mut().find(|l| l.name == list)
            && i < l.entries.len()
            && j < l.entries.len()
        {
            let (si, sj) = (l.entries[i].seq, l.entries[j].seq);
            l.entries.swap(i, j);
            l.entries[i].seq = si;
            l.entries[j].seq = sj;
            set_acl(cfg);
        }
    };
    let remove_entry = move |list: String, i: usize| {
        let mut cfg = acl();
        if let Some(l) = cfg.lists.iter_mut().find(|l| l.name == list)
            && i < l.entries.len()
        {
            l.entries.remove(i);
            set_acl(cfg);
        }
    };
    let unbind = move |iface: String, dir: Direction| {
        let mut cfg = acl();
        cfg.unbind(&iface, dir);
        set_acl(cfg);
    };
    let live = sim.watch_device(
        move || {
            Some(
                st.lab
                    .with_untracked(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default()),
            )
        },
        DeviceQuery::AccessLists,
        |a| match a {
            DeviceAnswer::AccessLists { text } => text,
            _ => None,
        },
    );
    let live = move || live.get().unwrap_or_default();

    // DHCP relay.
    let ports = port_names(st, id);
    let relay_iface = RwSignal::new(ports.first().cloned().unwrap_or_default());
    let relay_addr = RwSignal::new(String::new());
    let relay_tried = RwSignal::new(false);
    let bad_relay =
        move || relay_tried.get() && relay_addr.with(|a| a.trim().parse::<Ipv4Addr>().is_err());
    let relays = move || {
        st.lab.with(|l| {
            l.device(id)
                .map(|d| d.services.dhcp_relay.clone())
                .unwrap_or_default()
        })
    };
    let add_relay = move |_| {
        relay_tried.set(true);
        if bad_relay() {
            return;
        }
        let a: Ipv4Addr = relay_addr.get_untracked().trim().parse().expect("checked");
        let iface = relay_iface.get_untracked();
        if set_services(st, id, |s| {
            match s.dhcp_relay.iter_mut().find(|r| r.interface == iface) {
                Some(r) if !r.helpers.contains(&a) => r.helpers.push(a),
                Some(_) => {}
                None => s.dhcp_relay.push(RelayHelper {
                    interface: iface.clone(),
                    helpers: vec![a],
                }),
            }
        }) {
            relay_tried.set(false);
            relay_addr.set(String::new());
        }
    };
    let remove_relay = move |iface: String| {
        set_services(st, id, |s| s.dhcp_relay.retain(|r| r.interface != iface));
    };

    view! {
        <div class="services" data-testid="router-services">
            <section class="svc-form" data-testid="acl-form">
                <h3>{move || t(Key::AccessLists)}</h3>
                <form on:submit=move |ev| { ev.prevent_default(); apply_lines(()) }>
                    <label class="field" class:invalid=move || error.with(Option::is_some)>
                        <span>{move || t(Key::AclCommands)}</span>
                        <textarea
                            data-testid="acl-lines"
                            rows="4"
                            spellcheck="false"
                            placeholder="access-list 101 deny tcp any any eq 80\naccess-list 101 permit ip any any\ninterface GigabitEthernet0/0\n ip access-group 101 in"
                            prop:value=move || lines.get()
                            on:input=move |ev| lines.set(event_target_value(&ev))
                            aria-invalid=move || error.with(Option::is_some).to_string()
                        ></textarea>
                        {move || error.get().map(|(n, e)| view! {
                            <small class="field-error" data-testid="acl-error">{move || t(Key::AclBadLine)} " " {n} ": " {move || acl_error(st.lang.get(), &e)}</small>
                        })}
                    </label>
                    <button type="submit" data-testid="acl-apply">{move || t(Key::Apply)}</button>
                </form>
                {move || acl().lists.into_iter().map(|l| {
                    let n = l.entries.len();
                    let name = l.name.clone();
                    view! {
                        <h4>{format!("{} ({})", l.name, l.kind)}</h4>
                        <ol class="svc-list rules" data-testid="acl-entries">
                            {l.entries.iter().enumerate().map(|(i, e)| {
                                let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
                                view! {
                                    <li data-testid="acl-entry-row">
                                        <span>{format!("{} {e}", e.seq)}</span>
                                        <span class="row-buttons">
                                            <button type="button" class="small" data-testid="acl-entry-up" disabled=i == 0 title=move || t(Key::MoveUp) aria-label=move || t(Key::MoveUp) on:click=move |_| move_entry(n1.clone(), i, i - 1)>"↑"</button>
                                            <button type="button" class="small" data-testid="acl-entry-down" disabled=i + 1 == n title=move || t(Key::MoveDown) aria-label=move || t(Key::MoveDown) on:click=move |_| move_entry(n2.clone(), i, i + 1)>"↓"</button>
                                            <button type="button" class="danger small" data-testid="acl-entry-remove" title=move || t(Key::Remove) aria-label=move || t(Key::Remove) on:click=move |_| remove_entry(n3.clone(), i)>"✕"</button>
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }
                }).collect_view()}
                <ul class="svc-list" data-testid="acl-bindings">
                    {move || acl().bindings.into_iter().map(|b| {
                        let (iface, dir) = (b.interface.clone(), b.direction);
                        view! {
                            <li data-testid="acl-binding-row">
                                <span>{format!("{} {} {}", b.interface, b.acl, b.direction)}</span>
                                <button type="button" class="danger small" data-testid="acl-unbind" title=move || t(Key::Remove) aria-label=move || t(Key::Remove) on:click=move |_| unbind(iface.clone(), dir)>"✕"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <h4>{move || t(Key::HitCounts)}</h4>
                <pre class="live" data-testid="acl-live" tabindex="0">{live}</pre>
            </section>
            <crate::panels::nat_live::NatLive id/>
            <section class="svc-form" data-testid="relay-form">
                <h3>{move || t(Key::DhcpRelay)}</h3>
                <form class="field-row" on:submit=move |ev| { ev.prevent_default(); add_relay(()) }>
                    <label class="field">
                        <span>{move || t(Key::Interface)}</span>
                        <select data-testid="relay-interface" on:change=move |ev| relay_iface.set(event_target_value(&ev))>
                            {ports.into_iter().map(|p| { let v = p.clone(); view! { <option value=v.clone() selected=move || relay_iface.get() == v>{p}</option> } }).collect_view()}
                        </select>
                    </label>
                    <label class="field" class:invalid=bad_relay>
                        <span>{move || t(Key::HelperAddress)}</span>
                        <input data-testid="relay-helper" prop:value=move || relay_addr.get() on:input=move |ev| relay_addr.set(event_target_value(&ev)) aria-invalid=move || bad_relay().to_string() inputmode="decimal"/>
                        <Show when=bad_relay><small class="field-error">{move || t(Key::NotAnAddress)}</small></Show>
                    </label>
                    <button type="submit" data-testid="relay-add">{move || t(Key::Add)}</button>
                </form>
                <ul class="svc-list" data-testid="relays">
                    {move || relays().into_iter().map(|r| {
                        let iface = r.interface.clone();
                        let helpers = r.helpers.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                        view! {
                            <li data-testid="relay-row">
                                <span>{format!("{} → {helpers}", r.interface)}</span>
                                <button type="button" class="danger small" data-testid="relay-remove" title=move || t(Key::Remove) aria-label=move || t(Key::Remove) on:click=move |_| remove_relay(iface.clone())>"✕"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

/// An access-list command error, worded for the user in `lang`.
pub fn acl_error(lang: crate::i18n::Lang, e: &lanlab_proto::firewall::AclParseError) -> String {
    use lanlab_proto::firewall::AclParseError as E;
    if lang == crate::i18n::Lang::En {
        return e.to_string();
    }
    match e {
        E::Empty => "baris kosong".into(),
        E::UnknownCommand(c) => format!("perintah {c:?} tidak dikenal"),
        E::BadListNumber(n) => format!(
            "nomor access list {n} di luar rentang: 1-99 dan 1300-1999 standard, 100-199 dan 2000-2699 extended"
        ),
        E::ExpectedAction(w) => format!("seharusnya permit, deny atau remark, tertulis {w:?}"),
        E::UnknownProtocol(p) => {
            format!("protokol {p:?} tidak dikenal: pakai ip, icmp, tcp, udp atau angka 0-255")
        }
        E::StandardHasProtocol(p) => format!(
            "access list standard hanya mencocokkan alamat sumber, tertulis {p:?}: pakai list extended (100-199)"
        ),
        E::BadAddress(a) => format!("{a:?} bukan alamat IPv4"),
        E::BadWildcard(w) => format!("{w:?} bukan wildcard mask (seperti 0.0.0.255)"),
        E::BadPrefix(p) => format!("prefix {p:?} tidak valid: panjangnya harus 0-32"),
        E::Missing(what) => format!("{what} belum ditulis"),
        E::BadPort(p, proto) => {
            format!("{p:?} bukan nomor port (0-65535) atau nama port {proto} yang dikenal")
        }
        E::PortsNeedTcpUdp => {
            "operator port (eq, neq, lt, gt, range) hanya untuk tcp dan udp".into()
        }
        E::BadRange(a, b) => format!("rentang {a} {b}: port pertama tidak boleh lebih besar"),
        E::EstablishedNeedsTcp => "established hanya untuk tcp".into(),
        E::Trailing(w) => format!("ada {w:?} yang tidak diharapkan di akhir baris"),
        E::BadSequence(s) => format!("{s:?} bukan nomor urut (1-2147483647)"),
        E::DuplicateSequence(n, l) => format!("nomor urut {n} sudah dipakai di list {l}"),
        E::KindMismatch(l, k) => format!("list {l} adalah list {k}"),
        E::BadDirection(d) => format!("seharusnya in atau out, tertulis {d:?}"),
        E::WrongMode(cmd, mode) => format!("{cmd} hanya berlaku di mode konfigurasi {mode}"),
    }
}
