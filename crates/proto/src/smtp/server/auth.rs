//! `AUTH` on a submission server (RFC 4954): the PLAIN (RFC 4616) and
//! LOGIN mechanisms, one base64 line at a time.

use super::{C, Note, Phase, Sasl, Server};
use crate::mail::MailStore;
use crate::mail::mime::{decode_base64, encode_base64};

impl Server {
    /// `AUTH` (RFC 4954 §4): PLAIN (RFC 4616) or LOGIN, on a submission
    /// server after EHLO and outside a transaction.
    pub(super) fn auth(&mut self, mechanism: String, initial: Option<String>, store: &MailStore) {
        if !self.config.submission {
            return self.say(
                C::NotImplemented,
                "5.5.1",
                "Error: authentication not enabled here; use the submission port 587",
            );
        }
        if !self.esmtp || self.phase == Phase::Greeted {
            return self.out_of_order("AUTH", "EHLO");
        }
        if self.authed.is_some() {
            // RFC 4954 §4: "After a successful AUTH command completes, a
            // server MUST reject any further AUTH commands with a 503 reply."
            return self.say(C::BadSequence, "5.5.1", "Error: already authenticated");
        }
        if self.phase == Phase::Mail {
            return self.out_of_order("AUTH", "RSET (a transaction is open)");
        }
        match (mechanism.as_str(), initial) {
            ("PLAIN", Some(r)) => self.sasl_plain(if r == "=" { "" } else { &r }, store),
            ("PLAIN", None) => {
                self.sasl = Sasl::Plain;
                self.reply(C::AuthContinue, "");
            }
            ("LOGIN", Some(u)) => {
                let user = String::from_utf8_lossy(&decode_base64(&u)).into_owned();
                self.sasl = Sasl::LoginPassword(user);
                self.reply(C::AuthContinue, encode_base64(b"Password:"));
            }
            ("LOGIN", None) => {
                self.sasl = Sasl::LoginUser;
                self.reply(C::AuthContinue, encode_base64(b"Username:"));
            }
            (m, _) => self.say(
                C::ParamNotImplemented,
                "5.5.4",
                format!("Unsupported authentication mechanism {m}; use PLAIN or LOGIN"),
            ),
        }
    }

    /// A line of an AUTH exchange: base64, or `*` to cancel (501).
    pub(super) fn sasl_line(&mut self, line: &str, store: &MailStore) {
        let line = line.trim();
        let state = std::mem::take(&mut self.sasl);
        if line == "*" {
            self.notes.push_back(Note::AuthFailed {
                reason: "cancelled by the client".into(),
            });
            return self.say(C::ParamError, "5.7.0", "Authentication aborted");
        }
        match state {
            Sasl::None => {}
            Sasl::Plain => self.sasl_plain(line, store),
            Sasl::LoginUser => {
                let user = String::from_utf8_lossy(&decode_base64(line)).into_owned();
                self.sasl = Sasl::LoginPassword(user);
                self.reply(C::AuthContinue, encode_base64(b"Password:"));
            }
            Sasl::LoginPassword(user) => {
                let password = String::from_utf8_lossy(&decode_base64(line)).into_owned();
                self.login(&user, &password, "LOGIN", store);
            }
        }
    }

    /// RFC 4616: `authzid NUL authcid NUL passwd`.
    fn sasl_plain(&mut self, b64: &str, store: &MailStore) {
        let raw = decode_base64(b64);
        let parts: Vec<&[u8]> = raw.split(|&b| b == 0).collect();
        let [authz, user, password] = parts.as_slice() else {
            self.notes.push_back(Note::AuthFailed {
                reason: "not base64 of authzid NUL user NUL password".into(),
            });
            return self.say(
                C::ParamError,
                "5.5.2",
                "Cannot decode response: not base64 of authzid NUL user NUL password",
            );
        };
        let user = String::from_utf8_lossy(user).into_owned();
        if !authz.is_empty() && **authz != *user.as_bytes() {
            self.notes.push_back(Note::AuthFailed {
                reason: format!("{user} may not act as another user"),
            });
            return self.say(C::AuthFailed, "5.7.8", "Error: authentication failed");
        }
        let password = String::from_utf8_lossy(password).into_owned();
        self.login(&user, &password, "PLAIN", store);
    }

    fn login(&mut self, user: &str, password: &str, mechanism: &str, store: &MailStore) {
        match store.authenticate(user, password) {
            Ok(id) => {
                self.notes.push_back(Note::Authenticated {
                    user: user.into(),
                    mechanism: mechanism.into(),
                });
                self.authed = Some(id);
                self.say(C::AuthSucceeded, "2.7.0", "Authentication successful");
            }
            Err(e) => {
                self.notes.push_back(Note::AuthFailed {
                    reason: format!("{user}: {e}"),
                });
                self.say(C::AuthFailed, "5.7.8", "Error: authentication failed");
            }
        }
    }
}
