//! The SMTP envelope (RFC 5321 §2.3.1: "SMTP transports a mail object. A
//! mail object contains an envelope and content.") and local delivery of
//! one into a [`MailStore`].

use serde::{Deserialize, Serialize};

use crate::SimTime;
use crate::mail::{AccountId, Address, AddressError, Draft, MailStore, Recipient};

/// Sender, recipients and content of one message in transit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The reverse-path; `None` is the null path `<>` of a bounce.
    pub from: Option<Address>,
    /// The forward-paths.
    pub to: Vec<Address>,
    /// The content (RFC 5322 text, CRLF line ends, not dot-stuffed).
    pub data: String,
}

impl Envelope {
    /// The envelope for a message composed in the desktop mail client:
    /// sender and recipients from the draft, content from
    /// [`Draft::to_rfc5322`] dated `unix`.
    ///
    /// # Errors
    /// [`AddressError`] naming the first address that is not valid.
    pub fn from_draft(
        draft: &Draft,
        unix: i64,
        msg_id_seed: u64,
    ) -> Result<Envelope, AddressError> {
        Ok(Envelope {
            from: Some(draft.from.parse()?),
            to: draft
                .to
                .iter()
                .map(|a| a.parse())
                .collect::<Result<_, _>>()?,
            data: draft.to_rfc5322(unix, msg_id_seed),
        })
    }

    /// The sender as SMTP writes it: `<a@b>` or `<>`.
    pub fn from_path(&self) -> String {
        self.from.as_ref().map_or("<>".into(), |a| format!("<{a}>"))
    }
}

/// What [`deliver_local`] did with each recipient.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Filed in a local INBOX: recipient, account, UID.
    pub delivered: Vec<(Address, AccountId, u32)>,
    /// Recipients in domains this store does not serve (to relay).
    pub foreign: Vec<Address>,
    /// Recipients in a local domain without such user.
    pub unknown: Vec<Address>,
}

/// Files `data` for every local recipient (expanding local lists one level)
/// and sorts the rest into foreign and unknown.
pub fn deliver_local(
    store: &mut MailStore,
    now: SimTime,
    to: &[Address],
    data: &str,
) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let mut seen: Vec<Address> = Vec::new();
    let mut queue: Vec<(Address, bool)> = to.iter().map(|a| (a.clone(), true)).collect();
    while let Some((addr, expand)) = (!queue.is_empty()).then(|| queue.remove(0)) {
        let key = Address {
            local: addr.local_key(),
            domain: addr.domain.clone(),
        };
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        match store.resolve(&addr) {
            Recipient::Local(id) => match store.deliver(&id, data, now) {
                Ok(uid) => report.delivered.push((addr, id, uid)),
                Err(_) => report.unknown.push(addr),
            },
            Recipient::List(members) if expand => {
                for m in members {
                    if let Ok(a) = m.parse::<Address>() {
                        queue.push((a, false));
                    }
                }
            }
            Recipient::List(_) | Recipient::UnknownUser => report.unknown.push(addr),
            Recipient::Foreign => report.foreign.push(addr),
        }
    }
    report
}
