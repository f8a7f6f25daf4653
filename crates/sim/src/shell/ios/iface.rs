//! Interface names as IOS reads them: long or short (`GigabitEthernet0/0`,
//! `Gi0/0`, `g0/0`, `fa0/1`), sub-interfaces (`g0/0.10`), a switch's
//! `vlan 1`, and ranges (`g0/0 - 2, g0/3`).

use crate::lab::Device;

/// What an interface name refers to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IfRef {
    /// A port, by index.
    Port(usize),
    /// A sub-interface of a port.
    Sub(usize, u32),
    /// A switch's VLAN interface.
    Vlan(u16),
}

fn split(w: &str) -> (&str, &str) {
    let k = w.find(|c: char| c.is_ascii_digit()).unwrap_or(w.len());
    (&w[..k], &w[k..])
}

/// The port, sub-interface or VLAN interface `w` names on `d`.
pub fn resolve(d: &Device, w: &str) -> Option<IfRef> {
    let (kind, num) = split(w);
    if kind.is_empty() || num.is_empty() {
        return None;
    }
    let kind = kind.to_ascii_lowercase();
    if "vlan".starts_with(&kind) {
        return d
            .kind
            .is_switch()
            .then(|| num.parse::<u16>().ok().filter(|v| (1..=4094).contains(v)))
            .flatten()
            .map(IfRef::Vlan);
    }
    let (base, sub) = match num.split_once('.') {
        Some((b, s)) => (b, Some(s.parse::<u32>().ok().filter(|s| *s > 0)?)),
        None => (num, None),
    };
    let k = d.ports.iter().position(|p| {
        let (pk, pn) = split(&p.name);
        pn == base && pk.to_ascii_lowercase().starts_with(&kind)
    })?;
    Some(match sub {
        Some(s) => IfRef::Sub(k, s),
        None => IfRef::Port(k),
    })
}

/// The ports of `interface range` text (`g0/0 - 2`, `fa0/1-4, fa0/6`).
pub fn range(d: &Device, text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let part: String = part.split_whitespace().collect();
        if part.is_empty() {
            return None;
        }
        let (first, last) = match part.split_once('-') {
            Some((f, l)) => (f.to_string(), Some(l.parse::<u32>().ok()?)),
            None => (part.clone(), None),
        };
        let IfRef::Port(k) = resolve(d, &first)? else {
            return None;
        };
        out.push(k);
        if let Some(last) = last {
            let slash = first.rfind('/').map_or(0, |i| i + 1);
            let from: u32 = first[slash..].parse().ok()?;
            if last < from {
                return None;
            }
            for n in from + 1..=last {
                let IfRef::Port(k) = resolve(d, &format!("{}{n}", &first[..slash]))? else {
                    return None;
                };
                out.push(k);
            }
        }
    }
    out.dedup();
    Some(out)
}

/// Joins `interface g 0/0` into `g0/0` (and `vlan 1` into `vlan1`) so the
/// grammar sees one word.
pub fn join_words(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let prev = out
            .last()
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        let after_interface =
            prev.len() >= 2 && ("interface".starts_with(&prev) || "range".starts_with(&prev));
        if after_interface
            && w.chars().all(|c| c.is_ascii_alphabetic())
            && let Some(n) = words.get(i + 1)
            && n.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push(format!("{w}{n}"));
            i += 2;
            continue;
        }
        out.push(w.to_string());
        i += 1;
    }
    // Keep the line as typed when nothing was joined (carets stay exact).
    if out.len() == words.len() {
        return line.to_string();
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{Lab, Point};

    #[test]
    fn long_short_and_ranges() {
        let mut lab = Lab::new("");
        let r = lab.add_device(crate::lab::DeviceKind::Router, Point::default());
        let s = lab.add_device(crate::lab::DeviceKind::Switch, Point::default());
        let r = lab.device(r).unwrap();
        let s = lab.device(s).unwrap();
        assert_eq!(resolve(r, "g0/1"), Some(IfRef::Port(1)));
        assert_eq!(resolve(r, "Gi0/1"), Some(IfRef::Port(1)));
        assert_eq!(resolve(r, "GigabitEthernet0/2"), Some(IfRef::Port(2)));
        assert_eq!(resolve(r, "g0/0.10"), Some(IfRef::Sub(0, 10)));
        assert_eq!(resolve(r, "fa0/0"), None);
        assert_eq!(resolve(r, "vlan1"), None);
        assert_eq!(resolve(s, "fa0/1"), Some(IfRef::Port(0)));
        assert_eq!(resolve(s, "vlan1"), Some(IfRef::Vlan(1)));
        assert_eq!(range(s, "fa0/1 - 3, fa0/5"), Some(vec![0, 1, 2, 4]));
        assert_eq!(range(s, "fa0/3-1"), None);
        assert_eq!(join_words("int g 0/0"), "int g0/0");
        assert_eq!(join_words("interface vlan 1"), "interface vlan1");
        assert_eq!(
            join_words("ip address 1.1.1.1 255.0.0.0"),
            "ip address 1.1.1.1 255.0.0.0"
        );
    }
}
