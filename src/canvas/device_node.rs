//! One device on the canvas: a `<g>` with its icon, name and address.

use lanlab_sim::DeviceId;
use leptos::ev;
use leptos::prelude::*;

use super::bridge::Gestures;
use super::icon::device_icon;
use super::looks::{DeviceLook, IpLabel};
use super::rename_box::RenameBox;
use crate::i18n::Key;
use crate::state::{AppState, Tool};

/// A device, drawn where it is (plus the drag offset while it moves).
/// Pointer presses on it reach the canvas's gesture machine through the
/// `<svg>`; its keys and its label's double click go there directly.
#[component]
pub fn DeviceNode(
    /// The device shown.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let gestures = Gestures::expect();
    // The device's own signals (`looks`): nothing here reads the whole
    // document, so an edit re-runs only the devices it changed.
    let slot = gestures.looks.device(id);
    let info = Memo::new(move |_| {
        slot.map(|s| {
            s.look
                .with(|l: &DeviceLook| (l.name.clone(), l.powered, l.ip.clone()))
        })
        .unwrap_or((String::new(), true, IpLabel::None))
    });
    let name = move || info.with(|i| i.0.clone());
    let kind = st.lab.with_untracked(|l| l.device(id).map(|d| d.kind));
    let selected = move || slot.is_some_and(|s| s.selected.get());
    let cable_from = move || st.tool.get() == Tool::Cable { from: Some(id) };
    let transform = move || {
        let p = gestures.position(id).unwrap_or_default();
        format!("translate({:.1} {:.1})", p.x, p.y)
    };
    // A memo: a DHCP label reads the state the engine pushes at every
    // change of it, but the text and the aria-label update only when the
    // address does.
    let ip_text = Memo::new(move |_| match info.with(|i| i.2.clone()) {
        IpLabel::None => String::new(),
        IpLabel::Static(a) => a,
        IpLabel::Dhcp => {
            let leased = slot.and_then(|s| s.leased.get());
            match leased {
                Some(a) => format!("{a} (DHCP)"),
                None => st.lang.get().t(Key::Dhcp).to_string(),
            }
        }
    });
    let renaming = move || st.renaming.get() == Some(id);
    view! {
        <g
            class="device"
            class:selected=selected
            class:cable-from=cable_from
            class:off=move || !info.with(|i| i.1)
            data-testid=move || format!("device-{}", name())
            data-id=id.0.to_string()
            data-kind=kind.map(|k| k.name_prefix().to_lowercase())
            data-power=move || if info.with(|i| i.1) { "on" } else { "off" }
            transform=transform
            tabindex="0"
            role="button"
            aria-pressed=move || selected().to_string()
            aria-label=move || {
                let (n, on, _) = info.get();
                let ip = ip_text.get();
                let mut s = n;
                if !ip.is_empty() {
                    s = format!("{s}, {ip}");
                }
                if !on {
                    s = format!("{s}, {}", st.lang.get().t(Key::PoweredOff));
                }
                s
            }
            on:keydown=move |ev: ev::KeyboardEvent| {
                let key = ev.key();
                gestures.feed(Some(ev.as_ref()), |m, s| m.device_key(id, &key, s));
            }
        >
            <rect class="hit" x="-34" y="-30" width="68" height="84" rx="8"/>
            {kind.map(device_icon)}
            <text
                class="label"
                data-testid="device-label"
                y="40"
                text-anchor="middle"
                on:dblclick=move |ev: ev::MouseEvent| {
                    gestures.feed(Some(ev.as_ref()), |m, _| m.label_double_click(id));
                }
            >
                {name}
            </text>
            // A space between the two labels, so the visible text reads
            // "PC0 192.168.1.10", as the aria-label does (axe:
            // label-content-name-mismatch).
            " "
            <text class="label ip" data-testid="device-ip" y="54" text-anchor="middle">{move || ip_text.get()}</text>
            {move || renaming().then(|| view! { <RenameBox id/> })}
        </g>
    }
}
