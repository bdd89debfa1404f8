//! The audit events of reads, written together: a group commit in the service.
//!
//! A read of criminal data is audited before its answer leaves, like a write. A write's event
//! rides in the write's own transaction; a read has none, so each read committed an event of
//! its own, and the commit rate became the ceiling of every audited read (person by id at
//! 17–21 % of `pgbench -S`; on SQLite every read queued for the one writer). Here the events
//! of concurrent reads share one multi-row INSERT and one commit: all the events that arrive
//! while a batch is being written form the next batch. Each reader still waits for the commit
//! of its own event, so no answer leaves before its audit is durable, and a batch that fails
//! fails every read in it.

use std::thread;

use tokio::sync::{mpsc, oneshot};

use super::audit::{insert_all, NewAuditEvent, ROWS_A_STATEMENT};
use super::{write_tx, DbPool};
use crate::error::{ApiError, ApiResult};

/// Events of one batch at most; more wait for the next one.
const MAX_BATCH: usize = 1_000;
/// The detail of a failure that gave none fit to show (`error.rs` words a database that
/// refuses writes so).
const NOT_WRITABLE: &str = "the database is busy or not writable";
/// Readers waiting for a place in the queue beyond this many wait for the writer instead.
const QUEUE: usize = 4_096;

struct Pending {
    events: Vec<NewAuditEvent>,
    /// `Err` carries the detail of the `503` the reader answers.
    written: oneshot::Sender<Result<(), String>>,
}

/// The handle requests write through (one, in the shared state); the writer thread stops
/// when the handle is dropped.
pub struct ReadAuditLog {
    queue: mpsc::Sender<Pending>,
}

impl ReadAuditLog {
    /// Starts the writer thread on `pool` (the primary: reads may come from a replica, their
    /// audit may not).
    pub fn start(pool: DbPool) -> ReadAuditLog {
        let (queue, incoming) = mpsc::channel(QUEUE);
        thread::Builder::new()
            .name("read-audit".into())
            .spawn(move || write_batches(&pool, incoming))
            .expect("the read-audit writer thread starts");
        ReadAuditLog { queue }
    }

    /// Returns once `events` are committed. No events: nothing to wait for.
    pub async fn write(&self, events: Vec<NewAuditEvent>) -> ApiResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (written, done) = oneshot::channel();
        let unavailable = |detail: &str| ApiError::Unavailable(detail.to_string());
        self.queue.send(Pending { events, written }).await.map_err(|_| unavailable(NOT_WRITABLE))?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(detail)) => Err(unavailable(&detail)),
            Err(_) => Err(unavailable(NOT_WRITABLE)),
        }
    }
}

fn write_batches(pool: &DbPool, mut incoming: mpsc::Receiver<Pending>) {
    while let Some(first) = incoming.blocking_recv() {
        let mut events = first.events.len();
        let mut batch = vec![first];
        while events < MAX_BATCH {
            let Ok(next) = incoming.try_recv() else { break };
            events += next.events.len();
            batch.push(next);
        }
        let rows: Vec<NewAuditEvent> = batch.iter_mut().flat_map(|p| std::mem::take(&mut p.events)).collect();
        let result = write_batch(pool, &rows).map_err(|e| {
            log::error!("read audit: {} events not written: {e}", rows.len());
            // Each reader gets the failure a write of its own would have given it.
            match e {
                ApiError::Unavailable(detail) => detail,
                _ => NOT_WRITABLE.to_string(),
            }
        });
        for pending in batch {
            // A reader that gave up (its deadline passed) no longer listens.
            let _ = pending.written.send(result.clone());
        }
    }
}

fn write_batch(pool: &DbPool, rows: &[NewAuditEvent]) -> ApiResult<()> {
    let mut conn = pool.get().map_err(|e| ApiError::from_pool(e, pool.state().connections == 0))?;
    // One INSERT commits on its own on PostgreSQL; several commit together, and SQLite's
    // writes take their turn in the queue of the pool's writers (`db::writer`).
    let single = rows.len() <= ROWS_A_STATEMENT && super::backend_of(&conn) == super::Backend::Postgres;
    let queue = conn.writer.clone();
    let result = super::writer::queued(queue, || {
        if single {
            insert_all(&mut conn, rows)
        } else {
            write_tx(&mut conn, |c| insert_all(c, rows))
        }
    });
    if matches!(result, Err(ApiError::Unavailable(_))) {
        conn.lost = true;
    }
    result
}
