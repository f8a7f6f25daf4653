//! The client session against the server session, end to end, through
//! bytes only; two devices on one mailbox (S5).

use crate::StreamServer;
use std::time::Duration;

use super::client::{Client, ClientEvent, Request};
use super::server_tests::store;
use super::{Event, Flag, SearchKey, SequenceSet, Server, ServerConfig, StoreMode};
use crate::SimTime;
use crate::mail::MailStore;

/// Devices, each a client wired to its own server session, one store.
struct Net {
    store: MailStore,
    servers: Vec<Server>,
    clients: Vec<Client>,
    now: SimTime,
    chunk: usize,
}

impl Net {
    fn new(devices: usize) -> Net {
        let now = SimTime::from_secs(5);
        Net {
            store: store(),
            servers: (0..devices)
                .map(|_| Server::new(ServerConfig::default(), now))
                .collect(),
            clients: (0..devices).map(|_| Client::new()).collect(),
            now,
            chunk: usize::MAX,
        }
    }

    /// Moves bytes both ways until quiet; wakes other sessions on changes.
    fn run(&mut self) {
        for _ in 0..1000 {
            let mut moved = false;
            for i in 0..self.clients.len() {
                self.now += Duration::from_millis(1);
                if let Some(b) = self.servers[i].poll_output() {
                    for c in b.chunks(self.chunk.min(b.len().max(1))) {
                        self.clients[i].handle_input(self.now, c);
                    }
                    moved = true;
                }
                if let Some(b) = self.clients[i].poll_output() {
                    for c in b.chunks(self.chunk.min(b.len().max(1))) {
                        self.servers[i].handle_input(self.now, c, &mut self.store);
                    }
                    moved = true;
                }
                while let Some(e) = self.servers[i].poll_event() {
                    if let Event::FolderChanged { .. } = e {
                        for j in (0..self.servers.len()).filter(|&j| j != i) {
                            self.servers[j].handle_context_change(self.now, &self.store);
                        }
                    }
                }
            }
            if !moved {
                return;
            }
        }
        panic!("no quiet after 1000 rounds");
    }

    fn ask(&mut self, i: usize, req: Request) -> Vec<ClientEvent> {
        self.clients[i].request(self.now, req);
        self.run();
        std::iter::from_fn(|| self.clients[i].poll_event()).collect()
    }

    fn one(&mut self, i: usize, req: Request) -> ClientEvent {
        let mut evs = self.ask(i, req);
        assert_eq!(evs.len(), 1, "{evs:?}");
        evs.remove(0)
    }

    fn connect(&mut self, i: usize) {
        self.run();
        assert!(matches!(
            self.clients[i].poll_event(),
            Some(ClientEvent::Connected { .. })
        ));
        let login = Request::Login {
            user: "akbari".into(),
            password: "secret".into(),
        };
        assert_eq!(self.one(i, login), ClientEvent::LoggedIn);
        assert!(matches!(
            self.one(i, Request::Select("INBOX".into())),
            ClientEvent::Selected(_)
        ));
    }
}

#[test]
fn desktop_client_end_to_end() {
    let mut n = Net::new(1);
    n.chunk = 7; // replies arrive cut into small pieces
    n.run();
    let ClientEvent::Connected { capabilities } = n.clients[0].poll_event().unwrap() else {
        panic!()
    };
    assert!(capabilities.contains(&"LITERAL+".to_string()));
    let bad = Request::Login {
        user: "akbari".into(),
        password: "nope".into(),
    };
    assert!(matches!(n.one(0, bad), ClientEvent::Failed { .. }));
    let login = Request::Login {
        user: "akbari".into(),
        password: "p\"w d".into(),
    };
    assert!(matches!(n.one(0, login), ClientEvent::Failed { .. }));
    let login = Request::Login {
        user: "akbari".into(),
        password: "secret".into(),
    };
    assert_eq!(n.one(0, login), ClientEvent::LoggedIn);
    let ClientEvent::Folders(f) = n.one(0, Request::ListFolders) else {
        panic!()
    };
    let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["INBOX", "Sent", "Trash"]);
    let ClientEvent::Selected(mb) = n.one(0, Request::Select("INBOX".into())) else {
        panic!()
    };
    assert_eq!(
        (mb.exists, mb.recent, mb.uidnext, mb.unseen, mb.read_only),
        (3, 3, 4, Some(1), false)
    );
    let ClientEvent::Messages(list) = n.one(0, Request::FetchSummaries) else {
        panic!()
    };
    assert_eq!(list.len(), 3);
    let subjects: Vec<_> = list
        .iter()
        .map(|m| m.envelope.as_ref().unwrap().subject.clone().unwrap())
        .collect();
    assert_eq!(subjects, ["Lunch", "Report", "Again"]);
    assert_eq!(
        list[0].envelope.as_ref().unwrap().from[0].email(),
        "bob@x.org"
    );
    assert!(!list[0].is_read() && list[0].size > 0 && list[0].internal_date > 0);
    let ClientEvent::Body { uid, raw } = n.one(0, Request::FetchBody(1)) else {
        panic!()
    };
    assert_eq!(uid, 1);
    assert!(raw.ends_with(b"Noon at the canteen?\r\n"));
    let set = Request::SetFlags {
        uids: vec![2],
        mode: StoreMode::Add,
        flags: vec![Flag::Answered],
    };
    let ClientEvent::FlagsSet(fl) = n.one(0, set) else {
        panic!()
    };
    assert_eq!(fl, vec![(2, vec![Flag::Answered, Flag::Recent])]);
    assert_eq!(
        n.one(0, Request::CreateFolder("Old Mail".into())),
        ClientEvent::FolderCreated("Old Mail".into())
    );
    let mv = Request::Move {
        uids: vec![2],
        to: "Old Mail".into(),
    };
    assert_eq!(
        n.one(0, mv),
        ClientEvent::Moved {
            to: "Old Mail".into(),
            uids: vec![2]
        }
    );
    let cp = Request::Copy {
        uids: vec![1, 3],
        to: "Trash".into(),
    };
    assert_eq!(
        n.one(0, cp),
        ClientEvent::Copied {
            to: "Trash".into(),
            new_uids: vec![1, 2]
        }
    );
    // Another folder: its own sequence numbers and UIDs.
    let ClientEvent::Selected(trash) = n.one(0, Request::Select("Trash".into())) else {
        panic!()
    };
    assert_eq!((trash.name.as_str(), trash.exists), ("Trash", 2));
    let ClientEvent::Messages(list) = n.one(0, Request::FetchSummaries) else {
        panic!()
    };
    assert_eq!(
        list.iter().map(|m| (m.seq, m.uid)).collect::<Vec<_>>(),
        [(1, 1), (2, 2)]
    );
    assert!(matches!(
        n.one(0, Request::Select("INBOX".into())),
        ClientEvent::Selected(_)
    ));
    assert!(matches!(n.one(0, Request::FetchSummaries), ClientEvent::Messages(m) if m.len() == 2));
    let del = Request::SetFlags {
        uids: vec![3],
        mode: StoreMode::Add,
        flags: vec![Flag::Deleted],
    };
    assert!(matches!(n.one(0, del), ClientEvent::FlagsSet(_)));
    assert_eq!(n.one(0, Request::Expunge), ClientEvent::Expunged(vec![3]));
    assert_eq!(
        n.one(
            0,
            Request::Search(SearchKey::And(vec![
                SearchKey::Header("FROM".into(), "bob".into()),
                SearchKey::Flag(Flag::Seen)
            ]))
        ),
        ClientEvent::SearchResult(vec![1])
    );
    let odd = SearchKey::Header("Subject".into(), "caf\u{e9}".into());
    assert_eq!(
        n.one(0, Request::Search(odd)),
        ClientEvent::SearchResult(vec![])
    );
    let bad = SearchKey::Uid(SequenceSet(vec![]));
    assert!(matches!(
        n.one(0, Request::Search(bad)),
        ClientEvent::Failed { .. }
    ));
    let append = Request::Append {
        folder: "Sent".into(),
        flags: vec![Flag::Seen],
        message: b"Subject: sent\r\n\r\nbye\r\n".to_vec(),
    };
    assert_eq!(
        n.one(0, append),
        ClientEvent::Appended {
            folder: "Sent".into(),
            uid: Some(1)
        }
    );
    assert!(matches!(
        n.one(0, Request::Select("Nope".into())),
        ClientEvent::Failed { .. }
    ));
    assert_eq!(
        n.one(0, Request::Status("INBOX".into())),
        ClientEvent::FolderStatus {
            folder: "INBOX".into(),
            messages: 1,
            unseen: 0,
            uidnext: 4
        }
    );
    let rename = Request::RenameFolder {
        from: "Old Mail".into(),
        to: "Older".into(),
    };
    assert!(matches!(
        n.one(0, rename),
        ClientEvent::FolderRenamed { .. }
    ));
    assert_eq!(
        n.one(0, Request::DeleteFolder("Older".into())),
        ClientEvent::FolderDeleted("Older".into())
    );
    assert_eq!(n.one(0, Request::Logout), ClientEvent::LoggedOut);
    let notes: Vec<String> = std::iter::from_fn(|| n.clients[0].poll_note())
        .map(|x| x.to_string())
        .collect();
    assert!(
        notes.iter().any(|x| x == "sent a3 LOGIN akbari ****"),
        "{notes:?}"
    );
    assert!(notes.iter().all(|x| !x.contains("secret")));
}

#[test]
fn two_devices_share_flags_and_expunges() {
    let mut n = Net::new(2);
    n.connect(0);
    n.connect(1);
    assert!(matches!(
        n.one(1, Request::FetchSummaries),
        ClientEvent::Messages(_)
    ));
    // The desktop reads message 1: the laptop learns it is read at its next NOOP.
    assert!(matches!(
        n.one(0, Request::FetchBody(1)),
        ClientEvent::Body { .. }
    ));
    let evs = n.ask(1, Request::Noop);
    assert_eq!(
        evs,
        vec![
            ClientEvent::FlagsChanged {
                uid: 1,
                flags: vec![Flag::Seen, Flag::Recent]
            },
            ClientEvent::NoopDone
        ]
    );
    // The desktop deletes message 2 and expunges; the laptop sees it go.
    let del = Request::SetFlags {
        uids: vec![2],
        mode: StoreMode::Add,
        flags: vec![Flag::Deleted],
    };
    assert!(matches!(n.one(0, del), ClientEvent::FlagsSet(_)));
    assert_eq!(n.one(0, Request::Expunge), ClientEvent::Expunged(vec![2]));
    assert_eq!(
        n.ask(1, Request::Noop),
        vec![ClientEvent::Gone { uid: 2 }, ClientEvent::NoopDone]
    );
    // The laptop IDLEs: the desktop's flag change is pushed at once.
    assert_eq!(n.ask(1, Request::Idle), vec![ClientEvent::Idling]);
    let flag = Request::SetFlags {
        uids: vec![3],
        mode: StoreMode::Add,
        flags: vec![Flag::Flagged],
    };
    assert!(matches!(n.one(0, flag), ClientEvent::FlagsSet(_)));
    n.run();
    let pushed: Vec<_> = std::iter::from_fn(|| n.clients[1].poll_event()).collect();
    assert_eq!(
        pushed,
        vec![ClientEvent::FlagsChanged {
            uid: 3,
            flags: vec![Flag::Flagged, Flag::Recent]
        }]
    );
    assert_eq!(n.clients[1].poll_timeout(), None);
    // Asking for anything ends the IDLE first (DONE), then runs the request.
    assert_eq!(
        n.ask(1, Request::Noop),
        vec![ClientEvent::IdleDone, ClientEvent::NoopDone]
    );
    // New mail delivered by SMTP shows up as NEW MAIL at the next NOOP.
    let id = n.servers[0].account().unwrap().clone();
    n.store
        .deliver(&id, "Subject: new\r\n\r\nhi\r\n", n.now)
        .unwrap();
    assert_eq!(
        n.ask(1, Request::Noop),
        vec![ClientEvent::NewMail { exists: 3 }, ClientEvent::NoopDone]
    );
    let ClientEvent::Messages(list) = n.one(1, Request::FetchSummaries) else {
        panic!()
    };
    assert_eq!(list.iter().map(|m| m.uid).collect::<Vec<_>>(), [1, 3, 4]);
    assert!(list[0].is_read() && !list[1].is_read());
}

#[test]
fn sync_literal_append_bye_and_timeout() {
    // A server without LITERAL+: the client waits for "+" before the message.
    let mut c = Client::new();
    let t = SimTime::ZERO;
    c.request(t, Request::Noop);
    assert_eq!(c.poll_output(), None, "nothing is sent before the greeting");
    c.handle_input(t, b"* OK [CAPABILITY IMAP4rev1] hi\r\n");
    assert_eq!(c.poll_output().unwrap(), b"a1 NOOP\r\n");
    c.handle_input(t, b"* 2 EXISTS\r\na1 OK done\r\n");
    let append = Request::Append {
        folder: "Sent Items".into(),
        flags: vec![],
        message: b"hello".to_vec(),
    };
    c.request(t, append);
    assert_eq!(
        c.poll_output().unwrap(),
        b"a2 APPEND \"Sent Items\" {5}\r\n"
    );
    c.handle_input(t, b"+ go ahead\r\n");
    assert_eq!(c.poll_output().unwrap(), b"hello\r\n");
    c.handle_input(
        t,
        b"a2 OK [APPENDUID 2 9] done\r\n* OK [ALERT] disk full\r\n",
    );
    c.request(t, Request::Select("INBOX".into()));
    c.handle_input(t, b"* BYE shutting down\r\n");
    assert_eq!(c.poll_timeout(), None);
    let evs: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert_eq!(
        evs[1..],
        [
            ClientEvent::NewMail { exists: 2 },
            ClientEvent::NoopDone,
            ClientEvent::Appended {
                folder: "Sent Items".into(),
                uid: Some(9)
            },
            ClientEvent::Alert("disk full".into()),
            ClientEvent::Bye("shutting down".into())
        ]
    );
    // A hostile server cannot crash the client.
    let mut c = Client::new();
    c.handle_input(
        t,
        b"* OK hi\r\n* 4294967295 EXISTS\r\n* 0 FETCH (UID 1 FLAGS ())\r\n* 0 EXPUNGE\r\n",
    );
    c.handle_input(t, b"* 4294967295 FETCH (FLAGS ())\r\n* 3 EXPUNGE\r\n");
    let mut c = Client::new();
    c.handle_input(t, b"* OK hi\r\n");
    c.request(t, Request::Noop);
    let due = c.poll_timeout().unwrap();
    assert_eq!(due, t + super::client::REPLY_TIMEOUT);
    c.handle_timeout(due);
    assert_eq!(
        c.poll_event(),
        Some(ClientEvent::Connected {
            capabilities: vec![]
        })
    );
    assert_eq!(c.poll_event(), Some(ClientEvent::TimedOut));
    assert!(c.is_quiet());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Whatever a server sends, the client never panics.
    #[test]
    fn client_never_panics(
        lines in proptest::collection::vec(
            "(\\*|\\+|a[0-9]) ([0-9]{1,10} )?(OK|NO|BYE|EXISTS|EXPUNGE|FETCH|LIST|SEARCH|FLAGS|STATUS)[ -~]{0,40}( \\{[0-9]{1,2}\\})?",
            1..12,
        ),
    ) {
        let mut c = Client::new();
        c.request(SimTime::ZERO, Request::Select("INBOX".into()));
        c.request(SimTime::ZERO, Request::FetchSummaries);
        for l in lines {
            c.handle_input(SimTime::ZERO, format!("{l}\r\n").as_bytes());
        }
    }
}

/// Delete moves to `\Trash` with `UID MOVE` (RFC 6851) and leaving the
/// folder is `UNSELECT` (RFC 3691), as the server offers both.
#[test]
fn delete_moves_to_trash_and_leave_unselects() {
    let mut n = Net::new(1);
    n.connect(0);
    assert!(n.clients[0].offers("move") && n.clients[0].offers("UNSELECT"));
    assert!(matches!(
        n.one(0, Request::ListFolders),
        ClientEvent::Folders(_)
    ));
    assert_eq!(n.clients[0].trash_folder(), Some("Trash"));
    assert!(matches!(
        n.one(0, Request::FetchSummaries),
        ClientEvent::Messages(_)
    ));
    let evs = n.ask(0, Request::Trash { uids: vec![2] });
    let sent: Vec<String> = std::iter::from_fn(|| n.clients[0].poll_note())
        .map(|n| n.to_string())
        .collect();
    assert!(
        sent.contains(&"sent a5 UID MOVE 2 Trash".to_string()),
        "{sent:?}"
    );
    assert_eq!(
        evs,
        [ClientEvent::Moved {
            to: "Trash".into(),
            uids: vec![2]
        }]
    );
    assert_eq!(n.one(0, Request::Leave), ClientEvent::Unselected);
    assert_eq!(n.clients[0].selected(), None);
    // In Trash itself, delete flags and erases just that message.
    assert!(matches!(
        n.one(0, Request::Select("Trash".into())),
        ClientEvent::Selected(_)
    ));
    let ClientEvent::Messages(list) = n.one(0, Request::FetchSummaries) else {
        panic!()
    };
    let uid = list[0].uid;
    let evs = n.ask(0, Request::Trash { uids: vec![uid] });
    assert!(matches!(evs[0], ClientEvent::FlagsSet(_)), "{evs:?}");
    assert_eq!(evs[1], ClientEvent::Expunged(vec![uid]));
    // After a failed SELECT there is nothing to leave: nothing is sent.
    assert!(matches!(
        n.one(0, Request::Select("Nowhere".into())),
        ClientEvent::Failed { .. }
    ));
    assert_eq!(n.ask(0, Request::Leave), []);
    assert!(n.clients[0].is_quiet());
}

/// A server that lists no capabilities in its greeting is asked first; a
/// client uses only what it offers: no UNSELECT (nothing is sent), no
/// MOVE (COPY, STORE \Deleted, EXPUNGE), no UIDPLUS (plain EXPUNGE).
#[test]
fn capability_first_and_fallbacks_without_extensions() {
    let mut c = Client::new();
    let t = SimTime::ZERO;
    c.request(t, Request::Leave);
    c.request(
        t,
        Request::Move {
            uids: vec![4],
            to: "Work".into(),
        },
    );
    c.handle_input(t, b"* OK hi\r\n");
    assert_eq!(c.poll_output().unwrap(), b"a1 CAPABILITY\r\n");
    c.handle_input(t, b"* CAPABILITY IMAP4rev1\r\na1 OK done\r\n");
    assert_eq!(c.poll_output().unwrap(), b"a2 UID COPY 4 Work\r\n");
    c.handle_input(t, b"a2 OK done\r\n");
    assert_eq!(
        c.poll_output().unwrap(),
        b"a3 UID STORE 4 +FLAGS (\\Deleted)\r\n"
    );
    c.handle_input(t, b"a3 OK done\r\n");
    assert_eq!(c.poll_output().unwrap(), b"a4 EXPUNGE\r\n");
    c.handle_input(t, b"a4 OK done\r\n");
    let evs: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert_eq!(
        evs[..2],
        [
            ClientEvent::Connected {
                capabilities: vec![]
            },
            ClientEvent::Capabilities(vec!["IMAP4rev1".into()]),
        ]
    );
    assert!(c.is_quiet());
}
