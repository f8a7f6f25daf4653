//! SCORM 1.2 in the browser: the "Download SCORM 1.2 package" button, and
//! the runtime of the app inside a package (`?scorm=1`).
//!
//! Inside a package the app finds the LMS's `API` object (walking up the
//! parent frames, then the opener's), calls `LMSInitialize`, restores the
//! student's lab from `cmi.suspend_data` (else loads the package's
//! `lab.lanlab.json`), and on every change of progress or of the lab sets
//! `cmi.core.score.raw` (0–100, with `min` 0 and `max` 100),
//! `cmi.core.lesson_status` (`passed` when every check passes, else
//! `incomplete`) and `cmi.suspend_data` (the lab as share-link text; above
//! SCORM 1.2's 4,096 characters it is not stored and the status bar says
//! so), then `LMSCommit`. Leaving the page calls `LMSFinish`.

use js_sys::{Array, Function, Reflect, Uint8Array};
use lanlab_scorm as scorm;
use lanlab_sim::Lab;
use lanlab_sim::activity::{CheckState, score};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Key;
use crate::state::{AppState, Status};

/// Whether the page was opened as a SCORM package's SCO (`?scorm=1`).
pub fn is_scorm() -> bool {
    crate::embed::query_has(&["scorm=1"])
}

fn api_in(w: &JsValue) -> Option<JsValue> {
    let api = Reflect::get(w, &"API".into()).ok()?;
    (!api.is_undefined() && !api.is_null()).then_some(api)
}

/// The LMS's SCORM 1.2 API: in this window or a parent, else the opener's.
fn find_api() -> Option<JsValue> {
    let walk = |start: JsValue| -> Option<JsValue> {
        let mut w = start;
        for _ in 0..12 {
            if let Some(api) = api_in(&w) {
                return Some(api);
            }
            let parent = Reflect::get(&w, &"parent".into()).ok()?;
            if parent.is_undefined() || parent.is_null() || parent == w {
                return None;
            }
            w = parent;
        }
        None
    };
    let me: JsValue = window().into();
    walk(me.clone()).or_else(|| {
        let opener = Reflect::get(&me, &"opener".into()).ok()?;
        (!opener.is_null() && !opener.is_undefined())
            .then(|| walk(opener))
            .flatten()
    })
}

/// Calls an API function with string arguments; its result as text.
fn call(api: &JsValue, name: &str, args: &[&str]) -> String {
    let Some(f) = Reflect::get(api, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return String::new();
    };
    let a: Array = args.iter().map(|s| JsValue::from_str(s)).collect();
    f.apply(api, &a)
        .ok()
        .and_then(|v| v.as_string().or_else(|| v.as_bool().map(|b| b.to_string())))
        .unwrap_or_default()
}

async fn fetch_bytes(url: &str) -> Option<Vec<u8>> {
    let resp: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !resp.ok() {
        return None;
    }
    let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

/// Starts the SCORM runtime when the page is a package's SCO.
pub fn start(st: AppState, states: Memo<Option<Vec<CheckState>>>) {
    if !is_scorm() {
        return;
    }
    // Without an LMS (a teacher previewing the unzipped package) the lab
    // still loads; nothing is reported.
    let api = find_api();
    let ready = RwSignal::new(false);
    let saved = api.as_ref().map_or_else(String::new, |a| {
        call(a, "LMSInitialize", &[""]);
        call(a, "LMSGetValue", &["cmi.suspend_data"])
    });
    match scorm::resume(&saved) {
        Ok(lab) if !saved.is_empty() => {
            crate::persist::replace_lab(st, lab);
            ready.set(true);
        }
        _ => leptos::task::spawn_local(async move {
            if let Some(lab) = fetch_bytes(scorm::LAB_FILE)
                .await
                .and_then(|b| Lab::from_json(&String::from_utf8_lossy(&b)).ok())
            {
                crate::persist::replace_lab(st, lab);
            }
            ready.set(true);
        }),
    }
    let Some(api) = api else { return };
    let api = StoredValue::new_local(api);
    let warned = StoredValue::new(false);
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        let Some(states) = states.get() else { return };
        let (passed, total) = score(&states);
        let pct = super::lms::percent(passed, total).to_string();
        let status = if total > 0 && passed == total {
            "passed"
        } else {
            "incomplete"
        };
        let data = st.lab.with(scorm::suspend_data);
        api.with_value(|a| {
            call(a, "LMSSetValue", &["cmi.core.score.min", "0"]);
            call(a, "LMSSetValue", &["cmi.core.score.max", "100"]);
            call(a, "LMSSetValue", &["cmi.core.score.raw", &pct]);
            call(a, "LMSSetValue", &["cmi.core.lesson_status", status]);
            if let Some(d) = &data {
                call(a, "LMSSetValue", &["cmi.suspend_data", d]);
            }
            call(a, "LMSCommit", &[""]);
        });
        if data.is_none() && !warned.get_value() {
            warned.set_value(true);
            st.status.set(Some(Status::Error(
                st.lang.get_untracked().t(Key::ScormTooBig).into(),
            )));
        }
    });
    let finished = StoredValue::new(false);
    let finish = move || {
        if !finished.get_value() {
            finished.set_value(true);
            api.with_value(|a| {
                call(a, "LMSCommit", &[""]);
                call(a, "LMSFinish", &[""]);
            });
        }
    };
    let h1 = window_event_listener_untyped("pagehide", move |_| finish());
    let h2 = window_event_listener_untyped("beforeunload", move |_| finish());
    on_cleanup(move || {
        h1.remove();
        h2.remove();
    });
}

/// Builds the package from the served app and offers it as a download.
async fn build_package(lab: Lab, lang: crate::i18n::Lang) -> Result<(), ()> {
    let index = fetch_bytes("index.html").await.ok_or(())?;
    let mut names = scorm::app_files_in(&String::from_utf8_lossy(&index));
    // The engine's worker, which index.html does not name.
    names.extend(crate::engine_link::ENGINE_FILES.map(String::from));
    let mut files = vec![("index.html".to_string(), index)];
    for n in names.into_iter().skip(1) {
        // The service worker is left out: an LMS serves the package itself.
        if n == "sw.js" {
            continue;
        }
        let bytes = fetch_bytes(&n).await.ok_or(())?;
        files.push((n, bytes));
    }
    let zip = scorm::package(&lab, &files, lang.tag());
    let parts = Array::of1(&Uint8Array::from(zip.as_slice()));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/zip");
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(drop)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(drop)?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(drop)?
        .unchecked_into();
    a.set_href(&url);
    let stem: String = lab
        .name
        .get(lang.tag())
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    a.set_download(&format!(
        "{}.scorm.zip",
        if stem.is_empty() {
            "lanlab-activity"
        } else {
            stem
        }
    ));
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// "Download SCORM 1.2 package" (teacher mode).
#[component]
pub fn ScormButton() -> impl IntoView {
    let st = AppState::expect();
    let busy = RwSignal::new(false);
    view! {
        <button
            data-testid="scorm-download"
            disabled=move || busy.get()
            on:click=move |_| {
                busy.set(true);
                let lab = st.lab.get_untracked();
                let lang = st.lang.get_untracked();
                leptos::task::spawn_local(async move {
                    if build_package(lab, lang).await.is_err() {
                        st.status.set(Some(Status::Error(
                            st.lang.get_untracked().t(Key::ScormFailed).into(),
                        )));
                    }
                    busy.set(false);
                });
            }
        >
            {move || st.lang.get().t(Key::ScormDownload)}
        </button>
    }
}
