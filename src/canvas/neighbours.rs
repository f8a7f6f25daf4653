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

/// A box on the canvas: centre x, centre y, width, height.
type Rect = (f64, f64, f64, f64);

/// How much two boxes overlap (area), with a little air between them.
fn overlap(a: Rect, b: Rect) -> f64 {
    let w = (a.2 + b.2) / 2.0 + 3.0 - (a.0 - b.0).abs();
    let h = (a.3 + b.3) / 2.0 + 3.0 - (a.1 - b.1).abs();
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// Where each label sits: on its cable, from its router toward the other
/// end, past the link light; of the places along the cable tried, the
/// first that covers no device (icon and name) and no label placed
/// before, else the one covering least. `cables` are (router, other end,
/// label width, label height); `devices` the devices' positions.
fn place(cables: &[(Point, Point, f64, f64)], devices: &[Point]) -> Vec<(f64, f64)> {
    let mut taken: Vec<Rect> = devices
        .iter()
        .map(|p| (p.x, p.y + 14.0, 70.0, 92.0))
        .collect();
    let mut out = Vec::new();
    for &(a, b, w, h) in cables {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let mut best = (f64::MAX, (a.x, a.y));
        for t in [0.3, 0.4, 0.5, 0.22, 0.6, 0.15, 0.7] {
            let d = (len * t).max(56.0).min(len * 0.75);
            let at = (a.x + dx / len * d, a.y + dy / len * d);
            let cost: f64 = taken.iter().map(|&r| overlap((at.0, at.1, w, h), r)).sum();
            if cost < best.0 {
                best = (cost, at);
            }
            if cost == 0.0 {
                break;
            }
        }
        taken.push((best.1.0, best.1.1, w, h));
        out.push(best.1);
    }
    out
}

/// A label's size: (width, height).
fn size(label: &PortLabel, lang: Lang) -> (f64, f64) {
    let widest = label
        .lines
        .iter()
        .map(|l| l.text(lang).chars().count())
        .max()
        .unwrap_or(0);
    (
        widest as f64 * CHAR_W + 8.0,
        label.lines.len() as f64 * LINE_H + 4.0,
    )
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
    let all = sim.watch_neighbours(move || on.get());
    let none = Memo::new(move |_| on.get() && all.with(|a| a.as_ref().is_some_and(Vec::is_empty)));
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
    let all = sim.watch_neighbours(move || on.get());
    let model = Memo::new(move |_| {
        if !on.get() {
            return Vec::new();
        }
        all.with(|all| {
            st.lab
                .with(|l| labels(l, all.as_deref().unwrap_or_default()))
        })
    });
    let gestures = Gestures::expect();
    // Where each (router, port) label sits, away from devices and each other.
    let placed = Memo::new(move |_| {
        let lang = st.lang.get();
        let devices: Vec<Point> = st.lab.with(|l| {
            l.devices
                .iter()
                .filter_map(|d| gestures.position(d.id))
                .collect()
        });
        model.with(|ls| {
            let cables: Vec<(Point, Point, f64, f64)> = ls
                .iter()
                .map(|l| {
                    let a = gestures.position(l.router).unwrap_or_default();
                    let b = gestures.position(l.toward).unwrap_or_default();
                    let (w, h) = size(l, lang);
                    (a, b, w, h)
                })
                .collect();
            let at = place(&cables, &devices);
            ls.iter()
                .zip(at)
                .map(|(l, p)| ((l.router, l.port), p))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="nbr-layer" data-testid="nbr-layer">
            <For
                each=move || model.get()
                key=|l| l.clone()
                children=move |l| {
                    let key = (l.router, l.port);
                    let at = Signal::derive(move || {
                        placed.with(|p| {
                            p.iter().find(|(k, _)| *k == key).map_or((0.0, 0.0), |(_, at)| *at)
                        })
                    });
                    view! { <NeighbourLabel label=l at/> }
                }
            />
        </g>
    }
}

/// One router interface's label.
#[component]
fn NeighbourLabel(label: PortLabel, at: Signal<(f64, f64)>) -> impl IntoView {
    let st = AppState::expect();
    let n = label.lines.len();
    let widest = {
        let label = StoredValue::new(label.clone());
        move || label.with_value(|l| size(l, st.lang.get()).0)
    };
    let height = n as f64 * LINE_H + 4.0;
    let lines = StoredValue::new(label.lines);
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
                let (x, y) = at.get();
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
    fn labels_keep_off_devices_and_each_other() {
        let (a, b) = (Point::new(0.0, 0.0), Point::new(300.0, 0.0));
        // Alone: 30 % along the cable.
        assert_eq!(place(&[(a, b, 100.0, 20.0)], &[a, b]), vec![(90.0, 0.0)]);
        // Two labels leaving `a` the same way: the second one moves on.
        let two = place(&[(a, b, 100.0, 20.0), (a, b, 100.0, 20.0)], &[a, b]);
        assert_eq!(two[0], (90.0, 0.0));
        assert!(two[1].0 >= 190.0, "{two:?}");
        // A device in the way pushes the label further along.
        let c = Point::new(90.0, 0.0);
        let moved = place(&[(a, b, 60.0, 20.0)], &[a, b, c]);
        assert!(
            overlap(
                (moved[0].0, moved[0].1, 60.0, 20.0),
                (c.x, c.y + 14.0, 70.0, 92.0)
            ) == 0.0
        );
    }
}
