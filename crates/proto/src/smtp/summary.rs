//! One-line summaries of SMTP segments for the event list and PDU inspector
//! ("SMTP C: MAIL FROM:<akbari@hasan.com>", "SMTP S: 250 Sender OK").
//!
//! Stateless: a segment from the client that is not a command is taken to
//! be message text (after DATA). Never panics; looks at the first 4 KiB.

use super::command::Command;

const LOOK: usize = 4096;

fn lines(payload: &[u8]) -> Vec<String> {
    let head = &payload[..payload.len().min(LOOK)];
    String::from_utf8_lossy(head)
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(79).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Summarizes a segment sent by the client (`from_client`) or the server.
pub fn summarize(payload: &[u8], from_client: bool) -> String {
    let ls = lines(payload);
    let Some(first) = ls.first() else {
        return "SMTP (empty)".into();
    };
    if from_client {
        let is_command = Command::parse(first).is_ok();
        if is_command && ls.len() == 1 {
            return format!("SMTP C: {}", shorten(first));
        }
        if is_command {
            return format!("SMTP C: {} (+{} pipelined)", shorten(first), ls.len() - 1);
        }
        let end = if ls.last().is_some_and(|l| l == ".") {
            ", ends with \".\""
        } else {
            ""
        };
        return format!("SMTP C: message text, {} octets{end}", payload.len());
    }
    if ls.len() == 1 {
        format!("SMTP S: {}", shorten(first))
    } else {
        let last = ls.last().map(String::as_str).unwrap_or_default();
        let code = first.get(..3).unwrap_or("");
        let text = |l: &str| shorten(l.get(4..).unwrap_or(""));
        format!(
            "SMTP S: {code} {}… {} (+{} lines)",
            text(first),
            text(last),
            ls.len() - 1
        )
    }
}

/// The PDU inspector's field tree of a SMTP segment: each line, a
/// command's verb and argument or a reply's status and text, with
/// its bytes (`payload` at offset `base` in the frame).
pub fn fields(payload: &[u8], from_client: bool, base: usize) -> crate::fields::Field {
    let dialect = crate::mail::line_fields::Dialect {
        label: "SMTP",
        tagged: false,
    };
    crate::mail::line_fields::fields(dialect, payload, from_client, base)
}

#[cfg(test)]
mod tests {
    use super::summarize;

    #[test]
    fn summaries() {
        assert_eq!(
            summarize(b"MAIL FROM:<a@b.com>\r\n", true),
            "SMTP C: MAIL FROM:<a@b.com>"
        );
        assert_eq!(
            summarize(b"Subject: x\r\n\r\nhi\r\n.\r\n", true),
            "SMTP C: message text, 21 octets, ends with \".\""
        );
        assert_eq!(summarize(b"250 OK\r\n", false), "SMTP S: 250 OK");
        assert_eq!(
            summarize(
                b"250-mail.hasan.com Hello pc1\r\n250-SIZE 10\r\n250 HELP\r\n",
                false
            ),
            "SMTP S: 250 mail.hasan.com Hello pc1… HELP (+2 lines)"
        );
        assert_eq!(summarize(b"", false), "SMTP (empty)");
        assert_eq!(
            summarize(b"NOOP\r\nNOOP\r\n", true),
            "SMTP C: NOOP (+1 pipelined)"
        );
    }
}
