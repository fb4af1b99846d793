//! Folding a device's repeated look-ups into one event.
//!
//! Phones ask the same name again and again: every app, every retry, A and AAAA before
//! each connection. A cache hit that hands a device the very entry it got a moment ago
//! tells the rest of the pipeline nothing new but "once more". So, per UDP read loop, the
//! first such answer in each period ([`PERIOD`]) becomes an event at once, as every answer
//! always did, and the ones after it are only counted; at the end of the period they leave
//! as one event whose `repeats` says how many answers it stands for. Nothing is lost (the
//! counts add up to the answers given), a first look-up is never delayed, and the
//! correlator, the detectors and the store do a fraction of the work for a device that
//! hammers a name (see docs/BENCHMARKS.md, "cached" runs).
//!
//! Each read loop owns its table (no lock). It is bounded: when full, answers are sent as
//! events one by one, as before.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::cache::Entry;

/// How long repeats are counted before they leave as one event.
pub const PERIOD: Duration = Duration::from_secs(1);
/// Device × answer pairs one read loop counts at once.
const MAX_PAIRS: usize = 4_096;

/// The same cached answer (the entry itself, by address) to the same device.
#[derive(Hash, PartialEq, Eq)]
struct Pair {
    device: IpAddr,
    entry: usize,
}

struct Counted {
    /// Held so its address cannot be reused by another entry while it is a key.
    entry: Arc<Entry>,
    qtype: u16,
    /// Answers after the first one of the period.
    repeats: u32,
}

/// Repeated answers, counted until the period ends.
pub struct Repeats {
    pairs: HashMap<Pair, Counted>,
}

/// Repeats of one answer to one device, ready to become an event.
pub struct Folded {
    /// The device.
    pub device: IpAddr,
    /// The record type it asked for.
    pub qtype: u16,
    /// The answer it got, each time.
    pub entry: Arc<Entry>,
    /// How many times, beyond the event already sent.
    pub repeats: u32,
}

impl Default for Repeats {
    fn default() -> Self {
        Repeats {
            pairs: HashMap::with_capacity(64),
        }
    }
}

impl Repeats {
    /// Count `entry` given to `device`: `true` if it repeats an answer already sent as an
    /// event this period (counted, no event now); `false` if the caller must send the event.
    pub fn fold(&mut self, device: IpAddr, qtype: u16, entry: &Arc<Entry>) -> bool {
        let pair = Pair {
            device,
            entry: Arc::as_ptr(entry) as usize,
        };
        if let Some(c) = self.pairs.get_mut(&pair) {
            c.repeats = c.repeats.saturating_add(1);
            return true;
        }
        if self.pairs.len() < MAX_PAIRS {
            self.pairs.insert(
                pair,
                Counted {
                    entry: Arc::clone(entry),
                    qtype,
                    repeats: 0,
                },
            );
        }
        false
    }

    /// End the period: the repeats counted, and a fresh start for every pair.
    pub fn drain(&mut self) -> impl Iterator<Item = Folded> + '_ {
        self.pairs.drain().filter_map(|(pair, c)| {
            (c.repeats > 0).then_some(Folded {
                device: pair.device,
                qtype: c.qtype,
                entry: c.entry,
                repeats: c.repeats,
            })
        })
    }

    /// Nothing counted or remembered.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Arc<Entry> {
        Arc::new(Entry::for_tests())
    }

    #[test]
    fn first_answer_is_sent_the_rest_counted_until_drained() {
        let mut r = Repeats::default();
        let (a, b) = (entry(), entry());
        let dev: IpAddr = "10.0.0.2".parse().unwrap();
        let other: IpAddr = "10.0.0.3".parse().unwrap();
        assert!(!r.fold(dev, 1, &a));
        assert!(r.fold(dev, 1, &a));
        assert!(r.fold(dev, 1, &a));
        // Another answer, another device: each sent once.
        assert!(!r.fold(dev, 1, &b));
        assert!(!r.fold(other, 1, &a));
        let folded: Vec<_> = r.drain().collect();
        assert_eq!(folded.len(), 1, "only the pair with repeats");
        assert_eq!((folded[0].device, folded[0].repeats), (dev, 2));
        assert!(Arc::ptr_eq(&folded[0].entry, &a));
        // A new period starts afresh.
        assert!(r.is_empty());
        assert!(!r.fold(dev, 1, &a));
    }

    #[test]
    fn a_full_table_sends_every_answer() {
        let mut r = Repeats::default();
        let e = entry();
        for i in 0..MAX_PAIRS {
            let dev = IpAddr::from([10, 1, (i >> 8) as u8, i as u8]);
            assert!(!r.fold(dev, 1, &e));
        }
        let late: IpAddr = "10.2.0.1".parse().unwrap();
        assert!(!r.fold(late, 1, &e));
        assert!(!r.fold(late, 1, &e), "not remembered, so never folded");
        assert_eq!(r.drain().count(), 0);
    }
}
