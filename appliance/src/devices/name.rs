//! A device's name as data: either a name someone gave it (its owner's nickname, its DHCP host
//! name, its pseudonym) shown as it is, or one the appliance makes up ("Apple device",
//! "Device .10", "Hidden device"), said in each reader's language.
//!
//! The English form is the stable `name` of the API (and what older clients compare); pages
//! say [`DeviceName::say`], and the JSON carries [`DeviceName::words`] as `name_words` so the
//! scripts can say it too (`deviceName` in `web-templates/src/lib/format.js`).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::i18n::{Lang, Tr};

/// A device's name: given, or made by the appliance from what it knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceName {
    /// A name shown as it is: a nickname, a DHCP host name.
    Given(String),
    /// The session's pseudonym ("Blue Otter", "Blauer Otter"): the same device in every
    /// language, its words in the reader's.
    Pseudonym(super::pseudonym::Pseudonym),
    /// Nothing but the maker is known: "Apple device".
    Vendor(&'static str),
    /// Nothing is known but its address: "Device .10", "Device :1a2b" (the address tail keeps
    /// two such devices apart).
    Address(String),
    /// Nothing is known at all: "Device".
    Plain,
    /// Hidden from the group views by the teacher: "Hidden device".
    Hidden,
}

/// A made-up name as a message of `views.ftl` and its arguments, for the scripts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameWords {
    /// The message id (`device-name-address`).
    pub id: &'static str,
    /// Its arguments by name.
    pub args: std::collections::BTreeMap<&'static str, String>,
}

impl DeviceName {
    /// The name in the language of `tr` (a `Tr` or a reference to one, as templates pass it).
    pub fn say(&self, tr: impl std::borrow::Borrow<Tr>) -> String {
        let tr = *tr.borrow();
        match self {
            DeviceName::Given(n) => n.clone(),
            DeviceName::Pseudonym(p) => p.say(tr),
            _ => match self.words() {
                Some(w) => tr.said(w.id, &w.args),
                None => String::new(),
            },
        }
    }

    /// A made-up name's message and arguments; `None` for a given name.
    pub fn words(&self) -> Option<NameWords> {
        let (id, args): (&'static str, Vec<(&'static str, String)>) = match self {
            DeviceName::Given(_) => return None,
            DeviceName::Pseudonym(p) => return Some(p.words()),
            DeviceName::Vendor(v) => ("device-name-vendor", vec![("vendor", (*v).to_owned())]),
            DeviceName::Address(tail) => ("device-name-address", vec![("tail", tail.clone())]),
            DeviceName::Plain => ("device-name-plain", Vec::new()),
            DeviceName::Hidden => ("device-name-hidden", Vec::new()),
        };
        Some(NameWords {
            id,
            args: args.into_iter().collect(),
        })
    }

    /// Whether the appliance made it up (it says nothing about the device's owner).
    pub fn is_made(&self) -> bool {
        !matches!(self, DeviceName::Given(_))
    }
}

/// The English form: the API's stable `name`.
impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceName::Given(n) => f.write_str(n),
            DeviceName::Pseudonym(p) => p.fmt(f),
            _ => f.write_str(&self.say(Tr::new(Lang::En))),
        }
    }
}

impl Serialize for DeviceName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A given name (a nickname, a host name).
impl From<&str> for DeviceName {
    fn from(name: &str) -> Self {
        DeviceName::Given(name.to_owned())
    }
}

impl PartialEq<&str> for DeviceName {
    fn eq(&self, other: &&str) -> bool {
        let english = self.to_string();
        english == *other
    }
}

impl PartialEq<String> for DeviceName {
    fn eq(&self, other: &String) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_names_are_said_in_each_language_and_stay_distinct() {
        let ten = DeviceName::Address(".10".into());
        let eleven = DeviceName::Address(".11".into());
        assert_eq!(ten.to_string(), "Device .10");
        assert_eq!(DeviceName::Vendor("Apple").to_string(), "Apple device");
        assert_eq!(DeviceName::Plain.to_string(), "Device");
        assert_eq!(DeviceName::Hidden.to_string(), "Hidden device");
        assert_eq!(
            DeviceName::Given("annas-phone".into()).say(Tr::new(Lang::De)),
            "annas-phone"
        );
        assert_eq!(DeviceName::Given("x".into()).words(), None);
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            let (a, b) = (ten.say(tr), eleven.say(tr));
            assert!(
                a.contains(".10") && b.contains(".11") && a != b,
                "{lang}: {a} / {b}"
            );
            for n in [
                &ten,
                &DeviceName::Vendor("Apple"),
                &DeviceName::Plain,
                &DeviceName::Hidden,
            ] {
                let said = n.say(tr);
                assert!(!said.contains('⟦') && !said.is_empty(), "{lang}: {said}");
                if lang != Lang::En {
                    assert_ne!(said, n.to_string(), "{lang} says it in English");
                }
            }
        }
        assert_eq!(
            DeviceName::Vendor("Apple").say(Tr::new(Lang::De)),
            "Apple-Gerät"
        );
        let w = ten.words().unwrap();
        assert_eq!(
            (w.id, w.args["tail"].as_str()),
            ("device-name-address", ".10")
        );
        assert_eq!(serde_json::to_value(&ten).unwrap(), "Device .10");
    }
}
