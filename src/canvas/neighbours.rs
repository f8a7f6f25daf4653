//! The neighbour overlay: with its switch on, each router's RIP and OSPF
//! neighbours are written on the cable of the interface they are on, near
//! the router: for OSPF the adjacency's state and the neighbour's role
//! (`OSPF R2 FULL/DR`), for RIP the routers it learned routes from (`RIP
//! from R2`). The engine's host answers a query for them
//! ([`crate::sim_driver::Sim::neighbours`]) whenever the run moves, so the
//! labels follow it in realtime and step by step in simulation mode.
//!
//! The labels take no pointer events (gestures on the canvas go on as
//! before); each is an image with a spoken name, and a tooltip with the
//! router ids and addresses.

use lanlab_sim::{DeviceId, Lab, Neighbour, Point, RoutingProtocol};
use leptos::prelude::*;

use super::bridge::Gestures;
use crate::i18n::{Key, Lang};
use crate::sim_driver::Sim;
use crate::state::AppState;

/// Width of one character of a label, in canvas units (11 or 12 px monospace).
const CHAR_W: f64 = 7.3;
/// Height of one line of a label.
const LINE_H: f64 = 13.0;

/// One router interface's neighbours, as a label shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PortLabel {
    router: DeviceId,
    port: usize,
    /// The device at the cable's other end (where the label leans to).
    toward: DeviceId,
    /// The router's and the interface's names.
    router_name: String,
    port_name: String,
    lines: Vec<Line>,
}

/// One neighbour on a label.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Line {
    protocol: RoutingProtocol,
    /// The neighbour's device name, else its router id or address.
    name: String,
    /// `FULL/DR`, `2WAY/DROTHER`, `FULL` (OSPF).
    state: Option<String>,
    /// Router id (OSPF) and address, for the tooltip.
    rid: Option<String>,
    addr: String,
    /// `full`, `two-way` or `forming` (OSPF), `rip`.
    class: &'static str,
}

impl Line {
    fn text(&self, lang: Lang) -> String {
        match (&self.protocol, &self.state) {
            (RoutingProtocol::Ospf, Some(s)) => format!("OSPF {} {s}", self.name),
            _ => format!("{} {}", lang.t(Key::NbrRipFrom), self.name),
        }
    }

    fn detail(&self, lang: Lang) -> String {
        match &self.rid {
            Some(rid) => format!(
                "{}: {} {rid}, {} {}",
                self.text(lang),
                lang.t(Key::NbrRouterId),
                lang.t(Key::NbrAddress),
                self.addr
            ),
            None => format!(
                "{}: {} {}",
                self.text(lang),
                lang.t(Key::NbrAddress),
                self.addr
            ),
        }
    }
}

/// The labels for the engine's neighbour list, one per router interface
/// with a cable (a neighbour remembered on an unplugged port has no line
/// to sit on).
fn labels(lab: &Lab, all: &[Neighbour]) -> Vec<PortLabel> {
    let mut out: Vec<PortLabel> = Vec::new();
    for n in all {
        let Some(router) = lab.device(n.router) else {
            continue;
        };
        let toward = lab.links.iter().find_map(|l| {
            if (l.a.device, l.a.port) == (n.router, n.port) {
                Some(l.b.device)
            } else if (l.b.device, l.b.port) == (n.router, n.port) {
                Some(l.a.device)
            } else {
                None
            }
        });
        let Some(toward) = toward else { continue };
        let name = n
            .device
            .and_then(|d| lab.device(d))
            .map(|d| d.name.clone())
            .or_else(|| n.rid.map(|r| r.to_string()))
            .unwrap_or_else(|| n.addr.to_string());
        let state = n.state.as_ref().map(|s| match &n.role {
            Some(r) => format!("{s}/{r}"),
            None => s.clone(),
        });
        let class = match (n.protocol, n.state.as_deref()) {
            (RoutingProtocol::Rip, _) => "rip",
            (_, Some("FULL")) => "full",
            (_, Some("2WAY")) => "two-way",
            _ => "forming",
        };
        let line = Line {
            protocol: n.protocol,
            name,
            state,
            rid: n.rid.map(|r| r.to_string()),
            addr: n.addr.to_string(),
            class,
        };
        match out
            .iter_mut()
            .find(|p| (p.router, p.port) == (n.router, n.port))
        {
            Some(p) => p.lines.push(line),
            None => out.push(PortLabel {
                router: n.router,
                port: n.port,
                toward,
                router_name: router.name.clone(),
                port_name: router
                    .ports
                    .get(n.port)
                    .map(|p| p.name.to_string())
                    .unwrap_or_default(),
                lines: vec![line],
            }),
        }
    }
    out
}

/// Where a label sits: on the cable from `a` toward `b`, past the link
/// light, at most halfway (the other end's label has the other half).
fn anchor(a: Point, b: Point) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let d = (len * 0.3).max(72.0).min(len * 0.5);
    (a.x + dx / len * d, a.y + dy / len * d)
}

/// The switch over the canvas's corner that shows or hides the overlay.
#[component]
pub fn NeighbourToggle(
    /// Whether the overlay is shown.
    on: RwSignal<bool>,
) -> impl IntoView {
    let st = AppState::expect();
    let t = move |k| st.lang.get().t(k);
    view! {
        <div class="view-toggles">
            <button
                data-testid="nbr-toggle"
                aria-pressed=move || on.get().to_string()
                title=move || t(Key::NeighboursHelp)
                on:click=move |_| on.update(|v| *v = !*v)
            >
                {move || t(Key::Neighbours)}
            </button>
        </div>
    }
}

/// A note over the canvas while the overlay is on and no router has a
/// neighbour yet.
#[component]
pub fn NeighbourNote(
    /// Whether the overlay is shown.
    on: RwSignal<bool>,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let none = Memo::new(move |_| on.get() && sim.neighbours().is_empty());
    view! {
        <Show when=move || none.get()>
            <p class="nbr-none" role="status" data-testid="nbr-none">
                {move || st.lang.get().t(Key::NbrNone)}
            </p>
        </Show>
    }
}

/// The labels, inside the canvas's `<svg>`.
#[component]
pub fn NeighbourLayer(
    /// Whether the overlay is shown.
    on: RwSignal<bool>,
) -> impl IntoView {
    let st = AppState::expect();
    let sim = expect_context::<Sim>();
    let model = Memo::new(move |_| {
        if !on.get() {
            return Vec::new();
        }
        let all = sim.neighbours();
        st.lab.with(|l| labels(l, &all))
    });
    view! {
        <g class="nbr-layer" data-testid="nbr-layer">
            <For
                each=move || model.get()
                key=|l| l.clone()
                children=move |l| view! { <NeighbourLabel label=l/> }
            />
        </g>
    }
}

/// One router interface's label.
#[component]
fn NeighbourLabel(label: PortLabel) -> impl IntoView {
    let st = AppState::expect();
    let gestures = Gestures::expect();
    let (router, toward) = (label.router, label.toward);
    let at = move || match (gestures.position(router), gestures.position(toward)) {
        (Some(a), Some(b)) => anchor(a, b),
        _ => (0.0, 0.0),
    };
    let n = label.lines.len();
    let lines = StoredValue::new(label.lines);
    let widest = move || {
        let lang = st.lang.get();
        lines.with_value(|ls| {
            ls.iter()
                .map(|l| l.text(lang).chars().count())
                .max()
                .unwrap_or(0)
        }) as f64
            * CHAR_W
            + 8.0
    };
    let height = n as f64 * LINE_H + 4.0;
    let spoken = {
        let (r, p) = (label.router_name.clone(), label.port_name.clone());
        move || {
            let lang = st.lang.get();
            let said: Vec<String> =
                lines.with_value(|ls| ls.iter().map(|l| l.text(lang)).collect());
            format!("{r} {p}: {}", said.join(", "))
        }
    };
    let title = {
        let (r, p) = (label.router_name.clone(), label.port_name.clone());
        move || {
            let lang = st.lang.get();
            let said: Vec<String> =
                lines.with_value(|ls| ls.iter().map(|l| l.detail(lang)).collect());
            format!("{} {r} {p}\n{}", lang.t(Key::Neighbours), said.join("\n"))
        }
    };
    view! {
        <g
            class="nbr-label"
            data-testid="nbr-label"
            data-router=label.router_name.clone()
            data-port=label.port_name.clone()
            role="img"
            aria-label=spoken
            transform=move || {
                let (x, y) = at();
                format!("translate({x:.1} {y:.1})")
            }
        >
            <title>{title}</title>
            <rect
                class="nbr-box"
                x=move || -widest() / 2.0
                y=-height / 2.0
                width=widest
                height=height
                rx="3"
            />
            {(0..n)
                .map(|k| {
                    let class = lines.with_value(|ls| ls[k].class);
                    view! {
                        <text
                            class=format!("nbr-line {class}")
                            data-testid="nbr-line"
                            x="0"
                            y=-height / 2.0 + 2.0 + LINE_H * (k as f64 + 0.78)
                            text-anchor="middle"
                        >
                            {move || lines.with_value(|ls| ls[k].text(st.lang.get()))}
                        </text>
                    }
                })
                .collect_view()}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_label_sits_past_the_light_and_at_most_halfway() {
        let a = Point::new(0.0, 0.0);
        assert_eq!(anchor(a, Point::new(300.0, 0.0)), (90.0, 0.0));
        assert_eq!(anchor(a, Point::new(0.0, 100.0)), (0.0, 50.0));
        let (x, _) = anchor(a, Point::new(200.0, 0.0));
        assert!((x - 72.0).abs() < 1e-9);
    }
}
