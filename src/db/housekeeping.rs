//! Purges of the tables that would otherwise only grow: failed logins, idempotency keys,
//! finished webhook deliveries and old domain events. The worker calls them on a schedule
//! (`crate::worker::housekeeping`), each in its own short statement.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    domain_events as de, idempotency_keys as ik, login_failures as lf, webhook_deliveries as wd, webhook_dispatch as wx,
};
use super::DbConnection;
use crate::error::ApiResult;

/// Webhook delivery states that will not change again.
pub const FINISHED_DELIVERIES: [&str; 3] = ["delivered", "dead", "cancelled"];

pub fn purge_login_failures(conn: &mut DbConnection, before: NaiveDateTime) -> ApiResult<usize> {
    Ok(diesel::delete(lf::table.filter(lf::failed_at.lt(before))).execute(conn)?)
}

pub fn purge_idempotency_keys(conn: &mut DbConnection, before: NaiveDateTime) -> ApiResult<usize> {
    Ok(diesel::delete(ik::table.filter(ik::created_at.lt(before))).execute(conn)?)
}

/// Deliveries finished (delivered, dead, cancelled) before `before`; pending and retrying
/// ones stay whatever their age.
pub fn purge_webhook_deliveries(conn: &mut DbConnection, before: NaiveDateTime) -> ApiResult<usize> {
    Ok(diesel::delete(wd::table.filter(wd::status.eq_any(FINISHED_DELIVERIES)).filter(wd::updated_at.lt(before)))
        .execute(conn)?)
}

/// Events that occurred before `before` and that the webhook dispatcher has already fanned
/// out (at or behind its cursor): a purge never takes an event away from subscribers.
pub fn purge_domain_events(conn: &mut DbConnection, before: NaiveDateTime) -> ApiResult<usize> {
    let Some((last_xid, last_id)) =
        wx::table.filter(wx::id.eq(1)).select((wx::last_xid, wx::last_id)).first::<(i64, i64)>(conn).optional()?
    else {
        return Ok(0);
    };
    let dispatched = de::xid.lt(last_xid).or(de::xid.eq(last_xid).and(de::id.le(last_id)));
    Ok(diesel::delete(de::table.filter(de::occurred_at.lt(before)).filter(dispatched)).execute(conn)?)
}

/// Webhook deliveries not finished yet (pending or retrying): the worker's queue.
pub fn delivery_queue_depth(conn: &mut DbConnection) -> ApiResult<i64> {
    Ok(wd::table.filter(wd::status.eq_any(["pending", "retrying"])).count().get_result(conn)?)
}
