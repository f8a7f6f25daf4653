//! A router's live NAT table (on its Services tab): the translations the
//! running engine holds (`DeviceQuery::NatTable`), in the columns of `show ip
//! nat translations`, with the time each has left. Shown only where NAT is
//! configured.

use lanlab_sim::DeviceId;
use lanlab_sim::host::query::{DeviceAnswer, DeviceQuery};
use leptos::prelude::*;

use crate::i18n::Key;
use crate::sim_driver::Sim;
use crate::state::AppState;

/// `1:05:00`-style time left (IOS's `hh:mm:ss`).
fn left(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The live NAT table of a router.
#[component]
pub fn NatLive(
    /// The router.
    id: DeviceId,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let t = move |k| st.lang.get().t(k);
    let rows = sim.watch_device(
        move || {
            Some(
                st.lab
                    .with(|l| l.device(id).map(|d| d.name.clone()))
                    .unwrap_or_default(),
            )
        },
        DeviceQuery::NatTable,
        |a| match a {
            DeviceAnswer::NatTable { rows } => rows,
            _ => None,
        },
    );
    move || {
        rows.get().map(|rows| {
            let body = if rows.is_empty() {
                view! { <p class="muted" data-testid="nat-none">{move || t(Key::NatNone)}</p> }
                    .into_any()
            } else {
                view! {
                    <table class="live-table" data-testid="nat-table">
                        <thead>
                            <tr>
                                <th>{move || t(Key::NatPro)}</th>
                                <th>{move || t(Key::NatInsideGlobal)}</th>
                                <th>{move || t(Key::NatInsideLocal)}</th>
                                <th>{move || t(Key::NatOutside)}</th>
                                <th>{move || t(Key::NatLeft)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| {
                                    let life = r.left_s;
                                    view! {
                                        <tr data-testid="nat-row">
                                            <td>{r.protocol}</td>
                                            <td>{r.inside_global}</td>
                                            <td>{r.inside_local}</td>
                                            <td>{r.outside}</td>
                                            <td>
                                                {move || match life {
                                                    Some(s) => left(s),
                                                    None => t(Key::NatStatic).to_string(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            };
            view! {
                <section class="svc-form" data-testid="nat-live">
                    <h4>{move || t(Key::NatTranslations)}</h4>
                    {body}
                </section>
            }
        })
    }
}
