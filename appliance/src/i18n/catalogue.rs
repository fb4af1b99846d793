//! The embedded catalogues (`appliance/locales/<lang>/*.ftl`, parsed at build time by
//! `build.rs`, so a syntax error fails the build) as one Fluent bundle per language, and the
//! translator [`Tr`] the pages are written with. Every file of a language goes into its one
//! bundle: `pages.ftl` (the pages), `views.ftl` (also the scripts'), `settings.ftl` (why a
//! setting is refused: the config check, the boot problems file).

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Lang;

// `CATALOGUES: &[(lang, file, source)]` and `COUNTRY_NAMES` (code, en, de, fr, es, ar per line).
include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// One language: its bundle, the scripts' part of its catalogue, its number separators.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    views: String,
    decimal: String,
    group: String,
    countries: HashMap<&'static str, &'static str>,
}

fn catalogues() -> &'static [Catalogue; Lang::ALL.len()] {
    static ALL: OnceLock<[Catalogue; Lang::ALL.len()]> = OnceLock::new();
    ALL.get_or_init(|| Lang::ALL.map(load))
}

fn load(lang: Lang) -> Catalogue {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: the pages are left-to-right only, and the marks would show
    // up in titles and attributes.
    bundle.set_use_isolating(false);
    let mut views = String::new();
    for (code, file, source) in CATALOGUES.iter().filter(|c| c.0 == lang.code()) {
        if *file == "views.ftl" {
            views.push_str(source);
        }
        // build.rs parsed every file: neither error can happen with the embedded sources.
        match FluentResource::try_new((*source).to_string()) {
            Ok(res) => {
                if let Err(e) = bundle.add_resource(res) {
                    tracing::error!("catalogue {code}/{file}: {e:?}");
                }
            }
            Err((_, e)) => tracing::error!("catalogue {code}/{file}: {e:?}"),
        }
    }
    let column = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0) + 1;
    let countries = COUNTRY_NAMES
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let code = cells.next()?;
            Some((code, cells.nth(column - 1)?))
        })
        .filter(|(_, name)| !name.is_empty())
        .collect();
    let mut c = Catalogue {
        bundle,
        views,
        decimal: ".".into(),
        group: ",".into(),
        countries,
    };
    c.decimal = format(&c, "number-decimal", None);
    c.group = format(&c, "number-group", None);
    c
}

/// A message of `c`, or a visible marker (`⟦id⟧`) when the catalogue has none: the browser
/// test looks for it on every page, and a unit test checks every catalogue has every key.
fn format(c: &Catalogue, id: &str, args: Option<&FluentArgs>) -> String {
    let Some(pattern) = c.bundle.get_message(id).and_then(|m| m.value()) else {
        return format!("⟦{id}⟧");
    };
    let mut errors = Vec::new();
    let text = c.bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!("message {id}: {errors:?}");
    }
    text.into_owned()
}

/// The `views.ftl` catalogue of `lang`, which the pages hand to their scripts.
pub(crate) fn views_source(lang: Lang) -> &'static str {
    &catalogues()[lang as usize].views
}

/// The country names of `lang` (code → name), which the pages hand to their scripts.
pub(crate) fn country_names(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    &catalogues()[lang as usize].countries
}

/// A language's translator: what pages and files are written with. Cheap to copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    lang: Lang,
}

impl Tr {
    /// The translator of `lang`.
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    /// Its language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Its language's code (`<html lang>`).
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    fn cat(&self) -> &'static Catalogue {
        &catalogues()[self.lang as usize]
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        format(self.cat(), id, None)
    }

    /// The attribute `attr` of message `id` (`animal-owl.gender`), or `⟦id.attr⟧`.
    pub fn attr(&self, id: &str, attr: &str) -> String {
        let c = self.cat();
        let Some(pattern) = c
            .bundle
            .get_message(id)
            .and_then(|m| m.get_attribute(attr))
            .map(|a| a.value())
        else {
            return format!("⟦{id}.{attr}⟧");
        };
        let mut errors = Vec::new();
        let text = c.bundle.format_pattern(pattern, None, &mut errors);
        if !errors.is_empty() {
            tracing::warn!("message {id}.{attr}: {errors:?}");
        }
        text.into_owned()
    }

    /// The message `id` with one text argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        format(self.cat(), id, Some(&args))
    }

    /// The message `id` with one count `$name` (it chooses the plural form).
    pub fn tn(&self, id: &str, name: &str, n: u64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(n));
        format(self.cat(), id, Some(&args))
    }

    /// The message `id` with named arguments (text or numbers).
    pub fn ta<'a>(
        &self,
        id: &str,
        args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>,
    ) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(k, v);
        }
        format(self.cat(), id, Some(&a))
    }

    /// The message `id` with string arguments (names, numbers as digits, other programs'
    /// words): what the stored message ids with their arguments (status warnings, alerts,
    /// complaints, config reasons, device names) are said with.
    pub fn said<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
        &self,
        id: &str,
        args: impl IntoIterator<Item = (&'a K, &'a V)>,
    ) -> String {
        self.ta(
            id,
            args.into_iter()
                .map(|(k, v)| (k.as_ref(), FluentValue::from(v.as_ref()))),
        )
    }

    /// A whole number with the language's grouping ("12,345", "12.345", "12 345").
    pub fn num(&self, n: u64) -> String {
        group(n, &self.cat().group)
    }

    /// "1.2 MB" / "1,2 MB": decimal units, as phones count data (like the scripts' bytes).
    /// In a right-to-left language the figure and its Latin unit are one isolated run
    /// (U+2068 … U+2069), else Arabic pages would show "kB 417".
    pub fn bytes(&self, n: u64) -> String {
        let text = self.bytes_plain(n);
        if self.lang.dir() == "rtl" {
            format!("\u{2068}{text}\u{2069}")
        } else {
            text
        }
    }

    fn bytes_plain(&self, n: u64) -> String {
        let c = self.cat();
        let units = ["B", "kB", "MB", "GB", "TB"];
        let mut v = n as f64;
        let mut i = 0;
        while v >= 1000.0 && i < units.len() - 1 {
            v /= 1000.0;
            i += 1;
        }
        if i == 0 || v >= 100.0 {
            format!("{} {}", group(v.round() as u64, &c.group), units[i])
        } else {
            let s = format!("{v:.1}");
            let s = s.strip_suffix(".0").unwrap_or(&s).replace('.', &c.decimal);
            format!("{s} {}", units[i])
        }
    }

    /// A country's name in the language (from i18n-iso-countries, as the scripts show it),
    /// the code itself when unknown.
    pub fn country(&self, code: &str) -> String {
        let upper = code.to_ascii_uppercase();
        self.cat()
            .countries
            .get(upper.as_str())
            .map_or(upper.clone(), |n| (*n).to_string())
    }
}

fn group(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// Every message and attribute id of `lang`'s catalogues.
#[cfg(test)]
fn keys(lang: Lang) -> std::collections::BTreeSet<String> {
    use fluent_syntax::ast::Entry;
    let mut out = std::collections::BTreeSet::new();
    for (_, file, source) in CATALOGUES.iter().filter(|c| c.0 == lang.code()) {
        let res = fluent_syntax::parser::parse(*source).unwrap_or_else(|(r, _)| r);
        for entry in res.body {
            if let Entry::Message(m) = entry {
                out.insert(format!("{file}:{}", m.id.name));
                for a in m.attributes {
                    out.insert(format!("{file}:{}.{}", m.id.name, a.id.name));
                }
            }
        }
    }
    out
}

/// Every message of `lang`'s catalogues (`file:id`) and the variables it uses (`$n`).
#[cfg(test)]
fn variables(lang: Lang) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    type Names = std::collections::BTreeSet<String>;
    fn inline(e: &InlineExpression<&str>, out: &mut Names) {
        match e {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn expr(e: &Expression<&str>, out: &mut Names) {
        match e {
            Expression::Inline(i) => inline(i, out),
            Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    pattern(&v.value, out);
                }
            }
        }
    }
    fn pattern(p: &Pattern<&str>, out: &mut Names) {
        for el in &p.elements {
            if let PatternElement::Placeable { expression } = el {
                expr(expression, out);
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for (_, file, source) in CATALOGUES.iter().filter(|c| c.0 == lang.code()) {
        let res = fluent_syntax::parser::parse(*source).unwrap_or_else(|(r, _)| r);
        for entry in res.body {
            if let Entry::Message(m) = entry {
                let mut names = Names::new();
                if let Some(v) = &m.value {
                    pattern(v, &mut names);
                }
                out.insert(format!("{file}:{}", m.id.name), names);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_uses_only_the_arguments_english_has() {
        // The code passes the arguments English names: another one in a translation would
        // show up as "{$name}" on the problems file.
        // English leaves out the line number the TOML parser's words already say, and has
        // no grammatical gender: the code passes every colour its animal's `$gender`.
        let english_leaves_out = [
            ("settings.ftl:config-parse-line", "line"),
            ("views.ftl:colour-", "gender"),
        ];
        let english = variables(Lang::En);
        let mut wrong = Vec::new();
        for lang in Lang::ALL {
            for (id, names) in variables(lang) {
                let Some(en) = english.get(&id) else { continue };
                for name in names.difference(en) {
                    let left_out = english_leaves_out
                        .iter()
                        .any(|(prefix, n)| id.starts_with(prefix) && n == name);
                    if !left_out {
                        wrong.push(format!("{lang} {id} uses ${name}"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "English does not have: {wrong:#?}");
    }

    #[test]
    fn every_catalogue_has_every_key_english_has() {
        let english = keys(Lang::En);
        assert!(english.len() > 50, "the English catalogue is there");
        for lang in Lang::ALL {
            let have = keys(lang);
            let missing: Vec<_> = english.difference(&have).collect();
            let extra: Vec<_> = have.difference(&english).collect();
            assert!(missing.is_empty(), "{lang} misses {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn a_languages_files_share_one_bundle_without_a_key_twice() {
        // The pages read pages.ftl, views.ftl and settings.ftl from one bundle: a key in two
        // would be refused (and logged at every start), and the two texts could drift apart.
        for lang in Lang::ALL {
            let mut bundle = FluentBundle::new_concurrent(Vec::new());
            for (code, file, source) in CATALOGUES.iter().filter(|c| c.0 == lang.code()) {
                let res = FluentResource::try_new((*source).to_string()).unwrap();
                assert!(
                    bundle.add_resource(res).is_ok(),
                    "{code}/{file} repeats a key of another file"
                );
            }
        }
    }

    #[test]
    fn every_key_the_templates_use_is_in_english() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web-templates/templates");
        let english = keys(Lang::En);
        let known = |id: &str| {
            english
                .iter()
                .any(|k| k.split_once(':').is_some_and(|(_, k)| k == id))
        };
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for call in ["t(\"", "t1(\"", "tn(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    let id = &rest[..rest.find('"').unwrap()];
                    assert!(known(id), "{:?} uses {id}, which en lacks", entry.path());
                }
            }
        }
    }

    #[test]
    fn every_reason_the_code_names_is_in_english() {
        // The config check's reasons and setup's problems are catalogue ids in the code
        // (`invalid(key, "config-...", args)`): one missing would say ⟦id⟧ on the console.
        let english = keys(Lang::En);
        let known = |id: &str| {
            english
                .iter()
                .any(|k| k.split_once(':').is_some_and(|(_, k)| k == id))
        };
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for prefix in ["\"config-", "\"problem-"] {
                    for (i, _) in text.match_indices(prefix) {
                        let rest = &text[i + 1..];
                        let id = &rest[..rest.find('"').unwrap()];
                        let word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
                        if id.chars().all(|c| word(c) || c == '-') && id.ends_with(word) {
                            assert!(known(id), "{path:?} uses {id}, which en lacks");
                            seen += 1;
                        }
                    }
                }
            }
        }
        assert!(seen > 80, "the reasons are found ({seen})");
    }

    #[test]
    fn messages_numbers_and_countries_follow_the_language() {
        let de = Tr::new(Lang::De);
        assert_eq!(de.num(1_234_567), "1.234.567");
        assert_eq!(de.bytes(1_200), "1,2 kB");
        assert_eq!(Tr::new(Lang::En).bytes(1_200), "1.2 kB");
        assert_eq!(Tr::new(Lang::En).bytes(123_456_789), "123 MB");
        // Arabic: one isolated left-to-right run inside the right-to-left text.
        assert_eq!(Tr::new(Lang::Ar).bytes(417_000), "\u{2068}417 kB\u{2069}");
        assert_eq!(Tr::new(Lang::Fr).num(12_345), "12\u{202f}345");
        assert_eq!(de.t("no-such-message"), "⟦no-such-message⟧");
        assert_eq!(de.t("nav-home"), "Start");
        if !COUNTRY_NAMES.is_empty() {
            assert_eq!(de.country("de"), "Deutschland");
            assert_eq!(Tr::new(Lang::Es).country("DE"), "Alemania");
            assert_eq!(Tr::new(Lang::En).country("US"), "United States");
        }
        assert_eq!(de.country("ZZ"), "ZZ");
    }
}
