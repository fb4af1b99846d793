//! `GET /`: what this is and how to read it (the categories in plain words, and where the
//! data the views draw on comes from).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::enrich::attribution::Source;
use crate::web::page::{category_views, html, CategoryView, Layout};
use crate::web::AppState;

/// Routes of this page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "index.html")]
struct HomePage {
    page: Layout,
    categories: Vec<CategoryView>,
    sources: Vec<Source>,
    sources_error: String,
}

async fn home(State(app): State<AppState>) -> Response {
    let (sources, sources_error) = match crate::enrich::attribution::sources() {
        Ok(s) => (s, String::new()),
        Err(e) => (Vec::new(), e.to_string()),
    };
    let page = Layout::new(&app, "title-home", "home", "home");
    html(&HomePage {
        categories: category_views(page.tr),
        page,
        sources,
        sources_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;
    use crate::web::assets;
    use crate::web::page::test_layout as layout;

    #[test]
    fn home_page_explains_and_attributes() {
        let html = HomePage {
            page: layout("home", "home"),
            categories: category_views(crate::i18n::Tr::new(crate::i18n::Lang::En)),
            sources: crate::enrich::attribution::sources().unwrap(),
            sources_error: String::new(),
        }
        .render()
        .unwrap();
        assert!(html.contains("<main"));
        assert!(html.contains("<a href=\"https://db-ip.com\">IP Geolocation by DB-IP</a>"));
        for c in Category::ALL {
            assert!(html.contains(&format!("cat-{}", c.as_str())), "{c}");
        }
        assert!(!html.contains("Room <4>"), "the site name is escaped");
        assert!(html.contains(&assets::url("home.js")));
    }
}
