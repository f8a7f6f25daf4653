//! What IMAP shows of a stored RFC 5322 message: header fields, sections,
//! ENVELOPE and BODYSTRUCTURE (RFC 3501 §7.4.2).
//!
//! Deliberately small: unfolds headers, parses addresses and splits
//! `multipart/*` bodies on their boundary. Envelope strings are the raw header
//! text, as RFC 3501 asks ("encoded-word" stays encoded).

use serde::{Deserialize, Serialize};

use super::fetch::{Section, SectionKind};

/// Splits a message into (header block including its blank line, body).
pub fn split_message(raw: &[u8]) -> (&[u8], &[u8]) {
    if raw.starts_with(b"\r\n") {
        return raw.split_at(2);
    }
    if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
        return raw.split_at(i + 4);
    }
    if let Some(i) = raw.windows(2).position(|w| w == b"\n\n") {
        return raw.split_at(i + 2);
    }
    (raw, &[])
}

/// The header fields of a header block: `(name, raw lines including CRLF)`.
fn fields(head: &[u8]) -> Vec<(String, &[u8])> {
    let mut out: Vec<(String, &[u8])> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut name = None;
    while i < head.len() {
        let eol = head[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(head.len(), |p| i + p + 1);
        let line = &head[i..eol];
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if !continuation {
            if let Some(n) = name.take() {
                out.push((n, &head[start..i]));
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                return out;
            }
            start = i;
            name = line
                .iter()
                .position(|&b| b == b':')
                .map(|c| String::from_utf8_lossy(&line[..c]).trim().to_string());
        }
        i = eol;
    }
    if let Some(n) = name {
        out.push((n, &head[start..]));
    }
    out
}

/// The unfolded value of the first header field called `name`.
pub fn header_value(head: &[u8], name: &str) -> Option<String> {
    field_value(&fields(head), name)
}

/// [`header_value`] in header fields split once by [`fields`].
fn field_value(fields: &[(String, &[u8])], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, raw)| {
            let text = String::from_utf8_lossy(raw);
            let value = text.split_once(':').map_or("", |(_, v)| v);
            value
                .split(['\r', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
}

/// The header fields named (or, with `not`, not named) in `names`, plus the
/// blank line (RFC 3501: "the delimiting blank line between the header and
/// the body is not affected by header line subsetting").
fn header_subset(head: &[u8], names: &[String], not: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, raw) in fields(head) {
        if names.iter().any(|w| w.eq_ignore_ascii_case(&n)) != not {
            out.extend_from_slice(raw);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The body parts of a multipart entity, each as raw bytes (header + body).
fn multipart_parts<'a>(head: &[u8], body: &'a [u8]) -> Option<Vec<&'a [u8]>> {
    let ((ty, _), params) = content_type(head);
    if ty != "MULTIPART" {
        return None;
    }
    let boundary = params
        .iter()
        .find(|(k, _)| k == "BOUNDARY")
        .map(|(_, v)| v)?;
    let text = std::str::from_utf8(body).ok()?;
    let parts = crate::mail::mime::split_multipart(text, boundary);
    Some(
        parts
            .into_iter()
            .take(crate::mail::mime::MAX_PARTS)
            .map(str::as_bytes)
            .collect(),
    )
}

/// The bytes of a `BODY[section]` (RFC 3501 §6.4.5), or `None` if there is no
/// such part.
pub fn section_bytes(raw: &[u8], section: &Section) -> Option<Vec<u8>> {
    let mut entity = raw;
    let mut is_message = true;
    for (depth, &n) in section.part.iter().enumerate() {
        let (head, body) = split_message(entity);
        match multipart_parts(head, body) {
            Some(parts) => {
                entity = parts.get((n as usize).checked_sub(1)?)?;
                is_message = false;
            }
            // "Every message has at least one part number": a non-multipart
            // message's part 1 is its body.
            None if n == 1 => {
                let last = depth + 1 == section.part.len();
                if last && section.kind == SectionKind::Mime {
                    return Some(header_subset(head, &content_fields(), false));
                }
                if last && section.kind == SectionKind::Full {
                    return Some(body.to_vec());
                }
                entity = body;
            }
            None => return None,
        }
    }
    let (head, body) = split_message(entity);
    Some(match &section.kind {
        SectionKind::Full if !is_message => body.to_vec(),
        SectionKind::Full => entity.to_vec(),
        SectionKind::Header => head.to_vec(),
        SectionKind::Mime => head.to_vec(),
        SectionKind::HeaderFields(n) => header_subset(head, n, false),
        SectionKind::HeaderFieldsNot(n) => header_subset(head, n, true),
        SectionKind::Text => body.to_vec(),
    })
}

fn content_fields() -> Vec<String> {
    [
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-ID",
        "Content-Description",
    ]
    .map(String::from)
    .to_vec()
}

/// One address of an ENVELOPE (RFC 3501 `address`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Display name, e.g. `Akbari Hasan`.
    pub name: Option<String>,
    /// Source route (obsolete; always `None` here).
    pub adl: Option<String>,
    /// Local part, e.g. `akbari`.
    pub mailbox: Option<String>,
    /// Domain, e.g. `hasan.com`.
    pub host: Option<String>,
}

impl Address {
    /// `akbari@hasan.com`.
    pub fn email(&self) -> String {
        format!(
            "{}@{}",
            self.mailbox.as_deref().unwrap_or(""),
            self.host.as_deref().unwrap_or("")
        )
    }
}

/// The ENVELOPE of a message (RFC 3501 §7.4.2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// `Date:`.
    pub date: Option<String>,
    /// `Subject:`.
    pub subject: Option<String>,
    /// `From:`.
    pub from: Vec<Address>,
    /// `Sender:` (defaults to From).
    pub sender: Vec<Address>,
    /// `Reply-To:` (defaults to From).
    pub reply_to: Vec<Address>,
    /// `To:`.
    pub to: Vec<Address>,
    /// `Cc:`.
    pub cc: Vec<Address>,
    /// `Bcc:`.
    pub bcc: Vec<Address>,
    /// `In-Reply-To:`.
    pub in_reply_to: Option<String>,
    /// `Message-ID:`.
    pub message_id: Option<String>,
}

impl Envelope {
    /// Builds the envelope of a raw message. RFC 3501: "If the Sender or
    /// Reply-To lines are absent in the [RFC-2822] header, or are present but
    /// empty, the server sets the corresponding member of the envelope to be
    /// the same value as the from member".
    pub fn of(raw: &[u8]) -> Envelope {
        let (head, _) = split_message(raw);
        let fields = fields(head);
        let h = |n: &str| field_value(&fields, n);
        let a = |n: &str| h(n).map(|v| parse_addresses(&v)).unwrap_or_default();
        let from = a("From");
        let or_from = |v: Vec<Address>| if v.is_empty() { from.clone() } else { v };
        Envelope {
            date: h("Date"),
            subject: h("Subject"),
            sender: or_from(a("Sender")),
            reply_to: or_from(a("Reply-To")),
            to: a("To"),
            cc: a("Cc"),
            bcc: a("Bcc"),
            in_reply_to: h("In-Reply-To"),
            message_id: h("Message-ID"),
            from,
        }
    }
}

/// Parses `"Akbari H." <akbari@hasan.com>, bob@x.org` (groups are flattened).
pub fn parse_addresses(value: &str) -> Vec<Address> {
    let mut items = Vec::new();
    let (mut cur, mut quoted, mut angle) = (String::new(), false, false);
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                items.push(std::mem::take(&mut cur));
                continue;
            }
            ':' if !quoted && !angle => {
                cur.clear(); // group name
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    items.push(cur);
    items
        .into_iter()
        .filter_map(|item| {
            let item = item.trim();
            if item.is_empty() {
                return None;
            }
            let (name, spec) = match (item.find('<'), item.rfind('>')) {
                (Some(l), Some(r)) if l < r => {
                    let n = item[..l].trim().trim_matches('"').trim();
                    (
                        (!n.is_empty()).then(|| n.to_string()),
                        item[l + 1..r].trim(),
                    )
                }
                _ => (None, item.split_whitespace().next().unwrap_or("")),
            };
            let (mailbox, host) = match spec.rsplit_once('@') {
                Some((m, h)) => (m.to_string(), Some(h.to_string())),
                None => (spec.to_string(), None),
            };
            Some(Address {
                name,
                adl: None,
                mailbox: Some(mailbox),
                host,
            })
        })
        .collect()
}

/// Parses an RFC 5322 date (`Tue, 24 Nov 2026 10:00:00 +0700`) to unix seconds.
pub fn parse_rfc5322_date(s: &str) -> Option<i64> {
    crate::mail::date::parse_rfc5322(s)
}

/// `(("TEXT", "PLAIN"), [("CHARSET", "utf-8")])`, defaults per RFC 2045 §5.2.
fn content_type(head: &[u8]) -> ((String, String), Vec<(String, String)>) {
    let Some(v) = header_value(head, "Content-Type") else {
        return (
            ("TEXT".into(), "PLAIN".into()),
            vec![("CHARSET".into(), "US-ASCII".into())],
        );
    };
    let (ty, params) = crate::mail::mime::parse_params(&v);
    let (t, s) = ty.split_once('/').unwrap_or(("TEXT", "PLAIN"));
    let params = params
        .into_iter()
        .map(|(k, v)| (k.to_ascii_uppercase(), v))
        .collect();
    (
        (t.trim().to_ascii_uppercase(), s.trim().to_ascii_uppercase()),
        params,
    )
}

/// A BODYSTRUCTURE (RFC 3501 §7.4.2), basic fields only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyStructure {
    /// One part.
    Single {
        /// `TEXT`, `IMAGE`, …
        media_type: String,
        /// `PLAIN`, `HTML`, …
        subtype: String,
        /// `CHARSET` and friends.
        params: Vec<(String, String)>,
        /// `Content-Transfer-Encoding`, default `7BIT`.
        encoding: String,
        /// Octets of the body.
        size: usize,
        /// Lines, for `TEXT/*` and `MESSAGE/RFC822`.
        lines: Option<usize>,
        /// For `MESSAGE/RFC822`: the enclosed message's envelope and structure.
        inner: Option<Box<(Envelope, BodyStructure)>>,
    },
    /// `multipart/*`.
    Multi {
        /// The parts.
        parts: Vec<BodyStructure>,
        /// `MIXED`, `ALTERNATIVE`, …
        subtype: String,
    },
}

impl BodyStructure {
    /// The structure of a raw message or body part.
    pub fn of(raw: &[u8]) -> BodyStructure {
        Self::of_depth(raw, 0)
    }

    fn of_depth(raw: &[u8], depth: u32) -> BodyStructure {
        let (head, body) = split_message(raw);
        let ((media_type, subtype), params) = content_type(head);
        if depth < 8
            && let Some(parts) = multipart_parts(head, body)
            && !parts.is_empty()
        {
            return BodyStructure::Multi {
                parts: parts.iter().map(|p| Self::of_depth(p, depth + 1)).collect(),
                subtype,
            };
        }
        let encoding = header_value(head, "Content-Transfer-Encoding")
            .map_or("7BIT".into(), |e| e.to_ascii_uppercase());
        let is_msg = media_type == "MESSAGE" && subtype == "RFC822" && depth < 8;
        let lines =
            (media_type == "TEXT" || is_msg).then(|| body.iter().filter(|&&b| b == b'\n').count());
        let inner = is_msg.then(|| Box::new((Envelope::of(body), Self::of_depth(body, depth + 1))));
        BodyStructure::Single {
            media_type,
            subtype,
            params,
            encoding,
            size: body.len(),
            lines,
            inner,
        }
    }

    /// The IMAP wire form, e.g. `("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 12 1)`.
    pub fn to_imap(&self) -> String {
        match self {
            BodyStructure::Single {
                media_type,
                subtype,
                params,
                encoding,
                size,
                lines,
                inner,
            } => {
                let params = if params.is_empty() {
                    "NIL".to_string()
                } else {
                    let p: Vec<String> = params
                        .iter()
                        .map(|(k, v)| format!("{} {}", quote(k), quote(v)))
                        .collect();
                    format!("({})", p.join(" "))
                };
                let mut s = format!(
                    "({} {} {params} NIL NIL {} {size}",
                    quote(media_type),
                    quote(subtype),
                    quote(encoding)
                );
                // RFC 3501 §7.4.2: "A body type of type MESSAGE and subtype RFC822
                // contains, immediately after the basic fields, the envelope
                // structure, body structure, and size in text lines".
                if let Some(pair) = inner {
                    let mut env = Vec::new();
                    super::response::envelope(&mut env, &pair.0);
                    s.push_str(&format!(
                        " {} {}",
                        String::from_utf8_lossy(&env),
                        pair.1.to_imap()
                    ));
                }
                if let Some(n) = lines {
                    s.push_str(&format!(" {n}"));
                }
                s.push(')');
                s
            }
            BodyStructure::Multi { parts, subtype } => {
                let inner: String = parts.iter().map(BodyStructure::to_imap).collect();
                format!("({inner} {})", quote(subtype))
            }
        }
    }
}

/// A quoted string, escaping `"` and `\` (callers pass single-line text).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        if c != '\r' && c != '\n' {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &[u8] = b"From: \"Akbari, H.\" <akbari@hasan.com>\r\nTo: bob@x.org, Cy <cy@y.org>\r\nSubject: Hi\r\n there\r\n\r\nHello\r\nWorld\r\n";

    #[test]
    fn envelope() {
        let e = Envelope::of(MSG);
        assert_eq!(e.subject.as_deref(), Some("Hi there"));
        assert_eq!(e.from[0].name.as_deref(), Some("Akbari, H."));
        assert_eq!(e.from[0].email(), "akbari@hasan.com");
        assert_eq!(e.to.len(), 2);
        assert_eq!(e.to[1].email(), "cy@y.org");
        assert_eq!(e.sender, e.from);
    }

    #[test]
    fn sections() {
        let f = |k| section_bytes(MSG, &Section::of(k)).unwrap();
        assert_eq!(f(SectionKind::Text), b"Hello\r\nWorld\r\n");
        assert_eq!(
            f(SectionKind::HeaderFields(vec!["subject".into()])),
            b"Subject: Hi\r\n there\r\n\r\n"
        );
        assert!(f(SectionKind::Header).ends_with(b"there\r\n\r\n"));
        let one = Section {
            part: vec![1],
            kind: SectionKind::Full,
        };
        assert_eq!(section_bytes(MSG, &one).unwrap(), b"Hello\r\nWorld\r\n");
        let two = Section {
            part: vec![2],
            kind: SectionKind::Full,
        };
        assert!(section_bytes(MSG, &two).is_none());
    }

    #[test]
    fn structures() {
        assert_eq!(
            BodyStructure::of(MSG).to_imap(),
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 14 2)"
        );
        let mp = b"Content-Type: multipart/mixed; x=\"a;b\"; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--b1--\r\n";
        let s = BodyStructure::of(mp).to_imap();
        assert!(s.ends_with(" \"MIXED\")"), "{s}");
        assert!(
            s.contains("\"IMAGE\" \"PNG\" NIL NIL NIL \"BASE64\" 4)"),
            "{s}"
        );
        let fwd = b"Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nhi\r\n";
        let s = BodyStructure::of(fwd).to_imap();
        assert!(
            s.starts_with("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 22 (NIL \"inner\""),
            "{s}"
        );
        assert!(
            s.ends_with(" (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 4 1) 3)"),
            "{s}"
        );
        let p2 = Section {
            part: vec![2],
            kind: SectionKind::Full,
        };
        assert_eq!(section_bytes(mp, &p2).unwrap(), b"AAAA");
        assert_eq!(
            parse_rfc5322_date("Thu, 1 Jan 1970 07:00:00 +0700"),
            Some(0)
        );
    }
}
