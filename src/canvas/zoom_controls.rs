//! The zoom buttons over the canvas's corner.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::AppState;

/// Zoom out, the zoom level, zoom in and fit, over the canvas's corner.
#[component]
pub fn ZoomControls() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
        <div class="zoom-controls" role="group" aria-label=move || t(Key::FitView)>
            <button
                data-testid="zoom-out"
                aria-label=move || t(Key::ZoomOut)
                title=move || t(Key::ZoomOut)
                on:click=move |_| st.zoom_centre(0.8)
            >
                "−"
            </button>
            <output class="zoom-level" data-testid="zoom-level">
                {move || format!("{:.0}%", st.view.get().zoom * 100.0)}
            </output>
            <button
                data-testid="zoom-in"
                aria-label=move || t(Key::ZoomIn)
                title=move || t(Key::ZoomIn)
                on:click=move |_| st.zoom_centre(1.25)
            >
                "+"
            </button>
            <button data-testid="zoom-fit" on:click=move |_| st.fit()>
                {move || t(Key::FitView)}
            </button>
        </div>
    }
}
