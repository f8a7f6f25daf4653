//! RFC 5322 messages: header fields, unfolding, address lists, and building
//! a simple message for the desktop mail client.
//!
//! RFC 5322 §2.2: "Header fields are lines beginning with a field name,
//! followed by a colon (":"), followed by a field body, and terminated by
//! CRLF." §2.2.3: "Unfolding is accomplished by simply removing any CRLF
//! that is immediately followed by WSP." §2.1: the body is separated from
//! the header "by an empty line (i.e., a line with nothing preceding the CRLF)".
//!
//! Parsing is lenient (a lab shows whatever a student typed) and never panics;
//! the number of header fields is capped.

use super::mime::{self, MimePart};

/// At most this many header fields are parsed; the rest are ignored.
pub const MAX_HEADERS: usize = 500;

/// A parsed message: unfolded header fields and the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Header fields in order: (name as written, unfolded value without leading space).
    pub headers: Vec<(String, String)>,
    /// The body, after the empty line.
    pub body: String,
}

/// One `display-name <addr>` entry of an address list (RFC 5322 §3.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// Display name, decoded, if any.
    pub name: Option<String>,
    /// `local@domain` as written.
    pub addr: String,
}

/// Splits `raw` into unfolded header fields and the body.
pub fn split_headers(raw: &str) -> (Vec<(String, String)>, String) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut rest = raw;
    loop {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            rest = next;
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            if headers.len() < MAX_HEADERS && !name.is_empty() && !name.contains(' ') {
                headers.push((name.to_string(), value.trim().to_string()));
            }
        } else if headers.is_empty() {
            // No header at all: the whole text is the body.
            return (headers, raw.to_string());
        }
        if next.is_empty() {
            rest = "";
            break;
        }
        rest = next;
    }
    (headers, rest.to_string())
}

/// Value of the first header field `name` (case-insensitive) in `headers`.
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl Message {
    /// Parses a message; never fails (a text without header is all body).
    pub fn parse(raw: &str) -> Message {
        let (headers, body) = split_headers(raw);
        Message { headers, body }
    }

    /// The first header field `name` (case-insensitive), unfolded, undecoded.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `Subject:` with RFC 2047 encoded words decoded.
    pub fn subject(&self) -> Option<String> {
        self.header("Subject").map(mime::decode_words)
    }

    /// The `From:` mailboxes.
    pub fn from(&self) -> Vec<Mailbox> {
        self.header("From")
            .map(parse_address_list)
            .unwrap_or_default()
    }

    /// The `To:` mailboxes.
    pub fn to(&self) -> Vec<Mailbox> {
        self.header("To")
            .map(parse_address_list)
            .unwrap_or_default()
    }

    /// The `Cc:` mailboxes.
    pub fn cc(&self) -> Vec<Mailbox> {
        self.header("Cc")
            .map(parse_address_list)
            .unwrap_or_default()
    }

    /// `Date:` as written.
    pub fn date(&self) -> Option<&str> {
        self.header("Date")
    }

    /// `Message-ID:` as written.
    pub fn message_id(&self) -> Option<&str> {
        self.header("Message-ID")
    }

    /// The MIME structure (a single part for a plain message).
    pub fn mime(&self) -> MimePart {
        MimePart::from_parts(self.headers.clone(), &self.body, 0)
    }

    /// The readable text: the first `text/plain` part, decoded.
    pub fn text(&self) -> String {
        self.mime().text().unwrap_or_default()
    }

    /// File names of the attachments.
    pub fn attachments(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.mime().collect_attachments(&mut out);
        out
    }
}

/// Parses an address list: `Ali <ali@x.com>, "B, C" <b@y.org>, d@z.net`.
/// Commas and `<` inside quotes (`"B, C"`, `"a<b"@x.com`) and `\"` inside a
/// quoted display name are understood.
pub fn parse_address_list(value: &str) -> Vec<Mailbox> {
    let mut items = Vec::new();
    let (mut cur, mut quoted, mut angle, mut escaped) = (String::new(), false, false, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            cur.push(c);
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                items.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    items.push(cur);
    items
        .iter()
        .filter_map(|item| mailbox(item.trim()))
        .collect()
}

/// One `name <addr>` or bare `addr` item of an address list.
fn mailbox(item: &str) -> Option<Mailbox> {
    if item.is_empty() {
        return None;
    }
    // The last `<` outside quotes opens the address.
    let (mut quoted, mut escaped, mut open) = (false, false, None);
    for (i, c) in item.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => open = Some(i),
            _ => {}
        }
    }
    if let (Some(l), Some(r)) = (open, item.rfind('>'))
        && l < r
    {
        let name = unquote(item[..l].trim());
        let name = name.trim();
        return Some(Mailbox {
            name: (!name.is_empty()).then(|| mime::decode_words(name)),
            addr: item[l + 1..r].trim().to_string(),
        });
    }
    Some(Mailbox {
        name: None,
        addr: item.to_string(),
    })
}

/// A display name without its quotes: `"B, C"` → `B, C`, `\"` → `"`.
fn unquote(name: &str) -> String {
    match name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .filter(|inner| !inner.ends_with('\\') || inner.ends_with("\\\\"))
    {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or(c)
                } else {
                    c
                });
            }
            out
        }
        None => name.trim_matches('"').to_string(),
    }
}

/// What the desktop mail client puts in a new message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// Sender display name (may be empty).
    pub from_name: String,
    /// Sender address.
    pub from: String,
    /// Recipient addresses.
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// Body text (any line ends; made CRLF).
    pub body: String,
    /// Message-ID of the message this answers (`In-Reply-To`, RFC 5322 §3.6.4).
    pub in_reply_to: Option<String>,
}

/// A header value with CR/LF made blanks (no header injection from a form
/// field). Addresses and message ids are written this way.
fn header_flat(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// Whether text must go as an RFC 2047 encoded word to be read back as
/// written: non-ASCII, something that looks like an encoded word, or blanks
/// at either end (a header value is read trimmed).
fn needs_encoded_word(flat: &str) -> bool {
    !flat.is_ascii()
        || flat.contains("=?")
        || flat.starts_with(char::is_whitespace)
        || flat.ends_with(char::is_whitespace)
}

fn encoded_word(flat: &str) -> String {
    format!("=?utf-8?B?{}?=", mime::encode_base64(flat.as_bytes()))
}

/// An unstructured header value (a subject): flat, and an RFC 2047 encoded
/// word when plain text would not read back the same.
fn header_text(s: &str) -> String {
    let flat = header_flat(s);
    if needs_encoded_word(&flat) {
        encoded_word(&flat)
    } else {
        flat
    }
}

/// A display name before `<addr>` (RFC 5322 §3.4 `phrase`): as it is when
/// it is words only, a quoted string when it has specials such as `,` or
/// `<`, an encoded word when it has quotes, backslashes or non-ASCII text.
fn display_name(s: &str) -> String {
    let flat = header_flat(s);
    if needs_encoded_word(&flat) || flat.contains(['"', '\\']) {
        encoded_word(&flat)
    } else if flat.contains(|c: char| "()<>[]:;@,.".contains(c)) {
        format!("\"{flat}\"")
    } else {
        flat
    }
}

impl Draft {
    /// Every envelope recipient: To then Cc.
    pub fn recipients(&self) -> Vec<String> {
        self.to.iter().chain(&self.cc).cloned().collect()
    }

    /// A reply to `original` from `from`: To its Reply-To or From, subject
    /// `Re: …`, the original quoted with `> `, `In-Reply-To` set.
    pub fn reply(original: &Message, from_name: &str, from: &str) -> Draft {
        let to = original
            .header("Reply-To")
            .map(parse_address_list)
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| original.from());
        let subject = original.subject().unwrap_or_default();
        let subject = if subject
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("re:"))
        {
            subject
        } else {
            format!("Re: {subject}")
        };
        let who = original
            .from()
            .first()
            .map(|m| m.name.clone().unwrap_or_else(|| m.addr.clone()))
            .unwrap_or_default();
        let mut body = format!("\n\n{who} wrote:\n");
        for line in original.text().lines() {
            body.push_str("> ");
            body.push_str(line);
            body.push('\n');
        }
        Draft {
            from_name: from_name.into(),
            from: from.into(),
            to: to.into_iter().map(|m| m.addr).collect(),
            cc: Vec::new(),
            subject,
            body,
            in_reply_to: original.message_id().map(str::to_string),
        }
    }

    /// The RFC 5322 text: `From`, `To`, `Cc`, `Subject`, `Date`,
    /// `Message-ID`, `In-Reply-To`, `MIME-Version`, `Content-Type`, an empty
    /// line and the body. `unix` is the sending time; `msg_id_seed` makes
    /// the Message-ID unique.
    pub fn to_rfc5322(&self, unix: i64, msg_id_seed: u64) -> String {
        let from = if self.from_name.is_empty() {
            header_flat(&self.from)
        } else {
            format!(
                "{} <{}>",
                display_name(&self.from_name),
                header_flat(&self.from)
            )
        };
        let domain = self.from.rsplit('@').next().unwrap_or("localhost");
        let mut body = super::crlf(&self.body);
        if !body.is_empty() && !body.ends_with("\r\n") {
            body.push_str("\r\n");
        }
        let mut h = format!(
            "From: {from}\r\nTo: {}\r\n",
            header_flat(&self.to.join(", "))
        );
        if !self.cc.is_empty() {
            h.push_str(&format!("Cc: {}\r\n", header_flat(&self.cc.join(", "))));
        }
        h.push_str(&format!(
            "Subject: {}\r\nDate: {}\r\nMessage-ID: <{unix}.{msg_id_seed}@{}>\r\n",
            header_text(&self.subject),
            super::date::rfc5322(unix),
            header_flat(domain)
        ));
        if let Some(id) = &self.in_reply_to {
            let id = header_flat(id);
            h.push_str(&format!("In-Reply-To: {id}\r\nReferences: {id}\r\n"));
        }
        format!(
            "{h}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n{body}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_unfold_and_body() {
        let m = Message::parse(
            "From: Akbari <akbari@hasan.com>\r\nSubject: Tes\r\n  Email\r\nTo: a@x.com, \"B, C\" <b@y.org>\r\n\r\nhalo\r\n",
        );
        assert_eq!(m.subject().as_deref(), Some("Tes Email"));
        assert_eq!(m.from()[0].name.as_deref(), Some("Akbari"));
        assert_eq!(m.from()[0].addr, "akbari@hasan.com");
        let to = m.to();
        assert_eq!(to.len(), 2);
        assert_eq!(to[1].name.as_deref(), Some("B, C"));
        assert_eq!(m.body, "halo\r\n");
        assert_eq!(m.text(), "halo\r\n");
        assert_eq!(Message::parse("just text").body, "just text");
        assert_eq!(Message::parse("").headers.len(), 0);
    }

    #[test]
    fn draft_builds_message() {
        let d = Draft {
            from_name: "Akbari".into(),
            from: "akbari@hasan.com".into(),
            to: vec!["12_5b_01@hasan.com".into()],
            subject: "Tes Email".into(),
            body: "Halo\napa kabar".into(),
            ..Draft::default()
        };
        let raw = d.to_rfc5322(super::super::date::DEFAULT_EPOCH_UNIX, 1);
        let m = Message::parse(&raw);
        assert_eq!(m.subject().as_deref(), Some("Tes Email"));
        assert_eq!(m.date(), Some("Mon, 5 Jan 2026 08:00:00 +0000"));
        assert_eq!(m.body, "Halo\r\napa kabar\r\n");
    }

    #[test]
    fn reply_cc_and_header_safety() {
        let original = Message::parse(
            "From: Akbari <akbari@hasan.com>\r\nSubject: Tes Email\r\nMessage-ID: <1.2@hasan.com>\r\n\r\nhalo\r\napa kabar\r\n",
        );
        let mut d = Draft::reply(&original, "Kelas 5B", "12_5b_01@hasan.com");
        assert_eq!(d.to, ["akbari@hasan.com"]);
        assert_eq!(d.subject, "Re: Tes Email");
        assert_eq!(d.body, "\n\nAkbari wrote:\n> halo\n> apa kabar\n");
        assert_eq!(
            Draft::reply(&Message::parse(&d.to_rfc5322(0, 1)), "", "a@b.c").subject,
            "Re: Tes Email"
        );
        d.cc = vec!["guru@hasan.com".into()];
        d.subject = "Ré\r\nBcc: evil@x.com".into();
        assert_eq!(d.recipients(), ["akbari@hasan.com", "guru@hasan.com"]);
        let m = Message::parse(&d.to_rfc5322(0, 1));
        assert_eq!(m.header("Cc"), Some("guru@hasan.com"));
        assert_eq!(m.header("In-Reply-To"), Some("<1.2@hasan.com>"));
        assert_eq!(m.header("Bcc"), None, "no header injection");
        assert_eq!(m.subject().as_deref(), Some("Ré  Bcc: evil@x.com"));
    }
}
