//! The header: product name, tagline and the language switch.

use leptos::prelude::*;

use crate::embed::{EmbedButton, OpenFullWindow};
use crate::examples::ExamplesMenu;
use crate::file_menu::FileMenu;
use crate::i18n::{Key, Lang};
use crate::state::AppState;

/// Top bar of the app.
#[component]
pub fn Header() -> impl IntoView {
    let st = AppState::expect();
    view! {
        <header class="header" class:embedded=st.embedded data-testid="header">
            <h1 class="brand">
                <span class="logo" aria-hidden="true">"◈"</span>
                "lanlab"
            </h1>
            <span class="tagline" data-testid="tagline">{move || st.lang.get().t(Key::Tagline)}</span>
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
        </header>
    }
}
