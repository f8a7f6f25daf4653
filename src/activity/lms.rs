//! Reporting progress to a learning management system.
//!
//! When the app runs inside a frame (an LMS page, `?embed=1`), every change
//! of progress is posted to the parent window:
//!
//! ```json
//! {"type": "lanlab:progress", "version": 1, "passed": 2, "total": 3,
//!  "score": 67, "checks": [{"label": "PC0 uses DHCP", "kind": "uses_dhcp",
//!  "passed": true}, …]}
//! ```
//!
//! `score` is `round(100 × passed / total)` (0 when there are no checks);
//! labels are in the app's current language. See README.md.

use lanlab_sim::activity::{CheckState, score};
use leptos::prelude::*;

use crate::state::AppState;

/// The progress message for the parent frame.
pub fn progress_message(
    activity: &lanlab_sim::activity::Activity,
    states: &[CheckState],
    lang: &str,
) -> serde_json::Value {
    let (passed, total) = score(states);
    let checks: Vec<serde_json::Value> = activity
        .checks
        .iter()
        .zip(states)
        .map(|(c, s)| {
            serde_json::json!({
                "label": c.label_in(lang),
                "kind": c.kind.tag(),
                "passed": *s == CheckState::Passed,
            })
        })
        .collect();
    serde_json::json!({
        "type": "lanlab:progress",
        "version": 1,
        "passed": passed,
        "total": total,
        "score": percent(passed, total),
        "checks": checks,
    })
}

/// `round(100 × passed / total)`, 0 without checks.
pub fn percent(passed: usize, total: usize) -> u32 {
    (passed * 100 + total / 2)
        .checked_div(total)
        .map_or(0, |p| p as u32)
}

/// The parent window, when the app runs in a frame.
fn parent_frame() -> Option<web_sys::Window> {
    let w = window();
    let parent = w.parent().ok().flatten()?;
    (parent != w).then_some(parent)
}

/// Posts progress to the parent frame whenever it changes.
pub fn start(st: AppState, states: Memo<Option<Vec<CheckState>>>) {
    Effect::new(move |_| {
        let Some(states) = states.get() else { return };
        let Some(parent) = parent_frame() else { return };
        let lang = st.lang.get_untracked();
        let msg = st.lab.with_untracked(|l| {
            l.activity
                .as_ref()
                .map(|a| progress_message(a, &states, lang.tag()))
        });
        if let Some(msg) = msg
            && let Ok(v) = js_sys::JSON::parse(&msg.to_string())
        {
            let _ = parent.post_message(&v, "*");
        }
    });
}
