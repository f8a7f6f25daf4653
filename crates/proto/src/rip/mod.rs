//! RIP version 2 (RFC 2453): the wire format ([`wire`]), the sans-IO
//! engine of one router ([`engine`]) and its notes ([`note`]).

pub mod engine;
pub mod note;
pub mod wire;

pub use engine::{Interface, Learned, Path, Rip, Settings, Transmit};
pub use note::Note;
pub use wire::{Command, Entry, GROUP, INFINITY, PORT, Repr};

#[cfg(test)]
mod tests;
