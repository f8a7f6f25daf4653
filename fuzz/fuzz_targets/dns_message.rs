//! DNS: `Message::parse` never panics; a message that parses re-emits to
//! bytes that parse back to the same message, and the display, dig text
//! and size-limited emit work on it. The same bytes also go, as a datagram,
//! to an authoritative server (UDP and TCP framing), a recursive resolver
//! and a stub resolver waiting for an answer.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use lanlab_proto::SimTime;
use lanlab_proto::dns::{
    Authoritative, Message, Name, Question, RData, RecordType, Resolver, ResolverConfig,
    StubConfig, StubLookup, TcpDeframer, Transport, dig_text, parse_zone,
};
use libfuzzer_sys::fuzz_target;

const ZONE: &str = "@ NS ns1\nns1 A 10.0.3.53\n@ A 192.168.1.1\nwww CNAME @\n\
    @ MX 10 mail\nmail A 192.168.1.25\n*.dev TXT \"wild\"\nsub NS ns.sub\n\
    ns.sub A 10.0.4.53\n_sip._tcp SRV 1 2 5060 www\n";

/// TXT data compared as one string: an empty TXT RDATA parses as no
/// strings but emits one empty string, and a string longer than 255 bytes
/// (invalid UTF-8 grown by lossy decoding) emits as several (reported in
/// regressions/dns_message/README.md; not this target's business to fix).
fn norm(m: &Message) -> Message {
    let mut m = m.clone();
    for section in [&mut m.answers, &mut m.authorities, &mut m.additionals] {
        for rec in section.iter_mut() {
            if let RData::Txt(strings) = &mut rec.data {
                *strings = vec![strings.concat()];
            }
        }
    }
    m
}

fuzz_target!(|data: &[u8]| {
    let now = SimTime::from_secs(1);
    if let Ok(m) = Message::parse(data) {
        let _ = m.to_string();
        let _ = dig_text(&m);
        let _ = m.udp_limit();
        let wire = m.emit();
        let back = Message::parse(&wire).expect("an emitted message parses");
        assert_eq!(norm(&back), norm(&m));
        let cut = m.emit_limited(512);
        let _ = Message::parse(&cut).expect("a limited message parses");
    }

    let origin = Name::parse("hasan.com").expect("origin");
    let zone = parse_zone(&origin, ZONE).expect("zone");
    let mut auth = Authoritative::new(vec![zone]);
    let _ = auth.handle_query(now, data, Transport::Udp);
    let mut deframer = TcpDeframer::new();
    deframer.push(data);
    while let Some(msg) = deframer.next_message() {
        let _ = auth.handle_query(now, &msg, Transport::Tcp);
    }
    while let Some(n) = auth.poll_note() {
        let _ = n.to_string();
    }

    let root = IpAddr::V4(Ipv4Addr::new(198, 41, 0, 4));
    let mut resolver = Resolver::new(ResolverConfig::with_root_hints(vec![root]), 7);
    let pc: SocketAddr = "10.0.1.10:49152".parse().expect("addr");
    resolver.handle_datagram(now, pc, data);
    // A query of our own, then the fuzz bytes as the root's answer.
    let q = Message::query(0x1234, Question::new(origin.clone(), RecordType::A), true);
    resolver.handle_datagram(now, pc, &q.emit());
    resolver.handle_datagram(now, SocketAddr::new(root, 53), data);
    while resolver.poll_transmit().is_some() {}
    while let Some(n) = resolver.poll_note() {
        let _ = n.to_string();
    }
    if let Some(t) = resolver.poll_timeout() {
        resolver.handle_timeout(t);
    }

    let server = IpAddr::V4(Ipv4Addr::new(10, 0, 3, 53));
    let question = Question::new(origin, RecordType::A);
    let mut stub = StubLookup::new(now, question, StubConfig::new(vec![server]), 0x1234);
    while stub.poll_transmit().is_some() {}
    stub.handle_response(now, SocketAddr::new(server, 53), data);
    if let Some(r) = stub.result() {
        let _ = r.addresses();
    }
    while let Some(n) = stub.poll_note() {
        let _ = n.to_string();
    }
});
