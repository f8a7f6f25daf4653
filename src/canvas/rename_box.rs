//! The name field shown in place of a device's label while renaming it.

use lanlab_sim::DeviceId;
use leptos::ev;
use leptos::prelude::*;

use super::bridge::focus_device;
use crate::i18n::Key;
use crate::state::{AppState, Command};

/// The name field shown in place of a device's label (double-click, F2).
#[component]
pub fn RenameBox(
    /// The device being renamed.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let initial = st
        .lab
        .with_untracked(|l| l.device(id).map(|d| d.name.clone()))
        .unwrap_or_default();
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
            i.select();
        }
    });
    let commit = move || {
        let Some(i) = input.get_untracked() else {
            return;
        };
        let name = i.value();
        let same = st
            .lab
            .with_untracked(|l| l.device(id).is_some_and(|d| d.name == name.trim()));
        if same {
            st.renaming.set(None);
            return;
        }
        match st.dispatch(Command::Rename { id, name }) {
            Ok(()) => {
                st.renaming.set(None);
                st.status.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <foreignObject x="-80" y="28" width="160" height="32" class="rename-box">
            <input
                node_ref=input
                class="rename-input"
                class:invalid=move || error.get().is_some()
                data-testid="rename-inline"
                aria-label=move || st.lang.get().t(Key::Name)
                aria-invalid=move || error.get().is_some().to_string()
                title=move || error.get().unwrap_or_else(|| st.lang.get().t(Key::RenameHelp).to_string())
                value=initial
                on:pointerdown=move |ev: ev::PointerEvent| ev.stop_propagation()
                on:dblclick=move |ev: ev::MouseEvent| ev.stop_propagation()
                on:keydown=move |ev: ev::KeyboardEvent| {
                    ev.stop_propagation();
                    match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            commit();
                        }
                        "Escape" => {
                            ev.prevent_default();
                            st.renaming.set(None);
                            st.status.set(None);
                            focus_device(id);
                        }
                        _ => error.set(None),
                    }
                }
                on:blur=move |_| {
                    // Also fired while the field is being removed.
                    if error.try_get_untracked().is_some_and(|e| e.is_none()) {
                        st.renaming.set(None);
                    }
                }
            />
        </foreignObject>
    }
}
