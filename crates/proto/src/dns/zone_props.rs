//! Property tests for zone text: a zone prints (`to_text`) as text that
//! parses back to the same records, and any text `parse_zone` accepts prints
//! as text that parses back to the same zone (the `dns_zone` fuzz target's
//! check, run on every `cargo test`).

use proptest::prelude::*;

use super::*;

fn origin() -> Name {
    Name::parse("hasan.com").unwrap()
}

fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z0-9-]{1,12}".prop_map(String::into_bytes),
        Just(b"*".to_vec()),
        proptest::collection::vec(any::<u8>(), 1..=20),
    ]
}

/// Any name (for data that points anywhere).
fn name() -> impl Strategy<Value = Name> {
    proptest::collection::vec(label(), 0..4).prop_map(|labels| Name::from_labels(labels).unwrap())
}

/// A name inside `hasan.com.` (record owners), the origin itself included.
fn owner() -> impl Strategy<Value = Name> {
    proptest::collection::vec(label(), 0..3).prop_filter_map("name too long", |labels| {
        Name::from_labels(labels).ok()?.append(&origin()).ok()
    })
}

/// TXT text: printable, control and non-ASCII characters, quotes and
/// backslashes, at most 255 bytes.
fn txt_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        "[\"\\\\;()@$ a]{0,10}",
        any::<String>().prop_map(|s| s.chars().take(30).collect()),
        Just("x".repeat(255)),
    ]
}

fn rdata() -> impl Strategy<Value = RData> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| RData::A(o.into())),
        any::<[u8; 16]>().prop_map(|o| RData::Aaaa(o.into())),
        name().prop_map(RData::Cname),
        name().prop_map(RData::Ns),
        name().prop_map(RData::Ptr),
        (any::<u16>(), name()).prop_map(|(preference, exchange)| RData::Mx {
            preference,
            exchange
        }),
        (any::<u16>(), any::<u16>(), any::<u16>(), name()).prop_map(
            |(priority, weight, port, target)| RData::Srv {
                priority,
                weight,
                port,
                target
            }
        ),
        proptest::collection::vec(txt_string(), 1..4).prop_map(RData::Txt),
    ]
}

/// A zone built with [`Zone::add`] (records it refuses are left out).
fn zone() -> impl Strategy<Value = Zone> {
    let record = (owner(), any::<u32>(), rdata()).prop_map(|(n, ttl, d)| Record::new(n, ttl, d));
    (any::<bool>(), proptest::collection::vec(record, 0..12)).prop_map(|(soa, records)| {
        let mut zone = if soa {
            Zone::with_default_soa(origin(), None)
        } else {
            Zone::new(origin())
        };
        for r in records {
            let _ = zone.add(r);
        }
        zone
    })
}

/// Pick one of `items`.
fn one(items: &[&'static str]) -> impl Strategy<Value = String> + use<> {
    prop::sample::select(items.to_vec()).prop_map(str::to_string)
}

/// A name as typed: relative, absolute, `@`, escapes, a stray quote.
fn typed_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => one(&["@", "www", "ns1", "t", "Mail", "x.y", "*", "hasan.com.", "x.hasan.com.", "."]),
        2 => one(&[
            "two\"0", "two\\\"0", "a\\(b", "a\\;b", "a\\\\.", "a\\.", "\\$x", "\\@",
            "\\065", "a\\ b", "caf\\195\\169", "\\000", "\"q\"", "é", "a.\\.", "b\\\\",
        ]),
        1 => "[a-z0-9.\\\\-]{1,8}",
    ]
}

/// A TXT field as typed: quoted or not, with escapes.
fn typed_txt() -> impl Strategy<Value = String> {
    prop_oneof![
        one(&[
            "\"x y\"",
            "\"\"",
            "\"a\\\"b\"",
            "\"\\065\"",
            "un\\\"q",
            "\"caf\\195\\169\"",
            "\"tab\\009\"",
            "\\\\",
            "plain",
            "\"(;)\"",
            "\"\\\\\"",
            "\"\\200\"",
            "\"a\\\"",
        ]),
        "\"[ -!#-\\[\\]-~]{0,20}\"",
        (250usize..260).prop_map(|n| format!("\"{}\"", "y".repeat(n))),
    ]
}

fn typed_number() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => one(&["0", "10", "65535", "300"]),
        1 => one(&["65536", "+5", "007", "4294967295", "1h", "x"]),
    ]
}

/// The data of a record of `rtype`, mostly well formed.
fn typed_data(rtype: &'static str) -> BoxedStrategy<String> {
    let num = typed_number;
    match rtype {
        "A" => one(&["1.2.3.4", "10.0.3.53", "1.2.3", "::1"]).boxed(),
        "AAAA" => one(&["::1", "2001:db8::1", "1.2.3.4"]).boxed(),
        "MX" => (num(), typed_name())
            .prop_map(|(p, n)| format!("{p} {n}"))
            .boxed(),
        "SRV" => (num(), num(), num(), typed_name())
            .prop_map(|(a, b, c, n)| format!("{a} {b} {c} {n}"))
            .boxed(),
        "SOA" => (
            typed_name(),
            typed_name(),
            proptest::collection::vec(num(), 5),
        )
            .prop_map(|(m, r, n)| format!("{m} {r} ( {} )", n.join(" ")))
            .boxed(),
        "TXT" => proptest::collection::vec(typed_txt(), 1..4)
            .prop_map(|f| f.join(" "))
            .boxed(),
        _ => typed_name().boxed(),
    }
}

/// One zone-file line, mostly well formed, odd pieces included.
fn zone_line() -> impl Strategy<Value = String> {
    let rtype = prop::sample::select(vec![
        "A", "AAAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT", "SOA",
    ]);
    let record = (
        prop_oneof![4 => typed_name(), 1 => Just(" ".to_string())],
        one(&["", "", "30", "1h", "0", "4294967295", "2w", "\"30\""]),
        one(&["", "", "IN", "in"]),
        rtype,
    )
        .prop_flat_map(|(owner, ttl, class, rtype)| {
            typed_data(rtype).prop_map(move |data| {
                let rt = if rtype == "TXT" { "txt" } else { rtype };
                format!("{owner} {ttl} {class} {rt} {data}")
            })
        });
    prop_oneof![
        16 => record,
        1 => one(&["$TTL 5m", "$ORIGIN sub", "$ORIGIN hasan.com.", "; note", "", "$ORIGIN \"x\""]),
        1 => "[ -~\t]{0,40}",
    ]
}

fn zone_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::collection::vec(zone_line(), 1..4).prop_map(|lines| lines.join("\n")),
        1 => "[ -~\t\n]{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A zone's printed form parses back to the same records (a zone typed
    /// without an SOA gets the default one, as `parse_zone` does).
    #[test]
    fn printed_zone_parses_back(zone in zone()) {
        let printed = zone.to_text();
        let again = parse_zone(&origin(), &printed)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{printed}")))?;
        let mut expected = zone.records.clone();
        if zone.soa().is_none() {
            let primary = zone
                .rrset(&origin(), RecordType::Ns)
                .first()
                .and_then(|r| r.data.target().cloned());
            let with_soa = Zone::with_default_soa(origin(), primary);
            expected.insert(0, with_soa.records[0].clone());
        }
        prop_assert_eq!(&again.records, &expected, "printed:\n{}", printed);
        let reprinted = again.to_text();
        let third = parse_zone(&origin(), &reprinted)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{reprinted}")))?;
        prop_assert_eq!(&third, &again);
        if zone.soa().is_some() {
            prop_assert_eq!(again.to_text(), printed.clone(), "printing is stable");
        }
    }

    /// Whatever text `parse_zone` accepts prints as text that parses back to
    /// the same zone, and printing that again gives the same text.
    #[test]
    fn accepted_text_round_trips(text in zone_text()) {
        if let Ok(zone) = parse_zone(&origin(), &text) {
            let printed = zone.to_text();
            let again = parse_zone(&origin(), &printed)
                .map_err(|e| TestCaseError::fail(format!("{e}\nfrom:\n{text}\nprinted:\n{printed}")))?;
            prop_assert_eq!(&again, &zone, "from:\n{}\nprinted:\n{}", text, printed);
            prop_assert_eq!(again.to_text(), printed);
        }
    }
}
