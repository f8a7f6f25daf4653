//! The trace: every frame on every hop, every drop with its reason, every
//! action, and the handling device's notes.
//!
//! A frame's bytes are stored once (`Rc<[u8]>`) and shared by all its hops;
//! its classification (the innermost protocol, [`summary::innermost`]) is
//! decoded once when the event is recorded, so filters and the event list
//! never decode again; summaries are decoded on demand ([`crate::summary`]).
//! The copies of a flooded frame share one buffer and are recorded one after
//! another, and a switched frame's two hops a few entries apart, so the last
//! few buffers' classifications are kept and reused (recognised by pointer,
//! [`Rc::ptr_eq`]): a broadcast on a 100-port switch is decoded once, not
//! 100 times.

use std::rc::Rc;

use lanlab_proto::SimTime;

use crate::action::Action;
use crate::lab::{DeviceId, LinkEnd, LinkId};
use crate::note::Note;
use crate::summary::{self, Proto};

/// Why a frame was lost.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DropReason {
    /// The port it was sent from has no cable.
    NoCable,
    /// The cable was pulled while the frame was on it.
    Unplugged,
    /// Lost at random on a lossy cable.
    Lost {
        /// The cable's loss rate.
        loss: f32,
    },
    /// The receiving device is switched off.
    PoweredOff,
    /// A port at one end of the cable is shut down (`shutdown`): the link
    /// is down.
    LinkDown,
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DropReason::NoCable => write!(f, "no cable on this port: frame lost"),
            DropReason::Unplugged => write!(f, "the cable was unplugged: frame lost"),
            DropReason::Lost { loss } => {
                write!(f, "lost on the cable (loss rate {:.0}%)", loss * 100.0)
            }
            DropReason::PoweredOff => write!(f, "the device is switched off: frame lost"),
            DropReason::LinkDown => write!(
                f,
                "the link is down (a port on it is shut down): frame lost"
            ),
        }
    }
}

/// What happened.
#[derive(Clone, Debug)]
pub enum TraceKind {
    /// A frame crossed a cable and was handled by the device at `to`.
    Frame {
        /// The cable.
        link: LinkId,
        /// The sending port.
        from: LinkEnd,
        /// The receiving port.
        to: LinkEnd,
        /// The frame's bytes, shared by its hops.
        bytes: Rc<[u8]>,
    },
    /// A frame was lost.
    Dropped {
        /// The port it was leaving from or arriving at.
        at: LinkEnd,
        /// The cable, when there was one.
        link: Option<LinkId>,
        /// The frame.
        bytes: Rc<[u8]>,
        /// Why.
        reason: DropReason,
    },
    /// A frame left through, or came in from, a tap (a port wired to
    /// something outside the simulation, see `Action::Tap`).
    Tapped {
        /// The port.
        at: LinkEnd,
        /// The frame.
        bytes: Rc<[u8]>,
        /// Whether it came in (`true`) or went out.
        inbound: bool,
    },
    /// A user or scripted action was applied.
    Action {
        /// The action.
        action: Box<Action>,
    },
    /// A device's timer fired and it did something worth a note.
    Timer {
        /// The device.
        device: DeviceId,
    },
}

/// A [`TraceKind`] borrowed from its entry ([`TraceEvent::view`]): a hop's
/// ends by value, the bytes, reason and action by reference, so a reader
/// that matches a hop clones nothing.
#[derive(Clone, Copy, Debug)]
pub enum KindView<'a> {
    /// [`TraceKind::Frame`].
    Frame {
        /// The cable.
        link: LinkId,
        /// The sending port.
        from: LinkEnd,
        /// The receiving port.
        to: LinkEnd,
        /// The frame's bytes, shared by its hops.
        bytes: &'a Rc<[u8]>,
    },
    /// [`TraceKind::Dropped`].
    Dropped {
        /// The port it was leaving from or arriving at.
        at: LinkEnd,
        /// The cable, when there was one.
        link: Option<LinkId>,
        /// The frame.
        bytes: &'a Rc<[u8]>,
        /// Why.
        reason: &'a DropReason,
    },
    /// [`TraceKind::Tapped`].
    Tapped {
        /// The port.
        at: LinkEnd,
        /// The frame.
        bytes: &'a Rc<[u8]>,
        /// Whether it came in (`true`) or went out.
        inbound: bool,
    },
    /// [`TraceKind::Action`].
    Action {
        /// The action.
        action: &'a Action,
    },
    /// [`TraceKind::Timer`].
    Timer {
        /// The device.
        device: DeviceId,
    },
}

impl TraceKind {
    /// This kind, borrowed.
    fn view(&self) -> KindView<'_> {
        match self {
            TraceKind::Frame {
                link,
                from,
                to,
                bytes,
            } => KindView::Frame {
                link: *link,
                from: *from,
                to: *to,
                bytes,
            },
            TraceKind::Dropped {
                at,
                link,
                bytes,
                reason,
            } => KindView::Dropped {
                at: *at,
                link: *link,
                bytes,
                reason,
            },
            TraceKind::Tapped { at, bytes, inbound } => KindView::Tapped {
                at: *at,
                bytes,
                inbound: *inbound,
            },
            TraceKind::Action { action } => KindView::Action { action },
            TraceKind::Timer { device } => KindView::Timer { device: *device },
        }
    }
}

/// One entry of the trace.
#[derive(Clone, Debug)]
pub struct TraceEvent {
    /// Number of the engine event that produced it (0-based).
    pub event: u64,
    /// Virtual time.
    pub time: SimTime,
    /// What happened ([`TraceEvent::kind`]).
    kind: Stored,
    /// (chunk, start, len) of its notes.
    notes: (u32, u16, u16),
    /// The frame's innermost decoded protocol, classified when recorded.
    proto: Option<Proto>,
}

/// A [`TraceKind`] as the trace keeps it. Nearly every entry is a hop,
/// whose two [`LinkEnd`]s take 16 bytes each: a hop is packed (an entry is
/// 64 bytes, not 88, over millions of entries), anything else boxed.
#[derive(Clone, Debug)]
enum Stored {
    Hop {
        link: u32,
        from: u32,
        to: u32,
        from_port: u16,
        to_port: u16,
        bytes: Rc<[u8]>,
    },
    Other(Box<TraceKind>),
}

/// A hop's cable, sending and receiving ports, and bytes.
type Hop<'a> = (LinkId, LinkEnd, LinkEnd, &'a Rc<[u8]>);

impl Stored {
    /// A packed hop's cable, ends and bytes, or the boxed kind of anything
    /// else.
    fn unpack(&self) -> Result<Hop<'_>, &TraceKind> {
        let end = |device: u32, port: u16| LinkEnd {
            device: DeviceId(device),
            port: usize::from(port),
        };
        match self {
            Stored::Hop {
                link,
                from,
                to,
                from_port,
                to_port,
                bytes,
            } => Ok((
                LinkId(*link),
                end(*from, *from_port),
                end(*to, *to_port),
                bytes,
            )),
            Stored::Other(kind) => Err(kind),
        }
    }

    fn new(kind: TraceKind) -> Stored {
        if let TraceKind::Frame {
            link,
            from,
            to,
            bytes,
        } = &kind
            && let (Ok(from_port), Ok(to_port)) = (u16::try_from(from.port), u16::try_from(to.port))
        {
            return Stored::Hop {
                link: link.0,
                from: from.device.0,
                to: to.device.0,
                from_port,
                to_port,
                bytes: bytes.clone(),
            };
        }
        Stored::Other(Box::new(kind))
    }
}

impl TraceEvent {
    /// What happened, borrowed: what readers should match (nothing is
    /// cloned); [`TraceEvent::kind`] for an owned copy.
    pub fn view(&self) -> KindView<'_> {
        match self.kind.unpack() {
            Ok((link, from, to, bytes)) => KindView::Frame {
                link,
                from,
                to,
                bytes,
            },
            Err(kind) => kind.view(),
        }
    }

    /// What happened, as an owned copy (an `Rc` clone for a hop, a deep
    /// clone otherwise); readers use [`TraceEvent::view`].
    pub fn kind(&self) -> TraceKind {
        match self.kind.unpack() {
            Ok((link, from, to, bytes)) => TraceKind::Frame {
                link,
                from,
                to,
                bytes: bytes.clone(),
            },
            Err(kind) => kind.clone(),
        }
    }

    /// Whether it is a frame that crossed a cable ([`TraceKind::Frame`]).
    pub fn is_frame(&self) -> bool {
        match &self.kind {
            Stored::Hop { .. } => true,
            Stored::Other(kind) => matches!(**kind, TraceKind::Frame { .. }),
        }
    }

    /// The frame's bytes, for frames and drops.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.kind {
            Stored::Hop { bytes, .. } => Some(bytes),
            Stored::Other(kind) => match &**kind {
                TraceKind::Frame { bytes, .. }
                | TraceKind::Dropped { bytes, .. }
                | TraceKind::Tapped { bytes, .. } => Some(bytes),
                _ => None,
            },
        }
    }

    /// The frame's innermost decoded protocol (`None` for actions and
    /// timers), as [`summary::innermost`] classified it when recorded.
    pub fn proto(&self) -> Option<Proto> {
        self.proto
    }

    /// Whether the frame carries `proto` at some layer (from the stored
    /// classification; nothing is decoded).
    pub fn has_proto(&self, proto: Proto) -> bool {
        self.proto.is_some_and(|p| p.stack().contains(&proto))
    }

    /// The tcpdump-like summary of the frame, or of the action.
    pub fn summary(&self) -> String {
        match self.view() {
            KindView::Frame { bytes, .. } | KindView::Tapped { bytes, .. } => {
                summary::one_line(bytes)
            }
            KindView::Dropped { bytes, reason, .. } => {
                format!("{} [{reason}]", summary::one_line(bytes))
            }
            KindView::Action { action } => action.to_string(),
            KindView::Timer { .. } => "timer".to_string(),
        }
    }
}

/// Entries per storage chunk: the trace grows chunk by chunk, never
/// copying what it already holds.
const CHUNK: usize = 8192;
/// Notes per storage chunk (an entry's notes never straddle two chunks).
const NOTE_CHUNK: usize = 16_384;

/// The recorded run.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    events: Vec<Vec<TraceEvent>>,
    notes: Vec<Vec<Note>>,
    len: usize,
    /// The last frames classified, and their classes (a ring): a flooded
    /// frame's copies share the buffer, and so do a switched frame's two
    /// hops, a few entries apart.
    classes: [Option<Classified>; CLASSES],
    /// Where the next class goes in `classes`.
    next_class: usize,
}

/// Frames whose classification the trace remembers.
const CLASSES: usize = 8;

/// A frame's buffer and its class.
type Classified = (Rc<[u8]>, Option<Proto>);

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Self::default()
    }

    // Inlined in both pushes: a call each costs more than the work.
    #[inline(always)]
    fn store_notes(&mut self, notes: &mut Vec<Note>) -> (u32, u16, u16) {
        // No device says more than a few things about one frame; cap anyway.
        notes.truncate(NOTE_CHUNK);
        let n = notes.len();
        if n == 0 {
            return (0, 0, 0);
        }
        if self.notes.last().is_none_or(|c| c.len() + n > NOTE_CHUNK) {
            self.notes.push(Vec::with_capacity(NOTE_CHUNK));
        }
        let k = self.notes.len() - 1;
        let chunk = &mut self.notes[k];
        let start = chunk.len();
        chunk.append(notes);
        (k as u32, start as u16, n as u16)
    }

    // Inlined in both pushes: a call each costs more than the work.
    #[inline(always)]
    fn store(&mut self, e: TraceEvent) {
        if self.events.last().is_none_or(|c| c.len() == CHUNK) {
            self.events.push(Vec::with_capacity(CHUNK));
        }
        self.events.last_mut().expect("just ensured").push(e);
        self.len += 1;
    }

    pub(crate) fn push(
        &mut self,
        event: u64,
        time: SimTime,
        kind: TraceKind,
        mut notes: Vec<Note>,
    ) {
        self.push_notes(event, time, kind, &mut notes);
    }

    pub(crate) fn push_notes(
        &mut self,
        event: u64,
        time: SimTime,
        kind: TraceKind,
        notes: &mut Vec<Note>,
    ) {
        let notes = self.store_notes(notes);
        let proto = match &kind {
            TraceKind::Frame { bytes, .. }
            | TraceKind::Dropped { bytes, .. }
            | TraceKind::Tapped { bytes, .. } => self.classify(bytes),
            TraceKind::Action { .. } | TraceKind::Timer { .. } => None,
        };
        self.store(TraceEvent {
            event,
            time,
            kind: Stored::new(kind),
            notes,
            proto,
        });
    }

    /// A frame crossing cable `link` from `from` to `to`, recorded as
    /// [`Trace::push_notes`] records a [`TraceKind::Frame`] but packed
    /// straight from its parts (the engine's every hop: no kind built and
    /// taken apart, no extra count on the buffer).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_hop(
        &mut self,
        event: u64,
        time: SimTime,
        link: LinkId,
        from: LinkEnd,
        to: LinkEnd,
        bytes: Rc<[u8]>,
        notes: &mut Vec<Note>,
    ) {
        let (Ok(from_port), Ok(to_port)) = (u16::try_from(from.port), u16::try_from(to.port))
        else {
            let kind = TraceKind::Frame {
                link,
                from,
                to,
                bytes,
            };
            return self.push_notes(event, time, kind, notes);
        };
        let notes = self.store_notes(notes);
        let proto = self.classify(&bytes);
        self.store(TraceEvent {
            event,
            time,
            kind: Stored::Hop {
                link: link.0,
                from: from.device.0,
                to: to.device.0,
                from_port,
                to_port,
                bytes,
            },
            notes,
            proto,
        });
    }

    /// [`summary::innermost`] of `bytes`, decoded once per buffer.
    // Inlined in both pushes: a call each costs more than the work.
    #[inline(always)]
    fn classify(&mut self, bytes: &Rc<[u8]>) -> Option<Proto> {
        // Newest first: the copies of a flood come one after another.
        for k in 0..CLASSES {
            let i = (self.next_class + CLASSES - 1 - k) % CLASSES;
            if let Some((buf, class)) = &self.classes[i]
                && Rc::ptr_eq(buf, bytes)
            {
                return *class;
            }
        }
        let class = summary::innermost(bytes);
        self.classes[self.next_class] = Some((bytes.clone(), class));
        self.next_class = (self.next_class + 1) % CLASSES;
        class
    }

    /// All entries, in order.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + Clone {
        self.events.iter().flatten()
    }

    /// Entry number `i`.
    pub fn get(&self, i: usize) -> Option<&TraceEvent> {
        self.events.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// The notes of one entry.
    pub fn notes(&self, e: &TraceEvent) -> &[Note] {
        let (k, start, n) = e.notes;
        if n == 0 {
            return &[];
        }
        let start = usize::from(start);
        &self.notes[k as usize][start..start + usize::from(n)]
    }

    /// Entries whose frame carries `proto`.
    pub fn filter(&self, proto: Proto) -> impl Iterator<Item = &TraceEvent> {
        self.events().filter(move |e| e.has_proto(proto))
    }

    /// Number of frames delivered (hops).
    pub fn hop_count(&self) -> usize {
        self.events().filter(|e| e.is_frame()).count()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(port: usize) -> TraceKind {
        TraceKind::Frame {
            link: LinkId(7),
            from: LinkEnd {
                device: DeviceId(3),
                port,
            },
            to: LinkEnd {
                device: DeviceId(u32::MAX),
                port: 65_535,
            },
            bytes: Rc::from(&[1u8, 2, 3][..]),
        }
    }

    /// The packed entry gives back the kind it was made from, a port
    /// beyond 16 bits too (boxed then), and stays 64 bytes.
    #[test]
    fn a_packed_entry_gives_back_its_kind() {
        for kind in [
            hop(0),
            hop(65_535),
            hop(65_536),
            TraceKind::Timer {
                device: DeviceId(9),
            },
        ] {
            let mut t = Trace::new();
            t.push(4, SimTime::from_micros(5), kind.clone(), Vec::new());
            let e = t.get(0).expect("one entry");
            assert_eq!(format!("{:?}", e.kind()), format!("{kind:?}"));
            assert_eq!(format!("{:?}", e.view()), format!("{:?}", kind.view()));
            assert_eq!(e.is_frame(), matches!(kind, TraceKind::Frame { .. }));
            assert_eq!(e.bytes().is_some(), e.is_frame());
        }
        assert!(matches!(Stored::new(hop(65_535)), Stored::Hop { .. }));
        // A hop pushed from its parts is the entry push makes of its kind.
        for port in [0, 65_535, 65_536] {
            let (mut a, mut b) = (Trace::new(), Trace::new());
            let TraceKind::Frame {
                link,
                from,
                to,
                bytes,
            } = hop(port)
            else {
                unreachable!()
            };
            let note = || vec![Note::BroadcastIgnored { port: 67 }];
            a.push(1, SimTime::from_micros(2), hop(port), note());
            b.push_hop(
                1,
                SimTime::from_micros(2),
                link,
                from,
                to,
                bytes,
                &mut note(),
            );
            let (x, y) = (a.get(0).expect("one"), b.get(0).expect("one"));
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
            assert_eq!(a.notes(x), b.notes(y));
        }
        assert!(matches!(Stored::new(hop(65_536)), Stored::Other(_)));
        assert!(std::mem::size_of::<TraceEvent>() <= 64);
    }
}
