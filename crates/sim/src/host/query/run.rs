//! Queries about the run as a whole, for the simulation views: the event
//! list's rows, the inspected event, a TCP conversation, the timeline and
//! the frames drawn on the canvas.

use serde::{Deserialize, Serialize};

use crate::activity::{Activity, RunMemo, run_checks};
use crate::conversation::{self, Conn, Hint, Line};
use crate::dissect::{self, Field};
use crate::engine::{Engine, NatPair};
use crate::host::filter::{ProtoFilter, event_label, frame_label};
use crate::lab::{DeviceId, LinkEnd};
use crate::summary::{self, Layer};
use crate::trace::{DropReason, KindView, TraceEvent};
use crate::words::{Lang, note_text};

/// Most frames a device is shown sending on because of one event.
const MAX_OUT: usize = 64;

/// What a simulation view asks about the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum RunQuery {
    /// The event list: how many rows the filter shows, and the shown rows
    /// at positions `first..last` among them.
    Rows {
        /// First position wanted.
        first: usize,
        /// One past the last position wanted.
        last: usize,
        /// The protocol filter.
        filter: ProtoFilter,
    },
    /// The event list following the run: the last `count` rows the
    /// filter shows (answered as [`RunAnswer::Rows`]). Unlike
    /// [`RunQuery::Rows`] the question stays the same while the run grows,
    /// so it can ride along with a Step and be answered with it.
    Tail {
        /// How many rows, from the newest back.
        count: usize,
        /// The protocol filter.
        filter: ProtoFilter,
    },
    /// One trace row in full, for the inspector (`None`: the newest).
    Inspect {
        /// The row.
        index: Option<usize>,
        /// The language of the devices' decisions.
        lang: Lang,
    },
    /// The TCP connections that carried data, and one's dialogue: the one
    /// `picked`, else the one row `selected` belongs to, else the newest.
    Conversation {
        /// The connection the user picked.
        picked: Option<Conn>,
        /// The row open in the inspector.
        selected: Option<usize>,
    },
    /// The timeline bar, its span cut into `slots` slots.
    Timeline {
        /// How many slots.
        slots: usize,
        /// The protocol filter.
        filter: ProtoFilter,
    },
    /// The frames drawn on the canvas: row `selected`'s (or the newest's),
    /// and with `flights`, up to `max` frames on cables now.
    Packets {
        /// The row open in the inspector.
        selected: Option<usize>,
        /// Whether to list the frames on cables.
        flights: bool,
        /// Most frames on cables to list.
        max: usize,
    },
    /// Which of the activity's run checks pass now (the page evaluates
    /// the configuration checks over its document itself).
    Checks {
        /// The activity, as the document has it now.
        activity: Box<Activity>,
    },
}

impl Serialize for RunQuery {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        lanlab_doc::tagged::write(self, s, "q", Self::serialize)
    }
}

impl<'de> Deserialize<'de> for RunQuery {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lanlab_doc::tagged::read(d, "q", Self::deserialize)
    }
}

/// The answer to a [`RunQuery`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunAnswer {
    /// [`RunQuery::Rows`].
    Rows {
        /// How many rows the filter shows.
        total: usize,
        /// The rows asked for, in order.
        rows: Vec<EventRow>,
    },
    /// [`RunQuery::Inspect`]: `None` when the trace is empty.
    Inspect {
        /// The row in full.
        event: Option<Box<Inspected>>,
    },
    /// [`RunQuery::Conversation`].
    Conversation {
        /// Every connection that carried data, in order.
        conns: Vec<Conn>,
        /// The one shown.
        chosen: Option<Conn>,
        /// Its dialogue, each line with its explanation if it has one.
        lines: Vec<(Line, Option<Hint>)>,
    },
    /// [`RunQuery::Timeline`].
    Timeline {
        /// Microseconds the bar spans.
        span: u64,
        /// Virtual time now.
        now: u64,
        /// The next device timer (0: none).
        next: u64,
        /// The slots with an event: slot and the protocol of its first.
        ticks: Vec<(usize, String)>,
    },
    /// [`RunQuery::Packets`].
    Packets {
        /// The selected (or newest) row's frame, if it is a frame.
        current: Option<CurrentFrame>,
        /// Frames on cables now.
        flights: Vec<Flight>,
    },
    /// [`RunQuery::Checks`]: per check, whether it is a run check that
    /// passes.
    Checks {
        /// Check by check.
        passed: Vec<bool>,
    },
}

/// One row of the event list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    /// Its position among the shown rows.
    pub pos: usize,
    /// Its index in the trace.
    pub index: usize,
    /// Virtual time, in microseconds.
    pub time: u64,
    /// The device it came from (or where it happened).
    pub from: String,
    /// The device it reached (empty when none).
    pub to: String,
    /// Its protocol's label.
    pub proto: String,
    /// The innermost layer's summary (or the event's).
    pub summary: String,
    /// Why it was lost, if it was.
    pub drop: Option<DropReason>,
    /// `frame`, `drop`, `tap`, `action` or `timer`.
    pub kind: String,
}

/// Where an inspected row happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Place {
    /// A frame from one port to another.
    Hop {
        /// Sending device and port.
        from: String,
        /// Receiving device and port.
        to: String,
    },
    /// A frame lost at a port.
    Dropped {
        /// Device and port.
        at: String,
        /// Why.
        reason: DropReason,
    },
    /// Anything else: where, in words.
    At(String),
}

/// One trace row in full, as the inspector shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspected {
    /// Its index in the trace.
    pub index: usize,
    /// Its virtual time, as the trace prints it.
    pub time: String,
    /// Where it happened.
    pub place: Place,
    /// Its protocol's label.
    pub proto: String,
    /// Each decoded layer, outermost first.
    pub layers: Vec<Layer>,
    /// The devices' decisions, worded in the language asked for.
    pub notes: Vec<String>,
    /// The field tree.
    pub fields: Vec<Field>,
    /// The frame's bytes.
    pub bytes: Vec<u8>,
    /// The device and port the frame went into (empty when none).
    pub into: String,
    /// What that device sent on because of it: where, and the layers.
    pub outs: Vec<(String, Vec<Layer>)>,
    /// For a hop into or out of a translating router: the packet before
    /// and after NAT.
    pub nat: Option<NatPair>,
}

/// The frame of the current row, as the canvas draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentFrame {
    /// Its index in the trace.
    pub index: usize,
    /// Its protocol's label.
    pub proto: String,
    /// Where it comes from (for a frame lost on its cable: the far end).
    pub from: DeviceId,
    /// Where it arrived, or was dropped.
    pub to: DeviceId,
    /// Why it was lost, and whether it was lost on the cable's middle.
    pub drop: Option<(DropReason, bool)>,
}

/// A frame on a cable: the devices it goes between, when it left, and its
/// number among equal ones (its key: an envelope stays put while it flies).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flight {
    /// Sending device.
    pub from: DeviceId,
    /// Receiving device.
    pub to: DeviceId,
    /// Its protocol's label.
    pub proto: String,
    /// When it left, in microseconds.
    pub sent: u64,
    /// Its number among equal frames on the same cable.
    pub nth: usize,
}

impl RunQuery {
    /// Answers the query from `engine`. The engine's host answers
    /// [`RunQuery::Checks`] with the memo it keeps between runs
    /// ([`RunQuery::answer_with`]); here it reads the whole trace.
    pub fn answer(&self, engine: &Engine) -> RunAnswer {
        self.answer_with(engine, &mut RunMemo::new())
    }

    /// [`RunQuery::answer`], bringing `memo` up to date for the activity's
    /// run checks.
    pub fn answer_with(&self, engine: &Engine, memo: &mut RunMemo) -> RunAnswer {
        match self {
            RunQuery::Checks { activity } => RunAnswer::Checks {
                passed: run_checks(activity, engine, memo),
            },
            RunQuery::Rows {
                first,
                last,
                filter,
            } => rows(engine, Want::Range(*first, *last), filter),
            RunQuery::Tail { count, filter } => rows(engine, Want::Tail(*count), filter),
            RunQuery::Inspect { index, lang } => RunAnswer::Inspect {
                event: inspect(engine, *index, *lang).map(Box::new),
            },
            RunQuery::Conversation { picked, selected } => {
                conversation_of(engine, *picked, *selected)
            }
            RunQuery::Timeline { slots, filter } => timeline(engine, *slots, filter),
            RunQuery::Packets {
                selected,
                flights,
                max,
            } => RunAnswer::Packets {
                current: current(engine, *selected),
                flights: if *flights {
                    in_flight(engine, *max)
                } else {
                    Vec::new()
                },
            },
        }
    }
}

fn device_name(engine: &Engine, id: DeviceId) -> String {
    engine
        .lab()
        .device(id)
        .map(|d| d.name.clone())
        .unwrap_or_default()
}

/// Which of the shown rows the event list wants.
#[derive(Clone, Copy)]
enum Want {
    /// Positions `first..last`.
    Range(usize, usize),
    /// The last this many.
    Tail(usize),
}

fn rows(engine: &Engine, want: Want, filter: &ProtoFilter) -> RunAnswer {
    let trace = engine.trace();
    let row = |pos: usize, index: usize, e: &TraceEvent| {
        let name = |end: LinkEnd| device_name(engine, end.device);
        let (from, to, drop, kind) = match &e.view() {
            KindView::Frame { from, to, .. } => (name(*from), name(*to), None, "frame"),
            KindView::Dropped { at, reason, .. } => {
                (name(*at), "✖".to_string(), Some((*reason).clone()), "drop")
            }
            KindView::Tapped { at, .. } => (name(*at), String::new(), None, "tap"),
            KindView::Action { action } => {
                (action.device().to_string(), String::new(), None, "action")
            }
            KindView::Timer { device } => {
                (device_name(engine, *device), String::new(), None, "timer")
            }
        };
        let summary = e
            .bytes()
            .and_then(|b| summary::layers(b).pop())
            .map_or_else(|| e.summary(), |l| l.summary);
        EventRow {
            pos,
            index,
            time: e.time.as_micros(),
            from,
            to,
            proto: event_label(e).to_string(),
            summary,
            drop,
            kind: kind.to_string(),
        }
    };
    if filter.is_empty() {
        let total = trace.len();
        let (first, last) = match want {
            Want::Range(first, last) => (first, last.min(total)),
            Want::Tail(count) => (total.saturating_sub(count), total),
        };
        let rows = (first..last)
            .filter_map(|i| trace.get(i).map(|e| row(i, i, e)))
            .collect();
        return RunAnswer::Rows { total, rows };
    }
    let mut total = 0;
    let mut rows = Vec::new();
    // The tail: the newest shown rows' positions and indices so far.
    let mut tail = std::collections::VecDeque::new();
    for (index, e) in trace.events().enumerate() {
        if !filter.shows_event(e) {
            continue;
        }
        match want {
            Want::Range(first, last) if (first..last).contains(&total) => {
                rows.push(row(total, index, e));
            }
            Want::Range(..) => {}
            Want::Tail(count) => {
                if tail.len() == count {
                    tail.pop_front();
                }
                if count > 0 {
                    tail.push_back((total, index));
                }
            }
        }
        total += 1;
    }
    rows.extend(
        tail.into_iter()
            .filter_map(|(pos, index)| trace.get(index).map(|e| row(pos, index, e))),
    );
    RunAnswer::Rows { total, rows }
}

fn newest_or(engine: &Engine, index: Option<usize>) -> Option<usize> {
    let len = engine.trace().len();
    index.filter(|&i| i < len).or_else(|| len.checked_sub(1))
}

fn inspect(engine: &Engine, index: Option<usize>, lang: Lang) -> Option<Inspected> {
    let trace = engine.trace();
    let index = newest_or(engine, index)?;
    let ev = trace.get(index)?;
    let lab = engine.lab();
    let place = match &ev.view() {
        KindView::Frame { from, to, .. } => Place::Hop {
            from: lab.end_label(*from),
            to: lab.end_label(*to),
        },
        KindView::Dropped { at, reason, .. } => Place::Dropped {
            at: lab.end_label(*at),
            reason: (*reason).clone(),
        },
        KindView::Tapped { at, .. } => Place::At(lab.end_label(*at)),
        KindView::Action { action } => Place::At(action.to_string()),
        KindView::Timer { device } => Place::At(device_name(engine, *device)),
    };
    let bytes = ev.bytes().map(<[u8]>::to_vec).unwrap_or_default();
    Some(Inspected {
        index,
        time: format!("{}", ev.time),
        place,
        proto: event_label(ev).to_string(),
        layers: ev.bytes().map(summary::layers).unwrap_or_default(),
        notes: trace.notes(ev).iter().map(|n| note_text(lang, n)).collect(),
        fields: dissect::dissect(&bytes),
        bytes,
        into: match &ev.view() {
            KindView::Frame { to, .. } => lab.end_label(*to),
            _ => String::new(),
        },
        outs: frames_out(engine, index),
        nat: engine.nat_pair(index),
    })
}

/// What the device that handled trace row `index` sent on because of it:
/// each frame's outgoing port → the next device, and its layers. Frames
/// already delivered are found later in the trace (sent at this row's
/// time by this device), frames still on a cable in the engine's queue.
fn frames_out(engine: &Engine, index: usize) -> Vec<(String, Vec<Layer>)> {
    let trace = engine.trace();
    let Some(ev) = trace.get(index) else {
        return Vec::new();
    };
    let KindView::Frame { to: at, .. } = &ev.view() else {
        return Vec::new();
    };
    let lab = engine.lab();
    let latency = |link| {
        lab.links
            .iter()
            .find(|l| l.id == link)
            .map_or(0, |l| l.latency_us)
    };
    let max_latency = lab.links.iter().map(|l| l.latency_us).max().unwrap_or(0);
    let sent_at = ev.time.as_micros();
    let mut out = Vec::new();
    let mut j = index + 1;
    while let Some(next) = trace.get(j) {
        if next.time.as_micros() > sent_at + max_latency || out.len() >= MAX_OUT {
            break;
        }
        match &next.view() {
            KindView::Frame {
                link,
                from,
                to,
                bytes,
                ..
            } if from.device == at.device
                && next.time.as_micros().saturating_sub(latency(*link)) == sent_at =>
            {
                out.push((
                    format!("{} → {}", lab.end_label(*from), lab.end_label(*to)),
                    summary::layers(bytes),
                ));
            }
            KindView::Dropped { at: d, bytes, .. }
                if next.event == ev.event && d.device == at.device =>
            {
                out.push((format!("{} ✖", lab.end_label(*d)), summary::layers(bytes)));
            }
            _ => {}
        }
        j += 1;
    }
    for f in engine.in_flight() {
        if f.from.device == at.device && f.sent == ev.time && out.len() < MAX_OUT {
            out.push((
                format!("{} → {}", lab.end_label(f.from), lab.end_label(f.to)),
                summary::layers(&f.bytes),
            ));
        }
    }
    out
}

fn conversation_of(engine: &Engine, picked: Option<Conn>, selected: Option<usize>) -> RunAnswer {
    let trace = engine.trace();
    let conns = conversation::connections(trace);
    let of_event = selected
        .and_then(|i| trace.get(i))
        .and_then(TraceEvent::bytes)
        .and_then(conversation::conn_of)
        .filter(|c| conns.contains(c));
    let chosen = picked
        .filter(|c| conns.contains(c))
        .or(of_event)
        .or_else(|| conns.last().copied());
    let lines = chosen
        .map(|c| {
            conversation::conversation(trace, &c)
                .into_iter()
                .map(|l| {
                    let hint = conversation::hint(&c, &l);
                    (l, hint)
                })
                .collect()
        })
        .unwrap_or_default();
    RunAnswer::Conversation {
        conns,
        chosen,
        lines,
    }
}

fn timeline(engine: &Engine, slots: usize, filter: &ProtoFilter) -> RunAnswer {
    let slots = slots.max(1);
    let now = engine.now().as_micros();
    let last = engine
        .trace()
        .events()
        .next_back()
        .map_or(0, |ev| ev.time.as_micros());
    let next = engine.next_timer().map_or(0, |t| t.as_micros());
    let span = now.max(last).max(next).max(1_000) * 21 / 20;
    let mut first: Vec<Option<&'static str>> = vec![None; slots];
    for ev in engine.trace().events() {
        if !filter.shows_event(ev) {
            continue;
        }
        let k =
            ((ev.time.as_micros() as u128 * slots as u128 / span as u128) as usize).min(slots - 1);
        first[k].get_or_insert(event_label(ev));
    }
    RunAnswer::Timeline {
        span,
        now,
        next,
        ticks: first
            .into_iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p.to_string())))
            .collect(),
    }
}

fn current(engine: &Engine, selected: Option<usize>) -> Option<CurrentFrame> {
    let index = newest_or(engine, selected)?;
    let ev = engine.trace().get(index)?;
    let proto = event_label(ev).to_string();
    match &ev.view() {
        KindView::Frame { from, to, .. } => Some(CurrentFrame {
            index,
            proto,
            from: from.device,
            to: to.device,
            drop: None,
        }),
        KindView::Dropped {
            at, link, reason, ..
        } => {
            // Lost on the cable or pulled out: drawn on the cable.
            let other = link.and_then(|l| engine.lab().links.iter().find(|k| k.id == l));
            let on_cable = matches!(reason, DropReason::Lost { .. } | DropReason::Unplugged);
            let from = match other {
                Some(k) if on_cable => {
                    if k.a.device == at.device {
                        k.b.device
                    } else {
                        k.a.device
                    }
                }
                _ => at.device,
            };
            Some(CurrentFrame {
                index,
                proto,
                from,
                to: at.device,
                drop: Some(((*reason).clone(), on_cable && from != at.device)),
            })
        }
        _ => None,
    }
}

fn in_flight(engine: &Engine, max: usize) -> Vec<Flight> {
    engine
        .in_flight()
        .into_iter()
        .take(max)
        .fold(Vec::new(), |mut out: Vec<Flight>, f| {
            let mut flight = Flight {
                from: f.from.device,
                to: f.to.device,
                proto: frame_label(&f.bytes).to_string(),
                sent: f.sent.as_micros(),
                nth: 0,
            };
            // Equal frames on one cable at once get their own keys.
            flight.nth = out
                .iter()
                .filter(|g| {
                    (g.from, g.to, g.sent, &g.proto)
                        == (flight.from, flight.to, flight.sent, &flight.proto)
                })
                .count();
            out.push(flight);
            out
        })
}

#[cfg(test)]
mod tests;
