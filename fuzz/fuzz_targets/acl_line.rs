//! IOS access lists: arbitrary configuration text, line by line, through
//! `AclConfig::apply_line` (the IOS line parser and the mode tracking of
//! `interface …` / `ip access-list …` / `exit`) never panics; the resulting
//! lists are shown and checked against a few packets on every interface.
#![no_main]

use std::net::Ipv4Addr;

use lanlab_proto::firewall::{
    AclConfig, AclEngine, ConfigMode, Direction, PacketInfo, TcpFlags, parse_line,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut config = AclConfig::default();
    let mut mode = ConfigMode::Global;
    for line in text.lines().take(200) {
        let _ = parse_line(line, &ConfigMode::Global);
        if let Err(e) = config.apply_line(&mut mode, line) {
            let _ = e.to_string();
        }
    }
    let mut engine = AclEngine::new(config);
    let _ = engine.show_access_lists();
    let (pc, server) = (Ipv4Addr::new(192, 168, 1, 10), Ipv4Addr::new(10, 0, 0, 80));
    let packets = [
        PacketInfo::tcp(pc, 49152, server, 80, TcpFlags::SYN),
        PacketInfo::udp(pc, 5353, server, 53),
        PacketInfo::icmp(pc, server, 8, 1),
        PacketInfo::icmp(server, pc, 0, 1),
    ];
    for interface in ["Gi0/0", "Gi0/1", "GigabitEthernet0/0", "Fa0/0"] {
        for direction in [Direction::In, Direction::Out] {
            for p in &packets {
                let _ = format!("{:?}", engine.check(interface, direction, p));
            }
        }
    }
    let _ = engine.show_access_lists();
});
