//! SMTP commands (RFC 5321 §4.1.1). Verbs are case-insensitive (§2.4:
//! "Verbs and argument values (e.g., "TO:" or "to:" in the RCPT command and
//! extension name keywords) are not case sensitive"). Parsing never panics.

use core::fmt;

use thiserror::Error;

use crate::mail::Address;

/// A parsed command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `HELO domain`.
    Helo(String),
    /// `EHLO domain`.
    Ehlo(String),
    /// `MAIL FROM:<path> [params]`; `None` is the null path `<>`.
    Mail {
        /// The reverse-path.
        from: Option<Address>,
        /// `SIZE=` if given.
        size: Option<usize>,
        /// `BODY=8BITMIME` / `BODY=7BIT` if given.
        body: Option<String>,
    },
    /// `RCPT TO:<path>`.
    Rcpt(Address),
    /// `DATA`.
    Data,
    /// `RSET`.
    Rset,
    /// `NOOP [string]`.
    Noop,
    /// `QUIT`.
    Quit,
    /// `HELP [topic]`.
    Help(Option<String>),
    /// `VRFY string`.
    Vrfy(String),
    /// `EXPN string`.
    Expn(String),
    /// `AUTH mechanism [initial-response]` (RFC 4954).
    Auth {
        /// The SASL mechanism, upper case (`PLAIN`, `LOGIN`).
        mechanism: String,
        /// The base64 initial response, if given on the line.
        initial: Option<String>,
    },
    /// A command RFC 5321 knows that this server does not do (TURN, ETRN, STARTTLS, …).
    NotImplemented(String),
}

/// Why a command line was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CommandError {
    /// Unknown verb (reply 500).
    #[error("command {0:?} not recognized")]
    Unknown(String),
    /// Known verb, bad arguments (reply 501).
    #[error("{0}")]
    Syntax(String),
    /// An address that cannot be a mailbox (reply 553).
    #[error("{0}")]
    BadAddress(String),
    /// An unsupported `MAIL`/`RCPT` parameter (reply 555/501).
    #[error("parameter {0} not supported")]
    Param(String),
}

fn path_arg<'a>(rest: &'a str, prefix: &str) -> Option<&'a str> {
    let r = rest.trim_start();
    // `get` rather than indexing: a multi-byte character may straddle the cut.
    let head = r.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    Some(r[prefix.len()..].trim_start())
}

/// Splits `<path> params` (the path may also come without brackets).
fn split_path(arg: &str) -> (&str, &str) {
    if arg.starts_with('<') {
        match arg.find('>') {
            Some(i) => (&arg[..=i], arg[i + 1..].trim()),
            None => (arg, ""),
        }
    } else {
        match arg.split_once(' ') {
            Some((p, rest)) => (p, rest.trim()),
            None => (arg, ""),
        }
    }
}

impl Command {
    /// Parses one command line (without CRLF).
    ///
    /// # Errors
    /// [`CommandError`] with what is wrong, for the 500/501/553 reply.
    pub fn parse(line: &str) -> Result<Command, CommandError> {
        let line = line.trim_end();
        let (verb, rest) = match line.split_once(' ') {
            Some((v, r)) => (v, r.trim()),
            None => (line, ""),
        };
        let up = verb.to_ascii_uppercase();
        let need = |what: &str| -> Result<String, CommandError> {
            if rest.is_empty() {
                Err(CommandError::Syntax(format!("{up} needs {what}")))
            } else {
                Ok(rest.to_string())
            }
        };
        Ok(match up.as_str() {
            "HELO" => Command::Helo(need("your host name")?),
            "EHLO" => Command::Ehlo(need("your host name")?),
            "MAIL" => {
                let arg = path_arg(rest, "FROM:")
                    .ok_or_else(|| CommandError::Syntax("syntax: MAIL FROM:<address>".into()))?;
                let (path, params) = split_path(arg);
                let from = if path == "<>" {
                    None
                } else {
                    Some(
                        path.parse::<Address>()
                            .map_err(|e| CommandError::BadAddress(e.to_string()))?,
                    )
                };
                let (mut size, mut body) = (None, None);
                for p in params.split_whitespace() {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    match k.to_ascii_uppercase().as_str() {
                        "SIZE" => {
                            size = Some(v.parse().map_err(|_| {
                                CommandError::Syntax(format!("SIZE={v} is not a number"))
                            })?)
                        }
                        "BODY"
                            if v.eq_ignore_ascii_case("7BIT")
                                || v.eq_ignore_ascii_case("8BITMIME") =>
                        {
                            body = Some(v.to_ascii_uppercase())
                        }
                        _ => return Err(CommandError::Param(p.to_string())),
                    }
                }
                Command::Mail { from, size, body }
            }
            "RCPT" => {
                let arg = path_arg(rest, "TO:")
                    .ok_or_else(|| CommandError::Syntax("syntax: RCPT TO:<address>".into()))?;
                let (path, params) = split_path(arg);
                if !params.is_empty() {
                    return Err(CommandError::Param(params.to_string()));
                }
                // §4.1.1.3: "<Postmaster>" without domain must be accepted.
                let p = path.trim_start_matches('<').trim_end_matches('>');
                if p.eq_ignore_ascii_case("postmaster") {
                    return Ok(Command::Rcpt(Address {
                        local: "postmaster".into(),
                        domain: String::new(),
                    }));
                }
                Command::Rcpt(path.parse().map_err(|e: crate::mail::AddressError| {
                    CommandError::BadAddress(e.to_string())
                })?)
            }
            "DATA" | "RSET" | "QUIT" if !rest.is_empty() => {
                return Err(CommandError::Syntax(format!("{up} takes no argument")));
            }
            "DATA" => Command::Data,
            "RSET" => Command::Rset,
            "QUIT" => Command::Quit,
            "NOOP" => Command::Noop,
            "HELP" => Command::Help((!rest.is_empty()).then(|| rest.to_string())),
            "VRFY" => Command::Vrfy(need("a user name or address")?),
            "EXPN" => Command::Expn(need("a list name")?),
            "AUTH" => {
                let mut words = rest.split_whitespace();
                let mechanism = words
                    .next()
                    .ok_or_else(|| {
                        CommandError::Syntax("AUTH needs a mechanism, e.g. AUTH PLAIN".into())
                    })?
                    .to_ascii_uppercase();
                let initial = words.next().map(str::to_string);
                if words.next().is_some() {
                    return Err(CommandError::Syntax(
                        "AUTH takes a mechanism and at most one initial response".into(),
                    ));
                }
                Command::Auth { mechanism, initial }
            }
            "TURN" | "ETRN" | "SEND" | "SOML" | "SAML" | "STARTTLS" | "BDAT" | "ATRN" => {
                Command::NotImplemented(up)
            }
            _ => return Err(CommandError::Unknown(verb.chars().take(40).collect())),
        })
    }
}

impl fmt::Display for Command {
    /// The command as a client writes it (without CRLF).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Helo(d) => write!(f, "HELO {d}"),
            Command::Ehlo(d) => write!(f, "EHLO {d}"),
            Command::Mail { from, size, body } => {
                match from {
                    Some(a) => write!(f, "MAIL FROM:<{a}>")?,
                    None => f.write_str("MAIL FROM:<>")?,
                }
                if let Some(s) = size {
                    write!(f, " SIZE={s}")?;
                }
                if let Some(b) = body {
                    write!(f, " BODY={b}")?;
                }
                Ok(())
            }
            Command::Rcpt(a) if a.domain.is_empty() => write!(f, "RCPT TO:<{}>", a.local),
            Command::Rcpt(a) => write!(f, "RCPT TO:<{a}>"),
            Command::Data => f.write_str("DATA"),
            Command::Rset => f.write_str("RSET"),
            Command::Noop => f.write_str("NOOP"),
            Command::Quit => f.write_str("QUIT"),
            Command::Help(None) => f.write_str("HELP"),
            Command::Help(Some(t)) => write!(f, "HELP {t}"),
            Command::Vrfy(s) => write!(f, "VRFY {s}"),
            Command::Expn(s) => write!(f, "EXPN {s}"),
            Command::Auth {
                mechanism,
                initial: Some(_),
            } => write!(f, "AUTH {mechanism} ****"),
            Command::Auth { mechanism, .. } => write!(f, "AUTH {mechanism}"),
            Command::NotImplemented(v) => f.write_str(v),
        }
    }
}
