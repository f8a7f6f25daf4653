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

    #[test]
    fn browser_tags_map_to_languages() {
        assert_eq!(Lang::from_tag("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::from_tag("in"), Some(Lang::Id));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::Id.t(Key::Devices), "Perangkat");
    }
}
