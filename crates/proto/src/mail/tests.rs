//! Tests of the store: accounts, folders, flags, UIDs, multi-session changes.

use super::*;
use crate::SimTime;

fn lab() -> (MailStore, AccountId) {
    let mut s = MailStore::new();
    s.add_domain("hasan.com").unwrap();
    let id = s.add_user("hasan.com", "12_5b_01", "kelas5b").unwrap();
    s.add_user("hasan.com", "akbari", "akbari123").unwrap();
    (s, id)
}

#[test]
fn accounts_and_login() {
    let (mut s, id) = lab();
    assert_eq!(
        s.add_domain("HASAN.com"),
        Err(StoreError::DomainExists("hasan.com".into()))
    );
    assert!(matches!(
        s.add_user("hasan.com", "Akbari", "x"),
        Err(StoreError::UserExists(_))
    ));
    assert!(matches!(
        s.add_user("nope.com", "a", "x"),
        Err(StoreError::NoSuchDomain(_))
    ));
    assert!(matches!(
        s.add_user("hasan.com", "a b", "x"),
        Err(StoreError::BadUserName(_))
    ));
    assert_eq!(s.authenticate("12_5b_01", "kelas5b"), Ok(id.clone()));
    assert_eq!(
        s.authenticate("12_5B_01@HASAN.COM", "kelas5b"),
        Ok(id.clone())
    );
    assert_eq!(
        s.authenticate("12_5b_01", "wrong"),
        Err(StoreError::AuthFailed)
    );
    assert_eq!(s.authenticate("ghost", "x"), Err(StoreError::AuthFailed));
    s.add_domain("other.com").unwrap();
    s.add_user("other.com", "akbari", "z").unwrap();
    assert_eq!(
        s.find_login("akbari"),
        Err(StoreError::AmbiguousUser("akbari".into()))
    );
    let a: Address = "jpri@dadali.com".parse().unwrap();
    assert_eq!(s.resolve(&a), Recipient::Foreign);
    let a: Address = "ghost@hasan.com".parse().unwrap();
    assert_eq!(s.resolve(&a), Recipient::UnknownUser);
    s.set_list("hasan.com", "kelas", vec!["akbari@hasan.com".into()])
        .unwrap();
    let a: Address = "Kelas@hasan.com".parse().unwrap();
    assert_eq!(
        s.resolve(&a),
        Recipient::List(vec!["akbari@hasan.com".into()])
    );
    s.set_password(&id, "baru").unwrap();
    assert!(s.authenticate("12_5b_01", "baru").is_ok());
    s.remove_user(&id).unwrap();
    assert_eq!(
        s.authenticate("12_5b_01", "baru"),
        Err(StoreError::AuthFailed)
    );
}

#[test]
fn folders_create_rename_delete() {
    let (mut s, id) = lab();
    let names = |s: &MailStore| -> Vec<String> {
        s.account(&id)
            .unwrap()
            .folders()
            .map(|f| f.name.clone())
            .collect()
    };
    assert_eq!(names(&s), ["INBOX", "Sent", "Trash"]);
    s.create_folder(&id, "Work/2026").unwrap();
    assert_eq!(names(&s), ["INBOX", "Sent", "Trash", "Work", "Work/2026"]);
    assert_eq!(
        s.create_folder(&id, "work/2026"),
        Ok(()),
        "names are case-sensitive"
    );
    assert!(matches!(
        s.create_folder(&id, "Work"),
        Err(StoreError::FolderExists(_))
    ));
    assert!(matches!(
        s.create_folder(&id, "a//b"),
        Err(StoreError::BadFolderName(_))
    ));
    assert!(matches!(
        s.delete_folder(&id, "Work"),
        Err(StoreError::HasChildren(_))
    ));
    assert_eq!(
        s.delete_folder(&id, "inbox"),
        Err(StoreError::CannotDeleteInbox)
    );
    let uv = s.folder(&id, "Work/2026").unwrap().uidvalidity;
    s.rename_folder(&id, "Work", "Job").unwrap();
    assert!(s.folder(&id, "Job/2026").is_ok());
    assert_ne!(s.folder(&id, "Job/2026").unwrap().uidvalidity, uv);
    s.delete_folder(&id, "Job/2026").unwrap();
    s.delete_folder(&id, "Job").unwrap();
    assert!(matches!(
        s.delete_folder(&id, "Job"),
        Err(StoreError::NoSuchFolder(_))
    ));
    // Renaming INBOX moves its messages and leaves it empty.
    s.deliver(&id, "Subject: a\n\nx\n", SimTime::ZERO).unwrap();
    s.rename_folder(&id, "INBOX", "Old").unwrap();
    assert!(s.folder(&id, "INBOX").unwrap().is_empty());
    assert_eq!(s.folder(&id, "Old").unwrap().len(), 1);
}

#[test]
fn uids_flags_copy_move_expunge_and_changes() {
    let (mut s, id) = lab();
    let t = SimTime::from_secs(5);
    let u1 = s.deliver(&id, "Subject: one\n\nhello\n", t).unwrap();
    let u2 = s.deliver(&id, "Subject: two\r\n\r\nbye\r\n", t).unwrap();
    assert_eq!((u1, u2), (1, 2));
    let inbox = s.folder(&id, "inbox").unwrap();
    assert_eq!(inbox.uidnext, 3);
    assert_eq!(inbox.get(1).unwrap().raw, "Subject: one\r\n\r\nhello\r\n");
    assert_eq!(inbox.get(1).unwrap().size(), 23);
    assert_eq!(inbox.unseen(), 2);
    let seen_at = inbox.highest_modseq;

    // Another session marks message 1 read and deletes 2.
    let seen: Flags = [Flag::Seen].into_iter().collect();
    let del: Flags = [Flag::Deleted].into_iter().collect();
    s.set_flags(&id, INBOX, 1, FlagOp::Add, &seen).unwrap();
    s.set_flags(&id, INBOX, 2, FlagOp::Add, &del).unwrap();
    assert_eq!(
        s.set_flags(&id, INBOX, 9, FlagOp::Add, &seen),
        Err(StoreError::NoSuchMessage(9))
    );
    let c = s.folder(&id, INBOX).unwrap().changes_since(seen_at);
    assert_eq!(c.changed, [1, 2]);
    assert!(c.expunged.is_empty());
    let after_flags = c.highest_modseq;

    // Copy keeps flags; move removes from the source.
    let pairs = s.copy_messages(&id, INBOX, &[1, 7], "Sent", t).unwrap();
    assert_eq!(pairs, [(1, 1)]);
    assert!(
        s.folder(&id, "Sent")
            .unwrap()
            .get(1)
            .unwrap()
            .flags
            .contains(&Flag::Seen)
    );
    assert_eq!(s.expunge(&id, INBOX).unwrap(), [2]);
    let moved = s.move_messages(&id, INBOX, &[1], "Trash", t).unwrap();
    assert_eq!(moved, [(1, 1)]);
    let inbox = s.folder(&id, INBOX).unwrap();
    assert!(inbox.is_empty());
    let c = inbox.changes_since(after_flags);
    assert_eq!(c.expunged, [2, 1]);
    // UIDs are never reused.
    assert_eq!(s.deliver(&id, "x\r\n", t).unwrap(), 3);
    assert_eq!(
        s.folder(&id, INBOX).unwrap().get(3).unwrap().internal_date,
        t
    );
    assert_eq!(s.remove_messages(&id, INBOX, &[3, 4]).unwrap(), [3]);
}

#[test]
fn maildrop_lock_and_serde() {
    let (mut s, id) = lab();
    let t = s.lock_maildrop(&id).unwrap();
    assert!(s.is_locked(&id));
    assert_eq!(
        s.lock_maildrop(&id),
        Err(StoreError::Locked("12_5b_01@hasan.com".into()))
    );
    s.unlock_maildrop(&id, LockToken(999));
    assert!(s.is_locked(&id), "a stranger's token does not unlock");
    s.unlock_maildrop(&id, t);
    assert!(!s.is_locked(&id));
    s.deliver(&id, "Subject: x\r\n\r\ny\r\n", SimTime::ZERO)
        .unwrap();
    // The store is plain data: it clones and survives a round trip (locks are not saved).
    let _ = s.lock_maildrop(&id).unwrap();
    let copy = s.clone();
    assert_eq!(copy, s);
}

#[test]
fn crlf_normalizes() {
    assert_eq!(crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
}

#[test]
fn store_round_trips_through_json_without_locks() {
    let (mut s, id) = lab();
    s.create_folder(&id, "Work").unwrap();
    let uid = s
        .deliver(&id, "Subject: x\r\n\r\ny\r\n", SimTime::from_secs(9))
        .unwrap();
    let kw: Flags = [Flag::Seen, Flag::Keyword("$Work".into())]
        .into_iter()
        .collect();
    s.set_flags(&id, INBOX, uid, FlagOp::Add, &kw).unwrap();
    let _lock = s.lock_maildrop(&id).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let back: MailStore = serde_json::from_str(&json).unwrap();
    assert!(!back.is_locked(&id), "locks are session state, not saved");
    assert_eq!(
        back.folder(&id, INBOX).unwrap(),
        s.folder(&id, INBOX).unwrap()
    );
    assert_eq!(
        back.folder(&id, "Work").unwrap().uidvalidity,
        s.folder(&id, "Work").unwrap().uidvalidity
    );
    let mut back = back;
    back.create_folder(&id, "New").unwrap();
    assert!(
        back.folder(&id, "New").unwrap().uidvalidity > s.folder(&id, "Work").unwrap().uidvalidity
    );
}

#[test]
fn sim_time_at_inverts_unix_time() {
    let (s, _) = lab();
    let t = SimTime::from_secs(4321);
    assert_eq!(s.sim_time_at(s.unix_time(t)), t);
    assert_eq!(s.sim_time_at(0), SimTime::ZERO);
}

mod props {
    use proptest::prelude::*;

    use super::super::{date, mime};
    use super::*;

    proptest! {
        #[test]
        fn text_parsers_never_panic(s in "\\PC{0,120}") {
            let _ = s.parse::<Address>();
            let _ = date::parse_imap_date(&s);
            let _ = date::parse_imap_date_time(&s);
            let _ = date::parse_rfc5322(&s);
            let _ = mime::decode_words(&s);
            let _ = mime::decode_qp(&s);
            let _ = mime::decode_base64(&s);
            let _ = mime::ContentType::parse(&s);
            let _ = Flag::parse(&s);
            let _ = normalize_probe(&s);
        }

        #[test]
        fn multipart_never_panics(parts in proptest::collection::vec("\\PC{0,40}", 0..6)) {
            let body = parts.join("\r\n--b\r\n");
            let raw = format!("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n{body}\r\n--b--\r\n");
            let m = Message::parse(&raw);
            let _ = (m.text(), m.attachments());
        }

        #[test]
        fn base64_round_trips(data in proptest::collection::vec(any::<u8>(), 0..100)) {
            prop_assert_eq!(mime::decode_base64(&mime::encode_base64(&data)), data);
        }
    }

    fn normalize_probe(s: &str) -> String {
        store::normalize(s)
    }
}

#[test]
fn expunge_log_is_capped() {
    let (mut s, id) = lab();
    let start = s.folder(&id, INBOX).unwrap().highest_modseq;
    let del: Flags = [Flag::Deleted].into_iter().collect();
    let n = super::folder::EXPUNGE_LOG_CAP as u32 + 5;
    for _ in 0..n {
        s.deliver(&id, "x\r\n", SimTime::ZERO).unwrap();
    }
    for uid in 1..=n {
        s.set_flags(&id, INBOX, uid, FlagOp::Add, &del).unwrap();
    }
    let mid = s.folder(&id, INBOX).unwrap().highest_modseq;
    assert_eq!(s.expunge(&id, INBOX).unwrap().len(), n as usize);
    let f = s.folder(&id, INBOX).unwrap();
    assert!(!f.changes_complete_since(start));
    assert!(!f.changes_complete_since(mid));
    let c = f.changes_since(mid + 5);
    assert!(f.changes_complete_since(mid + 5));
    assert_eq!(c.expunged.len(), n as usize - 5);
}
