//! Helpers shared by the fuzz targets: a small mail store to log in to, and
//! the chunking that feeds a session its input cut at arbitrary places.

use lanlab_proto::SimTime;
use lanlab_proto::mail::{AccountId, MailStore};

/// The user every seed logs in as (password [`PASSWORD`]).
pub const USER: &str = "budi";
/// [`USER`]'s password.
pub const PASSWORD: &str = "rahasia";
/// The mail domain of the store.
pub const DOMAIN: &str = "hasan.com";

/// A multipart message with an attachment, for RETR/TOP/FETCH to chew on.
pub const MULTIPART: &str = "From: Ani <ani@hasan.com>\r\nTo: budi@hasan.com, \"Cici\" <cici@dadali.com>\r\n\
Subject: =?UTF-8?B?VGVzIEVtYWls?=\r\nDate: Tue, 24 Nov 2026 10:00:00 +0700\r\nMessage-ID: <1@hasan.com>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nhalo =C3=A9\r\n.\r\n--b1\r\n\
Content-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b1--\r\n";

/// A store with domain [`DOMAIN`], users `budi` and `ani`, and three
/// messages in budi's INBOX (one multipart).
pub fn store() -> (MailStore, AccountId) {
    let mut store = MailStore::new();
    store.add_domain(DOMAIN).expect("domain");
    let id = store.add_user(DOMAIN, USER, PASSWORD).expect("user");
    store.add_user(DOMAIN, "ani", "ani1").expect("user");
    let t = SimTime::from_secs(1);
    store
        .deliver(&id, "Subject: Tes Email\r\n\r\nhalo\r\n", t)
        .expect("deliver");
    store.deliver(&id, MULTIPART, t).expect("deliver");
    store
        .deliver(&id, "From: x@y\r\n\r\n..dot stuffed\r\nline two\r\n", t)
        .expect("deliver");
    (store, id)
}

/// Splits a session input: the low 7 bits of the first byte pick the chunk
/// size (0: all at once, n: chunks of n bytes), the rest is the byte stream.
pub fn chunks(data: &[u8]) -> std::slice::Chunks<'_, u8> {
    let Some((&first, rest)) = data.split_first() else {
        return data.chunks(1);
    };
    let size = match first & 0x7f {
        0 => rest.len().max(1),
        n => usize::from(n),
    };
    rest.chunks(size)
}

/// Whether the first byte asks for the client side (its high bit).
pub fn client_mode(data: &[u8]) -> bool {
    data.first().is_some_and(|b| b & 0x80 != 0)
}
