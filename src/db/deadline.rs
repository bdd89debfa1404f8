//! The request's deadline inside the database: past it, a SQLite statement stops.
//!
//! A request past its deadline already gets its 503 (`http::timeout`), but the statement it
//! started went on running on a blocking thread and kept its pooled connection: a few broad
//! searches of the whole country on SQLite (seconds each) then held every connection, and the
//! requests behind them waited for the pool. PostgreSQL bounds a statement itself
//! (`statement_timeout`); SQLite has no such setting, only a progress handler, which this
//! module installs on every SQLite connection the process opens. It interrupts the statement
//! of a request whose deadline has passed; the statement fails with `interrupted` (a 503,
//! see `error.rs`), its transaction rolls back, and the connection goes back to the pool,
//! which replaces it as after any 503 (`db::run_until`).

use std::cell::RefCell;
use std::time::Instant;

use super::scoped;

thread_local! {
    /// The deadline of the request whose database work runs on this thread, if any.
    static DEADLINE: RefCell<Option<Instant>> = const { RefCell::new(None) };
}

/// Runs `f` with `deadline` as the bound of the SQLite statements it runs on this thread.
pub fn bounded<T>(deadline: Option<Instant>, f: impl FnOnce() -> T) -> T {
    scoped::with(&DEADLINE, deadline, f)
}

/// The time left before this thread's deadline, if it has one (none left: zero).
pub fn remaining() -> Option<std::time::Duration> {
    scoped::get(&DEADLINE).map(|at| at.saturating_duration_since(Instant::now()))
}

fn passed() -> bool {
    scoped::get(&DEADLINE).is_some_and(|at| Instant::now() >= at)
}

/// SQLite's virtual-machine steps between two looks at the clock: a statement stops within
/// milliseconds of its deadline (the unit test's, 50 ms in), and the clock is read rarely.
const STEPS_BETWEEN_CHECKS: std::ffi::c_int = 20_000;

/// Installs the deadline on every SQLite connection opened from now on (idempotent).
#[allow(unsafe_code)]
pub fn install() {
    use libsqlite3_sys as ffi;
    use std::ffi::{c_char, c_int, c_void};

    unsafe extern "C" fn on_progress(_: *mut c_void) -> c_int {
        c_int::from(passed())
    }
    unsafe extern "C" fn on_open(
        db: *mut ffi::sqlite3,
        _err: *mut *mut c_char,
        _api: *const ffi::sqlite3_api_routines,
    ) -> c_int {
        // SAFETY: SQLite calls this with the connection it is opening, which it owns; the
        // handler keeps no pointer and reads only this thread's deadline.
        unsafe { ffi::sqlite3_progress_handler(db, STEPS_BETWEEN_CHECKS, Some(on_progress), std::ptr::null_mut()) };
        ffi::SQLITE_OK
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a function pointer with the linked (bundled) SQLite; SQLite calls
        // it on each `sqlite3_open`, with the signature declared above. Registering twice is
        // harmless, and the Once keeps it to one.
        unsafe { ffi::sqlite3_auto_extension(Some(on_open)) };
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    use std::time::Duration;

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// A statement that counts to `n`, one virtual-machine loop a number.
    fn count_to(n: u64) -> String {
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) SELECT COUNT(*) AS n FROM c"
        )
    }

    #[test]
    fn a_statement_past_its_deadline_stops_and_the_connection_goes_on() {
        install();
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let started = Instant::now();
        let err = bounded(Some(Instant::now() + Duration::from_millis(50)), || {
            diesel::sql_query(count_to(50_000_000)).get_result::<N>(&mut conn).map(|r| r.n)
        })
        .unwrap_err();
        assert!(err.to_string().contains("interrupted"), "{err}");
        // The caller gets a 503, as for PostgreSQL's statement timeout, not a 500.
        let answer = crate::error::ApiError::from(err);
        assert!(matches!(answer, crate::error::ApiError::Unavailable(_)), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "stopped after {:?}", started.elapsed());
        // The next request's statements run, and without a deadline nothing stops them.
        let n = bounded(None, || diesel::sql_query("SELECT 7 AS n").get_result::<N>(&mut conn)).unwrap().n;
        assert_eq!(n, 7);
        assert!(!passed(), "the deadline does not outlive its request");
    }

    #[test]
    fn a_deadline_not_reached_lets_the_statement_finish() {
        install();
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let n = bounded(Some(Instant::now() + Duration::from_secs(600)), || {
            diesel::sql_query(count_to(100_000)).get_result::<N>(&mut conn)
        })
        .unwrap()
        .n;
        assert_eq!(n, 100_000);
    }
}
