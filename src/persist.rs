//! Where the document comes from and goes to: autosave after every change,
//! share links in the URL fragment (asking before one replaces the autosaved
//! lab), and `.lanlab.json` files.

use lanlab_sim::{Lab, share};
use leptos::prelude::*;

use crate::i18n::{self, Key};
use crate::state::{AppState, Status};
use crate::storage;

/// A shared lab waiting for the user to say whether it may replace theirs.
#[derive(Copy, Clone)]
pub struct PendingShare(pub RwSignal<Option<Lab>>);

/// Loads the autosaved lab, opens a share link if the URL has one, and keeps
/// the autosave up to date from then on.
pub fn start(st: AppState) -> PendingShare {
    let pending = PendingShare(RwSignal::new(None));
    let lang = st.lang.get_untracked();
    match storage::load_autosave() {
        Ok(Some(lab)) => st.lab.set(lab),
        Ok(None) => {}
        Err(e) => st.status.set(Some(Status::Error(format!(
            "{}: {}",
            lang.t(Key::FileBroken),
            i18n::lab_error(lang, &e)
        )))),
    }
    open_link_from_url(st, pending);

    let warned = StoredValue::new(false);
    Effect::new(move |_| {
        let saved = st.lab.with(storage::autosave);
        if !saved && !warned.get_value() {
            warned.set_value(true);
            st.status.set(Some(Status::Hint(Key::NoStorage)));
        }
    });

    let listener =
        window_event_listener_untyped("hashchange", move |_| open_link_from_url(st, pending));
    on_cleanup(move || listener.remove());
    pending
}

/// Opens the lab in the URL fragment, if any: at once when the current lab
/// is empty or the same, else after asking. A bad link changes nothing.
fn open_link_from_url(st: AppState, pending: PendingShare) {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if !hash.starts_with("#v") {
        return;
    }
    // The link has been read: take it out of the address bar so a reload
    // does not ask again.
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
    let lang = st.lang.get_untracked();
    match share::decode(&hash) {
        Err(e) => st.status.set(Some(Status::Error(format!(
            "{}: {}",
            lang.t(Key::LinkBroken),
            i18n::share_error(lang, &e)
        )))),
        Ok(shared) => {
            let replace_silently = st
                .lab
                .with_untracked(|cur| cur.devices.is_empty() || *cur == shared);
            if replace_silently {
                replace_lab(st, shared);
            } else {
                pending.0.set(Some(shared));
            }
        }
    }
}

/// Replaces the document (open file, open link, new).
pub fn replace_lab(st: AppState, lab: Lab) {
    st.selection.set(None);
    st.tool.set(crate::state::Tool::Select);
    st.clear_history();
    let lang = st.lang.get_untracked();
    let name = lab.name.get(lang.tag()).trim().to_string();
    st.lab.set(lab);
    st.status.set(Some(Status::Info(if name.is_empty() {
        lang.t(Key::Opened).to_string()
    } else {
        format!("{}: {name}", lang.t(Key::Opened))
    })));
}

/// The full URL that opens this lab.
pub fn share_url(lab: &Lab) -> String {
    let loc = window().location();
    format!(
        "{}{}{}#{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
        share::encode(lab)
    )
}

/// Offers the lab as a `.lanlab.json` download.
pub fn download_lab(lab: &Lab, lang: crate::i18n::Lang) {
    let title = lab.name.get(lang.tag()).trim();
    let name = if title.is_empty() { "lab" } else { title };
    let file: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    crate::sim_view::download_bytes(
        lab.to_json_pretty().as_bytes(),
        &format!("{file}.lanlab.json"),
        "application/json",
    );
}
