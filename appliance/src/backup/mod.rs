//! Settings that move between appliances: a backup of what the admin set here (the
//! `[history]` settings, nicknames by MAC address, DNS blocking and the blocks, the temporary
//! alert ignores, the projector's rules; secrets only when asked) as one versioned JSON
//! document ([`document`]), and its restore on another appliance.
//!
//! An application action spanning stages, like `session`: [`collect`] reads them through
//! explicit handles ([`Parts`]); a restore is checked whole first ([`document::parse`], then
//! [`fits`] for what this appliance has switched off) and only then applied ([`apply`]), so a
//! document with any problem changes nothing. What is restored is added to what the appliance
//! has (a nickname replaces the device's, DNS blocking for everyone takes the backup's value);
//! the `[history]` settings are applied by `web::admin::settings` (which also saves them in
//! the config file), and so are the secrets (`web::admin::secrets`: the admin password and
//! the metrics token at once, the WiFi passphrase at the next start).
//!
//! A backup holds personal data (MAC addresses with the names people gave their devices):
//! only a logged-in admin can download one.

pub(crate) mod document;

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use parking_lot::Mutex;
use serde::Serialize;

pub(crate) use document::{BackupError, Document, Plan, Secrets};

use crate::config::HistoryConfig;
use crate::control::{Controls, DnsScope};
use crate::detect::rules::TempIgnores;
use crate::group_view::GroupViewError;
use crate::i18n::Tr;
use crate::session::{SessionError, Stages};

/// What a backup reads and a restore changes.
pub(crate) struct Parts<'a> {
    /// Devices (nicknames) and the projector's rules.
    pub stages: Stages<'a>,
    /// DNS blocking and the blocks.
    pub controls: &'a Controls,
    /// The temporary ignores (`None`: the detectors are off).
    pub ignores: Option<&'a Mutex<TempIgnores>>,
}

/// The backup of this appliance now.
pub(crate) fn collect(
    p: &Parts<'_>,
    history: HistoryConfig,
    secrets: Option<Secrets>,
    now: DateTime<Utc>,
) -> Document {
    let controls = p.controls.view();
    Document {
        whereflow_backup: document::VERSION,
        made_by: format!("whereflow {}", env!("CARGO_PKG_VERSION")),
        made_at: now,
        secrets_included: secrets.is_some(),
        settings: document::Settings {
            history: Some(history),
        },
        nicknames: p
            .stages
            .devices
            .nicknames()
            .into_iter()
            .map(|(mac, nickname)| document::Nickname {
                mac: mac.to_string(),
                nickname,
            })
            .collect(),
        controls: document::Controls {
            dns_block: document::DnsBlock {
                all: controls.dns_block.all,
                devices: controls.dns_block.devices,
            },
            blocks: controls
                .blocks
                .into_iter()
                .map(|b| document::Block {
                    kind: b.kind,
                    value: b.value,
                })
                .collect(),
        },
        ignores: p
            .ignores
            .map(|i| {
                i.lock()
                    .active(now)
                    .map(|t| document::Ignore {
                        rule: t.rule.clone(),
                        expires: t.expires,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        group_view_rules: p
            .stages
            .group_view
            .read()
            .rules()
            .iter()
            .map(|r| document::GroupViewRule {
                kind: r.kind().as_str().into(),
                target: r.target.stored(),
                action: r.action.as_str().into(),
            })
            .collect(),
        secrets,
    }
}

/// Whether this appliance can take the plan: parts switched off here refuse it whole.
pub(crate) fn fits(plan: &Plan, p: &Parts<'_>) -> Result<(), BackupError> {
    let mut problems = Vec::new();
    let has_controls = plan.dns_all || !plan.dns_devices.is_empty() || !plan.blocks.is_empty();
    if has_controls && !p.controls.view().enabled {
        problems.push(
            "controls: the controls are off on this appliance (control.enabled = false)".into(),
        );
    }
    if !plan.ignores.is_empty() && p.ignores.is_none() {
        problems.push(
            "ignores: the detectors are off on this appliance (detect.enabled = false)".into(),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BackupError::Invalid(problems))
    }
}

/// What a restore did (the `[history]` settings are the caller's, see the module).
#[derive(Debug, Default, Serialize)]
pub(crate) struct Restored {
    /// `[history]` was applied.
    pub settings: bool,
    /// Nicknames set.
    pub nicknames: usize,
    /// DNS blocking for everyone, as restored.
    pub dns_block_all: bool,
    /// Devices DNS blocking was turned on for.
    pub dns_block_devices: usize,
    /// Blocks added.
    pub blocks: usize,
    /// Ignores set.
    pub ignores: usize,
    /// Ignores in the backup that had ended (not set).
    pub expired_ignores: usize,
    /// Projector rules added.
    pub group_view_rules: usize,
    /// Blocks, ignores and projector rules this appliance had already.
    pub already_there: usize,
    /// What failed while applying (nftables, the store), after the checks passed.
    pub problems: Vec<String>,
}

impl Restored {
    /// In words, in the language of `tr` (the admin page; the API's `note` is English).
    /// What failed is listed in the failing part's own words.
    pub(crate) fn say(&self, tr: Tr) -> String {
        let n = |v: usize| FluentValue::from(tr.num(v as u64));
        let mut s = tr.ta(
            if self.settings {
                "restore-done-settings"
            } else {
                "restore-done"
            },
            [
                ("nicknames", n(self.nicknames)),
                (
                    "dns_all",
                    FluentValue::from(if self.dns_block_all { "on" } else { "off" }),
                ),
                ("devices", n(self.dns_block_devices)),
                ("blocks", n(self.blocks)),
                ("ignores", n(self.ignores)),
                ("rules", n(self.group_view_rules)),
            ],
        );
        if self.already_there > 0 {
            s.push(' ');
            s.push_str(&tr.ta("restore-already", [("count", n(self.already_there))]));
        }
        if self.expired_ignores > 0 {
            s.push(' ');
            s.push_str(&tr.ta("restore-expired", [("count", n(self.expired_ignores))]));
        }
        if !self.problems.is_empty() {
            s.push(' ');
            s.push_str(&tr.t1("restore-not-applied", "problems", &self.problems.join("; ")));
        }
        s
    }
}

/// Apply a checked plan (all but `[history]` and the secrets, taken out by the caller). Runs only after [`document::parse`] and
/// [`fits`] passed; what still fails here (nftables, the store) is listed, not fatal.
pub(crate) async fn apply(p: &Parts<'_>, plan: Plan, now: DateTime<Utc>) -> Restored {
    let mut r = Restored {
        expired_ignores: plan.expired_ignores,
        ..Restored::default()
    };
    for (mac, name) in &plan.nicknames {
        match p.stages.devices.set_nickname_of(*mac, name) {
            Ok(()) => r.nicknames += 1,
            Err(e) => r.problems.push(format!("nickname of {mac}: {e}")),
        }
    }
    if p.controls.view().enabled {
        match p.controls.set_dns_block(DnsScope::All, plan.dns_all).await {
            Ok(_) => r.dns_block_all = plan.dns_all,
            Err(e) => r.problems.push(format!("DNS blocking: {e}")),
        }
        for ip in &plan.dns_devices {
            match p.controls.set_dns_block(DnsScope::Device(*ip), true).await {
                Ok(_) => r.dns_block_devices += 1,
                Err(e) => r.problems.push(format!("DNS blocking for {ip}: {e}")),
            }
        }
        for (kind, value) in &plan.blocks {
            match p.controls.add_block(*kind, value).await {
                Ok(_) => r.blocks += 1,
                Err(crate::control::ControlError::Book(
                    crate::control::blocks::BookError::Duplicate { .. },
                )) => r.already_there += 1,
                Err(e) => r
                    .problems
                    .push(format!("block of {} {value}: {e}", kind.as_str())),
            }
        }
    }
    if let Some(ignores) = p.ignores {
        let mut book = ignores.lock();
        for (mut rule, expires) in plan.ignores {
            // The same ignore restored twice is one ignore.
            rule.action = crate::detect::rules::Action::Ignore;
            if book
                .active(now)
                .any(|t| t.rule == rule && t.expires == expires)
            {
                r.already_there += 1;
                continue;
            }
            match book.add(rule, None, now, expires) {
                Ok(_) => r.ignores += 1,
                Err(e) => r.problems.push(format!("ignore: {e}")),
            }
        }
    }
    for rule in plan.group_rules {
        match crate::session::add_built_group_rule(&p.stages, rule).await {
            Ok(_) => r.group_view_rules += 1,
            Err(SessionError::GroupView(GroupViewError::Duplicate(_))) => r.already_there += 1,
            Err(e) => r.problems.push(format!("projector rule: {e}")),
        }
    }
    tracing::info!(
        "admin: backup restored: {}",
        r.say(Tr::new(crate::i18n::Lang::En))
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_restore_summary_is_said_in_every_language() {
        let r = Restored {
            settings: true,
            nicknames: 1,
            dns_block_all: true,
            dns_block_devices: 1,
            blocks: 0,
            ignores: 1,
            expired_ignores: 2,
            group_view_rules: 2,
            already_there: 3,
            problems: vec!["nickname of aa:bb:cc:dd:ee:ff: too long".into()],
        };
        assert_eq!(
            r.say(Tr::new(Lang::En)),
            "Backup restored: settings, 1 nicknames, DNS blocking for everyone on, DNS \
             blocking for 1 devices, 0 blocks, 1 alert ignores, 2 projector rules. 3 were \
             here already. 2 ignores had ended and were left out. Not applied: nickname of \
             aa:bb:cc:dd:ee:ff: too long."
        );
        let de = r.say(Tr::new(Lang::De));
        assert!(
            de.starts_with(
                "Sicherung wiederhergestellt: Einstellungen, 1 Spitznamen, DNS-Sperre für alle an,"
            ),
            "{de}"
        );
        for lang in Lang::ALL {
            let text = Restored::default().say(Tr::new(lang));
            assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
            let text = r.say(Tr::new(lang));
            assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
            assert!(text.contains("too long"), "{lang}: {text}");
        }
        assert!(Restored::default()
            .say(Tr::new(Lang::Fr))
            .contains("blocage DNS pour tous désactivé"));
    }
}
