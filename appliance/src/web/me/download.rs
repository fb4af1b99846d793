//! `GET /me/takehome.json` and `GET /me/takehome.csv`: the device's own data to keep.
//!
//! JSON is the whole [`TakeHome`]; CSV is its flows, one row each, as the admin's export
//! writes them (UTF-8 with a byte-order mark, times in UTC, formula-looking text defused:
//! names come from the network and are untrusted).

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::web::admin::export::{cell, sheet_time};
use crate::web::auth::login::{AdminRejection, AdminSession};
use crate::web::me::takehome::{resolve, take_home, words, FlowRow, Refusal, TakeHome, WhoQuery};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Routes of the downloads.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/takehome.json", get(as_json))
        .route("/me/takehome.csv", get(as_csv))
}

/// The CSV columns.
const HEADER: &[&str] = &[
    "first_seen_utc",
    "last_seen_utc",
    "name",
    "domain",
    "company",
    "category",
    "tracker",
    "country",
    "network",
    "remote_ip",
    "remote_port",
    "proto",
    "bytes_sent",
    "bytes_received",
];

/// A refusal as JSON (the downloads are read by programs as much as by people).
fn refused(r: Refusal) -> Response {
    let (status, msg) = match r {
        Refusal::BadDevice => (StatusCode::BAD_REQUEST, words::BAD_DEVICE),
        Refusal::NotYours => (StatusCode::FORBIDDEN, words::NOT_YOURS),
    };
    (status, no_store(), Json(json!({ "error": msg }))).into_response()
}

/// A device's own data: never kept by a cache on the way.
fn no_store() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))]
}

/// `attachment; filename="whereflow-<address>.<ext>"` (the address with `:` made `-`).
fn attachment(t: &TakeHome, ext: &str) -> HeaderValue {
    let safe: String =
        t.ip.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"whereflow-{safe}.{ext}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn as_json(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<AdminSession, AdminRejection>,
    Query(q): Query<WhoQuery>,
) -> Response {
    let device = match resolve(&app, &viewer, &admin, &q) {
        Ok(d) => d,
        Err(r) => return refused(r),
    };
    let t = take_home(&app, device);
    let disposition = attachment(&t, "json");
    (
        no_store(),
        [(header::CONTENT_DISPOSITION, disposition)],
        Json(t),
    )
        .into_response()
}

async fn as_csv(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<AdminSession, AdminRejection>,
    Query(q): Query<WhoQuery>,
) -> Response {
    let device = match resolve(&app, &viewer, &admin, &q) {
        Ok(d) => d,
        Err(r) => return refused(r),
    };
    let t = take_home(&app, device);
    match csv_bytes(&t.flows) {
        Ok(body) => (
            no_store(),
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, attachment(&t, "csv")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("take-home CSV failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the CSV could not be written",
            )
                .into_response()
        }
    }
}

/// The flows as CSV (pure; unit-tested).
fn csv_bytes(flows: &[FlowRow]) -> Result<Vec<u8>, csv::Error> {
    // Byte-order mark: Excel then reads the file as UTF-8.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADER)?;
        let opt = |s: &Option<String>| s.as_deref().map(cell).unwrap_or_default();
        for f in flows {
            w.write_record([
                sheet_time(f.first_seen),
                sheet_time(f.last_seen),
                opt(&f.name),
                opt(&f.domain),
                opt(&f.org),
                f.category.unwrap_or_default().to_owned(),
                if f.tracker { "yes" } else { "no" }.to_owned(),
                opt(&f.country),
                opt(&f.network),
                f.remote_ip.to_string(),
                f.remote_port.to_string(),
                cell(&f.proto),
                f.bytes_up.to_string(),
                f.bytes_down.to_string(),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn csv_quotes_and_defuses_untrusted_names() {
        let t = Utc
            .timestamp_opt(1_800_000_000, 0)
            .single()
            .unwrap_or_default();
        let row = FlowRow {
            first_seen: t,
            last_seen: t,
            name: Some("=HYPERLINK(\"http://x\",\"a,b\")".into()),
            domain: Some("-1+2".into()),
            org: Some("Acme, \"Inc\"".into()),
            category: Some("advertising"),
            tracker: true,
            country: Some("US".into()),
            network: Some("@net".into()),
            remote_ip: "203.0.113.1"
                .parse()
                .unwrap_or(std::net::IpAddr::from([0; 4])),
            remote_port: 443,
            proto: "tcp".into(),
            bytes_up: 1,
            bytes_down: 2,
        };
        let body = String::from_utf8(csv_bytes(&[row]).unwrap_or_default()).unwrap_or_default();
        let mut r = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        let rec = r.records().next().and_then(Result::ok).unwrap_or_default();
        assert_eq!(&rec[2], "'=HYPERLINK(\"http://x\",\"a,b\")");
        assert_eq!(&rec[3], "'-1+2");
        assert_eq!(&rec[4], "Acme, \"Inc\"");
        assert_eq!(&rec[8], "'@net");
        assert_eq!(rec.len(), HEADER.len());
        assert!(body.contains("\"Acme, \"\"Inc\"\"\""), "{body}");
    }
}
