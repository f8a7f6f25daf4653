//! Browser storage for session preferences. Storage may be missing (private
//! mode, an iframe without third-party storage): then nothing is remembered
//! and the app keeps working.

use leptos::prelude::window;

use crate::i18n::Lang;

const LANG_KEY: &str = "lanlab.lang";

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The stored language, else the browser's, else English.
pub fn initial_lang() -> Lang {
    local()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|t| Lang::from_tag(&t))
        .unwrap_or_else(crate::app::browser_lang)
}

/// Remembers the language choice, if storage works.
pub fn remember_lang(lang: Lang) {
    if let Some(s) = local() {
        let _ = s.set_item(LANG_KEY, lang.tag());
    }
}
