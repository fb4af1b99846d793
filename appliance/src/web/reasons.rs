//! The reasons deeper code gives for refusing a form (a nickname rule, a form token, a locked
//! nickname, a busy store), said in the reader's language inside the translated refusal
//! pages. A reason without a message of its own (a store error's text) stays English.
//! A form's complaint about a value is a [`crate::i18n::Complaint`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::devices::nickname::MAX_NICKNAME_CHARS;
use crate::devices::registry::NicknameError;
use crate::i18n::Tr;
use crate::session::SessionError;
use crate::web::auth::csrf::{self, CsrfRejection};

/// A JSON refusal: `{"error": English (what scripts match on), "error_said": the same in the
/// reader's language (what a page shows)}`.
pub(crate) fn json_refusal(
    status: StatusCode,
    english: impl Into<String>,
    said: impl Into<String>,
) -> Response {
    (
        status,
        Json(json!({ "error": english.into(), "error_said": said.into() })),
    )
        .into_response()
}

/// Why a form's token was refused.
pub(crate) fn csrf(tr: Tr, e: &CsrfRejection) -> String {
    match e.0 {
        csrf::CROSS_SITE => tr.t("reason-cross-site"),
        csrf::NO_FORM_COOKIE => tr.t("reason-form-cookie-missing"),
        csrf::TOKEN_MISMATCH => tr.t("reason-form-token-mismatch"),
        csrf::ADMIN_TOKEN => tr.t("reason-admin-token"),
        other => other.to_owned(),
    }
}

/// Why a nickname was refused.
pub(crate) fn nickname(tr: Tr, e: &NicknameError) -> String {
    match e {
        NicknameError::Empty => tr.t("reason-nickname-empty"),
        NicknameError::TooLong => {
            tr.tn("reason-nickname-too-long", "max", MAX_NICKNAME_CHARS as u64)
        }
        NicknameError::ControlCharacter => tr.t("reason-nickname-control"),
        NicknameError::Invisible => tr.t("reason-nickname-invisible"),
        NicknameError::StackedMarks => tr.t("reason-nickname-marks"),
        NicknameError::NotText => tr.t("reason-nickname-not-text"),
        NicknameError::Rude => tr.t("reason-nickname-rude"),
    }
}

/// Why a device's own action (a nickname, forgetting the device) failed.
pub(crate) fn session(tr: Tr, e: &SessionError) -> String {
    match e {
        SessionError::Nickname(n) => nickname(tr, n),
        SessionError::NicknameLocked => tr.t("reason-nickname-locked"),
        SessionError::NoHistory => tr.t("reason-no-history"),
        SessionError::Busy(_) => tr.t("reason-busy"),
        SessionError::BadRequest(c) => c.say(tr),
        SessionError::MarkLabel(e) => e.complaint().say(tr),
        SessionError::Internal(e) => tr.t1("fail-internal", "error", e),
        // A database's or a rule's own words.
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_common_reasons_are_said_in_each_language() {
        let de = Tr::new(Lang::De);
        let en = Tr::new(Lang::En);
        // English as the code said it before.
        assert_eq!(
            nickname(en, &NicknameError::TooLong),
            NicknameError::TooLong.to_string()
        );
        assert_eq!(
            session(en, &SessionError::NicknameLocked),
            SessionError::NicknameLocked.to_string()
        );
        for reason in [CROSS, COOKIE, MISMATCH, csrf::ADMIN_TOKEN] {
            let (said, de) = (
                csrf(en, &CsrfRejection(reason)),
                csrf(de, &CsrfRejection(reason)),
            );
            assert!(
                reason.starts_with(&said) && !de.contains('⟦') && de != said,
                "{de}"
            );
        }
        let all = [
            NicknameError::Empty,
            NicknameError::TooLong,
            NicknameError::ControlCharacter,
            NicknameError::Invisible,
            NicknameError::StackedMarks,
            NicknameError::NotText,
            NicknameError::Rude,
        ];
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            for e in &all {
                let said = nickname(tr, e);
                assert!(!said.contains('⟦'), "{lang}: {said}");
                if lang != Lang::En {
                    assert_ne!(said, e.to_string(), "{lang}");
                }
            }
        }
        assert!(nickname(de, &NicknameError::TooLong).contains("32"));
        assert_eq!(csrf(de, &CsrfRejection("something else")), "something else");
    }

    const CROSS: &str = csrf::CROSS_SITE;
    const COOKIE: &str = csrf::NO_FORM_COOKIE;
    const MISMATCH: &str = csrf::TOKEN_MISMATCH;
}
