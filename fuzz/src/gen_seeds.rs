//! Writes a few valid seed inputs for each fuzz target, made with the crates'
//! own encoders, into `<dir>/<target>/seed-*` (default dir: `corpus`).
//! Run from `fuzz/`: `cargo +nightly run --bin gen_seeds -- corpus`.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use lanlab_proto::dhcp::{Message, MessageType, OpCode, OptionCode};
use lanlab_proto::tcp::{Control, Segment};
use lanlab_sim::{DeviceKind, Lab, Point, share};
use smoltcp::wire::EthernetAddress;

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let d = dir.join(target);
    std::fs::create_dir_all(&d).expect("create corpus dir");
    std::fs::write(d.join(format!("seed-{name}")), bytes).expect("write seed");
}

fn dhcp(dir: &Path) {
    let mac = EthernetAddress([0x02, 0x4c, 0, 0, 1, 0]);
    let ip = |d| Ipv4Addr::new(192, 168, 1, d);
    let mut discover = Message::new(OpCode::BootRequest, MessageType::Discover, 0x3903_f326, mac);
    discover.broadcast = true;
    discover.options.parameter_request_list = vec![
        OptionCode::SubnetMask,
        OptionCode::Router,
        OptionCode::DomainNameServer,
    ];
    discover.options.host_name = Some("PC0".into());
    discover.options.client_id = Some(vec![1, 2, 0x4c, 0, 0, 1, 0]);
    write(dir, "dhcp_message", "discover", &discover.to_bytes());

    let mut offer = Message::new(OpCode::BootReply, MessageType::Offer, 0x3903_f326, mac);
    offer.yiaddr = ip(10);
    offer.options.subnet_mask = Some(Ipv4Addr::new(255, 255, 255, 0));
    offer.options.routers = vec![ip(1)];
    offer.options.dns_servers = vec![ip(1), Ipv4Addr::new(8, 8, 8, 8)];
    offer.options.domain_name = Some("lab.local".into());
    offer.options.lease_time = Some(86_400);
    offer.options.renewal_time = Some(43_200);
    offer.options.rebinding_time = Some(75_600);
    offer.options.server_id = Some(ip(1));
    offer.options.unknown = vec![(43, vec![9, 9])];
    write(dir, "dhcp_message", "offer", &offer.to_bytes());

    let mut request = Message::new(OpCode::BootRequest, MessageType::Request, 7, mac);
    request.options.requested_ip = Some(ip(10));
    request.options.server_id = Some(ip(1));
    request.giaddr = Ipv4Addr::new(10, 0, 0, 1);
    request.hops = 1;
    write(dir, "dhcp_message", "request", &request.to_bytes());

    let mut nak = Message::new(OpCode::BootReply, MessageType::Nak, 7, mac);
    nak.options.message = Some("requested address not available".into());
    write(dir, "dhcp_message", "nak", &nak.to_bytes());

    let mut release = Message::new(OpCode::BootRequest, MessageType::Release, 9, mac);
    release.ciaddr = ip(10);
    write(dir, "dhcp_message", "release", &release.to_bytes());
}

fn tcp(dir: &Path) {
    let (src, dst) = (
        Ipv4Addr::new(192, 168, 1, 10),
        Ipv4Addr::new(192, 168, 1, 20),
    );
    let syn = Segment {
        src_port: 49152,
        dst_port: 80,
        seq: 1000,
        control: Control::Syn,
        window: 64240,
        mss: Some(1460),
        window_scale: Some(7),
        ..Segment::default()
    };
    let data = Segment {
        src_port: 49152,
        dst_port: 80,
        seq: 1001,
        ack: Some(5001),
        psh: true,
        window: 64240,
        payload: b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ..Segment::default()
    };
    let fin = Segment {
        control: Control::Fin,
        ..data.clone()
    };
    let rst = Segment {
        control: Control::Rst,
        ack: None,
        payload: Vec::new(),
        ..data.clone()
    };
    for (name, s) in [("syn", syn), ("data", data), ("fin", fin), ("rst", rst)] {
        // First byte 0: the harness fills in the checksum.
        let mut bytes = vec![0];
        bytes.extend(s.emit(src, dst));
        write(dir, "tcp_segment", name, &bytes);
    }
}

fn labs() -> Vec<(&'static str, Lab)> {
    let mut small = Lab::new("Kelas 12 TKJ");
    let pc = small.add_device(DeviceKind::Pc, Point::new(100.0, 100.0));
    let sw = small.add_device(DeviceKind::Switch, Point::new(300.0, 100.0));
    small.connect(pc, sw).expect("connect");

    let mut big = Lab::new("two LANs");
    let r = big.add_device(DeviceKind::Router, Point::new(400.0, 50.0));
    for (i, kind) in DeviceKind::ALL.into_iter().enumerate() {
        let x = 100.0 * i as f64;
        let sw = big.add_device(DeviceKind::Switch, Point::new(x, 200.0));
        let host = big.add_device(kind, Point::new(x, 300.5));
        big.connect(r, sw).ok();
        big.connect(sw, host).ok();
    }
    vec![("empty", Lab::new("")), ("small", small), ("big", big)]
}

fn sim(dir: &Path) {
    for (name, lab) in labs() {
        let json = lab.to_json_pretty();
        write(dir, "lab_json", name, json.as_bytes());
        let mut link = vec![0u8];
        link.extend(format!("#{}", share::encode(&lab)).bytes());
        write(dir, "share_link", &format!("{name}-link"), &link);
        let mut raw = vec![1u8];
        raw.extend(json.bytes());
        write(dir, "share_link", &format!("{name}-json"), &raw);
    }
}

fn dns(dir: &Path) {
    use lanlab_proto::SimTime;
    use lanlab_proto::dns::{
        Authoritative, Message, Name, Question, RecordType, Transport, parse_zone,
    };
    let origin = Name::parse("hasan.com").expect("origin");
    let zone = parse_zone(
        &origin,
        "@ NS ns1\nns1 A 10.0.3.53\n@ A 192.168.1.1\nwww CNAME @\n@ MX 10 mail\n\
         mail A 192.168.1.25\n@ TXT \"v=spf1 mx\"\n@ AAAA 2001:db8::1\n\
         _sip._tcp SRV 1 2 5060 www\nsub NS ns.sub\nns.sub A 10.0.4.53\n",
    )
    .expect("zone");
    let mut auth = Authoritative::new(vec![zone]);
    for (name, qname, qtype) in [
        ("a", "hasan.com", RecordType::A),
        ("cname", "www.hasan.com", RecordType::A),
        ("mx", "hasan.com", RecordType::Mx),
        ("any-txt", "hasan.com", RecordType::Txt),
        ("aaaa", "hasan.com", RecordType::Aaaa),
        ("srv", "_sip._tcp.hasan.com", RecordType::Srv),
        ("referral", "x.sub.hasan.com", RecordType::A),
        ("nxdomain", "nope.hasan.com", RecordType::A),
        ("soa", "hasan.com", RecordType::Soa),
    ] {
        let q = Message::query(
            0x1234,
            Question::new(Name::parse(qname).expect("name"), qtype),
            true,
        );
        let bytes = q.emit();
        write(dir, "dns_message", &format!("query-{name}"), &bytes);
        if let Some(reply) = auth.handle_query(SimTime::ZERO, &bytes, Transport::Udp) {
            write(dir, "dns_message", &format!("reply-{name}"), &reply);
        }
    }
}

fn text_seeds(dir: &Path, target: &str, seeds: &[(&str, &str)]) {
    for (name, text) in seeds {
        // `\u{80}` stands for the single mode byte 0x80 (client side, all at once).
        match text.strip_prefix('\u{80}') {
            Some(rest) => write(dir, target, name, &[&[0x80], rest.as_bytes()].concat()),
            None => write(dir, target, name, text.as_bytes()),
        }
    }
}

fn mail(dir: &Path) {
    // Session inputs: first byte is the chunk size (0: all at once; high bit: client side).
    text_seeds(
        dir,
        "smtp_server",
        &[
            (
                "session",
                "\0EHLO pc.hasan.com\r\nMAIL FROM:<ani@hasan.com> SIZE=100\r\nRCPT TO:<budi@hasan.com>\r\n\
            RCPT TO:<x@dadali.com>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\nhalo\r\n.\r\nQUIT\r\n",
            ),
            (
                "chunked",
                "\x05HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nDATA\r\n.\r\nRSET\r\nVRFY budi\r\nEXPN all\r\nNOOP\r\nHELP\r\nQUIT\r\n",
            ),
            (
                "errors",
                "\x01MAIL FROM:<a@b>\r\nEHLO\r\nRCPT TO:<a@b>\r\nDATA\r\nBDAT 5\r\nSTARTTLS\r\nAUTH PLAIN\r\nFOO\r\n\r\n",
            ),
            (
                "client",
                "\u{80}220 mail.dadali.com ESMTP\r\n250-mail.dadali.com\r\n250-SIZE 1000\r\n250 HELP\r\n250 OK\r\n250 OK\r\n\
            550 5.1.1 no such user\r\n354 go ahead\r\n250 queued\r\n221 bye\r\n",
            ),
        ],
    );
    text_seeds(
        dir,
        "pop3_server",
        &[
            (
                "session",
                "\0USER budi\r\nPASS rahasia\r\nSTAT\r\nLIST\r\nLIST 2\r\nUIDL\r\nRETR 2\r\nTOP 2 1\r\n\
            DELE 1\r\nRSET\r\nDELE 3\r\nNOOP\r\nCAPA\r\nQUIT\r\n",
            ),
            (
                "apop",
                "\x03APOP budi 0123456789abcdef0123456789abcdef\r\nUSER ani\r\nPASS wrong\r\nRETR 1\r\nQUIT\r\n",
            ),
            (
                "client",
                "\u{80}+OK POP3 server ready <1.60@hasan.com>\r\n+OK\r\n+OK logged in\r\n+OK 2 messages\r\n1 100\r\n2 200\r\n.\r\n\
            +OK\r\n1 a\r\n2 b\r\n.\r\n+OK\r\nSubject: x\r\n\r\n..hi\r\n.\r\n+OK\r\n-ERR no\r\n+OK bye\r\n",
            ),
        ],
    );
    text_seeds(
        dir,
        "imap_server",
        &[
            (
                "session",
                "\0a1 CAPABILITY\r\na2 LOGIN budi rahasia\r\na3 LIST \"\" *\r\na4 SELECT INBOX\r\n\
            a5 FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)\r\na6 UID FETCH 2 BODY.PEEK[1.MIME]\r\n\
            a7 STORE 1 +FLAGS (\\Deleted \\Seen)\r\na8 SEARCH UNSEEN FROM \"ani\" SINCE 1-Jan-2020\r\na9 EXPUNGE\r\n\
            b1 COPY 1 Sent\r\nb2 STATUS Sent (MESSAGES UIDNEXT)\r\nb3 LOGOUT\r\n",
            ),
            (
                "literal",
                "\x04a1 LOGIN {4}\r\nbudi {7}\r\nrahasia\r\na2 CREATE \"Kerja/2026\"\r\na3 APPEND Kerja/2026 (\\Seen) {23}\r\n\
            Subject: x\r\n\r\nhalo\r\n\r\na4 RENAME Kerja/2026 Arsip\r\na5 SELECT Arsip\r\na6 UID MOVE 1 INBOX\r\na7 IDLE\r\nDONE\r\n\
            a8 CLOSE\r\na9 DELETE Arsip\r\nb1 NOOP\r\n",
            ),
            (
                "errors",
                "\x01* BAD\r\na1 SELECT INBOX\r\na2 LOGIN \"budi\" \"x\"\r\na3 FETCH 1 BODY[]\r\na4 {99999999}\r\na5 BOGUS\r\n",
            ),
        ],
    );
    text_seeds(
        dir,
        "imap_command",
        &[
            ("login", "\0a1 LOGIN budi rahasia"),
            (
                "fetch",
                "\0a5 UID FETCH 1:*,7 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.100> BODY[2.1.TEXT])\r\n",
            ),
            (
                "search",
                "\0s SEARCH CHARSET UTF-8 OR (SEEN FLAGGED) NOT BEFORE 1-Feb-2026 LARGER 100 HEADER X-Y \"z\" UID 1:3\r\n",
            ),
            (
                "append",
                "\0a APPEND INBOX (\\Seen) \"24-Nov-2026 10:00:00 +0700\" {5}\r\nhalo!\r\n",
            ),
            (
                "store",
                "\0a STORE 1:3 -FLAGS.SILENT (\\Flagged $Label)\r\n",
            ),
            (
                "response-fetch",
                "\x01* 2 FETCH (UID 7 FLAGS (\\Seen) RFC822.SIZE 120 INTERNALDATE \"24-Nov-2026 10:00:00 +0700\" \
            ENVELOPE (\"date\" \"subj\" ((\"Ani\" NIL \"ani\" \"hasan.com\")) NIL NIL NIL NIL NIL NIL \"<1@x>\") BODY[] {5}\r\nhalo!)\r\n",
            ),
            ("response-ok", "\x01a4 OK [READ-WRITE] SELECT completed\r\n"),
            (
                "response-list",
                "\x01* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n",
            ),
            (
                "client",
                "\x02* OK [CAPABILITY IMAP4rev1 IDLE MOVE] ready\r\na1 OK LOGIN done\r\n* 3 EXISTS\r\n* 0 RECENT\r\n\
            * OK [UIDVALIDITY 5] x\r\n* OK [UIDNEXT 4] x\r\n* FLAGS (\\Seen \\Deleted)\r\na2 OK [READ-WRITE] SELECT done\r\n\
            * 1 FETCH (UID 1 FLAGS () RFC822.SIZE 10 INTERNALDATE \"24-Nov-2026 10:00:00 +0700\" ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n\
            a3 OK FETCH done\r\n* 2 FETCH (UID 2 FLAGS (\\Seen) BODY[] {7}\r\nhi\r\n\r\nx)\r\na4 OK\r\n* BYE\r\n",
            ),
        ],
    );
    text_seeds(
        dir,
        "mime_message",
        &[
            ("multipart", lanlab_fuzz::MULTIPART),
            (
                "simple",
                "Subject: =?ISO-8859-1?Q?caf=E9?=\r\nFrom: \"A, B\" <a@b.c>, c@d.e (comment)\r\nTo: group: x@y.z;\r\n\
            Date: 1 Feb 2026 10:00 GMT\r\n folded: yes\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\nbody\r\n",
            ),
            (
                "nested",
                "Content-Type: multipart/alternative; boundary=outer\r\n\r\n--outer\r\nContent-Type: multipart/related; boundary=\"in\"\r\n\r\n\
            --in\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n--in--\r\n--outer\r\n\
            Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nx\r\n--outer--\r\n",
            ),
        ],
    );
}

fn zones(dir: &Path) {
    text_seeds(
        dir,
        "dns_zone",
        &[
            (
                "basic",
                "$TTL 3600\n@ IN SOA ns1 admin ( 2026112401 ; serial\n 7200 3600 1209600 300 )\n@ NS ns1\nns1 A 10.0.3.53\n\
            @ A 192.168.1.1\nwww 300 CNAME @\n@ MX 10 mail.hasan.com.\nmail A 192.168.1.25\n@ TXT \"v=spf1 mx\" \"two\"\n\
            @ AAAA 2001:db8::1\n_sip._tcp SRV 1 2 5060 www\n*.dev A 10.9.9.9\nsub NS ns.sub\nns.sub A 10.0.4.53\n\
            ftp PTR www\n",
            ),
            (
                "nslookup",
                "nslookup hasan.com\nnslookup -type=mx hasan.com 10.0.3.53\nnslookup -q=AAAA www\nnslookup 192.168.1.1\n",
            ),
        ],
    );
}

fn check_zone(dir: &Path) {
    let text = std::fs::read_to_string(dir.join("dns_zone/seed-basic")).expect("seed");
    let origin = lanlab_proto::dns::Name::parse("hasan.com").expect("origin");
    if let Err(e) = lanlab_proto::dns::parse_zone(&origin, &text) {
        eprintln!("note: the basic zone seed does not parse: {e}");
    }
}

fn web(dir: &Path) {
    text_seeds(
        dir,
        "acl_line",
        &[
            (
                "numbered",
                "access-list 10 permit 192.168.1.0 0.0.0.255\naccess-list 10 deny any log\n\
            access-list 110 permit tcp 192.168.1.0 0.0.0.255 host 10.0.0.80 eq www\n\
            access-list 110 deny udp any any range 1000 2000\naccess-list 110 permit icmp any any echo-reply\n\
            access-list 110 permit tcp any gt 1023 any established\naccess-list 110 remark web only\n\
            interface Gi0/0\n ip access-group 110 in\n exit\ninterface Gi0/1\n ip access-group 10 out\nend\n",
            ),
            (
                "named",
                "ip access-list extended WEB\n 10 permit tcp any host 10.0.0.80 eq 80\n 20 deny ip any any\n no 10\n\
            15 permit tcp any any neq 23\n remark x\n exit\nip access-list standard LAN\n permit host 192.168.1.10\n\
            deny 192.168.1.0 0.0.0.255\ninterface GigabitEthernet0/0\n ip access-group WEB in\n no ip access-group WEB in\n\
            ip access-group LAN out\nno access-list 10\nno ip access-list extended WEB\n",
            ),
        ],
    );
    text_seeds(
        dir,
        "http_request",
        &[
            (
                "get",
                "\0GET / HTTP/1.1\r\nHost: hasan.com\r\nUser-Agent: x\r\n\r\n\
            HEAD /about.html HTTP/1.1\r\nHost: dadali.com\r\nConnection: keep-alive\r\n\r\n\
            GET /docs/a%20b.txt?q=1 HTTP/1.1\r\nHost: hasan.com:80\r\nIf-Modified-Since: Tue, 24 Nov 2026 10:00:00 GMT\r\n\r\n\
            GET /../x HTTP/1.0\r\n\r\n",
            ),
            (
                "body",
                "\x07POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello\
            PUT /y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n\
            GET http://hasan.com/ HTTP/1.1\r\nHost: hasan.com\r\nConnection: close\r\n\r\n",
            ),
            (
                "response",
                "\u{80}HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 42\r\n\r\n\
            <title>Hi</title><a href=\"../a?b#c\">x</a>",
            ),
            (
                "chunked",
                "\u{80}HTTP/1.1 301 Moved\r\nLocation: /new\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
            ),
            (
                "urls",
                "\u{80}http://hasan.com:8080/a/b/../c?x=%41#frag\n../d\n//dadali.com/\n?q\nhttp://[::1]/\n",
            ),
        ],
    );
}

/// `nat_packet`: packets as `[len, control, bytes…]` (control 0: inside →
/// outside, 3: arriving outside), a connection and a ping out and back,
/// and a port-forwarded SYN from outside.
fn nat(dir: &Path) {
    use lanlab_proto::net::packet::{icmp_echo, ipv4};
    use smoltcp::wire::IpProtocol;
    let (pc, server) = (
        Ipv4Addr::new(192, 168, 1, 10),
        Ipv4Addr::new(198, 51, 100, 7),
    );
    let public = Ipv4Addr::new(203, 0, 113, 1);
    let tcp = |src, sport, dst, dport, control, ack: bool| {
        let seg = Segment {
            src_port: sport,
            dst_port: dport,
            control,
            ack: ack.then_some(1),
            ..Segment::default()
        };
        ipv4(src, dst, IpProtocol::Tcp, 64, 1, &seg.emit(src, dst))
    };
    let ping = |src, dst, reply| {
        let echo = icmp_echo(reply, 1, 1, b"ping");
        ipv4(src, dst, IpProtocol::Icmp, 64, 2, &echo)
    };
    let packets: Vec<(u8, Vec<u8>)> = vec![
        (0, tcp(pc, 49152, server, 80, Control::Syn, false)),
        (3, tcp(server, 80, public, 49152, Control::Syn, true)),
        (0, ping(pc, server, false)),
        (3, ping(server, public, true)),
        (3, tcp(server, 5000, public, 8080, Control::Syn, false)),
        (0, tcp(pc, 49152, server, 80, Control::Fin, true)),
    ];
    let mut all = Vec::new();
    for (i, (control, p)) in packets.iter().enumerate() {
        let mut one = vec![u8::try_from(p.len()).expect("short packet"), *control];
        one.extend(p);
        write(dir, "nat_packet", &format!("packet-{i}"), &one);
        all.extend(one);
    }
    write(dir, "nat_packet", "sequence", &all);
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    dhcp(&dir);
    tcp(&dir);
    nat(&dir);
    sim(&dir);
    dns(&dir);
    mail(&dir);
    web(&dir);
    zones(&dir);
    check_zone(&dir);
    println!("seeds written under {}", dir.display());
}
