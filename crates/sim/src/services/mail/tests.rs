//! The mail server and mail client over an instant in-memory pipe (no
//! TCP): one transcript per story. The clients talk to the pipe through
//! [`MailIo`]; each server is the generic stream app hosting a
//! [`MailServer`], driven through its [`App`] callbacks with an [`AppCx`]
//! whose requests the pipe carries out (MX lookups answered from a table).

use std::collections::{BTreeMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;
use lanlab_proto::dns::{LookupResult, Question, RData, Record, RecordType};

use super::app::MailServerApp;
use super::*;
use crate::job::JobId;
use crate::mailclient::{IncomingProto, MailAccount, MailClient, MailClientError, MailFailure};
use crate::note::Note;
use crate::services::Services;
use crate::services::app::{App, AppCx, Cmd, SockId, TcpEnd};

#[derive(Default)]
struct Pipe {
    now: SimTime,
    next: u32,
    peer: BTreeMap<ConnId, ConnId>,
    server_side: BTreeMap<ConnId, bool>,
    /// Connections to accept: (server side, the address it was made to,
    /// the client's address).
    accepts: VecDeque<(ConnId, SocketAddrV4, SocketAddrV4)>,
    data: VecDeque<(ConnId, Vec<u8>)>,
    closes: VecDeque<ConnId>,
    /// Lookups the servers asked for: (server index, token, question).
    lookups: VecDeque<(usize, u64, Question)>,
    notes: Vec<String>,
    out: BTreeMap<u32, String>,
    done: BTreeMap<u32, bool>,
    /// Each failed job's typed reason.
    failures: BTreeMap<u32, MailFailure>,
    refuse: bool,
    /// Which server (index) accepts connections to an address; 0 by default.
    servers: BTreeMap<Ipv4Addr, usize>,
    target: BTreeMap<ConnId, usize>,
    /// Addresses where nothing answers.
    down: Vec<Ipv4Addr>,
}

impl Pipe {
    /// Opens connection `a` (already numbered) to `remote`.
    fn open(&mut self, a: ConnId, remote: SocketAddrV4) {
        if self.down.contains(remote.ip()) {
            self.peer.insert(a, ConnId(u32::MAX));
            self.peer.insert(ConnId(u32::MAX), a);
            self.server_side.insert(a, false);
            self.closes.push_back(ConnId(u32::MAX));
            return;
        }
        let b = ConnId(self.next);
        self.next += 1;
        self.peer.insert(a, b);
        self.peer.insert(b, a);
        self.server_side.insert(a, false);
        self.server_side.insert(b, true);
        let me = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 10), 49152);
        let k = self.servers.get(remote.ip()).copied().unwrap_or(0);
        self.target.insert(b, k);
        self.accepts.push_back((b, remote, me));
    }
}

impl MailIo for Pipe {
    fn now(&self) -> SimTime {
        self.now
    }
    fn send(&mut self, conn: ConnId, bytes: &[u8]) {
        self.data.push_back((conn, bytes.to_vec()));
    }
    fn close(&mut self, conn: ConnId) {
        self.closes.push_back(conn);
    }
    fn connect(&mut self, remote: SocketAddrV4) -> Result<ConnId, String> {
        if self.refuse {
            return Err("no route".into());
        }
        let a = ConnId(self.next);
        self.next += 1;
        self.open(a, remote);
        Ok(a)
    }
    fn note(&mut self, note: MailNote) {
        self.notes.push(note.to_string());
    }
    fn println(&mut self, job: JobId, line: &str) {
        let o = self.out.entry(job.0).or_default();
        o.push_str(line);
        o.push('\n');
    }
    fn finish(&mut self, job: JobId, ok: bool) {
        self.done.entry(job.0).or_insert(ok);
    }
    fn failed(&mut self, job: JobId, why: MailFailure) {
        self.failures.entry(job.0).or_insert(why);
    }
}

/// Runs one callback of server `k`, then carries out what it asked for.
fn call(
    io: &mut Pipe,
    server: &mut MailServerApp,
    k: usize,
    f: impl FnOnce(&mut MailServerApp, &mut AppCx<'_>),
) {
    let services = Services::default();
    let mut cmds = Vec::new();
    let mut notes = Vec::new();
    let mut jobs = Vec::new();
    let mut cx = AppCx {
        now: io.now,
        start_unix: 0,
        device: "server",
        services: &services,
        addrs: &[],
        cmds: &mut cmds,
        notes: &mut notes,
        noting: true,
        jobs: &mut jobs,
        next_sock: &mut io.next,
    };
    f(server, &mut cx);
    for n in notes {
        io.notes.push(match n {
            Note::Mail(m) => m.to_string(),
            other => other.to_string(),
        });
    }
    for c in cmds {
        match c {
            Cmd::Send { sock, bytes } => io.data.push_back((ConnId(sock.0), bytes)),
            Cmd::Close { sock } | Cmd::Abort { sock } => io.closes.push_back(ConnId(sock.0)),
            Cmd::Connect { sock, remote } => io.open(ConnId(sock.0), remote),
            Cmd::Resolve {
                token, question, ..
            } => io.lookups.push_back((k, token, question)),
            other => panic!("a mail server asked for {other:?}"),
        }
    }
}

fn run(io: &mut Pipe, server: &mut MailServerApp, clients: &mut [&mut MailClient]) {
    run_many(io, &mut [server], clients);
}

/// Carries bytes until quiet. Connection ids are unique on the pipe, so
/// every endpoint is offered every event and ignores those not its own.
fn run_many(io: &mut Pipe, servers: &mut [&mut MailServerApp], clients: &mut [&mut MailClient]) {
    let mut closed: Vec<ConnId> = Vec::new();
    for _ in 0..100_000 {
        if let Some((c, local, peer)) = io.accepts.pop_front() {
            let k = io.target.remove(&c).unwrap_or(0);
            call(io, servers[k], k, |s, cx| {
                s.on_accept(cx, SockId(c.0), local, peer);
            });
            let client_side = io.peer[&c];
            for cl in clients.iter_mut() {
                cl.connected(client_side);
            }
        } else if let Some((c, bytes)) = io.data.pop_front() {
            let to = io.peer[&c];
            if closed.contains(&to) {
                continue;
            }
            for (k, s) in servers.iter_mut().enumerate() {
                call(io, s, k, |s, cx| s.on_data(cx, SockId(to.0), &bytes));
            }
            for cl in clients.iter_mut() {
                if cl.owns(to) {
                    cl.data(io, to, &bytes);
                }
            }
        } else if let Some(c) = io.closes.pop_front() {
            let to = io.peer[&c];
            if closed.contains(&to) {
                continue;
            }
            closed.push(to);
            closed.push(c);
            for (k, s) in servers.iter_mut().enumerate() {
                call(io, s, k, |s, cx| {
                    s.on_closed(cx, SockId(to.0), TcpEnd::Closed);
                    s.on_closed(cx, SockId(c.0), TcpEnd::Closed);
                });
            }
            for cl in clients.iter_mut() {
                if cl.owns(to) {
                    cl.closed(io, to, TcpEnd::Closed);
                }
            }
        } else {
            return;
        }
    }
    panic!("pipe never went quiet");
}

/// The DNS answer to `q` from the table `mx` (each domain is its own mail
/// exchanger); a domain not in the table does not exist.
fn answer(q: &Question, mx: &[(&str, Option<Ipv4Addr>)]) -> LookupResult {
    let server = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 53));
    let name = q.name.to_string();
    let addr = mx
        .iter()
        .find(|(d, _)| *d == name.trim_end_matches('.'))
        .and_then(|(_, a)| *a);
    let data = match (addr, q.qtype) {
        (None, _) => {
            return LookupResult::NxDomain {
                server,
                name: q.name.clone(),
            };
        }
        (Some(_), RecordType::Mx) => RData::Mx {
            preference: 10,
            exchange: q.name.clone(),
        },
        (Some(a), _) => RData::A(a),
    };
    LookupResult::Answer {
        server,
        authoritative: true,
        records: vec![Record::new(q.name.clone(), 300, data)],
    }
}

/// Runs the pipe, the servers' MX lookups (answered from `mx`) and their
/// timers up to `until`.
fn settle(
    io: &mut Pipe,
    servers: &mut [&mut MailServerApp],
    clients: &mut [&mut MailClient],
    mx: &[(&str, Option<Ipv4Addr>)],
    until: SimTime,
) {
    loop {
        run_many(io, servers, clients);
        if let Some((k, token, q)) = io.lookups.pop_front() {
            let result = answer(&q, mx);
            call(io, servers[k], k, |s, cx| s.on_resolved(cx, token, &result));
            continue;
        }
        let next = servers.iter().filter_map(|s| s.poll_timeout()).min();
        match next {
            Some(t) if t <= until => {
                io.now = io.now.max(t);
                for (k, s) in servers.iter_mut().enumerate() {
                    if s.poll_timeout().is_some_and(|x| x <= io.now) {
                        call(io, s, k, |s, cx| s.on_timeout(cx));
                    }
                }
            }
            _ => {
                io.now = io.now.max(until);
                return;
            }
        }
    }
}

fn hasan() -> MailServerApp {
    MailServerApp::new(
        MailServer::new(&MailService::new(
            "hasan.com",
            &[("12_5b_01", "kelas5b"), ("akbari", "akbari123")],
        ))
        .unwrap(),
    )
}

fn account(user: &str, pw: &str, incoming: IncomingProto) -> MailAccount {
    MailAccount {
        display_name: user.to_string(),
        address: format!("{user}@hasan.com"),
        incoming_server: "192.168.1.1".into(),
        incoming,
        outgoing_server: "192.168.1.1".into(),
        user: user.to_string(),
        password: pw.to_string(),
        ..Default::default()
    }
}

#[test]
fn s1_send_then_pop3_receive() {
    let mut io = Pipe::default();
    let mut server = hasan();
    let mut pc1 = MailClient::new("PC1");
    pc1.set_account(Some(account("akbari", "akbari123", IncomingProto::Pop3)));
    let mut pc0 = MailClient::new("PC0");
    pc0.set_account(Some(account("12_5b_01", "kelas5b", IncomingProto::Pop3)));
    pc1.send(
        &mut io,
        JobId(1),
        "12_5b_01@hasan.com",
        "Tes Email",
        "halo kelas 5b",
    );
    run(&mut io, &mut server, &mut [&mut pc1, &mut pc0]);
    assert!(io.done[&1], "{:?}\n{:#?}", io.out, io.notes);
    pc0.receive(&mut io, JobId(2));
    run(&mut io, &mut server, &mut [&mut pc1, &mut pc0]);
    assert!(io.done[&2], "{:?}\n{:#?}", io.out, io.notes);
    let m = &pc0.messages()[0];
    assert_eq!(m.subject, "Tes Email");
    assert!(m.body.contains("halo kelas 5b"));
    assert!(m.from.contains("akbari@hasan.com"), "{}", m.from);
    let notes = io.notes.join("\n");
    for want in [
        "EHLO",
        "MAIL FROM",
        "RCPT TO",
        "DATA",
        "QUIT",
        "USER 12_5b_01",
        "RETR 1",
    ] {
        assert!(notes.contains(want), "{want} missing in\n{notes}");
    }
    pc0.read(&mut io, JobId(3), m.id);
    assert!(io.out[&3].contains("halo kelas 5b"));
    // Downloaded and deleted: a second Receive finds nothing.
    pc0.receive(&mut io, JobId(4));
    run(&mut io, &mut server, &mut [&mut pc1, &mut pc0]);
    assert_eq!(pc0.messages().len(), 1);
}

#[test]
fn imap_two_devices_share_flags() {
    let mut io = Pipe::default();
    let mut server = hasan();
    let mut pc1 = MailClient::new("PC1");
    pc1.set_account(Some(account("akbari", "akbari123", IncomingProto::Pop3)));
    let mut desk = MailClient::new("Desk");
    desk.set_account(Some(account("12_5b_01", "kelas5b", IncomingProto::Imap)));
    let mut lap = MailClient::new("Laptop");
    lap.set_account(Some(account("12_5b_01", "kelas5b", IncomingProto::Imap)));
    pc1.send(&mut io, JobId(1), "12_5b_01@hasan.com", "Tes Email", "halo");
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    desk.receive(&mut io, JobId(2));
    lap.receive(&mut io, JobId(3));
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    assert!(io.done[&2], "{:?}\n{:#?}", io.out, io.notes);
    assert!(!desk.messages()[0].read);
    let id = desk.messages()[0].id;
    desk.read(&mut io, JobId(4), id);
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    assert!(io.out[&4].contains("halo"), "{:?}", io.out);
    lap.receive(&mut io, JobId(5));
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    assert!(
        lap.messages()[0].read,
        "read on the desktop shows read on the laptop"
    );
    let lid = lap.messages()[0].id;
    lap.create_folder(&mut io, JobId(6), "Kelas");
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    lap.move_to(&mut io, JobId(7), lid, "Kelas");
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    assert!(io.done[&7], "{:?}", io.out);
    desk.sync_folder(&mut io, JobId(8), "Kelas");
    desk.receive(&mut io, JobId(9));
    run(&mut io, &mut server, &mut [&mut pc1, &mut desk, &mut lap]);
    let kelas: Vec<_> = desk
        .messages()
        .iter()
        .filter(|m| m.folder == "Kelas")
        .collect();
    assert_eq!(kelas.len(), 1, "{:#?}", desk.messages());
    assert!(desk.messages().iter().all(|m| m.folder != "INBOX"));
}

#[test]
fn unknown_user_and_bad_password() {
    let mut io = Pipe::default();
    let mut server = hasan();
    let mut pc = MailClient::new("PC1");
    pc.set_account(Some(account("akbari", "wrong", IncomingProto::Pop3)));
    pc.send(&mut io, JobId(1), "nobody@hasan.com", "x", "y");
    run(&mut io, &mut server, &mut [&mut pc]);
    assert!(!io.done[&1]);
    assert!(io.out[&1].contains("550"), "{}", io.out[&1]);
    pc.receive(&mut io, JobId(2));
    run(&mut io, &mut server, &mut [&mut pc]);
    assert!(!io.done[&2]);
    assert!(io.out[&2].contains("Receive failed"), "{}", io.out[&2]);
    io.refuse = true;
    pc.receive(&mut io, JobId(3));
    assert_eq!(
        io.out[&3],
        "cannot reach the POP3 server at 192.168.1.1:110: no route\n"
    );
    // The typed reasons the app words in the user's language.
    assert!(
        matches!(&io.failures[&1], MailFailure::Refused { proto: MailProto::Smtp, reply } if reply.starts_with("550")),
        "{:?}",
        io.failures[&1]
    );
    assert!(
        matches!(&io.failures[&2], MailFailure::LoginRefused { proto: MailProto::Pop3, reply } if reply.starts_with("-ERR")),
        "{:?}",
        io.failures[&2]
    );
    assert!(matches!(
        io.failures[&3],
        MailFailure::Unreachable {
            proto: MailProto::Pop3,
            end: TcpEnd::Unreachable,
            ..
        }
    ));
    io.refuse = false;
    pc.set_account(None);
    pc.receive(&mut io, JobId(4));
    assert_eq!(
        io.failures[&4],
        MailFailure::Start(MailClientError::NoAccount)
    );
}

fn two_domains() -> (MailServerApp, MailServerApp, MailClient, MailClient, Pipe) {
    let garuda = MailServer::new(&MailService::new(
        "garudayaksa.com",
        &[("mbrain", "mbrain1")],
    ))
    .unwrap();
    let dadali = MailServer::new(&MailService::new("dadali.com", &[("jpri", "jpri1")])).unwrap();
    let (garuda, dadali) = (MailServerApp::new(garuda), MailServerApp::new(dadali));
    let mut pcg = MailClient::new("PC-Garuda");
    pcg.set_account(Some(MailAccount {
        address: "mbrain@garudayaksa.com".into(),
        incoming_server: "10.1.0.25".into(),
        outgoing_server: "10.1.0.25".into(),
        user: "mbrain".into(),
        password: "mbrain1".into(),
        ..Default::default()
    }));
    let mut pcd = MailClient::new("PC-Dadali");
    pcd.set_account(Some(MailAccount {
        address: "jpri@dadali.com".into(),
        incoming_server: "10.2.0.25".into(),
        outgoing_server: "10.2.0.25".into(),
        user: "jpri".into(),
        password: "jpri1".into(),
        ..Default::default()
    }));
    let mut io = Pipe::default();
    io.servers.insert(Ipv4Addr::new(10, 1, 0, 25), 0);
    io.servers.insert(Ipv4Addr::new(10, 2, 0, 25), 1);
    (garuda, dadali, pcg, pcd, io)
}

const MX: &[(&str, Option<Ipv4Addr>)] = &[
    ("garudayaksa.com", Some(Ipv4Addr::new(10, 1, 0, 25))),
    ("dadali.com", Some(Ipv4Addr::new(10, 2, 0, 25))),
];

#[test]
fn relay_then_receive() {
    let (mut g, mut d, mut pcg, mut pcd, mut io) = two_domains();
    pcg.send(&mut io, JobId(1), "jpri@dadali.com", "Salam", "halo");
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(10),
    );
    assert!(io.done[&1], "{:?}", io.out);
    pcd.receive(&mut io, JobId(2));
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(20),
    );
    assert_eq!(pcd.messages().len(), 1, "{:#?}", io.notes);
    let notes = io.notes.join("\n");
    assert!(notes.contains("relayed to dadali.com"), "{notes}");
    assert!(g.server().queue().jobs().is_empty());
}

#[test]
fn unreachable_retries_warns_bounces() {
    let (mut g, mut d, mut pcg, mut pcd, mut io) = two_domains();
    io.down.push(Ipv4Addr::new(10, 2, 0, 25));
    pcg.send(&mut io, JobId(1), "jpri@dadali.com", "Salam", "halo");
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(4 * 3600 + 60),
    );
    assert!(io.done[&1]);
    let notes = io.notes.join("\n");
    assert!(notes.contains("queued for retry"), "{notes}");
    assert!(
        notes.contains("warning sent to <mbrain@garudayaksa.com>"),
        "{notes}"
    );
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(6 * 86_400),
    );
    let notes = io.notes.join("\n");
    assert!(
        notes.contains("bounce sent to <mbrain@garudayaksa.com>"),
        "{notes}"
    );
    pcg.receive(&mut io, JobId(2));
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(6 * 86_400 + 60),
    );
    assert_eq!(pcg.messages().len(), 2, "{:#?}", pcg.messages());
}

#[test]
fn unknown_remote_user_bounces() {
    let (mut g, mut d, mut pcg, mut pcd, mut io) = two_domains();
    pcg.send(&mut io, JobId(1), "siapa@dadali.com", "Salam", "halo");
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(10),
    );
    let notes = io.notes.join("\n");
    assert!(
        notes.contains("bounce sent to <mbrain@garudayaksa.com>"),
        "{notes}"
    );
    pcg.receive(&mut io, JobId(2));
    settle(
        &mut io,
        &mut [&mut g, &mut d],
        &mut [&mut pcg, &mut pcd],
        MX,
        SimTime::from_secs(20),
    );
    assert_eq!(pcg.messages().len(), 1);
    assert!(
        pcg.messages()[0].body.contains("siapa@dadali.com"),
        "{}",
        pcg.messages()[0].body
    );
}
