//! The side panel: the selected device (name, ports and their cables) or the
//! selected cable.

use lanlab_sim::{DeviceId, LinkEnd, LinkId};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::{AppState, Command, Selection};

/// The panel on the right of the canvas.
#[component]
pub fn DevicePanel() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
        <aside class="side-panel" data-testid="side-panel">
            {move || match st.selection.get() {
                Some(Selection::Device(id)) => view! { <DeviceDetails id/> }.into_any(),
                Some(Selection::Link(id)) => view! { <LinkDetails id/> }.into_any(),
                None => view! {
                    <div class="empty-panel">
                        <h2>{move || t(Key::NoSelection)}</h2>
                        <p>{move || t(Key::NoSelectionHelp)}</p>
                    </div>
                }
                .into_any(),
            }}
        </aside>
    }
}

/// Name, kind and ports of one device.
#[component]
fn DeviceDetails(
    /// The device shown.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let device = Memo::new(move |_| st.lab.with(|l| l.device(id).cloned()));
    let name = move || device.get().map(|d| d.name).unwrap_or_default();
    let ports = move || {
        st.lab.with(|l| {
            let Some(d) = l.device(id) else {
                return Vec::new();
            };
            d.ports
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let peer = l
                        .link_at(LinkEnd {
                            device: id,
                            port: i,
                        })
                        .and_then(|link| link.other_end(id))
                        .map(|end| l.end_label(end));
                    (p.name.clone(), p.mac.to_string(), peer)
                })
                .collect::<Vec<_>>()
        })
    };
    let connected = move || {
        ports()
            .into_iter()
            .filter(|p| p.2.is_some())
            .collect::<Vec<_>>()
    };
    let free = move || {
        ports()
            .into_iter()
            .filter(|p| p.2.is_none())
            .collect::<Vec<_>>()
    };

    view! {
        <div class="device-details" data-testid="device-details">
            <h2 data-testid="panel-device-name">{name}</h2>
            <p class="kind">{move || device.get().map(|d| st.lang.get().kind_hint(d.kind)).unwrap_or_default()}</p>
            <label class="field">
                <span>{move || t(Key::Name)}</span>
                <input
                    data-testid="rename-input"
                    prop:value=name
                    on:change=move |ev| {
                        let new = event_target_value(&ev);
                        if st.dispatch(Command::Rename { id, name: new }).is_err() {
                            // Keep the field showing the real name.
                            st.lab.update(|_| {});
                        }
                    }
                />
            </label>
            <h3>{move || t(Key::Ports)}</h3>
            <ul class="ports" data-testid="port-list">
                {move || {
                    connected()
                        .into_iter()
                        .map(|(port, mac, peer)| {
                            view! {
                                <li class="port connected" data-testid="port-connected">
                                    <span class="port-name">{port}</span>
                                    <span class="port-peer">"→ " {peer}</span>
                                    <span class="port-mac">{mac}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    free()
                        .into_iter()
                        .map(|(port, mac, _)| {
                            view! {
                                <li class="port free">
                                    <span class="port-name">{port}</span>
                                    <span class="port-peer">{move || t(Key::NotConnected)}</span>
                                    <span class="port-mac">{mac}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <button
                class="danger"
                data-testid="delete-selected"
                on:click=move |_| {
                    let _ = st.dispatch(Command::Delete(Selection::Device(id)));
                }
            >
                {move || t(Key::Delete)}
            </button>
        </div>
    }
}

/// The two ends of one cable.
#[component]
fn LinkDetails(
    /// The cable shown.
    id: LinkId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let ends = move || {
        st.lab.with(|l| {
            l.link(id)
                .map(|link| (l.end_label(link.a), l.end_label(link.b)))
        })
    };
    view! {
        <div class="link-details" data-testid="link-details">
            <h2>{move || t(Key::Cable)}</h2>
            <p data-testid="link-ends">
                {move || ends().map(|(a, b)| format!("{a} — {b}")).unwrap_or_default()}
            </p>
            <button
                class="danger"
                data-testid="delete-selected"
                on:click=move |_| {
                    let _ = st.dispatch(Command::Delete(Selection::Link(id)));
                }
            >
                {move || t(Key::Delete)}
            </button>
        </div>
    }
}
