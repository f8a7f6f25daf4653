//! lanlab-proto: sans-IO protocol engines and wire formats.
//!
//! Every engine here is a value: it owns no socket, reads no clock and draws no
//! random number. Time ([`time::SimTime`]) and randomness (seeds, initial
//! sequence numbers) are passed in, so the simulator, the native bridge and the
//! tests all drive the same code and every run replays exactly.
#![forbid(unsafe_code)]

pub mod dhcp;
pub mod dns;
pub mod fields;
pub mod firewall;
pub mod http;
pub mod imap;
pub mod mail;
pub mod nat;
pub mod net;
pub mod order;
pub mod ospf;
pub mod pop3;
pub mod rip;
pub mod smtp;
pub mod stp;
pub mod stream;
pub mod tagged;
pub mod tcp;
pub mod telnet;
pub mod time;

pub use stream::StreamServer;
pub use time::SimTime;
