//! Finding where to relay a domain's mail with the host's resolver
//! (RFC 5321 §5.1): the MX records, then the address of the most
//! preferred exchanger — or, with no MX at all, the address of the domain
//! itself.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use lanlab_proto::dns::{LookupResult, Name, Question, RData, RecordType};
use lanlab_proto::smtp;

use super::note::MailNote;
use crate::services::app::AppCx;

/// Where a relay job's route lookup ended: the address of the domain's
/// mail server, or why there is none.
pub(crate) type Route = (smtp::JobId, Result<Ipv4Addr, String>);

#[derive(Clone, Debug)]
enum Stage {
    /// Asked for MX.
    Mx,
    /// Asked for the A record of the best exchanger.
    Exchange { host: String, preference: u16 },
    /// No MX: asked for the A record of the domain itself (RFC 5321 §5.1).
    Implicit,
}

#[derive(Clone, Debug)]
struct Lookup {
    job: smtp::JobId,
    domain: String,
    stage: Stage,
}

/// The route lookups in flight, by resolver token.
#[derive(Clone, Debug)]
pub(crate) struct MxLookups {
    lookups: BTreeMap<u64, Lookup>,
    next_token: u64,
}

impl Default for MxLookups {
    fn default() -> Self {
        MxLookups {
            lookups: BTreeMap::new(),
            next_token: 1,
        }
    }
}

fn failure(r: &LookupResult, what: &str) -> String {
    match r {
        LookupResult::NxDomain { .. } => format!("{what} does not exist (NXDOMAIN)"),
        LookupResult::NoAnswer { .. } => format!("{what} has no such record"),
        LookupResult::Timeout { .. } => "the DNS server did not answer".into(),
        LookupResult::NoServers => "this server has no DNS server set".into(),
        LookupResult::Failed { rcode, .. } => format!("DNS server failed ({rcode:?})"),
        _ => format!("no address for {what}"),
    }
}

impl MxLookups {
    /// Starts looking up the mail server of `domain` for `job`; a route
    /// back at once means the name cannot even be asked.
    pub(crate) fn start(
        &mut self,
        cx: &mut AppCx<'_>,
        job: smtp::JobId,
        domain: String,
    ) -> Option<Route> {
        self.ask(cx, job, domain, Stage::Mx, None)
    }

    fn ask(
        &mut self,
        cx: &mut AppCx<'_>,
        job: smtp::JobId,
        domain: String,
        stage: Stage,
        name: Option<&str>,
    ) -> Option<Route> {
        let qtype = match stage {
            Stage::Mx => RecordType::Mx,
            _ => RecordType::A,
        };
        let Ok(qname) = Name::parse(name.unwrap_or(&domain)) else {
            return Some((job, Err(format!("{domain} is not a valid domain name"))));
        };
        let token = self.next_token;
        self.next_token += 1;
        self.lookups.insert(token, Lookup { job, domain, stage });
        cx.resolve(token, Question::new(qname, qtype), None);
        None
    }

    /// The resolver answered lookup `token`: asks the next question, or
    /// returns the route found (noting the exchanger chosen).
    pub(crate) fn resolved(
        &mut self,
        cx: &mut AppCx<'_>,
        token: u64,
        result: &LookupResult,
    ) -> Option<Route> {
        let l = self.lookups.remove(&token)?;
        match l.stage {
            Stage::Mx => {
                let best = match result {
                    LookupResult::Answer { records, .. } => records
                        .iter()
                        .filter_map(|r| match &r.data {
                            RData::Mx {
                                preference,
                                exchange,
                            } => Some((*preference, exchange.to_string())),
                            _ => None,
                        })
                        .min(),
                    _ => None,
                };
                match (best, result) {
                    (Some((preference, host)), _) => {
                        let host = host.trim_end_matches('.').to_string();
                        let name = host.clone();
                        self.ask(
                            cx,
                            l.job,
                            l.domain,
                            Stage::Exchange { host, preference },
                            Some(&name),
                        )
                    }
                    (None, LookupResult::NxDomain { .. }) => {
                        Some((l.job, Err(failure(result, &l.domain))))
                    }
                    (None, _) => {
                        let d = l.domain.clone();
                        self.ask(cx, l.job, l.domain, Stage::Implicit, Some(&d))
                    }
                }
            }
            Stage::Exchange { .. } | Stage::Implicit => {
                let ip = result.addresses().into_iter().find_map(|a| match a {
                    IpAddr::V4(v4) => Some(v4),
                    IpAddr::V6(_) => None,
                });
                let route = match (ip, &l.stage) {
                    (Some(addr), Stage::Exchange { host, preference }) => {
                        cx.note(MailNote::MxFound {
                            domain: l.domain.clone(),
                            host: host.clone(),
                            preference: *preference,
                            addr,
                        });
                        Ok(addr)
                    }
                    (Some(addr), _) => Ok(addr),
                    (None, Stage::Exchange { host, .. }) => Err(failure(result, host)),
                    (None, _) => Err(failure(result, &l.domain)),
                };
                Some((l.job, route))
            }
        }
    }
}
