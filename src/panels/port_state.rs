//! The Config tab's up/down switch for each interface of a router or a
//! switch: the same document edit as `shutdown` / `no shutdown` typed at
//! the console (`Command::Configure`), so undo/redo, files, share links and
//! `show running-config` see it.

use lanlab_sim::DeviceId;
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::{AppState, Command};

/// One row per interface: its name and an "up" checkbox (checked = `no shutdown`).
#[component]
pub fn InterfaceStates(
    /// The router or switch.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let ports = move || {
        st.lab.with(|l| {
            l.device(id)
                .map(|d| {
                    d.ports
                        .iter()
                        .map(|p| (p.name.clone(), !p.shutdown))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let set = move |k: usize, up: bool| {
        let Some(mut next) = st.lab.with_untracked(|l| l.device(id).cloned()) else {
            return;
        };
        let Some(p) = next.ports.get_mut(k) else {
            return;
        };
        if p.shutdown != up {
            return;
        }
        p.shutdown = !up;
        if st
            .dispatch(Command::Configure {
                id,
                device: Box::new(next),
            })
            .is_err()
        {
            // Keep the switch showing the document.
            st.lab.update(|_| {});
        }
    };
    view! {
        <section class="svc-form" data-testid="port-states">
            <h3>{move || t(Key::InterfaceStates)}</h3>
            <p class="help">{move || t(Key::InterfaceStatesHelp)}</p>
            <ul class="svc-list port-states">
                {move || {
                    ports()
                        .into_iter()
                        .enumerate()
                        .map(|(k, (name, up))| {
                            let label = name.clone();
                            view! {
                                <li data-testid="port-state">
                                    <label class="switch port-state">
                                        <input
                                            type="checkbox"
                                            role="switch"
                                            data-testid="port-up"
                                            data-port=name.clone()
                                            prop:checked=up
                                            aria-label=move || format!("{label}: {}", t(Key::PortUp))
                                            on:change=move |ev| set(k, event_target_checked(&ev))
                                        />
                                        <span class="port-name">{name}</span>
                                        <span class="port-updown" class:down=!up>
                                            {move || if up { t(Key::AdminUp) } else { t(Key::AdminDown) }}
                                        </span>
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
