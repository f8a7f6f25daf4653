//! Keeps fields visible above a phone's on-screen keyboard. The keyboard
//! shrinks the *visual* viewport, not the layout: the part of the window it
//! covers becomes the CSS variable `--keyboard` on `<html>` (bottom sheets
//! sit above it), and the focused field is scrolled into what remains.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

fn number(obj: &wasm_bindgen::JsValue, key: &str) -> f64 {
    js_sys::Reflect::get(obj, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Scrolls the focused element into the visible part of the window.
fn reveal_focus() {
    let Some(el) = document().active_element() else {
        return;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    if !matches!(tag.as_str(), "input" | "textarea" | "select") {
        return;
    }
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"block".into(), &"nearest".into());
    if let Ok(f) = js_sys::Reflect::get(&el, &"scrollIntoView".into())
        && let Ok(f) = f.dyn_into::<js_sys::Function>()
    {
        let _ = f.call1(&el, &opts);
    }
}

/// Starts following `window.visualViewport` (where the browser has one).
pub fn track_keyboard() {
    let Ok(vv) = js_sys::Reflect::get(&window(), &"visualViewport".into()) else {
        return;
    };
    let Ok(target) = vv.clone().dyn_into::<web_sys::EventTarget>() else {
        return;
    };
    let update = move || {
        let inner = window()
            .inner_height()
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let covered = (inner - number(&vv, "height") - number(&vv, "offsetTop")).max(0.0);
        if let Some(root) = document()
            .document_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = root
                .style()
                .set_property("--keyboard", &format!("{covered:.0}px"));
        }
        if covered > 0.0 {
            reveal_focus();
        }
    };
    let cb = Closure::<dyn FnMut()>::new(update);
    let _ = target.add_event_listener_with_callback("resize", cb.as_ref().unchecked_ref());
    // Lives as long as the page.
    cb.forget();
}
