//! The cable tool's port chooser ("Choose ports").

use lanlab_sim::{DeviceId, LinkEnd};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::{AppState, Command};

/// The port chooser of the cable tool: a free port at each end.
#[component]
pub fn PortPicker(
    /// The two devices whose free ports are offered; `None` hides it.
    pick: RwSignal<Option<(DeviceId, DeviceId)>>,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let port_a = RwSignal::new(0usize);
    let port_b = RwSignal::new(0usize);
    let free = move |id: DeviceId| {
        st.lab.with(|l| {
            l.device(id)
                .map(|d| {
                    d.ports
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| {
                            l.link_at(LinkEnd {
                                device: id,
                                port: *i,
                            })
                            .is_none()
                        })
                        .map(|(i, p)| (i, p.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    Effect::new(move |_| {
        if let Some((a, b)) = pick.get() {
            port_a.set(free(a).first().map(|p| p.0).unwrap_or(0));
            port_b.set(free(b).first().map(|p| p.0).unwrap_or(0));
        }
    });
    let side = move |id: DeviceId, sig: RwSignal<usize>, test: &'static str| {
        let name = st
            .lab
            .with_untracked(|l| l.device(id).map(|d| d.name.clone()))
            .unwrap_or_default();
        view! {
            <label class="field">
                <span>{name}</span>
                <select
                    data-testid=test
                    on:change=move |ev| sig.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {free(id)
                        .into_iter()
                        .map(|(i, n)| view! { <option value=i.to_string() selected=move || sig.get() == i>{n}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    };
    move || {
        pick.get().map(|(a, b)| {
            view! {
                <div class="port-picker" role="dialog" data-testid="port-picker" aria-label=move || t(Key::ChoosePorts)>
                    <p>{move || t(Key::ChoosePortsHelp)}</p>
                    {side(a, port_a, "port-a")}
                    {side(b, port_b, "port-b")}
                    <div class="row">
                        <button
                            data-testid="port-connect"
                            on:click=move |_| {
                                let cmd = Command::ConnectPorts {
                                    a: LinkEnd { device: a, port: port_a.get_untracked() },
                                    b: LinkEnd { device: b, port: port_b.get_untracked() },
                                };
                                if st.dispatch(cmd).is_ok() {
                                    pick.set(None);
                                }
                            }
                        >
                            {move || t(Key::Connect)}
                        </button>
                        <button data-testid="port-cancel" on:click=move |_| {
                            pick.set(None);
                            st.status.set(None);
                        }>
                            {move || t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}
