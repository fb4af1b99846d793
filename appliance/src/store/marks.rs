//! A session's marks (schema v8), its timeline (bytes per organization per time step) and
//! its replay frames (the paths of one moment), the last two built from the flow counter
//! snapshots (schema v5): nothing new is recorded for them.
//!
//! A snapshot holds a flow's counters so far; the bytes between two snapshots of a flow are
//! placed at the later one. A flow's row holds its newest counters, so its last stretch is
//! counted too. Both reads are bounded: the timeline by [`MAX_STEPS`] steps × [`TOP_ORGS`]
//! series, a frame by [`MAX_FRAME_ROWS`] rows.

use chrono::{DateTime, Utc};
use rusqlite::{params, TransactionBehavior};
use serde::Serialize;

use crate::correlate::PathRow;
use crate::model::{Mark, MAX_MARKS_PER_SESSION};
use crate::store::{codec, Store, StoreError};

/// Most time steps of a timeline: a long session gets coarser steps, not more of them.
pub const MAX_STEPS: i64 = 240;

/// Organizations a timeline draws one by one; the rest are one "Other" series.
pub const TOP_ORGS: usize = 8;

/// Most rows of one replay frame (largest first), as `/api/v1/paths` sends at most.
const MAX_FRAME_ROWS: i64 = 20_000;

/// Bytes per time step per organization over a session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    /// When the first step starts.
    pub start: DateTime<Utc>,
    /// The length of a step, in milliseconds (a whole number of minutes).
    pub step_ms: i64,
    /// How many steps (every series has this many values).
    pub steps: usize,
    /// The biggest organizations first, then `"Other"` (if any), then `"Unknown"` for flows
    /// with no known organization (if any).
    pub series: Vec<TimelineSeries>,
}

/// One organization's bytes per step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineSeries {
    /// The organization (`"Other"`: the rest; `"Unknown"`: none known; `"Hidden"`: hidden
    /// by the teacher's rules).
    pub org: String,
    /// Bytes (both directions) in each step.
    pub bytes: Vec<u64>,
}

/// The paths of a session at one moment of a replay.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplayFrame {
    /// The moment (the end of the window).
    pub at: DateTime<Utc>,
    /// The window's start: bytes are those counted between the two.
    pub since: DateTime<Utc>,
    /// The rows, as `/api/v1/paths` gives them, largest first.
    pub paths: Vec<PathRow>,
    /// More rows than [`MAX_FRAME_ROWS`] (the smallest were left out).
    pub truncated: bool,
}

/// One timeline cell as read: step, registrable domain, organization, bytes.
pub type TimelineCell = (i64, Option<String>, Option<String>, u64);

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// Add a mark to `session` at `at` (its label already checked, see
    /// [`Mark::checked_label`]). Refused beyond [`MAX_MARKS_PER_SESSION`] marks, or if there
    /// is no such session.
    pub fn add_mark(
        &self,
        session: i64,
        at: DateTime<Utc>,
        label: &str,
    ) -> Result<Mark, StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: i64 = tx.query_row(
            "SELECT count(*) FROM sessions WHERE id = ?1",
            params![session],
            |r| r.get(0),
        )?;
        if exists == 0 {
            return Err(StoreError::NoSuchSession(session));
        }
        let (count, last): (i64, i64) = tx.query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM marks WHERE session_id = ?1",
            params![session],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_MARKS_PER_SESSION {
            return Err(StoreError::TooManyMarks(MAX_MARKS_PER_SESSION));
        }
        let at_ms = codec::to_ms(at);
        tx.execute(
            "INSERT INTO marks (session_id, id, at, label) VALUES (?1, ?2, ?3, ?4)",
            params![session, last + 1, at_ms, label],
        )?;
        tx.commit()?;
        Ok(Mark {
            id: last + 1,
            session_id: session,
            at: codec::from_ms(at_ms),
            label: label.to_owned(),
        })
    }

    /// A session's marks, oldest first.
    pub fn marks(&self, session: i64) -> Result<Vec<Mark>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(
            "SELECT id, at, label FROM marks WHERE session_id = ?1 ORDER BY id LIMIT ?2",
        )?;
        let limit = i64::try_from(MAX_MARKS_PER_SESSION).unwrap_or(i64::MAX);
        let rows = st.query_map(params![session, limit], |r| {
            Ok(Mark {
                id: r.get(0)?,
                session_id: session,
                at: codec::from_ms(r.get(1)?),
                label: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A session's bytes per step of `step_ms` from `start`, per registrable domain and
    /// organization, as read (the caller folds them into a [`Timeline`]: the teacher's
    /// rules apply to domains, which the store does not know of).
    pub fn timeline_cells(
        &self,
        session: i64,
        start: DateTime<Utc>,
        step_ms: i64,
    ) -> Result<Vec<TimelineCell>, StoreError> {
        let conn = self.conn.lock();
        // Each snapshot's bytes since the flow's previous one (a window function), placed
        // in the step it was taken in; the flow's row adds its newest counters (UNION drops
        // the copy when the last snapshot has them already).
        let mut st = conn.prepare_cached(
            "WITH pts AS (
                 SELECT s.flow_id AS fid, s.at AS at, s.bytes_up + s.bytes_down AS b
                 FROM flow_snapshots s JOIN flows f ON f.id = s.flow_id
                 WHERE f.session_id = ?1
                 UNION
                 SELECT id, last_seen, bytes_up + bytes_down FROM flows
                 WHERE session_id = ?1 AND bytes_up + bytes_down > 0
             ), d AS (
                 SELECT fid, at,
                        max(b - coalesce(lag(b) OVER (PARTITION BY fid ORDER BY at), 0), 0)
                            AS delta
                 FROM pts
             )
             SELECT max((d.at - ?2) / ?3, 0) AS step,
                    json_extract(f.enrichment, '$.registrable_domain') AS dom,
                    json_extract(f.enrichment, '$.org') AS org,
                    sum(d.delta)
             FROM d JOIN flows f ON f.id = d.fid
             GROUP BY step, dom, org
             HAVING sum(d.delta) > 0",
        )?;
        let rows = st.query_map(params![session, codec::to_ms(start), step_ms.max(1)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, n(r.get(3)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The paths of `session` between `since` and `at`: each flow that had started by `at`
    /// and was still seen after `since`, with the bytes its counters grew by in between.
    /// A flow appears only once it has started.
    pub fn replay_frame(
        &self,
        session: i64,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<ReplayFrame, StoreError> {
        let conn = self.conn.lock();
        // A flow's counters at a moment: its last snapshot by then, or its row's (final)
        // counters once it was last seen. Each is a look-up in the snapshots' primary key.
        let mut st = conn.prepare_cached(
            "WITH w AS (
                 SELECT f.device_ip, f.enrichment, f.last_seen, f.state,
                   CASE WHEN f.last_seen <= ?3 THEN f.bytes_up ELSE coalesce((SELECT s.bytes_up
                     FROM flow_snapshots s WHERE s.flow_id = f.id AND s.at <= ?3
                     ORDER BY s.at DESC LIMIT 1), 0) END
                   - CASE WHEN f.last_seen <= ?2 THEN f.bytes_up ELSE coalesce((SELECT s.bytes_up
                     FROM flow_snapshots s WHERE s.flow_id = f.id AND s.at <= ?2
                     ORDER BY s.at DESC LIMIT 1), 0) END AS up,
                   CASE WHEN f.last_seen <= ?3 THEN f.bytes_down ELSE coalesce((SELECT s.bytes_down
                     FROM flow_snapshots s WHERE s.flow_id = f.id AND s.at <= ?3
                     ORDER BY s.at DESC LIMIT 1), 0) END
                   - CASE WHEN f.last_seen <= ?2 THEN f.bytes_down ELSE coalesce((SELECT s.bytes_down
                     FROM flow_snapshots s WHERE s.flow_id = f.id AND s.at <= ?2
                     ORDER BY s.at DESC LIMIT 1), 0) END AS down
                 FROM flows f
                 WHERE f.session_id = ?1 AND f.last_seen >= ?2 AND f.first_seen <= ?3
             )
             SELECT device_ip,
                    json_extract(enrichment, '$.registrable_domain') AS dom,
                    json_extract(enrichment, '$.org') AS org,
                    json_extract(enrichment, '$.country') AS country,
                    json_extract(enrichment, '$.city') AS city,
                    max(json_extract(enrichment, '$.lat')), max(json_extract(enrichment, '$.lon')),
                    max(json_extract(enrichment, '$.category')),
                    max(coalesce(json_extract(enrichment, '$.tracker'), 0)),
                    sum(max(up, 0)), sum(max(down, 0)), count(*),
                    sum(last_seen > ?3 OR state = 'open'), max(min(last_seen, ?3))
             FROM w
             GROUP BY device_ip, dom, org, country, city
             ORDER BY sum(max(up, 0)) + sum(max(down, 0)) DESC
             LIMIT ?4",
        )?;
        let (since_ms, at_ms) = (codec::to_ms(since), codec::to_ms(at));
        let rows = st.query_map(
            params![session, since_ms, at_ms, MAX_FRAME_ROWS + 1],
            super::paths::path_row,
        )?;
        let mut paths = Vec::new();
        for r in rows {
            if let Some(row) = r? {
                paths.push(row);
            }
        }
        let truncated = paths.len() as i64 > MAX_FRAME_ROWS;
        paths.truncate(MAX_FRAME_ROWS as usize);
        Ok(ReplayFrame {
            at: codec::from_ms(at_ms),
            since: codec::from_ms(since_ms),
            paths,
            truncated,
        })
    }
}

impl Timeline {
    /// Fold cells ([`Store::timeline_cells`]) into at most [`TOP_ORGS`] series plus
    /// "Other", "Unknown" and "Hidden" (a domain `hidden` says the teacher hid: neither it nor
    /// its organization is named), over `steps` steps.
    pub fn fold(
        start: DateTime<Utc>,
        step_ms: i64,
        steps: usize,
        cells: &[TimelineCell],
        hidden: impl Fn(&str) -> bool,
    ) -> Timeline {
        use std::collections::HashMap;
        let mut by_org: HashMap<String, Vec<u64>> = HashMap::new();
        for (step, dom, org, bytes) in cells {
            let name = match (dom, org) {
                (Some(d), _) if hidden(d) => "Hidden".to_owned(),
                (_, Some(o)) if !o.is_empty() => o.clone(),
                _ => "Unknown".to_owned(),
            };
            let i = usize::try_from(*step)
                .unwrap_or(0)
                .min(steps.saturating_sub(1));
            let v = by_org.entry(name).or_insert_with(|| vec![0; steps]);
            if let Some(cell) = v.get_mut(i) {
                *cell = cell.saturating_add(*bytes);
            }
        }
        let mut named: Vec<(String, Vec<u64>)> = Vec::new();
        let mut tail: Vec<(String, Vec<u64>)> = Vec::new();
        for (org, v) in by_org {
            if org == "Unknown" || org == "Hidden" {
                tail.push((org, v));
            } else {
                named.push((org, v));
            }
        }
        let total = |v: &Vec<u64>| v.iter().sum::<u64>();
        named.sort_by(|a, b| total(&b.1).cmp(&total(&a.1)).then(a.0.cmp(&b.0)));
        tail.sort();
        let mut series: Vec<TimelineSeries> = Vec::new();
        let mut other = vec![0u64; steps];
        for (i, (org, v)) in named.into_iter().enumerate() {
            if i < TOP_ORGS {
                series.push(TimelineSeries { org, bytes: v });
            } else {
                for (o, x) in other.iter_mut().zip(v) {
                    *o = o.saturating_add(x);
                }
            }
        }
        if other.iter().any(|x| *x > 0) {
            series.push(TimelineSeries {
                org: "Other".into(),
                bytes: other,
            });
        }
        series.extend(
            tail.into_iter()
                .map(|(org, bytes)| TimelineSeries { org, bytes }),
        );
        Timeline {
            start,
            step_ms,
            steps,
            series,
        }
    }

    /// The step for a session `span_ms` long: whole minutes, at most [`MAX_STEPS`] steps.
    pub fn step_for(span_ms: i64) -> (i64, usize) {
        let minutes = (span_ms.max(1) + 59_999) / 60_000;
        let per = (minutes + MAX_STEPS - 1) / MAX_STEPS;
        let step_ms = per.max(1) * 60_000;
        let steps = ((span_ms.max(1) + step_ms - 1) / step_ms).clamp(1, MAX_STEPS);
        (step_ms, usize::try_from(steps).unwrap_or(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_whole_minutes_and_bounded() {
        assert_eq!(Timeline::step_for(30_000), (60_000, 1));
        assert_eq!(Timeline::step_for(2 * 3_600_000), (60_000, 120));
        let (step, steps) = Timeline::step_for(24 * 3_600_000);
        assert_eq!(step % 60_000, 0);
        assert!(steps as i64 <= MAX_STEPS, "{steps}");
    }

    #[test]
    fn fold_keeps_the_biggest_and_hides_what_the_teacher_hid() {
        let t0 = Utc::now();
        let mut cells: Vec<TimelineCell> = (0..12)
            .map(|i| {
                (
                    0,
                    Some(format!("d{i}.example")),
                    Some(format!("Org {i:02}")),
                    100 + i,
                )
            })
            .collect();
        cells.push((
            1,
            Some("secret.example".into()),
            Some("Secret Inc".into()),
            5_000,
        ));
        cells.push((1, None, None, 7));
        let t = Timeline::fold(t0, 60_000, 2, &cells, |d| d == "secret.example");
        let orgs: Vec<&str> = t.series.iter().map(|s| s.org.as_str()).collect();
        assert_eq!(orgs.len(), TOP_ORGS + 3, "{orgs:?}");
        assert_eq!(orgs[0], "Org 11");
        assert!(orgs.contains(&"Other") && orgs.contains(&"Hidden") && orgs.contains(&"Unknown"));
        assert!(!orgs.contains(&"Secret Inc"));
        assert!(t.series.iter().all(|s| s.bytes.len() == 2));
    }
}
