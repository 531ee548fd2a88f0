//! Requests without an account — the 云上看地 portal's API, the public OGC collections and
//! tiles, and 我要用地 submissions — are limited per client address by token buckets: a read
//! costs one token of a large bucket that refills quickly (a map load fires dozens of tile
//! requests at once), a submission one token of a small bucket that refills slowly (a form
//! that stores what it is sent must not be a free spam sink). Signed-in users are not limited
//! here: they are accountable by name in the audit trail. In memory, bounded in size.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most addresses remembered; beyond it, full buckets (idle addresses) are dropped first.
const MAX_KEYS: usize = 20_000;

/// A bucket's size and refill rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Requests allowed at once.
    pub burst: u32,
    /// Tokens added per second.
    pub per_sec: f64,
}

/// What a public request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Use {
    /// Reads the published list, parks, tiles, the API document.
    Read,
    /// Stores something (a 用地意向).
    Submit,
}

/// The limiter.
#[derive(Debug)]
pub struct PublicLimiter {
    read: Rate,
    submit: Rate,
    buckets: Mutex<HashMap<(String, Use), (f64, Instant)>>,
}

impl PublicLimiter {
    /// A limiter with the given rates.
    pub fn new(read: Rate, submit: Rate) -> Self {
        Self {
            read,
            submit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `key` (the client address); `Err(wait)` when none is left.
    pub fn take(&self, key: &str, what: Use, now: Instant) -> Result<(), Duration> {
        let rate = match what {
            Use::Read => self.read,
            Use::Submit => self.submit,
        };
        let Ok(mut map) = self.buckets.lock() else {
            return Ok(());
        };
        if map.len() >= MAX_KEYS {
            let (read, submit) = (self.read, self.submit);
            map.retain(|(_, u), (tokens, at)| {
                let r = if *u == Use::Read { read } else { submit };
                refill(*tokens, *at, now, r) < f64::from(r.burst)
            });
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        let (tokens, at) = map
            .entry((key.to_owned(), what))
            .or_insert((f64::from(rate.burst), now));
        let have = refill(*tokens, *at, now, rate);
        *at = now;
        if have >= 1.0 {
            *tokens = have - 1.0;
            Ok(())
        } else {
            *tokens = have;
            Err(Duration::from_secs_f64((1.0 - have) / rate.per_sec))
        }
    }
}

fn refill(tokens: f64, at: Instant, now: Instant, r: Rate) -> f64 {
    let dt = now.saturating_duration_since(at).as_secs_f64();
    (tokens + dt * r.per_sec).min(f64::from(r.burst))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> PublicLimiter {
        PublicLimiter::new(
            Rate {
                burst: 3,
                per_sec: 1.0,
            },
            Rate {
                burst: 1,
                per_sec: 0.1,
            },
        )
    }

    #[test]
    fn a_burst_then_the_refill_rate_per_address_and_use() {
        let l = small();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(l.take("10.0.0.1", Use::Read, t0).is_ok(), "read {i}");
        }
        let wait = l.take("10.0.0.1", Use::Read, t0).unwrap_err();
        assert!(
            wait <= Duration::from_secs(1) && wait > Duration::ZERO,
            "{wait:?}"
        );
        // Another address and another use have their own buckets.
        assert!(l.take("10.0.0.2", Use::Read, t0).is_ok());
        assert!(l.take("10.0.0.1", Use::Submit, t0).is_ok());
        let wait = l.take("10.0.0.1", Use::Submit, t0).unwrap_err();
        assert_eq!(wait.as_secs(), 10);
        // One second later one read is back, not more.
        let t1 = t0 + Duration::from_secs(1);
        assert!(l.take("10.0.0.1", Use::Read, t1).is_ok());
        assert!(l.take("10.0.0.1", Use::Read, t1).is_err());
        // Idle long enough, the bucket is full again and no fuller.
        let t2 = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(l.take("10.0.0.1", Use::Read, t2).is_ok());
        }
        assert!(l.take("10.0.0.1", Use::Read, t2).is_err());
    }

    #[test]
    fn memory_stays_bounded() {
        let l = small();
        let t0 = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            let _ = l.take(&format!("k{i}"), Use::Read, t0);
        }
        let n = l.buckets.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert!(n <= MAX_KEYS, "{n}");
    }
}
