//! Devices never panic on any frame: random bytes and bit-flipped real
//! frames (ARP, ICMP, UDP, TCP) are fed to a host, a router, a switch and a
//! multilayer switch routing between two VLAN interfaces.

use std::net::Ipv4Addr;
use std::rc::Rc;

use lanlab_proto::SimTime;
use lanlab_proto::net::{Mac, packet};
use smoltcp::wire::{ArpOperation, EthernetProtocol, IpProtocol};

use super::{Ctx, Node};
use crate::config::IpConfig;
use crate::job::Job;
use crate::lab::{DeviceKind, Lab, Point};
use crate::rng::SplitMix64;

fn devices() -> Vec<Node> {
    let mut lab = Lab::new("fuzz");
    let mut nodes = Vec::new();
    for kind in [
        DeviceKind::Pc,
        DeviceKind::Router,
        DeviceKind::Switch,
        DeviceKind::MultilayerSwitch,
    ] {
        let id = lab.add_device(kind, Point::default());
        let d = lab.device_mut(id).unwrap();
        if kind == DeviceKind::MultilayerSwitch {
            let v = &mut d.ios.vlan;
            v.ip_routing = true;
            v.create_vlan(10);
            v.svi_mut(10).address = Some(([10, 0, 10, 1].into(), [255, 255, 255, 0].into()));
            d.ios.vlan1 = Some(lanlab_doc::ios::Svi {
                address: Some(([10, 0, 0, 1].into(), [255, 255, 255, 0].into())),
                shutdown: false,
            });
        } else if kind != DeviceKind::Switch {
            d.ports[0].ip = IpConfig::static_ip([10, 0, 0, 1].into(), [255, 255, 255, 0].into());
        }
        let mut node = Node::boot(lab.device(id).unwrap(), 9);
        if let Node::Switch(s) = &mut node {
            // Every link up: the multilayer switch's SVIs come up.
            let n = lab.device(id).unwrap().ports.len();
            s.sync_ports(SimTime::from_millis(0), &vec![true; n], &vec![false; n]);
        }
        nodes.push(node);
    }
    if let Node::Host(h) = &mut nodes[0] {
        h.tcp.listen(80);
    }
    nodes
}

fn seeds() -> Vec<Vec<u8>> {
    let me = Mac([2, 0x4c, 0, 0, 0, 0]);
    let peer = Mac([2, 0, 0, 0, 0, 9]);
    let (a, b) = (Ipv4Addr::new(10, 0, 0, 9), Ipv4Addr::new(10, 0, 0, 1));
    let arp = packet::arp(ArpOperation::Request, peer, a, Mac([0; 6]), b);
    let icmp = packet::icmp_echo(false, 1, 1, &[7; 32]);
    let udp = packet::udp(a, b, 1000, 53, b"hello");
    let seg = lanlab_proto::tcp::Segment {
        src_port: 1234,
        dst_port: 80,
        seq: 1,
        control: lanlab_proto::tcp::Control::Syn,
        window: 1000,
        ..Default::default()
    }
    .emit(a, b);
    vec![
        packet::ethernet(peer, Mac::BROADCAST, EthernetProtocol::Arp, &arp),
        packet::ethernet(
            peer,
            me,
            EthernetProtocol::Ipv4,
            &packet::ipv4(a, b, IpProtocol::Icmp, 1, 1, &icmp),
        ),
        packet::ethernet(
            peer,
            me,
            EthernetProtocol::Ipv4,
            &packet::ipv4(a, b, IpProtocol::Udp, 64, 2, &udp),
        ),
        packet::ethernet(
            peer,
            me,
            EthernetProtocol::Ipv4,
            &packet::ipv4(a, b, IpProtocol::Tcp, 64, 3, &seg),
        ),
        packet::ethernet(
            peer,
            me,
            EthernetProtocol::Ipv4,
            &packet::ipv4(a, Ipv4Addr::new(8, 8, 8, 8), IpProtocol::Icmp, 9, 4, &icmp),
        ),
    ]
}

#[test]
fn no_frame_makes_a_device_panic() {
    let mut rng = SplitMix64::new(5);
    let mut nodes = devices();
    let seeds = seeds();
    let mut tx = Vec::new();
    let mut notes = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let cabled = vec![true; 32];
    for i in 0..20_000u64 {
        let mut frame = if i % 4 == 0 {
            let n = (rng.next_u64() % 120) as usize;
            (0..n).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>()
        } else {
            seeds[(rng.next_u64() % seeds.len() as u64) as usize].clone()
        };
        if !frame.is_empty() && i % 4 != 1 {
            for _ in 0..(rng.next_u64() % 4) {
                let k = (rng.next_u64() % frame.len() as u64) as usize;
                frame[k] ^= 1 << (rng.next_u64() % 8);
            }
        }
        if i % 7 == 0 {
            let cut = (rng.next_u64() % (frame.len() as u64 + 1)) as usize;
            frame.truncate(cut);
        }
        let frame: Rc<[u8]> = frame.into();
        let mut checks = super::FrameChecks::default();
        for node in &mut nodes {
            let mut ctx = Ctx {
                start_unix: 0,
                now: SimTime::from_millis(i),
                tx: &mut tx,
                notes: &mut notes,
                noting: true,
                jobs: &mut jobs,
                cabled: &cabled,
                checks: &mut checks,
            };
            node.handle_frame(&mut ctx, 0, &frame);
            node.handle_timeout(&mut ctx);
            tx.clear();
            notes.clear();
        }
    }
}
