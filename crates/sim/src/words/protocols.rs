//! The trace notes of the mail service and clients and of the firewalls,
//! in Bahasa Indonesia. The protocol lines inside them (commands, replies,
//! an access-list entry as IOS prints it) stay as they are on the wire.

use crate::note::{OspfNamed, RipNamed, StpNote, StpWhat};
use crate::services::mail::{MailNote, MailProto};
use lanlab_proto::firewall::{Action, Direction, FirewallNote};
use lanlab_proto::ospf::OspfNote;
use lanlab_proto::stp::{Role, State};

/// A mail note in Indonesian.
pub fn mail_note_id(n: &MailNote) -> String {
    match n {
        MailNote::Smtp(n) => format!("server SMTP: {n}"),
        MailNote::SmtpClient(n) => format!("klien SMTP: {n}"),
        MailNote::Queue(n) => format!("antrean email: {n}"),
        MailNote::Pop3(n) => format!("server POP3: {n}"),
        MailNote::Pop3Client(n) => format!("klien POP3: {n}"),
        MailNote::Imap(n) => format!("server IMAP: {n}"),
        MailNote::ImapClient(n) => format!("klien IMAP: {n}"),
        MailNote::Accepted { proto, peer } => {
            format!("server {} menerima koneksi dari {peer}", proto_name(*proto))
        }
        MailNote::Connecting { proto, server } => format!(
            "aplikasi email menghubungi server {} di {server}",
            proto_name(*proto)
        ),
        MailNote::Unreachable {
            proto,
            server,
            reason,
        } => format!(
            "server {} di {server} tidak bisa dihubungi: {reason}",
            proto_name(*proto)
        ),
        MailNote::MxQuery { domain } => format!("bertanya ke DNS: MX dari {domain}"),
        MailNote::MxFound {
            domain,
            host,
            preference,
            addr,
        } => {
            format!("email untuk {domain} dikirim ke {host} (MX preference {preference}) di {addr}")
        }
        MailNote::FannedOut { account, sessions } => {
            format!("kotak surat {account} berubah: {sessions} sesi IMAP lain diberi tahu")
        }
    }
}

fn role_id(r: Role) -> &'static str {
    match r {
        Role::Root => "root",
        Role::Designated => "designated",
        Role::Alternate => "alternate",
        Role::Backup => "backup",
        Role::Disabled => "nonaktif",
    }
}

fn state_id(s: State) -> &'static str {
    match s {
        State::Disabled => "nonaktif",
        State::Blocking => "blocking (memblokir)",
        State::Listening => "listening (mendengar)",
        State::Learning => "learning (belajar)",
        State::Forwarding => "forwarding (meneruskan)",
        State::Discarding => "discarding (membuang)",
    }
}

/// A spanning tree note in Indonesian.
pub fn stp_note_id(n: &StpNote) -> String {
    let port = n.port.as_deref().unwrap_or("?");
    let what = match &n.what {
        StpWhat::NewRoot { root, cost } => match &n.port {
            None => format!("switch ini menjadi root bridge ({root})"),
            Some(p) => format!("root bridge adalah {root}, biaya {cost} lewat {p}"),
        },
        StpWhat::Role { role, why: Some(w) } => {
            let mut t = format!(
                "{port} menjadi {}: BPDU dari {} (port {}, biaya {}) menawarkan jalur lebih murah ke root",
                role_id(*role),
                w.from,
                w.their_port,
                w.cost
            );
            if let Some(rp) = &w.root_port {
                t.push_str(&format!("; root dicapai lewat {rp}"));
            }
            t
        }
        StpWhat::Role { role, why: None } => format!("{port} menjadi port {}", role_id(*role)),
        StpWhat::State {
            state,
            next_in: Some(s),
        } => format!(
            "{port} sekarang {} (forward delay {s} detik)",
            state_id(*state)
        ),
        StpWhat::State {
            state,
            next_in: None,
        } => format!("{port} sekarang {}", state_id(*state)),
        StpWhat::InfoExpired => {
            format!("{port}: tidak ada BPDU selama max age, informasi tetangga kedaluwarsa")
        }
        StpWhat::InferiorIgnored => {
            format!("{port}: BPDU yang lebih buruk dari designated bridge diabaikan sampai max age")
        }
        StpWhat::TopologyChange => format!("perubahan topologi: status {port} berubah"),
        StpWhat::TcnReceived => {
            format!("pemberitahuan perubahan topologi (TCN) di {port}, dikonfirmasi")
        }
        StpWhat::Flush => {
            format!("perubahan topologi: alamat MAC cepat kedaluwarsa (kecuali di {port})")
        }
        StpWhat::Proposal => format!("{port} mengusulkan langsung meneruskan (proposal)"),
        StpWhat::Agreed => format!("{port} mendapat persetujuan (agreement): meneruskan"),
        StpWhat::AgreementSent => {
            format!("proposal di root port {port}: port lain disinkronkan, agreement dikirim")
        }
        StpWhat::EdgeLost => format!("BPDU di port portfast {port}: bukan edge port lagi"),
    };
    format!("STP VLAN {}: {what}", n.vlan)
}

fn proto_name(p: MailProto) -> &'static str {
    match p {
        MailProto::Smtp => "SMTP",
        MailProto::Pop3 => "POP3",
        MailProto::Imap => "IMAP",
    }
}

fn direction_id(d: Direction) -> &'static str {
    match d {
        Direction::In => "masuk",
        Direction::Out => "keluar",
    }
}

fn action_id(a: Action) -> &'static str {
    match a {
        Action::Allow => "izinkan",
        Action::Deny => "tolak",
        Action::Reject => "tolak dan beri tahu",
    }
}

/// A firewall or access-list note in Indonesian.
pub fn firewall_note_id(n: &FirewallNote) -> String {
    match n {
        FirewallNote::HostOff { device } => format!("firewall di {device} mati"),
        FirewallNote::HostRule {
            device,
            number,
            rule,
        } => format!("firewall di {device}: aturan {number} {rule}"),
        FirewallNote::HostDefault {
            device,
            direction,
            action,
        } => format!(
            "firewall di {device}: tidak ada aturan yang cocok, kebijakan bawaan arah {} adalah {}",
            direction_id(*direction),
            action_id(*action)
        ),
        FirewallNote::HostStateful { device } => {
            format!("firewall di {device}: bagian dari koneksi yang sudah diizinkan, izinkan")
        }
        FirewallNote::AclEntry {
            acl,
            direction,
            interface,
            entry,
        } => format!("ACL {acl} {direction} di {interface}: {entry}"),
        FirewallNote::AclImplicitDeny {
            acl,
            direction,
            interface,
        } => format!(
            "ACL {acl} {direction} di {interface}: implicit deny (tidak ada yang cocok, tolak)"
        ),
        FirewallNote::AclUndefined {
            acl,
            direction,
            interface,
        } => format!("ACL {acl} {direction} di {interface} belum dibuat: semua paket lewat"),
        FirewallNote::NoAcl {
            direction,
            interface,
        } => format!("tidak ada ACL {direction} di {interface}"),
    }
}

/// What a router's OSPF process did, in Bahasa Indonesia (state names,
/// packet and LSA names stay as IOS prints them); routers are named by
/// hostname, with the router ID or address in parentheses.
pub fn ospf_note_id(n: &OspfNamed) -> String {
    use lanlab_proto::ospf::NbrEvent as E;
    let event = |e: &E| match e {
        E::HelloReceived => "hello diterima",
        E::TwoWayReceived => "hello-nya mencantumkan router ini",
        E::OneWayReceived => "hello-nya tidak lagi mencantumkan router ini",
        E::NegotiationDone => "master/slave sudah disepakati",
        E::ExchangeDone => "pertukaran DBD selesai",
        E::LoadingDone => "semua LSA yang diminta sudah tiba",
        E::SeqNumberMismatch => "nomor urut DBD tidak cocok",
        E::AdjOk => "DR/BDR berubah",
        E::InactivityTimer => "dead timer habis",
        E::KillNbr => "interface mati",
    };
    let lsa = |k: &lanlab_proto::ospf::LsaKey| match n.name(k.adv) {
        Some(name) => format!("{} LSA milik {name} ({})", k.ls_type, k.id),
        None => k.to_string(),
    };
    let route = |r: &lanlab_proto::ospf::OspfRoute| {
        let via: Vec<String> = r
            .next_hops
            .iter()
            .map(|h| {
                h.addr
                    .map_or(format!("interface {}", h.port), |a| a.to_string())
            })
            .collect();
        let from = match n.name(r.source.adv) {
            Some(name) => format!("{} LSA milik {name} ({})", r.source.ls_type, r.source.adv),
            None => format!("{} LSA milik {}", r.source.ls_type, r.source.adv),
        };
        format!(
            "{} lewat {}, cost {}: dipelajari dari {from}",
            r.dest,
            via.join(" dan "),
            r.cost
        )
    };
    let me = n.subject("OSPF");
    match &n.note {
        OspfNote::NbrState {
            rid,
            from,
            to,
            event: e,
            ..
        } => format!(
            "tetangga OSPF {} dari {from} ke {to}: {}",
            n.who(*rid),
            event(e)
        ),
        OspfNote::Negotiated { rid, master, .. } => format!(
            "negosiasi OSPF dengan {} selesai: router ini {}",
            n.who(*rid),
            if *master { "MASTER" } else { "SLAVE" }
        ),
        OspfNote::Elected { dr, bdr, .. } => {
            format!("pemilihan OSPF: DR {}, BDR {}", n.who(*dr), n.who(*bdr))
        }
        OspfNote::Originated { key, seq } => {
            format!(
                "OSPF membuat {} (seq 0x{seq:08x}) dan membanjirkannya",
                lsa(key)
            )
        }
        OspfNote::Deferred { key, until } => format!(
            "OSPF menahan instance baru {} sampai {}: belum lewat MinLSInterval (5 s) \
             sejak instance sebelumnya",
            lsa(key),
            crate::note::secs(*until, ',')
        ),
        OspfNote::TooSoon { key, seq, from } => format!(
            "OSPF membuang {} (seq 0x{seq:08x}) dari {}: belum lewat MinLSArrival (1 s) \
             sejak instance sebelumnya tiba; tidak dibalas LSAck",
            lsa(key),
            n.who(*from)
        ),
        OspfNote::Flushed { key } => format!("OSPF menghapus {} (MaxAge)", lsa(key)),
        OspfNote::Installed { key, seq, from } => format!(
            "OSPF memasang {} (seq 0x{seq:08x}) dari {} dan meneruskannya",
            lsa(key),
            n.who(*from)
        ),
        OspfNote::Spf { routers, routes } => {
            format!("OSPF menjalankan SPF: {routers} router terjangkau, {routes} rute")
        }
        OspfNote::RouteAdded(r) => format!("{me} menambah {}", route(r)),
        OspfNote::RouteChanged(r) => format!("{me} mengubah rutenya: {}", route(r)),
        OspfNote::RouteRemoved { dest } => {
            format!("{me} menghapus {dest}: tidak terjangkau lagi lewat OSPF")
        }
        OspfNote::Mismatch { rid, what, .. } => {
            let what = match *what {
                "hello interval" => "hello interval",
                "dead interval" => "dead interval",
                _ => "network mask",
            };
            format!(
                "hello OSPF dari {} diabaikan: {what} tidak cocok",
                n.who(*rid)
            )
        }
        OspfNote::Dropped { reason, .. } => format!("paket OSPF dibuang: {reason}"),
    }
}

/// A RIP process's decision in Indonesian; neighbours are named by
/// hostname, with their address in parentheses.
pub fn rip_note_id(n: &RipNamed) -> String {
    use lanlab_proto::rip::Note;
    let me = n.subject("RIP");
    match &n.note {
        Note::Added {
            dest,
            via,
            metric,
            from,
        } => format!(
            "{me} menambahkan {dest} lewat {via}, metrik {metric}: dipelajari dari update RIP {}",
            n.short(*from)
        ),
        Note::EqualPath { dest, via, metric } => format!(
            "RIP menambahkan jalur kedua ke {dest} lewat {}: metrik sama {metric}, keduanya dipakai",
            n.who(*via)
        ),
        Note::Changed {
            dest,
            via,
            old,
            new,
        } => format!(
            "RIP mengubah {dest} menjadi lewat {}, metrik {new} (sebelumnya {old})",
            n.who(*via)
        ),
        Note::PathLost { dest, via } => {
            format!(
                "RIP berhenti memakai {} untuk {dest}; jalur lain tetap",
                n.who(*via)
            )
        }
        Note::Poisoned { dest, via } => format!(
            "RIP: {} menyatakan {dest} tidak terjangkau (metrik 16): rute ditahan (holddown) 180 dtk",
            n.who(*via)
        ),
        Note::InterfaceDown { dest, via, iface } => format!(
            "RIP langsung membuang {dest} lewat {}: {iface} mati atau tidak lagi menjalankan RIP",
            n.who(*via)
        ),
        Note::Invalid { dest, via } => format!(
            "RIP: tidak ada update tentang {dest} dari {} selama 180 dtk: mungkin putus, ditahan (holddown)",
            n.who(*via)
        ),
        Note::HeldDown { dest, from, metric } => format!(
            "RIP mengabaikan metrik {metric} dari {} untuk {dest}: rute sedang holddown",
            n.who(*from)
        ),
        Note::Restored { dest, via, metric } => {
            format!(
                "RIP: {dest} terjangkau lagi lewat {}, metrik {metric}",
                n.who(*via)
            )
        }
        Note::Flushed { dest } => {
            format!("RIP menghapus {dest}: 240 dtk tanpa update")
        }
        Note::NotNeighbour { from, iface } => {
            format!(
                "RIP mengabaikan update dari {}: bukan subnet {iface}",
                n.who(*from)
            )
        }
        Note::AnsweredRequest { to } => {
            format!(
                "RIP menjawab permintaan {} dengan seluruh tabel",
                n.who(*to)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_decisions_read_in_indonesian() {
        let server = "192.168.1.1:25".parse().unwrap();
        let notes = [
            MailNote::Accepted {
                proto: MailProto::Smtp,
                peer: "192.168.1.10:49152".parse().unwrap(),
            },
            MailNote::Connecting {
                proto: MailProto::Pop3,
                server,
            },
            MailNote::Unreachable {
                proto: MailProto::Imap,
                server,
                reason: "connection refused".into(),
            },
            MailNote::MxQuery {
                domain: "dadali.com".into(),
            },
            MailNote::MxFound {
                domain: "dadali.com".into(),
                host: "mail.dadali.com".into(),
                preference: 10,
                addr: "10.0.0.2".parse().unwrap(),
            },
            MailNote::FannedOut {
                account: "akbari".into(),
                sessions: 2,
            },
        ];
        for n in &notes {
            let id = mail_note_id(n);
            assert!(!id.is_empty());
            assert_ne!(id, n.to_string());
        }
        let device = || "PC0".to_string();
        let interface = || "GigabitEthernet0/0".to_string();
        let fw = [
            FirewallNote::HostOff { device: device() },
            FirewallNote::HostRule {
                device: device(),
                number: 1,
                rule: "deny tcp any → port 110".into(),
            },
            FirewallNote::HostDefault {
                device: device(),
                direction: Direction::In,
                action: Action::Deny,
            },
            FirewallNote::HostStateful { device: device() },
            FirewallNote::AclEntry {
                acl: "101".into(),
                direction: Direction::In,
                interface: interface(),
                entry: "10 permit ip any any".into(),
            },
            FirewallNote::AclImplicitDeny {
                acl: "101".into(),
                direction: Direction::In,
                interface: interface(),
            },
            FirewallNote::AclUndefined {
                acl: "101".into(),
                direction: Direction::Out,
                interface: interface(),
            },
            FirewallNote::NoAcl {
                direction: Direction::Out,
                interface: interface(),
            },
        ];
        let mut seen = std::collections::BTreeSet::new();
        for n in &fw {
            let id = firewall_note_id(n);
            assert_ne!(id, n.to_string());
            assert!(seen.insert(id), "{n:?}");
        }
    }

    #[test]
    fn routing_notes_name_routers_by_hostname() {
        use crate::note::Named;
        use lanlab_proto::net::ip::Ipv4Net;
        use lanlab_proto::ospf::{LsType, LsaKey, NextHop, OspfRoute, RouteKind};
        use std::net::Ipv4Addr;
        use std::rc::Rc;
        let r3 = Ipv4Addr::new(3, 3, 3, 3);
        let hop = Ipv4Addr::new(10, 0, 23, 3);
        let names: crate::note::RouterNames =
            Rc::new([(r3, Rc::from("R3")), (hop, Rc::from("R3"))].into());
        let route = OspfRoute {
            dest: Ipv4Net::new(Ipv4Addr::new(192, 168, 3, 0), 24).unwrap(),
            kind: RouteKind::IntraArea,
            cost: 2,
            next_hops: vec![NextHop {
                port: 1,
                addr: Some(hop),
            }],
            area: Ipv4Addr::UNSPECIFIED,
            source: LsaKey {
                ls_type: LsType::Router,
                id: r3,
                adv: r3,
            },
        };
        let ospf = Named {
            note: OspfNote::RouteAdded(route),
            router: Rc::from("R2"),
            names: names.clone(),
        };
        assert_eq!(
            ospf_note_id(&ospf),
            "R2 menambah 192.168.3.0/24 lewat 10.0.23.3, cost 2: dipelajari dari router LSA milik R3 (3.3.3.3)"
        );
        assert_eq!(
            ospf.to_string(),
            "R2 adds 192.168.3.0/24 via 10.0.23.3, cost 2: learned from R3's router LSA (3.3.3.3)"
        );
        let rip = Named {
            note: lanlab_proto::rip::Note::Poisoned {
                dest: Ipv4Net::new(Ipv4Addr::new(192, 168, 3, 0), 24).unwrap(),
                via: hop,
            },
            router: Rc::from("R2"),
            names,
        };
        let id = rip_note_id(&rip);
        assert!(id.starts_with("RIP: R3 (10.0.23.3) menyatakan"), "{id}");
        assert_ne!(id, rip.to_string());
    }
}
