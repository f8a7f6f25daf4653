//! Scenario tests: servers, clients and relays on a virtual LAN, read like a
//! transcript of the wire (SCENARIOS.md S3).

mod check;
mod fuzz;
mod lan;
mod scenarios;
