//! What the admin side holds ([`Admin`]: the login table, the history, the `[history]`
//! settings and the config file they are saved in), how its operations fail
//! ([`AdminError`]), and what both the JSON and the admin page read from it: the sessions
//! ([`Admin::session_list`]) and the settings ([`Admin::settings_view`]).

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::config::HistoryConfig;
use crate::correlate::LiveState;
use crate::group_view::GroupViewError;
use crate::i18n::Tr;
use crate::session::{BusyWith, History, SessionError};
use crate::store::{
    DbSize, HistorySettings, RetentionReport, Session, Store, StoreError, StoreWriter,
};
use crate::web::auth::login::Auth;
use fluent_bundle::FluentValue;

/// Exports running at once (each holds a blocking thread and a read snapshot).
const MAX_EXPORTS: usize = 2;

/// Everything the admin side needs; one per daemon, in [`AppState::admin`].
pub struct Admin {
    pub(crate) auth: Auth,
    history: Option<History>,
    pub(crate) settings: Arc<HistorySettings>,
    pub(super) config_file: Option<PathBuf>,
    pub(super) config_lock: Mutex<()>,
    pub(super) exports: Arc<Semaphore>,
}

/// What [`Admin::new`] is built from.
pub struct AdminParts {
    /// The admin password's hash ([`crate::config::password::prepare`]); `None`: admin pages off.
    pub password_hash: Option<String>,
    /// The store, when history is saved.
    pub store: Option<Arc<Store>>,
    /// The store's writer (a clone; the daemon closes the writer at shutdown).
    pub writer: Option<StoreWriter>,
    /// Makes an empty live state with the configured bounds (for a new session).
    pub fresh_live: Box<dyn Fn() -> LiveState + Send + Sync>,
    /// The `[history]` settings, shared with the retention task.
    pub settings: Arc<HistorySettings>,
    /// The config file, where settings changed here are saved.
    pub config_file: Option<PathBuf>,
    /// The problems file, where the admin's recovery code is written (`system.problems_file`),
    /// and the language of its notes (`site.language`).
    pub problems_file: Option<(PathBuf, crate::i18n::Lang)>,
}

impl Admin {
    /// The admin side, with admin pages off when there is no password hash and no
    /// history actions when there is no store.
    pub fn new(p: AdminParts) -> Admin {
        Admin {
            auth: Auth::new(p.password_hash, p.problems_file),
            history: p
                .store
                .map(|store| History::new(store, p.writer, p.fresh_live)),
            settings: p.settings,
            config_file: p.config_file,
            config_lock: Mutex::new(()),
            exports: Arc::new(Semaphore::new(MAX_EXPORTS)),
        }
    }

    /// Is an admin password set?
    pub fn enabled(&self) -> bool {
        self.auth.enabled()
    }

    /// The store, when history is saved.
    pub fn store(&self) -> Option<&Arc<Store>> {
        self.history.as_ref().map(History::store)
    }

    /// The saved history the application actions change (`None`: not saved).
    pub(crate) fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }
}

/// Why an admin operation failed: the same reasons as the application actions'
/// ([`SessionError`]); answers with a status code and `{"error": "..."}`.
pub(crate) type AdminError = SessionError;

impl SessionError {
    fn status(&self) -> StatusCode {
        match self {
            AdminError::NoHistory | AdminError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::BadRequest(_) | AdminError::KeepOrDelete => StatusCode::BAD_REQUEST,
            AdminError::Store(StoreError::NoSuchSession(_)) => StatusCode::NOT_FOUND,
            AdminError::Store(StoreError::CurrentSession(_)) => StatusCode::CONFLICT,
            AdminError::Store(StoreError::Writer(_)) => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::Store(StoreError::TooManyMarks(_)) => StatusCode::CONFLICT,
            AdminError::MarkLabel(_) => StatusCode::BAD_REQUEST,
            AdminError::Store(_) | AdminError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AdminError::GroupView(e) => match e {
                GroupViewError::NoSuchRule(_) => StatusCode::NOT_FOUND,
                GroupViewError::Duplicate(_) => StatusCode::CONFLICT,
                GroupViewError::Full => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::BAD_REQUEST,
            },
            AdminError::NicknameLocked => StatusCode::FORBIDDEN,
            AdminError::Nickname(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// The status code this failure answers with.
    pub(crate) fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// For the admin page, in the language of `tr`: the common failures from the catalogue
    /// (`fail-*`, a value's complaint `complaint-*`), the others (a database error) as they
    /// are.
    pub(crate) fn say(&self, tr: Tr) -> String {
        let id = |n: i64| ("id", FluentValue::from(n.to_string()));
        match self {
            AdminError::NoHistory => tr.t("fail-no-history"),
            AdminError::KeepOrDelete => tr.t("fail-keep-or-delete"),
            AdminError::Busy(BusyWith::Exports) => tr.t("fail-busy-exports"),
            AdminError::Busy(BusyWith::ExportsStopping) => tr.t("fail-busy-shutdown"),
            AdminError::Busy(BusyWith::Deleting) => tr.t("fail-busy-deleting"),
            AdminError::Store(StoreError::NoSuchSession(n)) => {
                tr.ta("fail-no-such-session", [id(*n)])
            }
            AdminError::Store(StoreError::CurrentSession(n)) => {
                tr.ta("fail-current-session", [id(*n)])
            }
            AdminError::Store(StoreError::Writer(e)) => tr.t1("fail-writer", "error", e),
            AdminError::Store(StoreError::TooManyMarks(max)) => {
                tr.t1("fail-too-many-marks", "max", &max.to_string())
            }
            AdminError::GroupView(GroupViewError::Duplicate(n)) => {
                tr.t1("fail-rule-duplicate", "id", &n.to_string())
            }
            AdminError::GroupView(GroupViewError::Full) => tr.t1(
                "fail-rules-full",
                "max",
                &crate::group_view::rules::MAX_RULES.to_string(),
            ),
            AdminError::GroupView(GroupViewError::NoSuchRule(n)) => {
                tr.t1("fail-no-such-rule", "id", &n.to_string())
            }
            AdminError::BadRequest(c) => c.say(tr),
            AdminError::Internal(e) => tr.t1("fail-internal", "error", e),
            AdminError::MarkLabel(e) => e.complaint().say(tr),
            AdminError::Nickname(_) | AdminError::NicknameLocked => {
                crate::web::reasons::session(tr, self)
            }
            _ => self.to_string(),
        }
    }
}

impl IntoResponse for SessionError {
    /// `{"error": English, "error_said": the same in the reader's language}` (a page's
    /// script shows `error_said`; scripts of others can keep matching `error`).
    fn into_response(self) -> Response {
        let said = self.say(crate::web::language::current().reader());
        crate::web::reasons::json_refusal(self.status(), self.to_string(), said)
    }
}

/// Run blocking store work on the blocking pool.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, AdminError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?
}

/// A session as the list shows it.
#[derive(Serialize)]
pub(crate) struct SessionView {
    #[serde(flatten)]
    pub session: Session,
    /// Whether new data goes to it.
    pub current: bool,
}

/// The settings and the state they act on.
#[derive(Serialize)]
pub(crate) struct SettingsView {
    #[serde(flatten)]
    pub history: HistoryConfig,
    /// The database's size now (`None`: history is not saved).
    pub database: Option<DbSize>,
    /// What retention did last.
    pub last_retention: Option<RetentionReport>,
    /// The config file changes are saved in.
    pub config_file: Option<String>,
}

impl Admin {
    /// All sessions, newest first, with the current one marked (none: history not saved).
    pub(crate) async fn session_list(&self) -> Result<Vec<SessionView>, AdminError> {
        let Some(store) = self.store().cloned() else {
            return Ok(Vec::new());
        };
        blocking(move || {
            let current = store.current_session_id();
            Ok(store
                .sessions()?
                .into_iter()
                .map(|s| SessionView {
                    current: s.id == current,
                    session: s,
                })
                .collect())
        })
        .await
    }

    /// The settings now, and the database they act on.
    pub(crate) async fn settings_view(&self) -> Result<SettingsView, AdminError> {
        let database = match self.store().cloned() {
            Some(store) => Some(blocking(move || Ok(store.db_size()?)).await?),
            None => None,
        };
        Ok(SettingsView {
            history: self.settings.get(),
            database,
            last_retention: self.settings.last_report(),
            config_file: self.config_file.as_ref().map(|p| p.display().to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn common_admin_failures_are_said_in_the_readers_language() {
        let common = [
            AdminError::NoHistory,
            AdminError::KeepOrDelete,
            AdminError::Busy(BusyWith::Exports),
            AdminError::Busy(BusyWith::ExportsStopping),
            AdminError::Busy(BusyWith::Deleting),
            AdminError::Store(StoreError::NoSuchSession(7)),
            AdminError::Store(StoreError::CurrentSession(7)),
            AdminError::Store(StoreError::Writer("stopped".into())),
            AdminError::GroupView(GroupViewError::Duplicate(7)),
            AdminError::GroupView(GroupViewError::Full),
            AdminError::GroupView(GroupViewError::NoSuchRule(7)),
        ];
        for e in &common {
            let en = e.say(Tr::new(Lang::En));
            for lang in Lang::ALL {
                let text = e.say(Tr::new(lang));
                assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
                if lang != Lang::En {
                    assert_ne!(text, en, "{lang}");
                }
            }
        }
        assert_eq!(
            AdminError::Store(StoreError::NoSuchSession(7)).say(Tr::new(Lang::De)),
            "Es gibt keine Sitzung 7"
        );
        // A form's complaint is said in the reader's language too (English in the API).
        let bad = AdminError::BadRequest(crate::i18n::Complaint::new(
            "not-a-number",
            [
                ("key", "history.max_db_mb".into()),
                ("value", "\"lots\"".into()),
            ],
        ));
        assert_eq!(
            bad.say(Tr::new(Lang::Es)),
            "history.max_db_mb: \"lots\" no es un número"
        );
        assert_eq!(bad.to_string(), "history.max_db_mb: not a number: \"lots\"");
    }
}
