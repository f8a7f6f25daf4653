//! OSPF: any bytes through the packet parser, the field tree and the
//! summary never panic, every field range lies inside the packet, and a
//! parsed packet emitted again parses again. The same bytes are then handed
//! to an OSPF process (a broadcast and a point-to-point interface) as if
//! they had arrived from a neighbour, and its timers run a little: the
//! engine never panics either.
#![no_main]

use std::net::Ipv4Addr;
use std::time::Duration;

use lanlab_proto::SimTime;
use lanlab_proto::ospf::{IfaceConfig, NetType, Ospf, fields, packet};
use libfuzzer_sys::fuzz_target;

fn iface(port: usize, addr: &str, net: NetType) -> IfaceConfig {
    IfaceConfig {
        port,
        addr: addr.parse().unwrap(),
        area: Ipv4Addr::UNSPECIFIED,
        net,
        cost: 1,
        priority: 1,
        passive: false,
        mtu: 1500,
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = fields::summary(data);
    if let Some(tree) = fields::fields(data, 14) {
        for f in tree.walk() {
            assert!(f.range.start >= 14 && f.range.end <= 14 + data.len());
        }
    }
    if let Ok(repr) = packet::parse(data) {
        let again = repr.to_bytes();
        packet::parse(&again).expect("an emitted packet parses");
    }
    let mut o = Ospf::new(
        Ipv4Addr::new(1, 1, 1, 1),
        vec![
            iface(0, "10.0.0.1/24", NetType::Broadcast),
            iface(1, "10.0.1.1/30", NetType::PointToPoint),
        ],
        true,
        1,
        SimTime::ZERO,
    );
    let src = Ipv4Addr::new(10, 0, 0, 2);
    let mut now = SimTime::from_secs(1);
    for port in [0, 1] {
        o.handle_packet(now, port, src, Ipv4Addr::new(224, 0, 0, 5), data);
        now += Duration::from_millis(1);
        o.handle_packet(now, port, src, Ipv4Addr::new(224, 0, 0, 5), data);
    }
    for _ in 0..4 {
        if let Some(t) = o.poll_timeout() {
            now = t.max(now);
            o.handle_timeout(now);
        }
    }
    while o.poll_transmit().is_some() {}
    while o.poll_note().is_some() {}
});
