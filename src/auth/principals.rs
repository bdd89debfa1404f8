//! A short memory of principals found active, so that a client's burst of requests does not
//! ask the database "is this account still enabled, is this token's stamp current?" before
//! every one of them (for a primary-key read that check was half the database work).
//!
//! Only positive answers are kept, for `ttl`, keyed by principal and security stamp: a
//! revoked token is looked up every time. A change to accounts or clients on this instance
//! forgets everything at once ([`forget_all`](PrincipalCache::forget_all)); on other
//! instances a revocation takes effect within `ttl`. A generation counter keeps a check that
//! started before such a change from storing its stale answer after it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept at most; the map is emptied when full.
const MAX_ENTRIES: usize = 8192;

pub struct PrincipalCache {
    ttl: Duration,
    generation: AtomicU64,
    active: Mutex<HashMap<String, Instant>>,
}

/// What a caller needs to store its answer: the key and the generation it started in.
pub struct Lookup {
    key: String,
    generation: u64,
}

impl PrincipalCache {
    pub fn new(ttl: Duration) -> PrincipalCache {
        PrincipalCache { ttl, generation: AtomicU64::new(0), active: Mutex::new(HashMap::new()) }
    }

    /// `Ok(())` when the principal was confirmed active within `ttl`; otherwise the lookup
    /// to pass to [`confirmed`](Self::confirmed) once the database has said so.
    pub fn check(&self, kind: &str, sub: &str, stamp: Option<i64>) -> Result<(), Lookup> {
        let key = format!("{kind}\u{0}{sub}\u{0}{}", stamp.unwrap_or_default());
        let generation = self.generation.load(Ordering::Acquire);
        if !self.ttl.is_zero() {
            let active = self.active.lock().unwrap_or_else(|e| e.into_inner());
            if active.get(&key).is_some_and(|at| at.elapsed() < self.ttl) {
                return Ok(());
            }
        }
        Err(Lookup { key, generation })
    }

    pub fn confirmed(&self, lookup: Lookup) {
        if self.ttl.is_zero() {
            return;
        }
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock that `forget_all` also takes: no stale answer survives it.
        if self.generation.load(Ordering::Acquire) != lookup.generation {
            return;
        }
        if active.len() >= MAX_ENTRIES {
            active.clear();
        }
        active.insert(lookup.key, Instant::now());
    }

    /// Called after any change to accounts or clients on this instance.
    pub fn forget_all(&self) {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        active.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmed_principal_is_remembered_for_its_stamp_only() {
        let cache = PrincipalCache::new(Duration::from_secs(60));
        let lookup = cache.check("account", "a1", Some(7)).unwrap_err();
        cache.confirmed(lookup);
        assert!(cache.check("account", "a1", Some(7)).is_ok());
        assert!(cache.check("account", "a1", Some(8)).is_err(), "another stamp is another token generation");
        assert!(cache.check("client", "a1", Some(7)).is_err(), "another kind of principal");
        assert!(cache.check("account", "a2", Some(7)).is_err());
    }

    #[test]
    fn forgetting_beats_a_check_that_started_before_it() {
        let cache = PrincipalCache::new(Duration::from_secs(60));
        let early = cache.check("account", "a1", Some(7)).unwrap_err();
        cache.forget_all();
        cache.confirmed(early);
        assert!(cache.check("account", "a1", Some(7)).is_err(), "the stale answer was not stored");
        let fresh = cache.check("account", "a1", Some(7)).unwrap_err();
        cache.confirmed(fresh);
        assert!(cache.check("account", "a1", Some(7)).is_ok());
        cache.forget_all();
        assert!(cache.check("account", "a1", Some(7)).is_err());
    }

    #[test]
    fn entries_expire_and_a_zero_ttl_remembers_nothing() {
        let cache = PrincipalCache::new(Duration::from_millis(20));
        cache.confirmed(cache.check("account", "a1", Some(1)).unwrap_err());
        assert!(cache.check("account", "a1", Some(1)).is_ok());
        std::thread::sleep(Duration::from_millis(30));
        assert!(cache.check("account", "a1", Some(1)).is_err());
        let off = PrincipalCache::new(Duration::ZERO);
        off.confirmed(off.check("account", "a1", Some(1)).unwrap_err());
        assert!(off.check("account", "a1", Some(1)).is_err());
    }
}
