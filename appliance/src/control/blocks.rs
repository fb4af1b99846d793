//! The blocks the admin set: a country, an organization or an address, and the addresses
//! each one puts in the block sets. Pure bookkeeping: no nftables, no clock.
//!
//! An address block is that address. A country or organization block is the addresses seen
//! for it: those of the flows listed when it is made, and then every new flow's destination
//! that matches as the flow appears ([`BlockBook::see`]). It blocks destinations as they are
//! seen, not whole address ranges: the first connection to an address not seen before is
//! let through until its flow is reported (a fraction of a second), then cut. An address
//! shared by many services (a CDN) is blocked for all of them.
//!
//! Several blocks may hold the same address; it stays in the sets until the last of them
//! is removed ([`BlockBook::remove`] says which addresses to take out).

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Complaint;

/// Longest organization name accepted.
pub const MAX_ORG_CHARS: usize = 100;

/// What a block is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A country (ISO 3166 alpha-2, as the flows' `country`).
    Country,
    /// An organization (as the flows' `org`, or the network's `as_org`; any case).
    Org,
    /// One address.
    Ip,
}

impl BlockKind {
    /// The name in the API (`country`, `org`, `ip`).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Country => "country",
            BlockKind::Org => "org",
            BlockKind::Ip => "ip",
        }
    }
}

impl std::str::FromStr for BlockKind {
    type Err = Complaint;
    fn from_str(s: &str) -> Result<Self, Complaint> {
        match s {
            "country" => Ok(BlockKind::Country),
            "org" => Ok(BlockKind::Org),
            "ip" => Ok(BlockKind::Ip),
            other => Err(Complaint::new(
                "block-kind",
                [("value", format!("{other:?}"))],
            )),
        }
    }
}

/// One block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// Unique, increasing (also across restarts).
    pub id: u64,
    /// What it is of.
    pub kind: BlockKind,
    /// The country code (upper case), organization name or address.
    pub value: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// The addresses it blocks.
    pub addresses: BTreeSet<IpAddr>,
}

/// A flow's destination, as far as blocks care.
#[derive(Clone, Copy, Debug)]
pub struct Destination<'a> {
    /// The address.
    pub ip: IpAddr,
    /// Its country (ISO alpha-2), if known.
    pub country: Option<&'a str>,
    /// The flow's organization, if known.
    pub org: Option<&'a str>,
    /// The network's registered organization, if known.
    pub as_org: Option<&'a str>,
}

impl Block {
    /// Whether a destination is this block's country or organization (address blocks match
    /// nothing new).
    pub fn matches(&self, d: &Destination<'_>) -> bool {
        match self.kind {
            BlockKind::Country => d
                .country
                .is_some_and(|c| c.eq_ignore_ascii_case(&self.value)),
            BlockKind::Org => [d.org, d.as_org]
                .into_iter()
                .flatten()
                .any(|o| o.trim().eq_ignore_ascii_case(&self.value)),
            BlockKind::Ip => false,
        }
    }
}

/// A value checked and put in its stored form: country codes upper case, organizations
/// trimmed, addresses canonical.
pub fn normalise(kind: BlockKind, value: &str) -> Result<String, Complaint> {
    let quoted = |v: &str| [("value", format!("{v:?}"))];
    let v = value.trim();
    match kind {
        BlockKind::Country => {
            if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(v.to_ascii_uppercase())
            } else {
                Err(Complaint::new("block-country", quoted(v)))
            }
        }
        BlockKind::Org => {
            if v.is_empty() {
                Err(Complaint::new("block-org-empty", []))
            } else if v.chars().count() > MAX_ORG_CHARS {
                Err(Complaint::new(
                    "block-org-long",
                    [("max", MAX_ORG_CHARS.to_string())],
                ))
            } else if v.chars().any(char::is_control) {
                Err(Complaint::new("block-org-control", []))
            } else {
                Ok(v.to_owned())
            }
        }
        BlockKind::Ip => {
            let ip: IpAddr = v
                .parse()
                .map_err(|_| Complaint::new("block-ip", quoted(v)))?;
            let ip = ip.to_canonical();
            if ip.is_unspecified() || ip.is_loopback() || ip.is_multicast() {
                return Err(Complaint::new(
                    "block-ip-never",
                    [("value", ip.to_string())],
                ));
            }
            Ok(ip.to_string())
        }
    }
}

/// Why a block could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    /// The same kind and value is blocked already.
    #[error("{} {} is blocked already (block {id})", kind.as_str(), value)]
    Duplicate {
        /// The block that exists.
        id: u64,
        /// Its kind.
        kind: BlockKind,
        /// Its value.
        value: String,
    },
    /// The block sets are full (`control.max_blocked_addresses`).
    #[error("the block sets hold {0} addresses already (control.max_blocked_addresses)")]
    Full(usize),
}

/// All blocks, and how many of them hold each address.
#[derive(Debug, Default)]
pub struct BlockBook {
    blocks: Vec<Block>,
    next_id: u64,
    refs: HashMap<IpAddr, u32>,
    max: usize,
    not_added: u64,
}

impl BlockBook {
    /// Empty, with room for `max` distinct addresses.
    pub fn new(max: usize) -> BlockBook {
        BlockBook {
            next_id: 1,
            max,
            ..BlockBook::default()
        }
    }

    /// Saved blocks back (addresses beyond the limit are dropped and counted).
    pub fn restore(&mut self, blocks: Vec<Block>, next_id: u64) {
        self.blocks.clear();
        self.refs.clear();
        self.next_id = next_id.max(1);
        for mut b in blocks {
            self.next_id = self.next_id.max(b.id + 1);
            let addrs = std::mem::take(&mut b.addresses);
            for ip in addrs {
                if self.take(ip) {
                    b.addresses.insert(ip);
                }
            }
            self.blocks.push(b);
        }
    }

    /// Count a reference to `ip`; `false` when it is new and there is no room.
    fn take(&mut self, ip: IpAddr) -> bool {
        if let Some(n) = self.refs.get_mut(&ip) {
            *n += 1;
            return true;
        }
        if self.refs.len() >= self.max {
            self.not_added += 1;
            return false;
        }
        self.refs.insert(ip, 1);
        true
    }

    /// Drop a reference; `true` when nothing holds the address any more.
    fn release(&mut self, ip: IpAddr) -> bool {
        match self.refs.get_mut(&ip) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                self.refs.remove(&ip);
                true
            }
            None => false,
        }
    }

    /// The blocks, oldest first.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The id the next block gets.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Every address some block holds.
    pub fn addresses(&self) -> Vec<IpAddr> {
        let mut v: Vec<IpAddr> = self.refs.keys().copied().collect();
        v.sort();
        v
    }

    /// How many distinct addresses are blocked.
    pub fn address_count(&self) -> usize {
        self.refs.len()
    }

    /// Addresses not added because the sets were full.
    pub fn not_added(&self) -> u64 {
        self.not_added
    }

    /// Whether any country or organization block waits for new destinations.
    pub fn has_patterns(&self) -> bool {
        self.blocks.iter().any(|b| b.kind != BlockKind::Ip)
    }

    /// Make a block of an already [`normalise`]d value, holding the matching destinations
    /// of `seen` (the flows listed now). Returns its id and the addresses that are new to
    /// the sets.
    pub fn add<'a>(
        &mut self,
        kind: BlockKind,
        value: String,
        now: DateTime<Utc>,
        seen: impl IntoIterator<Item = Destination<'a>>,
    ) -> Result<(u64, Vec<IpAddr>), BookError> {
        if let Some(b) = self
            .blocks
            .iter()
            .find(|b| b.kind == kind && b.value.eq_ignore_ascii_case(&value))
        {
            return Err(BookError::Duplicate {
                id: b.id,
                kind,
                value: b.value.clone(),
            });
        }
        let mut block = Block {
            id: self.next_id,
            kind,
            value,
            created: now,
            addresses: BTreeSet::new(),
        };
        let wanted: BTreeSet<IpAddr> = match kind {
            BlockKind::Ip => block.value.parse().into_iter().collect(),
            _ => seen
                .into_iter()
                .filter(|d| block.matches(d))
                .map(|d| d.ip.to_canonical())
                .collect(),
        };
        if kind == BlockKind::Ip
            && wanted.iter().any(|ip| !self.refs.contains_key(ip))
            && self.refs.len() >= self.max
        {
            return Err(BookError::Full(self.refs.len()));
        }
        let mut fresh = Vec::new();
        for ip in wanted {
            let new = !self.refs.contains_key(&ip);
            if self.take(ip) {
                block.addresses.insert(ip);
                if new {
                    fresh.push(ip);
                }
            }
        }
        self.next_id += 1;
        let id = block.id;
        self.blocks.push(block);
        Ok((id, fresh))
    }

    /// Remove a block; returns it and the addresses no other block holds (to take out of
    /// the sets).
    pub fn remove(&mut self, id: u64) -> Option<(Block, Vec<IpAddr>)> {
        let at = self.blocks.iter().position(|b| b.id == id)?;
        let block = self.blocks.remove(at);
        let released = block
            .addresses
            .iter()
            .copied()
            .filter(|&ip| self.release(ip))
            .collect();
        Some((block, released))
    }

    /// A flow's destination appeared: every country or organization block it matches takes
    /// the address. Returns the addresses new to the sets (at most this one).
    pub fn see(&mut self, d: &Destination<'_>) -> Vec<IpAddr> {
        let ip = d.ip.to_canonical();
        let takers: Vec<usize> = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind != BlockKind::Ip && !b.addresses.contains(&ip) && b.matches(d))
            .map(|(i, _)| i)
            .collect();
        let mut fresh = Vec::new();
        for i in takers {
            let new = !self.refs.contains_key(&ip);
            if self.take(ip) {
                self.blocks[i].addresses.insert(ip);
                if new {
                    fresh.push(ip);
                }
            }
        }
        fresh
    }

    /// Whether `d` would be taken by [`BlockBook::see`] (a cheap check before locking for
    /// the change).
    pub fn wants(&self, d: &Destination<'_>) -> bool {
        let ip = d.ip.to_canonical();
        self.blocks
            .iter()
            .any(|b| b.kind != BlockKind::Ip && !b.addresses.contains(&ip) && b.matches(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest<'a>(ip: &str, country: Option<&'a str>, org: Option<&'a str>) -> Destination<'a> {
        Destination {
            ip: ip.parse().unwrap(),
            country,
            org,
            as_org: None,
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn values_are_checked_and_normalised() {
        assert_eq!(normalise(BlockKind::Country, " nl ").unwrap(), "NL");
        assert!(normalise(BlockKind::Country, "NLD").is_err());
        assert!(normalise(BlockKind::Country, "1A").is_err());
        assert_eq!(normalise(BlockKind::Org, "  Meta ").unwrap(), "Meta");
        assert!(normalise(BlockKind::Org, "").is_err());
        assert!(normalise(BlockKind::Org, "a\u{7}b").is_err());
        assert!(normalise(BlockKind::Org, &"x".repeat(101)).is_err());
        assert_eq!(
            normalise(BlockKind::Ip, "::ffff:203.0.113.5").unwrap(),
            "203.0.113.5"
        );
        for bad in ["0.0.0.0", "127.0.0.1", "::1", "224.0.0.1", "nope"] {
            assert!(normalise(BlockKind::Ip, bad).is_err(), "{bad}");
        }
        assert_eq!("org".parse::<BlockKind>(), Ok(BlockKind::Org));
        assert!("asn".parse::<BlockKind>().is_err());
    }

    #[test]
    fn country_and_org_blocks_take_seen_and_new_destinations() {
        let mut b = BlockBook::new(100);
        let now = Utc::now();
        let seen = [
            dest("203.0.113.5", Some("NL"), Some("Example Video Co")),
            dest("203.0.113.6", Some("DE"), Some("Meta")),
            dest("203.0.113.7", None, None),
        ];
        let (nl, fresh) = b.add(BlockKind::Country, "NL".into(), now, seen).unwrap();
        assert_eq!(fresh, vec![ip("203.0.113.5")]);
        let (meta, fresh) = b.add(BlockKind::Org, "meta".into(), now, seen).unwrap();
        assert_eq!(fresh, vec![ip("203.0.113.6")]);
        assert!(b.has_patterns());
        // A new Meta destination in the Netherlands: both take it, it is new once.
        let d = dest("203.0.113.8", Some("nl"), Some("Meta"));
        assert!(b.wants(&d));
        assert_eq!(b.see(&d), vec![ip("203.0.113.8")]);
        assert!(!b.wants(&d), "already held");
        assert_eq!(b.see(&d), Vec::<IpAddr>::new());
        // By the network's organization too.
        let d = Destination {
            as_org: Some("META"),
            ..dest("203.0.113.9", None, Some("203.0.113.9"))
        };
        assert_eq!(b.see(&d), vec![ip("203.0.113.9")]);
        assert_eq!(b.address_count(), 4);
        // Removing the country block keeps what Meta also holds.
        let (gone, released) = b.remove(nl).unwrap();
        assert_eq!(gone.value, "NL");
        assert_eq!(released, vec![ip("203.0.113.5")]);
        let (_, released) = b.remove(meta).unwrap();
        assert_eq!(
            released,
            vec![ip("203.0.113.6"), ip("203.0.113.8"), ip("203.0.113.9")]
        );
        assert_eq!(b.address_count(), 0);
        assert!(b.remove(meta).is_none());
    }

    #[test]
    fn duplicates_limits_and_restore() {
        let mut b = BlockBook::new(2);
        let now = Utc::now();
        let (a, fresh) = b.add(BlockKind::Ip, "203.0.113.5".into(), now, []).unwrap();
        assert_eq!(fresh, vec![ip("203.0.113.5")]);
        assert!(matches!(
            b.add(BlockKind::Ip, "203.0.113.5".into(), now, []),
            Err(BookError::Duplicate { id, .. }) if id == a
        ));
        b.add(BlockKind::Ip, "203.0.113.6".into(), now, []).unwrap();
        assert_eq!(
            b.add(BlockKind::Ip, "203.0.113.7".into(), now, []),
            Err(BookError::Full(2))
        );
        // A pattern block over the limit keeps what fits and counts the rest.
        let (_, fresh) = b
            .add(
                BlockKind::Country,
                "NL".into(),
                now,
                [dest("203.0.113.9", Some("NL"), None)],
            )
            .unwrap();
        assert!(fresh.is_empty());
        assert_eq!(b.not_added(), 1);
        // Restored: ids continue after the largest.
        let saved = b.blocks().to_vec();
        let mut r = BlockBook::new(10);
        r.restore(saved, 2);
        assert_eq!(r.next_id(), 4);
        assert_eq!(r.address_count(), 2);
        assert_eq!(r.addresses(), vec![ip("203.0.113.5"), ip("203.0.113.6")]);
    }
}
