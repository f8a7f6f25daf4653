//! Side panels and lists around the canvas.

pub mod device_panel;
pub mod ip_config;
pub mod terminal;
pub mod topology_list;
