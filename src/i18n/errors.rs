//! Errors of the document and the engines, worded for the student.
//!
//! English is each error's own `Display`; Bahasa Indonesia is worded here
//! from the error's fields. Every `match` names every variant and has no
//! fallback arm, so a new variant without its Indonesian does not compile.

use lanlab_doc::error::{ActionProblem, ActivityProblem, JsonProblem, Malformed, ServiceProblem};
use lanlab_doc::services::MailConfigError;
use lanlab_proto::dhcp::ConfigError;
use lanlab_proto::dns::ZoneError;
use lanlab_proto::mail::{AddressError, StoreError};
use lanlab_proto::net::NetError;
use lanlab_sim::mailclient::{MailClientError, MailFailure};
use lanlab_sim::services::app::TcpEnd;
use lanlab_sim::share::ShareError;
use lanlab_sim::{ActionError, LabError};

use super::{Key, Lang};

/// An edit or document error, worded for the user in `lang`.
pub fn lab_error(lang: Lang, e: &LabError) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Id => lab_error_id(e),
    }
}

fn lab_error_id(e: &LabError) -> String {
    match e {
        LabError::Malformed(m) => format!("ini bukan file lab lanlab: {}", malformed_id(m)),
        LabError::TooNew { found, supported } => format!(
            "lab ini dibuat dengan lanlab yang lebih baru (format {found}; versi ini membaca sampai {supported})"
        ),
        LabError::Service { device, problem } => {
            format!(
                "{device}, {}: {}",
                service_name_id(problem),
                service_problem_id(problem)
            )
        }
        LabError::NoSuchDevice(n) => format!("tidak ada perangkat nomor {n}"),
        LabError::NoSuchPort { device, port } => format!("{device} tidak punya port nomor {port}"),
        LabError::DuplicateName(n) => format!("nama {n} sudah dipakai perangkat lain"),
        LabError::BadName => {
            "nama perangkat harus 1 sampai 63 karakter tanpa karakter kontrol".into()
        }
        LabError::NoFreePort(d) => format!("{d} tidak punya port kosong"),
        LabError::PortInUse { device, port } => format!("{device} {port} sudah terpasang kabel"),
        LabError::SelfLink => "kabel harus menghubungkan dua perangkat yang berbeda".into(),
        LabError::BadMac(m) => {
            format!("{m} bukan alamat MAC (tulis seperti 00:1a:2b:3c:4d:5e)")
        }
        LabError::BadLoss(l) => format!("tingkat kehilangan {l} harus antara 0 dan 1"),
        LabError::NonContiguousMask { at, mask } => {
            format!("{at}: Subnet Mask {mask} tidak berurutan (bit 1 harus menyambung dari kiri)")
        }
        LabError::NotAHostAddress { at, address } => {
            format!("{at}: {address} tidak bisa menjadi IP Address sebuah host")
        }
        LabError::NetworkAddress { at, address, net } => {
            format!("{at}: {address} adalah alamat network dari {net}; pilih alamat host")
        }
        LabError::BroadcastAddress { at, address, net } => {
            format!("{at}: {address} adalah alamat broadcast dari {net}; pilih alamat host")
        }
        LabError::GatewayOffLink { at, gateway, net } => format!(
            "{at}: Default Gateway {gateway} tidak berada di jaringan interface ini ({net})"
        ),
        LabError::DuplicateAddress {
            address,
            first,
            second,
        } => format!("{address} dipasang di {first} dan juga di {second}"),
        LabError::RouteHostBits {
            device,
            route,
            network,
        } => format!("{device}: rute {route}: alamat network seharusnya {network}"),
        LabError::Activity(p) => format!("aktivitas: {}", activity_problem_id(p)),
        LabError::BadAction {
            index,
            action,
            reason,
        } => format!("aksi {index} ({action}): {}", action_problem_id(reason)),
    }
}

fn malformed_id(m: &Malformed) -> String {
    match m {
        Malformed::Json {
            kind: JsonProblem::Syntax,
            line,
            column,
            ..
        } => format!("JSON-nya rusak di baris {line}, kolom {column}"),
        Malformed::Json {
            kind: JsonProblem::Eof,
            line,
            ..
        } => format!("isinya terpotong: JSON berhenti di baris {line}"),
        Malformed::Json {
            kind: JsonProblem::Data,
            detail,
            ..
        } => format!("bentuk isinya tidak sesuai lab (pembaca JSON: {detail})"),
        Malformed::NotAnObject => "lab harus berupa objek JSON ({ … })".into(),
        Malformed::NoVersion => "tidak ada nomor \"version\"".into(),
        Malformed::VersionNotANumber => "\"version\" harus bilangan bulat".into(),
        Malformed::VersionZero => "version 0 tidak ada".into(),
        Malformed::DeviceIdTwice(n) => format!("nomor perangkat {n} dipakai dua kali"),
        Malformed::CableIdTwice(n) => format!("nomor kabel {n} dipakai dua kali"),
        Malformed::NoSuchCable(n) => format!("tidak ada kabel nomor {n}"),
        Malformed::AppClosing => "aplikasi sedang ditutup".into(),
    }
}

fn activity_problem_id(p: &ActivityProblem) -> String {
    match p {
        ActivityProblem::TooManyChecks { count, max } => {
            format!("{count} pemeriksaan; satu aktivitas paling banyak {max}")
        }
        ActivityProblem::LongInstructions { max } => {
            format!("instruksi lebih panjang dari {max} karakter")
        }
        ActivityProblem::LongText { check, max } => {
            format!("pemeriksaan {check}: ada teks yang lebih panjang dari {max} karakter")
        }
        ActivityProblem::LockDamaged => "kunci guru rusak".into(),
        ActivityProblem::LockTooManyDevices => "kunci menyebut terlalu banyak perangkat".into(),
    }
}

fn action_problem_id(p: &ActionProblem) -> String {
    match p {
        ActionProblem::NoDevice(d) => format!("tidak ada perangkat bernama {d}"),
        ActionProblem::NoPort { device, port } => format!("{device} tidak punya port {port}"),
        ActionProblem::Invalid(e) => lab_error_id(e),
    }
}

fn service_name_id(p: &ServiceProblem) -> &'static str {
    match p {
        ServiceProblem::UserWithoutName | ServiceProblem::UserOutsideDomains { .. } => "email",
        other => other.service(),
    }
}

fn service_problem_id(p: &ServiceProblem) -> String {
    match p {
        ServiceProblem::Dhcp(e) => dhcp_config_id(e),
        ServiceProblem::ZoneTwice(z) => format!("zona {z} ditulis dua kali"),
        ServiceProblem::NoRootHint => {
            "rekursi butuh paling sedikit satu root hint (alamat sebuah root server)".into()
        }
        ServiceProblem::UserWithoutName => "ada pengguna tanpa nama".into(),
        ServiceProblem::UserOutsideDomains { user, domain } => {
            format!("pengguna {user} ada di domain {domain}, yang tidak dipegang server ini")
        }
        ServiceProblem::RelayWithoutHelper(i) => {
            format!("interface {i} belum punya helper address")
        }
    }
}

fn dhcp_config_id(e: &ConfigError) -> String {
    match e {
        ConfigError::MaskNotContiguous { pool, mask } => {
            format!("pool {pool}: Subnet Mask {mask} tidak berurutan")
        }
        ConfigError::StartOutsideNetwork {
            pool,
            start,
            network,
            prefix,
        } => format!("pool {pool}: alamat awal {start} tidak berada di {network}/{prefix}"),
        ConfigError::RangeTooLong {
            pool,
            start,
            max_users,
            last,
        } => format!(
            "pool {pool}: {max_users} pengguna mulai {start} melewati {last}, alamat host terakhir"
        ),
        ConfigError::ReservationOutsideNetwork {
            pool,
            address,
            network,
            prefix,
        } => {
            format!("pool {pool}: alamat yang dipesan {address} tidak berada di {network}/{prefix}")
        }
        ConfigError::DuplicateName(n) => format!("ada dua pool bernama {n}"),
        ConfigError::ZeroLeaseTime(pool) => {
            format!("pool {pool}: masa sewa harus lebih dari 0")
        }
    }
}

/// A mail server configuration error, worded for the user in `lang`.
pub fn mail_config_error(lang: Lang, e: &MailConfigError) -> String {
    match (lang, e) {
        (Lang::En, _) => e.to_string(),
        (Lang::Id, MailConfigError::Store(s)) => format!("layanan email: {}", store_error_id(s)),
    }
}

fn store_error_id(e: &StoreError) -> String {
    match e {
        StoreError::NoSuchDomain(d) => format!("domain {d} tidak dilayani di sini"),
        StoreError::DomainExists(d) => format!("domain {d} sudah ada"),
        StoreError::BadDomain(d) => format!("{d:?} bukan nama domain yang valid"),
        StoreError::NoSuchUser(u) => format!("tidak ada pengguna {u}"),
        StoreError::UserExists(u) => format!("pengguna {u} sudah ada"),
        StoreError::BadUserName(u) => format!("{u:?} tidak bisa menjadi nama pengguna"),
        StoreError::AmbiguousUser(u) => {
            format!("nama pengguna {u} ada di beberapa domain: login dengan alamat lengkap")
        }
        StoreError::AuthFailed => "nama pengguna atau kata sandi salah".into(),
        StoreError::NoSuchFolder(f) => format!("tidak ada folder {f}"),
        StoreError::FolderExists(f) => format!("folder {f} sudah ada"),
        StoreError::CannotDeleteInbox => "INBOX tidak bisa dihapus".into(),
        StoreError::HasChildren(f) => format!("folder {f} punya subfolder: hapus dulu"),
        StoreError::BadFolderName(f) => format!("{f:?} bukan nama folder yang valid"),
        StoreError::NoSuchMessage(n) => format!("tidak ada pesan dengan UID {n}"),
        StoreError::Locked(u) => format!("maildrop {u} sedang dikunci"),
    }
}

/// Why a zone refused a record, as the DNS form words it.
pub fn zone_error_key(e: &ZoneError) -> Key {
    match e {
        ZoneError::OutOfZone { .. } => Key::DnsOutOfZone,
        ZoneError::CnameConflict(_) => Key::DnsConflict,
        ZoneError::CnameAtApex(_) => Key::DnsCnameAtApex,
        ZoneError::SecondSoa(_) => Key::DnsSecondSoa,
        ZoneError::SoaNotAtOrigin(_) => Key::DnsSoaNotAtOrigin,
    }
}

/// A share-link error, worded for the user in `lang`.
pub fn share_error(lang: Lang, e: &ShareError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        ShareError::Empty => "tautan tidak berisi lab".into(),
        ShareError::NotALink => "ini bukan tautan lab lanlab".into(),
        ShareError::NewerEncoding(v) => format!(
            "tautan ini dibuat dengan lanlab yang lebih baru (format tautan {v}); buka di sana atau minta filenya"
        ),
        ShareError::TooLong(n) => format!("tautan terlalu panjang ({n} karakter)"),
        ShareError::BadText => {
            "tautan rusak (ada karakter yang tidak pernah ada di tautan lanlab); salin lagi".into()
        }
        ShareError::Corrupt => "tautan rusak atau terpotong; salin seluruh tautan lagi".into(),
        ShareError::TooLarge { limit } => format!(
            "lab di tautan ini lebih besar dari {limit} byte, melebihi kebutuhan lab mana pun"
        ),
        ShareError::Lab(l) => lab_error_id(l),
    }
}

/// Why an action (a button in a desktop app) could not start, in `lang`.
pub fn action_error(lang: Lang, e: &ActionError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        ActionError::NoDevice(d) => format!("tidak ada perangkat bernama {d}"),
        ActionError::NoPort { device, port } => format!("{device} tidak punya port {port}"),
        ActionError::NoPrompt(d) => {
            format!("{d} tidak bisa menjalankan ini (hanya PC, laptop dan server yang bisa)")
        }
        ActionError::PoweredOff(d) => format!("{d} sedang mati"),
        ActionError::BadSocket(s) => {
            format!("{s} bukan alamat dan port (tulis seperti 192.168.1.1:80)")
        }
        ActionError::Socket(e) => net_error_id(e),
        ActionError::NoAddress(d) => format!("{d} belum punya IP Address"),
        ActionError::NoJob(n) => {
            format!("tugas {n} tidak berjalan atau tidak menerima ketikan")
        }
        ActionError::NotCabled(p) => format!("{p} tidak punya kabel untuk dicabut"),
        ActionError::Lab(l) => lab_error_id(l),
    }
}

fn net_error_id(e: &NetError) -> String {
    match e {
        NetError::NonContiguousMask(m) => format!("Subnet Mask {m} tidak berurutan"),
        NetError::BadPrefix(p) => format!("prefix /{p} lebih dari 32 bit"),
        NetError::BadAddress(a) => {
            format!("{a} bukan IP Address (tulis seperti 192.168.1.10/24)")
        }
        NetError::PortInUse(p) => format!("port UDP {p} sudah dipakai"),
        NetError::NotBound(p) => format!("tidak ada soket UDP di port {p}"),
        NetError::NoFreePort => "semua port UDP sementara sedang dipakai".into(),
    }
}

/// Why the email client could not do what was asked, in `lang`.
pub fn mail_client_error(lang: Lang, e: &MailClientError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        MailClientError::NoAccount => "aplikasi email belum punya akun: atur akunnya dulu".into(),
        MailClientError::BadServer(s) => {
            format!("{s:?} bukan IP Address sebuah server email")
        }
        MailClientError::NoMessage(n) => format!("tidak ada pesan {n} di aplikasi email"),
        MailClientError::NeedsImap => {
            "ini butuh akun IMAP (POP3 hanya menyimpan folder di PC)".into()
        }
        MailClientError::BadAddress(e) => address_error_id(e),
        MailClientError::NoRecipient => "belum ada penerima: isi kolom Kepada".into(),
    }
}

/// Why a mail button (Send, Receive, …) failed, in `lang`.
pub fn mail_failure(lang: Lang, e: &MailFailure) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        MailFailure::Start(e) => mail_client_error(lang, e),
        MailFailure::Unreachable { proto, server, end } => format!(
            "server {proto} di {server} tidak bisa dihubungi: {}",
            tcp_end_id(*end)
        ),
        MailFailure::Ended { proto, server, end } => format!(
            "server {proto} di {server} mengakhiri sesi sebelum selesai: {}",
            tcp_end_id(*end)
        ),
        MailFailure::NoAnswer { proto, server } => {
            format!("server {proto} di {server} tidak menjawab")
        }
        MailFailure::LoginRefused { proto, reply } => format!(
            "server {proto} menolak nama pengguna atau kata sandi; periksa pengaturan akun (jawaban server: {reply})"
        ),
        MailFailure::Refused { proto, reply } => {
            format!("server {proto} menolak (jawaban server: {reply})")
        }
        MailFailure::NoApop => {
            "server POP3 ini tidak mendukung APOP: matikan APOP di pengaturan akun".into()
        }
    }
}

/// How a TCP connection ended, in Indonesian.
fn tcp_end_id(end: TcpEnd) -> &'static str {
    match end {
        TcpEnd::Closed => "server menutup koneksi",
        TcpEnd::Reset => "koneksi diputus (reset)",
        TcpEnd::Refused => "koneksi ditolak (apakah layanannya sudah aktif?)",
        TcpEnd::TimedOut => "tidak ada jawaban (waktu habis)",
        TcpEnd::Unreachable => "tidak ada rute ke server (periksa alamat dan Default Gateway)",
        TcpEnd::Prohibited => {
            "access list sebuah router memblokir koneksi (administratively prohibited)"
        }
    }
}

/// An address the mail system refused, in `lang`.
pub fn address_error(lang: Lang, e: &AddressError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    address_error_id(e)
}

fn address_error_id(e: &AddressError) -> String {
    match e {
        AddressError::NoDomain(a) => format!("alamat {a:?} tidak punya @domain"),
        AddressError::BadLocal(a) => format!(
            "bagian sebelum @ pada {a:?} kosong, terlalu panjang atau memakai karakter yang tidak boleh"
        ),
        AddressError::BadDomain(a) => format!("domain pada {a:?} bukan nama domain yang valid"),
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use lanlab_proto::http::{LoadError, Page, Url, UrlError};
    use lanlab_proto::net::Ipv4Net;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::panels::browser::load_error;

    /// Both wordings are there and the Indonesian is not the English.
    fn worded(what: &str, word: impl Fn(Lang) -> String) {
        let (en, id) = (word(Lang::En), word(Lang::Id));
        assert!(!en.trim().is_empty(), "{what}: no English");
        assert!(!id.trim().is_empty(), "{what}: no Indonesian");
        assert_ne!(en, id, "{what}: the Indonesian is the English");
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn net() -> Ipv4Net {
        Ipv4Net::new(ip("192.168.1.0"), 24).unwrap()
    }

    fn lab_errors() -> Vec<LabError> {
        let at = || "PC0 FastEthernet0".to_string();
        let mut v = vec![
            LabError::TooNew {
                found: 9,
                supported: 2,
            },
            LabError::NoSuchDevice(7),
            LabError::NoSuchPort {
                device: "PC0".into(),
                port: 9,
            },
            LabError::DuplicateName("PC0".into()),
            LabError::BadName,
            LabError::NoFreePort("PC0".into()),
            LabError::PortInUse {
                device: "PC0".into(),
                port: "FastEthernet0".into(),
            },
            LabError::SelfLink,
            LabError::BadMac("zz".into()),
            LabError::BadLoss(2.0),
            LabError::NonContiguousMask {
                at: at(),
                mask: ip("255.0.255.0"),
            },
            LabError::NotAHostAddress {
                at: at(),
                address: ip("0.0.0.0"),
            },
            LabError::NetworkAddress {
                at: at(),
                address: ip("192.168.1.0"),
                net: net(),
            },
            LabError::BroadcastAddress {
                at: at(),
                address: ip("192.168.1.255"),
                net: net(),
            },
            LabError::GatewayOffLink {
                at: at(),
                gateway: ip("10.0.0.1"),
                net: net(),
            },
            LabError::DuplicateAddress {
                address: ip("192.168.1.10"),
                first: "PC0 FastEthernet0".into(),
                second: "PC1 FastEthernet0".into(),
            },
            LabError::RouteHostBits {
                device: "Router0".into(),
                route: "192.168.2.1/24 via 10.0.0.2".into(),
                network: ip("192.168.2.0"),
            },
        ];
        v.extend(malformed().into_iter().map(LabError::Malformed));
        v.extend(activity_problems().into_iter().map(LabError::Activity));
        v.extend(
            action_problems()
                .into_iter()
                .map(|reason| LabError::BadAction {
                    index: 1,
                    action: "PC0: ping 1.2.3.4".into(),
                    reason,
                }),
        );
        for problem in service_problems() {
            v.push(LabError::Service {
                device: "Server0".into(),
                problem,
            });
        }
        v
    }

    /// Every reason a text is not a lab; the JSON ones from real files.
    fn malformed() -> Vec<Malformed> {
        let json = |text: &str| match lanlab_sim::Lab::from_json(text) {
            Err(LabError::Malformed(m @ Malformed::Json { .. })) => m,
            other => panic!("{text}: {other:?}"),
        };
        let v = vec![
            json("{\"version\": 2,\n  x"),
            json("{\"version\": 2,"),
            json("{\"version\": 2, \"devices\": 5}"),
            Malformed::NotAnObject,
            Malformed::NoVersion,
            Malformed::VersionNotANumber,
            Malformed::VersionZero,
            Malformed::DeviceIdTwice(3),
            Malformed::CableIdTwice(3),
            Malformed::NoSuchCable(3),
            Malformed::AppClosing,
        ];
        let kinds: Vec<JsonProblem> = v
            .iter()
            .filter_map(|m| match m {
                Malformed::Json { kind, .. } => Some(*kind),
                _ => None,
            })
            .collect();
        assert_eq!(
            kinds,
            [JsonProblem::Syntax, JsonProblem::Eof, JsonProblem::Data]
        );
        v
    }

    fn activity_problems() -> Vec<ActivityProblem> {
        vec![
            ActivityProblem::TooManyChecks { count: 99, max: 50 },
            ActivityProblem::LongInstructions { max: 20_000 },
            ActivityProblem::LongText { check: 2, max: 500 },
            ActivityProblem::LockDamaged,
            ActivityProblem::LockTooManyDevices,
        ]
    }

    fn action_problems() -> Vec<ActionProblem> {
        vec![
            ActionProblem::NoDevice("PC9".into()),
            ActionProblem::NoPort {
                device: "PC0".into(),
                port: "Fa9".into(),
            },
            ActionProblem::Invalid(Box::new(LabError::BadName)),
        ]
    }

    fn net_errors() -> Vec<NetError> {
        vec![
            NetError::NonContiguousMask(ip("255.0.255.0")),
            NetError::BadPrefix(33),
            NetError::BadAddress("x".into()),
            NetError::PortInUse(53),
            NetError::NotBound(53),
            NetError::NoFreePort,
        ]
    }

    /// Each value reads differently in Indonesian.
    fn distinct<T: std::fmt::Debug>(all: &[T], word: impl Fn(&T) -> String) {
        let mut seen = std::collections::BTreeMap::new();
        for e in all {
            let id = word(e);
            assert!(!id.trim().is_empty(), "{e:?}: no Indonesian");
            if let Some(other) = seen.insert(id.clone(), format!("{e:?}")) {
                panic!("{e:?} and {other} both read {id:?}");
            }
        }
    }

    #[wasm_bindgen_test]
    fn every_detail_reason_has_its_own_indonesian() {
        let id = |e: &LabError| lab_error(Lang::Id, e);
        distinct(&malformed(), |m| id(&LabError::Malformed(m.clone())));
        distinct(&activity_problems(), |p| id(&LabError::Activity(p.clone())));
        distinct(&action_problems(), |r| {
            id(&LabError::BadAction {
                index: 1,
                action: "PC0: ping 1.2.3.4".into(),
                reason: r.clone(),
            })
        });
        let mut actions: Vec<ActionError> =
            net_errors().into_iter().map(ActionError::Socket).collect();
        actions.push(ActionError::NoAddress("PC0".into()));
        distinct(&actions, |e| action_error(Lang::Id, e));
        for e in &actions {
            worded(&format!("{e:?}"), |l| action_error(l, e));
        }
        // The English the CLI prints is unchanged.
        assert_eq!(
            LabError::Activity(ActivityProblem::LockDamaged).to_string(),
            "activity: the teacher's lock is damaged"
        );
        assert_eq!(
            ActionError::NoAddress("PC0".into()).to_string(),
            "PC0 has no IPv4 address"
        );
    }

    fn service_problems() -> Vec<ServiceProblem> {
        let pool = || "LAN".to_string();
        let dhcp = vec![
            ConfigError::MaskNotContiguous {
                pool: pool(),
                mask: ip("255.0.255.0"),
            },
            ConfigError::StartOutsideNetwork {
                pool: pool(),
                start: ip("10.0.0.1"),
                network: ip("192.168.1.0"),
                prefix: 24,
            },
            ConfigError::RangeTooLong {
                pool: pool(),
                start: ip("192.168.1.250"),
                max_users: 50,
                last: ip("192.168.1.254"),
            },
            ConfigError::ReservationOutsideNetwork {
                pool: pool(),
                address: ip("10.0.0.1"),
                network: ip("192.168.1.0"),
                prefix: 24,
            },
            ConfigError::DuplicateName(pool()),
            ConfigError::ZeroLeaseTime(pool()),
        ];
        let mut v: Vec<ServiceProblem> = dhcp.into_iter().map(ServiceProblem::Dhcp).collect();
        v.extend([
            ServiceProblem::ZoneTwice("hasan.com.".into()),
            ServiceProblem::NoRootHint,
            ServiceProblem::UserWithoutName,
            ServiceProblem::UserOutsideDomains {
                user: "akbari".into(),
                domain: "dadali.com".into(),
            },
            ServiceProblem::RelayWithoutHelper("GigabitEthernet0/0".into()),
        ]);
        v
    }

    /// One of each mail failure, every way a connection ends included.
    fn mail_failures() -> Vec<MailFailure> {
        use lanlab_sim::services::mail::MailProto;
        let server = "192.168.1.1:25".parse().unwrap();
        let proto = MailProto::Smtp;
        let mut v = vec![
            MailFailure::Start(MailClientError::NoAccount),
            MailFailure::NoAnswer { proto, server },
            MailFailure::LoginRefused {
                proto: MailProto::Pop3,
                reply: "-ERR [AUTH] invalid user name or password".into(),
            },
            MailFailure::Refused {
                proto,
                reply: "550 no such user here".into(),
            },
            MailFailure::NoApop,
        ];
        for end in [
            TcpEnd::Closed,
            TcpEnd::Reset,
            TcpEnd::Refused,
            TcpEnd::TimedOut,
            TcpEnd::Unreachable,
            TcpEnd::Prohibited,
        ] {
            v.push(MailFailure::Unreachable { proto, server, end });
            v.push(MailFailure::Ended { proto, server, end });
        }
        v
    }

    #[wasm_bindgen_test]
    fn each_mail_failure_has_its_own_indonesian() {
        let all = mail_failures();
        let id: std::collections::BTreeSet<String> =
            all.iter().map(|e| mail_failure(Lang::Id, e)).collect();
        assert_eq!(id.len(), all.len(), "two failures read the same: {id:?}");
        // The server's own reply stays as it came.
        let e = &all[3];
        assert!(mail_failure(Lang::Id, e).contains("550 no such user here"));
    }

    #[wasm_bindgen_test]
    fn every_document_error_has_its_indonesian() {
        for e in lab_errors() {
            worded(&format!("{e:?}"), |l| lab_error(l, &e));
            worded(&format!("{e:?} in a link"), |l| {
                share_error(l, &ShareError::Lab(e.clone()))
            });
            worded(&format!("{e:?} from an action"), |l| {
                action_error(l, &ActionError::Lab(e.clone()))
            });
        }
        // The data stays in the Indonesian: the address, the mask, the net.
        let e = LabError::NetworkAddress {
            at: "PC0 FastEthernet0".into(),
            address: ip("192.168.1.0"),
            net: net(),
        };
        let id = lab_error(Lang::Id, &e);
        assert!(
            id.contains("192.168.1.0/24") && id.contains("alamat network"),
            "{id}"
        );
    }

    #[wasm_bindgen_test]
    fn every_link_action_and_mail_error_has_its_indonesian() {
        for e in [
            ShareError::Empty,
            ShareError::NotALink,
            ShareError::NewerEncoding(9),
            ShareError::TooLong(99_999),
            ShareError::BadText,
            ShareError::Corrupt,
            ShareError::TooLarge { limit: 1 << 20 },
        ] {
            worded(&format!("{e:?}"), |l| share_error(l, &e));
        }
        for e in [
            ActionError::NoDevice("PC9".into()),
            ActionError::NoPort {
                device: "PC0".into(),
                port: "Fa9".into(),
            },
            ActionError::NoPrompt("Switch0".into()),
            ActionError::PoweredOff("PC0".into()),
            ActionError::BadSocket("x".into()),
            ActionError::Socket(NetError::NoFreePort),
            ActionError::NoJob(3),
            ActionError::NotCabled("PC0 FastEthernet0".into()),
        ] {
            worded(&format!("{e:?}"), |l| action_error(l, &e));
        }
        for e in [
            MailClientError::NoAccount,
            MailClientError::BadServer("mail".into()),
            MailClientError::NoMessage(4),
            MailClientError::NeedsImap,
            MailClientError::BadAddress(AddressError::NoDomain("akbari".into())),
            MailClientError::NoRecipient,
        ] {
            worded(&format!("{e:?}"), |l| mail_client_error(l, &e));
        }
        for e in mail_failures() {
            worded(&format!("{e:?}"), |l| mail_failure(l, &e));
        }
        let d = || "hasan.com".to_string();
        for s in [
            StoreError::NoSuchDomain(d()),
            StoreError::DomainExists(d()),
            StoreError::BadDomain(d()),
            StoreError::NoSuchUser(d()),
            StoreError::UserExists(d()),
            StoreError::BadUserName(d()),
            StoreError::AmbiguousUser(d()),
            StoreError::AuthFailed,
            StoreError::NoSuchFolder(d()),
            StoreError::FolderExists(d()),
            StoreError::CannotDeleteInbox,
            StoreError::HasChildren(d()),
            StoreError::BadFolderName(d()),
            StoreError::NoSuchMessage(1),
            StoreError::Locked(d()),
        ] {
            let e = MailConfigError::Store(s);
            worded(&format!("{e:?}"), |l| mail_config_error(l, &e));
        }
        for e in [
            AddressError::NoDomain("akbari".into()),
            AddressError::BadLocal("@hasan.com".into()),
            AddressError::BadDomain("akbari@".into()),
        ] {
            worded(&format!("{e:?}"), |l| address_error(l, &e));
        }
    }

    #[wasm_bindgen_test]
    fn every_zone_error_has_its_own_wording() {
        let name = |s: &str| lanlab_proto::dns::Name::parse(s).unwrap();
        let all = [
            ZoneError::OutOfZone {
                name: name("hasan.org."),
                origin: name("hasan.com."),
            },
            ZoneError::CnameConflict(name("www.hasan.com.")),
            ZoneError::CnameAtApex(name("hasan.com.")),
            ZoneError::SecondSoa(name("hasan.com.")),
            ZoneError::SoaNotAtOrigin(name("www.hasan.com.")),
        ];
        distinct(&all, |e| Lang::Id.t(zone_error_key(e)).to_string());
        distinct(&all, |e| Lang::En.t(zone_error_key(e)).to_string());
        for e in &all {
            worded(&format!("{e:?}"), |l| l.t(zone_error_key(e)).to_string());
        }
        let apex = Lang::Id.t(zone_error_key(&all[2]));
        assert!(apex.contains("SOA") && apex.contains("NS") && apex.contains("record A"));
    }

    #[wasm_bindgen_test]
    fn every_browser_error_has_its_indonesian() {
        let url = || "http://hasan.com/".to_string();
        let page = Page {
            url: Url::parse_address_bar("hasan.com/missing.html").unwrap(),
            status: 404,
            content_type: "text/html".into(),
            body: b"<h1>Not Found</h1>".to_vec(),
        };
        let mut all: Vec<LoadError> = [
            UrlError::Empty,
            UrlError::HttpsNotSupported,
            UrlError::UnsupportedScheme("ftp".into()),
            UrlError::BadHost("a b".into()),
            UrlError::BadPort("99999".into()),
            UrlError::BadCharacters,
            UrlError::TooLong,
        ]
        .into_iter()
        .map(LoadError::InvalidAddress)
        .collect();
        all.extend([
            LoadError::ServerNotFound {
                host: "hasan.co".into(),
            },
            LoadError::DnsTimeout {
                host: "hasan.com".into(),
            },
            LoadError::ConnectionRefused {
                host: "hasan.com".into(),
                port: 80,
            },
            LoadError::TimedOut { url: url() },
            LoadError::Unreachable {
                host: "hasan.com".into(),
            },
            LoadError::Prohibited {
                host: "hasan.com".into(),
                port: 80,
            },
            LoadError::BadResponse {
                url: url(),
                reason: "no status line".into(),
            },
            LoadError::TooManyRedirects {
                url: url(),
                limit: 10,
            },
            LoadError::HttpError {
                status: 404,
                page: Box::new(page),
            },
        ]);
        for e in all {
            worded(&format!("{e:?}"), |l| load_error(l, &e));
        }
    }
}
