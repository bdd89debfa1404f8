//! Webhook subscriptions, their deliveries, and the dispatcher's position in the outbox.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{webhook_deliveries as wd, webhook_dispatch as wx, webhook_subscriptions as ws};
use super::DbConnection;
use crate::auth::roles::{roles_from_db, Jurisdiction};
use crate::domain::events::{self, Cursor};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ws)]
pub struct SubscriptionRow {
    pub id: String,
    pub owner_sub: String,
    pub owner_roles: String,
    pub unit_code: String,
    pub province_code: String,
    pub url: String,
    pub event_types: String,
    pub secret: String,
    pub active: bool,
    pub description: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl SubscriptionRow {
    pub fn types(&self) -> Vec<&str> {
        self.event_types.split(',').filter(|t| !t.is_empty()).collect()
    }

    /// Whether this subscription hears `event`: its type, the owner's roles and unit.
    pub fn wants(&self, event: &super::events::EventRow) -> bool {
        let allowed = events::types_for(&roles_from_db(&self.owner_roles));
        self.active
            && self.types().contains(&event.event_type.as_str())
            && allowed.contains(&event.event_type.as_str())
            && Jurisdiction::parse(&self.unit_code)
                .is_some_and(|j| j.covers(&event.unit_code, Some(&event.province_code)))
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wd)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_seq: i64,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &SubscriptionRow) -> ApiResult<()> {
    diesel::insert_into(ws::table).values(row).execute(conn)?;
    Ok(())
}

/// The caller's own subscriptions.
pub fn list_for(conn: &mut DbConnection, owner: &str) -> ApiResult<Vec<SubscriptionRow>> {
    Ok(ws::table
        .filter(ws::owner_sub.eq(owner))
        .order(ws::created_at.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)?)
}

/// A subscription of the caller (anyone else's answers 404).
pub fn find_own(conn: &mut DbConnection, owner: &str, id: &str) -> ApiResult<SubscriptionRow> {
    ws::table
        .filter(ws::id.eq(id))
        .filter(ws::owner_sub.eq(owner))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn deactivate(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::update(ws::table.filter(ws::id.eq(id)))
        .set((ws::active.eq(false), ws::updated_at.eq(crate::time::now()), ws::version.eq(ws::version + 1)))
        .execute(conn)?;
    Ok(())
}

pub fn deliveries(
    conn: &mut DbConnection,
    subscription: &str,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<DeliveryRow>, i64)> {
    let build = || {
        let mut q = wd::table.filter(wd::subscription_id.eq(subscription.to_string())).into_boxed();
        if let Some(s) = status {
            q = q.filter(wd::status.eq(s.to_string()));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .order((wd::created_at.desc(), wd::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn find_delivery(conn: &mut DbConnection, subscription: &str, id: &str) -> ApiResult<DeliveryRow> {
    wd::table
        .filter(wd::id.eq(id))
        .filter(wd::subscription_id.eq(subscription))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Puts a delivery back in the queue for an immediate attempt, whatever its state.
pub fn replay(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    let now = crate::time::now();
    diesel::update(wd::table.filter(wd::id.eq(id)))
        .set((
            wd::status.eq("pending"),
            wd::attempts.eq(0),
            wd::next_attempt_at.eq(now),
            wd::locked_until.eq(None::<NaiveDateTime>),
            wd::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Fans new outbox events out to the subscriptions that want them, under the dispatcher
/// row's lock (one instance at a time). Returns the deliveries created.
pub fn dispatch(conn: &mut DbConnection, batch: i64) -> ApiResult<usize> {
    super::write_tx(conn, |conn| {
        // Taking the row lock first serialises dispatchers across instances on PostgreSQL.
        diesel::update(wx::table.filter(wx::id.eq(1))).set(wx::last_id.eq(wx::last_id)).execute(conn)?;
        let (last_xid, last_id): (i64, i64) =
            wx::table.filter(wx::id.eq(1)).select((wx::last_xid, wx::last_id)).first(conn)?;
        let all_types: Vec<&str> = events::EVENT_TYPES.iter().map(|(t, _)| *t).collect();
        let new = super::events::after(conn, None, &all_types, Cursor { xid: last_xid, id: last_id }, batch)?;
        let Some(last) = new.last().map(|e| e.cursor()) else { return Ok(0) };
        let subs: Vec<SubscriptionRow> =
            ws::table.filter(ws::active.eq(true)).select(SubscriptionRow::as_select()).load(conn)?;
        let now = crate::time::now();
        let mut rows = Vec::new();
        for e in &new {
            for s in subs.iter().filter(|s| s.wants(e)) {
                let payload = serde_json::json!({
                    "id": e.event_id, "type": e.event_type, "entity_type": e.entity_type, "entity_id": e.entity_id,
                    "unit": e.unit_code, "occurred_at": e.occurred_at.and_utc(),
                });
                rows.push(DeliveryRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    subscription_id: s.id.clone(),
                    event_seq: e.id,
                    event_id: e.event_id.clone(),
                    event_type: e.event_type.clone(),
                    payload: payload.to_string(),
                    status: "pending".into(),
                    attempts: 0,
                    next_attempt_at: now,
                    locked_until: None,
                    last_status_code: None,
                    last_error: None,
                    delivered_at: None,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
        insert_batches!(conn, wd::table, rows, 500);
        diesel::update(wx::table.filter(wx::id.eq(1)))
            .set((wx::last_xid.eq(last.xid), wx::last_id.eq(last.id)))
            .execute(conn)?;
        Ok(rows.len())
    })
}

/// A delivery claimed for one attempt, with what is needed to send it.
pub struct Claimed {
    pub delivery: DeliveryRow,
    pub url: String,
    pub secret: String,
}

/// Claims due deliveries for `lease_secs`: a conditional update per row, so two instances
/// never claim the same delivery (the loser's update matches no row).
pub fn claim(conn: &mut DbConnection, limit: i64, lease_secs: i64) -> ApiResult<Vec<Claimed>> {
    let now = crate::time::now();
    let due: Vec<DeliveryRow> = wd::table
        .filter(wd::status.eq_any(["pending", "retrying"]))
        .filter(wd::next_attempt_at.le(now))
        .filter(wd::locked_until.is_null().or(wd::locked_until.lt(now)))
        .order(wd::next_attempt_at.asc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)?;
    let lease = now + chrono::Duration::seconds(lease_secs);
    let mut won = Vec::new();
    for d in due {
        let n = diesel::update(
            wd::table
                .filter(wd::id.eq(&d.id))
                .filter(wd::status.eq_any(["pending", "retrying"]))
                .filter(wd::locked_until.is_null().or(wd::locked_until.lt(now))),
        )
        .set((wd::locked_until.eq(Some(lease)), wd::updated_at.eq(now)))
        .execute(conn)?;
        if n == 1 {
            won.push(d);
        }
    }
    // One query for the subscriptions of every claimed delivery.
    let ids: Vec<&str> = won.iter().map(|d| d.subscription_id.as_str()).collect();
    let subs: std::collections::HashMap<String, SubscriptionRow> = ws::table
        .filter(ws::id.eq_any(ids))
        .select(SubscriptionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut out = Vec::new();
    for d in won {
        match subs.get(&d.subscription_id).filter(|s| s.active) {
            Some(sub) => out.push(Claimed { url: sub.url.clone(), secret: sub.secret.clone(), delivery: d }),
            None => {
                diesel::update(wd::table.filter(wd::id.eq(&d.id)))
                    .set((wd::status.eq("cancelled"), wd::locked_until.eq(None::<NaiveDateTime>)))
                    .execute(conn)?;
            }
        }
    }
    Ok(out)
}

/// Records an attempt: delivered, or retried after a backoff, or dead after `max_attempts`.
pub fn record_attempt(
    conn: &mut DbConnection,
    id: &str,
    result: Result<i32, (Option<i32>, String)>,
    max_attempts: i32,
    backoff_base_ms: u64,
) -> ApiResult<()> {
    let now = crate::time::now();
    let attempts: i32 = wd::table.filter(wd::id.eq(id)).select(wd::attempts).first(conn)?;
    let attempts = attempts + 1;
    match result {
        Ok(code) => {
            diesel::update(wd::table.filter(wd::id.eq(id)))
                .set((
                    wd::status.eq("delivered"),
                    wd::attempts.eq(attempts),
                    wd::last_status_code.eq(Some(code)),
                    wd::last_error.eq(None::<String>),
                    wd::delivered_at.eq(Some(now)),
                    wd::locked_until.eq(None::<NaiveDateTime>),
                    wd::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Err((code, error)) => {
            let dead = attempts >= max_attempts;
            let delay = events::backoff_ms(backoff_base_ms, attempts as u32) as i64;
            diesel::update(wd::table.filter(wd::id.eq(id)))
                .set((
                    wd::status.eq(if dead { "dead" } else { "retrying" }),
                    wd::attempts.eq(attempts),
                    wd::last_status_code.eq(code),
                    wd::last_error.eq(Some(error.chars().take(500).collect::<String>())),
                    wd::next_attempt_at.eq(now + chrono::Duration::milliseconds(delay)),
                    wd::locked_until.eq(None::<NaiveDateTime>),
                    wd::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}
