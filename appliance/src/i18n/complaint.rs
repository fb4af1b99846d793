//! A form's complaint about what was sent (a value out of range, a field missing) as a
//! catalogue message and its arguments: the pages say it in the reader's language, the API's
//! JSON `error` and the log in English ([`std::fmt::Display`]).

use super::words::{Family, Words};

/// The family of form complaints: `complaint-<id>` of `pages.ftl`.
#[derive(Debug)]
pub enum Complaints {}

impl Family for Complaints {
    const PREFIX: &'static str = "complaint-";
}

/// A form's complaint: the message `complaint-<id>` of `pages.ftl` with its arguments (values
/// as they were sent, quoted; an error's own words as they came).
pub type Complaint = Words<Complaints>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Tr};

    /// Every complaint with the arguments its producer gives.
    pub(crate) fn every_complaint() -> Vec<Complaint> {
        let c = |id, args: &[(&'static str, &str)]| {
            Complaint::new(id, args.iter().map(|(k, v)| (*k, (*v).to_owned())))
        };
        vec![
            c("body", &[("error", "missing field `scope`")]),
            c("export-format", &[("value", "\"xml\"")]),
            c("export-report-part", &[]),
            c("export-part", &[("value", "\"files\"")]),
            c(
                "not-a-number",
                &[("key", "history.max_db_mb"), ("value", "\"lots\"")],
            ),
            c(
                "settings",
                &[("error", "history.retention_days: must be 1 to 3650")],
            ),
            c("scope-all-device", &[]),
            c("scope-device-needed", &[]),
            c("scope", &[("value", "\"room\"")]),
            c("not-a-device", &[("value", "\"printer\"")]),
            c("block-kind", &[("value", "\"city\"")]),
            c("block-country", &[("value", "\"Holland\"")]),
            c("block-org-empty", &[]),
            c("block-org-long", &[("max", "200")]),
            c("block-org-control", &[]),
            c("block-ip", &[("value", "\"10.0.0\"")]),
            c("block-ip-never", &[("value", "127.0.0.1")]),
            c("mark-empty", &[]),
            c("mark-long", &[("max", "80"), ("count", "10240")]),
            c("mark-control", &[]),
            c(
                "mark-body",
                &[("max", "80"), ("error", "missing field `label`")],
            ),
            c("query", &[("error", "invalid digit found in string")]),
            c("replay-window", &[("max", "3600"), ("value", "0")]),
            c("replay-at", &[]),
            c("session-name-long", &[("max", "100")]),
            c("session-name-control", &[]),
        ]
    }

    #[test]
    fn every_complaint_is_said_in_every_language() {
        let all = every_complaint();
        let english = include_str!("../../locales/en/pages.ftl");
        let ids: Vec<&str> = english
            .lines()
            .filter_map(|l| l.strip_prefix("complaint-")?.split_once(" = "))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids.len(), all.len(), "{ids:?}");
        for c in &all {
            assert!(ids.contains(&c.id), "complaint-{} is not in English", c.id);
            let mut said = std::collections::BTreeSet::new();
            for lang in Lang::ALL {
                let text = c.say(Tr::new(lang));
                assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
                for v in c.args.values() {
                    assert!(text.contains(v.as_str()), "{lang} drops {v}: {text}");
                }
                said.insert(text);
            }
            assert_eq!(said.len(), Lang::ALL.len(), "not translated: {said:?}");
        }
        assert_eq!(
            all[4].to_string(),
            "history.max_db_mb: not a number: \"lots\""
        );
    }
}
