//! Embedding in an LMS: `?embed=1` gives a compact UI for an iframe, and the
//! Embed dialog writes the `<iframe>` snippet for the current lab.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::persist;
use crate::state::AppState;

/// Whether the page was opened with `?embed=1`.
pub fn is_embedded() -> bool {
    query_has(&["embed=1", "embed=true", "embed"])
}

/// Whether the page's query string holds one of these `key=value` items.
pub fn query_has(items: &[&str]) -> bool {
    window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .split('&')
        .any(|kv| items.contains(&kv))
}

/// The page URL without `embed=…`, with the lab in the fragment.
fn full_window_url(st: AppState) -> String {
    let url = st.lab.with_untracked(persist::share_url);
    url.replace("?embed=1&", "?")
        .replace("?embed=1", "")
        .replace("&embed=1", "")
}

/// The `<iframe>` snippet that embeds the current lab.
pub fn iframe_snippet(share_url: &str) -> String {
    let src = match share_url.split_once('#') {
        Some((page, frag)) if page.contains('?') => format!("{page}&embed=1#{frag}"),
        Some((page, frag)) => format!("{page}?embed=1#{frag}"),
        None => format!("{share_url}?embed=1"),
    };
    format!(
        "<iframe src=\"{}\" title=\"lanlab\" width=\"100%\" height=\"640\" \
         style=\"border:1px solid #ccc;border-radius:8px\" allow=\"clipboard-write; fullscreen\" \
         loading=\"lazy\"></iframe>",
        src.replace('&', "&amp;").replace('"', "&quot;")
    )
}

/// "Open in full window", shown instead of the file buttons when embedded.
#[component]
pub fn OpenFullWindow() -> impl IntoView {
    let st = AppState::expect();
    view! {
        <button
            data-testid="open-full"
            on:click=move |_| {
                let _ = window().open_with_url_and_target(&full_window_url(st), "_blank");
            }
        >
            {move || st.lang.get().t(Key::OpenFull)}
        </button>
    }
}

/// The Embed button and its dialog.
#[component]
pub fn EmbedButton() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let snippet = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    view! {
        <button
            data-testid="embed"
            on:click=move |_| {
                copied.set(false);
                snippet.set(Some(iframe_snippet(&st.lab.with_untracked(persist::share_url))));
            }
        >
            {move || t(Key::Embed)}
        </button>
        <Show when=move || snippet.with(Option::is_some)>
            <div class="dialog-backdrop" on:click=move |_| snippet.set(None)>
                <div
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="embed-title"
                    data-testid="embed-dialog"
                    on:click=|ev| ev.stop_propagation()
                >
                    <h2 id="embed-title">{move || t(Key::EmbedTitle)}</h2>
                    <p>{move || t(Key::EmbedHelp)}</p>
                    <textarea
                        class="snippet"
                        data-testid="embed-snippet"
                        readonly
                        rows="5"
                        prop:value=move || snippet.get().unwrap_or_default()
                    ></textarea>
                    <div class="dialog-buttons">
                        <button
                            class="primary"
                            on:click=move |_| {
                                if let Some(s) = snippet.get_untracked() {
                                    let p = window().navigator().clipboard().write_text(&s);
                                    leptos::task::spawn_local(async move {
                                        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                                    });
                                    copied.set(true);
                                }
                            }
                        >
                            {move || if copied.get() { t(Key::Copied) } else { t(Key::Copy) }}
                        </button>
                        <button data-testid="embed-close" on:click=move |_| snippet.set(None)>
                            {move || t(Key::Close)}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::iframe_snippet;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn snippet_adds_embed_and_escapes() {
        let s = iframe_snippet("https://school.example/lab/#v1.abc");
        assert!(
            s.contains("src=\"https://school.example/lab/?embed=1#v1.abc\""),
            "{s}"
        );
        let s = iframe_snippet("https://x/?a=1#v1.abc");
        assert!(s.contains("?a=1&amp;embed=1#v1.abc"), "{s}");
    }
}
