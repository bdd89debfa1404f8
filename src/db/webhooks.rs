//! Webhook subscriptions, their deliveries, and the dispatcher's position in the outbox.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    accounts, api_clients, webhook_deliveries as wd, webhook_dispatch as wx, webhook_subscriptions as ws,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::roles::{roles_from_db, Jurisdiction};
use crate::domain::events::{self, Cursor};
use crate::error::ApiResult;

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
    /// Set when the owner lost the rights the subscription was made with.
    pub paused_at: Option<NaiveDateTime>,
    /// Why: `owner_disabled`, `owner_roles_changed` or `owner_unit_changed`.
    pub paused_reason: Option<String>,
}

impl SubscriptionRow {
    /// Whether deliveries go out: not removed, not paused.
    pub fn delivering(&self) -> bool {
        self.active && self.paused_at.is_none()
    }

    /// `active`, `paused` or `stopped` (removed by its owner).
    pub fn state(&self) -> &'static str {
        if !self.active {
            "stopped"
        } else if self.paused_at.is_some() {
            "paused"
        } else {
            "active"
        }
    }

    pub fn types(&self) -> Vec<&str> {
        self.event_types.split(',').filter(|t| !t.is_empty()).collect()
    }

    /// Whether this subscription hears `event`: its type, the owner's roles and unit.
    pub fn wants(&self, event: &super::events::EventRow) -> bool {
        let allowed = crate::auth::events::types_for(&roles_from_db(&self.owner_roles));
        self.delivering()
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
    super::insert(conn, ws::table, row)
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
        .or_not_found()
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
        .or_not_found()
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
        // Owners are checked first, every round: a subscription whose owner lost its rights
        // is paused before any new event reaches it.
        let subs: Vec<SubscriptionRow> = ws::table
            .filter(ws::active.eq(true))
            .filter(ws::paused_at.is_null())
            .select(SubscriptionRow::as_select())
            .load(conn)?;
        let paused = pause_lapsed(conn, &subs)?;
        let subs: Vec<SubscriptionRow> = subs.into_iter().filter(|s| !paused.contains(&s.id)).collect();
        let all_types: Vec<&str> = crate::auth::events::EVENT_TYPES.iter().map(|(t, _)| *t).collect();
        let new = super::events::after(conn, None, &all_types, Cursor { xid: last_xid, id: last_id }, batch)?;
        let Some(last) = new.last().map(|e| e.cursor()) else { return Ok(0) };
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

/// What the owners of `subs` are now, by owner id: their account or client record (an owner
/// with neither is a trusted provider's principal and has no entry).
fn owners_now(conn: &mut DbConnection, subs: &[SubscriptionRow]) -> ApiResult<HashMap<String, (bool, String, String)>> {
    let ids: Vec<&str> = subs.iter().map(|s| s.owner_sub.as_str()).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut out: HashMap<String, (bool, String, String)> = HashMap::new();
    let rows: Vec<(String, bool, String, String)> = accounts::table
        .filter(accounts::id.eq_any(&ids))
        .select((accounts::id, accounts::disabled, accounts::roles, accounts::unit_code))
        .load(conn)?;
    out.extend(rows.into_iter().map(|(id, d, r, u)| (id, (d, r, u))));
    let rows: Vec<(String, bool, String, String)> = api_clients::table
        .filter(api_clients::id.eq_any(&ids))
        .select((api_clients::id, api_clients::disabled, api_clients::roles, api_clients::unit_code))
        .load(conn)?;
    out.extend(rows.into_iter().map(|(id, d, r, u)| (id, (d, r, u))));
    Ok(out)
}

/// Pauses those of `subs` whose owner no longer holds the rights they were made with, each
/// with its audit event in the caller's transaction, and cancels their queued deliveries.
/// Returns the ids paused.
pub fn pause_lapsed(conn: &mut DbConnection, subs: &[SubscriptionRow]) -> ApiResult<HashSet<String>> {
    let owners = owners_now(conn, subs)?;
    let mut paused = HashSet::new();
    for s in subs {
        let now_owner = owners.get(&s.owner_sub).map(|(disabled, roles, unit)| events::OwnerNow {
            disabled: *disabled,
            roles,
            unit,
        });
        let Some(reason) = events::owner_lapse(&s.owner_roles, &s.unit_code, now_owner) else { continue };
        let now = crate::time::now();
        // Conditional, so that two instances pausing at once write one audit event.
        let n = diesel::update(ws::table.filter(ws::id.eq(&s.id)).filter(ws::paused_at.is_null()))
            .set((
                ws::paused_at.eq(Some(now)),
                ws::paused_reason.eq(Some(reason)),
                ws::updated_at.eq(now),
                ws::version.eq(ws::version + 1),
            ))
            .execute(conn)?;
        paused.insert(s.id.clone());
        if n == 0 {
            continue;
        }
        diesel::update(
            wd::table
                .filter(wd::subscription_id.eq(&s.id))
                .filter(wd::status.eq_any(["pending", "retrying"]))
                .filter(wd::locked_until.is_null().or(wd::locked_until.lt(now))),
        )
        .set((wd::status.eq("cancelled"), wd::updated_at.eq(now)))
        .execute(conn)?;
        crate::db::audit::record(
            conn,
            &crate::db::audit::Actor::system("webhook-worker"),
            crate::db::audit::Entry {
                action: "webhook.pause",
                entity_type: "webhook",
                entity_id: Some(&s.id),
                unit_code: Some(&s.unit_code),
                province_code: Some(&s.province_code).filter(|p| !p.is_empty()).map(|p| p.as_str()),
                after: Some(serde_json::json!({"state": "paused", "reason": reason, "owner": s.owner_sub})),
                ..Default::default()
            },
        )?;
    }
    Ok(paused)
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
    let subs: HashMap<String, SubscriptionRow> = ws::table
        .filter(ws::id.eq_any(ids))
        .select(SubscriptionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    // The owner's rights are checked again at delivery: they may have changed since fan-out.
    let live: Vec<SubscriptionRow> = subs.values().filter(|s| s.delivering()).cloned().collect();
    let paused = pause_lapsed(conn, &live)?;
    let mut out = Vec::new();
    for d in won {
        match subs.get(&d.subscription_id).filter(|s| s.delivering() && !paused.contains(&s.id)) {
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

/// One delivery attempt, as the delivery log keeps it: in generic categories, so that the
/// log tells its reader nothing about the network behind the destination (a refused
/// connection and a timeout read the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered(i32),
    /// The receiver answered another status.
    Rejected(i32),
    /// No answer: the name did not resolve, the connection failed or timed out, TLS failed.
    NoAnswer,
    /// The address policy refused the destination: dead-lettered at once.
    Refused,
}

impl Attempt {
    /// The `last_error` written for it.
    pub fn error(self) -> Option<&'static str> {
        match self {
            Attempt::Delivered(_) => None,
            Attempt::Rejected(_) => Some("the destination answered with an error status"),
            Attempt::NoAnswer => Some("no answer from the destination"),
            Attempt::Refused => Some("destination refused by address policy"),
        }
    }
}

/// Records an attempt: delivered, or retried after a backoff, or dead after `max_attempts`
/// (at once when the address policy refused the destination).
pub fn record_attempt(
    conn: &mut DbConnection,
    id: &str,
    result: Attempt,
    max_attempts: i32,
    backoff_base_ms: u64,
) -> ApiResult<()> {
    let now = crate::time::now();
    let attempts: i32 = wd::table.filter(wd::id.eq(id)).select(wd::attempts).first(conn)?;
    let attempts = attempts + 1;
    match result {
        Attempt::Delivered(code) => {
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
            metrics::counter!("thncd_webhook_deliveries_total", "outcome" => "delivered").increment(1);
        }
        failed => {
            let dead = attempts >= max_attempts || failed == Attempt::Refused;
            let code = match failed {
                Attempt::Rejected(code) => Some(code),
                _ => None,
            };
            let delay = events::backoff_ms(backoff_base_ms, attempts as u32) as i64;
            diesel::update(wd::table.filter(wd::id.eq(id)))
                .set((
                    wd::status.eq(if dead { "dead" } else { "retrying" }),
                    wd::attempts.eq(attempts),
                    wd::last_status_code.eq(code),
                    wd::last_error.eq(failed.error()),
                    wd::next_attempt_at.eq(now + chrono::Duration::milliseconds(delay)),
                    wd::locked_until.eq(None::<NaiveDateTime>),
                    wd::updated_at.eq(now),
                ))
                .execute(conn)?;
            let outcome = if dead { "dead" } else { "retrying" };
            metrics::counter!("thncd_webhook_deliveries_total", "outcome" => outcome).increment(1);
        }
    }
    Ok(())
}
