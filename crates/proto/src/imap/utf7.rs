//! Modified UTF-7 mailbox names (RFC 3501 §5.1.3).
//!
//! RFC 3501 §5.1.3: "In modified UTF-7, printable US-ASCII characters,
//! except for "&", represent themselves [...] "&" is used to shift to
//! modified BASE64 and "-" to shift back to US-ASCII." The modified BASE64
//! uses "," instead of "/" and encodes UTF-16. A client that sends a name
//! with raw 8-bit octets (inside a literal) gets it stored in this form, so
//! LIST always answers with 7-bit names.

use crate::mail::mime::{decode_base64, encode_base64};

/// Encodes a Unicode name in modified UTF-7 (`Entwürfe` → `Entw&APw-rfe`).
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut run: Vec<u16> = Vec::new();
    let flush = |run: &mut Vec<u16>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
        let b64 = encode_base64(&bytes).replace('/', ",");
        out.push('&');
        out.push_str(b64.trim_end_matches('='));
        out.push('-');
        run.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut run, &mut out);
            out.push(c);
            if c == '&' {
                out.push('-');
            }
        } else {
            let mut buf = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Decodes a modified UTF-7 name for display; `None` if it is not valid
/// modified UTF-7 (then show it as it is).
pub fn decode(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find('-')?;
        let b64 = &after[..end];
        if b64.is_empty() {
            out.push('&');
        } else {
            if !b64
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b',')
            {
                return None;
            }
            let bytes = decode_base64(&b64.replace(',', "/"));
            let units: Vec<u16> = bytes
                .chunks(2)
                .filter(|c| c.len() == 2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            out.push_str(&String::from_utf16(&units).ok()?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3501_examples() {
        // RFC 3501 §5.1.3: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is
        // "~peter/mail/台北/日本語".
        let name = "~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}";
        assert_eq!(encode(name), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), name);
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode("R&D"), "R&-D");
        assert_eq!(decode("R&-D").unwrap(), "R&D");
        assert_eq!(encode("__test/\"foobar\""), "__test/\"foobar\"");
        assert_eq!(decode("&AOk-t&AOk-").unwrap(), "été");
        assert_eq!(decode("broken&AOk"), None);
        assert_eq!(decode("bad&!!-"), None);
    }

    proptest::proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,20}") {
            let e = encode(&s);
            proptest::prop_assert!(e.is_ascii());
            proptest::prop_assert_eq!(decode(&e).unwrap(), s);
        }
    }
}
