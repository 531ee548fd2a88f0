//! Failed sign-ins are limited per user name and per client address: after `max` failures
//! within `window`, further attempts on that key are refused until the oldest failure leaves
//! the window. In memory, bounded in size; a restart forgets it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys remembered; beyond it, keys whose failures have all expired are dropped first,
/// then everything (a flood of distinct names must not exhaust memory).
const MAX_KEYS: usize = 10_000;

/// The failed sign-in limiter.
#[derive(Debug)]
pub struct SignInLimiter {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Default for SignInLimiter {
    /// Five failures a minute.
    fn default() -> Self {
        Self::new(5, Duration::from_secs(60))
    }
}

impl SignInLimiter {
    /// `max` failures per `window` and key.
    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// The limiter's keys of a sign-in attempt.
    pub fn keys(user: &str, ip: Option<std::net::IpAddr>) -> Vec<String> {
        let mut k = vec![format!("user:{}", user.to_lowercase())];
        if let Some(ip) = ip {
            k.push(format!("ip:{ip}"));
        }
        k
    }

    /// `Some(wait)` when any key is over the limit at `now`.
    pub fn blocked(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().ok()?;
        let mut wait: Option<Duration> = None;
        for k in keys {
            if let Some(q) = map.get_mut(k) {
                prune(q, now, self.window);
                if q.len() >= self.max
                    && let Some(oldest) = q.front()
                {
                    let w = self.window.saturating_sub(now.duration_since(*oldest));
                    wait = Some(wait.map_or(w, |x| x.max(w)));
                }
            }
        }
        wait
    }

    /// Records a failure on every key.
    pub fn fail(&self, keys: &[String], now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= MAX_KEYS {
            let window = self.window;
            map.retain(|_, q| {
                prune(q, now, window);
                !q.is_empty()
            });
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        for k in keys {
            let q = map.entry(k.clone()).or_default();
            prune(q, now, self.window);
            q.push_back(now);
        }
    }

    /// Forgets a key's failures (the user signed in).
    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_per_name_and_per_address() {
        let l = SignInLimiter::default();
        let t0 = Instant::now();
        let ip = "10.0.0.7".parse().ok();
        let alice = SignInLimiter::keys("alice", ip);
        for i in 0..5 {
            assert!(l.blocked(&alice, t0).is_none(), "attempt {i} allowed");
            l.fail(&alice, t0 + Duration::from_secs(i));
        }
        let wait = l.blocked(&alice, t0 + Duration::from_secs(10));
        assert_eq!(wait, Some(Duration::from_secs(50)));
        // The same name from elsewhere is blocked; another name from the same address too.
        assert!(l.blocked(&SignInLimiter::keys("ALICE", None), t0).is_some());
        assert!(l.blocked(&SignInLimiter::keys("bob", ip), t0).is_some());
        assert!(l.blocked(&SignInLimiter::keys("bob", None), t0).is_none());
        // A minute after the first failure one attempt frees up.
        assert!(l.blocked(&alice, t0 + Duration::from_secs(60)).is_none());
        l.clear("user:alice");
        assert!(l.blocked(&SignInLimiter::keys("alice", None), t0).is_none());
    }

    #[test]
    fn memory_stays_bounded() {
        let l = SignInLimiter::new(5, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            l.fail(&[format!("user:u{i}")], t0);
        }
        let n = l.failures.lock().map(|m| m.len()).unwrap_or(usize::MAX);
        assert!(n <= MAX_KEYS, "{n}");
    }
}
