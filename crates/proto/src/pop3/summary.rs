//! One-line summaries of POP3 segments for the event list and PDU inspector
//! ("POP3 C: RETR 1", "POP3 S: +OK 22 octets (+4 lines)"). PASS is masked.
//! Stateless and panic-free; looks at the first 4 KiB.

use super::command::Command;

const LOOK: usize = 4096;

/// Summarizes a segment sent by the client (`from_client`) or the server.
pub fn summarize(payload: &[u8], from_client: bool) -> String {
    let head = &payload[..payload.len().min(LOOK)];
    let text = String::from_utf8_lossy(head);
    let ls: Vec<&str> = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = ls.first() else {
        return "POP3 (empty)".into();
    };
    let first: String = first.chars().take(80).collect();
    if from_client {
        return match Command::parse(&first) {
            Ok(Command::Pass(_)) => "POP3 C: PASS ********".into(),
            Ok(c) => format!("POP3 C: {c}"),
            Err(_) => format!("POP3 C: {first}"),
        };
    }
    if ls.len() > 1 {
        format!("POP3 S: {first} (+{} lines)", ls.len() - 1)
    } else {
        format!("POP3 S: {first}")
    }
}

/// The PDU inspector's field tree of a POP3 segment: each line, a
/// command's verb and argument or a reply's status and text, with
/// its bytes (`payload` at offset `base` in the frame).
pub fn fields(payload: &[u8], from_client: bool, base: usize) -> crate::fields::Field {
    let dialect = crate::mail::line_fields::Dialect {
        label: "POP3",
        tagged: false,
    };
    crate::mail::line_fields::fields(dialect, payload, from_client, base)
}

#[cfg(test)]
mod tests {
    use super::summarize;

    #[test]
    fn summaries() {
        assert_eq!(summarize(b"retr 1\r\n", true), "POP3 C: RETR 1");
        assert_eq!(
            summarize(b"PASS kelas5b\r\n", true),
            "POP3 C: PASS ********"
        );
        assert_eq!(
            summarize(b"+OK 22 octets\r\nSubject: hi\r\n\r\nhello\r\n.\r\n", false),
            "POP3 S: +OK 22 octets (+3 lines)"
        );
        assert_eq!(
            summarize(b"-ERR unknown command\r\n", false),
            "POP3 S: -ERR unknown command"
        );
        assert_eq!(summarize(b"", true), "POP3 (empty)");
    }
}
