//! Telnet's command layer (RFC 854): the byte values of its commands and
//! of the options lanlab speaks (ECHO, RFC 857; SUPPRESS-GO-AHEAD,
//! RFC 858), and a sans-IO reader that splits a byte stream into data and
//! option commands. Both ends use it: the router's vty server and a PC's
//! `telnet` client; each decides its own answers.

/// Interpret As Command: every telnet command starts with it.
pub const IAC: u8 = 255;
/// The sender asks the receiver not to use an option.
pub const DONT: u8 = 254;
/// The sender asks the receiver to use an option.
pub const DO: u8 = 253;
/// The sender will not use an option.
pub const WONT: u8 = 252;
/// The sender offers to use an option.
pub const WILL: u8 = 251;
/// Start of a sub-negotiation.
pub const SB: u8 = 250;
/// End of a sub-negotiation.
pub const SE: u8 = 240;
/// Option ECHO (RFC 857).
pub const ECHO: u8 = 1;
/// Option SUPPRESS-GO-AHEAD (RFC 858).
pub const SGA: u8 = 3;

/// What one byte of the stream turned out to be.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A data byte (`IAC IAC` is the data byte 255).
    Data(u8),
    /// An option command: `WILL`, `WONT`, `DO` or `DONT`, and the option.
    Option(u8, u8),
}

/// Where the reader is in RFC 854's command structure.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Reader(State);

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    Data,
    /// After IAC.
    Command,
    /// After IAC WILL/WONT/DO/DONT: the option byte comes next.
    Option(u8),
    /// Inside IAC SB … IAC SE (skipped).
    Sub,
    /// IAC inside a sub-negotiation.
    SubCommand,
}

impl Reader {
    /// Reads one byte; other commands and sub-negotiations give nothing.
    pub fn push(&mut self, b: u8) -> Option<Event> {
        let (next, event) = match self.0 {
            State::Data if b == IAC => (State::Command, None),
            State::Data => (State::Data, Some(Event::Data(b))),
            State::Command => match b {
                IAC => (State::Data, Some(Event::Data(IAC))),
                WILL | WONT | DO | DONT => (State::Option(b), None),
                SB => (State::Sub, None),
                _ => (State::Data, None),
            },
            State::Option(cmd) => (State::Data, Some(Event::Option(cmd, b))),
            State::Sub if b == IAC => (State::SubCommand, None),
            State::Sub => (State::Sub, None),
            State::SubCommand if b == SE => (State::Data, None),
            State::SubCommand => (State::Sub, None),
        };
        self.0 = next;
        event
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<Event> {
        let mut r = Reader::default();
        bytes.iter().filter_map(|&b| r.push(b)).collect()
    }

    #[test]
    fn data_options_and_skipped_commands() {
        assert_eq!(
            read(&[
                b'h', IAC, WILL, ECHO, IAC, IAC, IAC, 241, IAC, SB, 24, 1, IAC, SE, b'i'
            ]),
            [
                Event::Data(b'h'),
                Event::Option(WILL, ECHO),
                Event::Data(IAC),
                Event::Data(b'i'),
            ]
        );
        // A command split across reads.
        let mut r = Reader::default();
        assert_eq!(r.push(IAC), None);
        assert_eq!(r.push(DO), None);
        assert_eq!(r.push(SGA), Some(Event::Option(DO, SGA)));
    }
}
