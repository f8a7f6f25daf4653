//! Side panels and lists around the canvas.

pub mod device_panel;
pub mod topology_list;
