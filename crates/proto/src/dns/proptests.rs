//! Property tests for the codec: no input makes the parser panic, and every
//! generated message survives emit → parse.

use proptest::prelude::*;

use super::*;

fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z0-9-]{1,20}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 1..=63),
    ]
}

fn name() -> impl Strategy<Value = Name> {
    proptest::collection::vec(label(), 0..4).prop_map(|labels| Name::from_labels(labels).unwrap())
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
        (name(), name(), any::<[u32; 5]>()).prop_map(|(mname, rname, n)| RData::Soa(Soa {
            mname,
            rname,
            serial: n[0],
            refresh: n[1],
            retry: n[2],
            expire: n[3],
            minimum: n[4],
        })),
        (any::<u16>(), any::<u16>(), any::<u16>(), name()).prop_map(
            |(priority, weight, port, target)| RData::Srv {
                priority,
                weight,
                port,
                target
            }
        ),
        proptest::collection::vec("[ -~]{0,80}", 1..4).prop_map(RData::Txt),
        (100u16..200, proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(rtype, data)| RData::Unknown { rtype, data }),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (name(), any::<u16>(), any::<u32>(), rdata()).prop_map(|(name, class, ttl, data)| Record {
        name,
        class: Class::from(class),
        ttl,
        data,
    })
}

fn message() -> impl Strategy<Value = Message> {
    let question = (name(), any::<u16>(), any::<u16>()).prop_map(|(name, t, c)| Question {
        name,
        qtype: RecordType::from(t),
        qclass: Class::from(c),
    });
    (
        any::<u16>(),
        any::<u16>(),
        proptest::collection::vec(question, 0..3),
        proptest::collection::vec(record(), 0..5),
        proptest::collection::vec(record(), 0..3),
        proptest::collection::vec(record(), 0..3),
    )
        .prop_map(
            |(id, bits, questions, answers, authorities, additionals)| Message {
                id,
                flags: Flags::from_bits(bits),
                questions,
                answers,
                authorities,
                additionals,
            },
        )
}

proptest! {
    #[test]
    fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Message::parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_mutated_messages(
        m in message(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = m.emit();
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let _ = Message::parse(&bytes);
    }

    #[test]
    fn emit_parse_round_trip(m in message()) {
        let bytes = m.emit();
        prop_assert_eq!(bytes.len(), m.buffer_len());
        let back = Message::parse(&bytes).unwrap();
        prop_assert_eq!(back, m);
    }

    #[test]
    fn limited_emit_fits_and_parses(m in message(), limit in 12usize..600) {
        let bytes = m.emit_limited(limit.max(m.emit_limited(0).len()));
        prop_assert!(Message::parse(&bytes).is_ok());
    }
}
