//! The PDU inspector: for the selected event (or the newest), where the frame
//! was and where it went, each layer decoded, the device's decisions in
//! words, and the raw bytes as a hex dump.

use lanlab_sim::{TraceKind, summary};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::sim_view::event_proto;
use crate::state::AppState;

/// Classic hex dump: offset, 16 bytes in hex, the printable characters.
pub fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let text: String = chunk
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        out.push_str(&format!("{:04x}  {:<47}  {text}\n", i * 16, hex.join(" ")));
    }
    out
}

/// The inspector panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let details = move || {
        sim.with(|e| {
            let trace = e.trace();
            let index = sim
                .selected_event
                .get()
                .filter(|&i| i < trace.len())
                .or_else(|| trace.len().checked_sub(1))?;
            let ev = trace.get(index)?;
            let lab = e.lab();
            let place = match &ev.kind {
                TraceKind::Frame { from, to, .. } => {
                    format!("{} → {}", lab.end_label(*from), lab.end_label(*to))
                }
                TraceKind::Dropped { at, reason, .. } => {
                    format!("{} ✖ {reason}", lab.end_label(*at))
                }
                TraceKind::Tapped { at, .. } => lab.end_label(*at),
                TraceKind::Action { action } => action.to_string(),
                TraceKind::Timer { device } => lab
                    .device(*device)
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
            };
            let layers = ev.bytes().map(summary::layers).unwrap_or_default();
            let notes: Vec<String> = trace.notes(ev).iter().map(ToString::to_string).collect();
            let hex = ev.bytes().map(hex_dump).unwrap_or_default();
            Some((
                index,
                format!("{}", ev.time),
                place,
                event_proto(ev),
                layers,
                notes,
                hex,
            ))
        })
        .flatten()
    };
    view! {
        <aside class="inspector" data-testid="inspector" aria-label=move || t(Key::Inspector)>
            {move || match details() {
                None => view! { <p class="muted">{move || t(Key::NoEvent)}</p> }.into_any(),
                Some((index, time, place, proto, layers, notes, hex)) => view! {
                    <h3>
                        <span class=format!("proto-tag proto-{}", proto.to_lowercase())>{proto}</span>
                        " #" {index + 1} " · " {time}
                    </h3>
                    <p class="place" data-testid="inspector-place">{place}</p>
                    <h4>{move || t(Key::Layers)}</h4>
                    <ol class="layers" data-testid="inspector-layers">
                        {layers
                            .into_iter()
                            .map(|l| view! { <li><strong>{format!("{:?}", l.proto)}</strong> " " {l.summary}</li> })
                            .collect_view()}
                    </ol>
                    <h4>{move || t(Key::Decisions)}</h4>
                    <ul class="notes" data-testid="inspector-notes">
                        {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    <details class="hex">
                        <summary>{move || t(Key::Bytes)}</summary>
                        <pre data-testid="inspector-hex">{hex}</pre>
                    </details>
                }
                .into_any(),
            }}
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::hex_dump;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn hex_dump_has_offsets_and_text() {
        let d = hex_dump(b"HELO hasan.com\r\nMAIL");
        assert!(d.starts_with("0000  48 45 4c 4f 20"), "{d}");
        assert!(d.contains("HELO hasan.com.."), "{d}");
        assert!(d.contains("\n0010  4d 41 49 4c"), "{d}");
    }
}
