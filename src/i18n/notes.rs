//! The trace notes of the mail service and clients and of the firewalls,
//! in Bahasa Indonesia. The protocol lines inside them (commands, replies,
//! an access-list entry as IOS prints it) stay as they are on the wire.

use lanlab_proto::firewall::{Action, Direction, FirewallNote};
use lanlab_proto::stp::{Role, State};
use lanlab_sim::note::{StpNote, StpWhat};
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
