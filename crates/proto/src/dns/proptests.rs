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

fn query_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        message().prop_map(|m| m.emit()),
        (message(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(m, i, b)| {
            let mut bytes = m.emit();
            let at = i.index(bytes.len());
            bytes[at] = b;
            bytes
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn engines_never_panic_on_any_datagram(
        datagrams in proptest::collection::vec(query_bytes(), 1..6),
    ) {
        use crate::SimTime;
        use crate::dns::fixtures::{hasan_zone, reverse_zone, root_zone};
        use std::net::SocketAddr;
        let from: SocketAddr = "198.41.0.4:53".parse().unwrap();
        let mut auth = Authoritative::new(vec![root_zone(), hasan_zone(), reverse_zone()]);
        let mut resolver = Resolver::new(ResolverConfig::with_root_hints(vec![from.ip()]), 1);
        resolver.set_local_zone(hasan_zone());
        let mut stub = StubLookup::new(
            SimTime::ZERO,
            Question::new(Name::parse("hasan.com").unwrap(), RecordType::A),
            StubConfig::new(vec![from.ip()]),
            0,
        );
        for (i, bytes) in datagrams.iter().enumerate() {
            let now = SimTime::from_millis(i as u64);
            let _ = auth.handle_query(now, bytes, Transport::Udp);
            let _ = auth.handle_query(now, bytes, Transport::Tcp);
            resolver.handle_datagram(now, from, bytes);
            resolver.handle_server_response(now, from, bytes);
            stub.handle_response(now, from, bytes);
            // Feed the resolver's own queries back, answered by `auth`.
            while let Some(t) = resolver.poll_transmit() {
                if let Some(reply) = auth.handle_query(now, &t.payload, Transport::Udp) {
                    resolver.handle_datagram(now, from, &reply);
                }
            }
        }
        resolver.handle_timeout(SimTime::from_secs(100));
        stub.handle_timeout(SimTime::from_secs(100));
    }
}
