//! The FIREWALL form of a host: on/off, default policies and ordered rules
//! (add, remove, move up/down). The first rule that matches decides.

use lanlab_proto::firewall::{
    Action as Verdict, Direction, HostFirewallConfig, HostRule, Ipv4Prefix, PortRange, RuleProtocol,
};
use lanlab_sim::DeviceId;
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::AppState;

fn apply(st: AppState, id: DeviceId, edit: impl FnOnce(&mut HostFirewallConfig)) -> bool {
    crate::panels::services::apply(st, id, |s| {
        edit(s.firewall.get_or_insert_with(HostFirewallConfig::default))
    })
}

/// `any` / empty, an address or a prefix.
fn parse_remote(s: &str) -> Result<Option<Ipv4Prefix>, ()> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("any") {
        return Ok(None);
    }
    if let Ok(a) = s.parse::<std::net::Ipv4Addr>() {
        return Ok(Some(Ipv4Prefix::new(a, 32)));
    }
    s.parse().map(Some).map_err(|_| ())
}

/// Empty (any), `80` or `5000-5100`.
fn parse_ports(s: &str) -> Result<Option<PortRange>, ()> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("any") {
        return Ok(None);
    }
    let p = |x: &str| x.trim().parse::<u16>().ok().filter(|&n| n > 0).ok_or(());
    match s.split_once('-') {
        Some((a, b)) => Ok(Some(PortRange::new(p(a)?, p(b)?))),
        None => Ok(Some(PortRange::single(p(s)?))),
    }
}

/// The host firewall form.
#[component]
pub fn FirewallForm(
    /// The host.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<crate::sim_driver::Sim>();
    let t = move |k| st.lang.get().t(k);
    // Live: how many packets each rule decided in the running engine.
    let hits = sim.watch_device(
        move || st.lab.with(|l| l.device(id).map(|d| d.name.clone())),
        DeviceQuery::FirewallHits,
        |a| match a {
            DeviceAnswer::FirewallHits { hits } => Some(hits),
            _ => None,
        },
    );
    // Each rule's count; none until the engine's first answer (a count of
    // 0 shown meanwhile would be a wrong number, however briefly).
    let hit = move |i: usize| hits.with(|h| h.as_ref().map(|h| h.get(i).copied().unwrap_or(0)));
    let cfg = move || {
        st.lab.with(|l| {
            l.device(id)
                .and_then(|d| d.services.firewall.clone())
                .unwrap_or_default()
        })
    };
    // The unsaved rule, kept per device (see `crate::panels::session`).
    let draft = crate::panels::session::DesktopSessions::expect()
        .get(id)
        .firewall;
    let action = RwSignal::from(draft.action);
    let direction = RwSignal::from(draft.direction);
    let proto = RwSignal::from(draft.proto);
    let remote = RwSignal::from(draft.remote);
    let ports = RwSignal::from(draft.ports);
    let tried = RwSignal::from(draft.tried);
    let bad_remote = move || tried.get() && remote.with(|r| parse_remote(r).is_err());
    let bad_ports = move || {
        tried.get()
            && ports.with(|p| {
                parse_ports(p).is_err()
                    || (!p.trim().is_empty()
                        && !p.trim().eq_ignore_ascii_case("any")
                        && !matches!(proto.get().as_str(), "tcp" | "udp"))
            })
    };

    let add = move |_| {
        tried.set(true);
        if bad_remote() || bad_ports() {
            return;
        }
        let rule = HostRule {
            action: match action.get_untracked().as_str() {
                "allow" => Verdict::Allow,
                "reject" => Verdict::Reject,
                _ => Verdict::Deny,
            },
            direction: if direction.get_untracked() == "out" {
                Direction::Out
            } else {
                Direction::In
            },
            protocol: match proto.get_untracked().as_str() {
                "icmp" => RuleProtocol::Icmp,
                "tcp" => RuleProtocol::Tcp,
                "udp" => RuleProtocol::Udp,
                _ => RuleProtocol::Any,
            },
            remote: parse_remote(&remote.get_untracked()).unwrap_or(None),
            ports: parse_ports(&ports.get_untracked()).unwrap_or(None),
        };
        if apply(st, id, |f| f.rules.push(rule)) {
            tried.set(false);
            remote.set(String::new());
            ports.set(String::new());
        }
    };
    let swap = move |i: usize, j: usize| {
        apply(st, id, |f| {
            if i < f.rules.len() && j < f.rules.len() {
                f.rules.swap(i, j);
            }
        });
    };
    let remove = move |i: usize| {
        apply(st, id, |f| {
            if i < f.rules.len() {
                f.rules.remove(i);
            }
        });
    };
    let select = move |testid: &'static str,
                       label: Key,
                       value: RwSignal<String>,
                       options: &'static [(&'static str, &'static str)]| {
        view! {
            <label class="field">
                <span>{move || t(label)}</span>
                <select data-testid=testid on:change=move |ev| value.set(event_target_value(&ev))>
                    {options.iter().map(|(v, text)| view! { <option value=*v selected=move || value.get() == *v>{*text}</option> }).collect_view()}
                </select>
            </label>
        }
    };

    view! {
        <section class="svc-form" data-testid="firewall-form">
            <label class="switch">
                <input
                    type="checkbox"
                    data-testid="firewall-on"
                    prop:checked=move || cfg().enabled
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        apply(st, id, |f| f.enabled = on);
                    }
                />
                <span>{move || t(Key::ServiceOn)}</span>
            </label>
            <label class="field">
                <span>{move || t(Key::DefaultInbound)}</span>
                <select
                    data-testid="firewall-default-in"
                    on:change=move |ev| {
                        let deny = event_target_value(&ev) == "deny";
                        apply(st, id, |f| f.default_inbound = if deny { Verdict::Deny } else { Verdict::Allow });
                    }
                >
                    <option value="allow" selected=move || cfg().default_inbound == Verdict::Allow>{move || t(Key::Allow)}</option>
                    <option value="deny" selected=move || cfg().default_inbound == Verdict::Deny>{move || t(Key::Deny)}</option>
                </select>
            </label>
            <form class="rule-form" on:submit=move |ev| { ev.prevent_default(); add(()) }>
                <div class="field-row">
                    <label class="field">
                        <span>{move || t(Key::RuleAction)}</span>
                        <select data-testid="fw-action" on:change=move |ev| action.set(event_target_value(&ev))>
                            {[("deny", Key::Deny), ("reject", Key::Reject), ("allow", Key::Allow)]
                                .into_iter()
                                .map(|(v, k)| view! { <option value=v selected=move || action.get() == v>{move || t(k)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    {select("fw-direction", Key::RuleDirection, direction, &[("in", "in"), ("out", "out")])}
                    {select("fw-protocol", Key::Protocol, proto, &[("tcp", "TCP"), ("udp", "UDP"), ("icmp", "ICMP"), ("any", "IP (any)")])}
                </div>
                <label class="field" class:invalid=bad_remote>
                    <span>{move || t(Key::RemoteAddress)}</span>
                    <input data-testid="fw-remote" placeholder="any" prop:value=move || remote.get() on:input=move |ev| remote.set(event_target_value(&ev)) aria-invalid=move || bad_remote().to_string()/>
                    <Show when=bad_remote><small class="field-error">{move || t(Key::NotAPrefix)}</small></Show>
                </label>
                <label class="field" class:invalid=bad_ports>
                    <span>{move || t(Key::RulePorts)}</span>
                    <input data-testid="fw-ports" placeholder="80" prop:value=move || ports.get() on:input=move |ev| ports.set(event_target_value(&ev)) aria-invalid=move || bad_ports().to_string()/>
                    <Show when=bad_ports><small class="field-error">{move || t(Key::NotAPortRange)}</small></Show>
                </label>
                <button type="submit" data-testid="fw-add">{move || t(Key::Add)}</button>
            </form>
            <ol class="svc-list rules" data-testid="fw-rules">
                {move || {
                    let rules = cfg().rules;
                    let n = rules.len();
                    rules.into_iter().enumerate().map(|(i, r)| view! {
                        <li data-testid="fw-rule-row">
                            <span>{r.to_string()}</span>
                            <span
                                class="hits"
                                data-testid="fw-rule-hits"
                                data-hits=move || hit(i).map(|n| n.to_string())
                                aria-busy=move || hit(i).is_none().then_some("true")
                            >
                                {move || match hit(i) {
                                    Some(n) => format!("{n} {}", t(Key::FwHits)),
                                    None => format!("… {}", t(Key::FwHits)),
                                }}
                            </span>
                            <span class="row-buttons">
                                <button type="button" class="small" data-testid="fw-rule-up" disabled=i == 0 title=move || t(Key::MoveUp) aria-label=move || t(Key::MoveUp) on:click=move |_| swap(i, i - 1)>"↑"</button>
                                <button type="button" class="small" data-testid="fw-rule-down" disabled=i + 1 == n title=move || t(Key::MoveDown) aria-label=move || t(Key::MoveDown) on:click=move |_| swap(i, i + 1)>"↓"</button>
                                <button type="button" class="danger small" data-testid="fw-rule-remove" title=move || t(Key::Remove) aria-label=move || t(Key::Remove) on:click=move |_| remove(i)>"✕"</button>
                            </span>
                        </li>
                    }).collect_view()
                }}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn remote_and_ports_parse() {
        assert_eq!(parse_remote(""), Ok(None));
        assert_eq!(parse_remote("any"), Ok(None));
        assert_eq!(
            parse_remote("192.168.1.7"),
            Ok(Some(Ipv4Prefix::new("192.168.1.7".parse().unwrap(), 32)))
        );
        assert!(parse_remote("192.168.1.0/24").unwrap().is_some());
        assert!(parse_remote("192.168.1.0/40").is_err());
        assert!(parse_remote("lab").is_err());
        assert_eq!(parse_ports("80"), Ok(Some(PortRange::single(80))));
        assert_eq!(
            parse_ports("5100-5000"),
            Ok(Some(PortRange::new(5000, 5100)))
        );
        for bad in ["0", "99999", "80,81", "x-1"] {
            assert!(parse_ports(bad).is_err(), "{bad}");
        }
    }
}
