//! A small MIME reader (RFC 2045–2047): content types, multipart bodies,
//! base64 and quoted-printable transfer encodings, encoded words in headers,
//! attachment names. Enough for a lab's mail client to show a message.
//!
//! RFC 2046 §5.1.1: "The boundary delimiter MUST occur at the beginning of a
//! line, i.e., following a CRLF, and the initial CRLF is considered to be
//! attached to the boundary delimiter line". Nesting depth and part count are
//! capped; nothing here panics on malformed input.

use super::message::{find_header, split_headers};

/// Deepest multipart nesting parsed.
pub const MAX_DEPTH: usize = 8;
/// Most parts parsed in one multipart.
pub const MAX_PARTS: usize = 100;

/// A parsed `Content-Type` (RFC 2045 §5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentType {
    /// Top-level type, lower case (`text`, `multipart`, …).
    pub kind: String,
    /// Subtype, lower case (`plain`, `mixed`, …).
    pub subtype: String,
    /// Parameters, names lower case, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Default for ContentType {
    /// RFC 2045 §5.2: the default is `text/plain; charset=us-ascii`.
    fn default() -> Self {
        ContentType {
            kind: "text".into(),
            subtype: "plain".into(),
            params: vec![("charset".into(), "us-ascii".into())],
        }
    }
}

/// Splits `value; a=b; c="d;e"` into the leading value and parameters.
pub fn parse_params(value: &str) -> (String, Vec<(String, String)>) {
    let mut parts = Vec::new();
    let (mut cur, mut quoted) = (String::new(), false);
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    let head = parts
        .first()
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let params = parts
        .iter()
        .skip(1)
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((
                k.trim().to_ascii_lowercase(),
                v.trim().trim_matches('"').to_string(),
            ))
        })
        .collect();
    (head, params)
}

impl ContentType {
    /// Parses a `Content-Type` value; a missing or broken one is `text/plain`.
    pub fn parse(value: &str) -> ContentType {
        let (head, params) = parse_params(value);
        match head.split_once('/') {
            Some((k, s)) if !k.trim().is_empty() && !s.trim().is_empty() => ContentType {
                kind: k.trim().to_ascii_lowercase(),
                subtype: s.trim().to_ascii_lowercase(),
                params,
            },
            _ => ContentType::default(),
        }
    }

    /// A parameter's value (name case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `type/subtype`.
    pub fn mime_type(&self) -> String {
        format!("{}/{}", self.kind, self.subtype)
    }
}

/// One MIME entity: headers, raw body, and sub-parts for a multipart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MimePart {
    /// Header fields of this part.
    pub headers: Vec<(String, String)>,
    /// Its content type.
    pub content_type: ContentType,
    /// `Content-Transfer-Encoding`, lower case (`7bit` by default).
    pub encoding: String,
    /// The body as transmitted (still encoded).
    pub body: String,
    /// Sub-parts if this is a multipart.
    pub parts: Vec<MimePart>,
}

impl MimePart {
    /// Builds a part from headers and a body, parsing multiparts recursively.
    pub fn from_parts(headers: Vec<(String, String)>, body: &str, depth: usize) -> MimePart {
        let content_type = find_header(&headers, "Content-Type")
            .map(ContentType::parse)
            .unwrap_or_default();
        let encoding = find_header(&headers, "Content-Transfer-Encoding")
            .map(|e| e.trim().to_ascii_lowercase())
            .unwrap_or_else(|| "7bit".into());
        let mut parts = Vec::new();
        if content_type.kind == "multipart"
            && depth < MAX_DEPTH
            && let Some(b) = content_type.param("boundary")
        {
            for chunk in split_multipart(body, b).into_iter().take(MAX_PARTS) {
                let (h, bd) = split_headers(chunk);
                parts.push(MimePart::from_parts(h, &bd, depth + 1));
            }
        }
        MimePart {
            headers,
            content_type,
            encoding,
            body: body.to_string(),
            parts,
        }
    }

    /// The body with its transfer encoding undone.
    pub fn decoded(&self) -> Vec<u8> {
        match self.encoding.as_str() {
            "base64" => decode_base64(&self.body),
            "quoted-printable" => decode_qp(&self.body),
            _ => self.body.as_bytes().to_vec(),
        }
    }

    /// The attachment's file name (`Content-Disposition: filename=` or `Content-Type: name=`).
    pub fn filename(&self) -> Option<String> {
        let disp = find_header(&self.headers, "Content-Disposition").map(parse_params);
        disp.as_ref()
            .and_then(|(_, p)| {
                p.iter()
                    .find(|(k, _)| k == "filename")
                    .map(|(_, v)| v.clone())
            })
            .or_else(|| self.content_type.param("name").map(str::to_string))
            .map(|n| decode_words(&n))
    }

    /// Whether this leaf part is an attachment rather than inline text.
    pub fn is_attachment(&self) -> bool {
        let disp = find_header(&self.headers, "Content-Disposition")
            .map(|d| parse_params(d).0.to_ascii_lowercase());
        disp.as_deref() == Some("attachment")
            || (self.parts.is_empty()
                && self.content_type.kind != "text"
                && self.content_type.kind != "multipart")
            || (self.filename().is_some() && disp.as_deref() != Some("inline"))
    }

    /// The first `text/plain` (else `text/*`) part that is not an attachment, decoded.
    pub fn text(&self) -> Option<String> {
        self.find_text("plain").or_else(|| self.find_text(""))
    }

    fn find_text(&self, sub: &str) -> Option<String> {
        if self.parts.is_empty() {
            let ok = self.content_type.kind == "text"
                && (sub.is_empty() || self.content_type.subtype == sub)
                && !self.is_attachment();
            return ok.then(|| String::from_utf8_lossy(&self.decoded()).into_owned());
        }
        self.parts.iter().find_map(|p| p.find_text(sub))
    }

    /// Appends the file names of attachments in this part and below.
    pub fn collect_attachments(&self, out: &mut Vec<String>) {
        if self.parts.is_empty() {
            if self.is_attachment() {
                out.push(self.filename().unwrap_or_else(|| "(unnamed)".into()));
            }
        } else {
            for p in &self.parts {
                p.collect_attachments(out);
            }
        }
    }
}

/// The bodies between `--boundary` lines (preamble and epilogue dropped).
pub fn split_multipart<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos <= body.len() {
        let end = body[pos..].find('\n').map_or(body.len(), |i| pos + i);
        let line = body[pos..end].trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix(delim.as_str())
            && (rest.trim().is_empty() || rest.starts_with("--"))
        {
            if let Some(s) = start {
                // The CRLF before the delimiter belongs to the delimiter.
                let mut e = pos;
                if body[..e].ends_with('\n') {
                    e -= 1;
                }
                if body[..e].ends_with('\r') {
                    e -= 1;
                }
                out.push(&body[s..e.max(s)]);
            }
            if rest.starts_with("--") {
                return out;
            }
            start = Some((end + 1).min(body.len()));
        }
        pos = end + 1;
    }
    out
}

fn b64_val(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes base64, skipping whitespace and stray characters (RFC 2045 §6.8:
/// "characters not found in Table 1 must be ignored by decoding software").
pub fn decode_base64(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = b64_val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Encodes bytes as base64 (standard alphabet, padded, no line breaks).
pub fn encode_base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for ch in data.chunks(3) {
        let n = (u32::from(ch[0]) << 16)
            | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
            | u32::from(*ch.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= ch.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Decodes quoted-printable (RFC 2045 §6.7), soft line breaks included.
pub fn decode_qp(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn charset_to_string(charset: &str, bytes: &[u8]) -> String {
    if charset.eq_ignore_ascii_case("iso-8859-1") || charset.eq_ignore_ascii_case("latin1") {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?iso-8859-1?Q?…?=`);
/// whitespace between two adjacent encoded words is dropped (§6.2).
pub fn decode_words(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        let parsed = (|| {
            let inner = &rest[start + 2..];
            let (charset, inner) = inner.split_once('?')?;
            let (enc, inner) = inner.split_once('?')?;
            let end = inner.find("?=")?;
            let text = &inner[..end];
            let bytes = match enc {
                "B" | "b" => decode_base64(text),
                "Q" | "q" => decode_qp(&text.replace('_', " ")),
                _ => return None,
            };
            let consumed = start + 2 + charset.len() + 1 + enc.len() + 1 + end + 2;
            Some((charset_to_string(charset, &bytes), consumed))
        })();
        match parsed {
            Some((text, consumed)) => {
                if !(last_was_word && between.trim().is_empty()) {
                    out.push_str(between);
                }
                out.push_str(&text);
                rest = &rest[consumed..];
                last_was_word = true;
            }
            None => {
                out.push_str(&rest[..start + 2]);
                rest = &rest[start + 2..];
                last_was_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::Message;
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode_base64("aGFsbw=="), b"halo");
        assert_eq!(encode_base64(b"halo"), "aGFsbw==");
        assert_eq!(encode_base64(b"ab"), "YWI=");
        assert_eq!(
            decode_base64(&encode_base64(b"\x00\xffxyz")),
            b"\x00\xffxyz"
        );
        assert_eq!(decode_qp("caf=C3=A9 =\r\nok=ZZ"), "café ok=ZZ".as_bytes());
        assert_eq!(
            decode_words("=?UTF-8?B?VGVz?= =?utf-8?Q?_Email?="),
            "Tes Email"
        );
        assert_eq!(decode_words("a =?iso-8859-1?q?caf=E9?= b"), "a café b");
        assert_eq!(decode_words("=?broken"), "=?broken");
    }

    #[test]
    fn multipart_with_attachment() {
        let raw = "Subject: laporan\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n\
            preamble\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\r\nHalo =\r\nsemua\r\n\
            --XX\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n\
            Content-Disposition: attachment; filename=\"laporan.pdf\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--XX--\r\nepilogue\r\n";
        let m = Message::parse(raw);
        let mime = m.mime();
        assert_eq!(mime.parts.len(), 2);
        assert_eq!(mime.parts[1].decoded(), b"%PDF-");
        assert_eq!(m.text(), "Halo semua");
        assert_eq!(m.attachments(), ["laporan.pdf"]);
        assert_eq!(ContentType::parse("garbage").mime_type(), "text/plain");
    }
}
