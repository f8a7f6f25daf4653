//! The lab's router names for the OSPF and RIP notes: every router's
//! interface addresses and OSPF router ID mapped to its hostname, handed to
//! every router when a router boots or its configuration changes.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::device::Node;

use super::Engine;

impl Engine {
    /// Rebuilds the router names and gives them to every router (a
    /// rebooted one included).
    pub(super) fn refresh_router_names(&mut self) {
        let mut names = BTreeMap::new();
        for (dev, node) in self.nodes.iter().enumerate() {
            if let Node::Router(r) = node {
                let name: Rc<str> = Rc::from(self.lab.devices[dev].name.as_str());
                for a in r.name_keys() {
                    names.entry(a).or_insert_with(|| name.clone());
                }
            }
        }
        if self.router_names.as_ref() != &names {
            self.router_names = Rc::new(names);
        }
        for node in &mut self.nodes {
            if let Node::Router(r) = node {
                r.set_router_names(self.router_names.clone());
            }
        }
    }
}
