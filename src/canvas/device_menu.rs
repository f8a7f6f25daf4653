//! A device's menu: opened by a long press (touch) or a right click on the
//! device. Rename, ports (the device's panel), power and delete — what a
//! mouse user reaches through the side panel and the toolbar, one finger away.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bridge::Gestures;
use crate::i18n::Key;
use crate::state::{AppState, Command, Selection};

/// Width and height the menu is kept inside the window with (pixels).
const MENU_W: f64 = 200.0;
const MENU_H: f64 = 4.0 * 48.0 + 16.0;

fn window_size() -> (f64, f64) {
    let w = window();
    let get = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
    (
        get(w.inner_width()).unwrap_or(800.0),
        get(w.inner_height()).unwrap_or(600.0),
    )
}

/// The open device menu, if any (positioned at the press, inside the window).
#[component]
pub fn DeviceMenu() -> impl IntoView {
    let st = AppState::expect();
    let gestures = Gestures::expect();
    let t = move |k| st.lang.get().t(k);
    let menu_ref = NodeRef::<leptos::html::Div>::new();
    // Focus the first item when it opens, so keyboards and screen readers follow.
    Effect::new(move |_| {
        if gestures.menu.get().is_some()
            && let Some(el) = menu_ref.get()
            && let Ok(Some(first)) = el.query_selector("button")
            && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = first.focus();
        }
    });
    let close = move || gestures.menu.set(None);
    view! {
        {move || {
            let (id, (x, y)) = gestures.menu.get()?;
            let (name, powered) = st
                .lab
                .with(|l| l.device(id).map(|d| (d.name.clone(), d.powered)))?;
            let (w, h) = window_size();
            let left = x.min(w - MENU_W - 8.0).max(8.0);
            let top = y.min(h - MENU_H - 8.0).max(8.0);
            let act = move |cmd: Command| {
                close();
                let _ = st.dispatch(cmd);
            };
            Some(view! {
                <div class="menu-backdrop" on:pointerdown=move |_| close()></div>
                <div
                    class="device-menu"
                    role="menu"
                    data-testid="device-menu"
                    aria-label=format!("{} — {}", t(Key::DeviceMenu), name)
                    style=format!("left:{left:.0}px;top:{top:.0}px")
                    node_ref=menu_ref
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            ev.stop_propagation();
                            close();
                        }
                    }
                >
                    <p class="device-menu-title" aria-hidden="true">{name.clone()}</p>
                    <button
                        role="menuitem"
                        data-testid="menu-rename"
                        on:click=move |_| {
                            close();
                            st.renaming.set(Some(id));
                        }
                    >
                        {move || t(Key::RenameDevice)}
                    </button>
                    <button
                        role="menuitem"
                        data-testid="menu-ports"
                        on:click=move |_| {
                            close();
                            st.select_only(Some(Selection::Device(id)));
                        }
                    >
                        {move || t(Key::Ports)}
                    </button>
                    <button
                        role="menuitemcheckbox"
                        aria-checked=powered.to_string()
                        data-testid="menu-power"
                        on:click=move |_| act(Command::SetPower { id, on: !powered })
                    >
                        {move || t(Key::Power)}
                    </button>
                    <button
                        role="menuitem"
                        class="danger"
                        data-testid="menu-delete"
                        on:click=move |_| act(Command::Delete(Selection::Device(id)))
                    >
                        {move || t(Key::Delete)}
                    </button>
                </div>
            })
        }}
    }
}
