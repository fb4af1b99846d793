//! Application actions that change several stages at once: "forget my device" (the live
//! view, the database, the alerts and the device registry), "start a new session" (the
//! database, the live view, the alerts, the devices' names and the group-view rules), the
//! teacher's group-view rules (the rules, the database; a device target found through the
//! device registry), a device naming itself (the registry, unless a rule locks it) and the
//! teacher's marks (the database, the views' "since the mark", the event stream).
//!
//! Each action takes the handles it changes ([`Stages`]) and answers with its own error
//! ([`SessionError`]); the web side only calls it and turns the error into a response.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;
use serde::Serialize;

use crate::correlate::{LiveForgotten, LiveState};
use crate::detect::AlertBook;
use crate::devices::DeviceRegistry;
use crate::group_view::{
    DeviceTarget, GroupViewError, Grouping, Rule, RuleAction, RuleKind, Target,
};
use crate::model::{DeviceId, LiveEvent, Mark};
use crate::store::StoredRule;
use crate::store::{Deleted, Session, Store, StoreError, StoreWriter};

/// Most characters of a session name.
pub(crate) const MAX_SESSION_NAME: usize = 100;

/// The saved history the actions change: the store, its writer's queue, and how an empty
/// live view is made for a new session.
pub(crate) struct History {
    store: Arc<Store>,
    writer: Option<StoreWriter>,
    fresh_live: Box<dyn Fn() -> LiveState + Send + Sync>,
}

impl History {
    /// `fresh_live` makes an empty live state with the configured bounds.
    pub(crate) fn new(
        store: Arc<Store>,
        writer: Option<StoreWriter>,
        fresh_live: Box<dyn Fn() -> LiveState + Send + Sync>,
    ) -> History {
        History {
            store,
            writer,
            fresh_live,
        }
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }

    fn writer(&self) -> Option<StoreWriter> {
        self.writer.clone()
    }
}

/// What an action reaches: one handle per stage it changes.
pub(crate) struct Stages<'a> {
    /// The correlator's live view.
    pub live: &'a RwLock<LiveState>,
    /// The saved history (`None`: history is not being saved).
    pub history: Option<&'a History>,
    /// The detectors' alerts (`None`: the detectors are off).
    pub alerts: Option<&'a RwLock<AlertBook>>,
    /// Devices by MAC: names and nicknames.
    pub devices: &'a DeviceRegistry,
    /// The teacher's group-view rules for this session.
    pub group_view: &'a RwLock<Grouping>,
    /// This session's marks, oldest first (the views' "since the mark").
    pub marks: &'a RwLock<Vec<Arc<Mark>>>,
    /// The event stream (a new mark is pushed to the views).
    pub events: &'a tokio::sync::broadcast::Sender<Arc<LiveEvent>>,
}

/// Why an action failed (the web side maps each to a status code).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SessionError {
    /// History is not being saved (the store could not be opened).
    #[error("history is not being saved on this appliance (see /api/v1/status)")]
    NoHistory,
    /// A value given is not acceptable (said in the reader's language on the pages).
    #[error("{0}")]
    BadRequest(crate::i18n::Complaint),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The work did not finish in time or the writer is busy.
    #[error("busy: {0}; try again in a moment")]
    Busy(BusyWith),
    /// The admin page's new-session form said neither to keep nor to delete the old one.
    #[error("choose to keep or delete the old session")]
    KeepOrDelete,
    /// A blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
    /// A group-view rule was refused or not found.
    #[error(transparent)]
    GroupView(#[from] GroupViewError),
    /// The teacher locked this device's nickname.
    #[error("your teacher has locked this device's nickname for this session")]
    NicknameLocked,
    /// A mark's label breaks the rules (`model::Mark::checked_label`).
    #[error("{0}")]
    MarkLabel(#[from] crate::model::MarkLabelError),
    /// The nickname breaks the rules (`devices::nickname`).
    #[error("that nickname cannot be used: {0}")]
    Nickname(#[from] crate::devices::registry::NicknameError),
}

/// What an operation found busy ([`SessionError::Busy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BusyWith {
    /// Two exports run already.
    Exports,
    /// The exports are shutting down.
    ExportsStopping,
    /// The database is still deleting (a device's history).
    Deleting,
}

impl std::fmt::Display for BusyWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BusyWith::Exports => "two exports are running already",
            BusyWith::ExportsStopping => "exports are shutting down",
            BusyWith::Deleting => "the database is still deleting",
        })
    }
}

/// Run blocking store work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SessionError> + Send + 'static,
) -> Result<T, SessionError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SessionError::Internal(e.to_string()))?
}

/// What [`forget_device`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Forgotten {
    /// From the live view.
    pub live: LiveForgotten,
    /// From the database (`None`: history is not saved).
    pub stored: Option<Deleted>,
}

/// Forget a device ("forget my device"): its live flows, answers, totals and names now, and
/// its rows in every session of the database through the writer's queue (see
/// [`crate::store::StoreOp::ForgetDevice`]), both at the same moment (under the live
/// state's write lock); then its alerts, and, once the database has deleted its rows (at
/// most 30 s), its identity by MAC (nickname, host name) in the device registry.
///
/// A device is one identity across its addresses: every address bound to it now (IPv4, its
/// IPv6 addresses) is forgotten, whichever one asked.
pub(crate) async fn forget_device(s: &Stages<'_>, ip: IpAddr) -> Result<Forgotten, SessionError> {
    let mut addresses = s.devices.addresses(s.devices.identity(ip));
    if !addresses.contains(&ip) {
        addresses.insert(0, ip);
    }
    let mut total = Forgotten::default();
    for a in addresses {
        let f = forget_address(s, a).await?;
        total.live.flows += f.live.flows;
        total.live.dns_answers += f.live.dns_answers;
        total.live.device |= f.live.device;
        total.stored = match (total.stored, f.stored) {
            (Some(mut t), Some(d)) => {
                t.add(d);
                Some(t)
            }
            (t, d) => t.or(d),
        };
    }
    Ok(total)
}

/// [`forget_device`] for one address.
async fn forget_address(s: &Stages<'_>, ip: IpAddr) -> Result<Forgotten, SessionError> {
    let device = DeviceId(ip);
    let writer = s.history.and_then(History::writer);
    let mut reply = None;
    let mut live = LiveForgotten::default();
    // The queue may be full for a moment (a burst of flows): retry for up to 2 s.
    for attempt in 0..20 {
        {
            let mut state = s.live.write();
            match &writer {
                None => {
                    live = state.forget_device(device);
                    break;
                }
                Some(w) => match w.forget_device(ip) {
                    Ok(rx) => {
                        live = state.forget_device(device);
                        reply = Some(rx);
                        break;
                    }
                    Err(StoreError::Writer(_)) if attempt < 19 => {}
                    Err(e) => return Err(e.into()),
                },
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Its alerts go too (the stored rows go with the store's delete).
    if let Some(alerts) = s.alerts {
        alerts.write().forget_device(device);
    }
    let stored = match reply {
        None => None,
        Some(rx) => Some(
            blocking(move || match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(Ok(d)) => Ok(d),
                Ok(Err(e)) => Err(SessionError::Internal(e)),
                Err(_) => Err(SessionError::Busy(BusyWith::Deleting)),
            })
            .await?,
        ),
    };
    s.devices.forget(ip);
    Ok(Forgotten { live, stored })
}

/// What [`start_session`] did.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct StartedSession {
    /// The new session.
    pub session: Session,
    /// The session that ended.
    pub previous: Option<i64>,
    /// Whether the previous one is kept (else it is being deleted in the background).
    pub kept: bool,
}

/// A session name as given (trimmed), checked; `None`/empty: no name (stored empty, so
/// each page says "Session of <date>" in its reader's language).
fn session_name(name: Option<&str>) -> Result<String, SessionError> {
    let name = name.map(str::trim).unwrap_or("");
    if name.chars().count() > MAX_SESSION_NAME {
        return Err(SessionError::BadRequest(crate::i18n::Complaint::new(
            "session-name-long",
            [("max", MAX_SESSION_NAME.to_string())],
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(SessionError::BadRequest(crate::i18n::Complaint::new(
            "session-name-control",
            [],
        )));
    }
    Ok(name.to_owned())
}

/// Start a new session: the store files everything from now on under it, and the live view
/// and the alerts start empty (flows still open reappear at conntrack's next dump as the
/// new session's). The previous session is kept, or (`keep_old` false) deleted in the
/// background, in chunks. Every device gets a new pseudonym; nicknames start fresh (here and
/// in the store) unless `keep_nicknames`.
pub(crate) async fn start_session(
    s: &Stages<'_>,
    name: Option<&str>,
    keep_old: bool,
    keep_nicknames: bool,
) -> Result<StartedSession, SessionError> {
    let history = s.history.ok_or(SessionError::NoHistory)?;
    let name = session_name(name)?;
    let store = history.store.clone();
    let previous = store.current_session_id();
    let session = {
        let store = store.clone();
        blocking(move || {
            let session = store.start_session(&name)?;
            if !keep_nicknames {
                store.clear_nicknames()?;
            }
            Ok(session)
        })
        .await?
    };
    s.devices.new_session(keep_nicknames);
    // The teacher's rules and marks were for the session that ended.
    s.group_view.write().replace_all(Vec::new());
    s.marks.write().clear();
    let key = s.devices.pseudonym_secret();
    let saving = store.clone();
    if let Err(e) = blocking(move || {
        saving
            .save_pseudonym_key(&key)
            .map_err(|e| SessionError::Internal(e.to_string()))
    })
    .await
    {
        tracing::warn!("devices: the new session's pseudonym key was not saved ({e})");
    }
    // The writer already files under the new session; now the views start over too.
    let fresh = (history.fresh_live)();
    s.live.write().start_over(fresh);
    if let Some(alerts) = s.alerts {
        alerts.write().clear();
    }
    tracing::info!(
        "admin: session {} {:?} started; previous session {previous} {}; nicknames {}",
        session.id,
        session.name,
        if keep_old { "kept" } else { "deleted" },
        if keep_nicknames { "kept" } else { "cleared" }
    );
    if !keep_old && previous != session.id {
        tokio::task::spawn_blocking(move || match store.delete_session(previous) {
            Ok(d) => tracing::info!(
                "admin: session {previous} deleted ({} flows, {} answers)",
                d.flows,
                d.dns_answers
            ),
            Err(e) => tracing::warn!("admin: deleting session {previous} failed: {e}"),
        });
    }
    Ok(StartedSession {
        session,
        previous: (previous != 0).then_some(previous),
        kept: keep_old,
    })
}

/// The teacher sets a mark ("Now open TikTok"): saved under the current session, then in
/// force for the views' "since the mark" and pushed on the event stream (`mark`). Needs the
/// saved history: a mark is part of the session's record.
pub(crate) async fn set_mark(s: &Stages<'_>, label: &str) -> Result<Arc<Mark>, SessionError> {
    let label = Mark::checked_label(label)?;
    let history = s.history.ok_or(SessionError::NoHistory)?;
    let store = history.store.clone();
    let session = store.current_session_id();
    let mark = blocking(move || Ok(store.add_mark(session, chrono::Utc::now(), &label)?)).await?;
    let mark = Arc::new(mark);
    {
        let mut marks = s.marks.write();
        // The store bounds a session's marks; this copy follows (a session just started
        // has none, so a mark of the old one that raced it is dropped).
        if mark.session_id == history.store.current_session_id() {
            marks.push(Arc::clone(&mark));
            let extra = marks
                .len()
                .saturating_sub(crate::model::MAX_MARKS_PER_SESSION);
            marks.drain(..extra);
        }
    }
    // No subscriber now is no error.
    let _ = s.events.send(Arc::new(LiveEvent::Mark {
        mark: Arc::clone(&mark),
    }));
    tracing::info!("admin: mark {} {:?} set", mark.id, mark.label);
    Ok(mark)
}

/// The current session's saved marks, for the start (none if they cannot be read).
pub(crate) fn restore_marks(store: &Store) -> Vec<Arc<Mark>> {
    match store.marks(store.current_session_id()) {
        Ok(m) => m.into_iter().map(Arc::new).collect(),
        Err(e) => {
            tracing::warn!("marks: the session's marks could not be read ({e})");
            Vec::new()
        }
    }
}

/// The rule the admin asked for, checked: `kind` and `action` as words, `target` a device's
/// address (for `device`), a nickname, a domain, or nothing (for `names`).
fn group_rule(
    s: &Stages<'_>,
    kind: &str,
    target: &str,
    action: &str,
) -> Result<Rule, SessionError> {
    let kind: RuleKind = kind.trim().parse()?;
    let action: RuleAction = action.trim().parse()?;
    let target = match kind {
        RuleKind::Device => {
            let ip: IpAddr = target.trim().parse().map_err(|_| {
                GroupViewError::Target(format!(
                    "{:?} is not a device's address",
                    target.chars().take(60).collect::<String>()
                ))
            })?;
            let ip = ip.to_canonical();
            // By MAC when known, so the rule follows the device to its other addresses.
            Target::Device(match s.devices.mac_behind(ip) {
                Some(mac) => DeviceTarget::Mac(mac),
                None => DeviceTarget::Address(ip),
            })
        }
        RuleKind::Nickname => Target::nickname(target)?,
        RuleKind::Domain => Target::domain(target)?,
        RuleKind::Names => Target::All,
    };
    Ok(Rule::new(target, action, chrono::Utc::now())?)
}

/// The teacher adds a group-view rule (hide a device, a nickname or a domain; clear or lock
/// a device's nickname; names off): in force at once, saved under the current session.
pub(crate) async fn add_group_rule(
    s: &Stages<'_>,
    kind: &str,
    target: &str,
    action: &str,
) -> Result<Rule, SessionError> {
    add_built_group_rule(s, group_rule(s, kind, target, action)?).await
}

/// Put a checked rule in force and save it under the current session (the admin's form, a
/// restored backup). The rule with its id.
pub(crate) async fn add_built_group_rule(s: &Stages<'_>, rule: Rule) -> Result<Rule, SessionError> {
    let id = s.group_view.write().add(rule.clone())?;
    let rule = Rule { id, ..rule };
    if let Some(history) = s.history {
        let store = history.store.clone();
        let saved = StoredRule {
            id,
            kind: rule.kind().as_str().into(),
            target: rule.target.stored(),
            action: rule.action.as_str().into(),
            created_at: rule.created_at,
        };
        if let Err(e) = blocking(move || Ok(store.add_group_view_rule(&saved)?)).await {
            // Not saved: not in force either, so what the admin sees is what a restart keeps.
            let _ = s.group_view.write().remove(id);
            return Err(e);
        }
    }
    tracing::info!(
        "admin: group view rule {id}: {} {}",
        rule.action.as_str(),
        rule.kind()
    );
    Ok(rule)
}

/// The teacher undoes a group-view rule.
pub(crate) async fn remove_group_rule(s: &Stages<'_>, id: u64) -> Result<Rule, SessionError> {
    if !s.group_view.read().rules().iter().any(|r| r.id == id) {
        return Err(GroupViewError::NoSuchRule(id).into());
    }
    if let Some(history) = s.history {
        let store = history.store.clone();
        blocking(move || Ok(store.delete_group_view_rule(id)?)).await?;
    }
    let rule = s.group_view.write().remove(id)?;
    tracing::info!("admin: group view rule {id} undone");
    Ok(rule)
}

/// The session's saved rules, for the start (those that no longer parse are skipped).
pub(crate) fn restore_group_rules(store: &Store, into: &RwLock<Grouping>) {
    let saved = match store.group_view_rules() {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!("group view: the session's rules could not be read ({e})");
            return;
        }
    };
    let rules: Vec<Rule> = saved
        .into_iter()
        .filter_map(|r| {
            let kind: RuleKind = r.kind.parse().ok()?;
            let target = Target::from_stored(kind, &r.target).ok()?;
            let rule = Rule::new(target, r.action.parse().ok()?, r.created_at).ok()?;
            Some(Rule { id: r.id, ..rule })
        })
        .collect();
    if !rules.is_empty() {
        tracing::info!("group view: {} rules of this session restored", rules.len());
    }
    into.write().replace_all(rules);
}

/// A device names itself (`raw` empty: no nickname), unless the teacher locked its
/// nickname. The nickname now, if any.
pub(crate) fn set_own_nickname(
    s: &Stages<'_>,
    ip: IpAddr,
    raw: &str,
) -> Result<Option<String>, SessionError> {
    if s.group_view.read().locked(s.devices.identity(ip)) {
        return Err(SessionError::NicknameLocked);
    }
    if raw.trim().is_empty() {
        s.devices.clear_nickname(ip);
        return Ok(None);
    }
    s.devices.set_nickname(ip, raw)?;
    Ok(s.devices.describe(ip).nickname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_are_checked_or_left_empty() {
        assert_eq!(session_name(None).ok().as_deref(), Some(""));
        assert_eq!(session_name(Some("  ")).ok().as_deref(), Some(""));
        assert_eq!(
            session_name(Some(" Monday class ")).unwrap_or_default(),
            "Monday class"
        );
        let long = "x".repeat(MAX_SESSION_NAME + 1);
        assert!(matches!(
            session_name(Some(&long)),
            Err(SessionError::BadRequest(_))
        ));
        assert!(matches!(
            session_name(Some("a\u{7}b")),
            Err(SessionError::BadRequest(_))
        ));
    }
}
