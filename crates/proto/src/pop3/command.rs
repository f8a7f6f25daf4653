//! POP3 commands (RFC 1939 §3): "Commands in the POP3 consist of a
//! case-insensitive keyword, possibly followed by one or more arguments."
//! "Keywords are three or four characters long. Each argument may be up to
//! 40 characters long." Parsing never panics.

use core::fmt;

use thiserror::Error;

/// A parsed command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `USER name`.
    User(String),
    /// `PASS string` (may contain spaces, RFC 1939 §7).
    Pass(String),
    /// `APOP name digest`.
    Apop(String, String),
    /// `STAT`.
    Stat,
    /// `LIST [msg]`.
    List(Option<u32>),
    /// `RETR msg`.
    Retr(u32),
    /// `DELE msg`.
    Dele(u32),
    /// `NOOP`.
    Noop,
    /// `RSET`.
    Rset,
    /// `QUIT`.
    Quit,
    /// `TOP msg n`.
    Top(u32, u32),
    /// `UIDL [msg]`.
    Uidl(Option<u32>),
    /// `CAPA` (RFC 2449).
    Capa,
    /// `AUTH [mechanism [initial-response]]` (RFC 5034); without a
    /// mechanism, asks for the list of mechanisms.
    Auth(Option<String>, Option<String>),
}

/// Why a command line was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CommandError {
    /// Not a POP3 keyword.
    #[error("unknown command {0}")]
    Unknown(String),
    /// Missing or malformed argument.
    #[error("{0}")]
    Syntax(String),
}

fn number(keyword: &str, s: &str) -> Result<u32, CommandError> {
    match s.parse::<u32>() {
        Ok(n) if n > 0 && s.len() <= 10 => Ok(n),
        _ => Err(CommandError::Syntax(format!(
            "{keyword}: {s:?} is not a message number"
        ))),
    }
}

impl Command {
    /// Parses one line (without CRLF).
    ///
    /// # Errors
    /// [`CommandError`] for an unknown keyword or bad arguments.
    pub fn parse(line: &str) -> Result<Command, CommandError> {
        let (kw, rest) = match line.split_once(' ') {
            Some((k, r)) => (k, r),
            None => (line, ""),
        };
        let kw_up = kw.to_ascii_uppercase();
        let args: Vec<&str> = rest.split_whitespace().collect();
        let k = kw_up.as_str();
        let want = |n: usize| -> Result<(), CommandError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(CommandError::Syntax(format!(
                    "{k} takes {n} argument{}",
                    if n == 1 { "" } else { "s" }
                )))
            }
        };
        let opt = |args: &[&str]| -> Result<Option<u32>, CommandError> {
            match args {
                [] => Ok(None),
                [a] => number(k, a).map(Some),
                _ => Err(CommandError::Syntax(format!(
                    "{k} takes at most 1 argument"
                ))),
            }
        };
        Ok(match k {
            "USER" => {
                want(1)?;
                Command::User(args[0].to_string())
            }
            "PASS" if rest.is_empty() => {
                return Err(CommandError::Syntax("PASS needs a password".into()));
            }
            "PASS" => Command::Pass(rest.to_string()),
            "APOP" => {
                want(2)?;
                Command::Apop(args[0].to_string(), args[1].to_ascii_lowercase())
            }
            "STAT" => {
                want(0)?;
                Command::Stat
            }
            "LIST" => Command::List(opt(&args)?),
            "RETR" => {
                want(1)?;
                Command::Retr(number(k, args[0])?)
            }
            "DELE" => {
                want(1)?;
                Command::Dele(number(k, args[0])?)
            }
            "NOOP" => {
                want(0)?;
                Command::Noop
            }
            "RSET" => {
                want(0)?;
                Command::Rset
            }
            "QUIT" => {
                want(0)?;
                Command::Quit
            }
            "TOP" => {
                want(2)?;
                let n = args[1].parse::<u32>().map_err(|_| {
                    CommandError::Syntax(format!("TOP: {:?} is not a line count", args[1]))
                })?;
                Command::Top(number(k, args[0])?, n)
            }
            "UIDL" => Command::Uidl(opt(&args)?),
            "CAPA" => {
                want(0)?;
                Command::Capa
            }
            "AUTH" => match args.as_slice() {
                [] => Command::Auth(None, None),
                [m] => Command::Auth(Some(m.to_ascii_uppercase()), None),
                [m, r] => Command::Auth(Some(m.to_ascii_uppercase()), Some((*r).to_string())),
                _ => {
                    return Err(CommandError::Syntax(
                        "AUTH takes a mechanism and at most one initial response".into(),
                    ));
                }
            },
            _ => return Err(CommandError::Unknown(kw.chars().take(40).collect())),
        })
    }

    /// The keyword, upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            Command::User(_) => "USER",
            Command::Pass(_) => "PASS",
            Command::Apop(..) => "APOP",
            Command::Stat => "STAT",
            Command::List(_) => "LIST",
            Command::Retr(_) => "RETR",
            Command::Dele(_) => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Top(..) => "TOP",
            Command::Uidl(_) => "UIDL",
            Command::Capa => "CAPA",
            Command::Auth(..) => "AUTH",
        }
    }
}

impl fmt::Display for Command {
    /// The command as a client writes it (without CRLF).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::User(u) => write!(f, "USER {u}"),
            Command::Pass(p) => write!(f, "PASS {p}"),
            Command::Apop(u, d) => write!(f, "APOP {u} {d}"),
            Command::List(Some(n)) => write!(f, "LIST {n}"),
            Command::Retr(n) => write!(f, "RETR {n}"),
            Command::Dele(n) => write!(f, "DELE {n}"),
            Command::Top(n, l) => write!(f, "TOP {n} {l}"),
            Command::Uidl(Some(n)) => write!(f, "UIDL {n}"),
            Command::Auth(Some(m), Some(r)) => write!(f, "AUTH {m} {r}"),
            Command::Auth(Some(m), None) => write!(f, "AUTH {m}"),
            c => f.write_str(c.keyword()),
        }
    }
}
