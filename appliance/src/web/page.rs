//! The page toolkit: what every server-rendered page shares. The layout (`base.html`) and its
//! data ([`Layout`]), the response with the headers every page gets ([`html`]), JSON safe
//! inside a script element, escaping, and the words every page uses for categories, alert
//! kinds and amounts of data.
//!
//! Every page is a complete HTML page that reads without JavaScript; the scripts
//! (`web-templates/src/`, embedded by `build.rs`, see [`super::assets`]) make the views live.
//! Pages are sent with a Content-Security-Policy that allows this appliance only: even a bug
//! in a script cannot make a browser fetch anything from another host.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::i18n::{self, Tr};
use crate::model::{AlertKind, Category};
use crate::web::assets;
use crate::web::language;
use crate::web::AppState;

/// Only this appliance: scripts, styles, data and images from the same origin (and `data:`
/// images for the inline favicon); no frames, no plugins.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What the shared layout (`base.html`) needs.
pub struct Layout {
    /// The translator of the page's language (the templates write every word with it).
    pub tr: Tr,
    /// The message id of the page's own title (before " · site name").
    pub title: &'static str,
    /// Which navigation entry is the current page (`home`, `sankey`, `map`, `alerts`, `me`,
    /// `presenter`).
    pub active: &'static str,
    /// `site.name`.
    pub site_name: String,
    /// URL of the style sheet.
    pub css: String,
    /// URL of the page's script (empty: none).
    pub js: String,
    /// The categories as JSON for the scripts (`<script type="application/json">`), already
    /// safe to put inside a script element.
    pub categories_json: String,
    /// The alert kinds' labels and symbols as JSON for the scripts (the same words the
    /// server renders), safe inside a script element.
    pub alert_kinds_json: String,
    /// The language switcher: (code, the language's own name, link) per language.
    pub languages: Vec<(&'static str, &'static str, String)>,
    /// The scripts' catalogue and country names in the page's language (`lib/i18n.js`), safe
    /// inside a script element.
    pub i18n_json: String,
}

impl Layout {
    /// The layout of a page whose script is `web-templates/src/<script>.js` (or none), in
    /// the request's language (`web::language`); `title` is a message id.
    pub fn new(app: &AppState, title: &'static str, active: &'static str, script: &str) -> Self {
        let locale = language::current();
        Self::with_tr(app, locale.tr(app.site.lang()), title, active, script)
    }

    /// The same in the language of `tr`.
    pub fn with_tr(
        app: &AppState,
        tr: Tr,
        title: &'static str,
        active: &'static str,
        script: &str,
    ) -> Self {
        Layout {
            languages: language::switcher_links(&language::current().path),
            i18n_json: i18n_json(tr),
            tr,
            title,
            active,
            site_name: app.site.name.clone(),
            css: assets::url("style.css"),
            js: if script.is_empty() {
                String::new()
            } else {
                assets::url(&format!("{script}.js"))
            },
            categories_json: categories_json(tr),
            alert_kinds_json: kinds_json(tr),
        }
    }
}

/// The scripts' words: `{"lang", "ftl": views.ftl of the language, "countries": {code: name}}`.
fn i18n_json(tr: Tr) -> String {
    script_json(&json!({
        "lang": tr.code(),
        "ftl": i18n::views_source(tr.lang()),
        "countries": i18n::country_names(tr.lang()),
    }))
}

/// A category as the pages explain it.
pub struct CategoryView {
    /// `advertising`, ...
    pub id: &'static str,
    /// Short label.
    pub label: String,
    /// Plain words.
    pub explain: String,
    /// Counts as tracking.
    pub tracking: bool,
}

/// Every category as the pages explain it, in the language of `tr`.
pub fn category_views(tr: Tr) -> Vec<CategoryView> {
    Category::ALL
        .iter()
        .map(|c| CategoryView {
            id: c.as_str(),
            label: category_label(tr, *c),
            explain: category_explain(tr, *c),
            tracking: c.is_tracking(),
        })
        .collect()
}

/// JSON safe to embed in a `<script type="application/json">` element (no `<` at all, so no
/// `</script>` can end it early).
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A category's short label in the language of `tr`.
pub fn category_label(tr: Tr, c: Category) -> String {
    tr.t(&format!("category-{}", c.as_str()))
}

/// A category in plain words in the language of `tr`.
pub fn category_explain(tr: Tr, c: Category) -> String {
    tr.t(&format!("category-{}-explain", c.as_str()))
}

fn categories_json(tr: Tr) -> String {
    let list: Vec<_> = Category::ALL
        .iter()
        .map(|c| {
            json!({ "id": c.as_str(), "label": category_label(tr, *c),
                    "explain": category_explain(tr, *c),
                    "tracking": c.is_tracking() })
        })
        .collect();
    script_json(&serde_json::Value::Array(list))
}

/// A rendered page with the headers every page gets; a template error is a 500 that says so.
pub fn html<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
                // `same-origin`, not `no-referrer`: with `no-referrer` browsers send
                // `Origin: null` on the page's own form posts (the nickname, forget and ignore
                // forms), which the CSRF check refuses as "another site"; `same-origin` still
                // sends nothing to other sites.
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("page template failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("this page could not be rendered: {e}\n"),
            )
                .into_response()
        }
    }
}

/// A symbol for a kind (in the fonts phones, laptops and the appliance's browser all have).
pub fn kind_icon(k: AlertKind) -> &'static str {
    match k {
        AlertKind::DnsTunnel => "✉",
        AlertKind::Scan => "◎",
        AlertKind::Spoofing => "⇄",
        AlertKind::Upload => "⇧",
        AlertKind::DenyList => "⊘",
        AlertKind::EncryptedDns => "↷",
    }
}

/// Every kind as JSON for the scripts (`[{"id", "label", "icon"}]`), safe inside a
/// `<script type="application/json">` element.
pub fn kinds_json(tr: Tr) -> String {
    let list: Vec<_> = AlertKind::ALL
        .iter()
        .map(|&k| {
            json!({ "id": k.as_str(), "label": tr.t(&format!("alert-kind-{}", k.as_str())),
                          "icon": kind_icon(k) })
        })
        .collect();
    script_json(&serde_json::Value::Array(list))
}

/// The message `id` with `args` in the language of `tr`, as HTML: the sentence escaped, and
/// each argument named in `details` (another program's or the OS's own words, which stay as
/// they came) in `<code lang="en">`, so readers (and the browser test) see that only that
/// part is English. A detail is never a selector's argument.
pub(crate) fn said_html<'a>(
    tr: Tr,
    id: &str,
    args: impl IntoIterator<Item = (&'a str, &'a str)>,
    details: &[&str],
) -> String {
    // Private-use marks stand in for the details while the sentence is said and escaped.
    let mark = |i: usize| format!("\u{E000}{i}\u{E001}");
    let args: Vec<(&str, &str)> = args.into_iter().collect();
    let said = tr.ta(
        id,
        args.iter().enumerate().map(|(i, (k, v))| {
            let v = if details.contains(k) {
                mark(i)
            } else {
                (*v).to_owned()
            };
            (*k, fluent_bundle::FluentValue::from(v))
        }),
    );
    let mut out = html_escape(&said);
    for (i, (k, v)) in args.iter().enumerate() {
        if details.contains(k) {
            let code = format!("<code lang=\"en\">{}</code>", html_escape(v));
            out = out.replace(&mark(i), &code);
        }
    }
    out
}

/// A status warning as HTML in the language of `tr` ([`said_html`]: an `error` argument in
/// `<code lang="en">`).
pub(crate) fn status_html(w: &crate::status::StatusWords, tr: Tr) -> String {
    said_html(
        tr,
        &format!("status-{}", w.id),
        w.args.iter().map(|(k, v)| (*k, v.as_str())),
        &crate::status::DETAILS,
    )
}

/// Text safe inside HTML (element content or a quoted attribute).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A layout for page tests (no app state needed).
#[cfg(test)]
pub(crate) fn test_layout(active: &'static str, script: &str) -> Layout {
    let tr = Tr::new(i18n::Lang::En);
    Layout {
        tr,
        languages: language::switcher_links("/"),
        i18n_json: i18n_json(tr),
        title: "title-home",
        active,
        site_name: "Room <4>".into(),
        css: assets::url("style.css"),
        js: assets::url(&format!("{script}.js")),
        categories_json: categories_json(tr),
        alert_kinds_json: kinds_json(tr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_its_script_element() {
        let v = json!({"a": "</script><b>&"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn every_kind_has_words_and_a_symbol() {
        let json: serde_json::Value =
            serde_json::from_str(&kinds_json(Tr::new(i18n::Lang::En))).unwrap_or_default();
        assert_eq!(json.as_array().map(Vec::len), Some(AlertKind::ALL.len()));
        let en = Tr::new(i18n::Lang::En);
        for k in AlertKind::ALL {
            let label = en.t(&format!("alert-kind-{}", k.as_str()));
            assert!(!label.starts_with('⟦') && !kind_icon(k).is_empty());
            assert!(en
                .t(&format!("alert-kind-{}-explain", k.as_str()))
                .ends_with('.'));
            assert!(json.as_array().is_some_and(|a| a
                .iter()
                .any(|v| v["id"] == k.as_str() && v["label"] == label)));
        }
        let icons: std::collections::BTreeSet<_> = AlertKind::ALL.map(kind_icon).into();
        assert_eq!(icons.len(), AlertKind::ALL.len(), "one symbol per kind");
    }
}
