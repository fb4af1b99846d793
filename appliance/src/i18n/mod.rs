//! Languages: the message catalogues (Project Fluent `.ftl` files in `appliance/locales/`,
//! embedded and checked by `build.rs`), choosing a reader's language, and the translator the
//! pages and the boot problems file are written with.
//!
//! - `catalogue`: the embedded catalogues as one Fluent bundle per language, and [`Tr`], a
//!   language's translator (messages, numbers, bytes, country names).
//! - `clock`: [`Clock`], the times written into pages in the reader's time zone (the
//!   browser's offset from a cookie the scripts set), else in UTC, marked.
//! - `words`: [`Words`], a message id and its arguments kept to be said later, in each
//!   reader's language; one family per message prefix (status warnings, complaints, setup's
//!   console lines).
//! - `complaint`: [`Complaint`], a form's complaint as a message and its arguments.
//! - `negotiate`: which language a request gets: the switcher's cookie, else
//!   `Accept-Language`, else `site.language`; anything unknown or malformed is English.
//!
//! One copy of every catalogue serves both sides: the server formats the pages with
//! `pages.ftl` and `views.ftl`, and the pages hand `views.ftl` of their language to the
//! scripts, which format it with `@fluent/bundle` (`web-templates/src/lib/i18n.js`).

mod catalogue;
mod clock;
mod complaint;
pub(crate) mod negotiate;
mod words;

pub use catalogue::Tr;
pub(crate) use catalogue::{country_names, views_source};
pub use clock::Clock;
pub use complaint::Complaint;
pub use negotiate::{from_request, Lang, UnknownLang, COOKIE};
pub use words::{Family, Words};
