//! The events the gesture machine takes, in DOM terms but without the DOM.

use lanlab_sim::DeviceId;

/// What kind of pointer it is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PointerKind {
    /// A mouse.
    Mouse,
    /// A pen.
    Pen,
    /// A finger.
    Touch,
}

impl PointerKind {
    /// From a DOM `pointerType`.
    pub fn from_dom(name: &str) -> Self {
        match name {
            "touch" => PointerKind::Touch,
            "pen" => PointerKind::Pen,
            _ => PointerKind::Mouse,
        }
    }
}

/// Which button was pressed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Button {
    /// The main button (left, a finger, the pen tip).
    Primary,
    /// The middle button (or wheel press): pans.
    Middle,
    /// Any other button: ignored.
    Other,
}

impl Button {
    /// From a DOM `button` number.
    pub fn from_dom(button: i16) -> Self {
        match button {
            0 => Button::Primary,
            1 => Button::Middle,
            _ => Button::Other,
        }
    }
}

/// What the pointer is over when it goes down.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Empty canvas (or anything else that is not a device or a cable).
    Background,
    /// A device.
    Device(DeviceId),
    /// A cable.
    Link,
}

/// One pointer event, in client pixels.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Pointer {
    /// The DOM pointer id.
    pub id: i32,
    /// Mouse, pen or touch.
    pub kind: PointerKind,
    /// The button (meaningful on pointer-down).
    pub button: Button,
    /// Where, in client pixels.
    pub client: (f64, f64),
    /// Shift held.
    pub shift: bool,
    /// What is under the pointer (meaningful on pointer-down).
    pub target: Target,
    /// When, in milliseconds (for double taps).
    pub time: f64,
}

/// One key press (or release) that reached the window.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPress {
    /// The DOM `key` value (`"Escape"`, `"ArrowLeft"`, `" "`, …).
    pub key: String,
    /// Shift held.
    pub shift: bool,
    /// Ctrl or ⌘ held.
    pub ctrl: bool,
    /// Focus is in a text field: the canvas leaves the key alone.
    pub typing: bool,
    /// The device that has keyboard focus, if any.
    pub focused: Option<DeviceId>,
}
