//! `[admin]`: the admin password, and the check of an argon2 hash from the config.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[admin]`: the password of the admin pages (sessions, export, settings).
///
/// Set `password` in plain text once: at the next start whereflow hashes it (argon2id) and
/// rewrites the file so it holds only `password_hash`. With neither key (and no hash saved in
/// the data directory) the admin pages are off.
#[derive(Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// The password in plain text; replaced by `password_hash` at the next start.
    pub password: Option<String>,
    /// The password's argon2 hash (a PHC string, `$argon2id$v=19$...`).
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for AdminConfig {
    /// Never prints the password (`check-config` prints the whole configuration).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |v: &Option<String>| if v.is_some() { "<set>" } else { "<not set>" };
        f.debug_struct("AdminConfig")
            .field("password", &shown(&self.password))
            .field("password_hash", &shown(&self.password_hash))
            .finish()
    }
}

/// Most memory (KiB) an argon2 hash from the config may ask for: a Pi has little to spare.
pub const ARGON2_MAX_M_COST_KIB: u32 = 256 * 1024;
/// Most passes an argon2 hash from the config may ask for.
pub const ARGON2_MAX_T_COST: u32 = 16;
/// Most lanes an argon2 hash from the config may ask for.
pub const ARGON2_MAX_P_COST: u32 = 8;

/// Check that `hash` is an argon2 PHC string whose cost a Pi can afford to verify; the
/// error says why in English.
pub fn check_password_hash(hash: &str) -> Result<(), String> {
    password_hash_problem(hash).map_err(|e| match e {
        ConfigError::Invalid { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// [`check_password_hash`], as the error of `admin.password_hash`.
fn password_hash_problem(hash: &str) -> Result<(), ConfigError> {
    const KEY: &str = "admin.password_hash";
    let parsed = argon2::PasswordHash::new(hash)
        .map_err(|e| invalid(KEY, "config-hash-not-argon2", [("detail", e.to_string())]))?;
    if argon2::Algorithm::try_from(parsed.algorithm.as_str()).is_err() {
        return Err(invalid(
            KEY,
            "config-hash-algorithm",
            [("algorithm", parsed.algorithm.to_string())],
        ));
    }
    let params = argon2::Params::try_from(&parsed)
        .map_err(|e| invalid(KEY, "config-hash-parameters", [("detail", e.to_string())]))?;
    if params.m_cost() > ARGON2_MAX_M_COST_KIB
        || params.t_cost() > ARGON2_MAX_T_COST
        || params.p_cost() > ARGON2_MAX_P_COST
    {
        return Err(invalid(
            KEY,
            "config-hash-costs",
            [
                ("m", params.m_cost().to_string()),
                ("t", params.t_cost().to_string()),
                ("p", params.p_cost().to_string()),
                ("max_m", ARGON2_MAX_M_COST_KIB.to_string()),
                ("max_t", ARGON2_MAX_T_COST.to_string()),
                ("max_p", ARGON2_MAX_P_COST.to_string()),
            ],
        ));
    }
    if parsed.hash.is_none() || parsed.salt.is_none() {
        return Err(invalid(KEY, "config-hash-incomplete", []));
    }
    Ok(())
}

impl AdminConfig {
    /// Check the values; the error names the key (never shows the password).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(p) = &self.password {
            let n = p.chars().count();
            if n < 8 {
                return Err(invalid("admin.password", "config-password-short", []));
            }
            if p.len() > 1024 {
                return Err(invalid(
                    "admin.password",
                    "config-at-most-bytes",
                    [("max", "1024".into())],
                ));
            }
        }
        if let Some(h) = &self.password_hash {
            password_hash_problem(h)?;
        }
        Ok(())
    }
}
