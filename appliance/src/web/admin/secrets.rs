//! A restored backup's secrets on this appliance: the admin password's hash and the metrics
//! token take effect at once; the WiFi passphrase is saved for the next start, because
//! changing it now would drop every device in the room in the middle of a lesson. All three
//! are saved in the config file (comments and other keys kept, `config::file_rewrite`), so a
//! restart keeps them; without a config file (a laptop run without `--config`) the password
//! and token last until the restart and the passphrase is not applied.

use serde::Serialize;

use crate::backup::Secrets;
use crate::config::file_rewrite::{self, SecretKeys};
use crate::config::{Config, MetricsToken};
use crate::i18n::Tr;
use crate::web::admin::state::blocking;
use crate::web::AppState;

/// [`SecretsApplied::now`]'s names (the API's; the page says them in its language).
const ADMIN_PASSWORD: &str = "admin password";
const METRICS_TOKEN: &str = "metrics token";

/// What happened to a backup's secrets.
#[derive(Debug, Default, Serialize)]
pub(crate) struct SecretsApplied {
    /// Secrets in force now (`"admin password"`, `"metrics token"`).
    pub now: Vec<&'static str>,
    /// Saved in the config file (and so kept over a restart).
    pub saved: bool,
    /// The WiFi passphrase was saved and applies at the next start.
    pub wifi_passphrase_at_restart: bool,
    /// What could not be applied, in words.
    pub problems: Vec<String>,
}

impl SecretsApplied {
    /// In words, in the language of `tr`, each sentence after a space (empty when the
    /// backup had no secrets). What failed is listed in its own words.
    pub(crate) fn say(&self, tr: Tr) -> String {
        let mut s = String::new();
        if !self.now.is_empty() {
            let now: Vec<String> = self
                .now
                .iter()
                .map(|n| match *n {
                    ADMIN_PASSWORD => tr.t("restore-secret-admin-password"),
                    METRICS_TOKEN => tr.t("restore-secret-metrics-token"),
                    other => other.to_owned(),
                })
                .collect();
            s.push(' ');
            s.push_str(&tr.t1("restore-secrets-now", "secrets", &now.join(", ")));
        }
        if self.wifi_passphrase_at_restart {
            s.push(' ');
            s.push_str(&tr.t("restore-passphrase-at-restart"));
        }
        if !self.problems.is_empty() {
            s.push(' ');
            s.push_str(&tr.t1(
                "restore-secrets-not-applied",
                "problems",
                &self.problems.join("; "),
            ));
        }
        s
    }
}

/// Apply checked secrets (`backup::document::parse` checked each value).
pub(crate) async fn apply(app: &AppState, s: Secrets) -> SecretsApplied {
    let mut out = SecretsApplied::default();
    // The config file first: what cannot be saved there (a passphrase on an open network,
    // a read-only file) is still applied in memory where it can be, and said.
    let path = app.admin.config_file.clone();
    match path {
        None => {
            if s.wifi_passphrase.is_some() {
                out.problems.push(
                    "WiFi passphrase: there is no config file to save it in (started without \
                     --config)"
                        .into(),
                );
            }
        }
        Some(path) => {
            let app2 = app.clone();
            let s2 = s.clone();
            let saved = blocking(move || {
                let _one_at_a_time = app2.admin.config_lock.lock();
                Ok(save(&path, &s2))
            })
            .await;
            match saved {
                Ok(Ok(())) => {
                    out.saved = true;
                    out.wifi_passphrase_at_restart = s.wifi_passphrase.is_some();
                }
                Ok(Err(why)) => out.problems.push(why),
                Err(e) => out.problems.push(format!("saving them: {e}")),
            }
        }
    }
    if let Some(hash) = s.admin_password_hash {
        if app.admin.auth.set_password_hash(hash) {
            out.now.push(ADMIN_PASSWORD);
        } else {
            out.problems
                .push("admin password: the admin pages are off on this appliance".into());
        }
    }
    if let Some(token) = s.metrics_token {
        app.metrics_token.set(MetricsToken::new(token));
        out.now.push(METRICS_TOKEN);
    }
    tracing::info!(
        "admin: backup secrets:{}",
        out.say(Tr::new(crate::i18n::Lang::En))
    );
    out
}

/// Write the secrets into the config file at `path`, if the result is a valid configuration.
fn save(path: &std::path::Path, s: &Secrets) -> Result<(), String> {
    let keys = SecretKeys {
        admin_password_hash: s.admin_password_hash.as_deref(),
        metrics_token: s.metrics_token.as_deref(),
        wifi_passphrase: s.wifi_passphrase.as_deref(),
    };
    let old =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let new =
        file_rewrite::set_secrets(&old, keys).map_err(|e| format!("{}: {e}", path.display()))?;
    // Checked as the file would be at the next start: e.g. a passphrase for an open network.
    Config::parse(&new, path)
        .and_then(|c| c.validate())
        .map_err(|e| format!("not saved, the config file would be refused: {e}"))?;
    file_rewrite::write_checked(path, &old, &new, |c| {
        if let Some(h) = &s.admin_password_hash {
            c.admin.password_hash = Some(h.clone());
            c.admin.password = None;
        }
        if let Some(t) = &s.metrics_token {
            c.metrics.token = Some(MetricsToken::new(t.clone()));
        }
        if let Some(p) = &s.wifi_passphrase {
            c.wifi.passphrase = p.clone();
        }
    })
    .map_err(|e| format!("{}: {e}", path.display()))
}
