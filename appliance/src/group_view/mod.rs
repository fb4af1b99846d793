//! What the teacher keeps off the projector (issue 13, point 4): devices, nicknames and
//! domains hidden from the group views (sankey, map, presenter, device list), nicknames
//! cleared or locked, and the "names off" switch. Not a stage: the rules are data that the
//! web reads when it builds a group view (`correlate::paths::aggregate` takes them resolved
//! as its own [`Hidden`] set, so the correlator does not depend on this module), that
//! `session` changes (the admin's actions, saved per session by `store::group_view`), and
//! that the device's own page ignores.
//!
//! - `censor`: the rules applied to the row-by-row outputs (flows, DNS answers, alerts, the
//!   event stream) for a viewer who is not the admin ([`Censor`]).
//! - `rules`: the rules ([`Rule`]), checked targets, and [`Grouping`], the bounded set the
//!   views ask ("is this device hidden?", "which name does the projector show?").

pub(crate) mod censor;
pub(crate) mod rules;

pub(crate) use censor::{Censor, Shown};

pub(crate) use crate::correlate::paths::Hidden;
pub(crate) use rules::{
    DeviceTarget, GroupViewError, Grouping, Rule, RuleAction, RuleKind, Target,
};
