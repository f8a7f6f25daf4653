//! The device palette. A device is placed by dragging it onto the canvas
//! (pointer events, so mouse, pen and touch all work), by clicking it and then
//! the canvas, or with the keyboard (Enter places it at a free spot).

use lanlab_sim::DeviceKind;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::canvas::icon::device_icon;
use crate::i18n::Key;
use crate::state::{AppState, Command, Status, Tool};

/// A palette drag in progress: what is dragged and where the pointer is.
#[derive(Copy, Clone, Debug, PartialEq)]
struct PaletteDrag {
    kind: DeviceKind,
    x: f64,
    y: f64,
    moved: bool,
}

/// The list of device kinds to place.
#[component]
pub fn Palette() -> impl IntoView {
    let st = AppState::expect();
    let drag = RwSignal::new(None::<PaletteDrag>);
    // Set when a drag ended, so the click that follows pointer-up is ignored.
    let just_dropped = StoredValue::new(false);

    let items = DeviceKind::ALL.map(|kind| {
        let armed = move || st.tool.get() == Tool::Place(kind);
        view! {
            <li>
                <button
                    class="palette-item"
                    data-testid=format!("palette-{}", kind.name_prefix().to_lowercase())
                    title=move || st.lang.get().kind_hint(kind)
                    aria-pressed=move || armed().to_string()
                    on:pointerdown=move |ev| {
                        if ev.button() != 0 {
                            return;
                        }
                        if let Some(el) = ev
                            .current_target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        {
                            let _ = el.set_pointer_capture(ev.pointer_id());
                        }
                        drag.set(Some(PaletteDrag {
                            kind,
                            x: ev.client_x() as f64,
                            y: ev.client_y() as f64,
                            moved: false,
                        }));
                    }
                    on:pointermove=move |ev| {
                        drag.update(|d| {
                            if let Some(d) = d {
                                let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
                                d.moved |= (x - d.x).abs() + (y - d.y).abs() > 4.0;
                                d.x = x;
                                d.y = y;
                            }
                        });
                    }
                    on:pointerup=move |ev| {
                        let Some(d) = drag.get_untracked() else { return };
                        drag.set(None);
                        if !d.moved {
                            return;
                        }
                        just_dropped.set_value(true);
                        if let Some(pos) = st.client_to_canvas(ev.client_x() as f64, ev.client_y() as f64) {
                            let _ = st.dispatch(Command::Add { kind, pos });
                            st.tool.set(Tool::Select);
                            st.status.set(None);
                        }
                    }
                    on:pointercancel=move |_| drag.set(None)
                    on:click=move |ev| {
                        if just_dropped.get_value() {
                            just_dropped.set_value(false);
                            return;
                        }
                        if ev.detail() == 0 {
                            // Keyboard activation: place it right away.
                            let pos = st.next_free_spot();
                            let _ = st.dispatch(Command::Add { kind, pos });
                        } else if armed() {
                            st.tool.set(Tool::Select);
                            st.status.set(None);
                        } else {
                            st.tool.set(Tool::Place(kind));
                            st.status.set(Some(Status::Hint(Key::PlaceHelp)));
                        }
                    }
                >
                    <svg class="palette-icon" viewBox="-30 -26 60 52" aria-hidden="true">
                        {device_icon(kind)}
                    </svg>
                    <span class="palette-name">{move || st.lang.get().kind_name(kind)}</span>
                </button>
            </li>
        }
    });

    view! {
        <nav class="palette" data-testid="palette" aria-labelledby="palette-title">
            <h2 id="palette-title">{move || st.lang.get().t(Key::Devices)}</h2>
            <ul>{items.into_iter().collect_view()}</ul>
            <p class="help">{move || st.lang.get().t(Key::PaletteHelp)}</p>
            {move || {
                drag.get()
                    .filter(|d| d.moved)
                    .map(|d| {
                        view! {
                            <svg
                                class="drag-ghost"
                                viewBox="-30 -26 60 52"
                                style=format!("left:{}px;top:{}px", d.x - 30.0, d.y - 26.0)
                                aria-hidden="true"
                            >
                                {device_icon(d.kind)}
                            </svg>
                        }
                    })
            }}
        </nav>
    }
}
