//! The IP configuration form of one interface: static (address, mask,
//! gateway, DNS) or DHCP, as on a desktop OS. A value that does not parse is
//! marked at its field; the document keeps only settings that validate.

use std::net::Ipv4Addr;

use lanlab_proto::net::prefix_to_mask;
use lanlab_sim::{DeviceId, IpConfig, LinkEnd, StaticIp};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::{AppState, Command, Status};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Mode {
    None,
    Static,
    Dhcp,
}

/// Reads `255.255.255.0`, `/24` or `24`.
pub fn parse_mask(text: &str) -> Option<Ipv4Addr> {
    let t = text.trim();
    if let Some(p) = t.strip_prefix('/').or((!t.contains('.')).then_some(t)) {
        let prefix: u8 = p.trim().parse().ok()?;
        return (prefix <= 32).then(|| prefix_to_mask(prefix));
    }
    t.parse().ok()
}

fn parse_opt_addr(text: &str) -> Result<Option<Ipv4Addr>, ()> {
    let t = text.trim();
    if t.is_empty() {
        Ok(None)
    } else {
        t.parse().map(Some).map_err(|_| ())
    }
}

/// The form for one port of one device.
#[component]
pub fn IpConfigForm(
    /// The device.
    id: DeviceId,
    /// Index of the port.
    port: usize,
    /// Whether gateway and DNS apply (hosts) or not (router interfaces).
    host: bool,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let current = st
        .lab
        .with_untracked(|l| {
            l.device(id)
                .and_then(|d| d.ports.get(port))
                .map(|p| p.ip.clone())
        })
        .unwrap_or_default();
    let (mode0, s0) = match &current {
        IpConfig::None => (Mode::None, None),
        IpConfig::Static(s) => (Mode::Static, Some(s.clone())),
        IpConfig::Dhcp => (Mode::Dhcp, None),
    };
    let mode = RwSignal::new(mode0);
    let address = RwSignal::new(
        s0.as_ref()
            .map(|s| s.address.to_string())
            .unwrap_or_default(),
    );
    let mask = RwSignal::new(s0.as_ref().map(|s| s.mask.to_string()).unwrap_or_default());
    let gateway = RwSignal::new(
        s0.as_ref()
            .and_then(|s| s.gateway)
            .map(|g| g.to_string())
            .unwrap_or_default(),
    );
    let dns = RwSignal::new(
        s0.as_ref()
            .and_then(|s| s.dns.first())
            .map(|g| g.to_string())
            .unwrap_or_default(),
    );
    let bad_address = move || {
        mode.get() == Mode::Static && address.with(|a| a.trim().parse::<Ipv4Addr>().is_err())
    };
    let bad_mask = move || mode.get() == Mode::Static && mask.with(|m| parse_mask(m).is_none());
    let bad_gateway = move || gateway.with(|g| parse_opt_addr(g).is_err());
    let bad_dns = move || dns.with(|d| parse_opt_addr(d).is_err());

    // Typing an address fills in the usual mask, as desktop OSes do.
    let on_address = move |ev| {
        address.set(event_target_value(&ev));
        if mask.with_untracked(String::is_empty)
            && let Ok(a) = address.get_untracked().trim().parse::<Ipv4Addr>()
        {
            let m = match a.octets()[0] {
                0..=127 => "255.0.0.0",
                128..=191 => "255.255.0.0",
                _ => "255.255.255.0",
            };
            mask.set(m.to_string());
        }
    };

    let apply = move |_| {
        if bad_address() || bad_mask() || bad_gateway() || bad_dns() {
            return;
        }
        let ip = match mode.get_untracked() {
            Mode::None => IpConfig::None,
            Mode::Dhcp => IpConfig::Dhcp,
            Mode::Static => IpConfig::Static(StaticIp {
                address: address.get_untracked().trim().parse().expect("checked"),
                mask: parse_mask(&mask.get_untracked()).expect("checked"),
                gateway: parse_opt_addr(&gateway.get_untracked()).expect("checked"),
                dns: parse_opt_addr(&dns.get_untracked())
                    .expect("checked")
                    .into_iter()
                    .collect(),
            }),
        };
        if st
            .dispatch(Command::SetIp {
                end: LinkEnd { device: id, port },
                ip,
            })
            .is_ok()
        {
            st.status.set(Some(Status::Hint(Key::Applied)));
        }
    };

    let field = move |label: Key,
                      testid: &'static str,
                      value: RwSignal<String>,
                      bad: Box<dyn Fn() -> bool + Send + Sync>,
                      err: Key| {
        let bad = std::sync::Arc::new(bad);
        let bad2 = bad.clone();
        view! {
            <label class="field" class:invalid=move || bad()>
                <span>{move || t(label)}</span>
                <input
                    data-testid=testid
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || bad2().to_string()
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                />
                <Show when={
                    let bad = bad.clone();
                    move || bad()
                }>
                    <small class="field-error">{move || t(err)}</small>
                </Show>
            </label>
        }
    };

    view! {
        <form class="ip-form" data-testid="ip-form" on:submit=move |ev| { ev.prevent_default(); apply(()) }>
            <fieldset class="modes">
                <legend>{move || t(Key::IpSettings)}</legend>
                {[(Mode::Static, Key::ModeStatic, "mode-static"), (Mode::Dhcp, Key::ModeDhcp, "mode-dhcp"), (Mode::None, Key::ModeNone, "mode-none")]
                    .into_iter()
                    .filter(move |(m, ..)| host || *m != Mode::Dhcp)
                    .map(|(m, k, testid)| {
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name=format!("ipmode-{}-{port}", id.0)
                                    data-testid=testid
                                    prop:checked=move || mode.get() == m
                                    on:change=move |_| mode.set(m)
                                />
                                {move || t(k)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Show when=move || mode.get() == Mode::Static>
                <label class="field" class:invalid=bad_address>
                    <span>{move || t(Key::IpAddress)}</span>
                    <input
                        data-testid="ip-address"
                        prop:value=move || address.get()
                        on:input=on_address
                        aria-invalid=move || bad_address().to_string()
                        inputmode="decimal"
                        autocomplete="off"
                        spellcheck="false"
                    />
                    <Show when=bad_address>
                        <small class="field-error">{move || t(Key::NotAnAddress)}</small>
                    </Show>
                </label>
                {field(Key::SubnetMask, "ip-mask", mask, Box::new(bad_mask), Key::NotAMask)}
                {host.then(|| view! {
                    {field(Key::Gateway, "ip-gateway", gateway, Box::new(bad_gateway), Key::NotAnAddress)}
                    {field(Key::DnsServer, "ip-dns", dns, Box::new(bad_dns), Key::NotAnAddress)}
                })}
            </Show>
            <button type="submit" class="primary" data-testid="ip-apply">{move || t(Key::Apply)}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_mask;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn masks_in_three_spellings() {
        assert_eq!(
            parse_mask("255.255.255.0"),
            Some("255.255.255.0".parse().unwrap())
        );
        assert_eq!(parse_mask("/24"), Some("255.255.255.0".parse().unwrap()));
        assert_eq!(parse_mask(" 16 "), Some("255.255.0.0".parse().unwrap()));
        assert_eq!(parse_mask("/33"), None);
        assert_eq!(parse_mask("abc"), None);
    }
}
