//! The Examples menu: the labs shipped in `labs/` (listed in
//! `labs/index.json`), titled in both languages, opened with one click.

use lanlab_sim::Lab;
use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{self, Key, Lang};
use crate::persist;
use crate::state::{AppState, Status};

/// One entry of `labs/index.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Example {
    /// File name inside `labs/`.
    pub file: String,
    /// Title per language tag (`en`, `id`).
    pub title: std::collections::BTreeMap<String, String>,
}

impl Example {
    /// The title in `lang`, falling back to English, then the file name.
    pub fn title(&self, lang: Lang) -> &str {
        self.title
            .get(lang.tag())
            .or_else(|| self.title.get("en"))
            .map_or(self.file.as_str(), String::as_str)
    }
}

#[derive(Deserialize)]
struct Index {
    examples: Vec<Example>,
}

/// Fetches a text file relative to the page.
async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// The menu of example labs.
#[component]
pub fn ExamplesMenu() -> impl IntoView {
    let st = AppState::expect();
    let examples = LocalResource::new(|| async {
        let text = fetch_text("labs/index.json").await.ok()?;
        serde_json::from_str::<Index>(&text)
            .ok()
            .map(|i| i.examples)
    });
    let open = move |ex: Example| {
        leptos::task::spawn_local(async move {
            let lang = st.lang.get_untracked();
            let nonempty = st.lab.with_untracked(|l| !l.devices.is_empty());
            if nonempty
                && !window()
                    .confirm_with_message(lang.t(Key::ConfirmReplace))
                    .unwrap_or(false)
            {
                return;
            }
            let result = fetch_text(&format!("labs/{}", ex.file))
                .await
                .and_then(|t| Lab::from_json(&t).map_err(|e| i18n::lab_error(lang, &e)));
            match result {
                Ok(lab) => persist::replace_lab(st, lab),
                Err(e) => st.status.set(Some(Status::Error(format!(
                    "{}: {e}",
                    lang.t(Key::ExampleFailed)
                )))),
            }
        });
    };
    view! {
        <details class="menu" data-testid="examples-menu">
            <summary>{move || st.lang.get().t(Key::Examples)}</summary>
            <ul class="menu-list">
                {move || {
                    examples
                        .get()
                        .flatten()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|ex| {
                            let title_ex = ex.clone();
                            let file = ex.file.clone();
                            view! {
                                <li>
                                    <button
                                        data-testid=format!("example-{}", file.trim_end_matches(".json"))
                                        on:click=move |ev| {
                                            close_menu(&ev);
                                            open(ex.clone());
                                        }
                                    >
                                        {move || title_ex.title(st.lang.get()).to_string()}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}

/// Closes the `<details>` menu an event came from.
fn close_menu(ev: &leptos::ev::MouseEvent) {
    let details = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten());
    if let Some(d) = details {
        let _ = d.remove_attribute("open");
    }
}
