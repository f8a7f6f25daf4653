//! New, Open file…, Save file and Copy link, plus the dialog that asks before
//! a shared lab replaces the user's own.

use lanlab_sim::{Lab, share};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{self, Key};
use crate::persist::{self, PendingShare};
use crate::state::{AppState, Status};

/// The file buttons in the header.
#[component]
pub fn FileMenu() -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let link_text = RwSignal::new(None::<String>);

    let on_new = move |_| {
        let empty = st.lab.with_untracked(|l| l.devices.is_empty());
        let lang = st.lang.get_untracked();
        if empty
            || window()
                .confirm_with_message(lang.t(Key::ConfirmNew))
                .unwrap_or(false)
        {
            persist::replace_lab(st, Lab::new(""));
        }
    };
    let on_file = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let promise = file.text();
        leptos::task::spawn_local(async move {
            let lang = st.lang.get_untracked();
            let text = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.as_deref().map(Lab::from_json) {
                Some(Ok(lab)) => persist::replace_lab(st, lab),
                Some(Err(e)) => st.status.set(Some(Status::Error(format!(
                    "{}: {}",
                    lang.t(Key::FileBroken),
                    i18n::lab_error(lang, &e)
                )))),
                None => st
                    .status
                    .set(Some(Status::Error(lang.t(Key::FileBroken).into()))),
            }
        });
    };
    let on_copy = move |_| {
        let url = st.lab.with_untracked(persist::share_url);
        let lang = st.lang.get_untracked();
        let n = url.chars().count();
        // The clipboard may be refused (permissions, iframe): the link box below still shows it.
        let copy = window().navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(copy).await;
        });
        let mut msg = format!("{} ({n})", lang.t(Key::LinkCopied));
        if n > share::LONG_LINK_CHARS {
            msg = format!("{msg}. {}", lang.t(Key::LinkLong));
        }
        st.status.set(Some(Status::Info(msg)));
        link_text.set(Some(url));
    };

    view! {
        <div class="file-menu" role="group">
            <button data-testid="file-new" on:click=on_new>{move || t(Key::FileNew)}</button>
            <button
                data-testid="file-open"
                on:click=move |_| {
                    if let Some(i) = file_input.get_untracked() {
                        i.click();
                    }
                }
            >
                {move || t(Key::FileOpen)}
            </button>
            <input
                node_ref=file_input
                type="file"
                accept=".json,application/json"
                class="visually-hidden"
                data-testid="file-input"
                aria-label=move || t(Key::FileOpen)
                tabindex="-1"
                on:change=on_file
            />
            <button data-testid="file-save" on:click=move |_| st.lab.with_untracked(|l| persist::download_lab(l, st.lang.get_untracked()))>
                {move || t(Key::FileSave)}
            </button>
            <button data-testid="copy-link" on:click=on_copy>{move || t(Key::CopyLink)}</button>
            {move || {
                link_text
                    .get()
                    .map(|url| {
                        view! {
                            <input
                                class="link-box"
                                data-testid="share-link"
                                readonly
                                prop:value=url.clone()
                                on:focus=move |ev| {
                                    if let Some(i) = ev
                                        .target()
                                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                    {
                                        i.select();
                                    }
                                }
                            />
                        }
                    })
            }}
        </div>
    }
}

/// Asks whether a lab from a link may replace the user's lab.
#[component]
pub fn SharedLabDialog(
    /// The shared lab waiting for an answer.
    pending: PendingShare,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
        <Show when=move || pending.0.with(Option::is_some)>
            <div class="dialog-backdrop">
                <div
                    class="dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="shared-title"
                    data-testid="shared-lab-dialog"
                >
                    <h2 id="shared-title">{move || t(Key::SharedLabTitle)}</h2>
                    <p>{move || t(Key::SharedLabAsk)}</p>
                    <div class="dialog-buttons">
                        <button
                            class="primary"
                            data-testid="open-shared"
                            on:click=move |_| {
                                if let Some(lab) = pending.0.get_untracked() {
                                    pending.0.set(None);
                                    persist::replace_lab(st, lab);
                                }
                            }
                        >
                            {move || t(Key::OpenShared)}
                        </button>
                        <button data-testid="keep-mine" on:click=move |_| pending.0.set(None)>
                            {move || t(Key::KeepMine)}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
