//! A fixed-window counter per key (the client address), in memory and per instance: it
//! blunts floods of the token endpoint cheaply. The per-address failure limit, which must
//! hold across instances, lives in the database (`login_failures`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_window: u32,
    window: Duration,
    counters: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Past this many keys, expired windows are swept before a new key is added.
const SWEEP_ABOVE: usize = 10_000;

impl RateLimiter {
    pub fn new(per_window: u32, window: Duration) -> RateLimiter {
        RateLimiter { per_window, window, counters: Mutex::new(HashMap::new()) }
    }

    /// Counts one request for `key`: `Err(seconds)` until the window resets when over the limit.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        if counters.len() > SWEEP_ABOVE && !counters.contains_key(key) {
            counters.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counters.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_window {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs() + u64::from(left.subsec_nanos() > 0));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_and_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        let cases: &[(&str, u64, Result<(), u64>)] = &[
            ("a", 0, Ok(())),
            ("a", 1, Ok(())),
            ("a", 2, Ok(())),
            ("a", 3, Err(57)),
            ("b", 3, Ok(())),
            ("a", 59, Err(1)),
            ("a", 60, Ok(())),
            ("a", 61, Ok(())),
        ];
        for (key, at, expected) in cases {
            assert_eq!(limiter.check_at(key, t0 + Duration::from_secs(*at)), *expected, "{key} at {at} s");
        }
    }

    #[test]
    fn expired_windows_are_swept() {
        let limiter = RateLimiter::new(1, Duration::from_secs(1));
        let t0 = Instant::now();
        for i in 0..=SWEEP_ABOVE {
            limiter.check_at(&i.to_string(), t0).unwrap();
        }
        limiter.check_at("late", t0 + Duration::from_secs(2)).unwrap();
        assert_eq!(limiter.counters.lock().unwrap().len(), 1);
    }
}
