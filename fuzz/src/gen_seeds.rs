//! Writes a few valid seed inputs for each fuzz target, made with the crates'
//! own encoders, into `<dir>/<target>/seed-*` (default dir: `corpus`).
//! Run from `fuzz/`: `cargo +nightly run --bin gen_seeds -- corpus`.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use lanlab_proto::dhcp::{Message, MessageType, OpCode, OptionCode};
use lanlab_proto::tcp::{Control, Segment};
use lanlab_sim::{DeviceKind, Lab, Point, share};
use smoltcp::wire::EthernetAddress;

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let d = dir.join(target);
    std::fs::create_dir_all(&d).expect("create corpus dir");
    std::fs::write(d.join(format!("seed-{name}")), bytes).expect("write seed");
}

fn dhcp(dir: &Path) {
    let mac = EthernetAddress([0x02, 0x4c, 0, 0, 1, 0]);
    let ip = |d| Ipv4Addr::new(192, 168, 1, d);
    let mut discover = Message::new(OpCode::BootRequest, MessageType::Discover, 0x3903_f326, mac);
    discover.broadcast = true;
    discover.options.parameter_request_list =
        vec![OptionCode::SubnetMask, OptionCode::Router, OptionCode::DomainNameServer];
    discover.options.host_name = Some("PC0".into());
    discover.options.client_id = Some(vec![1, 2, 0x4c, 0, 0, 1, 0]);
    write(dir, "dhcp_message", "discover", &discover.to_bytes());

    let mut offer = Message::new(OpCode::BootReply, MessageType::Offer, 0x3903_f326, mac);
    offer.yiaddr = ip(10);
    offer.options.subnet_mask = Some(Ipv4Addr::new(255, 255, 255, 0));
    offer.options.routers = vec![ip(1)];
    offer.options.dns_servers = vec![ip(1), Ipv4Addr::new(8, 8, 8, 8)];
    offer.options.domain_name = Some("lab.local".into());
    offer.options.lease_time = Some(86_400);
    offer.options.renewal_time = Some(43_200);
    offer.options.rebinding_time = Some(75_600);
    offer.options.server_id = Some(ip(1));
    offer.options.unknown = vec![(43, vec![9, 9])];
    write(dir, "dhcp_message", "offer", &offer.to_bytes());

    let mut request = Message::new(OpCode::BootRequest, MessageType::Request, 7, mac);
    request.options.requested_ip = Some(ip(10));
    request.options.server_id = Some(ip(1));
    request.giaddr = Ipv4Addr::new(10, 0, 0, 1);
    request.hops = 1;
    write(dir, "dhcp_message", "request", &request.to_bytes());

    let mut nak = Message::new(OpCode::BootReply, MessageType::Nak, 7, mac);
    nak.options.message = Some("requested address not available".into());
    write(dir, "dhcp_message", "nak", &nak.to_bytes());

    let mut release = Message::new(OpCode::BootRequest, MessageType::Release, 9, mac);
    release.ciaddr = ip(10);
    write(dir, "dhcp_message", "release", &release.to_bytes());
}

fn tcp(dir: &Path) {
    let (src, dst) = (Ipv4Addr::new(192, 168, 1, 10), Ipv4Addr::new(192, 168, 1, 20));
    let syn = Segment {
        src_port: 49152,
        dst_port: 80,
        seq: 1000,
        control: Control::Syn,
        window: 64240,
        mss: Some(1460),
        window_scale: Some(7),
        ..Segment::default()
    };
    let data = Segment {
        src_port: 49152,
        dst_port: 80,
        seq: 1001,
        ack: Some(5001),
        psh: true,
        window: 64240,
        payload: b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ..Segment::default()
    };
    let fin = Segment {
        control: Control::Fin,
        ..data.clone()
    };
    let rst = Segment {
        control: Control::Rst,
        ack: None,
        payload: Vec::new(),
        ..data.clone()
    };
    for (name, s) in [("syn", syn), ("data", data), ("fin", fin), ("rst", rst)] {
        // First byte 0: the harness fills in the checksum.
        let mut bytes = vec![0];
        bytes.extend(s.emit(src, dst));
        write(dir, "tcp_segment", name, &bytes);
    }
}

fn labs() -> Vec<(&'static str, Lab)> {
    let mut small = Lab::new("Kelas 12 TKJ");
    let pc = small.add_device(DeviceKind::Pc, Point::new(100.0, 100.0));
    let sw = small.add_device(DeviceKind::Switch, Point::new(300.0, 100.0));
    small.connect(pc, sw).expect("connect");

    let mut big = Lab::new("two LANs");
    let r = big.add_device(DeviceKind::Router, Point::new(400.0, 50.0));
    for (i, kind) in DeviceKind::ALL.into_iter().enumerate() {
        let x = 100.0 * i as f64;
        let sw = big.add_device(DeviceKind::Switch, Point::new(x, 200.0));
        let host = big.add_device(kind, Point::new(x, 300.5));
        big.connect(r, sw).ok();
        big.connect(sw, host).ok();
    }
    vec![("empty", Lab::new("")), ("small", small), ("big", big)]
}

fn sim(dir: &Path) {
    for (name, lab) in labs() {
        let json = lab.to_json_pretty();
        write(dir, "lab_json", name, json.as_bytes());
        let mut link = vec![0u8];
        link.extend(format!("#{}", share::encode(&lab)).bytes());
        write(dir, "share_link", &format!("{name}-link"), &link);
        let mut raw = vec![1u8];
        raw.extend(json.bytes());
        write(dir, "share_link", &format!("{name}-json"), &raw);
    }
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    dhcp(&dir);
    tcp(&dir);
    sim(&dir);
    println!("seeds written under {}", dir.display());
}
