//! The topology as text: every device with its cables, for screen readers and
//! for anyone who prefers a list to a picture.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::AppState;

/// A collapsible text list of devices and cables.
#[component]
pub fn TopologyList() -> impl IntoView {
    let st = AppState::expect();
    let rows = move || {
        st.lab.with(|l| {
            l.devices
                .iter()
                .map(|d| {
                    let links = l
                        .links_of(d.id)
                        .filter_map(|link| {
                            let mine = if link.a.device == d.id {
                                link.a
                            } else {
                                link.b
                            };
                            let other = link.other_end(d.id)?;
                            Some(format!("{} → {}", l.end_label(mine), l.end_label(other)))
                        })
                        .collect::<Vec<_>>();
                    (d.name.clone(), st.lang.get().kind_name(d.kind), links)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <details class="topology-list" data-testid="topology-list">
            <summary>{move || st.lang.get().t(Key::Topology)}</summary>
            <ul>
                {move || {
                    rows()
                        .into_iter()
                        .map(|(name, kind, links)| {
                            view! {
                                <li>
                                    <strong>{name}</strong>
                                    " (" {kind} ")"
                                    <ul>
                                        {links.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                                    </ul>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}
