//! The header: product name, tagline and the language switch.

use leptos::prelude::*;

use crate::embed::{EmbedButton, OpenFullWindow};
use crate::examples::ExamplesMenu;
use crate::file_menu::FileMenu;
use crate::i18n::{Key, Lang};
use crate::state::AppState;

const CONTRAST_KEY: &str = "lanlab.highContrast";

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn remember_contrast(on: bool) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(CONTRAST_KEY, if on { "1" } else { "0" });
    }
}

/// Whether the user chose high contrast earlier.
pub fn stored_contrast() -> bool {
    local_storage()
        .and_then(|s| s.get_item(CONTRAST_KEY).ok().flatten())
        .is_some_and(|v| v == "1")
}

/// Top bar of the app.
#[component]
pub fn Header() -> impl IntoView {
    let st = AppState::expect();
    st.high_contrast.set(stored_contrast());
    // On a phone the tools fold into one menu behind this switch.
    let menu_open = RwSignal::new(false);
    view! {
        <header class="header" class:embedded=st.embedded data-testid="header">
            <h1 class="brand">
                <span class="logo" aria-hidden="true">"◈"</span>
                "lanlab"
            </h1>
            <span class="tagline" data-testid="tagline">{move || st.lang.get().t(Key::Tagline)}</span>
            <button
                class="menu-toggle"
                data-testid="menu-toggle"
                aria-expanded=move || menu_open.get().to_string()
                aria-controls="header-tools"
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                <svg class="btn-icon" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M2 4 H14 M2 8 H14 M2 12 H14" fill="none" stroke="currentColor" stroke-width="2"/>
                </svg>
                {move || st.lang.get().t(Key::Menu)}
            </button>
            <div class="header-tools" id="header-tools" class:open=move || menu_open.get()>
            {if st.embedded {
                view! { <OpenFullWindow/> }.into_any()
            } else {
                view! {
                    <FileMenu/>
                    <ExamplesMenu/>
                    <EmbedButton/>
                    <crate::activity::TeacherButton/>
                }
                .into_any()
            }}
            <label class="contrast-toggle">
                <input
                    type="checkbox"
                    data-testid="high-contrast"
                    prop:checked=move || st.high_contrast.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        st.high_contrast.set(on);
                        remember_contrast(on);
                    }
                />
                {move || st.lang.get().t(Key::HighContrast)}
            </label>
            <label class="lang">
                <span class="lang-label">{move || st.lang.get().t(Key::Language)}</span>
                <select
                    data-testid="lang-select"
                    on:change=move |ev| {
                        if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                            st.lang.set(l);
                        }
                    }
                    prop:value=move || st.lang.get().tag()
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=l.tag() selected=move || st.lang.get() == l>
                                    {l.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            </div>
        </header>
    }
}
