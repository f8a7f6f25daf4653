//! One-line summaries of IMAP segments for the event list and PDU inspector
//! ("IMAP C: a3 SELECT INBOX", "IMAP S: * 3 EXISTS (+6 lines)"). The LOGIN
//! password is masked. Stateless and panic-free; looks at the first 4 KiB.

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
        return "IMAP (empty)".into();
    };
    let mut first: String = first.chars().take(80).collect();
    let side = if from_client { "C" } else { "S" };
    if from_client {
        let words: Vec<&str> = first.splitn(4, ' ').collect();
        if words.len() >= 3 && words[1].eq_ignore_ascii_case("LOGIN") {
            first = format!("{} LOGIN {} ********", words[0], words[2]);
        }
    }
    if ls.len() > 1 {
        format!("IMAP {side}: {first} (+{} lines)", ls.len() - 1)
    } else {
        format!("IMAP {side}: {first}")
    }
}

/// The PDU inspector's field tree of a IMAP segment: each line, a
/// command's tag, verb and argument or a reply's status and text, with
/// its bytes (`payload` at offset `base` in the frame).
pub fn fields(payload: &[u8], from_client: bool, base: usize) -> crate::fields::Field {
    let dialect = crate::mail::line_fields::Dialect {
        label: "IMAP",
        tagged: true,
    };
    crate::mail::line_fields::fields(dialect, payload, from_client, base)
}

#[cfg(test)]
mod tests {
    use super::summarize;

    #[test]
    fn summaries() {
        assert_eq!(
            summarize(b"a3 SELECT INBOX\r\n", true),
            "IMAP C: a3 SELECT INBOX"
        );
        assert_eq!(
            summarize(b"a1 login akbari \"s3cret\"\r\n", true),
            "IMAP C: a1 LOGIN akbari ********"
        );
        assert_eq!(
            summarize(
                b"* 3 EXISTS\r\n* 0 RECENT\r\na3 OK [READ-WRITE] SELECT completed\r\n",
                false
            ),
            "IMAP S: * 3 EXISTS (+2 lines)"
        );
        assert_eq!(summarize(b"", false), "IMAP (empty)");
        assert_eq!(
            summarize(&[0xff, b'\n', b'x'], true),
            "IMAP C: \u{fffd} (+1 lines)"
        );
    }
}
