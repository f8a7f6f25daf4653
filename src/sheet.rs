//! The bar at the top of a bottom sheet (phones): a grip that is dragged up
//! or down to resize the sheet (or pressed to expand and shrink it) and a
//! close button. On wider screens CSS hides the bar and the sheet is an
//! ordinary panel.
//!
//! The sheet is the grip's nearest ancestor with the class `sheet`; its height
//! is the CSS variable `--sheet-h`, set while dragging.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Key;
use crate::state::AppState;

/// Below this share of the window's height a dragged sheet closes.
const CLOSE_BELOW: f64 = 0.18;

/// A grip drag in progress: where it began and the sheet's height then.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Drag {
    pointer: i32,
    start_y: f64,
    start_h: f64,
    moved: bool,
}

fn sheet_of(ev: &web_sys::PointerEvent) -> Option<web_sys::HtmlElement> {
    let el = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(".sheet").ok()??.dyn_into().ok()
}

fn window_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0)
}

/// The grip and the close button of a bottom sheet. `title` names the sheet;
/// `expanded` is toggled by a press on the grip; `on_close` runs for the
/// close button and for a drag down to the bottom.
#[component]
pub fn SheetBar(
    /// What the sheet holds, shown next to the grip.
    #[prop(into)]
    title: Signal<String>,
    /// Whether the sheet is at its tall size.
    expanded: RwSignal<bool>,
    /// Closes the sheet.
    on_close: Callback<()>,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let drag = StoredValue::new(None::<Drag>);
    // Set when a drag ended, so the click that follows pointer-up is ignored.
    let dragged = StoredValue::new(false);
    // Set when a press began on the bar. A tap that opened the sheet under
    // the finger sends its click to whatever is there now: without a press
    // of its own on the bar, such a click is ignored.
    let pressed = StoredValue::new(false);
    let own_click = move |ev: &web_sys::MouseEvent| {
        let mine = ev.detail() == 0 || pressed.get_value();
        pressed.set_value(false);
        mine
    };
    view! {
        <div
            class="sheet-bar"
            data-testid="sheet-bar"
            on:pointerdown=move |_| pressed.set_value(true)
        >
            <button
                class="sheet-grip"
                data-testid="sheet-grip"
                aria-label=move || format!("{} — {}", title.get(), t(Key::SheetResize))
                aria-expanded=move || expanded.get().to_string()
                on:pointerdown=move |ev| {
                    // A drag by touch sends no click after it: forget it
                    // here, or the next press would be ignored.
                    dragged.set_value(false);
                    let Some(sheet) = sheet_of(&ev) else { return };
                    if let Some(el) = ev
                        .current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = el.set_pointer_capture(ev.pointer_id());
                    }
                    drag.set_value(Some(Drag {
                        pointer: ev.pointer_id(),
                        start_y: ev.client_y() as f64,
                        start_h: sheet.get_bounding_client_rect().height(),
                        moved: false,
                    }));
                }
                on:pointermove=move |ev| {
                    let Some(mut d) = drag.get_value() else { return };
                    if d.pointer != ev.pointer_id() {
                        return;
                    }
                    let dy = d.start_y - ev.client_y() as f64;
                    if !d.moved && dy.abs() < 6.0 {
                        return;
                    }
                    d.moved = true;
                    drag.set_value(Some(d));
                    if let Some(sheet) = sheet_of(&ev) {
                        let h = (d.start_h + dy).clamp(48.0, window_height() * 0.92);
                        let _ = sheet.style().set_property("--sheet-h", &format!("{h:.0}px"));
                    }
                }
                on:pointerup=move |ev| {
                    let Some(d) = drag.get_value() else { return };
                    drag.set_value(None);
                    if !d.moved {
                        return;
                    }
                    dragged.set_value(true);
                    let Some(sheet) = sheet_of(&ev) else { return };
                    let h = sheet.get_bounding_client_rect().height();
                    let _ = sheet.style().remove_property("--sheet-h");
                    if h < window_height() * CLOSE_BELOW {
                        expanded.set(false);
                        on_close.run(());
                    } else {
                        expanded.set(h > d.start_h);
                    }
                }
                // The drag is the sheet's: no scroll and no fling after it
                // (Chromium drops the tap that follows a fling).
                on:touchmove=move |ev| ev.prevent_default()
                on:pointercancel=move |ev| {
                    drag.set_value(None);
                    if let Some(sheet) = sheet_of(&ev) {
                        let _ = sheet.style().remove_property("--sheet-h");
                    }
                }
                on:click=move |ev| {
                    if !own_click(&ev) {
                        return;
                    }
                    if dragged.get_value() {
                        dragged.set_value(false);
                        return;
                    }
                    // A press (mouse, finger or keyboard) that did not drag.
                    expanded.update(|e| *e = !*e);
                }
            >
                <span class="grip" aria-hidden="true"></span>
                <span class="sheet-title">{move || title.get()}</span>
            </button>
            <button
                class="sheet-close"
                data-testid="sheet-close"
                aria-label=move || t(Key::CloseSheet)
                title=move || t(Key::CloseSheet)
                on:click=move |ev| {
                    if !own_click(&ev) {
                        return;
                    }
                    expanded.set(false);
                    on_close.run(());
                }
            >
                <span aria-hidden="true">"✕"</span>
            </button>
        </div>
    }
}
