//! The background worker every instance runs: fans outbox events out to webhook
//! subscriptions, delivers them (signed, retried with backoff, dead-lettered), and runs the
//! daily expungement-due job. All its state is in the database, so it survives restarts and
//! several instances share the work without delivering a claimed attempt twice.

use std::time::Duration;

use crate::config::Settings;
pub use crate::config::WorkerSettings;
use crate::db::webhooks::{Attempt, Claimed};
use crate::db::{self, DbPool};
use crate::domain::events::signature;
use crate::webhook_target;

/// Persons the expungement-due job announces per round.
const DUE_BATCH: i64 = 5000;

/// What a round did.
#[derive(Debug, Clone, Copy, Default)]
pub struct RoundOutcome {
    /// `expungement.due` events written (a full batch means more may be due).
    pub announced: usize,
    /// Whether anything was done (the loop then goes again at once).
    pub busy: bool,
}

/// One round: the expungement-due job when `due_job` is set, fan-out, then deliveries.
pub async fn round(pool: &DbPool, settings: &WorkerSettings, due_job: bool) -> Result<RoundOutcome, String> {
    let today = crate::time::today_vn();
    let announced = if due_job {
        db::run(pool, move |conn| {
            db::write_tx(conn, |conn| db::events::announce_expungements_due(conn, today, DUE_BATCH))
        })
        .await
        .map_err(|e| format!("expungement job: {e}"))?
    } else {
        0
    };
    let dispatched =
        db::run(pool, |conn| db::webhooks::dispatch(conn, 500)).await.map_err(|e| format!("dispatch: {e}"))?;
    let lease = (settings.timeout_ms / 1000 + 30) as i64;
    let claimed = db::run(pool, move |conn| db::write_tx(conn, |conn| db::webhooks::claim(conn, 20, lease)))
        .await
        .map_err(|e| format!("claim: {e}"))?;
    let did = announced > 0 || dispatched > 0 || !claimed.is_empty();
    let (allow_private, timeout) = (settings.allow_private_urls, Duration::from_millis(settings.timeout_ms));
    let sends = claimed.into_iter().map(|c| async move {
        let outcome = send(&c, allow_private, timeout).await;
        (c.delivery.id, outcome)
    });
    let results = futures_util::future::join_all(sends).await;
    let (max, base) = (settings.max_attempts, settings.backoff_base_ms);
    db::run(pool, move |conn| {
        db::write_tx(conn, |conn| {
            for (id, outcome) in results {
                db::webhooks::record_attempt(conn, &id, outcome, max, base)?;
            }
            Ok(())
        })
    })
    .await
    .map_err(|e| format!("record: {e}"))?;
    Ok(RoundOutcome { announced, busy: did })
}

/// One attempt: the destination's host is resolved and every address checked against the
/// address policy now, at delivery (a name may point elsewhere than when the subscription
/// was made), and the request goes to those checked addresses only.
async fn send(c: &Claimed, allow_private: bool, timeout: Duration) -> Attempt {
    let destination = match webhook_target::resolve(&c.url, allow_private, timeout).await {
        Ok(d) => d,
        Err(webhook_target::Unusable::Refused) => return Attempt::Refused,
        Err(webhook_target::Unusable::Unresolved) => return Attempt::NoAnswer,
    };
    let client = match destination.client(timeout) {
        Ok(client) => client,
        Err(e) => {
            log::warn!("webhook client for delivery {}: {e}", c.delivery.id);
            return Attempt::NoAnswer;
        }
    };
    let body = c.delivery.payload.clone().into_bytes();
    let ts = chrono::Utc::now().timestamp();
    let result = client
        .post(destination.url)
        .header("content-type", "application/json")
        .header("x-thncd-event", &c.delivery.event_type)
        .header("x-thncd-delivery", &c.delivery.id)
        .header("x-thncd-signature", signature(&c.secret, ts, &body))
        .body(body)
        .send()
        .await;
    match result {
        Ok(resp) if resp.status().is_success() => Attempt::Delivered(resp.status().as_u16() as i32),
        Ok(resp) => Attempt::Rejected(resp.status().as_u16() as i32),
        Err(_) => Attempt::NoAnswer,
    }
}

/// Runs rounds until the process ends.
pub async fn run(pool: DbPool, settings: Settings) {
    let ws = settings.worker.clone();
    if !ws.enabled {
        return;
    }
    let every = Duration::from_secs(ws.due_job_interval_secs);
    let mut last_due_job: Option<std::time::Instant> = None;
    loop {
        let due_job = last_due_job.is_none_or(|t| t.elapsed() >= every);
        match round(&pool, &ws, due_job).await {
            Ok(outcome) => {
                // A full batch means more may be due: the job runs again next round.
                if due_job && (outcome.announced as i64) < DUE_BATCH {
                    last_due_job = Some(std::time::Instant::now());
                }
                if outcome.busy {
                    continue;
                }
            }
            Err(e) => log::warn!("worker round failed: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(ws.interval_ms)).await;
    }
}

/// Rows one housekeeping run removed, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub login_failures: usize,
    pub idempotency_keys: usize,
    pub webhook_deliveries: usize,
    pub domain_events: usize,
}

/// One housekeeping run: each table older than its retention is purged (a retention of 0
/// keeps that table whole), each purge in its own statement.
pub async fn housekeeping(pool: &DbPool, retention: &crate::config::HousekeepingSettings) -> Result<Purged, String> {
    use crate::db::housekeeping as hk;
    let now = crate::time::now();
    let cutoff = |hours: u64| (hours > 0).then(|| now - chrono::Duration::hours(hours.min(1_000_000) as i64));
    let logins = cutoff(retention.login_failure_hours);
    let keys = cutoff(retention.idempotency_hours);
    let deliveries = cutoff(retention.webhook_delivery_days.saturating_mul(24));
    let events = cutoff(retention.event_days.saturating_mul(24));
    db::run(pool, move |conn| {
        let mut purged = Purged::default();
        if let Some(before) = logins {
            purged.login_failures = hk::purge_login_failures(conn, before)?;
        }
        if let Some(before) = keys {
            purged.idempotency_keys = hk::purge_idempotency_keys(conn, before)?;
        }
        if let Some(before) = deliveries {
            purged.webhook_deliveries = hk::purge_webhook_deliveries(conn, before)?;
        }
        if let Some(before) = events {
            purged.domain_events = hk::purge_domain_events(conn, before)?;
        }
        Ok(purged)
    })
    .await
    .map_err(|e| format!("housekeeping: {e}"))
}

/// Runs [`housekeeping`] every `interval_secs` (the first run at start) until the process
/// ends; off with the worker (`THNCD_WORKER=false`).
pub async fn run_housekeeping(pool: DbPool, settings: Settings) {
    if !settings.worker.enabled {
        return;
    }
    let retention = settings.housekeeping;
    let every = Duration::from_secs(retention.interval_secs.max(1));
    loop {
        match housekeeping(&pool, &retention).await {
            Ok(p) if p != Purged::default() => log::info!(
                "housekeeping purged {} login failure(s), {} idempotency key(s), {} webhook delivery(ies), {} domain event(s)",
                p.login_failures,
                p.idempotency_keys,
                p.webhook_deliveries,
                p.domain_events
            ),
            Ok(_) => {}
            Err(e) => log::warn!("{e}"),
        }
        tokio::time::sleep(every).await;
    }
}
