//! The trace notes of the mail service and clients and of the firewalls,
//! in Bahasa Indonesia. The protocol lines inside them (commands, replies,
//! an access-list entry as IOS prints it) stay as they are on the wire.

use lanlab_proto::firewall::{Action, Direction, FirewallNote};
use lanlab_proto::ospf::OspfNote;
use lanlab_sim::services::mail::{MailNote, MailProto};

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
/// packet and LSA names stay as IOS prints them).
pub fn ospf_note_id(n: &OspfNote) -> String {
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
    let route = |r: &lanlab_proto::ospf::OspfRoute| {
        let via: Vec<String> = r
            .next_hops
            .iter()
            .map(|h| {
                h.addr
                    .map_or(format!("interface {}", h.port), |a| a.to_string())
            })
            .collect();
        format!(
            "{} lewat {}, cost {}: dipelajari dari {} LSA milik {}",
            r.dest,
            via.join(" dan "),
            r.cost,
            r.source.ls_type,
            r.source.adv
        )
    };
    match n {
        OspfNote::NbrState {
            rid,
            from,
            to,
            event: e,
            ..
        } => format!("tetangga OSPF {rid} dari {from} ke {to}: {}", event(e)),
        OspfNote::Negotiated { rid, master, .. } => format!(
            "negosiasi OSPF dengan {rid} selesai: router ini {}",
            if *master { "MASTER" } else { "SLAVE" }
        ),
        OspfNote::Elected { dr, bdr, .. } => format!("pemilihan OSPF: DR {dr}, BDR {bdr}"),
        OspfNote::Originated { key, seq } => {
            format!("OSPF membuat {key} (seq 0x{seq:08x}) dan membanjirkannya")
        }
        OspfNote::Flushed { key } => format!("OSPF menghapus {key} miliknya (MaxAge)"),
        OspfNote::Installed { key, seq, from } => {
            format!("OSPF memasang {key} (seq 0x{seq:08x}) dari {from} dan meneruskannya")
        }
        OspfNote::Spf { routers, routes } => {
            format!("OSPF menjalankan SPF: {routers} router terjangkau, {routes} rute")
        }
        OspfNote::RouteAdded(r) => format!("OSPF menambah {}", route(r)),
        OspfNote::RouteChanged(r) => format!("OSPF mengubah rute: {}", route(r)),
        OspfNote::RouteRemoved { dest } => {
            format!("OSPF menghapus {dest}: tidak terjangkau lagi")
        }
        OspfNote::Mismatch { rid, what, .. } => {
            let what = match *what {
                "hello interval" => "hello interval",
                "dead interval" => "dead interval",
                _ => "network mask",
            };
            format!("hello OSPF dari {rid} diabaikan: {what} tidak cocok")
        }
        OspfNote::Dropped { reason, .. } => format!("paket OSPF dibuang: {reason}"),
    }
}

/// A RIP process's decision in Indonesian.
pub fn rip_note_id(n: &lanlab_proto::rip::Note) -> String {
    use lanlab_proto::rip::Note;
    match n {
        Note::Added {
            dest,
            via,
            metric,
            from,
        } => format!(
            "RIP menambahkan {dest} lewat {via}, metrik {metric}: dipelajari dari update {from}"
        ),
        Note::EqualPath { dest, via, metric } => format!(
            "RIP menambahkan jalur kedua ke {dest} lewat {via}: metrik sama {metric}, keduanya dipakai"
        ),
        Note::Changed {
            dest,
            via,
            old,
            new,
        } => format!("RIP mengubah {dest} menjadi lewat {via}, metrik {new} (sebelumnya {old})"),
        Note::PathLost { dest, via } => {
            format!("RIP berhenti memakai {via} untuk {dest}; jalur lain tetap")
        }
        Note::Poisoned { dest, via } => format!(
            "RIP: {via} menyatakan {dest} tidak terjangkau (metrik 16): rute ditahan (holddown) 180 dtk"
        ),
        Note::Invalid { dest, via } => format!(
            "RIP: tidak ada update tentang {dest} dari {via} selama 180 dtk: mungkin putus, ditahan (holddown)"
        ),
        Note::HeldDown { dest, from, metric } => format!(
            "RIP mengabaikan metrik {metric} dari {from} untuk {dest}: rute sedang holddown"
        ),
        Note::Restored { dest, via, metric } => {
            format!("RIP: {dest} terjangkau lagi lewat {via}, metrik {metric}")
        }
        Note::Flushed { dest } => {
            format!("RIP menghapus {dest}: 240 dtk tanpa update")
        }
        Note::NotNeighbour { from, iface } => {
            format!("RIP mengabaikan update dari {from}: bukan subnet {iface}")
        }
        Note::AnsweredRequest { to } => {
            format!("RIP menjawab permintaan {to} dengan seluruh tabel")
        }
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
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
}
