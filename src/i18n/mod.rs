//! Translations: every string the app shows, in English and Bahasa Indonesia.
//!
//! A string is a [`Key`]; [`Lang::t`] words it. The table is a `match`, so a
//! key without both translations does not compile.

use lanlab_sim::share::ShareError;
use lanlab_sim::{DeviceKind, LabError};
use serde::{Deserialize, Serialize};

/// A language the app speaks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    En,
    /// Bahasa Indonesia.
    Id,
}

impl Lang {
    /// Both languages, in menu order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Id];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// Parses a stored tag or a browser language (`id-ID`, `in`, `en-US`).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Id => "Bahasa Indonesia",
        }
    }

    /// Words a key in this language.
    pub fn t(self, key: Key) -> &'static str {
        let (en, id) = key.words();
        match self {
            Lang::En => en,
            Lang::Id => id,
        }
    }

    /// The palette name of a device kind.
    pub fn kind_name(self, kind: DeviceKind) -> &'static str {
        self.t(match kind {
            DeviceKind::Pc => Key::KindPc,
            DeviceKind::Laptop => Key::KindLaptop,
            DeviceKind::Server => Key::KindServer,
            DeviceKind::Switch => Key::KindSwitch,
            DeviceKind::Router => Key::KindRouter,
        })
    }

    /// A one-line description of a device kind, for tooltips.
    pub fn kind_hint(self, kind: DeviceKind) -> &'static str {
        self.t(match kind {
            DeviceKind::Pc => Key::HintPc,
            DeviceKind::Laptop => Key::HintLaptop,
            DeviceKind::Server => Key::HintServer,
            DeviceKind::Switch => Key::HintSwitch,
            DeviceKind::Router => Key::HintRouter,
        })
    }
}

/// Every user-visible string of the app.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Key {
    Tagline,
    Language,
    Devices,
    KindPc,
    KindLaptop,
    KindServer,
    KindSwitch,
    KindRouter,
    HintPc,
    HintLaptop,
    HintServer,
    HintSwitch,
    HintRouter,
    PaletteHelp,
    ToolSelect,
    ToolCable,
    CableHelpFirst,
    CableHelpSecond,
    PlaceHelp,
    Delete,
    Canvas,
    NoSelection,
    NoSelectionHelp,
    Name,
    Ports,
    NotConnected,
    Cable,
    CableBetween,
    Close,
    EmptyCanvas,
    Topology,
    Powered,
    FileNew,
    FileOpen,
    FileSave,
    CopyLink,
    ConfirmNew,
    SharedLabTitle,
    SharedLabAsk,
    OpenShared,
    KeepMine,
    LinkCopied,
    LinkLong,
    LinkBroken,
    FileBroken,
    NoStorage,
    Opened,
    Cancel,
    Embed,
    EmbedTitle,
    EmbedHelp,
    Copy,
    Copied,
    OpenFull,
    Examples,
    ExampleFailed,
    ConfirmReplace,
    TabPorts,
    TabConfig,
    TabDesktop,
    IpSettings,
    ModeNone,
    ModeStatic,
    ModeDhcp,
    IpAddress,
    SubnetMask,
    Gateway,
    DnsServer,
    Apply,
    Applied,
    NotAnAddress,
    NotAMask,
    CommandPrompt,
    TerminalHelp,
    VirtualTime,
    Pause,
    Play,
    Realtime,
    Simulation,
    Reset,
    StepBack,
    Step,
    Speed,
    Event,
    Events,
    LastDevice,
    AtDevice,
    Protocol,
    Info,
    Inspector,
    NoEvent,
    Layers,
    Decisions,
    Bytes,
    Filter,
    // --- activity ---
    Activity,
    ActivityProgress,
    ActivityNone,
    CheckPassed,
    CheckPending,
    Hint,
    TeacherMode,
    TeacherLeave,
    TeacherPassphrase,
    TeacherUnlock,
    TeacherWrong,
    TeacherSetPassphrase,
    TeacherPassphraseSet,
    InstructionsEn,
    InstructionsId,
    FormatHelp,
    Checks,
    AddCheck,
    RemoveCheck,
    CheckKindLabel,
    CheckDevice,
    LabelEn,
    LabelId,
    HintEn,
    HintId,
    FieldName,
    FieldAddress,
    FieldTarget,
    FieldHost,
    FieldFrom,
    FieldSubject,
    FieldService,
    LockTitle,
    LockActivity,
    LockTopology,
    LockDevices,
    LockedByTeacher,
    KindUsesDhcp,
    KindHasIp,
    KindARecord,
    KindServes,
    KindDhcpAck,
    KindResolved,
    KindPinged,
    KindBrowsed,
    KindMailReceived,
    ScormDownload,
    ScormFailed,
    ScormTooBig,
    // --- panels ---
    TabServices,
    WebBrowser,
    EmailClient,
    Back,
    AddressBar,
    Go,
    BrowserHint,
    Loading,
    MailWorking,
    MailSent,
    MailReceived,
    MailOpened,
    MailFailed,
    Details,
    MailTo,
    MailFrom,
    MailSubject,
    MailBody,
    MailDate,
    MailSend,
    MailReceive,
    MailEmpty,
    MailInbox,
    MailCompose,
    MailSettings,
    MailDisplayName,
    MailAddress,
    MailIncomingProto,
    MailIncomingServer,
    MailOutgoingServer,
    MailUser,
    MailPassword,
    NotAnEmail,
    Required,
    Save,
    ServiceOn,
    NotAPositiveNumber,
    RangeTooLong,
    PoolName,
    StartAddress,
    MaxUsers,
    EndAddress,
    LeaseTime,
    Minutes,
    Hours,
    Days,
    Infinite,
    SavePool,
    Remove,
    Leases,
    LeaseState,
    NotADomainName,
    NotAnIpv6Address,
    DnsConflict,
    RecordName,
    RecordType,
    RecordValue,
    MxPreference,
    Add,
    Zones,
    NotAUserName,
    SetDomainFirst,
    DomainName,
    Set,
    Inbox,
    MailQueue,
    NotAFileName,
    FileName,
    Edit,
    NewFile,
    EditPage,
    Apps,
    WebBrowserHeading,
    EmailHeading,
    DefaultInbound,
    Allow,
    Deny,
    RuleAction,
    RuleDirection,
    RemoteAddress,
    NotAPrefix,
    RulePorts,
    NotAPortRange,
    MoveUp,
    MoveDown,
    StaticRoutes,
    Network,
    NextHop,
    AccessLists,
    AclCommands,
    AclBadLine,
    HitCounts,
    DhcpRelay,
    Interface,
    HelperAddress,
    MailDeleted,
    DnsAsk,
    DnsAskButton,
    DnsNoZone,
    DnsNoData,
    DnsNxDomain,
    DnsDelegated,
    DnsCache,
    FirewallApp,
    // --- canvas ---
    Undo,
    Redo,
    Undone,
    Redone,
    ZoomIn,
    ZoomOut,
    FitView,
    ToolHand,
    HandHelp,
    Power,
    PoweredOff,
    SelectedCount,
    HighContrast,
    ChoosePorts,
    ChoosePortsHelp,
    Connect,
    RenameHelp,
    Dhcp,
    LinkUp,
    LinkDown,
    CanvasHelp,
    // --- simview ---
    DropNoCable,
    DropUnplugged,
    DropLost,
    DropPoweredOff,
    SkipTimer,
    Timeline,
    DownloadPcap,
    AllLinks,
    Fields,
    Conversation,
    NoConversation,
    Connection,
    LayersIn,
    LayersOut,
    // --- uipolish ---
    FwHits,
    TeacherPassCurrent,
    TeacherPassRemove,
    TeacherPassRemoved,
    ActivityDelete,
    ActivityDeleteConfirm,
    ActivityDeleteYes,
    ActivityDeleted,
    // --- simpolish ---
    InspectPacket,
    LinkBlocked,
    // --- console ---
    TabCli,
    CliConsole,
    CliHelp,
    KindInterfaceUp,
    FieldInterface,
}

impl Key {
    /// (English, Bahasa Indonesia).
    fn words(self) -> (&'static str, &'static str) {
        use Key::*;
        match self {
            Tagline => ("Network lab", "Lab jaringan"),
            Language => ("Language", "Bahasa"),
            Devices => ("Devices", "Perangkat"),
            KindPc => ("PC", "PC"),
            KindLaptop => ("Laptop", "Laptop"),
            KindServer => ("Server", "Server"),
            KindSwitch => ("Switch", "Switch"),
            KindRouter => ("Router", "Router"),
            HintPc => ("Desktop computer", "Komputer desktop"),
            HintLaptop => ("Laptop computer", "Komputer jinjing"),
            HintServer => (
                "Server for DHCP, DNS, web and e-mail",
                "Server untuk DHCP, DNS, web dan e-mail",
            ),
            HintSwitch => ("24-port switch", "Switch 24 port"),
            HintRouter => ("Router joining networks", "Router penghubung jaringan"),
            PaletteHelp => (
                "Drag a device onto the canvas, or click it and then click the canvas.",
                "Seret perangkat ke kanvas, atau klik perangkat lalu klik kanvas.",
            ),
            ToolSelect => ("Select", "Pilih"),
            ToolCable => ("Cable", "Kabel"),
            CableHelpFirst => (
                "Cable: click the first device.",
                "Kabel: klik perangkat pertama.",
            ),
            CableHelpSecond => (
                "Cable: click the second device.",
                "Kabel: klik perangkat kedua.",
            ),
            PlaceHelp => (
                "Click the canvas to place the device.",
                "Klik kanvas untuk menaruh perangkat.",
            ),
            Delete => ("Delete", "Hapus"),
            Canvas => ("Topology canvas", "Kanvas topologi"),
            NoSelection => ("Nothing selected", "Belum ada yang dipilih"),
            NoSelectionHelp => (
                "Click a device to see its ports and settings.",
                "Klik perangkat untuk melihat port dan pengaturannya.",
            ),
            Name => ("Name", "Nama"),
            Ports => ("Ports", "Port"),
            NotConnected => ("not connected", "tidak terhubung"),
            Cable => ("Cable", "Kabel"),
            CableBetween => ("Cable between", "Kabel antara"),
            Close => ("Close", "Tutup"),
            EmptyCanvas => (
                "Empty lab. Add a PC, a switch and a server to begin.",
                "Lab kosong. Tambahkan PC, switch dan server untuk mulai.",
            ),
            Topology => ("Topology (text)", "Topologi (teks)"),
            Powered => ("Powered on", "Menyala"),
            FileNew => ("New", "Baru"),
            FileOpen => ("Open file…", "Buka file…"),
            FileSave => ("Save file", "Simpan file"),
            CopyLink => ("Copy link", "Salin tautan"),
            ConfirmNew => (
                "Start a new, empty lab? The current lab is replaced (save it first if you need it).",
                "Mulai lab baru yang kosong? Lab sekarang akan diganti (simpan dulu jika perlu).",
            ),
            SharedLabTitle => ("Open the shared lab?", "Buka lab yang dibagikan?"),
            SharedLabAsk => (
                "This link holds a lab. Opening it replaces the lab you were working on.",
                "Tautan ini berisi lab. Membukanya akan mengganti lab yang sedang kamu kerjakan.",
            ),
            OpenShared => ("Open the shared lab", "Buka lab yang dibagikan"),
            KeepMine => ("Keep my lab", "Tetap pakai lab saya"),
            LinkCopied => ("Link copied", "Tautan disalin"),
            LinkLong => (
                "This link is very long; saving a file may work better.",
                "Tautan ini sangat panjang; menyimpan file mungkin lebih baik.",
            ),
            LinkBroken => (
                "The lab link cannot be opened",
                "Tautan lab tidak bisa dibuka",
            ),
            FileBroken => ("The file cannot be opened", "File tidak bisa dibuka"),
            NoStorage => (
                "This browser does not let lanlab store data here: your lab is not kept between visits. Save a file to keep it.",
                "Browser ini tidak mengizinkan lanlab menyimpan data: lab tidak tersimpan antar kunjungan. Simpan file untuk menyimpannya.",
            ),
            Opened => ("Opened", "Dibuka"),
            Cancel => ("Cancel", "Batal"),
            Embed => ("Embed", "Sematkan"),
            EmbedTitle => (
                "Embed this lab in a course page",
                "Sematkan lab ini di halaman kursus",
            ),
            EmbedHelp => (
                "Paste this HTML into Moodle, Canvas or any page (HTML view). The lab travels inside the link; nothing is stored on a server.",
                "Tempel HTML ini di Moodle, Canvas atau halaman mana pun (tampilan HTML). Lab ikut di dalam tautan; tidak ada yang disimpan di server.",
            ),
            Copy => ("Copy", "Salin"),
            Copied => ("Copied", "Disalin"),
            OpenFull => ("Open in full window", "Buka di jendela penuh"),
            Examples => ("Examples", "Contoh"),
            ExampleFailed => (
                "The example could not be loaded",
                "Contoh tidak bisa dimuat",
            ),
            TabPorts => ("Ports", "Port"),
            TabConfig => ("Config", "Konfigurasi"),
            TabDesktop => ("Desktop", "Desktop"),
            IpSettings => ("IP configuration", "Konfigurasi IP"),
            ModeNone => ("Not set", "Belum diatur"),
            ModeStatic => ("Static", "Statis"),
            ModeDhcp => ("DHCP", "DHCP"),
            IpAddress => ("IPv4 address", "Alamat IPv4"),
            SubnetMask => ("Subnet mask", "Subnet mask"),
            Gateway => ("Default gateway", "Default gateway"),
            DnsServer => ("DNS server", "Server DNS"),
            Apply => ("Apply", "Terapkan"),
            Applied => ("Settings applied", "Pengaturan diterapkan"),
            NotAnAddress => (
                "not an IPv4 address (write it like 192.168.1.10)",
                "bukan alamat IPv4 (tulis seperti 192.168.1.10)",
            ),
            NotAMask => (
                "not a subnet mask (write it like 255.255.255.0 or /24)",
                "bukan subnet mask (tulis seperti 255.255.255.0 atau /24)",
            ),
            CommandPrompt => ("Command Prompt", "Command Prompt"),
            TerminalHelp => (
                "Type a command and press Enter (try ipconfig, ping, tracert, arp -a, help).",
                "Ketik perintah lalu tekan Enter (coba ipconfig, ping, tracert, arp -a, help).",
            ),
            VirtualTime => ("Time", "Waktu"),
            Pause => ("Pause", "Jeda"),
            Play => ("Play", "Jalan"),
            Realtime => ("Realtime", "Waktu nyata"),
            Simulation => ("Simulation", "Simulasi"),
            Reset => ("Back to the start", "Kembali ke awal"),
            StepBack => ("Step back", "Mundur satu langkah"),
            Step => ("Step forward", "Maju satu langkah"),
            Speed => ("Speed", "Kecepatan"),
            Event => ("Event", "Kejadian"),
            Events => ("Event list", "Daftar kejadian"),
            LastDevice => ("From", "Dari"),
            AtDevice => ("At", "Di"),
            Protocol => ("Protocol", "Protokol"),
            Info => ("Info", "Info"),
            Inspector => ("PDU inspector", "Inspektur PDU"),
            NoEvent => (
                "No event yet. Do something (a ping, a renew) and press Step.",
                "Belum ada kejadian. Lakukan sesuatu (ping, renew) lalu tekan Maju.",
            ),
            Layers => ("Layers", "Lapisan"),
            Decisions => ("What the device decided", "Keputusan perangkat"),
            Bytes => ("Bytes", "Byte"),
            Filter => ("Show", "Tampilkan"),
            ConfirmReplace => (
                "Open this lab? It replaces the lab you are working on (save it first if you need it).",
                "Buka lab ini? Lab yang sedang dikerjakan akan diganti (simpan dulu jika perlu).",
            ),
            // --- activity ---
            Activity => ("Activity", "Aktivitas"),
            ActivityProgress => ("of", "dari"),
            ActivityNone => (
                "This lab has no activity yet.",
                "Lab ini belum punya aktivitas.",
            ),
            CheckPassed => ("done", "selesai"),
            CheckPending => ("not yet", "belum"),
            Hint => ("Hint", "Petunjuk"),
            TeacherMode => ("Teacher mode", "Mode guru"),
            TeacherLeave => ("Leave teacher mode", "Keluar dari mode guru"),
            TeacherPassphrase => ("Teacher passphrase", "Kata sandi guru"),
            TeacherUnlock => ("Unlock", "Buka kunci"),
            TeacherWrong => (
                "That is not the teacher passphrase.",
                "Itu bukan kata sandi guru.",
            ),
            TeacherSetPassphrase => ("Set passphrase", "Simpan kata sandi"),
            TeacherPassphraseSet => (
                "Passphrase set: locked parts are protected when you leave teacher mode.",
                "Kata sandi disimpan: bagian yang dikunci terlindungi saat Anda keluar dari mode guru.",
            ),
            InstructionsEn => ("Instructions (English)", "Petunjuk (Inggris)"),
            InstructionsId => (
                "Instructions (Bahasa Indonesia)",
                "Petunjuk (Bahasa Indonesia)",
            ),
            FormatHelp => (
                "Blank line: new paragraph. - item: list. **bold**.",
                "Baris kosong: paragraf baru. - butir: daftar. **tebal**.",
            ),
            Checks => ("Checks", "Pemeriksaan"),
            AddCheck => ("Add check", "Tambah pemeriksaan"),
            RemoveCheck => ("Remove", "Hapus"),
            CheckKindLabel => ("Kind", "Jenis"),
            CheckDevice => ("Device", "Perangkat"),
            LabelEn => ("Label (English)", "Label (Inggris)"),
            LabelId => ("Label (Bahasa Indonesia)", "Label (Bahasa Indonesia)"),
            HintEn => ("Hint (English)", "Petunjuk (Inggris)"),
            HintId => ("Hint (Bahasa Indonesia)", "Petunjuk (Bahasa Indonesia)"),
            FieldName => ("Name", "Nama"),
            FieldAddress => ("Address", "Alamat"),
            FieldTarget => ("Target", "Tujuan"),
            FieldHost => ("Host", "Host"),
            FieldFrom => ("From", "Dari"),
            FieldSubject => ("Subject", "Subjek"),
            FieldService => ("Service", "Layanan"),
            LockTitle => ("Lock", "Kunci"),
            LockActivity => (
                "Lock the activity (instructions and checks)",
                "Kunci aktivitas (petunjuk dan pemeriksaan)",
            ),
            LockTopology => (
                "Lock the topology (add, delete, cable devices)",
                "Kunci topologi (tambah, hapus, kabel perangkat)",
            ),
            LockDevices => ("Lock the configuration of:", "Kunci konfigurasi:"),
            LockedByTeacher => ("locked by the teacher", "dikunci oleh guru"),
            KindUsesDhcp => ("Uses DHCP (configuration)", "Memakai DHCP (konfigurasi)"),
            KindHasIp => (
                "Has a static address (configuration)",
                "Punya alamat statis (konfigurasi)",
            ),
            KindARecord => ("DNS A record (configuration)", "Record A DNS (konfigurasi)"),
            KindServes => (
                "Runs a service (configuration)",
                "Menjalankan layanan (konfigurasi)",
            ),
            KindDhcpAck => ("A DHCP ACK reached it (run)", "DHCP ACK sampai (jalannya)"),
            KindResolved => ("Resolved a name (run)", "Menemukan nama (jalannya)"),
            KindPinged => ("Pinged successfully (run)", "Ping berhasil (jalannya)"),
            KindBrowsed => ("Loaded a web page (run)", "Membuka halaman web (jalannya)"),
            KindMailReceived => ("Received a mail (run)", "Menerima email (jalannya)"),
            ScormDownload => ("Download SCORM 1.2 package", "Unduh paket SCORM 1.2"),
            ScormFailed => (
                "The SCORM package could not be built",
                "Paket SCORM tidak dapat dibuat",
            ),
            ScormTooBig => (
                "The lab is too large for the LMS to keep (over 4,096 characters): only the score is saved.",
                "Lab terlalu besar untuk disimpan LMS (lebih dari 4.096 karakter): hanya nilai yang disimpan.",
            ),
            // --- panels ---
            TabServices => ("Services", "Layanan"),
            WebBrowser => ("Web Browser", "Web Browser"),
            EmailClient => ("Email", "Email"),
            Back => ("Back", "Kembali"),
            AddressBar => ("Address", "Alamat"),
            Go => ("Go", "Buka"),
            BrowserHint => (
                "Type an address such as hasan.com or 192.168.1.1 and press Go. Pages come from the simulated network only.",
                "Ketik alamat seperti hasan.com atau 192.168.1.1 lalu tekan Buka. Halaman hanya diambil dari jaringan simulasi.",
            ),
            Loading => ("Loading…", "Memuat…"),
            MailWorking => ("Working…", "Sedang diproses…"),
            MailSent => ("Send Success.", "Email berhasil dikirim."),
            MailReceived => ("Receive Mail Success.", "Email berhasil diterima."),
            MailOpened => ("Message opened.", "Pesan dibuka."),
            MailFailed => (
                "It did not work: see the details.",
                "Gagal: lihat rinciannya.",
            ),
            Details => ("Details", "Rincian"),
            MailTo => ("To", "Kepada"),
            MailFrom => ("From", "Dari"),
            MailSubject => ("Subject", "Subjek"),
            MailBody => ("Message", "Isi pesan"),
            MailDate => ("Date", "Tanggal"),
            MailSend => ("Send", "Kirim"),
            MailReceive => ("Receive", "Terima"),
            MailEmpty => (
                "No messages. Press Receive to fetch new mail.",
                "Tidak ada pesan. Tekan Terima untuk mengambil email baru.",
            ),
            MailInbox => ("Inbox", "Kotak masuk"),
            MailCompose => ("Compose", "Tulis"),
            MailSettings => ("Account settings", "Pengaturan akun"),
            MailDisplayName => ("Your name", "Nama Anda"),
            MailAddress => ("Email address", "Alamat email"),
            MailIncomingProto => ("Incoming mail protocol", "Protokol email masuk"),
            MailIncomingServer => ("Incoming mail server", "Server email masuk"),
            MailOutgoingServer => ("Outgoing mail server (SMTP)", "Server email keluar (SMTP)"),
            MailUser => ("User name", "Nama pengguna"),
            MailPassword => ("Password", "Kata sandi"),
            NotAnEmail => (
                "not an e-mail address (write it like akbari@hasan.com)",
                "bukan alamat email (tulis seperti akbari@hasan.com)",
            ),
            Required => ("this field is needed", "isian ini wajib diisi"),
            Save => ("Save", "Simpan"),
            ServiceOn => ("On", "Aktif"),
            NotAPositiveNumber => (
                "not a whole number above 0",
                "bukan bilangan bulat lebih dari 0",
            ),
            RangeTooLong => (
                "the range runs past the end of the network: fewer users or an earlier start",
                "rentang melewati akhir jaringan: kurangi jumlah pengguna atau mulai lebih awal",
            ),
            PoolName => ("Pool name", "Nama pool"),
            StartAddress => ("Start IP address", "Alamat IP awal"),
            MaxUsers => ("Maximum number of users", "Jumlah pengguna maksimum"),
            EndAddress => ("Last address", "Alamat terakhir"),
            LeaseTime => ("Lease time", "Masa sewa"),
            Minutes => ("minutes", "menit"),
            Hours => ("hours", "jam"),
            Days => ("days", "hari"),
            Infinite => ("never expires", "tidak pernah habis"),
            SavePool => ("Save pool", "Simpan pool"),
            Remove => ("Remove", "Hapus"),
            Leases => ("Leases (live)", "Sewa alamat (langsung)"),
            LeaseState => ("State", "Status"),
            NotADomainName => (
                "not a domain name (write it like hasan.com)",
                "bukan nama domain (tulis seperti hasan.com)",
            ),
            NotAnIpv6Address => ("not an IPv6 address", "bukan alamat IPv6"),
            DnsConflict => (
                "This record clashes with the zone (a CNAME cannot share its name with other records).",
                "Record ini bentrok dengan zona (CNAME tidak boleh memakai nama yang sama dengan record lain).",
            ),
            RecordName => ("Name", "Nama"),
            RecordType => ("Type", "Tipe"),
            RecordValue => ("Address / value", "Alamat / nilai"),
            MxPreference => ("Preference", "Prioritas"),
            Add => ("Add", "Tambah"),
            Zones => ("Zones", "Zona"),
            NotAUserName => (
                "a user name uses letters, digits and . _ - + only",
                "nama pengguna hanya memakai huruf, angka dan . _ - +",
            ),
            SetDomainFirst => ("set the domain name first", "atur nama domain dulu"),
            DomainName => ("Domain name", "Nama domain"),
            Set => ("Set", "Atur"),
            Inbox => ("Inbox", "Kotak masuk"),
            MailQueue => (
                "Messages waiting in the relay queue",
                "Pesan yang menunggu di antrean relay",
            ),
            NotAFileName => (
                "a file name uses letters, digits and . _ - / only",
                "nama file hanya memakai huruf, angka dan . _ - /",
            ),
            FileName => ("File", "File"),
            Edit => ("Edit", "Ubah"),
            NewFile => ("New file name", "Nama file baru"),
            EditPage => ("Editing", "Mengubah"),
            Apps => ("Programs", "Program"),
            WebBrowserHeading => ("Web Browser", "Peramban Web"),
            EmailHeading => ("Email client", "Aplikasi email"),
            DefaultInbound => (
                "Inbound packets no rule matches",
                "Paket masuk yang tidak cocok dengan aturan mana pun",
            ),
            Allow => ("allow", "izinkan"),
            Deny => ("deny", "tolak"),
            RuleAction => ("Action", "Tindakan"),
            RuleDirection => ("Direction", "Arah"),
            RemoteAddress => (
                "Remote address or network (empty: any)",
                "Alamat atau jaringan lawan (kosong: semua)",
            ),
            NotAPrefix => (
                "not an address or network (write it like 192.168.1.0/24)",
                "bukan alamat atau jaringan (tulis seperti 192.168.1.0/24)",
            ),
            RulePorts => (
                "Port or range (TCP/UDP; empty: any)",
                "Port atau rentang (TCP/UDP; kosong: semua)",
            ),
            NotAPortRange => (
                "not a port or range from 1 to 65535 (TCP/UDP only)",
                "bukan port atau rentang 1 sampai 65535 (hanya TCP/UDP)",
            ),
            MoveUp => ("Move up", "Naikkan"),
            MoveDown => ("Move down", "Turunkan"),
            StaticRoutes => ("Static routes", "Rute statis"),
            Network => ("Network", "Jaringan"),
            NextHop => ("Next hop", "Hop berikutnya"),
            AccessLists => ("Access lists (ACL)", "Access list (ACL)"),
            AclCommands => ("IOS commands, one per line", "Perintah IOS, satu per baris"),
            AclBadLine => (
                "The router does not understand line",
                "Router tidak memahami baris",
            ),
            HitCounts => (
                "show access-lists (live matches)",
                "show access-lists (kecocokan langsung)",
            ),
            DhcpRelay => (
                "DHCP relay (ip helper-address)",
                "DHCP relay (ip helper-address)",
            ),
            Interface => ("Interface", "Interface"),
            HelperAddress => ("DHCP server address", "Alamat server DHCP"),
            MailDeleted => ("Message deleted.", "Pesan dihapus."),
            DnsAsk => (
                "Ask the running server (live)",
                "Tanya server yang berjalan (langsung)",
            ),
            DnsAskButton => ("Ask", "Tanya"),
            DnsNoZone => (
                "This server holds no zone for that name.",
                "Server ini tidak memegang zona untuk nama itu.",
            ),
            DnsNoData => (
                "The name exists but has no record of this type (NODATA).",
                "Nama itu ada tetapi tidak punya record tipe ini (NODATA).",
            ),
            DnsNxDomain => ("No such name (NXDOMAIN).", "Nama itu tidak ada (NXDOMAIN)."),
            DnsDelegated => ("Delegated to", "Didelegasikan ke"),
            DnsCache => ("Resolver cache (live)", "Cache resolver (langsung)"),
            FirewallApp => ("Firewall", "Firewall"),
            // --- canvas ---
            Undo => ("Undo", "Urungkan"),
            Redo => ("Redo", "Ulangi"),
            Undone => ("Undone.", "Diurungkan."),
            Redone => ("Redone.", "Diulangi."),
            ZoomIn => ("Zoom in", "Perbesar"),
            ZoomOut => ("Zoom out", "Perkecil"),
            FitView => ("Fit", "Muat semua"),
            ToolHand => ("Pan", "Geser"),
            HandHelp => (
                "Drag the canvas to move the view. Wheel or pinch to zoom.",
                "Seret kanvas untuk menggeser tampilan. Gulir atau cubit untuk memperbesar.",
            ),
            Power => ("Power", "Daya"),
            PoweredOff => ("switched off", "mati"),
            SelectedCount => ("selected", "dipilih"),
            HighContrast => ("High contrast", "Kontras tinggi"),
            ChoosePorts => ("Choose ports", "Pilih port"),
            ChoosePortsHelp => (
                "Pick a free port at each end, then Connect.",
                "Pilih port kosong di tiap ujung, lalu Hubungkan.",
            ),
            Connect => ("Connect", "Hubungkan"),
            RenameHelp => (
                "Enter saves the name, Escape cancels.",
                "Enter menyimpan nama, Escape membatalkan.",
            ),
            Dhcp => ("DHCP", "DHCP"),
            LinkUp => ("link up", "tautan aktif"),
            LinkDown => ("link down", "tautan mati"),
            CanvasHelp => (
                "Drag empty space to select several devices (Shift+click adds one). Space+drag, middle button or the Pan tool move the view; the wheel zooms.",
                "Seret area kosong untuk memilih beberapa perangkat (Shift+klik menambah satu). Spasi+seret, tombol tengah atau alat Geser menggeser tampilan; roda tetikus memperbesar.",
            ),
            // --- simview ---
            DropNoCable => (
                "no cable on this port: frame lost",
                "tidak ada kabel di port ini: frame hilang",
            ),
            DropUnplugged => (
                "the cable was unplugged: frame lost",
                "kabel dicabut: frame hilang",
            ),
            DropLost => ("lost on the cable", "hilang di kabel"),
            DropPoweredOff => (
                "the device is switched off: frame lost",
                "perangkat mati: frame hilang",
            ),
            SkipTimer => ("Skip to next timer", "Lompat ke timer berikutnya"),
            Timeline => ("Virtual time", "Waktu virtual"),
            DownloadPcap => ("Download capture (.pcap)", "Unduh tangkapan (.pcap)"),
            AllLinks => ("All links", "Semua kabel"),
            Fields => ("Fields", "Field"),
            Conversation => ("Conversation", "Percakapan"),
            NoConversation => (
                "No TCP data yet. Send mail, browse or log in, then step.",
                "Belum ada data TCP. Kirim e-mail, buka web atau login, lalu maju.",
            ),
            Connection => ("Connection", "Koneksi"),
            LayersIn => ("in at", "masuk di"),
            LayersOut => ("Out (sent on)", "Keluar (dikirim lagi)"),
            // --- uipolish ---
            FwHits => ("hits", "kali cocok"),
            TeacherPassCurrent => ("Current passphrase", "Kata sandi saat ini"),
            TeacherPassRemove => ("Remove passphrase", "Hapus kata sandi"),
            TeacherPassRemoved => (
                "Passphrase removed: nothing is locked any more.",
                "Kata sandi dihapus: tidak ada lagi yang dikunci.",
            ),
            ActivityDelete => ("Delete activity", "Hapus aktivitas"),
            ActivityDeleteConfirm => (
                "Delete the instructions, all checks and the lock from this lab? (Undo brings them back.)",
                "Hapus petunjuk, semua pemeriksaan dan kunci dari lab ini? (Urungkan mengembalikannya.)",
            ),
            ActivityDeleteYes => ("Yes, delete", "Ya, hapus"),
            ActivityDeleted => ("Activity deleted.", "Aktivitas dihapus."),
            // --- simpolish ---
            InspectPacket => ("Inspect event", "Periksa peristiwa"),
            LinkBlocked => (
                "port blocked by loop protection",
                "port diblokir oleh perlindungan loop",
            ),
            // --- console ---
            TabCli => ("CLI", "CLI"),
            CliConsole => ("Console", "Konsol"),
            CliHelp => (
                "Type IOS commands and press Enter (try enable, conf t, show ip interface brief). ? shows what may come next, Tab completes, ↑/↓ browse the history, Ctrl+Z leaves configuration mode.",
                "Ketik perintah IOS lalu tekan Enter (coba enable, conf t, show ip interface brief). ? menampilkan apa yang bisa diketik berikutnya, Tab melengkapi, ↑/↓ menelusuri riwayat, Ctrl+Z keluar dari mode konfigurasi.",
            ),
            KindInterfaceUp => (
                "Interface has an address and is up",
                "Interface beralamat dan aktif",
            ),
            FieldInterface => ("Interface", "Interface"),
        }
    }
}

/// An edit error, worded for the user in `lang`.
pub fn lab_error(lang: Lang, e: &LabError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        LabError::NoFreePort(d) => format!("{d} tidak punya port kosong"),
        LabError::PortInUse { device, port } => format!("{device} {port} sudah terpasang kabel"),
        LabError::SelfLink => "kabel harus menghubungkan dua perangkat yang berbeda".into(),
        LabError::DuplicateName(n) => format!("nama {n} sudah dipakai perangkat lain"),
        LabError::BadName => {
            "nama perangkat harus 1 sampai 63 karakter tanpa karakter kontrol".into()
        }
        LabError::TooNew { found, supported } => format!(
            "lab ini dibuat dengan lanlab yang lebih baru (format {found}; versi ini membaca sampai {supported})"
        ),
        other => other.to_string(),
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
        ShareError::TooLarge { limit } => {
            format!(
                "lab di tautan ini lebih besar dari {limit} byte, melebihi kebutuhan lab mana pun"
            )
        }
        ShareError::Lab(l) => lab_error(lang, l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn browser_tags_map_to_languages() {
        assert_eq!(Lang::from_tag("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::from_tag("in"), Some(Lang::Id));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::Id.t(Key::Devices), "Perangkat");
    }
}
