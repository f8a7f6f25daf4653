//! A host's Command Prompt: the device's `sim::shell`, with output that
//! grows as virtual time runs, history on ↑/↓ and `cls`. While `telnet`
//! runs, typed lines go to it (the remote side echoes them, or hides a
//! password; the input box masks what is typed after a `Password:` prompt).

use lanlab_sim::DeviceId;
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::AppState;

/// The prompt text shown before each command.
pub const PROMPT: &str = "C:\\>";

/// The terminal of one device.
#[component]
pub fn Terminal(
    /// The device whose prompt this is.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let input = RwSignal::new(String::new());
    // Position in history while browsing with ↑/↓ (None = editing a new line).
    let cursor = RwSignal::new(None::<usize>);
    let screen = NodeRef::<leptos::html::Pre>::new();
    let name = move || {
        st.lab
            .with(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
    };
    let history = move || {
        sim.terminals.with_untracked(|ts| {
            ts.get(&id)
                .map(|t| t.entries.iter().map(|e| e.line.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };

    let text = move || {
        let entries = sim
            .terminals
            .with(|ts| ts.get(&id).map(|t| t.entries.clone()).unwrap_or_default());
        let mut out = String::new();
        let mut busy = false;
        let mut secret = false;
        for e in &entries {
            let (o, running) = sim.entry_output(e);
            // A remote login's `Password:` prompt: what is typed next is a
            // password, so the input box hides it (the server never echoes it).
            secret = running && o.trim_end_matches(' ').ends_with("Password:");
            out.push_str(PROMPT);
            out.push_str(&e.line);
            out.push('\n');
            out.push_str(&o);
            if !o.is_empty() && !o.ends_with('\n') {
                out.push('\n');
            }
            busy |= running;
        }
        (out, busy, secret)
    };

    // Keep the newest output in view.
    // (In the next frame: read at once, the height forced a layout of the
    // whole page inside whatever task changed the text, a drag's drop in a
    // 1,000-device lab included.)
    Effect::new(move |_| {
        let _ = text();
        if let Some(pre) = screen.get() {
            request_animation_frame(move || pre.set_scroll_top(pre.scroll_height()));
        }
    });

    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            let line = input.get_untracked();
            let line = line.trim();
            cursor.set(None);
            input.set(String::new());
            // A running `telnet` reads the line (an empty one too); else
            // it is `cls` or a new command.
            sim.prompt_line(id, &name(), line);
        }
        "ArrowUp" | "ArrowDown" => {
            ev.prevent_default();
            let h = history();
            if h.is_empty() {
                return;
            }
            let next = match (ev.key().as_str(), cursor.get_untracked()) {
                ("ArrowUp", None) => Some(h.len() - 1),
                ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                ("ArrowDown", Some(i)) if i + 1 < h.len() => Some(i + 1),
                _ => None,
            };
            cursor.set(next);
            input.set(next.map(|i| h[i].clone()).unwrap_or_default());
        }
        _ => {}
    };

    view! {
        <section class="terminal" data-testid="terminal" aria-label=move || st.lang.get().t(Key::CommandPrompt)>
            <p class="help">{move || st.lang.get().t(Key::TerminalHelp)}</p>
            <pre class="screen" node_ref=screen data-testid="terminal-output" aria-live="polite" tabindex="0">
                {move || text().0}
            </pre>
            <label class="prompt-line">
                <span class="prompt" aria-hidden="true">{PROMPT}</span>
                <input
                    data-testid="terminal-input"
                    type=move || if text().2 { "password" } else { "text" }
                    aria-label=move || st.lang.get().t(Key::CommandPrompt)
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev))
                    on:keydown=on_key
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                />
            </label>
        </section>
    }
}
