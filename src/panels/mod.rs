//! Side panels and lists around the canvas.

pub mod browser;
pub mod console;
pub mod device_panel;
pub mod firewall;
pub mod ip_config;
pub mod mail_client;
pub mod nat_live;
pub mod port_state;
pub mod router;
pub mod services;
pub mod session;
pub mod terminal;
pub mod topology_list;
