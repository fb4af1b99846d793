//! Words kept to be said later: a catalogue message id and its string arguments, said in
//! each reader's language when a page, a file or the console shows them ([`Words::say`]),
//! in English for logs and the API ([`fmt::Display`]). Status warnings, form complaints and
//! setup's console lines are each one family of these, told apart by their message prefix.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;

use super::{Lang, Tr};

/// A family of [`Words`]: the prefix of its messages in the catalogues (`"status-"`).
pub trait Family {
    /// The catalogue prefix of the family's message ids.
    const PREFIX: &'static str;
}

/// The message `<prefix><id>` with its arguments (each a string: numbers as digits; names,
/// values as sent and other programs' own words as they came).
#[derive(Serialize)]
#[serde(bound = "")]
pub struct Words<F> {
    /// The message id without the family's prefix (`"uplink-portal"`).
    pub id: &'static str,
    /// Its arguments by name.
    pub args: BTreeMap<&'static str, String>,
    #[serde(skip)]
    family: PhantomData<F>,
}

impl<F: Family> Words<F> {
    /// The message `<prefix><id>` with `args`.
    pub fn new(id: &'static str, args: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        Words {
            id,
            args: args.into_iter().collect(),
            family: PhantomData,
        }
    }

    /// In the language of `tr`.
    pub fn say(&self, tr: Tr) -> String {
        tr.said(&format!("{}{}", F::PREFIX, self.id), &self.args)
    }

    /// In English (the log, the API, the problems file's English part).
    pub fn english(&self) -> String {
        self.say(Tr::new(Lang::En))
    }
}

/// In English: the log, the API's `error`.
impl<F: Family> fmt::Display for Words<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl<F: Family> fmt::Debug for Words<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Words")
            .field("id", &format_args!("{}{}", F::PREFIX, self.id))
            .field("args", &self.args)
            .finish()
    }
}

impl<F: Family> std::error::Error for Words<F> {}

// By hand: a derive would ask the family marker for these too.
impl<F> Clone for Words<F> {
    fn clone(&self) -> Self {
        Words {
            id: self.id,
            args: self.args.clone(),
            family: PhantomData,
        }
    }
}

impl<F> PartialEq for Words<F> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.args == other.args
    }
}

impl<F> Eq for Words<F> {}
