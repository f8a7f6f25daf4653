//! A router's areas and their databases, in area order: a map from area
//! to database kept as a short sorted vector (a router has one area, two
//! on an ABR, rarely more), looked up with a scan of a few ids instead of
//! a search of a tree, for every LSA received.

use std::net::Ipv4Addr;

use super::db::Db;

/// Databases by area, in area order (iterated as a map by area would be).
#[derive(Clone, Debug, Default)]
pub(super) struct Areas {
    list: Vec<(Ipv4Addr, Db)>,
}

impl Areas {
    pub fn new() -> Self {
        Self::default()
    }

    /// The database of `area`.
    pub fn get(&self, area: &Ipv4Addr) -> Option<&Db> {
        self.list.iter().find(|(a, _)| a == area).map(|(_, d)| d)
    }

    pub fn get_mut(&mut self, area: &Ipv4Addr) -> Option<&mut Db> {
        self.list
            .iter_mut()
            .find(|(a, _)| a == area)
            .map(|(_, d)| d)
    }

    /// Adds `area` with an empty database unless it is there.
    pub fn add(&mut self, area: Ipv4Addr) {
        if let Err(at) = self.list.binary_search_by_key(&area, |(a, _)| *a) {
            self.list.insert(at, (area, Db::new()));
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The areas, in order.
    pub fn keys(&self) -> impl Iterator<Item = &Ipv4Addr> {
        self.list.iter().map(|(a, _)| a)
    }

    /// The areas and their databases, in area order.
    pub fn iter(&self) -> impl Iterator<Item = (&Ipv4Addr, &Db)> {
        self.list.iter().map(|(a, d)| (a, d))
    }
}

impl<'a> IntoIterator for &'a Areas {
    type Item = (&'a Ipv4Addr, &'a Db);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Ipv4Addr, Db)>,
        fn(&'a (Ipv4Addr, Db)) -> (&'a Ipv4Addr, &'a Db),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter().map(|(a, d)| (a, d))
    }
}
