//! Property tests for the mail text formats: an address that parses prints
//! as text that parses back to it; a draft written as RFC 5322 text reads
//! back with the same sender, recipients, subject and body; base64 and
//! encoded words decode what was encoded; a date the module prints parses
//! back to the same instant, and one it parses prints and parses again.

use proptest::prelude::*;

use super::address::Address;
use super::date;
use super::message::{Draft, Mailbox, Message, parse_address_list};
use super::mime::{decode_base64, decode_words, encode_base64};

/// Address-like text: dot-atoms, quoted local parts, odd characters.
fn address_text() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        "[a-zA-Z0-9._%+-]{1,12}",
        "[!#$%&'*+/=?^_`{|}~a-z.-]{1,10}",
        "\"[ -!#-\\[\\]-~]{0,10}\"",
        "[ -~]{0,8}",
    ];
    let domain = prop_oneof![
        "[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z0-9_-]{1,8}){0,3}\\.?",
        "\\[[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\]",
        "[ -~]{0,8}",
    ];
    (local, domain, 0..4u8).prop_map(|(l, d, wrap)| match wrap {
        0 => format!("<{l}@{d}>"),
        1 => format!(" {l}@{d} "),
        _ => format!("{l}@{d}"),
    })
}

/// A valid address, as text.
fn address() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        "[a-zA-Z0-9_%+-]{1,8}(\\.[a-z0-9]{1,4}){0,2}",
        "[!#$%&'*+/=?^_`{|}~a-z-]{1,10}",
        "\"[ -!#-\\[\\]-~]{0,10}\"",
    ];
    let domain = prop_oneof![
        "[a-zA-Z0-9]{1,10}(\\.[a-zA-Z0-9_]{1,8}){0,3}",
        "\\[[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}\\]",
    ];
    (local, domain).prop_filter_map("not an address", |(l, d)| {
        format!("{l}@{d}")
            .parse::<Address>()
            .ok()
            .map(|a| a.to_string())
    })
}

fn id() -> impl Strategy<Value = String> {
    "<[a-z0-9.]{1,10}@[a-z.]{1,10}>"
}

fn draft() -> impl Strategy<Value = Draft> {
    let text = prop_oneof!["[ -~]{0,30}", any::<String>(), "[a-z ,<>\"\\\\=?]{0,12}"];
    (
        text.clone(),
        address(),
        proptest::collection::vec(address(), 1..4),
        proptest::collection::vec(address(), 0..3),
        text,
        prop_oneof!["[ -~\r\n]{0,60}", any::<String>()],
        proptest::option::of(id()),
    )
        .prop_map(
            |(from_name, from, to, cc, subject, body, in_reply_to)| Draft {
                from_name,
                from,
                to,
                cc,
                subject,
                body,
                in_reply_to,
            },
        )
}

fn flat(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// An address that parses prints as text that parses back to it.
    #[test]
    fn address_round_trips(text in address_text()) {
        if let Ok(a) = text.parse::<Address>() {
            let printed = a.to_string();
            let again = printed
                .parse::<Address>()
                .map_err(|e| TestCaseError::fail(format!("{e}: {text:?} -> {printed:?}")))?;
            prop_assert_eq!(&again, &a);
            prop_assert_eq!(again.to_string(), printed);
        }
    }

    /// A draft's RFC 5322 text reads back with what the draft holds.
    #[test]
    fn draft_reads_back(d in draft(), unix in 0i64..4_000_000_000, seed in any::<u64>()) {
        let raw = d.to_rfc5322(unix, seed);
        let m = Message::parse(&raw);
        let name = (!d.from_name.is_empty()).then(|| flat(&d.from_name));
        let from = m.from();
        prop_assert_eq!(from.len(), 1, "{}", raw);
        prop_assert_eq!(&from[0].addr, &d.from, "{}", raw);
        prop_assert_eq!(&from[0].name, &name, "{}", raw);
        let addrs = |list: Vec<Mailbox>| list.into_iter().map(|m| m.addr).collect::<Vec<_>>();
        prop_assert_eq!(addrs(m.to()), d.to.clone(), "{}", raw);
        prop_assert_eq!(addrs(m.cc()), d.cc.clone(), "{}", raw);
        prop_assert_eq!(m.subject(), Some(flat(&d.subject)), "{}", raw);
        let mut body = super::crlf(&d.body);
        if !body.is_empty() && !body.ends_with("\r\n") {
            body.push_str("\r\n");
        }
        prop_assert_eq!(&m.body, &body);
        prop_assert_eq!(m.header("In-Reply-To"), d.in_reply_to.as_deref());
    }

    /// Base64 decodes what it encodes.
    #[test]
    fn base64_round_trips(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(decode_base64(&encode_base64(&data)), data);
    }

    /// An address list written `name <addr>, …` with quoted names reads back.
    #[test]
    fn address_list_reads_back(
        items in proptest::collection::vec(("[a-zA-Z ,<>@;]{0,12}", address()), 1..4),
    ) {
        let text = items
            .iter()
            .map(|(n, a)| format!("\"{n}\" <{a}>"))
            .collect::<Vec<_>>()
            .join(", ");
        let list = parse_address_list(&text);
        let want: Vec<Mailbox> = items
            .iter()
            .map(|(n, a)| Mailbox {
                name: Some(n.trim().to_string()).filter(|n| !n.is_empty()),
                addr: a.clone(),
            })
            .collect();
        prop_assert_eq!(list, want, "{}", text);
    }

    /// Encoded words decode to the text they were made from.
    #[test]
    fn encoded_words_decode(s in any::<String>()) {
        let word = format!("=?utf-8?B?{}?=", encode_base64(s.as_bytes()));
        prop_assert_eq!(decode_words(&word), s);
    }
}

/// Found by `draft_reads_back`: a display name with a comma was written
/// bare (`From: Akbari, Guru <a@hasan.com>`) and read back as two mailboxes.
#[test]
fn display_name_with_comma_is_quoted() {
    let d = Draft {
        from_name: "Akbari, Guru".into(),
        from: "akbari@hasan.com".into(),
        to: vec!["b@hasan.com".into()],
        ..Draft::default()
    };
    let m = Message::parse(&d.to_rfc5322(0, 1));
    assert_eq!(
        m.header("From"),
        Some("\"Akbari, Guru\" <akbari@hasan.com>")
    );
    assert_eq!(
        m.from(),
        vec![Mailbox {
            name: Some("Akbari, Guru".into()),
            addr: "akbari@hasan.com".into()
        }]
    );
    let list = parse_address_list("\"a<b\\\"c\" <\"x<y\"@hasan.com>, d@e.f");
    assert_eq!(list[0].name.as_deref(), Some("a<b\"c"));
    assert_eq!(list[0].addr, "\"x<y\"@hasan.com");
    assert_eq!(list[1].addr, "d@e.f");
}

/// Unix seconds from 1 Jan 1900 to 31 Dec 9999 23:59:59 (what dates parse to).
fn instant() -> impl Strategy<Value = i64> {
    date::MIN_UNIX..=date::MAX_UNIX
}

/// Date-like text: well-formed dates with odd parts, and junk.
fn date_text() -> impl Strategy<Value = String> {
    let day = prop_oneof!["[0-3]?[0-9]", "[+-]?[0-9]{1,3}"];
    let month = prop_oneof![
        "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|jan|DEC)",
        "[A-Za-z]{3}"
    ];
    let year = prop_oneof!["(1899|1900|1901|2026|9998|9999|10000)", "[0-9]{1,5}"];
    let time = prop_oneof![
        "[0-2][0-9]:[0-5][0-9](:[0-6][0-9])?",
        "[+-]?[0-9]{1,2}:[+-]?[0-9]{1,2}(:[+-]?[0-9]{1,2})?"
    ];
    let zone = prop_oneof!["[+-][0-9]{4}", "(UT|GMT|Z|EST)", "[ -~]{0,5}"];
    let rfc = (
        day.clone(),
        month.clone(),
        year.clone(),
        time.clone(),
        zone.clone(),
    )
        .prop_map(|(d, m, y, t, z)| format!("Mon, {d} {m} {y} {t} {z}"));
    let imap = (day, month, year, time, zone)
        .prop_map(|(d, m, y, t, z)| format!("\"{d}-{m}-{y} {t} {z}\""));
    // Near the first and last dates, written in another time zone.
    let edge = (
        prop_oneof![Just(date::MIN_UNIX), Just(date::MAX_UNIX)],
        -200_000i64..200_000,
        -1439i64..=1439,
    )
        .prop_map(|(base, d, off_min)| {
            let local = date::rfc5322(base + d + off_min * 60);
            let sign = if off_min < 0 { '-' } else { '+' };
            let zone = format!("{sign}{:02}{:02}", off_min.abs() / 60, off_min.abs() % 60);
            local.replace("+0000", &zone)
        });
    prop_oneof![rfc, imap, edge, "[ -~]{0,40}"]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Every printed date parses back to the instant it was printed from.
    #[test]
    fn printed_dates_parse_back(t in instant()) {
        let rfc = date::rfc5322(t);
        prop_assert_eq!(date::parse_rfc5322(&rfc), Some(t), "{}", rfc);
        let imap = date::imap_internal_date(t);
        prop_assert_eq!(date::parse_imap_date_time(&imap), Some(t), "{}", imap);
        let day = t - t.rem_euclid(86_400);
        prop_assert_eq!(date::parse_imap_date(&imap[..11]), Some(day), "{}", imap);
    }

    /// Whatever parses prints as a date that parses to the same instant.
    #[test]
    fn parsed_dates_print_and_parse_again(text in date_text()) {
        if let Some(t) = date::parse_rfc5322(&text) {
            let printed = date::rfc5322(t);
            prop_assert_eq!(date::parse_rfc5322(&printed), Some(t), "{:?} -> {}", text, printed);
        }
        if let Some(t) = date::parse_imap_date_time(&text) {
            let printed = date::imap_internal_date(t);
            prop_assert_eq!(
                date::parse_imap_date_time(&printed),
                Some(t),
                "{:?} -> {}",
                text,
                printed
            );
        }
        if let Some(t) = date::parse_imap_date(&text) {
            let printed = date::imap_internal_date(t);
            prop_assert_eq!(date::parse_imap_date(&printed[..11]), Some(t), "{:?} -> {}", text, printed);
        }
    }
}

/// [`super::crlf`] as it was written first, one character at a time: the
/// reference the run-copying version is checked against.
fn crlf_by_char(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Line ends become CRLF exactly as the character-by-character version
    /// made them, whatever the mix of CR, LF, CRLF and non-ASCII text.
    #[test]
    fn crlf_matches_the_char_by_char_version(s in "[a\r\nä€😀 .]{0,40}") {
        let once = super::crlf(&s);
        prop_assert_eq!(&once, &crlf_by_char(&s));
        // Already CRLF: the fast path hands back the same text.
        prop_assert_eq!(super::crlf(&once), once);
    }

    /// The same for longer text with tabs and other control bytes (the
    /// scan skips eight bytes at a time where none is below 14).
    #[test]
    fn crlf_matches_the_char_by_char_version_long(s in "[abc\r\n\t\u{7}\u{d}\u{e}\u{1f}ä€😀 .]{0,300}") {
        let once = super::crlf(&s);
        prop_assert_eq!(&once, &crlf_by_char(&s));
        prop_assert_eq!(super::crlf(&once), once);
    }
}
