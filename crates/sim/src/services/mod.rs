//! Services and applications on the simulated hosts: the framework apps run
//! in ([`app`]), the one TCP app that hosts every stream server
//! ([`stream_app`], over the session table of [`stream`]), and the apps
//! themselves — DHCP server, DNS server, web server ([`http`]), browser,
//! `nslookup`, e-mail server and mail client ([`mail`]).
//!
//! The protocol engines live in `lanlab_proto` and each device's service
//! configuration in the document (`lanlab_doc::services`, re-exported
//! here); this module only wires them to the host's sockets, clock and
//! trace.

pub mod app;
pub mod browser;
pub mod dhcp;
pub mod dns;
pub mod http;
pub mod mail;
pub mod resolve;
pub mod stream;
pub mod stream_app;

pub use lanlab_doc::services::{
    DhcpService, DnsService, HttpService, MailClientAccount, MailService, MailUser, Recursion,
    RelayHelper, Services,
};
