//! One cable on the canvas: a line between two devices, with a link light
//! at each end.

use lanlab_sim::host::message::TickState;
use lanlab_sim::{DeviceId, LinkId, Point};
use leptos::ev;
use leptos::prelude::*;

use super::bridge::Gestures;
use crate::i18n::Key;
use crate::state::AppState;

/// What the engine knows about cables: the devices it runs switched off,
/// the switch ports spanning tree keeps from forwarding, and each
/// inter-switch port's spanning tree role and state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineLinks {
    /// Devices the engine runs switched off.
    pub off: Vec<DeviceId>,
    /// Switch ports (device, port index) spanning tree keeps from forwarding.
    pub blocked: Vec<(DeviceId, usize)>,
    /// Spanning tree role and state of switch ports that face another
    /// switch, as IOS abbreviates them (`Altn BLK`), shown on hover.
    pub stp: Vec<((DeviceId, usize), String)>,
}

impl EngineLinks {
    /// What the engine's pushed state says about cables.
    pub fn of(s: &TickState) -> Self {
        EngineLinks {
            off: s.off.clone(),
            blocked: s.blocked.clone(),
            stp: s.stp.clone(),
        }
    }

    /// Whether this is what `s` says (compared without copying `s`).
    pub fn shows(&self, s: &TickState) -> bool {
        self.off == s.off && self.blocked == s.blocked && self.stp == s.stp
    }
}

/// What the light at one end of a cable shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LightState {
    Up,
    Down,
    /// The switch port at this end is not forwarding (spanning tree).
    Blocked,
}

impl LightState {
    fn name(self) -> &'static str {
        match self {
            LightState::Up => "up",
            LightState::Down => "down",
            LightState::Blocked => "blocked",
        }
    }

    fn key(self) -> Key {
        match self {
            LightState::Up => Key::LinkUp,
            LightState::Down => Key::LinkDown,
            LightState::Blocked => Key::LinkBlocked,
        }
    }
}

/// Where a cable's light sits: where the cable leaves the box of the
/// device at `a` (icon, and the labels below), or at `b`.
fn light_at(a: Point, b: Point, from_a: bool) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let out = |ux: f64, uy: f64| {
        let hy = if uy > 0.0 { 60.0 } else { 28.0 };
        let tx = if ux.abs() > 1e-6 {
            32.0 / ux.abs()
        } else {
            f64::MAX
        };
        let ty = if uy.abs() > 1e-6 {
            hy / uy.abs()
        } else {
            f64::MAX
        };
        (tx.min(ty) + 6.0).min(len * 0.45)
    };
    if from_a {
        let t = out(ux, uy);
        (a.x + ux * t, a.y + uy * t)
    } else {
        let t = out(-ux, -uy);
        (b.x - ux * t, b.y - uy * t)
    }
}

/// A cable between two devices; a click selects it (select tool).
#[component]
pub fn Cable(
    /// The cable shown.
    id: LinkId,
    /// The engine's view of devices and switch ports, shared by all cables.
    engine: RwSignal<EngineLinks>,
    /// Drawn in the layer a drag lifts above the canvas: the line runs
    /// from light to light, so it does not cross the devices at rest (it
    /// is drawn above them there), and looks as it does in the canvas,
    /// where the devices' icons and labels cover its ends.
    #[prop(optional)]
    lifted: bool,
) -> impl IntoView {
    let st = AppState::expect();
    let gestures = Gestures::expect();
    let ports = st.lab.with_untracked(|l| l.link(id).map(|k| (k.a, k.b)));
    // The cable's own signals (`looks`), not the whole document.
    let slot = gestures.looks.link(id);
    let ends = Memo::new(move |_| {
        slot.look.with(|l| {
            l.as_ref()
                .map(|l| (l.a, l.b, l.names.0.clone(), l.names.1.clone(), l.up))
        })
    });
    let coords = Memo::new(move |_| {
        let (a, b, ..) = ends.get()?;
        Some((gestures.position(a)?, gestures.position(b)?))
    });
    let line = Memo::new(move |_| {
        let (a, b) = coords.get()?;
        Some(if lifted {
            let (pa, pb) = (light_at(a, b, true), light_at(a, b, false));
            (Point::new(pa.0, pa.1), Point::new(pb.0, pb.1))
        } else {
            (a, b)
        })
    });
    let c = move |f: fn(&(Point, Point)) -> f64| {
        move || line.with(|p| p.as_ref().map(f).unwrap_or(0.0))
    };
    // Up: both ends switched on and not shut down, in the document and in
    // the engine.
    let up = Memo::new(move |_| {
        ends.with(|e| e.as_ref().is_some_and(|e| e.4))
            && engine.with(|en| {
                ends.with(|e| {
                    e.as_ref()
                        .is_none_or(|e| !en.off.contains(&e.0) && !en.off.contains(&e.1))
                })
            })
    });
    let selected = move || slot.selected.get();
    let light_view = move |from_a: bool| {
        let at = move || coords.with(|p| p.map(|(a, b)| light_at(a, b, from_a)));
        let end = ports.map(|(a, b)| if from_a { a } else { b });
        let state = Memo::new(move |_| {
            if !up.get() {
                LightState::Down
            } else if engine
                .with(|en| end.is_some_and(|e| en.blocked.contains(&(e.device, e.port))))
            {
                LightState::Blocked
            } else {
                LightState::Up
            }
        });
        view! {
            <circle
                class="link-light"
                class:up=move || state.get() == LightState::Up
                class:blocked=move || state.get() == LightState::Blocked
                data-testid="link-light"
                data-state=move || state.get().name()
                r="4.5"
                cx=move || at().map(|p| p.0).unwrap_or(0.0)
                cy=move || at().map(|p| p.1).unwrap_or(0.0)
            >
                <title>
                    {move || {
                        let t = st.lang.get().t(state.get().key()).to_string();
                        let role = engine
                            .with(|en| {
                                end.and_then(|e| {
                                    en.stp
                                        .iter()
                                        .find(|(k, _)| *k == (e.device, e.port))
                                        .map(|(_, r)| r.clone())
                                })
                            });
                        match role {
                            Some(r) => format!("{t} (STP: {r})"),
                            None => t,
                        }
                    }}
                </title>
            </circle>
        }
    };
    view! {
        <g
            class="link"
            class:selected=selected
            class:down=move || !up.get()
            data-testid=format!("link-{}", id.0)
            data-ends=move || ends.get().map(|(_, _, a, b, _)| format!("{a}|{b}")).unwrap_or_default()
            on:click=move |ev: ev::MouseEvent| {
                gestures.feed(Some(ev.as_ref()), |m, s| m.link_click(id, s));
            }
        >
            <line class="link-hit" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
            <line class="link-line" x1=c(|p| p.0.x) y1=c(|p| p.0.y) x2=c(|p| p.1.x) y2=c(|p| p.1.y)/>
            {light_view(true)}
            {light_view(false)}
        </g>
    }
}
