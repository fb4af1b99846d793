//! Slowing down password guessing (pure: times are passed in, so tests need no clock).
//!
//! Per client ([`ClientKey`]: an IPv4 address, or an IPv6 /64), each wrong password is
//! answered after a delay growing by 250 ms per failure (at most 2 s), and from the 5th
//! failure in a row the client is locked out for 30 s, doubling with each further failure
//! up to 15 minutes; one attempt at a time per client. On the appliance a client is the
//! device (its MAC, from the device registry), so one device's many addresses count as one.
//! Over all clients, at most [`GLOBAL_BURST`] failures and then one per [`GLOBAL_REFILL`]:
//! beyond that, clients that already failed wait (a room full of devices cannot share the
//! guessing), while a client with no failures of its own is always let through — failures
//! on one device never lock another out (the teacher's correct password still works while
//! students guess).

use std::num::NonZeroUsize;
use std::time::Duration;

use lru::LruCache;
use tokio::time::Instant;

pub(crate) use crate::web::clients::ClientKey;

/// Clients whose failures are remembered (least recently failing forgotten first).
const MAX_CLIENTS: usize = 4_096;
/// Delay added per failure in a row before a wrong password is answered.
const DELAY_STEP: Duration = Duration::from_millis(250);
/// Most delay added.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// Failures in a row after which a client is locked out.
pub const LOCK_AFTER: u32 = 5;
/// The first lock-out; it doubles with each further failure.
pub const FIRST_LOCK: Duration = Duration::from_secs(30);
/// The longest lock-out.
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// A client's failures are forgotten after this long without one.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Failures all clients together may make in a burst ...
pub const GLOBAL_BURST: u32 = 30;
/// ... and then one per this interval.
pub const GLOBAL_REFILL: Duration = Duration::from_secs(20);

#[derive(Debug)]
struct Client {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
    in_flight: bool,
}

/// Failure bookkeeping (pure: times are passed in, so tests need no clock).
#[derive(Debug)]
pub struct Throttle {
    clients: LruCache<ClientKey, Client>,
    global_tokens: f64,
    global_last: Instant,
}

/// Why a login was not even tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// This client must wait this long.
    Client(Duration),
    /// This client, which already failed, must wait this long: too many failures overall.
    Global(Duration),
    /// This client already has an attempt running.
    Busy,
}

impl Refused {
    /// How long to wait before trying again.
    pub fn retry_after(&self) -> Duration {
        match self {
            Refused::Client(d) | Refused::Global(d) => *d,
            Refused::Busy => Duration::from_secs(1),
        }
    }
}

impl Throttle {
    /// An empty throttle.
    pub fn new(now: Instant) -> Self {
        Throttle {
            clients: LruCache::new(NonZeroUsize::new(MAX_CLIENTS).unwrap_or(NonZeroUsize::MIN)),
            global_tokens: f64::from(GLOBAL_BURST),
            global_last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let gained = now
            .saturating_duration_since(self.global_last)
            .as_secs_f64()
            / GLOBAL_REFILL.as_secs_f64();
        self.global_tokens = (self.global_tokens + gained).min(f64::from(GLOBAL_BURST));
        self.global_last = now;
    }

    /// May `client` try a password now? On `Ok` the attempt counts as running until
    /// [`Throttle::finish`].
    pub fn begin(&mut self, client: ClientKey, now: Instant) -> Result<(), Refused> {
        self.refill(now);
        if let Some(c) = self.clients.get_mut(&client) {
            if now.saturating_duration_since(c.last_failure) > FORGET_AFTER && !c.in_flight {
                self.clients.pop(&client);
            }
        }
        let mut failed_before = false;
        if let Some(c) = self.clients.get(&client) {
            if c.in_flight {
                return Err(Refused::Busy);
            }
            if let Some(until) = c.locked_until.filter(|u| *u > now) {
                return Err(Refused::Client(until - now));
            }
            failed_before = c.failures > 0;
        }
        // The global ceiling holds back only clients with failures of their own: one that
        // never failed gets its attempt (its failure then counts against it like any other).
        if failed_before && self.global_tokens < 1.0 {
            let wait = (1.0 - self.global_tokens) * GLOBAL_REFILL.as_secs_f64();
            return Err(Refused::Global(Duration::from_secs_f64(wait.max(1.0))));
        }
        let c = self.clients.get_or_insert_mut(client, || Client {
            failures: 0,
            last_failure: now,
            locked_until: None,
            in_flight: false,
        });
        c.in_flight = true;
        Ok(())
    }

    /// The password was wrong: returns how long to hold the answer back.
    pub fn failed(&mut self, client: ClientKey, now: Instant) -> Duration {
        self.refill(now);
        self.global_tokens = (self.global_tokens - 1.0).max(0.0);
        let c = self.clients.get_or_insert_mut(client, || Client {
            failures: 0,
            last_failure: now,
            locked_until: None,
            in_flight: false,
        });
        c.failures = c.failures.saturating_add(1);
        c.last_failure = now;
        if c.failures >= LOCK_AFTER {
            let doublings = (c.failures - LOCK_AFTER).min(10);
            let lock = (FIRST_LOCK * 2u32.pow(doublings)).min(MAX_LOCK);
            c.locked_until = Some(now + lock);
        }
        (DELAY_STEP * c.failures).min(MAX_DELAY)
    }

    /// The password was right: the client's failures are forgotten.
    pub fn succeeded(&mut self, client: ClientKey) {
        self.clients.pop(&client);
    }

    /// Forget every failure and lock-out (the admin used the recovery code).
    pub fn clear(&mut self, now: Instant) {
        self.clients.clear();
        self.global_tokens = f64::from(GLOBAL_BURST);
        self.global_last = now;
    }

    /// The attempt is over (answered).
    pub fn finish(&mut self, client: ClientKey) {
        if let Some(c) = self.clients.get_mut(&client) {
            c.in_flight = false;
            if c.failures == 0 {
                self.clients.pop(&client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn key(s: &str) -> ClientKey {
        ClientKey::from(s.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn failures_slow_down_then_lock_out_and_success_forgets() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        let mut delays = vec![];
        for _ in 0..LOCK_AFTER {
            th.begin(a, t0).unwrap();
            delays.push(th.failed(a, t0));
            th.finish(a);
        }
        assert_eq!(
            delays,
            [250, 500, 750, 1000, 1250].map(Duration::from_millis),
            "growing delay"
        );
        assert_eq!(th.begin(a, t0), Err(Refused::Client(FIRST_LOCK)));
        // Another device is not affected.
        let b = key("192.0.2.11");
        th.begin(b, t0).unwrap();
        th.finish(b);
        // After the lock, one more failure doubles it.
        let t1 = t0 + FIRST_LOCK;
        th.begin(a, t1).unwrap();
        th.failed(a, t1);
        th.finish(a);
        assert_eq!(th.begin(a, t1), Err(Refused::Client(FIRST_LOCK * 2)));
        // A success forgets the failures.
        let t2 = t1 + FIRST_LOCK * 2;
        th.begin(a, t2).unwrap();
        th.succeeded(a);
        th.finish(a);
        th.begin(a, t2).unwrap();
        assert_eq!(th.failed(a, t2), DELAY_STEP);
    }

    #[test]
    fn one_attempt_at_a_time_per_client() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        th.begin(a, t0).unwrap();
        assert_eq!(th.begin(a, t0), Err(Refused::Busy));
        th.finish(a);
        th.begin(a, t0).unwrap();
    }

    #[test]
    fn the_global_cap_holds_back_clients_that_failed_but_never_a_fresh_one() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        for i in 0..GLOBAL_BURST {
            let c = ClientKey::Address(u128::from(i));
            th.begin(c, t0).unwrap();
            th.failed(c, t0);
            th.finish(c);
        }
        // A client that failed once (not locked by its own count) waits for the ceiling.
        let failed = ClientKey::Address(0);
        assert!(matches!(th.begin(failed, t0), Err(Refused::Global(_))));
        // A client without failures of its own gets through, every time.
        let fresh = key("198.51.100.7");
        for _ in 0..3 {
            th.begin(fresh, t0).unwrap();
            th.succeeded(fresh);
            th.finish(fresh);
        }
        // One refill interval later one more attempt is allowed for the one that failed.
        th.begin(failed, t0 + GLOBAL_REFILL).unwrap();
        th.finish(failed);
        // The recovery code clears everything.
        th.clear(t0);
        th.begin(failed, t0).unwrap();
    }

    #[test]
    fn failures_are_forgotten_after_an_hour_quiet() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        for _ in 0..3 {
            th.begin(a, t0).unwrap();
            th.failed(a, t0);
            th.finish(a);
        }
        let later = t0 + FORGET_AFTER + Duration::from_secs(1);
        th.begin(a, later).unwrap();
        assert_eq!(th.failed(a, later), DELAY_STEP);
    }
}
