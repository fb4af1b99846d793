//! `GET /api/v1/sessions/{id}/export?format=csv|json&part=...` and
//! `GET /api/v1/sessions/{id}/report?format=csv|json` (admin).
//!
//! * JSON: one document `{"session": {...}, "exported_at": ..., "devices": [...],
//!   "flows": [...], "dns": [...], "hosts": [...]}`; `part=` keeps only that list.
//! * CSV: one table per file, chosen with `part=devices|flows|dns|hosts` (default
//!   `flows`): what a spreadsheet opens directly. UTF-8 with a byte-order mark (so Excel
//!   reads accents right), a header row, times as `YYYY-MM-DD HH:MM:SS` in UTC (columns end
//!   in `_utc`), lists joined with spaces, and text cells that a spreadsheet would run as a
//!   formula (starting with `=`, `+`, `-`, `@`) prefixed with `'`: host names come from the
//!   devices themselves.
//! * `report` is `part=hosts`: per remote host (address and name) the bytes to and from it,
//!   organization, country, first and last seen, flows and devices.
//! * No MAC addresses: devices are listed by address, host name and nickname only, in
//!   every export (a MAC identifies a device beyond the class; the admin page does not
//!   need it to tell devices apart).
//!
//! The body is streamed: a blocking thread reads the rows ([`SessionReader`], one snapshot)
//! and hands the response 64 KiB chunks through a channel of 4; a client that stops reading
//! for a minute ends the export. At most two exports run at once (`503` otherwise).

use std::io::Write;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::store::{DeviceRow, ExportError, FlowRow, HostRow, Session, SessionReader, Store};
use crate::web::admin::state::{blocking, AdminError};
use crate::web::auth::AdminSession;
use crate::web::AppState;

/// Bytes per streamed chunk.
const CHUNK: usize = 64 * 1024;
/// Chunks buffered between the reading thread and the client.
const CHUNKS_BUFFERED: usize = 4;
/// A client that takes longer than this to read one chunk is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// Waiting for an export slot.
const SLOT_WAIT: Duration = Duration::from_secs(5);

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sessions/{id}/export", get(export))
        .route("/api/v1/sessions/{id}/report", get(report))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportQuery {
    format: Option<String>,
    part: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Devices,
    Flows,
    Dns,
    Hosts,
}

impl Part {
    const ALL: [Part; 4] = [Part::Devices, Part::Flows, Part::Dns, Part::Hosts];

    fn name(self) -> &'static str {
        match self {
            Part::Devices => "devices",
            Part::Flows => "flows",
            Part::Dns => "dns",
            Part::Hosts => "hosts",
        }
    }
}

fn parse(q: &ExportQuery, report: bool) -> Result<(Format, Option<Part>), AdminError> {
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "csv" => Format::Csv,
        other => {
            return Err(AdminError::BadRequest(crate::i18n::Complaint::new(
                "export-format",
                [("value", format!("{other:?}"))],
            )))
        }
    };
    let part = match (report, q.part.as_deref()) {
        (true, None | Some("hosts")) => Some(Part::Hosts),
        (true, Some(_)) => {
            return Err(AdminError::BadRequest(crate::i18n::Complaint::new(
                "export-report-part",
                [],
            )))
        }
        (false, None) if format == Format::Csv => Some(Part::Flows),
        (false, None) => None,
        (false, Some(p)) => Some(Part::ALL.into_iter().find(|x| x.name() == p).ok_or_else(
            || {
                AdminError::BadRequest(crate::i18n::Complaint::new(
                    "export-part",
                    [("value", format!("{p:?}"))],
                ))
            },
        )?),
    };
    Ok((format, part))
}

async fn export(
    State(app): State<AppState>,
    _admin: AdminSession,
    Path(id): Path<i64>,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    run(app, id, q, false).await
}

async fn report(
    State(app): State<AppState>,
    _admin: AdminSession,
    Path(id): Path<i64>,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    run(app, id, q, true).await
}

async fn run(
    app: AppState,
    id: i64,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
    report: bool,
) -> Response {
    match start(app, id, q, report).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn start(
    app: AppState,
    id: i64,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
    report: bool,
) -> Result<Response, AdminError> {
    let Query(q) = q.map_err(|e| {
        AdminError::BadRequest(crate::i18n::Complaint::new(
            "body",
            [("error", e.body_text())],
        ))
    })?;
    let (format, part) = parse(&q, report)?;
    let store = app.admin.store().cloned().ok_or(AdminError::NoHistory)?;
    let session = {
        let store = store.clone();
        blocking(move || Ok(store.session(id)?)).await?
    }
    .ok_or(AdminError::Store(crate::store::StoreError::NoSuchSession(
        id,
    )))?;
    let permit = tokio::time::timeout(SLOT_WAIT, app.admin.exports.clone().acquire_owned())
        .await
        .map_err(|_| AdminError::Busy(crate::session::BusyWith::Exports))?
        .map_err(|_| AdminError::Busy(crate::session::BusyWith::ExportsStopping))?;
    let current = store.current_session_id() == session.id;
    let (tx, rx) = mpsc::channel::<std::io::Result<Vec<u8>>>(CHUNKS_BUFFERED);
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        let mut sink = ChunkSink {
            buf: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
            rt: rt.clone(),
        };
        let result = write_export(&store, &session, current, format, part, &mut sink)
            .and_then(|()| sink.send().map_err(ExportError::Sink));
        if let Err(e) = result {
            match e {
                ExportError::Sink(e) => tracing::debug!("export of session {id} stopped: {e}"),
                ExportError::Store(e) => {
                    tracing::warn!("export of session {id} failed: {e}");
                    // Ends the body with an error: the client sees a broken download, not a
                    // complete-looking short file.
                    let _ = rt.block_on(tx.send(Err(std::io::Error::other(e.to_string()))));
                }
            }
        }
    });
    let part_name = part.map_or("all", Part::name);
    let (ctype, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    let kind = if report { "report" } else { part_name };
    let disposition = format!("attachment; filename=\"whereflow-session-{id}-{kind}.{ext}\"");
    let mut res = Body::from_stream(ReceiverStream::new(rx)).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `io::Write` into the response: bytes are sent in [`CHUNK`]s, waiting (bounded) for the
/// client to take them.
struct ChunkSink {
    buf: Vec<u8>,
    tx: mpsc::Sender<std::io::Result<Vec<u8>>>,
    rt: tokio::runtime::Handle,
}

impl ChunkSink {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        match self
            .rt
            .block_on(tokio::time::timeout(SEND_TIMEOUT, self.tx.send(Ok(chunk))))
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }
}

impl Write for ChunkSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Chunks go when full or at the end; a flush from a row writer sends nothing.
        Ok(())
    }
}

fn write_export(
    store: &Store,
    session: &Session,
    current: bool,
    format: Format,
    part: Option<Part>,
    sink: &mut ChunkSink,
) -> Result<(), ExportError> {
    let reader = store.session_reader()?;
    match (format, part) {
        (Format::Json, part) => write_json(&reader, session, current, part, sink),
        (Format::Csv, Some(part)) => write_csv(&reader, session.id, part, sink),
        // `parse` gives CSV a part always.
        (Format::Csv, None) => write_csv(&reader, session.id, Part::Flows, sink),
    }
}

#[derive(Serialize)]
struct SessionHead<'a> {
    #[serde(flatten)]
    session: &'a Session,
    current: bool,
}

fn write_json(
    r: &SessionReader,
    session: &Session,
    current: bool,
    part: Option<Part>,
    out: &mut ChunkSink,
) -> Result<(), ExportError> {
    let io = |e: serde_json::Error| ExportError::Sink(std::io::Error::other(e));
    out.write_all(b"{\"session\":")?;
    serde_json::to_writer(&mut *out, &SessionHead { session, current }).map_err(io)?;
    write!(
        out,
        ",\"exported_at\":{}",
        serde_json::to_string(&Utc::now()).map_err(io)?
    )?;
    let parts = match part {
        Some(p) => vec![p],
        None => Part::ALL.to_vec(),
    };
    for p in parts {
        write!(out, ",\"{}\":[", p.name())?;
        let mut first = true;
        let mut row = |out: &mut ChunkSink, v: &dyn erased::Row| -> std::io::Result<()> {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            v.write_json(out)
        };
        match p {
            Part::Devices => r.devices(session.id, |d| row(out, &d))?,
            Part::Flows => r.flows(session.id, |f| row(out, &f))?,
            Part::Dns => r.dns(session.id, |a| row(out, &a))?,
            Part::Hosts => r.hosts(session.id, |h| row(out, &h))?,
        };
        out.write_all(b"]")?;
    }
    out.write_all(b"}\n")?;
    Ok(())
}

/// One row type, written as JSON without knowing which.
mod erased {
    pub trait Row {
        fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Row for T {
        fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            serde_json::to_writer(out, self).map_err(std::io::Error::other)
        }
    }
}

/// A serialized enum as text (`"tcp"` → `tcp`, `6` → `6`).
fn json_text(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// A spreadsheet-friendly time.
pub(crate) fn sheet_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Text a spreadsheet would take for a formula gets a leading `'`.
pub(crate) fn cell(s: &str) -> String {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

fn opt(s: Option<&str>) -> String {
    s.map(cell).unwrap_or_default()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    cell(
        &items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

const DEVICE_HEADER: &[&str] = &[
    "ip",
    "name",
    "hostname",
    "nickname",
    "first_seen_utc",
    "last_seen_utc",
    "dns_answers",
    "flows",
    "bytes_up",
    "bytes_down",
    // Last, so the older columns keep their places.
    "device",
];

fn device_record(d: &DeviceRow) -> Vec<String> {
    vec![
        d.ip.to_string(),
        opt(d.name.as_deref()),
        opt(d.hostname.as_deref()),
        opt(d.nickname.as_deref()),
        sheet_time(d.first_seen),
        sheet_time(d.last_seen),
        d.dns_answers.to_string(),
        d.flows.to_string(),
        d.bytes_up.to_string(),
        d.bytes_down.to_string(),
        d.device.clone(),
    ]
}

const FLOW_HEADER: &[&str] = &[
    "id",
    "device_ip",
    "device_name",
    "remote_ip",
    "remote_port",
    "proto",
    "domain",
    "candidates",
    "registrable_domain",
    "org",
    "category",
    "tracker",
    "asn",
    "as_org",
    "country",
    "city",
    "lat",
    "lon",
    "address_range",
    "bytes_up",
    "bytes_down",
    "packets_up",
    "packets_down",
    "first_seen_utc",
    "last_seen_utc",
    "state",
];

fn flow_record(row: &FlowRow) -> Vec<String> {
    let f = &row.flow;
    let e = &f.enrichment;
    vec![
        f.id.clone(),
        f.device_ip.to_string(),
        opt(row.device_name.as_deref()),
        f.remote_ip.to_string(),
        f.remote_port.to_string(),
        json_text(serde_json::to_value(f.proto).unwrap_or_default()),
        opt(f.domain.as_ref().map(|d| d.as_str())),
        join(&f.candidates),
        opt(e.registrable_domain.as_ref().map(|d| d.as_str())),
        opt(e.org.as_deref()),
        e.category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        yes_no(e.tracker).into(),
        e.asn.map(|a| a.to_string()).unwrap_or_default(),
        opt(e.as_org.as_deref()),
        opt(e.country.as_deref()),
        opt(e.city.as_deref()),
        e.lat.map(|v| v.to_string()).unwrap_or_default(),
        e.lon.map(|v| v.to_string()).unwrap_or_default(),
        e.address_range
            .map(|r| json_text(serde_json::to_value(r).unwrap_or_default()))
            .unwrap_or_default(),
        f.bytes_up.to_string(),
        f.bytes_down.to_string(),
        f.packets_up.to_string(),
        f.packets_down.to_string(),
        sheet_time(f.first_seen),
        sheet_time(f.last_seen),
        json_text(serde_json::to_value(f.state).unwrap_or_default()),
    ]
}

const DNS_HEADER: &[&str] = &[
    "at_utc",
    "device_ip",
    "name",
    "qtype",
    "rcode",
    "chain",
    "addrs",
    "ttl",
];

fn dns_record(a: &crate::model::DnsLogEntry) -> Vec<String> {
    vec![
        sheet_time(a.at),
        a.device_ip.to_string(),
        cell(a.name.as_str()),
        cell(&a.qtype),
        cell(&a.rcode),
        join(&a.chain),
        join(&a.addrs),
        a.ttl.to_string(),
    ]
}

const HOST_HEADER: &[&str] = &[
    "remote_ip",
    "domain",
    "registrable_domain",
    "org",
    "category",
    "tracker",
    "asn",
    "as_org",
    "country",
    "city",
    "bytes_to_host",
    "bytes_from_host",
    "flows",
    "devices",
    "first_seen_utc",
    "last_seen_utc",
];

fn host_record(h: &HostRow) -> Vec<String> {
    vec![
        h.remote_ip.clone(),
        opt(h.domain.as_deref()),
        opt(h.registrable_domain.as_deref()),
        opt(h.org.as_deref()),
        opt(h.category.as_deref()),
        yes_no(h.tracker).into(),
        h.asn.map(|a| a.to_string()).unwrap_or_default(),
        opt(h.as_org.as_deref()),
        opt(h.country.as_deref()),
        opt(h.city.as_deref()),
        h.bytes_to_host.to_string(),
        h.bytes_from_host.to_string(),
        h.flows.to_string(),
        h.devices.to_string(),
        sheet_time(h.first_seen),
        sheet_time(h.last_seen),
    ]
}

fn write_csv(
    r: &SessionReader,
    session: i64,
    part: Part,
    out: &mut ChunkSink,
) -> Result<(), ExportError> {
    let io = |e: csv::Error| std::io::Error::other(e);
    // Byte-order mark: Excel then reads the file as UTF-8.
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(&mut *out);
    let header = match part {
        Part::Devices => DEVICE_HEADER,
        Part::Flows => FLOW_HEADER,
        Part::Dns => DNS_HEADER,
        Part::Hosts => HOST_HEADER,
    };
    w.write_record(header).map_err(io)?;
    match part {
        Part::Devices => r.devices(session, |d| w.write_record(device_record(&d)).map_err(io))?,
        Part::Flows => r.flows(session, |f| w.write_record(flow_record(&f)).map_err(io))?,
        Part::Dns => r.dns(session, |a| w.write_record(dns_record(&a)).map_err(io))?,
        Part::Hosts => r.hosts(session, |h| w.write_record(host_record(&h)).map_err(io))?,
    };
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-x"), "'-x");
        assert_eq!(cell("@x"), "'@x");
        assert_eq!(cell("annas-phone"), "annas-phone");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn query_is_checked() {
        let q = |f: Option<&str>, p: Option<&str>| ExportQuery {
            format: f.map(String::from),
            part: p.map(String::from),
        };
        assert_eq!(parse(&q(None, None), false).unwrap(), (Format::Json, None));
        assert_eq!(
            parse(&q(Some("csv"), None), false).unwrap(),
            (Format::Csv, Some(Part::Flows))
        );
        assert_eq!(
            parse(&q(Some("csv"), Some("dns")), false).unwrap(),
            (Format::Csv, Some(Part::Dns))
        );
        assert_eq!(
            parse(&q(Some("csv"), None), true).unwrap(),
            (Format::Csv, Some(Part::Hosts))
        );
        assert!(parse(&q(Some("xml"), None), false).is_err());
        assert!(parse(&q(None, Some("macs")), false).is_err());
        assert!(parse(&q(None, Some("flows")), true).is_err());
    }

    #[test]
    fn headers_and_records_line_up() {
        use crate::model::FlowKey;
        use crate::model::{DeviceId, Proto};
        use crate::model::{FlowRecord, FlowState};
        let flow = FlowRow {
            flow: FlowRecord {
                id: "1-2".into(),
                key: FlowKey { id: 1, start_ns: 2 },
                device_ip: DeviceId("10.0.0.2".parse().unwrap()),
                remote_ip: "203.0.113.5".parse().unwrap(),
                remote_port: 443,
                local_port: None,
                proto: Proto::Tcp,
                domain: None,
                candidates: vec![],
                bytes_up: 1,
                bytes_down: 2,
                packets_up: 3,
                packets_down: 4,
                first_seen: Utc::now(),
                last_seen: Utc::now(),
                state: FlowState::Open,
                enrichment: Default::default(),
            },
            device_name: Some("=cmd".into()),
        };
        let rec = flow_record(&flow);
        assert_eq!(rec.len(), FLOW_HEADER.len());
        assert_eq!(rec[2], "'=cmd");
        assert_eq!(rec[5], "tcp");
        assert_eq!(rec[25], "open");
        let host = HostRow {
            remote_ip: "203.0.113.5".into(),
            domain: None,
            registrable_domain: None,
            org: None,
            category: None,
            tracker: false,
            asn: None,
            as_org: None,
            country: None,
            city: None,
            bytes_to_host: 0,
            bytes_from_host: 0,
            flows: 0,
            devices: 0,
            first_seen: Utc::now(),
            last_seen: Utc::now(),
        };
        assert_eq!(host_record(&host).len(), HOST_HEADER.len());
    }
}
