//! Browser storage: the autosaved lab and the language choice. Storage may be
//! missing or refuse writes (private mode, an LMS iframe without third-party
//! storage): then nothing is remembered, the user is told once, and the app
//! keeps working.

use lanlab_sim::{Lab, LabError};
use leptos::prelude::window;

use crate::i18n::Lang;

const LANG_KEY: &str = "lanlab.lang";
const AUTOSAVE_KEY: &str = "lanlab.autosave";
const BROKEN_KEY: &str = "lanlab.autosave.unreadable";

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

/// The autosaved lab, if there is one.
///
/// # Errors
/// When the stored text is not a lab this build can read. The text is then
/// kept aside (not overwritten by the next autosave) so nothing is lost.
pub fn load_autosave() -> Result<Option<Lab>, LabError> {
    let Some(s) = local() else { return Ok(None) };
    let Some(text) = s.get_item(AUTOSAVE_KEY).ok().flatten() else {
        return Ok(None);
    };
    Lab::from_json(&text).map(Some).inspect_err(|_| {
        let _ = s.set_item(BROKEN_KEY, &text);
    })
}

/// Saves the lab (compact JSON: it is written after every edit); `false`
/// when storage is unavailable or full.
pub fn autosave(lab: &Lab) -> bool {
    local().is_some_and(|s| s.set_item(AUTOSAVE_KEY, &lab.to_json()).is_ok())
}
