//! Services that run on hosts.

pub mod mail;
