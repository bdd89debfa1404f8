//! SQLite's one writer, queued for inside the process.
//!
//! SQLite lets one connection write at a time. A connection that finds the lock taken calls
//! its busy handler, which sleeps 1, 2, 5, 10 … then 100 ms between tries: the lock can sit
//! free while every waiter sleeps, and an unlucky writer waits far longer than its turn
//! (`POST` activity at 64 connections: p99 280–330 ms on SQLite, `docs/scaling.md`). So the
//! write transactions of one pool queue on a fair lock here, and each gets SQLite's lock
//! as the one before lets it go. The busy timeout stays for the writers outside the queue
//! (the command line, another process on the same file).

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{FairMutex, FairMutexGuard};

/// The longest a writer waits for its turn: SQLite's own `busy_timeout` (`db::ConnectionSetup`).
const LONGEST_WAIT: Duration = Duration::from_secs(10);

/// The queue of one SQLite pool's writers (each pooled connection holds it).
#[derive(Debug, Default)]
pub struct WriterQueue(FairMutex<()>);

/// A writer's turn; the next in the queue gets it when this is dropped.
pub(super) struct Turn<'a> {
    _held: FairMutexGuard<'a, ()>,
}

impl WriterQueue {
    /// Waits for the turn, until the request's deadline and at most [`LONGEST_WAIT`]. Not
    /// given by then: the error SQLite gives when its own busy timeout runs out (a 503).
    pub(super) fn turn(&self) -> Result<Turn<'_>, diesel::result::Error> {
        let started = Instant::now();
        let wait = super::deadline::remaining().map_or(LONGEST_WAIT, |left| left.min(LONGEST_WAIT));
        let held = self.0.try_lock_for(wait).ok_or_else(locked)?;
        metrics::histogram!("thncd_db_writer_wait_seconds").record(started.elapsed().as_secs_f64());
        Ok(Turn { _held: held })
    }
}

/// What SQLite answers when its busy timeout runs out (`error.rs` makes it a 503).
fn locked() -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(String::from("database is locked")),
    )
}

thread_local! {
    /// The queue of the connection whose work runs on this thread, if any.
    static QUEUE: RefCell<Option<Arc<WriterQueue>>> = const { RefCell::new(None) };
}

/// Runs `f` with `queue` as the queue of the write transactions it opens on this thread.
pub(super) fn queued<T>(queue: Option<Arc<WriterQueue>>, f: impl FnOnce() -> T) -> T {
    super::scoped::with(&QUEUE, queue, f)
}

/// The queue this thread's write transactions wait in ([`queued`]), if any.
pub(super) fn current() -> Option<Arc<WriterQueue>> {
    super::scoped::get(&QUEUE)
}

#[cfg(test)]
mod tests {
    use super::super::{write_tx, DbConnection};
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    fn open(path: &std::path::Path, busy_timeout_ms: u32) -> DbConnection {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(path.to_str().unwrap()).unwrap());
        // Opening waits as the service's connections do; the writes then as told.
        conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;").unwrap();
        conn.batch_execute(&format!("PRAGMA busy_timeout = {busy_timeout_ms};")).unwrap();
        conn
    }

    /// Writers on their own connections, none of which waits in SQLite's busy handler (a
    /// busy timeout of 0 fails at once): only the queue keeps them from colliding.
    fn concurrent_writes(queue: Option<Arc<WriterQueue>>) -> (usize, i64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writers.db");
        open(&path, 0).batch_execute("CREATE TABLE t (writer INTEGER, n INTEGER)").unwrap();
        let threads: Vec<_> = (0..4)
            .map(|writer| {
                let (path, queue) = (path.clone(), queue.clone());
                std::thread::spawn(move || {
                    let mut conn = open(&path, 0);
                    queued(queue, || {
                        (0..200)
                            .filter(|n| {
                                write_tx(&mut conn, |c| {
                                    c.batch_execute(&format!("INSERT INTO t VALUES ({writer}, {n})"))?;
                                    // Long enough that the others find the lock taken.
                                    std::thread::sleep(Duration::from_micros(200));
                                    c.batch_execute(&format!("UPDATE t SET n = n + 1 WHERE writer = {writer}"))
                                })
                                .is_err()
                            })
                            .count()
                    })
                })
            })
            .collect();
        let failed = threads.into_iter().map(|t| t.join().unwrap()).sum();
        #[derive(QueryableByName)]
        struct Rows {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            rows: i64,
        }
        let rows = diesel::sql_query("SELECT COUNT(*) AS rows FROM t").get_result::<Rows>(&mut open(&path, 0));
        (failed, rows.unwrap().rows)
    }

    #[test]
    fn writers_of_one_pool_take_turns_instead_of_colliding() {
        let (failed, rows) = concurrent_writes(Some(Arc::default()));
        assert_eq!((failed, rows), (0, 800));
        // The same writers without the queue: SQLite refuses those that find its lock taken.
        let (failed, rows) = concurrent_writes(None);
        assert!(failed > 0, "no writer collided without the queue");
        assert_eq!(rows, 800 - failed as i64);
    }

    #[test]
    fn a_turn_not_given_by_the_deadline_is_a_busy_database() {
        let queue = WriterQueue::default();
        let held = queue.turn().unwrap();
        let started = Instant::now();
        let err = super::super::deadline::bounded(Some(started + Duration::from_millis(50)), || queue.turn().err());
        let err = err.expect("the turn is taken");
        assert!(started.elapsed() < Duration::from_secs(2), "waited {:?}", started.elapsed());
        let answer = crate::error::ApiError::from(err);
        assert!(matches!(answer, crate::error::ApiError::Unavailable(_)), "{answer:?}");
        drop(held);
        assert!(queue.turn().is_ok(), "the turn comes once given back");
    }

    #[test]
    fn the_queue_is_set_only_for_the_work_it_wraps() {
        let queue = Arc::new(WriterQueue::default());
        assert!(current().is_none());
        let inside = queued(Some(queue.clone()), || current().is_some_and(|q| Arc::ptr_eq(&q, &queue)));
        assert!(inside);
        assert!(current().is_none());
    }
}
