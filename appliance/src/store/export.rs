//! Reading a whole session back out, row by row: devices, flows, DNS answers, and the
//! per-remote-host report.
//!
//! A [`SessionReader`] has its own connection and one read transaction, so an export sees
//! one consistent snapshot of all its parts while the writer goes on writing (WAL), and a
//! slow download never holds the store's shared connection. Rows are handed to a callback
//! one at a time: memory stays flat however large the session is. The callback can stop the
//! export by returning an error (the client went away).

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::model::{DnsLogEntry, FlowRecord};
use crate::store::{codec, connect, session_from_row, Session, Store, StoreError, SESSION_COLUMNS};

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The row callback refused (e.g. the client went away).
    #[error("export stopped: {0}")]
    Sink(#[from] std::io::Error),
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Store(StoreError::Sqlite(e))
    }
}

/// One device of a session with its totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceRow {
    /// Which device of the export the address belongs to (`device-1`, `device-2`, ...): the
    /// addresses of one MAC (IPv4 and IPv6) share it; an address with no known MAC is a
    /// device of its own. Numbered in this export only (the MAC is never exported).
    pub device: String,
    /// The device's address.
    pub ip: IpAddr,
    /// Its nickname, else its DHCP host name.
    pub name: Option<String>,
    /// Its DHCP host name.
    pub hostname: Option<String>,
    /// The nickname its owner set.
    pub nickname: Option<String>,
    /// First seen in this session.
    pub first_seen: DateTime<Utc>,
    /// Last seen in this session.
    pub last_seen: DateTime<Utc>,
    /// DNS answers it got.
    pub dns_answers: u64,
    /// Flows it opened.
    pub flows: u64,
    /// Bytes it sent.
    pub bytes_up: u64,
    /// Bytes it received.
    pub bytes_down: u64,
}

/// One flow as `/api/v1/flows` shows it, plus the device's name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowRow {
    /// The flow with its enrichment.
    #[serde(flatten)]
    pub flow: FlowRecord,
    /// The device's nickname or host name, when known.
    pub device_name: Option<String>,
}

/// Totals per remote host (address and the name it was reached by) in a session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostRow {
    /// The remote address.
    pub remote_ip: String,
    /// The name devices asked for (`None`: no DNS seen).
    pub domain: Option<String>,
    /// Its registrable domain.
    pub registrable_domain: Option<String>,
    /// Organization.
    pub org: Option<String>,
    /// Category (`advertising`, `analytics`, ...).
    pub category: Option<String>,
    /// Whether it is a tracker.
    pub tracker: bool,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// Its organization as registered.
    pub as_org: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Bytes devices sent to it.
    pub bytes_to_host: u64,
    /// Bytes it sent to devices.
    pub bytes_from_host: u64,
    /// Flows.
    pub flows: u64,
    /// Distinct devices that talked to it.
    pub devices: u64,
    /// Start of the first flow.
    pub first_seen: DateTime<Utc>,
    /// Last activity.
    pub last_seen: DateTime<Utc>,
}

/// A read snapshot of the database for exports.
pub struct SessionReader {
    conn: Connection,
}

impl Store {
    /// A reader with its own connection and an open read transaction.
    pub fn session_reader(&self) -> Result<SessionReader, StoreError> {
        let conn = connect(&self.path)?;
        // Deferred: the snapshot is taken at the first read and kept until the reader is
        // dropped (which rolls the read transaction back).
        conn.execute_batch("BEGIN")?;
        Ok(SessionReader { conn })
    }
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl SessionReader {
    /// The session, if it exists.
    pub fn session(&self, id: i64) -> Result<Option<Session>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
                params![id],
                session_from_row,
            )
            .optional()?)
    }

    /// Device names (nickname, else host name) of a session; one row per device, so small.
    fn device_names(&self, session: i64) -> Result<HashMap<String, String>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT ip, coalesce(nickname, hostname) FROM devices \
             WHERE session_id = ?1 AND coalesce(nickname, hostname) IS NOT NULL",
        )?;
        let rows = st.query_map(params![session], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Each device of the session with its totals, by address, the addresses of one device
    /// together (see [`DeviceRow::device`]).
    pub fn devices(
        &self,
        session: i64,
        mut each: impl FnMut(DeviceRow) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        // Per device through the (session_id, device_ip) indexes of flows and answers.
        let mut st = self.conn.prepare(
            "SELECT d.ip, d.hostname, d.nickname, d.first_seen, d.last_seen,
                    (SELECT coalesce(sum(a.repeats), 0) FROM dns_answers a
                      WHERE a.session_id = d.session_id AND a.device_ip = d.ip),
                    (SELECT count(*) FROM flows f
                      WHERE f.session_id = d.session_id AND f.device_ip = d.ip),
                    (SELECT coalesce(sum(bytes_up), 0) FROM flows f
                      WHERE f.session_id = d.session_id AND f.device_ip = d.ip),
                    (SELECT coalesce(sum(bytes_down), 0) FROM flows f
                      WHERE f.session_id = d.session_id AND f.device_ip = d.ip),
                    d.mac
             FROM devices d WHERE d.session_id = ?1 ORDER BY d.ip",
        )?;
        let mut rows = st.query(params![session])?;
        // One row per address of the session (bounded by the devices seen in it), grouped
        // by MAC before they are written.
        let mut groups: HashMap<String, usize> = HashMap::new();
        let mut listed: Vec<(usize, DeviceRow)> = Vec::new();
        while let Some(r) = rows.next()? {
            let ip: String = r.get(0)?;
            let Ok(ip) = ip.parse::<IpAddr>() else {
                continue;
            };
            let hostname: Option<String> = r.get(1)?;
            let nickname: Option<String> = r.get(2)?;
            let mac: Option<String> = r.get(9)?;
            let next = groups.len() + 1;
            let group = *groups
                .entry(mac.unwrap_or_else(|| format!("ip {ip}")))
                .or_insert(next);
            let row = DeviceRow {
                device: format!("device-{group}"),
                ip,
                name: nickname.clone().or_else(|| hostname.clone()),
                hostname,
                nickname,
                first_seen: codec::from_ms(r.get(3)?),
                last_seen: codec::from_ms(r.get(4)?),
                dns_answers: n(r.get(5)?),
                flows: n(r.get(6)?),
                bytes_up: n(r.get(7)?),
                bytes_down: n(r.get(8)?),
            };
            listed.push((group, row));
        }
        // Stable: within a device, still by address.
        listed.sort_by_key(|(group, _)| *group);
        let mut count = 0;
        for (_, row) in listed {
            each(row)?;
            count += 1;
        }
        Ok(count)
    }

    /// Each flow of the session, in the order of their last activity. Rows that no longer
    /// decode are skipped.
    pub fn flows(
        &self,
        session: i64,
        mut each: impl FnMut(FlowRow) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        let names = self.device_names(session)?;
        // (session_id, last_seen) index: no sort, whatever the session's size.
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM flows WHERE session_id = ?1 ORDER BY last_seen, id",
            codec::FLOW_COLUMNS
        ))?;
        let mut rows = st.query(params![session])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let Some(flow) = codec::flow_from_row(r)? else {
                continue;
            };
            let device_name = names.get(&flow.device_ip.to_string()).cloned();
            each(FlowRow { flow, device_name })?;
            count += 1;
        }
        Ok(count)
    }

    /// Each DNS answer of the session, oldest first. Rows that no longer decode are skipped.
    pub fn dns(
        &self,
        session: i64,
        mut each: impl FnMut(DnsLogEntry) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {} FROM dns_answers WHERE session_id = ?1 ORDER BY at, id",
            codec::DNS_COLUMNS
        ))?;
        let mut rows = st.query(params![session])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let Some(entry) = codec::dns_from_row(r)? else {
                continue;
            };
            each(entry)?;
            count += 1;
        }
        Ok(count)
    }

    /// Totals per remote host (address + name) of the session, most bytes first. SQLite
    /// groups with its own sorter, which spills to temporary files: memory stays bounded
    /// for a million flows too.
    pub fn hosts(
        &self,
        session: i64,
        mut each: impl FnMut(HostRow) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        let mut st = self.conn.prepare(
            "SELECT remote_ip, domain,
                    max(json_extract(enrichment, '$.registrable_domain')),
                    max(json_extract(enrichment, '$.org')),
                    max(json_extract(enrichment, '$.category')),
                    max(coalesce(json_extract(enrichment, '$.tracker'), 0)),
                    max(json_extract(enrichment, '$.asn')),
                    max(json_extract(enrichment, '$.as_org')),
                    max(json_extract(enrichment, '$.country')),
                    max(json_extract(enrichment, '$.city')),
                    sum(bytes_up), sum(bytes_down), count(*), count(DISTINCT device_ip),
                    min(first_seen), max(last_seen)
             FROM flows WHERE session_id = ?1
             GROUP BY remote_ip, domain
             ORDER BY sum(bytes_up) + sum(bytes_down) DESC, remote_ip, domain",
        )?;
        let mut rows = st.query(params![session])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let tracker: i64 = r.get(5)?;
            let asn: Option<i64> = r.get(6)?;
            each(HostRow {
                remote_ip: r.get(0)?,
                domain: r.get(1)?,
                registrable_domain: r.get(2)?,
                org: r.get(3)?,
                category: r.get(4)?,
                tracker: tracker != 0,
                asn: asn.and_then(|a| u32::try_from(a).ok()),
                as_org: r.get(7)?,
                country: r.get(8)?,
                city: r.get(9)?,
                bytes_to_host: n(r.get(10)?),
                bytes_from_host: n(r.get(11)?),
                flows: n(r.get(12)?),
                devices: n(r.get(13)?),
                first_seen: codec::from_ms(r.get(14)?),
                last_seen: codec::from_ms(r.get(15)?),
            })?;
            count += 1;
        }
        Ok(count)
    }
}
