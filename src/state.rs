//! Shared application state and the one way handlers reach the database.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth::{keys::TokenKeys, principals::PrincipalCache, Auth, Op};
use crate::config::Settings;
use crate::db::read_audit::ReadAuditLog;
use crate::db::{self, DbConnection, DbPool};
use crate::error::{ApiError, ApiResult};
use crate::http::timeout::{within, Deadline};
use crate::services::Audited;

pub struct AppState {
    pub pool: DbPool,
    /// The read replica, when configured (`DATABASE_READ_URL`).
    pub read_pool: Option<DbPool>,
    pub keys: Arc<TokenKeys>,
    pub settings: Settings,
    /// Token requests per client address and minute.
    pub token_limiter: crate::http::rate_limit::RateLimiter,
    /// Principals recently confirmed active (see `auth::principals`).
    pub principals: Arc<PrincipalCache>,
    /// Where the audit events of reads are written, batched (see `db::read_audit`).
    pub read_audit: ReadAuditLog,
    /// The connections that figure-computing operations may hold at once (see
    /// [`report_slots`]).
    pub report_slots: Arc<Semaphore>,
}

/// How many connections of a pool of `pool_size` the operations that compute figures over
/// whole units ([`Op::computes_figures`]) may hold at once, a second connection of a
/// report included (`db::read_tx_with_lane`): half, and at least one. The other half stays
/// for writes and look-ups. Without the bound, a few national reports (seconds each on
/// SQLite, and still computed after their callers gave up) held every connection, and the
/// bank's disbursements behind them failed after the pool's 5 s wait.
pub fn report_slots(pool_size: u32) -> usize {
    (pool_size as usize / 2).max(1)
}

impl AppState {
    /// Checks the caller's role for `op`, then runs `f` on a pooled connection off the async
    /// executor, after confirming the principal is still active.
    pub async fn run<T, F>(&self, auth: &Auth, op: Op, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &Auth) -> ApiResult<T> + Send + 'static,
    {
        auth.require(op)?;
        let auth = auth.clone();
        let principals = self.principals.clone();
        let deadline = auth.ctx.deadline;
        let slot = self.report_slot(op, deadline).await?;
        bounded(&self.pool, deadline, move |conn| {
            auth.ensure_active(conn, &principals)?;
            slot.run(|| f(conn, &auth))
        })
        .await
    }

    /// For an operation that computes figures, waits (until the deadline, holding no
    /// connection) for one of the [`report_slots`].
    async fn report_slot(&self, op: Op, deadline: Option<Deadline>) -> ApiResult<ReportSlot> {
        if !op.computes_figures() {
            return Ok(ReportSlot(None));
        }
        let started = std::time::Instant::now();
        let waiting = within(deadline, async {
            self.report_slots.clone().acquire_owned().await.map_err(|_| ApiError::internal("report slots closed"))
        });
        let held = waiting.await?;
        metrics::histogram!("thncd_report_slot_wait_seconds").record(started.elapsed().as_secs_f64());
        Ok(ReportSlot(Some(held)))
    }

    /// Like [`run`](Self::run), for reads of criminal data: the answer is returned once the
    /// read's audit events are committed.
    pub async fn run_audited<T, F>(&self, auth: &Auth, op: Op, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &Auth) -> ApiResult<Audited<T>> + Send + 'static,
    {
        let Audited { value, events } = self.run(auth, op, f).await?;
        self.audit_reads(auth, events).await?;
        Ok(value)
    }

    /// Commits the audit events of a read already made, within the request's deadline.
    pub async fn audit_reads(&self, auth: &Auth, events: Vec<db::audit::NewAuditEvent>) -> ApiResult<()> {
        within(auth.ctx.deadline, self.read_audit.write(events)).await
    }

    /// Like [`run`](Self::run), for reads that tolerate replication lag (indicators, person
    /// lists): on the read replica when one is configured. The principal is still checked
    /// on the primary, so a disabled account is refused at once, not after the lag.
    pub async fn run_read<T, F>(&self, auth: &Auth, op: Op, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &Auth) -> ApiResult<T> + Send + 'static,
    {
        let Some(replica) = &self.read_pool else {
            return self.run(auth, op, f).await;
        };
        auth.require(op)?;
        let deadline = auth.ctx.deadline;
        // A principal confirmed within the cache time costs no trip to the primary.
        if auth.recently_active(&self.principals).is_err() {
            let checked = auth.clone();
            let principals = self.principals.clone();
            bounded(&self.pool, deadline, move |conn| checked.ensure_active(conn, &principals)).await?;
        }
        let auth = auth.clone();
        let slot = self.report_slot(op, deadline).await?;
        bounded(replica, deadline, move |conn| slot.run(|| f(conn, &auth))).await
    }

    /// Database work that needs no principal (token issuance, health checks).
    pub async fn run_anonymous<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        db::run(&self.pool, f).await
    }
}

/// A held report slot, or none for an ordinary operation. It moves into the blocking work,
/// so it is given back when the work ends, not when an impatient caller goes away.
struct ReportSlot(Option<OwnedSemaphorePermit>);

impl ReportSlot {
    /// Runs `f`; a report may take a second connection only with a slot of its own.
    fn run<T>(self, f: impl FnOnce() -> T) -> T {
        match self.0 {
            Some(held) => db::with_lane_slots(held.semaphore().clone(), f),
            None => f(),
        }
    }
}

/// Database work bounded by the request's deadline twice over: the caller stops waiting at
/// it (`within`), and the work's statements stop at it (`db::run_until`), so a request given
/// up on does not keep its connection either.
async fn bounded<T, F>(pool: &DbPool, deadline: Option<Deadline>, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
{
    within(deadline, db::run_until(pool, deadline.map(|d| d.at), f)).await
}
