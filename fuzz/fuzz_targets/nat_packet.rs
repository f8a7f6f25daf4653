//! NAT: any bytes through `Nat::translate`, in both directions, never panic,
//! never change the packet's length, and a translated packet leaves with a
//! valid IPv4 header checksum. The input is a sequence of packets (a length
//! byte, a control byte, the packet) run through one translator (static NAT,
//! port forwarding, a pool and PAT on the interface) with time moving on, so
//! later packets meet the entries earlier ones made; the `show` commands and
//! the expiry run at the end.
#![no_main]

use std::net::Ipv4Addr;

use lanlab_proto::SimTime;
use lanlab_proto::firewall::{AclConfig, ConfigMode};
use lanlab_proto::nat::{
    DynamicNat, Nat, NatConfig, NatOutcome, NatPool, NatProtocol, NatTarget, RouterEnv, StaticNat,
};
use libfuzzer_sys::fuzz_target;
use smoltcp::wire::Ipv4Packet;

fn config() -> NatConfig {
    let public = Ipv4Addr::new(203, 0, 113, 1);
    NatConfig {
        inside: vec![0],
        outside: vec![1],
        statics: vec![
            StaticNat::address(
                Ipv4Addr::new(192, 168, 1, 80),
                Ipv4Addr::new(203, 0, 113, 5),
            ),
            StaticNat::port(
                NatProtocol::Tcp,
                Ipv4Addr::new(192, 168, 1, 81),
                80,
                public,
                8080,
            ),
        ],
        pools: vec![NatPool::new(
            "PUB",
            Ipv4Addr::new(203, 0, 113, 10),
            Ipv4Addr::new(203, 0, 113, 11),
            24,
        )],
        dynamic: vec![
            DynamicNat {
                acl: "2".into(),
                target: NatTarget::Pool("PUB".into()),
                overload: false,
            },
            DynamicNat {
                acl: "1".into(),
                target: NatTarget::Interface(1),
                overload: true,
            },
        ],
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut acls = AclConfig::default();
    let mut mode = ConfigMode::Global;
    for line in [
        "access-list 2 permit 192.168.2.0 0.0.0.255",
        "access-list 1 permit any",
    ] {
        let _ = acls.apply_line(&mut mode, line);
    }
    let addrs = [
        Some(Ipv4Addr::new(192, 168, 1, 1)),
        Some(Ipv4Addr::new(203, 0, 113, 1)),
    ];
    let env = RouterEnv {
        acls: &acls,
        interface_addrs: &addrs,
    };
    let mut nat = Nat::new(config());
    let mut now = SimTime::ZERO;
    let mut rest = data;
    while let [len, control, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let mut packet = tail[..n].to_vec();
        rest = &tail[n..];
        now = now + core::time::Duration::from_secs(u64::from(control >> 3) * 7);
        let (in_iface, out_iface) = match control & 7 {
            0 | 1 | 2 => (0, Some(1)),
            3 | 4 | 5 => (1, None),
            6 => (1, Some(0)),
            _ => (0, Some(0)),
        };
        let before = packet.len();
        let outcome = nat.translate(now, &mut packet, in_iface, out_iface, &env);
        assert_eq!(packet.len(), before, "NAT never changes a packet's length");
        if let NatOutcome::Translated(t) = &outcome {
            let _ = t.debug_line();
            let ip = Ipv4Packet::new_checked(&packet[..]).expect("a translated packet parsed");
            assert!(ip.verify_checksum(), "IPv4 checksum recomputed");
        }
        let _ = outcome.to_string();
    }
    let _ = nat.show_translations(now, true);
    let _ = nat.show_statistics(now, |i| format!("Gi0/{i}"));
    if let Some(t) = nat.poll_timeout() {
        nat.handle_timeout(t);
    }
    nat.clear_translations();
});
