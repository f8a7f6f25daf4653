//! The mail server and mail client over an instant in-memory pipe (no
//! TCP): one transcript per story.

use std::collections::{BTreeMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddrV4};

use lanlab_proto::SimTime;

use super::*;
use crate::job::JobId;
use crate::mailclient::{IncomingProto, MailAccount, MailClient};

#[derive(Default)]
struct Pipe {
    now: SimTime,
    next: u32,
    peer: BTreeMap<ConnId, ConnId>,
    server_side: BTreeMap<ConnId, bool>,
    accepts: VecDeque<(ConnId, u16, SocketAddrV4)>,
    data: VecDeque<(ConnId, Vec<u8>)>,
    closes: VecDeque<ConnId>,
    notes: Vec<String>,
    out: BTreeMap<u32, String>,
    done: BTreeMap<u32, bool>,
    refuse: bool,
    /// Which server (index) accepts connections to an address; 0 by default.
    servers: BTreeMap<Ipv4Addr, usize>,
    target: BTreeMap<ConnId, usize>,
    /// Addresses where nothing answers.
    down: Vec<Ipv4Addr>,
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
        if self.down.contains(remote.ip()) {
            let c = ConnId(self.next);
            self.next += 2;
            self.peer.insert(c, ConnId(u32::MAX));
            self.peer.insert(ConnId(u32::MAX), c);
            self.server_side.insert(c, false);
            self.closes.push_back(ConnId(u32::MAX));
            return Ok(c);
        }
        let (a, b) = (ConnId(self.next), ConnId(self.next + 1));
        self.next += 2;
        self.peer.insert(a, b);
        self.peer.insert(b, a);
        self.server_side.insert(a, false);
        self.server_side.insert(b, true);
        let me = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 10), 49152);
        let k = self.servers.get(remote.ip()).copied().unwrap_or(0);
        self.target.insert(b, k);
        self.accepts.push_back((b, remote.port(), me));
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
}

fn run(io: &mut Pipe, server: &mut MailServer, clients: &mut [&mut MailClient]) {
    run_many(io, &mut [server], clients);
}

/// Carries bytes until quiet. Connection ids are unique on the pipe, so
/// every endpoint is offered every event and ignores those not its own.
fn run_many(io: &mut Pipe, servers: &mut [&mut MailServer], clients: &mut [&mut MailClient]) {
    let mut closed: Vec<ConnId> = Vec::new();
    for _ in 0..100_000 {
        if let Some((c, port, peer)) = io.accepts.pop_front() {
            let k = io.target.remove(&c).unwrap_or(0);
            if !servers[k].accepted(io, c, port, peer) {
                io.closes.push_back(c);
            }
            let client_side = io.peer[&c];
            for cl in clients.iter_mut() {
                cl.connected(client_side);
            }
        } else if let Some((c, bytes)) = io.data.pop_front() {
            let to = io.peer[&c];
            if closed.contains(&to) {
                continue;
            }
            for s in servers.iter_mut() {
                s.data(io, to, &bytes);
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
            for s in servers.iter_mut() {
                s.closed(io, to, "closed by the peer");
                s.closed(io, c, "closed");
            }
            for cl in clients.iter_mut() {
                if cl.owns(to) {
                    cl.closed(io, to, "closed by the peer");
                }
            }
        } else {
            return;
        }
    }
    panic!("pipe never went quiet");
}

/// Runs the pipe, the servers' route requests (from `mx`) and their timers
/// up to `until`.
fn settle(
    io: &mut Pipe,
    servers: &mut [&mut MailServer],
    clients: &mut [&mut MailClient],
    mx: &[(&str, Option<Ipv4Addr>)],
    until: SimTime,
) {
    loop {
        run_many(io, servers, clients);
        let mut asked = false;
        for s in servers.iter_mut() {
            while let Some((job, domain)) = s.poll_route() {
                asked = true;
                let route = mx
                    .iter()
                    .find(|(d, _)| *d == domain)
                    .and_then(|(_, a)| *a)
                    .ok_or_else(|| format!("{domain} has no MX"));
                s.route_resolved(io, job, route);
            }
        }
        if asked {
            continue;
        }
        let next = servers.iter().filter_map(|s| s.poll_timeout()).min();
        match next {
            Some(t) if t <= until => {
                io.now = io.now.max(t);
                for s in servers.iter_mut() {
                    if s.poll_timeout().is_some_and(|x| x <= io.now) {
                        s.handle_timeout(io);
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

fn hasan() -> MailServer {
    MailServer::new(&MailService::new(
        "hasan.com",
        &[("12_5b_01", "kelas5b"), ("akbari", "akbari123")],
    ))
    .unwrap()
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
}

fn two_domains() -> (MailServer, MailServer, MailClient, MailClient, Pipe) {
    let garuda = MailServer::new(&MailService::new(
        "garudayaksa.com",
        &[("mbrain", "mbrain1")],
    ))
    .unwrap();
    let dadali = MailServer::new(&MailService::new("dadali.com", &[("jpri", "jpri1")])).unwrap();
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
    assert!(g.queue().jobs().is_empty());
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
