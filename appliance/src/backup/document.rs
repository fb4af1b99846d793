//! The backup document (JSON) and its checks: the version first, then every key's type
//! (unknown keys refused), then every value the way the config file and the admin's forms
//! check it. Every problem is listed with its key path (`settings.history.retention_days`,
//! `nicknames[2].mac`); a document with any problem gives a [`BackupError`] and no
//! [`Plan`], so nothing of it is applied.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::{ConfigError, HistoryConfig};
use crate::control::BlockKind;
use crate::detect::rules::{Rule as IgnoreRule, MAX_TEMP_IGNORES};
use crate::devices::registry::validate_nickname;
use crate::devices::MacAddr;
use crate::group_view::{Rule as GroupRule, RuleAction, RuleKind, Target};

/// The format version this appliance writes and reads.
pub(crate) const VERSION: u64 = 1;
/// Largest document read (bytes).
pub(crate) const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
/// Most nicknames in a document.
const MAX_NICKNAMES: usize = 10_000;
/// Most blocks, and most devices with DNS blocking, in a document.
const MAX_CONTROLS: usize = 1_000;
/// Problems listed in a refusal (the rest are counted).
const MAX_PROBLEMS: usize = 20;

/// The whole backup.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    /// The format's version ([`VERSION`]).
    pub whereflow_backup: u64,
    /// The program that wrote it (`whereflow 0.1.0`).
    pub made_by: String,
    /// When.
    pub made_at: DateTime<Utc>,
    /// Whether `secrets` was asked for.
    #[serde(default)]
    pub secrets_included: bool,
    /// The settings the admin can change here.
    #[serde(default)]
    pub settings: Settings,
    /// Nicknames by MAC address (personal data: the backup is for the admin only).
    #[serde(default)]
    pub nicknames: Vec<Nickname>,
    /// DNS blocking and the blocks.
    #[serde(default)]
    pub controls: Controls,
    /// The admin's temporary alert ignores still in force.
    #[serde(default)]
    pub ignores: Vec<Ignore>,
    /// The projector's rules of the current session.
    #[serde(default)]
    pub group_view_rules: Vec<GroupViewRule>,
    /// Only with `?secrets=1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Secrets>,
}

/// `settings`: sections as in the config file, each checked by the section's own `validate`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Settings {
    /// `[history]` (missing keys take their defaults, as in the config file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryConfig>,
}

/// One nickname.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Nickname {
    /// `aa:bb:cc:dd:ee:ff`.
    pub mac: String,
    /// As the device or the admin gave it.
    pub nickname: String,
}

/// `controls`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Controls {
    /// DNS blocking of trackers.
    #[serde(default)]
    pub dns_block: DnsBlock,
    /// Country, organization and address blocks (their addresses are found again).
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// `controls.dns_block`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DnsBlock {
    /// For everyone.
    #[serde(default)]
    pub all: bool,
    /// For these device addresses.
    #[serde(default)]
    pub devices: Vec<IpAddr>,
}

/// One block.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Block {
    /// `country`, `org`, `ip`.
    pub kind: BlockKind,
    /// The country code, organization or address.
    pub value: String,
}

/// One temporary ignore.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ignore {
    /// The rule, as `POST /api/v1/alerts/ignores` takes it.
    pub rule: IgnoreRule,
    /// Until when.
    pub expires: DateTime<Utc>,
}

/// One projector rule, as the store keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupViewRule {
    /// `device`, `nickname`, `domain`, `names`.
    pub kind: String,
    /// `mac:…`/`ip:…` for a device, the nickname, the domain, or empty.
    pub target: String,
    /// `hide`, `clear`, `lock`.
    pub action: String,
}

/// `secrets`: only in a backup asked for with them.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Secrets {
    /// `admin.password_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password_hash: Option<String>,
    /// `metrics.token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_token: Option<String>,
    /// `wifi.passphrase`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wifi_passphrase: Option<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

impl Secrets {
    /// How many are set.
    pub(crate) fn count(&self) -> usize {
        [
            self.admin_password_hash.is_some(),
            self.metrics_token.is_some(),
            self.wifi_passphrase.is_some(),
        ]
        .iter()
        .filter(|s| **s)
        .count()
    }
}

/// Why a document was refused. Nothing of it was applied.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BackupError {
    /// Not JSON at all.
    #[error("not a whereflow backup: {0}")]
    NotJson(String),
    /// JSON, but without `whereflow_backup`.
    #[error("not a whereflow backup: the key whereflow_backup is missing")]
    NotABackup,
    /// Another format version.
    #[error("this backup is version {0}; this appliance reads version {VERSION}")]
    Version(String),
    /// Keys or values refused, each with its key path.
    #[error("the backup was refused and nothing was applied: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

/// A document that passed every check, ready to apply.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// `[history]`, when the document has it.
    pub history: Option<HistoryConfig>,
    /// Nicknames, checked.
    pub nicknames: Vec<(MacAddr, String)>,
    /// DNS blocking for everyone.
    pub dns_all: bool,
    /// DNS blocking per device.
    pub dns_devices: Vec<IpAddr>,
    /// Blocks, values normalised.
    pub blocks: Vec<(BlockKind, String)>,
    /// Ignores still in force, with their end.
    pub ignores: Vec<(IgnoreRule, DateTime<Utc>)>,
    /// Ignores that have ended since the backup was made (not restored).
    pub expired_ignores: usize,
    /// Projector rules, checked.
    pub group_rules: Vec<GroupRule>,
    /// Secrets in the document, checked (applied by `web::admin::secrets`).
    pub secrets: Option<Secrets>,
}

/// Problems found so far, each `path: reason`.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, path: impl std::fmt::Display, reason: impl std::fmt::Display) {
        self.0.push(format!("{path}: {reason}"));
    }
}

/// Read and check a document; `now` decides which ignores have ended.
pub(crate) fn parse(bytes: &[u8], now: DateTime<Utc>) -> Result<Plan, BackupError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(BackupError::NotJson(format!(
            "larger than {MAX_DOCUMENT_BYTES} bytes"
        )));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| BackupError::NotJson(e.to_string()))?;
    // The version before anything else: another version's keys would only confuse.
    match value.get("whereflow_backup") {
        None => return Err(BackupError::NotABackup),
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(other) => return Err(BackupError::Version(other.to_string())),
    }
    let doc: Document = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "(top level)".into()
        } else {
            path
        };
        BackupError::Invalid(vec![format!("{path}: {}", e.into_inner())])
    })?;
    check(doc, now)
}

/// The values of a well-typed document, checked as the config file and the forms check them.
fn check(doc: Document, now: DateTime<Utc>) -> Result<Plan, BackupError> {
    let mut p = Problems::default();
    let mut plan = Plan::default();
    if let Some(h) = doc.settings.history {
        match h.validate() {
            Ok(()) => plan.history = Some(h),
            Err(ConfigError::Invalid { key, reason, .. }) => {
                p.add(format_args!("settings.{key}"), reason)
            }
            Err(e) => p.add("settings.history", e),
        }
    }
    check_nicknames(&doc.nicknames, &mut plan, &mut p);
    check_controls(&doc.controls, &mut plan, &mut p);
    if bounded(&mut p, "ignores", doc.ignores.len(), MAX_TEMP_IGNORES) {
        for (i, ig) in doc.ignores.into_iter().enumerate() {
            if let Err(e) = ig.rule.compile() {
                p.add(format_args!("ignores[{i}].rule"), e);
            } else if ig.expires <= now {
                plan.expired_ignores += 1;
            } else {
                plan.ignores.push((ig.rule, ig.expires));
            }
        }
    }
    let max_rules = crate::group_view::rules::MAX_RULES;
    if bounded(
        &mut p,
        "group_view_rules",
        doc.group_view_rules.len(),
        max_rules,
    ) {
        for (i, r) in doc.group_view_rules.iter().enumerate() {
            match group_rule(r, now) {
                Ok(rule) => plan.group_rules.push(rule),
                Err((key, e)) => p.add(format_args!("group_view_rules[{i}].{key}"), e),
            }
        }
    }
    if let Some(s) = &doc.secrets {
        check_secrets(s, &mut p);
        plan.secrets = (s.count() > 0).then(|| s.clone());
    }
    if p.0.is_empty() {
        return Ok(plan);
    }
    let more = p.0.len().saturating_sub(MAX_PROBLEMS);
    p.0.truncate(MAX_PROBLEMS);
    if more > 0 {
        p.0.push(format!("and {more} more"));
    }
    Err(BackupError::Invalid(p.0))
}

/// Whether a list is within its bound (else a problem, and its items are not looked at).
fn bounded(p: &mut Problems, key: &str, len: usize, max: usize) -> bool {
    if len > max {
        p.add(key, format_args!("more than {max}"));
    }
    len <= max
}

fn check_nicknames(list: &[Nickname], plan: &mut Plan, p: &mut Problems) {
    if !bounded(p, "nicknames", list.len(), MAX_NICKNAMES) {
        return;
    }
    for (i, n) in list.iter().enumerate() {
        let mac = match n.mac.parse::<MacAddr>() {
            Ok(m) if m.is_unicast() => Some(m),
            Ok(_) => {
                p.add(format_args!("nicknames[{i}].mac"), "not a device's address");
                None
            }
            Err(e) => {
                p.add(format_args!("nicknames[{i}].mac"), e);
                None
            }
        };
        match validate_nickname(&n.nickname) {
            Ok(name) => plan.nicknames.extend(mac.map(|m| (m, name))),
            Err(e) => p.add(format_args!("nicknames[{i}].nickname"), e),
        }
    }
}

fn check_controls(c: &Controls, plan: &mut Plan, p: &mut Problems) {
    plan.dns_all = c.dns_block.all;
    let devices = &c.dns_block.devices;
    if bounded(p, "controls.dns_block.devices", devices.len(), MAX_CONTROLS) {
        for (i, ip) in devices.iter().enumerate() {
            let ip = ip.to_canonical();
            if ip.is_unspecified() || ip.is_multicast() {
                p.add(
                    format_args!("controls.dns_block.devices[{i}]"),
                    format_args!("{ip} is not a device's address"),
                );
            } else {
                plan.dns_devices.push(ip);
            }
        }
    }
    if bounded(p, "controls.blocks", c.blocks.len(), MAX_CONTROLS) {
        for (i, b) in c.blocks.iter().enumerate() {
            match crate::control::blocks::normalise(b.kind, &b.value) {
                Ok(v) => plan.blocks.push((b.kind, v)),
                Err(e) => p.add(format_args!("controls.blocks[{i}].value"), e),
            }
        }
    }
}

/// A stored projector rule back as a rule; the error names the key at fault.
fn group_rule(r: &GroupViewRule, now: DateTime<Utc>) -> Result<GroupRule, (&'static str, String)> {
    let kind: RuleKind = r.kind.parse().map_err(|e| ("kind", format!("{e}")))?;
    let action: RuleAction = r.action.parse().map_err(|e| ("action", format!("{e}")))?;
    let target = Target::from_stored(kind, &r.target).map_err(|e| ("target", e.to_string()))?;
    GroupRule::new(target, action, now).map_err(|e| ("action", e.to_string()))
}

fn check_secrets(s: &Secrets, p: &mut Problems) {
    if let Some(h) = &s.admin_password_hash {
        if let Err(e) = crate::config::check_password_hash(h) {
            p.add("secrets.admin_password_hash", e);
        }
    }
    if let Some(t) = &s.metrics_token {
        match crate::config::metrics::check_token(t) {
            Ok(()) => {}
            Err(ConfigError::Invalid { reason, .. }) => p.add("secrets.metrics_token", reason),
            Err(e) => p.add("secrets.metrics_token", e),
        }
    }
    if let Some(w) = &s.wifi_passphrase {
        let ok = w.is_empty()
            || ((8..=63).contains(&w.len()) && w.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        if !ok {
            p.add(
                "secrets.wifi_passphrase",
                "must be 8 to 63 printable ASCII characters (or empty for an open network)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-06T12:00:00Z".parse().unwrap()
    }

    fn doc(extra: &str) -> String {
        format!(
            "{{\"whereflow_backup\": 1, \"made_by\": \"whereflow test\", \
             \"made_at\": \"2026-12-06T10:00:00Z\"{extra}}}"
        )
    }

    fn refused(text: &str) -> String {
        match parse(text.as_bytes(), now()) {
            Ok(p) => panic!("accepted: {p:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_full_document_passes() {
        let p = parse(
            doc(r#", "settings": {"history": {"retention_days": 30}},
                "nicknames": [{"mac": "02:00:5E:10:00:20", "nickname": "Anna's phone"}],
                "controls": {"dns_block": {"all": true, "devices": ["192.168.4.20"]},
                             "blocks": [{"kind": "country", "value": "nl"}]},
                "ignores": [{"rule": {"name": "backup", "kinds": ["upload"]},
                             "expires": "2026-12-06T13:00:00Z"},
                            {"rule": {"name": "old"}, "expires": "2026-12-06T11:00:00Z"}],
                "group_view_rules": [{"kind": "domain", "target": "example.com", "action": "hide"},
                                     {"kind": "device", "target": "mac:02:00:5e:10:00:21",
                                      "action": "lock"}]"#)
            .as_bytes(),
            now(),
        )
        .unwrap();
        let h = p.history.unwrap();
        assert_eq!(h.retention_days, 30);
        assert_eq!(h.max_db_mb, HistoryConfig::default().max_db_mb, "default");
        assert_eq!(p.nicknames.len(), 1);
        assert_eq!(p.nicknames[0].0.to_string(), "02:00:5e:10:00:20");
        assert!(p.dns_all);
        assert_eq!(p.blocks, vec![(BlockKind::Country, "NL".to_string())]);
        assert_eq!(p.ignores.len(), 1);
        assert_eq!(p.expired_ignores, 1);
        assert_eq!(p.group_rules.len(), 2);
        assert!(p.secrets.is_none());
    }

    #[test]
    fn versions_and_non_backups_are_refused_clearly() {
        assert_eq!(
            refused(
                r#"{"whereflow_backup": 2, "made_by": "x", "made_at": "2026-12-06T10:00:00Z"}"#
            ),
            "this backup is version 2; this appliance reads version 1"
        );
        assert!(refused(r#"{"whereflow_backup": "1"}"#).contains("version \"1\""));
        assert!(refused(r#"{"settings": {}}"#).contains("whereflow_backup is missing"));
        assert!(refused("not json").starts_with("not a whereflow backup"));
        assert!(refused("[1]").contains("whereflow_backup is missing"));
    }

    #[test]
    fn wrong_types_and_unknown_keys_name_the_key_path() {
        let e = refused(&doc(
            r#", "settings": {"history": {"retention_days": "seven"}}"#,
        ));
        assert!(
            e.contains("settings.history.retention_days: invalid type: string"),
            "{e}"
        );
        let e = refused(&doc(r#", "settings": {"web": {"privacy_mode": true}}"#));
        assert!(e.contains("settings.web: unknown field `web`"), "{e}");
        let e = refused(&doc(r#", "settings": {"history": {"keep_old": true}}"#));
        assert!(
            e.contains("settings.history.keep_old: unknown field `keep_old`"),
            "{e}"
        );
        let e = refused(&doc(r#", "surprise": 1"#));
        assert!(e.contains("surprise: unknown field `surprise`"), "{e}");
        let e = refused(&doc(r#", "nicknames": {"mac": "x"}"#));
        assert!(
            e.contains("nicknames: invalid type: map, expected a sequence"),
            "{e}"
        );
        let e = refused(&doc(
            r#", "controls": {"dns_block": {"devices": ["nope"]}}"#,
        ));
        assert!(e.contains("controls.dns_block.devices[0]: invalid"), "{e}");
        let e = refused(&doc(
            r#", "ignores": [{"rule": {"name": "x", "kinds": ["bogus"]}, "expires": "2026-12-07T00:00:00Z"}]"#,
        ));
        assert!(
            e.contains("ignores[0].rule.kinds[0]: unknown variant"),
            "{e}"
        );
    }

    #[test]
    fn values_are_checked_like_the_config_file_and_all_problems_listed() {
        let e = refused(&doc(r#", "settings": {"history": {"retention_days": 0}},
                "nicknames": [{"mac": "02:00:5e:10:00:20", "nickname": "ok"},
                              {"mac": "zz", "nickname": "x"},
                              {"mac": "ff:ff:ff:ff:ff:ff", "nickname": ""}],
                "controls": {"dns_block": {"devices": ["0.0.0.0"]},
                             "blocks": [{"kind": "country", "value": "Netherlands"}]},
                "ignores": [{"rule": {"name": "x", "devices": ["not-an-ip"]},
                             "expires": "2026-12-07T00:00:00Z"}],
                "group_view_rules": [{"kind": "domain", "target": "example.com", "action": "lock"},
                                     {"kind": "planet", "target": "", "action": "hide"}],
                "secrets": {"admin_password_hash": "plain", "wifi_passphrase": "short",
                            "metrics_token": "short"}"#));
        for key in [
            "settings.history.retention_days: must be between 1 and 3650",
            "nicknames[1].mac",
            "nicknames[2].mac: not a device's address",
            "nicknames[2].nickname",
            "controls.dns_block.devices[0]",
            "controls.blocks[0].value",
            "ignores[0].rule",
            "group_view_rules[0].action",
            "group_view_rules[1].kind",
            "secrets.admin_password_hash",
            "secrets.wifi_passphrase",
            "secrets.metrics_token: must be at least 16 characters",
        ] {
            assert!(e.contains(key), "{key} missing from: {e}");
        }
        assert!(!e.contains("nicknames[0]"), "{e}");
        assert!(e.starts_with("the backup was refused and nothing was applied"));
    }

    #[test]
    fn a_document_written_here_reads_back() {
        let d = Document {
            whereflow_backup: VERSION,
            made_by: "whereflow test".into(),
            made_at: now(),
            secrets_included: true,
            settings: Settings {
                history: Some(HistoryConfig::default()),
            },
            nicknames: vec![Nickname {
                mac: "02:00:5e:10:00:20".into(),
                nickname: "Anna".into(),
            }],
            controls: Controls::default(),
            ignores: vec![],
            group_view_rules: vec![],
            secrets: Some(Secrets {
                metrics_token: Some("t0ken-for-scrapers".into()),
                ..Secrets::default()
            }),
        };
        let text = serde_json::to_vec(&d).unwrap();
        let p = parse(&text, now()).unwrap();
        assert_eq!(p.nicknames.len(), 1);
        assert_eq!(p.secrets.as_ref().map(Secrets::count), Some(1));
        assert!(!format!("{d:?}").contains("t0ken"), "secrets not in Debug");
    }

    #[test]
    fn lists_over_their_bound_are_refused() {
        let many: Vec<String> = (0..=MAX_CONTROLS)
            .map(|i| {
                format!(
                    "{{\"kind\": \"ip\", \"value\": \"192.0.2.{}\"}}",
                    i % 250 + 1
                )
            })
            .collect();
        let e = refused(&doc(&format!(
            ", \"controls\": {{\"blocks\": [{}]}}",
            many.join(",")
        )));
        assert!(e.contains("controls.blocks: more than 1000"), "{e}");
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert!(refused(std::str::from_utf8(&big).unwrap()).contains("larger than"));
    }
}
