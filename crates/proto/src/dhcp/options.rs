//! DHCP options (RFC 2132): the typed subset lanlab uses, the rest kept opaque.
//!
//! RFC 2131 §3: "The first four octets of the 'options' field of the DHCP
//! message contain the (decimal) values 99, 130, 83 and 99, respectively";
//! after the cookie come options, each a code, a length and a value, except
//! Pad (0) and End (255) which are a single octet.

use core::net::Ipv4Addr;

use super::Error;
use super::message::MessageType;

/// Largest value an option can carry (its length is one octet).
const MAX_VALUE: usize = 255;

/// An option code, with names for the ones lanlab understands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionCode {
    /// 0: padding.
    Pad,
    /// 1: subnet mask.
    SubnetMask,
    /// 3: routers (default gateways).
    Router,
    /// 6: DNS servers.
    DomainNameServer,
    /// 12: the client's host name.
    HostName,
    /// 15: DNS domain name.
    DomainName,
    /// 50: address the client asks for.
    RequestedIp,
    /// 51: lease time in seconds.
    LeaseTime,
    /// 53: DHCP message type.
    MessageType,
    /// 54: server identifier.
    ServerId,
    /// 55: parameter request list.
    ParameterRequestList,
    /// 56: error message text.
    Message,
    /// 58: renewal time T1.
    RenewalTime,
    /// 59: rebinding time T2.
    RebindingTime,
    /// 61: client identifier.
    ClientId,
    /// 255: end of options.
    End,
    /// Any other code.
    Unknown(u8),
}

impl From<u8> for OptionCode {
    fn from(v: u8) -> Self {
        match v {
            0 => Self::Pad,
            1 => Self::SubnetMask,
            3 => Self::Router,
            6 => Self::DomainNameServer,
            12 => Self::HostName,
            15 => Self::DomainName,
            50 => Self::RequestedIp,
            51 => Self::LeaseTime,
            53 => Self::MessageType,
            54 => Self::ServerId,
            55 => Self::ParameterRequestList,
            56 => Self::Message,
            58 => Self::RenewalTime,
            59 => Self::RebindingTime,
            61 => Self::ClientId,
            255 => Self::End,
            other => Self::Unknown(other),
        }
    }
}

impl From<OptionCode> for u8 {
    fn from(c: OptionCode) -> u8 {
        match c {
            OptionCode::Pad => 0,
            OptionCode::SubnetMask => 1,
            OptionCode::Router => 3,
            OptionCode::DomainNameServer => 6,
            OptionCode::HostName => 12,
            OptionCode::DomainName => 15,
            OptionCode::RequestedIp => 50,
            OptionCode::LeaseTime => 51,
            OptionCode::MessageType => 53,
            OptionCode::ServerId => 54,
            OptionCode::ParameterRequestList => 55,
            OptionCode::Message => 56,
            OptionCode::RenewalTime => 58,
            OptionCode::RebindingTime => 59,
            OptionCode::ClientId => 61,
            OptionCode::End => 255,
            OptionCode::Unknown(v) => v,
        }
    }
}

/// The options of one message. Each known option appears at most once; a
/// repeated option keeps its last value. Unknown options are kept, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// 53: the DHCP message type (absent in plain BOOTP).
    pub message_type: Option<MessageType>,
    /// 1: subnet mask.
    pub subnet_mask: Option<Ipv4Addr>,
    /// 3: routers, in order of preference.
    pub routers: Vec<Ipv4Addr>,
    /// 6: DNS servers, in order of preference.
    pub dns_servers: Vec<Ipv4Addr>,
    /// 15: DNS domain name.
    pub domain_name: Option<String>,
    /// 12: host name.
    pub host_name: Option<String>,
    /// 50: requested address.
    pub requested_ip: Option<Ipv4Addr>,
    /// 51: lease time in seconds (`u32::MAX` is infinite).
    pub lease_time: Option<u32>,
    /// 54: server identifier.
    pub server_id: Option<Ipv4Addr>,
    /// 55: options the client asks for.
    pub parameter_request_list: Vec<OptionCode>,
    /// 56: a human-readable message (mostly in NAKs).
    pub message: Option<String>,
    /// 58: renewal time T1 in seconds.
    pub renewal_time: Option<u32>,
    /// 59: rebinding time T2 in seconds.
    pub rebinding_time: Option<u32>,
    /// 61: client identifier (type octet + data).
    pub client_id: Option<Vec<u8>>,
    /// Options lanlab does not interpret: `(code, value)`.
    pub unknown: Vec<(u8, Vec<u8>)>,
}

fn addr(code: u8, v: &[u8]) -> Result<Ipv4Addr, Error> {
    match v {
        [a, b, c, d] => Ok(Ipv4Addr::new(*a, *b, *c, *d)),
        _ => Err(Error::BadOptionLength { code, len: v.len() }),
    }
}

fn addrs(code: u8, v: &[u8]) -> Result<Vec<Ipv4Addr>, Error> {
    if v.is_empty() || !v.len().is_multiple_of(4) {
        return Err(Error::BadOptionLength { code, len: v.len() });
    }
    Ok(v.chunks_exact(4)
        .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
        .collect())
}

fn secs(code: u8, v: &[u8]) -> Result<u32, Error> {
    match v {
        [a, b, c, d] => Ok(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => Err(Error::BadOptionLength { code, len: v.len() }),
    }
}

fn text(v: &[u8]) -> String {
    // RFC 2132 §3.14: "Note that the length ... does not include a trailing
    // NUL", yet some clients send one: drop it.
    let v = v.strip_suffix(&[0]).unwrap_or(v);
    String::from_utf8_lossy(v).into_owned()
}

/// Cuts a string to at most 255 bytes, on a character boundary.
fn clip(s: &str) -> &[u8] {
    let mut end = s.len().min(MAX_VALUE);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s.as_bytes()[..end]
}

/// One option as it lies on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawOption<'a> {
    /// Its code.
    pub code: u8,
    /// Where its code octet is, as an offset into the options area.
    pub at: usize,
    /// The length octet, if the area holds one (End has none).
    pub declared: Option<usize>,
    /// The value, cut where the area ends.
    pub value: &'a [u8],
}

/// The options before End, each as its code, length and value, or
/// [`Error::OptionOverrun`] for one the area cuts short (the last item).
fn whole_options(bytes: &[u8]) -> impl Iterator<Item = Result<(u8, usize, &[u8]), Error>> + '_ {
    raw_options(bytes)
        .take_while(|raw| raw.code != 255)
        .map(|raw| match raw.declared.filter(|&n| n == raw.value.len()) {
            Some(len) => Ok((raw.code, len, raw.value)),
            None => Err(Error::OptionOverrun { code: raw.code }),
        })
}

/// The options of an options area in wire order, Pads skipped; End is the
/// last one yielded, and so is an option the area cuts short (its value
/// shorter than `declared`). Never panics.
pub fn raw_options(bytes: &[u8]) -> impl Iterator<Item = RawOption<'_>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while bytes.get(i) == Some(&0) {
            i += 1;
        }
        let &code = bytes.get(i)?;
        let at = i;
        if code == 255 {
            i = bytes.len();
            return Some(RawOption {
                code,
                at,
                declared: None,
                value: &[],
            });
        }
        let Some(&len) = bytes.get(i + 1) else {
            i = bytes.len();
            return Some(RawOption {
                code,
                at,
                declared: None,
                value: &[],
            });
        };
        let len = usize::from(len);
        let start = i + 2;
        let end = (start + len).min(bytes.len());
        i = if start + len > bytes.len() {
            bytes.len()
        } else {
            end
        };
        Some(RawOption {
            code,
            at,
            declared: Some(len),
            value: &bytes[start..end],
        })
    })
}

impl Options {
    /// What [`Options::parse`] says of the area, `Ok` or the same error,
    /// without decoding or allocating anything (a trace classifying a
    /// frame only asks whether it parses).
    ///
    /// # Errors
    /// The error [`Options::parse`] returns.
    pub fn check(bytes: &[u8]) -> Result<(), Error> {
        for option in whole_options(bytes) {
            let (code, len, _) = option?;
            let fits = match OptionCode::from(code) {
                OptionCode::MessageType => len == 1,
                OptionCode::SubnetMask
                | OptionCode::RequestedIp
                | OptionCode::ServerId
                | OptionCode::LeaseTime
                | OptionCode::RenewalTime
                | OptionCode::RebindingTime => len == 4,
                OptionCode::Router | OptionCode::DomainNameServer => {
                    len != 0 && len.is_multiple_of(4)
                }
                _ => true,
            };
            if !fits {
                return Err(Error::BadOptionLength { code, len });
            }
        }
        Ok(())
    }

    /// Parses the options area (after the magic cookie).
    ///
    /// # Errors
    /// [`Error::OptionOverrun`] if a length runs past the end,
    /// [`Error::BadOptionLength`] if a known option has an impossible length.
    pub fn parse(bytes: &[u8]) -> Result<Options, Error> {
        let mut o = Options::default();
        for option in whole_options(bytes) {
            let (code, len, v) = option?;
            match OptionCode::from(code) {
                OptionCode::MessageType => match v {
                    [t] => o.message_type = Some(MessageType::from(*t)),
                    _ => return Err(Error::BadOptionLength { code, len }),
                },
                OptionCode::SubnetMask => o.subnet_mask = Some(addr(code, v)?),
                OptionCode::Router => o.routers = addrs(code, v)?,
                OptionCode::DomainNameServer => o.dns_servers = addrs(code, v)?,
                OptionCode::DomainName => o.domain_name = Some(text(v)),
                OptionCode::HostName => o.host_name = Some(text(v)),
                OptionCode::RequestedIp => o.requested_ip = Some(addr(code, v)?),
                OptionCode::LeaseTime => o.lease_time = Some(secs(code, v)?),
                OptionCode::ServerId => o.server_id = Some(addr(code, v)?),
                OptionCode::ParameterRequestList => {
                    o.parameter_request_list = v.iter().map(|&c| OptionCode::from(c)).collect();
                }
                OptionCode::Message => o.message = Some(text(v)),
                OptionCode::RenewalTime => o.renewal_time = Some(secs(code, v)?),
                OptionCode::RebindingTime => o.rebinding_time = Some(secs(code, v)?),
                OptionCode::ClientId => o.client_id = Some(v.to_vec()),
                OptionCode::Pad | OptionCode::End | OptionCode::Unknown(_) => {
                    o.unknown.push((code, v.to_vec()));
                }
            }
        }
        Ok(o)
    }

    /// Visits each option to emit as `(code, value)`, in the order they go on
    /// the wire, with values cut to what fits.
    fn for_each(&self, mut f: impl FnMut(u8, &[u8])) {
        let mut list = Vec::new();
        let mut addrs = |code: OptionCode, a: &[Ipv4Addr], f: &mut dyn FnMut(u8, &[u8])| {
            if !a.is_empty() {
                list.clear();
                for x in a.iter().take(MAX_VALUE / 4) {
                    list.extend_from_slice(&x.octets());
                }
                f(code.into(), &list);
            }
        };
        if let Some(t) = self.message_type {
            f(53, &[u8::from(t)]);
        }
        if let Some(a) = self.server_id {
            f(54, &a.octets());
        }
        if let Some(s) = self.lease_time {
            f(51, &s.to_be_bytes());
        }
        if let Some(s) = self.renewal_time {
            f(58, &s.to_be_bytes());
        }
        if let Some(s) = self.rebinding_time {
            f(59, &s.to_be_bytes());
        }
        if let Some(a) = self.subnet_mask {
            f(1, &a.octets());
        }
        addrs(OptionCode::Router, &self.routers, &mut f);
        addrs(OptionCode::DomainNameServer, &self.dns_servers, &mut f);
        if let Some(s) = &self.domain_name {
            f(15, clip(s));
        }
        if let Some(s) = &self.host_name {
            f(12, clip(s));
        }
        if let Some(a) = self.requested_ip {
            f(50, &a.octets());
        }
        if !self.parameter_request_list.is_empty() {
            let codes: Vec<u8> = self
                .parameter_request_list
                .iter()
                .take(MAX_VALUE)
                .map(|&c| u8::from(c))
                .collect();
            f(55, &codes);
        }
        if let Some(id) = &self.client_id {
            f(61, &id[..id.len().min(MAX_VALUE)]);
        }
        if let Some(s) = &self.message {
            f(56, clip(s));
        }
        for (code, v) in &self.unknown {
            if *code != 0 && *code != 255 {
                f(*code, &v[..v.len().min(MAX_VALUE)]);
            }
        }
    }

    /// Bytes [`emit`](Self::emit) writes, including the End option.
    pub fn buffer_len(&self) -> usize {
        let mut n = 1;
        self.for_each(|_, v| n += 2 + v.len());
        n
    }

    /// Writes the options and the End option into `buf`, which must be at
    /// least [`buffer_len`](Self::buffer_len) long; the rest is left as is.
    pub fn emit(&self, buf: &mut [u8]) {
        let mut at = 0;
        self.for_each(|code, v| {
            buf[at] = code;
            buf[at + 1] = v.len() as u8;
            buf[at + 2..at + 2 + v.len()].copy_from_slice(v);
            at += 2 + v.len();
        });
        buf[at] = 255;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_pads_and_keeps_unknown() {
        let bytes = [
            53, 1, 1, 0, 0, 1, 4, 255, 255, 255, 0, 3, 8, 192, 168, 1, 1, 10, 0, 0, 1, 43, 2, 9, 9,
            12, 3, b'p', b'c', 0, 255, 77,
        ];
        let o = Options::parse(&bytes).unwrap();
        assert_eq!(o.message_type, Some(MessageType::Discover));
        assert_eq!(o.subnet_mask, Some(Ipv4Addr::new(255, 255, 255, 0)));
        assert_eq!(o.routers.len(), 2);
        assert_eq!(o.unknown, vec![(43, vec![9, 9])]);
        assert_eq!(o.host_name.as_deref(), Some("pc"));
    }

    #[test]
    fn rejects_bad_lengths_and_overruns() {
        assert_eq!(
            Options::parse(&[1, 3, 1, 2, 3]),
            Err(Error::BadOptionLength { code: 1, len: 3 })
        );
        assert_eq!(
            Options::parse(&[3, 9, 1]),
            Err(Error::OptionOverrun { code: 3 })
        );
        assert_eq!(
            Options::parse(&[61]),
            Err(Error::OptionOverrun { code: 61 })
        );
    }

    #[test]
    fn long_values_are_clipped_on_emit() {
        let o = Options {
            domain_name: Some("é".repeat(200)),
            dns_servers: vec![Ipv4Addr::LOCALHOST; 100],
            ..Options::default()
        };
        let mut buf = vec![0; o.buffer_len()];
        o.emit(&mut buf);
        let back = Options::parse(&buf).unwrap();
        assert_eq!(back.domain_name.unwrap().len(), 254);
        assert_eq!(back.dns_servers.len(), 63);
    }
}
