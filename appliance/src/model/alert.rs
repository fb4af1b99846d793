//! Alerts: what the detectors raised, as the API, the store and the webhook see them.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{DeviceId, Domain};

/// What sort of thing an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Data hidden in DNS lookups.
    DnsTunnel,
    /// Probing many ports or hosts.
    Scan,
    /// Someone else's address claimed on the LAN (ARP/neighbour spoofing).
    Spoofing,
    /// A lot of data sent out.
    Upload,
    /// A destination on a deny list, or outside an allow list.
    DenyList,
    /// DNS resolved around this appliance (DNS over TLS/HTTPS, or no lookups at all).
    EncryptedDns,
}

impl AlertKind {
    /// Every kind, in the order the API documents them.
    pub const ALL: [AlertKind; 6] = [
        AlertKind::DnsTunnel,
        AlertKind::Scan,
        AlertKind::Spoofing,
        AlertKind::Upload,
        AlertKind::DenyList,
        AlertKind::EncryptedDns,
    ];

    /// The name in the API, the config and the store (`"dns_tunnel"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::DnsTunnel => "dns_tunnel",
            AlertKind::Scan => "scan",
            AlertKind::Spoofing => "spoofing",
            AlertKind::Upload => "upload",
            AlertKind::DenyList => "deny_list",
            AlertKind::EncryptedDns => "encrypted_dns",
        }
    }
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AlertKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AlertKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown alert kind {s:?} (known: {})",
                    AlertKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

/// One alert as the API shows it, the store keeps it and the webhook receives it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    /// Unique, increasing (also across restarts).
    pub id: u64,
    /// What sort of thing it is.
    pub kind: AlertKind,
    /// The rule that raised it (`"scan.ports"`, `"deny_list.countries"`, ...).
    pub rule: String,
    /// The device concerned; `null` for an outside host probing the appliance.
    pub device_ip: Option<DeviceId>,
    /// The other side, where there is one.
    pub remote_ip: Option<IpAddr>,
    /// The domain, where there is one.
    pub domain: Option<Domain>,
    /// The first finding.
    pub first_seen: DateTime<Utc>,
    /// The latest finding folded into this alert.
    pub last_seen: DateTime<Utc>,
    /// Findings folded into this alert (1 for a new one).
    pub count: u64,
    /// What happened, in plain words (from the first finding).
    pub message: String,
    /// The same as a message of the catalogues with its arguments, so the pages can say it in
    /// their language (`None`: only the English `message`, as for alerts stored before the
    /// store kept the words, schema version 9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<AlertWords>,
}

/// An alert's message as a catalogue message (`alert-msg-<id>` in `views.ftl`) and its
/// arguments, each already a string (numbers as digits, addresses and names as they are).
/// Owned strings: the store keeps it as JSON and reads it back after a restart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertWords {
    /// The message id without its `alert-msg-` prefix (`"upload-sudden"`).
    pub id: String,
    /// Its arguments by name.
    pub args: std::collections::BTreeMap<String, String>,
}

impl AlertWords {
    /// The message `id` with `args`.
    pub fn new(id: &'static str, args: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        AlertWords {
            id: id.to_owned(),
            args: args.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }
}
