//! A router's or switch's console (the CLI tab): the device's IOS engine
//! (`lanlab_sim::shell::ios`), prompt shown, ↑/↓ history, Tab completion,
//! `?` without Enter showing help as IOS does, Ctrl+Z. A line that changes
//! the configuration becomes one undoable document edit, so the Config
//! tab's forms, files and share links see it. IOS output stays English.
//! What the router prints on its own (`debug ip nat`) appears as the
//! simulation runs.

use lanlab_sim::DeviceId;
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::AppState;

/// The console of one router or switch.
#[component]
pub fn IosConsole(
    /// The device.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let input = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<usize>);
    let screen = NodeRef::<leptos::html::Pre>::new();
    let name = move || {
        st.lab
            .with_untracked(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default())
    };
    let console = sim.watch_device(
        move || {
            Some(
                st.lab
                    .with(|l| l.device(id).map(|d| d.name.clone()).unwrap_or_default()),
            )
        },
        DeviceQuery::Console,
        |a| match a {
            DeviceAnswer::Console { prompt, history } => Some((prompt, history)),
            _ => None,
        },
    );
    let prompt = move || console.get().and_then(|(p, _)| p).unwrap_or_default();
    let history = move || console.get().map(|(_, h)| h).unwrap_or_default();
    let text = move || {
        let entries = sim
            .terminals
            .with(|ts| ts.get(&id).map(|t| t.entries.clone()).unwrap_or_default());
        let mut out = String::new();
        for e in &entries {
            let (o, _) = sim.entry_output(e);
            // Output the router printed on its own has no prompt line.
            if !(e.line.is_empty() && e.job.is_none()) {
                out.push_str(&e.line);
                out.push('\n');
            }
            out.push_str(&o);
            if !o.is_empty() && !o.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    };
    // While the console is open, `debug ip nat` lines appear as the
    // packets are translated, each time the simulation moves.
    Effect::new(move |_| {
        sim.version.track();
        sim.drain_console_output(id, &name());
    });
    // (In the next frame: read at once, the height forced a layout of the
    // whole page inside whatever task changed the text, a drag's drop in a
    // 1,000-device lab included.)
    Effect::new(move |_| {
        let _ = text();
        if let Some(pre) = screen.get() {
            request_animation_frame(move || pre.set_scroll_top(pre.scroll_height()));
        }
    });
    // A line typed: run it; a configuration change is one document edit.
    let run = move |line: &str| {
        let dev = name();
        sim.console_line(id, &dev, line, move |after| {
            st.adopt_configuration(id, after)
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let line = input.get_untracked();
                cursor.set(None);
                input.set(String::new());
                run(&line);
            }
            "?" => {
                ev.prevent_default();
                sim.console_help(id, &name(), &input.get_untracked());
            }
            "Tab" => {
                ev.prevent_default();
                let dev = name();
                let line = input.get_untracked();
                sim.ask_device(&dev, DeviceQuery::ConsoleComplete { line }, move |a| {
                    if let DeviceAnswer::ConsoleComplete { line: Some(done) } = a {
                        input.try_set(done);
                    }
                });
            }
            "z" | "Z" if ev.ctrl_key() => {
                ev.prevent_default();
                input.set(String::new());
                run("\u{1a}");
            }
            "ArrowUp" | "ArrowDown" => {
                ev.prevent_default();
                let h = history();
                if h.is_empty() {
                    return;
                }
                let next = match (key.as_str(), cursor.get_untracked()) {
                    ("ArrowUp", None) => Some(h.len() - 1),
                    ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                    ("ArrowDown", Some(i)) if i + 1 < h.len() => Some(i + 1),
                    _ => None,
                };
                cursor.set(next);
                input.set(next.map(|i| h[i].clone()).unwrap_or_default());
            }
            _ => {}
        }
    };
    view! {
        <section class="terminal console" data-testid="console" aria-label=move || st.lang.get().t(Key::CliConsole)>
            <p class="help">{move || st.lang.get().t(Key::CliHelp)}</p>
            <pre class="screen" node_ref=screen data-testid="console-output" aria-live="polite" tabindex="0">
                {text}
            </pre>
            <label class="prompt-line">
                <span class="prompt" data-testid="console-prompt">{prompt}</span>
                <input
                    data-testid="console-input"
                    aria-label=move || st.lang.get().t(Key::CliConsole)
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
