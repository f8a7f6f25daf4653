//! What the gesture machine asks of the app ([`Scene`]) and what it tells
//! the app to do ([`Output`]).

use lanlab_sim::{DeviceId, Point};

use crate::state::{Command, Selection, Status, Tool};

/// What the machine needs to know about the document and the session.
pub trait Scene {
    /// The active tool.
    fn tool(&self) -> Tool;
    /// The selected devices (one, several or none).
    fn selected(&self) -> Vec<DeviceId>;
    /// Where a device is in the document.
    fn position(&self, id: DeviceId) -> Option<Point>;
    /// Every device and where it is.
    fn devices(&self) -> Vec<(DeviceId, Point)>;
    /// Whether a device exists and has no free port left.
    fn is_full(&self, id: DeviceId) -> bool;
    /// Whether the cable tool asks which ports to use.
    fn choose_ports(&self) -> bool;
    /// Client pixels to canvas units, also outside the canvas.
    fn to_canvas(&self, client: (f64, f64)) -> Option<Point>;
    /// Client pixels to canvas units, `None` outside the canvas.
    fn to_canvas_inside(&self, client: (f64, f64)) -> Option<Point>;
}

/// What the component must do after an event.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Call `preventDefault()` on the event.
    PreventDefault,
    /// Call `stopPropagation()` on the event.
    StopPropagation,
    /// Capture this pointer on the canvas.
    Capture(i32),
    /// These devices start moving with the pointer (preview only).
    DragStart(Vec<DeviceId>),
    /// The moving devices are this far from where they were (canvas units).
    DragDelta(Point),
    /// No device is moving any more.
    DragEnd,
    /// Show (or hide) the selection box, corner to corner in canvas units.
    Band(Option<(Point, Point)>),
    /// Send a command to `dispatch`.
    Dispatch(Command),
    /// Cable two devices; on success select the second.
    Connect {
        /// The first device.
        a: DeviceId,
        /// The second device.
        b: DeviceId,
    },
    /// Select one thing or nothing.
    SelectOnly(Option<Selection>),
    /// Select these devices.
    SelectDevices(Vec<DeviceId>),
    /// Switch tools.
    SetTool(Tool),
    /// Set the status bar.
    Status(Option<Status>),
    /// Say that this device has no free port.
    NoFreePort(DeviceId),
    /// Open (or close) the port chooser for two devices.
    PortPick(Option<(DeviceId, DeviceId)>),
    /// Start (or stop) renaming a device on the canvas.
    Rename(Option<DeviceId>),
    /// Open a device's menu at client pixels (rename, delete, ports,
    /// power), or close it.
    DeviceMenu(Option<(DeviceId, (f64, f64))>),
    /// Pan the view by client pixels.
    PanBy {
        /// Rightwards.
        dx: f64,
        /// Downwards.
        dy: f64,
    },
    /// Zoom by `factor` keeping the point under client (`x`, `y`) still.
    ZoomAt {
        /// Client x.
        x: f64,
        /// Client y.
        y: f64,
        /// Scale factor.
        factor: f64,
    },
}
