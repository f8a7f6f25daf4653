//! The zones of scenario S4 (SCENARIOS.md), shared by the tests.

use super::name::Name;
use super::zone::Zone;
use super::zonefile::parse_zone;

/// HasanDNS's address.
pub(crate) const HASAN_IP: &str = "10.0.3.53";

pub(crate) fn n(text: &str) -> Name {
    Name::parse(text).unwrap()
}

pub(crate) fn root_zone() -> Zone {
    parse_zone(
        &Name::root(),
        "\
@                        SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
@               518400   NS  a.root-servers.net.
a.root-servers.net. 518400 A 198.41.0.4
com.            172800   NS  a.gtld-servers.net.
a.gtld-servers.net. 172800 A 192.5.6.30
1.168.192.in-addr.arpa. 86400 NS ns1.hasan.com.
ns1.hasan.com.  86400    A   10.0.3.53
",
    )
    .unwrap()
}

pub(crate) fn com_zone() -> Zone {
    parse_zone(
        &n("com"),
        "\
@          SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 900
@          NS  a.gtld-servers.net.
hasan      172800 NS ns1.hasan.com.
ns1.hasan  172800 A  10.0.3.53
",
    )
    .unwrap()
}

pub(crate) fn hasan_zone() -> Zone {
    parse_zone(
        &n("hasan.com"),
        r#"
$TTL 3600
@            SOA  ns1 admin 2024010101 3600 600 86400 300
@            NS   ns1.hasan.com.
ns1          A    10.0.3.53
hasan.com.   A    192.168.1.1
@            AAAA 2001:db8::1
www          CNAME hasan.com.
mail         A    192.168.1.1
@            MX   10 mail.hasan.com.
@            TXT  "v=spf1 mx -all"
_imap._tcp   SRV  0 0 143 mail.hasan.com.
"#,
    )
    .unwrap()
}

pub(crate) fn reverse_zone() -> Zone {
    parse_zone(
        &n("1.168.192.in-addr.arpa"),
        "\
@   SOA ns1.hasan.com. admin.hasan.com. 1 3600 600 86400 300
@   NS  ns1.hasan.com.
1   PTR hasan.com.
",
    )
    .unwrap()
}
