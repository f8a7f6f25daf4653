//! The PDU inspector: for the selected event (or the newest), where the frame
//! was and where it went, each layer decoded, the device's decisions in
//! words, and the raw bytes as a hex dump.

use lanlab_sim::conversation::Conn;
use lanlab_sim::dissect::Field;
use lanlab_sim::host::query::run::{Inspected, Place};
use lanlab_sim::host::query::{RunAnswer, RunQuery};
use lanlab_sim::summary;
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::{AppState, set_if_changed};

/// The inspector panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    // The byte range of the field picked in the tree (highlighted in the hex).
    let hl = RwSignal::new(None::<Picked>);
    Effect::new(move |_| {
        sim.selected_event.track();
        sim.version.track();
        // (Every byte of the hex view reads it: written only if it changes.)
        set_if_changed(hl, None);
    });
    let details = sim.watch_run(
        move || {
            Some(RunQuery::Inspect {
                index: sim.selected_event.get(),
                lang: st.lang.get().into(),
            })
        },
        |a| match a {
            RunAnswer::Inspect { event } => event,
            _ => None,
        },
    );
    view! {
        <aside class="inspector" data-testid="inspector" aria-label=move || t(Key::Inspector)>
            {move || match details.get() {
                None => view! { <p class="muted">{move || t(Key::NoEvent)}</p> }.into_any(),
                Some(ev) => {
                let Inspected { index, time, place, proto, layers, notes, fields, bytes, into, outs, nat } = *ev;
                let place = match place {
                    Place::Hop { from, to } => format!("{from} → {to}"),
                    Place::Dropped { at, reason } => format!(
                        "{at} ✖ {}",
                        crate::sim_view::packets::drop_reason(st.lang.get_untracked(), &reason)
                    ),
                    Place::At(text) => text,
                };
                let tag = format!("proto-tag proto-{}", proto.to_lowercase());
                view! {
                    <h3>
                        <span class=tag>{proto}</span>
                        " #" {index + 1} " · " {time}
                    </h3>
                    <p class="place" data-testid="inspector-place">{place}</p>
                    <h4>
                        {move || t(Key::Layers)}
                        {(!into.is_empty()).then(|| view! { " · " {move || t(Key::LayersIn)} " " {into.clone()} })}
                    </h4>
                    <ol class="layers" data-testid="inspector-layers">
                        {layers
                            .into_iter()
                            .map(layer_view)
                            .collect_view()}
                    </ol>
                    {(!outs.is_empty()).then(|| view! {
                        <h4>{move || t(Key::LayersOut)}</h4>
                        <ul class="layers-out" data-testid="inspector-out">
                            {outs
                                .into_iter()
                                .map(|(port, layers)| view! {
                                    <li>
                                        <strong>{port}</strong>
                                        <ol class="layers">{layers.into_iter().map(layer_view).collect_view()}</ol>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    })}
                    <h4>{move || t(Key::Decisions)}</h4>
                    <ul class="notes" data-testid="inspector-notes">
                        {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                    {nat.map(nat_view)}
                    <h4>{move || t(Key::Fields)}</h4>
                    <ul class="field-tree" data-testid="field-tree">
                        {fields.into_iter().enumerate().map(|(i, f)| field_view(f, hl, i.to_string())).collect_view()}
                    </ul>
                    <h4>{move || t(Key::Bytes)}</h4>
                    {hex_view(bytes, hl)}
                    <ConversationView/>
                }
                .into_any()
                }
            }}
        </aside>
    }
}

/// A translated packet before and after NAT, each with a button to its hop.
fn nat_view(p: lanlab_sim::NatPair) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let hop = move |i: usize| {
        view! {
            <button type="button" class="small" data-testid="inspector-nat-hop" on:click=move |_| sim.selected_event.set(Some(i))>
                {format!("#{}", i + 1)}
            </button>
        }
    };
    let before = format!("{} → {}", p.before_src, p.before_dst);
    let after = format!("{} → {}", p.after_src, p.after_dst);
    let after_hop = p.after_hop;
    view! {
        <h4>{move || t(Key::NatOn)} " " {p.router.clone()}</h4>
        <table class="nat-pair" data-testid="inspector-nat">
            <tr data-testid="inspector-nat-before">
                <th>{move || t(Key::NatBefore)}</th>
                <td>{before}</td>
                <td>{hop(p.before_hop)}</td>
            </tr>
            <tr data-testid="inspector-nat-after">
                <th>{move || t(Key::NatAfter)}</th>
                <td>{after}</td>
                <td>
                    {match after_hop {
                        Some(i) => hop(i).into_any(),
                        None => view! { <span class="muted">{move || t(Key::NatAfterPending)}</span> }.into_any(),
                    }}
                </td>
            </tr>
        </table>
    }
}

/// The field picked in the tree: its bytes and its place in the tree.
#[derive(Clone, Debug, PartialEq)]
struct Picked {
    range: (usize, usize),
    path: String,
}

/// One field of the tree; a click highlights its bytes.
fn field_view(f: Field, hl: RwSignal<Option<Picked>>, path: String) -> AnyView {
    let range = (f.range.start, f.range.end);
    let depth = path.matches('.').count();
    let me = path.clone();
    let me2 = path.clone();
    let label = f.label.clone();
    let label2 = f.label.clone();
    let value = f.value;
    let button = view! {
        <button
            class="field"
            data-testid="field"
            data-label=label
            data-range=format!("{}-{}", range.0, range.1)
            aria-pressed=move || hl.with(|h| h.as_ref().is_some_and(|p| p.path == me)).to_string()
            on:click=move |ev| {
                ev.prevent_default();
                hl.set(Some(Picked { range, path: me2.clone() }));
            }
        >
            <span class="field-label">{f.label}</span>
            {(!value.is_empty()).then(|| view! { <span class="field-value">{format!(": {value}")}</span> })}
            <span class="field-range">{format!(" [{}–{}]", range.0, range.1.saturating_sub(1).max(range.0))}</span>
        </button>
    };
    if f.children.is_empty() {
        return view! { <li>{button}</li> }.into_any();
    }
    let children = f
        .children
        .into_iter()
        .enumerate()
        .map(|(i, c)| field_view(c, hl, format!("{path}.{i}")))
        .collect_view();
    // A disclosure button beside the field's own button (not a <summary>
    // around it: a button inside a summary is a control inside a control).
    let open = RwSignal::new(depth == 0);
    view! {
        <li class="branch">
            <button
                class="twisty"
                data-testid="field-toggle"
                aria-expanded=move || open.get().to_string()
                aria-label=label2
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
            </button>
            {button}
            <ul hidden=move || !open.get()>{children}</ul>
        </li>
    }
    .into_any()
}

/// The raw bytes, 16 a line (offset, hex, text); the picked field's bytes
/// highlighted.
fn hex_view(bytes: Vec<u8>, hl: RwSignal<Option<Picked>>) -> impl IntoView {
    let on =
        move |i: usize| hl.with(|h| h.as_ref().is_some_and(|p| i >= p.range.0 && i < p.range.1));
    let lines = bytes
        .chunks(16)
        .enumerate()
        .map(|(l, chunk)| {
            let base = l * 16;
            let hex = chunk
                .iter()
                .enumerate()
                .map(|(k, b)| {
                    let i = base + k;
                    view! { <span class="hb" class:hl=move || on(i)>{format!("{b:02x}")}</span> }
                })
                .collect_view();
            let text = chunk
                .iter()
                .enumerate()
                .map(|(k, &b)| {
                    let i = base + k;
                    let c = if b.is_ascii_graphic() || b == b' ' {
                        b as char
                    } else {
                        '.'
                    };
                    view! { <span class="hc" class:hl=move || on(i)>{c.to_string()}</span> }
                })
                .collect_view();
            view! {
                <div class="hex-line">
                    <span class="hex-off">{format!("{base:04x}")}</span>
                    <span class="hex-bytes">{hex}</span>
                    <span class="hex-text">{text}</span>
                </div>
            }
        })
        .collect_view();
    view! { <div class="hex" data-testid="inspector-hex" tabindex="0">{lines}</div> }
}

/// The client/server dialogue of one TCP connection (computed only while
/// open): the selected event's connection, or one picked from the list.
#[component]
fn ConversationView() -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let open = RwSignal::new(false);
    let picked = RwSignal::new(None::<Conn>);
    let model = sim.watch_run(
        move || {
            open.get().then(|| RunQuery::Conversation {
                picked: picked.get(),
                selected: sim.selected_event.get(),
            })
        },
        |a| match a {
            RunAnswer::Conversation {
                conns,
                chosen,
                lines,
            } => Some((conns, chosen, lines)),
            _ => None,
        },
    );
    view! {
        <details
            class="conversation-box"
            data-testid="conversation-details"
            on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                    open.set(d.open());
                }
            }
        >
            <summary><h4>{move || t(Key::Conversation)}</h4></summary>
            {move || model.get().map(|(conns, chosen, lines)| {
                let index_of = |c: &Conn| conns.iter().position(|x| x == c);
                let chosen_at = chosen.as_ref().and_then(index_of);
                let list = conns.clone();
                view! {
                    <label class="conv-pick">
                        <span>{move || t(Key::Connection)}</span>
                        <select
                            data-testid="conversation-conn"
                            on:change=move |ev| {
                                let i = event_target_value(&ev).parse::<usize>().ok();
                                picked.set(i.and_then(|i| list.get(i).copied()));
                            }
                        >
                            {conns
                                .iter()
                                .enumerate()
                                .map(|(i, c)| view! {
                                    <option value=i.to_string() selected=chosen_at == Some(i)>{c.to_string()}</option>
                                })
                                .collect_view()}
                        </select>
                    </label>
                    {if lines.is_empty() {
                        view! { <p class="muted">{move || t(Key::NoConversation)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="conversation" data-testid="conversation">
                                {lines
                                    .into_iter()
                                    .map(|(l, hint)| {
                                        let class = if l.from_client { "conv-line client" } else { "conv-line server" };
                                        // Mail extensions at work get a word of explanation.
                                        let hint = hint
                                            .map(|h| {
                                                view! {
                                                    <span class="conv-hint" data-testid="conversation-hint">
                                                        {move || crate::i18n::conversation_hint(st.lang.get(), &h)}
                                                    </span>
                                                }
                                            });
                                        view! { <div class=class>{l.to_string()}{hint}</div> }
                                    })
                                    .collect_view()}
                            </div>
                        }
                        .into_any()
                    }}
                }
            })}
        </details>
    }
}

/// The layer of the OSI model a decoded header belongs to, as Packet Tracer
/// students count them (ARP at layer 2).
fn osi_layer(p: lanlab_sim::Proto) -> u8 {
    use lanlab_sim::Proto::*;
    match p {
        Ethernet | Arp | Stp => 2,
        Ipv4 | Icmp | Ospf => 3,
        Tcp | Udp => 4,
        Dhcp | Dns | Http | Smtp | Pop3 | Imap | Rip => 7,
    }
}

/// A layer's name as its RFC or standard writes it (IPv4, ICMP, ARP), not
/// the Rust variant's spelling.
fn layer_name(p: lanlab_sim::Proto) -> &'static str {
    match p {
        lanlab_sim::Proto::Ethernet => "Ethernet II",
        other => lanlab_sim::host::filter::proto_label(Some(other)),
    }
}

fn layer_view(l: summary::Layer) -> impl IntoView {
    view! {
        <li>
            <span class="osi">{format!("L{}", osi_layer(l.proto))}</span>
            " "
            <strong>{layer_name(l.proto)}</strong>
            " "
            {l.summary}
        </li>
    }
}
