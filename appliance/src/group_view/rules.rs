//! The rules of the group views and the set that holds them.
//!
//! | kind | target | actions |
//! |---|---|---|
//! | `device` | a device (by MAC once known, else its address) | `hide` (its traffic becomes "Hidden devices"), `clear` (its nickname is not shown: its pseudonym is), `lock` (its owner cannot set a nickname) |
//! | `nickname` | a nickname's text (any device using it) | `hide` (the pseudonym is shown instead) |
//! | `domain` | a registrable domain | `hide` (its rows become "Hidden website", totals kept) |
//! | `names` | — | `hide`: "names off", only pseudonyms in the group views |
//!
//! Every rule is undone by removing it. Bounded: [`MAX_RULES`] rules, targets of at most
//! [`MAX_TARGET_CHARS`] characters.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::config::GroupNames;
use crate::correlate::paths::Hidden;
use crate::devices::registry::hardware_key;
use crate::devices::{DeviceInfo, MacAddr};
use crate::model::{DeviceId, DeviceIdentity, Domain};

/// Most rules in a session (a classroom needs a handful; a script cannot grow it forever).
pub const MAX_RULES: usize = 1_024;

/// Most characters of a rule's target.
pub const MAX_TARGET_CHARS: usize = 256;

/// Why a rule was refused or not found (the message names the field at fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupViewError {
    /// Not a kind of rule.
    #[error("kind: {0:?} is not \"device\", \"nickname\", \"domain\" or \"names\"")]
    Kind(String),
    /// Not an action.
    #[error("action: {0:?} is not \"hide\", \"clear\" or \"lock\"")]
    Action(String),
    /// An action the kind does not have.
    #[error("action: a {kind} rule can only {allowed}")]
    NotFor {
        /// The kind.
        kind: RuleKind,
        /// Its actions, in words.
        allowed: &'static str,
    },
    /// The target is missing, too long or not of its kind.
    #[error("target: {0}")]
    Target(String),
    /// The same rule is already in place.
    #[error("this rule is already in place (rule {0})")]
    Duplicate(u64),
    /// [`MAX_RULES`] rules already.
    #[error("at most {MAX_RULES} rules per session; undo some first")]
    Full,
    /// No rule with this id.
    #[error("there is no rule {0}")]
    NoSuchRule(u64),
}

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// One device.
    Device,
    /// A nickname's text.
    Nickname,
    /// A registrable domain.
    Domain,
    /// Every device's name ("names off").
    Names,
}

impl RuleKind {
    /// As written in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Device => "device",
            RuleKind::Nickname => "nickname",
            RuleKind::Domain => "domain",
            RuleKind::Names => "names",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleKind {
    type Err = GroupViewError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "device" => RuleKind::Device,
            "nickname" => RuleKind::Nickname,
            "domain" => RuleKind::Domain,
            "names" => RuleKind::Names,
            other => return Err(GroupViewError::Kind(other.chars().take(40).collect())),
        })
    }
}

impl Serialize for RuleKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleAction {
    /// Keep it off the group views.
    Hide,
    /// Show the device's pseudonym instead of its nickname.
    Clear,
    /// Its owner cannot set a nickname.
    Lock,
}

impl RuleAction {
    /// As written in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Hide => "hide",
            RuleAction::Clear => "clear",
            RuleAction::Lock => "lock",
        }
    }
}

impl FromStr for RuleAction {
    type Err = GroupViewError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "hide" => RuleAction::Hide,
            "clear" => RuleAction::Clear,
            "lock" => RuleAction::Lock,
            other => return Err(GroupViewError::Action(other.chars().take(40).collect())),
        })
    }
}

impl Serialize for RuleAction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The device a rule is about: by its MAC address once known, so the rule follows it across
/// addresses (and a restart, where the opaque identity keys change); else by its address.
/// The MAC stays inside the appliance: the API shows the device's identity key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeviceTarget {
    /// Known by MAC.
    Mac(MacAddr),
    /// Only its address is known.
    Address(IpAddr),
}

impl DeviceTarget {
    /// The identity the registry gives this device.
    pub fn identity(self) -> DeviceIdentity {
        match self {
            DeviceTarget::Mac(m) => DeviceIdentity::Hardware(hardware_key(m)),
            DeviceTarget::Address(ip) => DeviceIdentity::Address(ip),
        }
    }
}

/// A rule's target.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A device.
    Device(DeviceTarget),
    /// A nickname, spaces tidied and lower case (matched so).
    Nickname(String),
    /// A registrable domain.
    Domain(Domain),
    /// Everyone (`names`).
    All,
}

impl Target {
    /// The kind of rule the target belongs to.
    pub fn kind(&self) -> RuleKind {
        match self {
            Target::Device(_) => RuleKind::Device,
            Target::Nickname(_) => RuleKind::Nickname,
            Target::Domain(_) => RuleKind::Domain,
            Target::All => RuleKind::Names,
        }
    }

    /// As saved in the database (`mac:…`/`ip:…` for a device; the MAC never leaves it).
    pub fn stored(&self) -> String {
        match self {
            Target::Device(DeviceTarget::Mac(m)) => format!("mac:{m}"),
            Target::Device(DeviceTarget::Address(ip)) => format!("ip:{ip}"),
            Target::Nickname(n) => n.clone(),
            Target::Domain(d) => d.to_string(),
            Target::All => String::new(),
        }
    }

    /// Back from [`Target::stored`].
    pub fn from_stored(kind: RuleKind, s: &str) -> Result<Target, GroupViewError> {
        match kind {
            RuleKind::Device => {
                let bad = || GroupViewError::Target(format!("{s:?} is not a saved device"));
                if let Some(m) = s.strip_prefix("mac:") {
                    Ok(Target::Device(DeviceTarget::Mac(
                        m.parse().map_err(|_| bad())?,
                    )))
                } else if let Some(ip) = s.strip_prefix("ip:") {
                    Ok(Target::Device(DeviceTarget::Address(
                        ip.parse().map_err(|_| bad())?,
                    )))
                } else {
                    Err(bad())
                }
            }
            RuleKind::Nickname => Target::nickname(s),
            RuleKind::Domain => Target::domain(s),
            RuleKind::Names => Ok(Target::All),
        }
    }

    /// A nickname target from what the admin typed: spaces tidied, lower case, no control
    /// characters, at most [`MAX_TARGET_CHARS`].
    pub fn nickname(raw: &str) -> Result<Target, GroupViewError> {
        let text = text_target(raw)?;
        Ok(Target::Nickname(normalise_nickname(&text)))
    }

    /// A domain target: a domain name (letters, digits, `-`, `_`, dots), cut to its
    /// registrable domain (the group views group by it: "mail.example.com" hides
    /// example.com).
    pub fn domain(raw: &str) -> Result<Target, GroupViewError> {
        let text = text_target(raw)?;
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(GroupViewError::Target(format!(
                "{text:?} is not a domain name (letters, digits, '-', '.')"
            )));
        }
        let d = Domain::new(&text).map_err(|e| GroupViewError::Target(format!("{text:?}: {e}")))?;
        Ok(Target::Domain(
            crate::enrich::suffix::registrable_domain(&d).unwrap_or(d),
        ))
    }
}

/// A typed target: trimmed, not empty, not too long, no control characters.
fn text_target(raw: &str) -> Result<String, GroupViewError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(GroupViewError::Target("empty".into()));
    }
    if t.chars().count() > MAX_TARGET_CHARS {
        return Err(GroupViewError::Target(format!(
            "longer than {MAX_TARGET_CHARS} characters"
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(GroupViewError::Target("control characters".into()));
    }
    Ok(t.to_owned())
}

/// A nickname as rules compare it: runs of spaces as one, lower case.
fn normalise_nickname(n: &str) -> String {
    n.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Its number in the session (for undo).
    pub id: u64,
    /// What it does.
    pub action: RuleAction,
    /// What it is about (its kind follows).
    pub target: Target,
    /// When the admin made it.
    pub created_at: DateTime<Utc>,
}

impl Rule {
    /// A checked rule (`id` given by [`Grouping::add`]).
    pub fn new(
        target: Target,
        action: RuleAction,
        created_at: DateTime<Utc>,
    ) -> Result<Rule, GroupViewError> {
        let kind = target.kind();
        let ok = match kind {
            RuleKind::Device => true,
            RuleKind::Nickname | RuleKind::Domain | RuleKind::Names => action == RuleAction::Hide,
        };
        if !ok {
            return Err(GroupViewError::NotFor {
                kind,
                allowed: "hide",
            });
        }
        Ok(Rule {
            id: 0,
            action,
            target,
            created_at,
        })
    }

    /// Its kind.
    pub fn kind(&self) -> RuleKind {
        self.target.kind()
    }
}

/// The session's rules. Changes bump [`Grouping::generation`] (views cache by it).
#[derive(Debug, Default)]
pub struct Grouping {
    rules: Vec<Rule>,
    next_id: u64,
    generation: u64,
}

impl Grouping {
    /// The rules, oldest first.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Changes so far (a view built at another generation is stale).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether `rule` may be added (not a duplicate, room left).
    pub fn check(&self, rule: &Rule) -> Result<(), GroupViewError> {
        if let Some(r) = self
            .rules
            .iter()
            .find(|r| r.action == rule.action && r.target == rule.target)
        {
            return Err(GroupViewError::Duplicate(r.id));
        }
        if self.rules.len() >= MAX_RULES {
            return Err(GroupViewError::Full);
        }
        Ok(())
    }

    /// The id the next rule gets.
    pub fn next_id(&self) -> u64 {
        self.next_id.max(1)
    }

    /// Add a rule under [`Grouping::next_id`]; its id.
    pub fn add(&mut self, mut rule: Rule) -> Result<u64, GroupViewError> {
        self.check(&rule)?;
        rule.id = self.next_id();
        self.next_id = rule.id + 1;
        self.rules.push(rule);
        self.generation += 1;
        Ok(self.next_id - 1)
    }

    /// Undo a rule.
    pub fn remove(&mut self, id: u64) -> Result<Rule, GroupViewError> {
        let i = self
            .rules
            .iter()
            .position(|r| r.id == id)
            .ok_or(GroupViewError::NoSuchRule(id))?;
        self.generation += 1;
        Ok(self.rules.remove(i))
    }

    /// Replace every rule (restored at start, or none for a new session), keeping at most
    /// [`MAX_RULES`].
    pub fn replace_all(&mut self, mut rules: Vec<Rule>) {
        rules.truncate(MAX_RULES);
        self.next_id = rules.iter().map(|r| r.id + 1).max().unwrap_or(1);
        self.rules = rules;
        self.generation += 1;
    }

    fn device_rule(&self, id: DeviceIdentity, action: RuleAction) -> bool {
        self.rules.iter().any(|r| {
            r.action == action && matches!(r.target, Target::Device(t) if t.identity() == id)
        })
    }

    /// "Names off": only pseudonyms in the group views.
    pub fn names_off(&self) -> bool {
        self.rules.iter().any(|r| r.target == Target::All)
    }

    /// The device is hidden from the group views.
    pub fn hides_device(&self, id: DeviceIdentity) -> bool {
        self.device_rule(id, RuleAction::Hide)
    }

    /// Its owner may not set a nickname.
    pub fn locked(&self, id: DeviceIdentity) -> bool {
        self.device_rule(id, RuleAction::Lock)
    }

    /// The group views must not show this device's nickname `nickname` (cleared for the
    /// device, the text hidden, or names off).
    pub fn hides_nickname(&self, id: DeviceIdentity, nickname: &str) -> bool {
        if self.names_off() || self.device_rule(id, RuleAction::Clear) {
            return true;
        }
        let n = normalise_nickname(nickname);
        self.rules
            .iter()
            .any(|r| matches!(&r.target, Target::Nickname(t) if *t == n))
    }

    /// The name the group views show for device `id` (described by `info`): like
    /// [`DeviceInfo::group_name`], but a hidden nickname gives way to the pseudonym, and
    /// with names off only the pseudonym is shown (not even host names).
    pub fn group_name(
        &self,
        id: DeviceIdentity,
        info: &DeviceInfo,
        names: GroupNames,
    ) -> crate::devices::DeviceName {
        if self.names_off() {
            return crate::devices::DeviceName::Pseudonym(info.pseudonym);
        }
        let shown = info
            .nickname
            .as_deref()
            .filter(|n| !self.hides_nickname(id, n));
        match shown {
            Some(n) => crate::devices::DeviceName::Given(n.to_owned()),
            None => DeviceInfo {
                nickname: None,
                ..info.clone()
            }
            .group_name(names),
        }
    }

    /// The device and domain rules resolved for one read: `addresses` gives a device's
    /// addresses now (the registry's).
    pub fn resolve(&self, addresses: impl Fn(DeviceIdentity) -> Vec<IpAddr>) -> Hidden {
        let mut h = Hidden::default();
        for r in self.rules.iter().filter(|r| r.action == RuleAction::Hide) {
            match &r.target {
                Target::Device(t) => {
                    let id = t.identity();
                    h.identities.insert(id);
                    if let DeviceTarget::Address(ip) = t {
                        h.devices.insert(DeviceId(*ip));
                    }
                    h.devices.extend(addresses(id).into_iter().map(DeviceId));
                }
                Target::Domain(d) => {
                    h.domains.insert(d.clone());
                }
                Target::Nickname(_) | Target::All => {}
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }

    #[test]
    fn kinds_take_only_their_actions() {
        let t = Target::domain("Mail.Example.COM.").unwrap();
        assert_eq!(t, Target::Domain(Domain::new("example.com").unwrap()));
        assert!(Rule::new(t.clone(), RuleAction::Hide, at()).is_ok());
        assert!(matches!(
            Rule::new(t, RuleAction::Lock, at()),
            Err(GroupViewError::NotFor { .. })
        ));
        assert!(Target::domain("exa mple.com").is_err());
        assert!(Target::domain(&"a".repeat(300)).is_err());
        assert!(Target::nickname("  ").is_err());
        assert!(Target::nickname("a\u{7}").is_err());
        assert_eq!(
            Target::nickname("  Alice   SMITH ").unwrap(),
            Target::Nickname("alice smith".into())
        );
        assert!("block".parse::<RuleAction>().is_err());
        assert!("person".parse::<RuleKind>().is_err());
    }

    #[test]
    fn stored_targets_come_back() {
        for t in [
            Target::Device(DeviceTarget::Mac(mac("02:00:00:00:00:01"))),
            Target::Device(DeviceTarget::Address("2001:db8::1".parse().unwrap())),
            Target::nickname("Bob").unwrap(),
            Target::domain("example.org").unwrap(),
            Target::All,
        ] {
            assert_eq!(Target::from_stored(t.kind(), &t.stored()), Ok(t.clone()));
        }
        assert!(Target::from_stored(RuleKind::Device, "02:00:00:00:00:01").is_err());
    }

    #[test]
    fn add_check_undo_and_bounds() {
        let mut g = Grouping::default();
        let dev = DeviceTarget::Mac(mac("02:00:00:00:00:01"));
        let hide = Rule::new(Target::Device(dev), RuleAction::Hide, at()).unwrap();
        let id = g.add(hide.clone()).unwrap();
        assert_eq!(g.add(hide.clone()), Err(GroupViewError::Duplicate(id)));
        assert!(g.hides_device(dev.identity()));
        let gen = g.generation();
        assert_eq!(g.remove(id).map(|r| r.id), Ok(id));
        assert!(g.generation() > gen);
        assert!(!g.hides_device(dev.identity()));
        assert_eq!(g.remove(id), Err(GroupViewError::NoSuchRule(id)));
        for i in 0..MAX_RULES {
            let t = Target::nickname(&format!("name {i}")).unwrap();
            g.add(Rule::new(t, RuleAction::Hide, at()).unwrap())
                .unwrap();
        }
        let t = Target::nickname("one more").unwrap();
        assert_eq!(
            g.add(Rule::new(t, RuleAction::Hide, at()).unwrap()),
            Err(GroupViewError::Full)
        );
        // Ids keep counting after a restore.
        let rules = g.rules().to_vec();
        let mut back = Grouping::default();
        back.replace_all(rules);
        assert_eq!(back.next_id(), (MAX_RULES as u64) + 2);
    }

    #[test]
    fn names_shown_in_group_views() {
        let r = crate::devices::DeviceRegistry::new(4);
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        r.set_nickname(ip, "Alice Smith").unwrap();
        let info = r.describe(ip);
        let id = r.identity(ip);
        let pseudo = info.pseudonym.to_string();
        let mut g = Grouping::default();
        assert_eq!(
            g.group_name(id, &info, GroupNames::Pseudonym),
            "Alice Smith"
        );
        let t = Target::nickname("alice  smith").unwrap();
        let rid = g
            .add(Rule::new(t, RuleAction::Hide, at()).unwrap())
            .unwrap();
        assert_eq!(g.group_name(id, &info, GroupNames::Pseudonym), pseudo);
        g.remove(rid).unwrap();
        let t = Target::Device(DeviceTarget::Address(ip));
        let rid = g
            .add(Rule::new(t, RuleAction::Clear, at()).unwrap())
            .unwrap();
        assert_eq!(g.group_name(id, &info, GroupNames::Pseudonym), pseudo);
        g.remove(rid).unwrap();
        let named = DeviceInfo {
            nickname: None,
            hostname: Some("alice-laptop".into()),
            ..info.clone()
        };
        assert_eq!(
            g.group_name(id, &named, GroupNames::Hostname),
            "alice-laptop"
        );
        g.add(Rule::new(Target::All, RuleAction::Hide, at()).unwrap())
            .unwrap();
        assert_eq!(g.group_name(id, &named, GroupNames::Hostname), pseudo);
        assert_eq!(g.group_name(id, &info, GroupNames::Pseudonym), pseudo);
    }

    #[test]
    fn resolve_lists_every_address_of_a_hidden_device() {
        let mut g = Grouping::default();
        let m = mac("02:00:00:00:00:01");
        let ips: Vec<IpAddr> = vec![
            "192.0.2.10".parse().unwrap(),
            "2001:db8::a".parse().unwrap(),
        ];
        g.add(Rule::new(Target::Device(DeviceTarget::Mac(m)), RuleAction::Hide, at()).unwrap())
            .unwrap();
        g.add(
            Rule::new(
                Target::domain("example.com").unwrap(),
                RuleAction::Hide,
                at(),
            )
            .unwrap(),
        )
        .unwrap();
        let want = DeviceTarget::Mac(m).identity();
        let h = g.resolve(|id| if id == want { ips.clone() } else { Vec::new() });
        assert!(h.device(DeviceId(ips[1])));
        assert!(!h.device(DeviceId("192.0.2.11".parse().unwrap())));
        assert!(h.domain(Domain::new("example.com").ok().as_ref()));
        assert!(!h.domain(None));
    }
}
