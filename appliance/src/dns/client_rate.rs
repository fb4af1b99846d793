//! Response rate limiting per client, so the forwarder cannot be used to flood a classmate.
//!
//! UDP has no handshake: a query with a forged source address gets its answer sent to the
//! address it names, and a TXT answer is many times the size of its question. Each client
//! address (IPv4, or a whole IPv6 address: on the room's network every device shares one
//! /64) has a token bucket of `dns.max_answers_per_client_per_sec` answers a second with a
//! burst of [`BURST_SECONDS`] seconds' worth. Over it, as RRL does, every other question gets
//! a small truncated answer (TC set, no records: no bigger than the question), which a real
//! client follows by asking again over TCP, where a source cannot be forged and no limit
//! applies; the rest get nothing. TCP is never limited here (it has its own connection caps).
//!
//! The table is sharded (the UDP threads look up at once) and bounded: when a shard is full,
//! clients whose buckets are full again (idle) are forgotten first; if none is, a new client
//! is let through untracked rather than someone else's bucket being reset.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

use parking_lot::Mutex;
use rustc_hash::FxBuildHasher;

/// A bucket holds this many seconds of a client's rate.
pub const BURST_SECONDS: u32 = 4;
const SHARDS: usize = 16;
/// Clients tracked per shard (16 × 1,024 in all).
const SHARD_CAPACITY: usize = 1_024;

/// What to do with a client's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Answer,
    /// Over the limit: answer with TC set and no records, so a real client asks over TCP.
    Slip,
    /// Over the limit: send nothing.
    Drop,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
    /// Questions refused since the bucket was last empty, for the slip alternation.
    refused: u32,
}

/// Per-client answer budgets.
pub struct ClientRate {
    /// Answers per second per client; 0: no limit.
    rate: u32,
    shards: Vec<Mutex<HashMap<IpAddr, Bucket, FxBuildHasher>>>,
}

impl ClientRate {
    /// A limiter of `rate` answers per second per client (0: off).
    pub fn new(rate: u32) -> ClientRate {
        ClientRate {
            rate,
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::with_hasher(FxBuildHasher)))
                .collect(),
        }
    }

    /// Spend one answer of `client`'s budget at `now`.
    pub fn check(&self, client: IpAddr, now: Instant) -> Verdict {
        if self.rate == 0 {
            return Verdict::Answer;
        }
        let client = client.to_canonical();
        let rate = f64::from(self.rate);
        let burst = rate * f64::from(BURST_SECONDS);
        let mut shard = self.shards[shard_of(&client)].lock();
        if !shard.contains_key(&client) && shard.len() >= SHARD_CAPACITY {
            shard.retain(|_, b| refill(b, now, rate, burst) < burst);
            if shard.len() >= SHARD_CAPACITY {
                return Verdict::Answer;
            }
        }
        let b = shard.entry(client).or_insert(Bucket {
            tokens: burst,
            at: now,
            refused: 0,
        });
        let tokens = refill(b, now, rate, burst);
        if tokens >= 1.0 {
            b.tokens = tokens - 1.0;
            b.refused = 0;
            return Verdict::Answer;
        }
        b.tokens = tokens;
        b.refused = b.refused.wrapping_add(1);
        if b.refused % 2 == 1 {
            Verdict::Slip
        } else {
            Verdict::Drop
        }
    }
}

/// The bucket's tokens at `now` (stored with `at = now`).
fn refill(b: &mut Bucket, now: Instant, rate: f64, burst: f64) -> f64 {
    let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
    b.at = now;
    b.tokens = (b.tokens + elapsed * rate).min(burst);
    b.tokens
}

fn shard_of(client: &IpAddr) -> usize {
    let low = match client {
        IpAddr::V4(a) => u32::from(*a),
        IpAddr::V6(a) => {
            let s = a.segments();
            (u32::from(s[6]) << 16) | u32::from(s[7])
        }
    };
    (low as usize) % SHARDS
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn burst_then_slip_and_drop_alternate_then_refill() {
        let r = ClientRate::new(10);
        let t = Instant::now();
        let a = ip("10.0.0.5");
        for _ in 0..10 * BURST_SECONDS {
            assert_eq!(r.check(a, t), Verdict::Answer);
        }
        assert_eq!(r.check(a, t), Verdict::Slip);
        assert_eq!(r.check(a, t), Verdict::Drop);
        assert_eq!(r.check(a, t), Verdict::Slip);
        // Another client is not affected.
        assert_eq!(r.check(ip("10.0.0.6"), t), Verdict::Answer);
        // A tenth of a second later: one more answer.
        let later = t + Duration::from_millis(100);
        assert_eq!(r.check(a, later), Verdict::Answer);
        assert_ne!(r.check(a, later), Verdict::Answer);
        // Mapped addresses are their IPv4 address.
        assert_ne!(r.check(ip("::ffff:10.0.0.5"), later), Verdict::Answer);
    }

    #[test]
    fn zero_is_off() {
        let r = ClientRate::new(0);
        let t = Instant::now();
        for _ in 0..10_000 {
            assert_eq!(r.check(ip("10.0.0.5"), t), Verdict::Answer);
        }
    }

    #[test]
    fn a_full_table_forgets_idle_clients_and_never_resets_a_busy_one() {
        let r = ClientRate::new(1);
        let t = Instant::now();
        // Fill every shard with busy clients (one answer spent each).
        for i in 0..(SHARDS * SHARD_CAPACITY) as u32 {
            r.check(IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i)), t);
        }
        let busy = ip("10.0.0.0");
        for _ in 0..BURST_SECONDS {
            r.check(busy, t);
        }
        assert_ne!(r.check(busy, t), Verdict::Answer);
        // A newcomer is let through untracked; the busy client stays limited.
        assert_eq!(r.check(ip("172.16.0.16"), t), Verdict::Answer);
        assert_ne!(r.check(busy, t), Verdict::Answer);
        // Much later, idle buckets are full again and make room.
        let later = t + Duration::from_secs(60);
        assert_eq!(r.check(ip("172.16.0.16"), later), Verdict::Answer);
        assert_eq!(r.shards[0].lock().len(), 1);
    }
}
