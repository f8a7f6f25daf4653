//! Read-only views of the services running on a device, for the app's
//! Services tab: the DHCP lease table, the mail server's mailboxes and
//! relay queue. Nothing here changes the engine.

use lanlab_proto::dhcp::LeaseTable;

use super::Engine;
use crate::services::dhcp::DhcpServerApp;
use crate::services::dns::DnsServerApp;

/// One mailbox of a mail server, as the Services tab lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailboxView {
    /// `user@domain`.
    pub account: String,
    /// Messages in INBOX.
    pub inbox: usize,
}

impl Engine {
    /// The lease table of the DHCP server running on `device`, if one runs.
    pub fn dhcp_leases(&self, device: &str) -> Option<&LeaseTable> {
        self.host(device)?
            .service("dhcp")?
            .as_any()
            .downcast_ref::<DhcpServerApp>()
            .map(|a| a.server.leases())
    }

    /// The mailboxes of the mail server on `device` with their INBOX sizes.
    pub fn mailboxes(&self, device: &str) -> Vec<MailboxView> {
        let Some(server) = self.mail_server(device) else {
            return Vec::new();
        };
        server
            .store()
            .accounts()
            .map(|(id, acct)| MailboxView {
                account: id.to_string(),
                inbox: acct.folder("INBOX").map_or(0, |f| f.messages().len()),
            })
            .collect()
    }

    /// What the DNS server running on `device` answers for `name` and
    /// `rtype` from its zones right now: `None` when no DNS server runs or
    /// no zone holds the name (it would refuse or recurse).
    pub fn dns_answer(
        &self,
        device: &str,
        name: &lanlab_proto::dns::Name,
        rtype: lanlab_proto::dns::RecordType,
    ) -> Option<lanlab_proto::dns::ZoneAnswer> {
        let app = self
            .host(device)?
            .service("dns")?
            .as_any()
            .downcast_ref::<DnsServerApp>()?;
        Some(app.auth.find_zone(name)?.lookup(name, rtype))
    }

    /// The recursive resolver's cache of the DNS server on `device`, one
    /// line per entry (empty when recursion is off).
    pub fn dns_cache(&self, device: &str) -> Vec<String> {
        let Some(app) = self
            .host(device)
            .and_then(|h| h.service("dns"))
            .and_then(|a| a.as_any().downcast_ref::<DnsServerApp>())
        else {
            return Vec::new();
        };
        app.resolver
            .as_ref()
            .map(|r| {
                r.cache()
                    .entries()
                    .iter()
                    .map(|e| e.describe(self.now))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many packets each rule of the host firewall on `device` decided,
    /// in rule order (empty when the device has no firewall). The counts
    /// live in the engine: a rebuilt engine starts again at zero.
    pub fn firewall_hits(&self, device: &str) -> Vec<u64> {
        self.host(device)
            .map(|h| h.firewall_hits().to_vec())
            .unwrap_or_default()
    }

    /// How many messages wait in the relay queue of the mail server on `device`.
    pub fn mail_queue_len(&self, device: &str) -> usize {
        self.mail_server(device)
            .map_or(0, |s| s.queue().jobs().len())
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    #[test]
    fn s1_leases_and_mailboxes_are_visible() {
        let text = include_str!("../../../../public/labs/s1-one-server.json");
        let lab: crate::Lab = serde_json::from_str(text).unwrap();
        let mut e = Engine::new(&lab).unwrap();
        e.run_until(lanlab_proto::SimTime::from_micros(25_000_000));
        let leases = e.dhcp_leases("Server0").expect("a DHCP server runs");
        assert_eq!(leases.leases.len(), 2, "{leases:?}");
        assert!(e.dhcp_leases("PC0").is_none());
        let boxes = e.mailboxes("Server0");
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert_eq!(e.mail_queue_len("Server0"), 0);
        let name = lanlab_proto::dns::Name::parse("www.hasan.com").unwrap();
        let ans = e.dns_answer("Server0", &name, lanlab_proto::dns::RecordType::A);
        let Some(lanlab_proto::dns::ZoneAnswer::Answer(recs)) = ans else {
            panic!("{ans:?}");
        };
        assert_eq!(recs.len(), 2, "CNAME then A: {recs:?}");
        let other = lanlab_proto::dns::Name::parse("example.org").unwrap();
        assert!(
            e.dns_answer("Server0", &other, lanlab_proto::dns::RecordType::A)
                .is_none()
        );
        assert!(e.dns_cache("Server0").is_empty());
    }

    #[test]
    fn a_blocked_ping_counts_a_hit_on_the_host_firewall_rule() {
        use lanlab_proto::SimTime;
        use lanlab_proto::firewall::{
            Action as Verdict, Direction, HostFirewallConfig, HostRule, RuleProtocol,
        };
        let text = include_str!("../../../../public/labs/s1-one-server.json");
        let mut lab: crate::Lab = serde_json::from_str(text).unwrap();
        lab.actions.clear();
        let rule = |action, protocol| HostRule {
            action,
            direction: Direction::In,
            protocol,
            remote: None,
            ports: None,
        };
        let server = lab
            .devices
            .iter_mut()
            .find(|d| d.name == "Server0")
            .unwrap();
        server.services.firewall = Some(HostFirewallConfig {
            enabled: true,
            // Rule 1 (TCP allow) never sees a ping; rule 2 denies it.
            rules: vec![
                rule(Verdict::Allow, RuleProtocol::Tcp),
                rule(Verdict::Deny, RuleProtocol::Icmp),
            ],
            ..HostFirewallConfig::default()
        });
        let mut e = Engine::new(&lab).unwrap();
        assert_eq!(e.firewall_hits("Server0"), vec![0, 0]);
        assert!(e.firewall_hits("PC0").is_empty(), "no firewall on PC0");
        assert!(e.firewall_hits("nobody").is_empty());
        let job = e
            .act(crate::Action::Ping {
                device: "PC0".into(),
                target: "192.168.1.1".into(),
                count: Some(2),
            })
            .unwrap()
            .unwrap();
        e.run_until(SimTime::from_micros(20_000_000));
        let out = &e.job(job).unwrap().output;
        assert!(out.contains("Received = 0"), "{out}");
        assert_eq!(
            e.firewall_hits("Server0"),
            vec![0, 2],
            "two echo requests denied"
        );
    }
}
