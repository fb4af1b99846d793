//! The reader's clock: the times the server writes into a page (the admin page's sessions,
//! the take-home page, "My device" without script, the alerts list) in the reader's time
//! zone, as the scripts of the pages already show theirs.
//!
//! The appliance's own clock is UTC and it knows no place. The pages' scripts tell it the
//! browser's offset in a cookie ([`COOKIE`], minutes east of UTC, `lib/i18n.js`); without
//! one (no script yet, or a bad value) times are UTC and say so ("09:05 UTC").

use axum::http::HeaderMap;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::Tr;

/// The cookie the pages' scripts set: the browser's offset from UTC in minutes east.
pub const COOKIE: &str = "wf_tz";

/// The offsets in use on Earth: UTC−12 to UTC+14, in minutes.
const OFFSETS: std::ops::RangeInclusive<i32> = -12 * 60..=14 * 60;

/// How times are written for one reader: in their offset from UTC, or in UTC, marked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    offset: Option<FixedOffset>,
}

impl Clock {
    /// UTC, marked as such (no offset known).
    pub fn utc() -> Clock {
        Clock::default()
    }

    /// The clock of a cookie's value (`"60"`: UTC+1); `None`: not a whole number of minutes
    /// in [`OFFSETS`].
    pub fn from_minutes_east(value: &str) -> Option<Clock> {
        let minutes: i32 = value.parse().ok()?;
        if !OFFSETS.contains(&minutes) {
            return None;
        }
        Some(Clock {
            offset: FixedOffset::east_opt(minutes * 60),
        })
    }

    /// The clock a request's cookie names, else UTC.
    pub fn from_request(headers: &HeaderMap) -> Clock {
        super::negotiate::cookie(headers, COOKIE, Clock::from_minutes_east).unwrap_or_default()
    }

    /// Whether the reader's offset is known (else times are UTC, marked).
    pub fn is_local(&self) -> bool {
        self.offset.is_some()
    }

    fn write(&self, t: DateTime<Utc>, format: &str) -> String {
        match self.offset {
            Some(o) => t.with_timezone(&o).format(format).to_string(),
            None => format!("{} UTC", t.format(format)),
        }
    }

    /// "09:05" (or "09:05 UTC").
    pub fn time(&self, t: DateTime<Utc>) -> String {
        self.write(t, "%H:%M")
    }

    /// "09:05:07" (or "09:05:07 UTC").
    pub fn time_secs(&self, t: DateTime<Utc>) -> String {
        self.write(t, "%H:%M:%S")
    }

    /// The date and time in the language of `tr` (`date-time`: "2026-12-07 09:05",
    /// "07.12.2026, 09:05"; "… UTC" when the reader's offset is not known).
    pub fn date_time(&self, tr: Tr, t: DateTime<Utc>) -> String {
        let local = match self.offset {
            Some(o) => t.with_timezone(&o).naive_local(),
            None => t.naive_utc(),
        };
        let args = [
            ("year", local.format("%Y").to_string()),
            ("month", local.format("%m").to_string()),
            ("day", local.format("%d").to_string()),
            ("time", local.format("%H:%M").to_string()),
        ];
        let said = tr.said("date-time", args.iter().map(|(k, v)| (k, v)));
        match self.offset {
            Some(_) => said,
            None => format!("{said} UTC"),
        }
    }

    /// The reader's calendar day of `t`.
    pub fn day(&self, t: DateTime<Utc>) -> NaiveDate {
        match self.offset {
            Some(o) => t.with_timezone(&o).date_naive(),
            None => t.date_naive(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use axum::http::{header, HeaderValue};
    use chrono::TimeZone;

    #[test]
    fn times_are_the_readers_or_marked_utc() {
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 23, 30, 5).unwrap();
        let (en, de) = (Tr::new(Lang::En), Tr::new(Lang::De));
        let berlin = Clock::from_minutes_east("60").unwrap();
        assert_eq!(berlin.time(t), "00:30");
        assert_eq!(berlin.date_time(en, t), "2026-12-08 00:30");
        assert_eq!(berlin.date_time(de, t), "08.12.2026, 00:30");
        assert_eq!(berlin.date_time(Tr::new(Lang::Fr), t), "08/12/2026 00:30");
        assert_eq!(berlin.day(t).to_string(), "2026-12-08");
        let quito = Clock::from_minutes_east("-300").unwrap();
        assert_eq!(quito.time_secs(t), "18:30:05");
        let india = Clock::from_minutes_east("330").unwrap();
        assert_eq!(india.time(t), "05:00");
        assert_eq!(Clock::utc().time(t), "23:30 UTC");
        assert_eq!(Clock::utc().date_time(en, t), "2026-12-07 23:30 UTC");
        assert_eq!(Clock::utc().date_time(de, t), "07.12.2026, 23:30 UTC");
        assert!(!Clock::utc().is_local() && berlin.is_local());
    }

    #[test]
    fn bad_cookies_mean_utc() {
        for bad in [
            "",
            "x",
            "60.5",
            "841",
            "-721",
            "99999999999",
            "+60 ",
            "0x3c",
        ] {
            assert_eq!(Clock::from_minutes_east(bad), None, "{bad:?}");
        }
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("wf_tz=nonsense"));
        assert_eq!(Clock::from_request(&h), Clock::utc());
        h.append(header::COOKIE, HeaderValue::from_static("a=1; wf_tz=-480"));
        assert_eq!(
            Clock::from_request(&h),
            Clock::from_minutes_east("-480").unwrap()
        );
        assert_eq!(Clock::from_request(&HeaderMap::new()), Clock::utc());
    }
}
