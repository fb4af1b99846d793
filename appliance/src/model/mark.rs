//! A mark: a moment of a session the teacher named ("Now open TikTok"), so the views can
//! show only what happened since, and the timeline and the take-home page show when.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Most characters of a mark's label (after trimming): a short line on a projector.
pub const MAX_MARK_LABEL: usize = 80;

/// Most marks one session keeps (a lesson has a handful; the bound keeps the table and the
/// timeline small whatever a script sends).
pub const MAX_MARKS_PER_SESSION: usize = 200;

/// A named moment of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Its number in its session (1, 2, ...).
    pub id: i64,
    /// The session it belongs to.
    pub session_id: i64,
    /// When it was set.
    pub at: DateTime<Utc>,
    /// What the teacher called it.
    pub label: String,
}

/// Why a label was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkLabelError {
    /// Nothing but spaces.
    #[error("a mark needs a label (e.g. \"Now open your favourite app\")")]
    Empty,
    /// Longer than [`MAX_MARK_LABEL`].
    #[error("a mark's label is at most {MAX_MARK_LABEL} characters; this one has {0}")]
    TooLong(usize),
    /// A control character (a line break, a tab, ...).
    #[error("a mark's label is one line of text, without control characters")]
    Control,
}

impl MarkLabelError {
    /// As a form's complaint (`complaint-mark-*`), said in the reader's language; its
    /// English is this error's text.
    pub fn complaint(&self) -> crate::i18n::Complaint {
        use crate::i18n::Complaint;
        match self {
            MarkLabelError::Empty => Complaint::new("mark-empty", []),
            MarkLabelError::TooLong(n) => Complaint::new(
                "mark-long",
                [
                    ("max", MAX_MARK_LABEL.to_string()),
                    ("count", n.to_string()),
                ],
            ),
            MarkLabelError::Control => Complaint::new("mark-control", []),
        }
    }
}

impl Mark {
    /// `label` trimmed and checked: one line of 1 to [`MAX_MARK_LABEL`] characters.
    /// Refused rather than cut, so the teacher sees what was kept.
    pub fn checked_label(label: &str) -> Result<String, MarkLabelError> {
        let label = label.trim();
        let n = label.chars().count();
        if n == 0 {
            return Err(MarkLabelError::Empty);
        }
        if n > MAX_MARK_LABEL {
            return Err(MarkLabelError::TooLong(n));
        }
        if label.chars().any(char::is_control) {
            return Err(MarkLabelError::Control);
        }
        Ok(label.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_label_says_the_same_as_a_complaint() {
        for e in [
            MarkLabelError::Empty,
            MarkLabelError::TooLong(10_240),
            MarkLabelError::Control,
        ] {
            assert_eq!(e.complaint().to_string(), e.to_string());
            let de = e
                .complaint()
                .say(crate::i18n::Tr::new(crate::i18n::Lang::De));
            assert_ne!(de, e.to_string());
        }
    }

    #[test]
    fn labels_are_trimmed_one_line_and_bounded() {
        assert_eq!(
            Mark::checked_label("  Now open TikTok ").unwrap(),
            "Now open TikTok"
        );
        assert_eq!(Mark::checked_label(" \t "), Err(MarkLabelError::Empty));
        assert_eq!(
            Mark::checked_label(&"é".repeat(MAX_MARK_LABEL)).map(|s| s.chars().count()),
            Ok(MAX_MARK_LABEL)
        );
        let e = Mark::checked_label(&"x".repeat(10_240)).unwrap_err();
        assert_eq!(e, MarkLabelError::TooLong(10_240));
        assert!(e.to_string().contains("at most 80"), "{e}");
        assert_eq!(Mark::checked_label("a\nb"), Err(MarkLabelError::Control));
    }
}
