//! The IOS command grammar: each mode's commands as token patterns, and the
//! matcher that reads a typed line the way IOS does — any unique prefix of a
//! keyword, arguments checked by kind — and says where it went wrong
//! (`% Invalid input` at a word, `% Incomplete command.`, `% Ambiguous
//! command`). The same tables answer `?` and Tab.

use std::net::Ipv4Addr;

/// One token of a pattern.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum T {
    /// A keyword and its one-line help.
    K(&'static str, &'static str),
    /// An IPv4 address (help text).
    Ip(&'static str),
    /// One word (help text).
    Word(&'static str),
    /// A number (help text).
    Num(&'static str),
    /// An interface name (`g0/0`, `GigabitEthernet0/0`, `vlan1`).
    If,
    /// The rest of the line, at least one word (help text).
    Rest(&'static str),
    /// One or more IPv4 addresses to the end of the line (help text).
    Ips(&'static str),
}

/// What a matched line asks for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cmd {
    Enable,
    Disable,
    Exit,
    End,
    Do,
    Ping,
    Traceroute,
    Telnet,
    ConfT,
    CopyRunStart,
    WriteMem,
    Reload,
    EraseStart,
    Show(Show),
    Hostname,
    Interface,
    InterfaceRange,
    IpRoute,
    NoIpRoute,
    DefaultGateway,
    NoDefaultGateway,
    Excluded,
    NoExcluded,
    DhcpPool,
    NoDhcpPool,
    AccessList,
    NoAccessList,
    NamedAcl,
    NoNamedAcl,
    Banner,
    NoBanner,
    EnableSecret,
    EnableSecretHashed,
    NoEnableSecret,
    PwEncryption,
    NoPwEncryption,
    LineCon,
    LineVty,
    Router,
    Ignored,
    IpAddress,
    IpAddressDhcp,
    NoIpAddress,
    Shutdown,
    NoShutdown,
    Description,
    NoDescription,
    Helper,
    NoHelper,
    /// Interface: `ip unreachables` (the default).
    Unreachables,
    /// Interface: `no ip unreachables`.
    NoUnreachables,
    AccessGroup,
    NoAccessGroup,
    Password,
    PasswordHashed,
    NoPassword,
    Login,
    LoginLocal,
    NoLogin,
    Username,
    UsernameHashed,
    NoUsername,
    Network,
    DefaultRouter,
    NoDefaultRouter,
    DnsServer,
    NoDnsServer,
    DomainName,
    NoDomainName,
    Lease,
    LeaseInfinite,
    AclLine,
    /// The NAT commands (`shell::ios::nat`).
    Nat(super::nat::NatCmd),
    /// The RIP commands (`shell::ios::rip`).
    Rip(super::rip::RipCmd),
    /// The OSPF commands (`shell::ios::ospf`).
    Ospf(super::ospf::OspfCmd),
    /// The spanning tree commands (`shell::ios::stp`).
    Stp(super::stp::StpCmd),
    /// The VLAN commands (`shell::ios::vlan`).
    Vlan(super::vlan::VlanCmd),
}

/// The `show` commands.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Show {
    /// `show running-config`.
    Running,
    /// `show startup-config`.
    Startup,
    /// `show ip ospf neighbor`.
    OspfNeighbor,
    /// `show ip ospf interface`.
    OspfInterface,
    /// `show ip ospf interface brief`.
    OspfInterfaceBrief,
    /// `show ip ospf database`.
    OspfDatabase,
    /// `show ip interface brief`.
    IpIntBrief,
    /// `show ip route`.
    IpRoute,
    /// `show interfaces`.
    Interfaces,
    /// `show ip dhcp binding`.
    DhcpBinding,
    /// `show ip dhcp pool`.
    DhcpPool,
    /// `show arp` / `show ip arp`.
    Arp,
    /// `show mac address-table`.
    MacTable,
    /// `show version`.
    Version,
    /// `show history`.
    History,
    /// `show access-lists`.
    AccessLists,
    /// `show ip nat translations`.
    NatTranslations,
    /// `show ip nat translations verbose`.
    NatTranslationsVerbose,
    /// `show ip nat statistics`.
    NatStatistics,
    /// `show ip rip database`.
    RipDatabase,
    /// `show ip protocols`.
    IpProtocols,
    /// `show spanning-tree [vlan N]` (0: every VLAN).
    SpanningTree(u16),
    /// `show vlan brief`.
    VlanBrief,
    /// `show interfaces trunk`.
    InterfacesTrunk,
}

/// A command pattern.
pub(crate) struct Pat {
    pub id: Cmd,
    pub toks: &'static [T],
}

const fn p(id: Cmd, toks: &'static [T]) -> Pat {
    Pat { id, toks }
}

/// `no`, shared by every command file (`nat`, `rip`, `ospf`).
pub(super) const NO: T = T::K("no", "Negate a command or set its defaults");
/// `router` (`router rip`, `router ospf N`, `router eigrp N`).
pub(super) const ROUTER_CMD: T = T::K("router", "Enable a routing process");
/// The routing protocols' `network` (`config-router`).
pub(super) const NETWORK: T = T::K("network", "Enable routing on an IP network");
/// The routing protocols' `passive-interface`.
pub(super) const PASSIVE: T = T::K(
    "passive-interface",
    "Suppress routing updates on an interface",
);
/// The routing protocols' `default-information`.
pub(super) const DEFINFO: T = T::K(
    "default-information",
    "Control distribution of default information",
);
/// `default-information originate`.
pub(super) const ORIGINATE: T = T::K("originate", "Distribute a default route");
const USERNAME: T = T::K("username", "Establish User Name Authentication");
const IP: T = T::K("ip", "Global IP configuration subcommands");
const EXIT: T = T::K("exit", "Exit from the current mode");
const END: T = T::K("end", "Exit to privileged EXEC mode");
const DO: T = T::K("do", "To run exec commands in config mode");
const REST_CMD: T = T::Rest("LINE  Exec command");
const SHOW: T = T::K("show", "Show running system information");
const DHCP: T = T::K("dhcp", "Configure DHCP server and relay parameters");

/// `show` commands of both EXEC levels.
const SHOW_USER: &[Pat] = &[
    p(
        Cmd::Show(Show::Version),
        &[SHOW, T::K("version", "System hardware and software status")],
    ),
    p(
        Cmd::Show(Show::History),
        &[SHOW, T::K("history", "Display the session command history")],
    ),
    p(
        Cmd::Show(Show::IpIntBrief),
        &[
            SHOW,
            T::K("ip", "IP information"),
            T::K("interface", "IP interface status and configuration"),
            T::K("brief", "Brief summary of IP status and configuration"),
        ],
    ),
    p(
        Cmd::Show(Show::IpRoute),
        &[
            SHOW,
            T::K("ip", "IP information"),
            T::K("route", "IP routing table"),
        ],
    ),
    p(
        Cmd::Show(Show::Arp),
        &[
            SHOW,
            T::K("ip", "IP information"),
            T::K("arp", "IP ARP table"),
        ],
    ),
    p(Cmd::Show(Show::Arp), &[SHOW, T::K("arp", "ARP table")]),
    p(
        Cmd::Show(Show::Interfaces),
        &[
            SHOW,
            T::K("interfaces", "Interface status and configuration"),
        ],
    ),
    p(
        Cmd::Show(Show::MacTable),
        &[
            SHOW,
            T::K("mac", "MAC configuration"),
            T::K("address-table", "MAC forwarding table"),
        ],
    ),
    p(
        Cmd::Show(Show::MacTable),
        &[SHOW, T::K("mac-address-table", "MAC forwarding table")],
    ),
];

const SHOW_PRIV: &[Pat] = &[
    p(
        Cmd::Show(Show::Running),
        &[
            SHOW,
            T::K("running-config", "Current operating configuration"),
        ],
    ),
    p(
        Cmd::Show(Show::Startup),
        &[
            SHOW,
            T::K("startup-config", "Contents of startup configuration"),
        ],
    ),
    p(
        Cmd::Show(Show::DhcpBinding),
        &[
            SHOW,
            T::K("ip", "IP information"),
            T::K("dhcp", "Show items in the DHCP database"),
            T::K("binding", "DHCP address bindings"),
        ],
    ),
    p(
        Cmd::Show(Show::DhcpPool),
        &[
            SHOW,
            T::K("ip", "IP information"),
            T::K("dhcp", "Show items in the DHCP database"),
            T::K("pool", "DHCP pools information"),
        ],
    ),
    p(
        Cmd::Show(Show::AccessLists),
        &[SHOW, T::K("access-lists", "List access lists")],
    ),
];

// `ping ADDRESS [repeat N] [size N] [source IF] [timeout N]`: each
// option's pattern; what follows the first option is read by `probe`.
const PING: T = T::K("ping", "Send echo messages");
const PING_TO: T = T::Word("WORD  Ping destination address or hostname");
const REPEAT: T = T::K("repeat", "specify repeat count");
const REPEAT_N: T = T::Num("<1-10000>  Repeat count");
const SIZE: T = T::K("size", "specify datagram size");
const SIZE_N: T = T::Num("<36-1500>  Datagram size");
const SOURCE: T = T::K("source", "specify source address or name");
const SOURCE_IF: T = T::Word("WORD  Source interface or address, like g0/0");
const TIMEOUT: T = T::K("timeout", "specify timeout interval");
const TIMEOUT_N: T = T::Num("<0-3600>  Timeout in seconds");
const PING_MORE: T = T::Rest("LINE  More options: repeat, size, source, timeout");

const EXEC_COMMON: &[Pat] = &[
    p(Cmd::Exit, &[T::K("exit", "Exit from the EXEC")]),
    p(Cmd::Exit, &[T::K("logout", "Exit from the EXEC")]),
    p(Cmd::Exit, &[T::K("quit", "Exit from the EXEC")]),
    p(Cmd::Ping, &[PING, PING_TO]),
    p(Cmd::Ping, &[PING, PING_TO, REPEAT, REPEAT_N]),
    p(Cmd::Ping, &[PING, PING_TO, REPEAT, REPEAT_N, PING_MORE]),
    p(Cmd::Ping, &[PING, PING_TO, SIZE, SIZE_N]),
    p(Cmd::Ping, &[PING, PING_TO, SIZE, SIZE_N, PING_MORE]),
    p(Cmd::Ping, &[PING, PING_TO, SOURCE, SOURCE_IF]),
    p(Cmd::Ping, &[PING, PING_TO, SOURCE, SOURCE_IF, PING_MORE]),
    p(Cmd::Ping, &[PING, PING_TO, TIMEOUT, TIMEOUT_N]),
    p(Cmd::Ping, &[PING, PING_TO, TIMEOUT, TIMEOUT_N, PING_MORE]),
    p(
        Cmd::Traceroute,
        &[
            T::K("traceroute", "Trace route to destination"),
            T::Word("WORD  Trace route to destination address or hostname"),
        ],
    ),
    p(
        Cmd::Telnet,
        &[
            T::K("telnet", "Open a telnet connection"),
            T::Ip("WORD  IP address of a remote system"),
        ],
    ),
];

/// User EXEC (`R1>`).
pub(crate) const USER: &[&[Pat]] = &[
    &[p(
        Cmd::Enable,
        &[T::K("enable", "Turn on privileged commands")],
    )],
    EXEC_COMMON,
    SHOW_USER,
    super::nat::SHOW_CMDS,
    super::rip::SHOW_CMDS,
    super::ospf::SHOW_CMDS,
    super::stp::SHOW_CMDS,
    super::vlan::SHOW_CMDS,
];

/// Privileged EXEC (`R1#`).
pub(crate) const PRIV: &[&[Pat]] = &[
    &[
        p(
            Cmd::Enable,
            &[T::K("enable", "Turn on privileged commands")],
        ),
        p(
            Cmd::Disable,
            &[T::K("disable", "Turn off privileged commands")],
        ),
        p(
            Cmd::ConfT,
            &[
                T::K("configure", "Enter configuration mode"),
                T::K("terminal", "Configure from the terminal"),
            ],
        ),
        p(
            Cmd::CopyRunStart,
            &[
                T::K("copy", "Copy from one file to another"),
                T::K("running-config", "Copy from current system configuration"),
                T::K("startup-config", "Copy to startup configuration"),
            ],
        ),
        p(
            Cmd::WriteMem,
            &[T::K("write", "Write running configuration to memory")],
        ),
        p(
            Cmd::WriteMem,
            &[
                T::K("write", "Write running configuration to memory"),
                T::K("memory", "Write to NV memory"),
            ],
        ),
        p(
            Cmd::Reload,
            &[T::K("reload", "Halt and perform a cold restart")],
        ),
        p(
            Cmd::EraseStart,
            &[
                T::K("erase", "Erase a filesystem"),
                T::K("startup-config", "Erase contents of configuration memory"),
            ],
        ),
    ],
    EXEC_COMMON,
    SHOW_USER,
    SHOW_PRIV,
    super::nat::SHOW_CMDS,
    super::stp::SHOW_CMDS,
    super::nat::EXEC,
    super::rip::SHOW_CMDS,
    super::rip::EXEC,
    super::ospf::SHOW_CMDS,
    super::ospf::EXEC,
    super::vlan::SHOW_CMDS,
];

/// Commands of every configuration mode.
const CONFIG_COMMON: &[Pat] = &[
    p(Cmd::Exit, &[EXIT]),
    p(Cmd::End, &[END]),
    p(Cmd::Do, &[DO, REST_CMD]),
];

/// Global configuration (`R1(config)#`).
pub(crate) const GLOBAL: &[&[Pat]] = &[
    CONFIG_COMMON,
    super::nat::GLOBAL,
    super::rip::GLOBAL,
    super::ospf::GLOBAL,
    super::stp::GLOBAL,
    super::vlan::GLOBAL,
    &[
        p(
            Cmd::Hostname,
            &[
                T::K("hostname", "Set system's network name"),
                T::Word("WORD  This system's network name"),
            ],
        ),
        p(
            Cmd::Interface,
            &[T::K("interface", "Select an interface to configure"), T::If],
        ),
        p(
            Cmd::InterfaceRange,
            &[
                T::K("interface", "Select an interface to configure"),
                T::K("range", "interface range command"),
                T::Rest("LINE  Interfaces, like g0/0 - 2"),
            ],
        ),
        p(
            Cmd::IpRoute,
            &[
                IP,
                T::K("route", "Establish static routes"),
                T::Ip("A.B.C.D  Destination prefix"),
                T::Ip("A.B.C.D  Destination prefix mask"),
                T::Ip("A.B.C.D  Forwarding router's address"),
            ],
        ),
        p(
            Cmd::NoIpRoute,
            &[
                NO,
                IP,
                T::K("route", "Establish static routes"),
                T::Ip("A.B.C.D  Destination prefix"),
                T::Ip("A.B.C.D  Destination prefix mask"),
                T::Ip("A.B.C.D  Forwarding router's address"),
            ],
        ),
        p(
            Cmd::IpRoute,
            &[
                IP,
                T::K("route", "Establish static routes"),
                T::Ip("A.B.C.D  Destination prefix"),
                T::Ip("A.B.C.D  Destination prefix mask"),
                T::Ip("A.B.C.D  Forwarding router's address"),
                T::Num("<1-255>  Distance metric for this route"),
            ],
        ),
        p(
            Cmd::NoIpRoute,
            &[
                NO,
                IP,
                T::K("route", "Establish static routes"),
                T::Ip("A.B.C.D  Destination prefix"),
                T::Ip("A.B.C.D  Destination prefix mask"),
                T::Ip("A.B.C.D  Forwarding router's address"),
                T::Num("<1-255>  Distance metric for this route"),
            ],
        ),
        p(
            Cmd::DefaultGateway,
            &[
                IP,
                T::K(
                    "default-gateway",
                    "Specify default gateway (if not routing IP)",
                ),
                T::Ip("A.B.C.D  IP address of default gateway"),
            ],
        ),
        p(
            Cmd::NoDefaultGateway,
            &[
                NO,
                IP,
                T::K(
                    "default-gateway",
                    "Specify default gateway (if not routing IP)",
                ),
            ],
        ),
        p(
            Cmd::Excluded,
            &[
                IP,
                DHCP,
                T::K(
                    "excluded-address",
                    "Prevent DHCP from assigning certain addresses",
                ),
                T::Ip("A.B.C.D  Low IP address"),
            ],
        ),
        p(
            Cmd::Excluded,
            &[
                IP,
                DHCP,
                T::K(
                    "excluded-address",
                    "Prevent DHCP from assigning certain addresses",
                ),
                T::Ip("A.B.C.D  Low IP address"),
                T::Ip("A.B.C.D  High IP address"),
            ],
        ),
        p(
            Cmd::NoExcluded,
            &[
                NO,
                IP,
                DHCP,
                T::K(
                    "excluded-address",
                    "Prevent DHCP from assigning certain addresses",
                ),
                T::Ip("A.B.C.D  Low IP address"),
            ],
        ),
        p(
            Cmd::NoExcluded,
            &[
                NO,
                IP,
                DHCP,
                T::K(
                    "excluded-address",
                    "Prevent DHCP from assigning certain addresses",
                ),
                T::Ip("A.B.C.D  Low IP address"),
                T::Ip("A.B.C.D  High IP address"),
            ],
        ),
        p(
            Cmd::DhcpPool,
            &[
                IP,
                DHCP,
                T::K("pool", "Configure DHCP address pools"),
                T::Word("WORD  Pool name"),
            ],
        ),
        p(
            Cmd::NoDhcpPool,
            &[
                NO,
                IP,
                DHCP,
                T::K("pool", "Configure DHCP address pools"),
                T::Word("WORD  Pool name"),
            ],
        ),
        p(
            Cmd::AccessList,
            &[
                T::K("access-list", "Add an access list entry"),
                T::Rest("<1-2699>  IP access list number"),
            ],
        ),
        p(
            Cmd::NoAccessList,
            &[
                NO,
                T::K("access-list", "Add an access list entry"),
                T::Word("<1-2699>  IP access list number"),
            ],
        ),
        p(
            Cmd::NamedAcl,
            &[
                IP,
                T::K("access-list", "Named access-list"),
                T::K("standard", "Standard Access List"),
                T::Word("WORD  Access-list name"),
            ],
        ),
        p(
            Cmd::NamedAcl,
            &[
                IP,
                T::K("access-list", "Named access-list"),
                T::K("extended", "Extended Access List"),
                T::Word("WORD  Access-list name"),
            ],
        ),
        p(
            Cmd::NoNamedAcl,
            &[
                NO,
                IP,
                T::K("access-list", "Named access-list"),
                T::K("standard", "Standard Access List"),
                T::Word("WORD  Access-list name"),
            ],
        ),
        p(
            Cmd::NoNamedAcl,
            &[
                NO,
                IP,
                T::K("access-list", "Named access-list"),
                T::K("extended", "Extended Access List"),
                T::Word("WORD  Access-list name"),
            ],
        ),
        p(
            Cmd::Banner,
            &[
                T::K("banner", "Define a login banner"),
                T::K("motd", "Set Message of the Day banner"),
                T::Rest("LINE  c banner-text c, where 'c' is a delimiting character"),
            ],
        ),
        p(
            Cmd::NoBanner,
            &[
                NO,
                T::K("banner", "Define a login banner"),
                T::K("motd", "Set Message of the Day banner"),
            ],
        ),
        p(
            Cmd::Username,
            &[
                USERNAME,
                T::Word("WORD  User name"),
                T::K("password", "Specify the password for the user"),
                T::Word("LINE  The UNENCRYPTED (cleartext) user password"),
            ],
        ),
        p(
            Cmd::UsernameHashed,
            &[
                USERNAME,
                T::Word("WORD  User name"),
                T::K("password", "Specify the password for the user"),
                T::K("7", "Specifies a HIDDEN password will follow"),
                T::Word("LINE  The HIDDEN user password string"),
            ],
        ),
        p(Cmd::NoUsername, &[NO, USERNAME, T::Word("WORD  User name")]),
        p(
            Cmd::EnableSecret,
            &[
                T::K("enable", "Modify enable password parameters"),
                T::K("secret", "Assign the privileged level secret"),
                T::Word("LINE  The UNENCRYPTED (cleartext) 'enable' secret"),
            ],
        ),
        p(
            Cmd::EnableSecretHashed,
            &[
                T::K("enable", "Modify enable password parameters"),
                T::K("secret", "Assign the privileged level secret"),
                T::K("5", "Specifies an ENCRYPTED secret will follow"),
                T::Word("LINE  The ENCRYPTED 'enable' secret string"),
            ],
        ),
        p(
            Cmd::NoEnableSecret,
            &[
                NO,
                T::K("enable", "Modify enable password parameters"),
                T::K("secret", "Assign the privileged level secret"),
            ],
        ),
        p(
            Cmd::PwEncryption,
            &[
                T::K("service", "Modify use of network based services"),
                T::K("password-encryption", "Encrypt system passwords"),
            ],
        ),
        p(
            Cmd::NoPwEncryption,
            &[
                NO,
                T::K("service", "Modify use of network based services"),
                T::K("password-encryption", "Encrypt system passwords"),
            ],
        ),
        p(
            Cmd::LineCon,
            &[
                T::K("line", "Configure a terminal line"),
                T::K("console", "Primary terminal line"),
                T::Num("<0-0>  First Line number"),
            ],
        ),
        p(
            Cmd::LineVty,
            &[
                T::K("line", "Configure a terminal line"),
                T::K("vty", "Virtual terminal"),
                T::Num("<0-15>  First Line number"),
                T::Num("<1-15>  Last Line number"),
            ],
        ),
        p(
            Cmd::Router,
            &[
                ROUTER_CMD,
                T::K(
                    "eigrp",
                    "Enhanced Interior Gateway Routing Protocol (EIGRP)",
                ),
                T::Num("<1-65535>  Autonomous system number"),
            ],
        ),
        // Lines of a saved configuration that change nothing here.
        p(
            Cmd::Ignored,
            &[T::K("version", "Version"), T::Word("WORD  Version number")],
        ),
        p(
            Cmd::Ignored,
            &[
                IP,
                T::K("classless", "Follow classless routing forwarding rules"),
            ],
        ),
        p(
            Cmd::Ignored,
            &[
                T::K("service", "Modify use of network based services"),
                T::K("timestamps", "Timestamp debug/log messages"),
                T::Rest("LINE  Options"),
            ],
        ),
        p(
            Cmd::Ignored,
            &[
                NO,
                T::K("service", "Modify use of network based services"),
                T::K("timestamps", "Timestamp debug/log messages"),
                T::Rest("LINE  Options"),
            ],
        ),
    ],
];

/// Interface configuration (`R1(config-if)#`, also `config-if-range`).
pub(crate) const INTERFACE: &[&[Pat]] = &[
    CONFIG_COMMON,
    super::nat::INTERFACE,
    super::ospf::INTERFACE,
    super::stp::INTERFACE,
    super::vlan::INTERFACE,
    &[
        p(
            Cmd::IpAddress,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("address", "Set the IP address of an interface"),
                T::Ip("A.B.C.D  IP address"),
                T::Ip("A.B.C.D  IP subnet mask"),
            ],
        ),
        p(
            Cmd::IpAddressDhcp,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("address", "Set the IP address of an interface"),
                T::K("dhcp", "IP Address negotiated via DHCP"),
            ],
        ),
        p(
            Cmd::NoIpAddress,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("address", "Set the IP address of an interface"),
            ],
        ),
        p(
            Cmd::Shutdown,
            &[T::K("shutdown", "Shutdown the selected interface")],
        ),
        p(
            Cmd::NoShutdown,
            &[NO, T::K("shutdown", "Shutdown the selected interface")],
        ),
        p(
            Cmd::Description,
            &[
                T::K("description", "Interface specific description"),
                T::Rest("LINE  Up to 240 characters describing this interface"),
            ],
        ),
        p(
            Cmd::NoDescription,
            &[NO, T::K("description", "Interface specific description")],
        ),
        p(
            Cmd::Unreachables,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("unreachables", "Enable sending ICMP Unreachable messages"),
            ],
        ),
        p(
            Cmd::NoUnreachables,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("unreachables", "Enable sending ICMP Unreachable messages"),
            ],
        ),
        p(
            Cmd::Helper,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K(
                    "helper-address",
                    "Specify a destination address for UDP broadcasts",
                ),
                T::Ip("A.B.C.D  IP destination address"),
            ],
        ),
        p(
            Cmd::NoHelper,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K(
                    "helper-address",
                    "Specify a destination address for UDP broadcasts",
                ),
            ],
        ),
        p(
            Cmd::NoHelper,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K(
                    "helper-address",
                    "Specify a destination address for UDP broadcasts",
                ),
                T::Ip("A.B.C.D  IP destination address"),
            ],
        ),
        p(
            Cmd::AccessGroup,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("access-group", "Specify access control for packets"),
                T::Word("WORD  Access-list name or number"),
                T::K("in", "inbound packets"),
            ],
        ),
        p(
            Cmd::AccessGroup,
            &[
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("access-group", "Specify access control for packets"),
                T::Word("WORD  Access-list name or number"),
                T::K("out", "outbound packets"),
            ],
        ),
        p(
            Cmd::NoAccessGroup,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("access-group", "Specify access control for packets"),
                T::Word("WORD  Access-list name or number"),
                T::K("in", "inbound packets"),
            ],
        ),
        p(
            Cmd::NoAccessGroup,
            &[
                NO,
                T::K("ip", "Interface Internet Protocol config commands"),
                T::K("access-group", "Specify access control for packets"),
                T::Word("WORD  Access-list name or number"),
                T::K("out", "outbound packets"),
            ],
        ),
        p(
            Cmd::Ignored,
            &[
                T::K("duplex", "Configure duplex operation."),
                T::K("auto", "Enable AUTO duplex configuration"),
            ],
        ),
        p(
            Cmd::Ignored,
            &[
                T::K("speed", "Configure speed operation."),
                T::K("auto", "Enable AUTO speed configuration"),
            ],
        ),
    ],
];

/// Sub-interface configuration (`R1(config-subif)#`).
pub(crate) const SUBIF: &[&[Pat]] = &[CONFIG_COMMON, super::vlan::SUBIF];

/// VLAN configuration (`SW1(config-vlan)#`).
pub(crate) const VLAN_DB: &[&[Pat]] = &[CONFIG_COMMON, super::vlan::VLAN_DB];

/// Line configuration (`R1(config-line)#`).
pub(crate) const LINE: &[&[Pat]] = &[
    CONFIG_COMMON,
    &[
        p(
            Cmd::Password,
            &[
                T::K("password", "Set a password"),
                T::Word("LINE  The UNENCRYPTED (cleartext) line password"),
            ],
        ),
        p(
            Cmd::PasswordHashed,
            &[
                T::K("password", "Set a password"),
                T::K("7", "Specifies a HIDDEN password will follow"),
                T::Word("LINE  The HIDDEN line password string"),
            ],
        ),
        p(Cmd::NoPassword, &[NO, T::K("password", "Set a password")]),
        p(Cmd::Login, &[T::K("login", "Enable password checking")]),
        p(
            Cmd::LoginLocal,
            &[
                T::K("login", "Enable password checking"),
                T::K("local", "Local password checking"),
            ],
        ),
        p(
            Cmd::NoLogin,
            &[NO, T::K("login", "Enable password checking")],
        ),
    ],
];

/// DHCP pool configuration (`R1(dhcp-config)#`).
pub(crate) const DHCP_POOL: &[&[Pat]] = &[
    CONFIG_COMMON,
    &[
        p(
            Cmd::Network,
            &[
                T::K("network", "Network number and mask"),
                T::Ip("A.B.C.D  Network number in dotted-decimal notation"),
                T::Ip("A.B.C.D  Network mask"),
            ],
        ),
        p(
            Cmd::DefaultRouter,
            &[
                T::K("default-router", "Default routers"),
                T::Ip("A.B.C.D  Router's IP address"),
            ],
        ),
        p(
            Cmd::NoDefaultRouter,
            &[NO, T::K("default-router", "Default routers")],
        ),
        p(
            Cmd::DnsServer,
            &[
                T::K("dns-server", "DNS servers"),
                T::Ips("A.B.C.D  Server's IP address"),
            ],
        ),
        p(Cmd::NoDnsServer, &[NO, T::K("dns-server", "DNS servers")]),
        p(
            Cmd::DomainName,
            &[
                T::K("domain-name", "Domain name"),
                T::Word("WORD  Domain name"),
            ],
        ),
        p(Cmd::NoDomainName, &[NO, T::K("domain-name", "Domain name")]),
        p(
            Cmd::Lease,
            &[T::K("lease", "Address lease time"), T::Num("<0-365>  Days")],
        ),
        p(
            Cmd::Lease,
            &[
                T::K("lease", "Address lease time"),
                T::Num("<0-365>  Days"),
                T::Num("<0-23>  Hours"),
            ],
        ),
        p(
            Cmd::Lease,
            &[
                T::K("lease", "Address lease time"),
                T::Num("<0-365>  Days"),
                T::Num("<0-23>  Hours"),
                T::Num("<0-59>  Minutes"),
            ],
        ),
        p(
            Cmd::LeaseInfinite,
            &[
                T::K("lease", "Address lease time"),
                T::K("infinite", "Infinite lease"),
            ],
        ),
    ],
];

/// A named access list (`R1(config-ext-nacl)#`): entries go to the ACL parser.
pub(crate) const NACL: &[&[Pat]] = &[
    CONFIG_COMMON,
    &[
        p(
            Cmd::AclLine,
            &[
                T::K("permit", "Specify packets to forward"),
                T::Rest("LINE  Match criteria"),
            ],
        ),
        p(
            Cmd::AclLine,
            &[
                T::K("deny", "Specify packets to reject"),
                T::Rest("LINE  Match criteria"),
            ],
        ),
        p(
            Cmd::AclLine,
            &[
                T::K("remark", "Access list entry comment"),
                T::Rest("LINE  Comment"),
            ],
        ),
        p(
            Cmd::AclLine,
            &[
                T::Num("<1-2147483647>  Sequence Number"),
                T::Rest("LINE  permit or deny"),
            ],
        ),
        p(
            Cmd::AclLine,
            &[NO, T::Num("<1-2147483647>  Sequence Number")],
        ),
    ],
];

/// `router …` (a placeholder until dynamic routing exists).
pub(crate) const ROUTER: &[&[Pat]] = &[CONFIG_COMMON];

/// `router rip`'s `(config-router)`.
pub(crate) const ROUTER_RIP: &[&[Pat]] = &[CONFIG_COMMON, super::rip::ROUTER_MODE];
/// `router ospf N` (`R1(config-router)#`).
pub(crate) const ROUTER_OSPF: &[&[Pat]] = &[CONFIG_COMMON, super::ospf::ROUTER_MODE];

/// A typed word and where it starts in the line (bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub at: usize,
}

/// Splits a line into words with their offsets.
pub(crate) fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Word {
                    text: &line[s..i],
                    at: s,
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(Word {
            text: &line[s..],
            at: s,
        });
    }
    out
}

/// Why a line did not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum MatchError {
    /// The word at this byte offset fits no command.
    Invalid(usize),
    /// The line stops before a command is complete.
    Incomplete,
    /// A prefix that fits several keywords; the line up to it.
    Ambiguous(String),
}

/// A matched line: the command and its arguments (texts of non-keyword tokens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Matched {
    pub id: Cmd,
    pub args: Vec<String>,
}

impl Matched {
    /// Argument `k` as an IPv4 address (the grammar only matches one there).
    pub fn ip(&self, k: usize) -> Result<Ipv4Addr, String> {
        self.args
            .get(k)
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| "% Incomplete command.\n".to_string())
    }

    /// `ip address A M`: the address, the mask and its prefix length, or
    /// IOS's "Bad mask" for a mask that is not contiguous ones.
    pub fn address_and_mask(&self) -> Result<(Ipv4Addr, Ipv4Addr, u8), String> {
        let (a, mask) = (self.ip(0)?, self.ip(1)?);
        match lanlab_proto::net::mask_to_prefix(mask) {
            Ok(prefix) => Ok((a, mask, prefix)),
            Err(_) => Err(format!(
                "Bad mask 0x{:X} for address {a}\n",
                u32::from(mask)
            )),
        }
    }
}

/// Whether a word is accepted where a token stands (keywords by prefix).
fn accepts(t: &T, w: &str, ifaces: &dyn Fn(&str) -> bool) -> bool {
    match t {
        T::K(k, _) => k.len() >= w.len() && k[..w.len()].eq_ignore_ascii_case(w),
        T::Ip(_) | T::Ips(_) => w.parse::<Ipv4Addr>().is_ok(),
        T::Word(_) | T::Rest(_) => true,
        T::Num(_) => !w.is_empty() && w.len() <= 10 && w.bytes().all(|b| b.is_ascii_digit()),
        T::If => ifaces(w),
    }
}

fn all_pats<'a>(table: &'a [&'a [Pat]]) -> impl Iterator<Item = &'a Pat> {
    table.iter().flat_map(|t| t.iter())
}

/// The patterns still possible after `words`, with the token index each is at.
fn narrow<'a>(
    table: &'a [&'a [Pat]],
    line: &str,
    words: &[Word<'_>],
    ifaces: &dyn Fn(&str) -> bool,
) -> Result<Vec<(&'a Pat, usize)>, MatchError> {
    let mut cands: Vec<(&Pat, usize)> = all_pats(table).map(|p| (p, 0)).collect();
    for w in words {
        let mut next: Vec<(&Pat, usize, Option<&str>)> = Vec::new();
        let mut kws: Vec<&str> = Vec::new();
        for &(p, i) in &cands {
            // Past the end, a rest-of-line token keeps taking words.
            let (t, ni) = match p.toks.get(i) {
                Some(t) => (t, i + 1),
                None => match i.checked_sub(1).and_then(|k| p.toks.get(k)) {
                    Some(t @ (T::Rest(_) | T::Ips(_))) => (t, i),
                    _ => continue,
                },
            };
            if !accepts(t, w.text, ifaces) {
                continue;
            }
            let kw = match t {
                T::K(k, _) => {
                    if !kws.contains(k) {
                        kws.push(k);
                    }
                    Some(*k)
                }
                _ => None,
            };
            next.push((p, ni, kw));
        }
        // Keywords: an exact match wins; several prefixes are ambiguous
        // unless an argument also takes the word.
        let exact = kws.iter().find(|k| k.eq_ignore_ascii_case(w.text)).copied();
        let chosen = exact.or(if kws.len() == 1 { Some(kws[0]) } else { None });
        match chosen {
            Some(k) => next.retain(|(_, _, kw)| kw.is_none_or(|x| x == k)),
            None if kws.len() > 1 => {
                next.retain(|(_, _, kw)| kw.is_none());
                if next.is_empty() {
                    return Err(MatchError::Ambiguous(
                        line[..w.at + w.text.len()].trim().to_string(),
                    ));
                }
            }
            None => {}
        }
        if next.is_empty() {
            return Err(MatchError::Invalid(w.at));
        }
        cands = next.into_iter().map(|(p, i, _)| (p, i)).collect();
    }
    Ok(cands)
}

/// Matches a line against a mode's table.
pub(crate) fn parse(
    table: &[&[Pat]],
    line: &str,
    ifaces: &dyn Fn(&str) -> bool,
) -> Result<Matched, MatchError> {
    let ws = words(line);
    let cands = narrow(table, line, &ws, ifaces)?;
    let done = cands
        .iter()
        .find(|(p, i)| *i == p.toks.len())
        .ok_or(MatchError::Incomplete)?;
    let p = done.0;
    let mut args = Vec::new();
    for (k, t) in p.toks.iter().enumerate() {
        match t {
            T::K(..) => {}
            T::Rest(_) | T::Ips(_) => {
                if let Some(w) = ws.get(k) {
                    args.push(line[w.at..].trim_end().to_string());
                }
                break;
            }
            _ => {
                if let Some(w) = ws.get(k) {
                    args.push(w.text.to_string());
                }
            }
        }
    }
    Ok(Matched { id: p.id, args })
}

/// One line of `?` output: what may come next and its help.
fn describe(t: &T) -> (String, String) {
    let split = |s: &str| match s.split_once("  ") {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (s.to_string(), String::new()),
    };
    match t {
        T::K(k, h) => (k.to_string(), h.to_string()),
        T::Ip(h) | T::Word(h) | T::Num(h) | T::Rest(h) | T::Ips(h) => split(h),
        T::If => (
            "GigabitEthernet".into(),
            "GigabitEthernet IEEE 802.3z (or FastEthernet, Vlan)".into(),
        ),
    }
}

/// The text of `?` for a line typed so far (without the `?`).
pub(crate) fn help(
    table: &[&[Pat]],
    line: &str,
    ifaces: &dyn Fn(&str) -> bool,
) -> Result<String, MatchError> {
    let ws = words(line);
    let partial = !line.is_empty() && !line.ends_with(char::is_whitespace);
    let (before, last) = match (partial, ws.split_last()) {
        (true, Some((l, b))) => (b, Some(l)),
        _ => (&ws[..], None),
    };
    let cands = narrow(table, line, before, ifaces)?;
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut cr = false;
    for (p, i) in &cands {
        if *i == p.toks.len() {
            cr = true;
            continue;
        }
        let Some(t) = p.toks.get(*i) else { continue };
        if let Some(l) = last {
            if let T::K(k, _) = t
                && accepts(t, l.text, ifaces)
                && !rows.iter().any(|(x, _)| x == k)
            {
                rows.push((k.to_string(), String::new()));
            }
            continue;
        }
        let row = describe(t);
        if !rows.iter().any(|(x, _)| *x == row.0) {
            rows.push(row);
        }
    }
    if let Some(l) = last {
        if rows.is_empty() {
            return Err(MatchError::Invalid(l.at));
        }
        lanlab_proto::order::sort(&mut rows);
        let names: Vec<String> = rows.into_iter().map(|(k, _)| k).collect();
        return Ok(format!("{}\n", names.join("  ")));
    }
    lanlab_proto::order::sort_by_key(&mut rows, |(k, _)| k.to_ascii_lowercase());
    if cr {
        rows.push(("<cr>".into(), String::new()));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0).max(8);
    let mut out = String::new();
    for (k, h) in rows {
        if h.is_empty() {
            out.push_str(&format!("  {k}\n"));
        } else {
            out.push_str(&format!("  {k:<width$}  {h}\n"));
        }
    }
    Ok(out)
}

/// Tab: the line with its last word completed when one keyword fits.
pub(crate) fn complete(table: &[&[Pat]], line: &str, ifaces: &dyn Fn(&str) -> bool) -> String {
    if line.is_empty() || line.ends_with(char::is_whitespace) {
        return line.to_string();
    }
    let ws = words(line);
    let Some((last, before)) = ws.split_last() else {
        return line.to_string();
    };
    let Ok(cands) = narrow(table, line, before, ifaces) else {
        return line.to_string();
    };
    let mut kws: Vec<&str> = Vec::new();
    for (p, i) in &cands {
        if let Some(t @ T::K(k, _)) = p.toks.get(*i)
            && accepts(t, last.text, ifaces)
            && !kws.contains(k)
        {
            kws.push(k);
        }
    }
    match kws.as_slice() {
        [k] => format!("{}{k} ", &line[..last.at]),
        _ => line.to_string(),
    }
}
