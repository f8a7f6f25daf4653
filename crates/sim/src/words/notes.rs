//! A device's decisions (trace notes) in the user's language. English is the
//! notes' own wording; Bahasa Indonesia words each decision of the devices
//! (switch, NIC, ARP, IP, router, UDP/TCP ports); the mail host's and the
//! firewalls' decisions are worded in `super::protocols`. The protocol
//! engines' inner notes (TCP, DHCP, DNS, SMTP/POP3/IMAP, web) keep their
//! protocol wording after a translated prefix.

use super::Lang;
use super::protocols::{firewall_note_id, mail_note_id, ospf_note_id, rip_note_id, stp_note_id};
use crate::Note;

/// One note, worded for `lang`.
pub fn note_text(lang: Lang, n: &Note) -> String {
    if lang == Lang::En {
        return n.to_string();
    }
    let s = |b: bool| {
        if b {
            "siaran (broadcast)"
        } else {
            "tujuan belum dikenal"
        }
    };
    match n {
        Note::SwitchLearned { mac, port } => format!("switch mempelajari {mac} di {port}"),
        Note::SwitchMoved { mac, from, to } => {
            format!("switch memindahkan {mac} dari {from} ke {to}")
        }
        Note::SwitchForwarded { port } => format!("switch meneruskan lewat {port}"),
        Note::SwitchFlooded { ports, broadcast } => {
            format!("switch membanjiri {ports} port ({})", s(*broadcast))
        }
        Note::SwitchFiltered { port } => {
            format!("switch membuang: tujuan ada di {port}, tempat frame ini datang")
        }
        Note::PortBlocked { port } => {
            format!("{port} tidak meneruskan (spanning tree): frame dibuang")
        }
        Note::Stp(n) => stp_note_id(n),
        Note::VlanIngress {
            port,
            vlan,
            tagged: true,
        } => format!(
            "tag 802.1Q di trunk {port}: frame ini milik VLAN {vlan}; switch melepas tag-nya di dalam"
        ),
        Note::VlanIngress {
            port,
            vlan,
            tagged: false,
        } => format!("frame tanpa tag di trunk {port}: milik native VLAN {vlan}"),
        Note::VlanTagged { port, vlan } => {
            format!("trunk {port}: tag 802.1Q untuk VLAN {vlan} dipasang")
        }
        Note::VlanNative { port, vlan } => {
            format!("trunk {port}: VLAN {vlan} adalah native VLAN-nya, dikirim tanpa tag")
        }
        Note::VlanFlooded {
            vlan,
            ports,
            broadcast,
        } => format!(
            "switch membanjiri hanya di VLAN {vlan}: lewat {ports} port ({})",
            s(*broadcast)
        ),
        Note::VlanDropped { port, reason } => {
            format!("{port} membuang frame: {}", vlan_drop_id(*reason))
        }
        Note::NoSubInterface { port, vlan } => format!(
            "frame bertag VLAN {vlan} di {port}, tetapi tidak ada sub-interface dengan encapsulation dot1Q {vlan}: dibuang"
        ),
        Note::NotRouting { dst } => format!(
            "paket untuk {dst} di interface VLAN, tetapi ip routing mati: switch tidak merutekannya (dibuang)"
        ),
        Note::SviReceived { vlan } => {
            format!("frame untuk interface Vlan{vlan}: diterima tumpukan IP switch")
        }
        Note::Malformed { what } => format!("{what} rusak: dibuang"),
        Note::NotForMe { dst } => {
            format!("frame untuk {dst}, bukan untuk NIC ini: diabaikan")
        }
        Note::ArpNotForMe { target } => {
            format!("permintaan ARP untuk {target} bukan untuk perangkat ini: diabaikan")
        }
        Note::ArpLearned { ip, mac } => format!("ARP: {ip} ada di {mac}"),
        Note::ArpReplied { ip, to } => format!("balasan ARP ke {to}: {ip} ada di sini"),
        Note::ArpRequested { ip } => format!("permintaan ARP: siapa punya {ip}?"),
        Note::ArpQueued { ip } => format!("paket menunggu jawaban ARP dari {ip}"),
        Note::ArpFailed { ip, dropped } => {
            format!("tidak ada jawaban ARP dari {ip}: {dropped} paket dibuang")
        }
        Note::EchoReplied { to } => format!("echo reply dikirim ke {to}"),
        Note::IcmpToApp { from } => format!("ICMP dari {from} diserahkan ke perintah"),
        Note::IpNotForMe { dst } => format!("paket untuk {dst} bukan untuk perangkat ini: dibuang"),
        Note::Forwarded {
            dst,
            via: Some(h),
            port,
            ttl,
        } => format!("router: {dst} lewat {h} keluar {port}, TTL sekarang {ttl}"),
        Note::Forwarded {
            dst,
            via: None,
            port,
            ttl,
        } => format!("router: {dst} terhubung langsung di {port}, TTL sekarang {ttl}"),
        Note::NoRoute { dst } => format!("router: tidak ada rute ke {dst}, dibuang"),
        Note::Nat(o) => nat_id(o),
        Note::Ospf(n) => ospf_note_id(n),
        Note::OspfInstalled { .. } => n
            .ospf_installed()
            .map_or_else(String::new, |o| ospf_note_id(&o)),
        Note::TtlExpired { src, dst } => {
            format!("TTL habis untuk paket ke {dst}: dibuang, time exceeded dikirim ke {src}")
        }
        Note::HostUnreachableSent { to, dst } => {
            format!("{dst} tidak terjangkau: {to} diberi tahu")
        }
        Note::AdminProhibitedSent { to, dst } => format!(
            "access list menolak paket ke {dst}: {to} diberi tahu \"administratively prohibited\" (ICMP tipe 3 kode 13)"
        ),
        Note::NoGateway { dst } => {
            format!("tidak ada rute ke {dst}: di luar jaringan ini dan default gateway belum diisi")
        }
        Note::PortUnreachable { port } => {
            format!("port UDP {port} tertutup: port unreachable dikirim")
        }
        Note::BroadcastIgnored { port } => format!(
            "broadcast untuk port UDP {port}, tidak ada program di sini yang memakainya: diabaikan"
        ),
        Note::UdpDelivered { port } => format!("datagram UDP masuk antrean port {port}"),
        Note::TcpPortClosed { port } => {
            format!("port TCP {port} tertutup: koneksi ditolak (RST)")
        }
        Note::Tcp(n) => format!("TCP: {n}"),
        Note::Loopback { dst } => {
            format!("paket ke {dst} diputar balik di dalam host (loopback)")
        }
        Note::DhcpServer(n) => format!("server DHCP: {n}"),
        Note::DhcpClient(n) => format!("klien DHCP: {n}"),
        Note::DhcpRelay(n) => format!("relay DHCP: {n}"),
        Note::Dns(n) => format!("DNS: {n}"),
        Note::Mail(n) => mail_note_id(n),
        Note::HttpServer(n) => format!("server web: {n}"),
        Note::Browser(n) => format!("browser: {n}"),
        Note::Firewall(n) => firewall_note_id(n),
        Note::Rip(n) => rip_note_id(n),
        Note::Unsupported { what } => format!("{what} tidak didukung di sini: diabaikan"),
    }
}

/// What NAT did, in Bahasa Indonesia: the mapping in IOS's names (inside
/// local / inside global stay in English, as the commands show them).
fn nat_id(o: &lanlab_proto::nat::NatOutcome) -> String {
    use lanlab_proto::nat::{MappingSource, NatDirection, NatDrop, NatOutcome, Untranslated};
    match o {
        NatOutcome::Translated(t) => {
            let ep = |e: lanlab_proto::nat::Endpoint| {
                if t.protocol.is_some() {
                    e.to_string()
                } else {
                    e.addr.to_string()
                }
            };
            let (il, ig, peer) = (
                ep(t.inside_local),
                ep(t.inside_global),
                ep(t.outside_global),
            );
            let how = match &t.source {
                MappingSource::Static => "statis".to_string(),
                MappingSource::StaticPort => "port forwarding statis".to_string(),
                MappingSource::Pool { pool } => format!("pool {pool}"),
                MappingSource::Overload { pool: Some(p) } => format!("PAT pada pool {p}"),
                MappingSource::Overload { pool: None } => "PAT pada interface".to_string(),
            };
            let what = if t.icmp_error {
                "galat ICMP (paket yang dikutip juga)"
            } else {
                "NAT"
            };
            match t.direction {
                NatDirection::InsideToOutside => {
                    format!("{what}: inside local {il} → inside global {ig} ({how}), ke {peer}")
                }
                NatDirection::OutsideToInside => {
                    format!("{what}: inside global {ig} → inside local {il} ({how}), dari {peer}")
                }
            }
        }
        NatOutcome::Untranslated(u) => match u {
            Untranslated::NotAcrossNat => {
                "NAT: bukan dari interface inside ke outside, tidak diterjemahkan".into()
            }
            Untranslated::NotPermitted { source } => format!(
                "NAT: tidak ada entri statis dan tidak ada access list NAT yang mengizinkan {source}, dikirim tanpa diterjemahkan"
            ),
            Untranslated::NoEntry { destination } => {
                format!("NAT: tidak ada translasi untuk {destination}, tidak diterjemahkan")
            }
            Untranslated::Unsupported { protocol } => format!(
                "NAT: protokol IP {protocol} tidak punya port untuk diterjemahkan, dikirim tanpa diterjemahkan"
            ),
        },
        NatOutcome::Dropped(d) => match d {
            NatDrop::Malformed => "NAT: paket IPv4 rusak dibuang".into(),
            NatDrop::PoolExhausted { pool } => format!(
                "NAT: pool {pool} tidak punya alamat bebas, paket dibuang (tambah alamat atau pakai overload)"
            ),
            NatDrop::PortsExhausted { addr } => {
                format!("NAT: tidak ada port bebas di {addr}, paket dibuang")
            }
            NatDrop::PoolUndefined { pool } => {
                format!("NAT: pool {pool} belum dikonfigurasi, paket dibuang")
            }
            NatDrop::NoInterfaceAddress { iface } => {
                format!("NAT: interface overload (#{iface}) tidak punya alamat IP, paket dibuang")
            }
            NatDrop::NoMapping {
                source,
                destination,
            } => format!(
                "NAT: tidak ada translasi untuk {source} → {destination}: lalu lintas dari luar butuh entri statis, paket dibuang"
            ),
        },
    }
}

/// Why a switch port drops a frame because of its VLAN, in Indonesian.
fn vlan_drop_id(r: crate::note::VlanDrop) -> String {
    use crate::note::VlanDrop;
    match r {
        VlanDrop::TaggedOnAccess => "port access tidak menerima frame bertag 802.1Q".into(),
        VlanDrop::NoSuchVlan(v) => {
            format!("VLAN {v} tidak ada di switch ini (buat dengan vlan {v})")
        }
        VlanDrop::NotAllowed(v) => format!(
            "VLAN {v} tidak ada di daftar allowed trunk ini (switchport trunk allowed vlan)"
        ),
    }
}
